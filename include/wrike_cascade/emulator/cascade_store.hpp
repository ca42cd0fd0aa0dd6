// The Cascade emulator's in-memory data, for both Cascade APIs (cascade-api.md §3, §4):
//
//   Classic (/api/v2): users, roles and focus areas (no endpoint of their own; goals refer to
//   them), goals, tasks, issues (risks) and updates. Integer IDs, one increasing counter per
//   record type, never reused. Each record is kept as a JSON object in the emulator's
//   CANONICAL form (integer IDs, 0/1 booleans, dates as ISO 8601: "2025-03-01" for a value
//   given as a date, "2025-03-01T09:30:00Z" otherwise, every writable field present, null when
//   unset). The derived goal fields (title, task_ids, issue_ids, aligned_from_ids,
//   ancestor_ids, descendant_ids, inherited_focus_area_ids) are NOT stored: the API computes
//   them when it answers. Stored goals hold aligned_to_ids only (the parent links).
//
//   New platform (integrations API): workspaces {"id","displayName"} (+ "member": false for a
//   workspace the user cannot see: 403), plans {"id","name","workspaceId","owner",
//   "collaborators","team"}, measures {"id","name","workspaceId","planId","currentValue",
//   "historicalData":[{"date","value"}]}, actions {"id","workspaceId","name","planId",
//   "progress"}. Opaque string IDs ("org_..." workspaces, UUID-shaped plans/measures/actions).
//
// The emulator never uses the SDK's Cascade models: this JSON is an independent check on the
// client's decoding.
//
// Sources of data:
//   * generate(CascadeGeneratorOptions): deterministic (same options, same to_json(), byte for
//     byte; nothing depends on the clock).
//   * load(path) / load_json(value): one JSON object with any of the arrays "users", "roles",
//     "focus_areas", "goals", "tasks", "issues", "updates", "workspaces", "plans", "measures",
//     "actions" (what save()/to_json() write). Classic records are normalised on load: IDs may
//     be numbers or numeric strings, booleans 0/1/true/false/"0"/"1", dates Unix seconds or
//     ISO 8601; a goal's "aligned_from_ids" become the children's aligned_to_ids. Every record
//     needs an "id" (positive integer for Classic, non-empty string for the platform); plans
//     need "workspaceId", measures and actions "workspaceId" and "planId". Otherwise load
//     throws std::runtime_error naming the array and the index.
//
// Thread-safety: every method may be called concurrently; readers share a lock.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wrike_cascade::emulator {

struct CascadeGeneratorOptions {
  std::uint64_t seed = 1;
  // Classic
  int users = 4;                 // user 1 owns the default API token
  int roles = 4;                 // role i belongs to user i (one user per role, cascade-api.md §3.5)
  int focus_areas = 3;
  int goals = 6;                 // top-level goals, each with direct focus areas
  int child_goals_per_goal = 1;  // goals aligned to each top-level goal (inherit focus areas)
  int tasks_per_goal = 3;        // on every goal, top-level and child
  int issues_per_goal = 1;
  int updates_per_goal = 1;
  // New platform
  int workspaces = 2;            // the user is a member of these
  int foreign_workspaces = 1;    // these exist, but the user is not a member (403)
  int plans_per_workspace = 2;
  int measures_per_plan = 3;
  int actions_per_plan = 3;
  // The generator's "now": every created_at/updated_at lies within a year before it.
  std::string now = "2025-06-02T12:00:00Z";
};

enum class ClassicKind { goal, task, issue, update };
std::string_view to_string(ClassicKind k) noexcept;  // "goal", "task", "issue", "update"

struct CascadeData {
  std::uint64_t generation = 0;  // incremented by every change

  // Classic, canonical form, in ID order (creation order).
  std::vector<boost::json::object> users, roles, focus_areas;
  std::vector<boost::json::object> goals, tasks, issues, updates;
  std::int64_t next_goal_id = 1001, next_task_id = 20001, next_issue_id = 3001, next_update_id = 4001;

  // New platform.
  std::vector<boost::json::object> workspaces, plans, measures, actions;

  // id -> position
  std::unordered_map<std::int64_t, std::size_t> user_index, role_index, focus_area_index, goal_index,
      task_index, issue_index, update_index;
  std::unordered_map<std::string, std::size_t> workspace_index, plan_index, measure_index, action_index;

  void reindex();

  std::vector<boost::json::object>& records(ClassicKind k);
  const std::vector<boost::json::object>& records(ClassicKind k) const;
  std::unordered_map<std::int64_t, std::size_t>& index(ClassicKind k);
  const std::unordered_map<std::int64_t, std::size_t>& index(ClassicKind k) const;
  // The record or null.
  const boost::json::object* find(ClassicKind k, std::int64_t id) const;
  boost::json::object* find(ClassicKind k, std::int64_t id);
};

class CascadeStore {
 public:
  CascadeStore();  // empty (no records; the ID counters at their starting values)
  explicit CascadeStore(const CascadeGeneratorOptions& g);
  ~CascadeStore();
  CascadeStore(const CascadeStore&) = delete;
  CascadeStore& operator=(const CascadeStore&) = delete;

  // ---- whole-store operations (replace everything) ---------------------------------------
  void generate(const CascadeGeneratorOptions& g);
  void load(const std::filesystem::path& file);
  void load_json(const boost::json::value& v);
  void save(const std::filesystem::path& file) const;
  std::string to_json() const;  // deterministic

  // ---- access ----------------------------------------------------------------------------
  // f runs under the shared (read) lock / the exclusive lock; it must not call the store.
  void read(const std::function<void(const CascadeData&)>& f) const;
  // Bumps the generation. The caller keeps the indexes right (or calls reindex()).
  void write(const std::function<void(CascadeData&)>& f);

  std::optional<boost::json::object> record(ClassicKind k, std::int64_t id) const;  // canonical
  std::vector<std::int64_t> ids(ClassicKind k) const;
  std::size_t count(ClassicKind k) const;
  std::vector<std::int64_t> focus_area_ids() const;
  std::vector<std::int64_t> role_ids() const;

  std::vector<std::string> workspace_ids(bool members_only = true) const;
  std::vector<std::string> plan_ids(std::string_view workspace_id) const;
  std::vector<std::string> measure_ids(std::string_view plan_id) const;
  std::vector<std::string> action_ids(std::string_view plan_id) const;
  std::optional<boost::json::object> workspace(std::string_view id) const;
  std::optional<boost::json::object> plan(std::string_view id) const;
  std::optional<boost::json::object> measure(std::string_view id) const;
  std::optional<boost::json::object> action(std::string_view id) const;

  // ---- test helpers ------------------------------------------------------------------------
  // Adds a goal with defaults for what `fields` leaves out (canonical values expected); returns
  // its ID. add_task/add_issue/add_update need an existing goal (std::invalid_argument else).
  std::int64_t add_goal(boost::json::object fields = {});
  std::int64_t add_task(std::int64_t goal_id, boost::json::object fields = {});
  std::int64_t add_issue(std::int64_t goal_id, boost::json::object fields = {});
  std::int64_t add_update(std::int64_t goal_id, boost::json::object fields = {});

  // The clock for created_at/updated_at (default: the system clock, whole seconds).
  void set_clock(std::function<std::chrono::system_clock::time_point()> clock);
  std::string now() const;  // "YYYY-MM-DDTHH:MM:SSZ"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::emulator
