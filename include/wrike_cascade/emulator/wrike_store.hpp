// The Wrike emulator's in-memory data: account, contacts, spaces, folders/projects, tasks,
// custom fields and workflows, each entity kept as the Wrike API v4 JSON object (the full
// model, key order as Wrike sends it). The emulator never uses the SDK's typed models, so it
// doubles as an independent check on the client's decoding.
//
// Sources of data:
//   * generate(GeneratorOptions) - deterministic: the same options give the same data, byte
//     for byte (to_json() is identical). Nothing depends on the wall clock or the platform.
//   * load(path) - from JSON files. `path` is either
//       - a directory holding any of these files, each the body Wrike returns for the
//         matching GET (an envelope {"kind":..,"data":[..]}; a bare array also works):
//           account.json       GET /account          (kind "accounts", one element)
//           contacts.json      GET /contacts         (kind "contacts")
//           spaces.json        GET /spaces?fields=["members"]   (kind "spaces")
//           folders.json       GET /folders/{ids}    (kind "folders": FULL Folder models,
//                              including the Root (scope WsRoot, id <account>I7777777) and the
//                              Recycle Bin (scope RbRoot, id <account>I7777776); both are
//                              synthesized when absent; a space is a folder with "space":true
//                              and the same id as its spaces.json entry)
//           tasks.json         GET /tasks/{ids}      (kind "tasks": FULL Task models)
//           customfields.json  GET /customfields     (kind "customfields")
//           workflows.json     GET /workflows        (kind "workflows")
//       - or a single .json file: an object with the members "account", "contacts",
//         "spaces", "folders", "tasks", "customfields", "workflows", each one of the bodies
//         above (this is what to_json() and save(file) write).
//     Missing files give empty collections (and a synthesized account). Every element must
//     be an object with a string "id"; otherwise load() throws std::runtime_error naming the
//     file.
//   * save(path) writes the directory form (or the single-file form when path ends in
//     ".json"), so generated data can be edited and loaded again.
//
// Changes: every mutation (the helpers below and the API writes, which use update_task /
// update_folder) bumps WrikeData::generation and reports what changed to the change listener
// as WrikeChange records (the emulator turns them into webhook events). The listener is called
// after the store's lock is released, on the mutating thread; it must not block.
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

struct GeneratorOptions {
  std::uint64_t seed = 1;
  int spaces = 2;
  int projects_per_space = 3;      // projects; odd-numbered ones sit inside a plain folder
  int folders_per_space = 1;       // plain (non-project) folders directly in each space
  int tasks_per_project = 10;      // top-level tasks in each project
  int tasks_per_folder = 2;        // top-level tasks in each plain folder
  int subtasks_per_task = 1;       // subtasks under every top-level task
  int contacts = 8;                // contacts[0] is "me"; with >= 4 the last is a Group, with
                                   // >= 6 the one before is an Invitation, with >= 8 the one
                                   // before that is a deleted Person
  int new_style_id_percent = 10;   // share of tasks/folders given 2025-style ids ("MAAAA...")
  std::string account_name = "Emulated Corp";
  // The generator's "now": every createdDate/updatedDate lies within history_days before it.
  std::string now = "2025-06-02T12:00:00Z";
  int history_days = 365;
};

// What task listings filter and sort on, copied out of a task (JSON lookups are slow at tens
// of thousands of tasks). The store keeps WrikeData::task_summaries in step with `tasks`.
struct TaskSummary {
  std::string id, scope, title, status, importance, created_date, updated_date, completed_date,
      dates_type, dates_start, dates_due, permalink, custom_status_id, custom_item_type_id;
  bool subtask = false;                 // superTaskIds is not empty
  std::vector<std::string> locations;   // parentIds, then superParentIds

  static TaskSummary of(const boost::json::object& task);
};

// The collections, as the store keeps them. Index maps go from id to position.
struct WrikeData {
  // Incremented by every change (generate/load included): equal generations = equal data.
  std::uint64_t generation = 0;
  boost::json::object account;
  std::vector<boost::json::object> contacts;
  std::vector<boost::json::object> spaces;
  std::vector<boost::json::object> folders;       // Root and Recycle Bin first
  std::vector<boost::json::object> tasks;
  std::vector<boost::json::object> custom_fields;
  std::vector<boost::json::object> workflows;

  std::unordered_map<std::string, std::size_t> contact_index, space_index, folder_index,
      task_index, custom_field_index, workflow_index;
  std::vector<TaskSummary> task_summaries;  // parallel to `tasks` (rebuilt by reindex())

  // Deleted tasks: id -> {"parentIds":[..],"superParentIds":[..]} they had before DELETE
  // (restore puts them back; not part of the saved data).
  std::unordered_map<std::string, boost::json::object> recycled;

  void reindex();
  std::string account_id() const;
  std::string root_folder_id() const;
  std::string recycle_bin_id() const;
};

// One change to a task or a folder/project, named by its webhook event type (wrike-api.md
// §6.2/§6.3): TaskCreated, TaskDeleted, TaskTitleChanged {oldValue,title},
// TaskImportanceChanged {oldValue,importance}, TaskStatusChanged {oldStatus,status,
// oldCustomStatusId,customStatusId}, TaskDatesChanged {oldValue,dates},
// TaskDescriptionChanged, TaskParentsAdded/Removed {addedParents/removedParents},
// TaskResponsiblesAdded/Removed {addedResponsibles/removedResponsibles},
// TaskSharedsAdded/Removed {addedShareds/removedShareds}, TaskCustomFieldChanged
// {customFieldId,oldValue,value} (one per field; null = no value), FolderDeleted,
// FolderTitleChanged {oldValue,title}, FolderDescriptionChanged, FolderParentsAdded/Removed,
// FolderSharedsAdded/Removed, FolderCustomFieldChanged, ProjectStatusChanged {oldStatus,status,
// oldCustomStatusId,customStatusId}, ProjectDatesChanged {oldValue,dates} (both
// {"startDate","endDate"}), ProjectOwnersAdded/Removed {addedOwners/removedOwners}.
// Moving to the Recycle Bin gives only *Deleted; a restore gives TaskParentsAdded. Changes of
// metadata, updatedDate alone and other keys give no event.
struct WrikeChange {
  enum class Subject { task, folder };
  Subject subject = Subject::task;
  std::string id;                      // the task or folder id
  std::string event_type;
  boost::json::object fields;          // the event-specific fields above
  std::string last_updated_date;       // the subject's updatedDate after the change
  std::string author_id;               // the "me" contact
  // For webhook scopes: the folders directly holding the subject, before or after the change
  // (a task: parentIds and superParentIds; a folder: itself and its parentIds), and those plus
  // every folder above them (Root included).
  std::vector<std::string> direct;
  std::vector<std::string> ancestors;
};
using ChangeListener = std::function<void(const std::vector<WrikeChange>&)>;

class WrikeStore {
 public:
  WrikeStore();  // an empty account: Root, Recycle Bin, one contact ("me"), default workflow
  explicit WrikeStore(const GeneratorOptions& g);
  ~WrikeStore();
  WrikeStore(const WrikeStore&) = delete;
  WrikeStore& operator=(const WrikeStore&) = delete;

  // ---- whole-store operations (replace everything) ---------------------------------------
  void generate(const GeneratorOptions& g);
  void load(const std::filesystem::path& path);
  void save(const std::filesystem::path& path) const;
  std::string to_json() const;  // the single-file form, deterministic

  // ---- reading ---------------------------------------------------------------------------
  // Runs f with shared (read) access; f must not call back into the store.
  void read(const std::function<void(const WrikeData&)>& f) const;
  std::string account_id() const;
  std::string root_folder_id() const;
  std::string recycle_bin_id() const;
  std::string me_contact_id() const;  // the contact with "me": true (else the first one)
  std::optional<boost::json::object> task(std::string_view id) const;
  std::optional<boost::json::object> folder(std::string_view id) const;
  std::vector<std::string> task_ids() const;  // every task, store order
  std::size_t task_count() const;

  // ---- mutation helpers for tests --------------------------------------------------------
  // Adds a task to folder/project/space `folder_id` (std::invalid_argument when unknown).
  // `fields` may hold any Task-model keys; missing ones get defaults (id, accountId, title
  // "New task", Backlog dates, Active + the folder workflow's first Active status, createdDate
  // and updatedDate = now(), scope WsTask, permalink, ...). A customStatusId sets status to its
  // group; a status alone picks that group's first custom status. "superTaskIds" makes it a
  // subtask (the parents' subTaskIds are updated). Returns the id.
  std::string add_task(std::string_view folder_id, boost::json::object fields = {});
  // Sets the keys of `patch` (a null value removes the key), keeps status/customStatusId/
  // completedDate consistent, and sets updatedDate = now() unless the patch sets it.
  bool modify_task(std::string_view id, const boost::json::object& patch);
  // What DELETE /tasks/{id} does: scope RbTask, parentIds = [Recycle Bin], updatedDate = now().
  bool delete_task(std::string_view id);
  // updatedDate = `when` (yyyy-MM-ddTHH:mm:ssZ) or now(). Reports no change event.
  bool touch_task(std::string_view id, std::optional<std::string> when = std::nullopt);
  // Like modify_task, for a folder/project (keys of `patch`; "project" patches are merged
  // key by key into the project object; a null "project" turns it back into a folder).
  bool modify_folder(std::string_view id, const boost::json::object& patch);

  // ---- transactions (the API writes use these) -------------------------------------------
  // Runs `edit` under the write lock on a copy of the task (or folder). When it returns, the
  // copy replaces the original and the store restores its invariants: status <-> customStatusId
  // (a changed customStatusId sets status to its group, a changed status alone picks that
  // group's first status of the workflow) and completedDate; the super tasks' subTaskIds
  // (tasks) or the parents' childIds (folders); project status <-> customStatusId and
  // completedDate; a space's title. updatedDate = now() unless `edit` set another value.
  // When `edit` throws, nothing changes and the exception propagates. false: unknown id.
  using Edit = std::function<void(const WrikeData&, boost::json::object&)>;
  bool update_task(std::string_view id, const Edit& edit);
  bool update_folder(std::string_view id, const Edit& edit);

  // Receives every change (replaces the previous listener; empty = none).
  void set_change_listener(ChangeListener listener);

  // The clock used by the mutation helpers (default: the system clock, whole seconds).
  void set_clock(std::function<std::chrono::system_clock::time_point()> clock);
  std::string now() const;  // formatted yyyy-MM-ddTHH:mm:ssZ

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::emulator
