// The mapping config: one hand-written JSON-with-comments file that says what to read from
// Wrike, where it lands in Cascade, and how each field maps. The schema is documented in the
// README ("Mapping config") and examples/mapping.jsonc is a commented example.
//
//   auto cfg = wrike_cascade::mapping::MappingConfig::load("mapping.jsonc");   // syntax + schema
//   cfg.resolve(custom_field_index, workflows);   // titles and status names -> Wrike IDs
//
// Both steps report every problem at once (ConfigError), each with line:column, the path in the
// file and, for an unknown name, the nearest valid one. After resolve() the mapping runs on
// Wrike IDs only.
#pragma once

#include <wrike_cascade/mapping/jsonc.hpp>
#include <wrike_cascade/ascii.hpp>

#include <wrike/custom_field_value.hpp>
#include <wrike/ids.hpp>
#include <wrike/model.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wrike_cascade::mapping {

// A name or ID as the user wrote it, with where it was written (for resolution errors).
struct Ref {
  std::string text;
  std::string path;
  SourcePos pos;
};

enum class Target { Classic, Platform };

// Where an objective lands in Cascade. Classic: a focus area (`direct_focus_area_ids`) or a
// parent objective (`aligned_to_ids`); the new platform: a plan.
struct Placement {
  std::optional<std::int64_t> focus_area;
  std::optional<std::string> parent_objective;  // a Cascade goal ID
  std::optional<std::string> plan;
  bool empty() const noexcept { return !focus_area && !parent_objective && !plan; }
};

// What a Wrike status means in Cascade. Every member is optional: unset means "not mapped".
struct StatusOutcome {
  std::optional<double> progress;          // 0..100
  std::optional<bool> complete;            // actions
  std::optional<std::string> goal_status;  // Classic goal status: APPRO, DRAFT, ARCHI
  std::optional<std::string> health;       // on_track, at_risk, off_track (an input to Cascade)
  bool exclude = false;                    // items with this status are not mapped at all
};

// Keyed by Wrike status group (tasks: Active, Completed, Deferred, Cancelled; projects: Green,
// Yellow, Red, Completed, OnHold, Cancelled) and by custom status (ID or name).
struct StatusTable {
  std::map<std::string, StatusOutcome> groups;
  std::vector<std::pair<Ref, StatusOutcome>> custom;
  std::map<std::string, StatusOutcome> custom_by_id;  // filled by resolve()
};

// A custom status the table does not name falls back on its group's entry. For projects the
// workflow groups map onto project statuses: Active -> Green, Completed -> Completed,
// Deferred -> OnHold, Cancelled -> Cancelled.
inline std::string project_group_of(std::string_view workflow_group) {
  if (workflow_group == "Active") return "Green";
  if (workflow_group == "Deferred") return "OnHold";
  return std::string(workflow_group);
}

// One Wrike custom field -> one Cascade custom field (Classic: a `custom_attributes` key).
struct FieldMap {
  Ref wrike_field;
  std::string cascade_field;
  wrike::CustomFieldId id;  // filled by resolve()
};

enum class MeasureSource { Projects, Tasks };

// A measure from a numeric custom field. From projects: one measure per project that has a
// value, under the project's objective. From tasks: every task with a value becomes a measure
// (instead of an action).
struct MeasureRule {
  std::string name;  // "" -> the field's title (projects) or the task title (tasks)
  MeasureSource from = MeasureSource::Tasks;
  Ref value_field;
  std::optional<Ref> target_field, initial_field;
  std::optional<double> target, initial;
  std::string direction = "OVER";  // Classic target_flow: OVER (up is good), UNDER, NONE
  std::string action_verb = "Track";
  wrike::CustomFieldId value_id;                        // filled by resolve()
  std::optional<wrike::CustomFieldId> target_id, initial_id;
};

// A Cascade owner: a Classic role, a Classic user, or a new-platform user.
struct Owner {
  std::optional<std::int64_t> role;
  std::optional<std::string> user;
  std::string str() const { return role ? "role:" + std::to_string(*role) : user ? "user:" + *user : std::string(); }
  friend bool operator==(const Owner&, const Owner&) = default;
};

enum class DescriptionMode { Text, Html, None };
enum class SubtaskMode { Actions, Checks, Skip };
enum class OrphanPolicy { Keep, Delete };

struct ObjectiveRules {
  std::set<std::string, std::less<>> fields;  // name, description, dates, owners, status, custom_fields
  std::string action_verb = "Deliver";
  int weight = 3;
  int default_days = 90;
  std::vector<FieldMap> custom_fields;
  bool has(std::string_view f) const { return fields.find(f) != fields.end(); }
};

struct ActionRules {
  std::set<std::string, std::less<>> fields;  // name, description, dates, owners, status, milestones, checks, custom_fields
  DescriptionMode description = DescriptionMode::Text;
  SubtaskMode subtasks = SubtaskMode::Actions;
  std::vector<FieldMap> custom_fields;
  bool has(std::string_view f) const { return fields.find(f) != fields.end(); }
};

inline const std::vector<std::string>& objective_field_names() {
  static const std::vector<std::string> v{"name", "description", "dates", "owners", "status", "custom_fields"};
  return v;
}
inline const std::vector<std::string>& action_field_names() {
  static const std::vector<std::string> v{"name",   "description", "dates",  "owners",
                                          "status", "milestones",  "checks", "custom_fields"};
  return v;
}
inline const std::vector<std::string>& project_status_names() {
  static const std::vector<std::string> v{"Green", "Yellow", "Red", "Completed", "OnHold", "Cancelled", "custom"};
  return v;
}
inline const std::vector<std::string>& task_status_names() {
  static const std::vector<std::string> v{"Active", "Completed", "Deferred", "Cancelled", "custom"};
  return v;
}

struct MappingConfig {
  std::string file;  // for messages

  // wrike
  std::vector<wrike::SpaceId> spaces;
  std::vector<wrike::FolderId> projects;
  std::optional<Ref> cascade_id_field;
  std::optional<wrike::CustomFieldId> cascade_id_field_id;  // filled by resolve()

  // cascade
  Target target = Target::Classic;
  std::string workspace, plan;  // new platform

  // placement
  Placement default_placement;
  std::map<std::string, Placement> space_placement, project_placement;
  bool nest_subprojects = true;

  ObjectiveRules objectives;
  ActionRules actions;
  StatusTable project_status, task_status;
  std::vector<MeasureRule> measures;

  std::map<std::string, Owner> owner_directory;  // lower-case email -> owner
  std::map<std::string, Owner> owner_overrides;  // Wrike contact ID or lower-case email -> owner

  std::map<std::string, std::string> links;  // Wrike key -> Cascade ID, for items linked by hand
  std::map<std::string, std::string> custom_status_group;  // custom status ID -> group; filled by resolve()
  OrphanPolicy orphans = OrphanPolicy::Keep;

  bool resolved = false;

  // Parses and validates; throws ConfigError listing every problem.
  static MappingConfig parse(std::string text, std::string file = {});
  static MappingConfig load(const std::string& path);

  // Resolves custom field titles and custom status names to Wrike IDs. Throws ConfigError
  // (every unknown or ambiguous name, with its position and the nearest valid name).
  void resolve(const wrike::CustomFieldIndex& fields, const std::vector<wrike::Workflow>& workflows);

  // The defaults the status tables start from (a config entry replaces the entry it names).
  static StatusTable default_project_status();
  static StatusTable default_task_status();
};

// ---- implementation -------------------------------------------------------------------------

namespace config_detail {

using wrike_cascade::ascii_lower;

class Reader {
 public:
  explicit Reader(const JsoncDocument& doc) : doc_(doc) {}

  void error(const std::string& at, std::string message, std::string suggestion = {}) {
    issues_.push_back({at, doc_.at(at), std::move(message), std::move(suggestion)});
  }
  // An error about a member's key (unknown key, bad ID used as a key): points at the key.
  void key_error(const std::string& at, std::string message, std::string suggestion = {}) {
    issues_.push_back({at, doc_.key_at(at), std::move(message), std::move(suggestion)});
  }
  std::vector<ConfigIssue> take_issues() {
    std::stable_sort(issues_.begin(), issues_.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
      return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
    });
    return std::move(issues_);
  }
  Ref ref(const std::string& text, const std::string& at) const { return {text, at, doc_.at(at)}; }
  // A name written as a member's key (a custom field title, a custom status name): points at the key.
  Ref key_ref(const std::string& text, const std::string& at) const { return {text, at, doc_.key_at(at)}; }

  static std::string kind(const boost::json::value& v) {
    switch (v.kind()) {
      case boost::json::kind::null: return "null";
      case boost::json::kind::bool_: return "a boolean";
      case boost::json::kind::int64:
      case boost::json::kind::uint64:
      case boost::json::kind::double_: return "a number";
      case boost::json::kind::string: return "a string";
      case boost::json::kind::array: return "an array";
      case boost::json::kind::object: return "an object";
    }
    return "a value";
  }

  // The object at `at`, or nullptr (with an error when present but not an object).
  const boost::json::object* object(const boost::json::value* v, const std::string& at) {
    if (!v) return nullptr;
    if (!v->is_object()) {
      error(at, "expected an object, found " + kind(*v));
      return nullptr;
    }
    return &v->get_object();
  }
  // Every key must be one of `allowed`; unknown ones get the nearest allowed name.
  void keys(const boost::json::object& o, const std::string& at, const std::vector<std::string>& allowed) {
    for (const auto& kv : o) {
      std::string_view k = kv.key();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        key_error(path::member(at, k), "unknown key \"" + std::string(k) + "\"", nearest_name(k, allowed));
    }
  }
  std::optional<std::string> string(const boost::json::value* v, const std::string& at, bool allow_empty = false) {
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(at, "expected a string, found " + kind(*v));
      return std::nullopt;
    }
    if (!allow_empty && v->get_string().empty()) {
      error(at, "must not be empty");
      return std::nullopt;
    }
    return std::string(v->get_string());
  }
  // A string that must be one of `allowed`.
  std::optional<std::string> choice(const boost::json::value* v, const std::string& at,
                                    const std::vector<std::string>& allowed) {
    auto s = string(v, at);
    if (!s) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      error(at, "\"" + *s + "\" is not one of " + list, nearest_name(*s, allowed));
      return std::nullopt;
    }
    return s;
  }
  std::optional<bool> boolean(const boost::json::value* v, const std::string& at) {
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      error(at, "expected true or false, found " + kind(*v));
      return std::nullopt;
    }
    return v->get_bool();
  }
  std::optional<double> number(const boost::json::value* v, const std::string& at, double lo, double hi) {
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      error(at, "expected a number, found " + kind(*v));
      return std::nullopt;
    }
    double d = v->to_number<double>();
    if (d < lo || d > hi) {
      std::ostringstream m;
      m << "must be between " << lo << " and " << hi << ", found " << d;
      error(at, m.str());
      return std::nullopt;
    }
    return d;
  }
  std::optional<std::int64_t> integer(const boost::json::value* v, const std::string& at, std::int64_t lo,
                                      std::int64_t hi) {
    if (!v) return std::nullopt;
    if (!v->is_int64() && !v->is_uint64()) {
      error(at, "expected a whole number, found " + kind(*v));
      return std::nullopt;
    }
    bool big = v->is_uint64() && v->get_uint64() > static_cast<std::uint64_t>(hi);
    std::int64_t n = v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(v->get_uint64());
    if (big || n < lo || n > hi) {
      error(at, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return std::nullopt;
    }
    return n;
  }
  // A Cascade ID written as a number or a string of digits or letters.
  std::optional<std::string> cascade_id(const boost::json::value* v, const std::string& at) {
    if (!v) return std::nullopt;
    if (v->is_int64() && v->get_int64() > 0) return std::to_string(v->get_int64());
    if (v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
    error(at, "expected a Cascade ID (a positive number or a non-empty string), found " + kind(*v));
    return std::nullopt;
  }
  // A Wrike ID: upper-case letters and digits (16 in real accounts; emulator IDs are the same
  // alphabet).
  std::optional<std::string> wrike_id(const boost::json::value* v, const std::string& at, std::string_view what) {
    auto s = string(v, at);
    if (!s) return std::nullopt;
    if (!valid_wrike_id(*s)) {
      error(at, "\"" + *s + "\" is not a Wrike " + std::string(what) +
                    " ID (8 to 32 letters, digits, '-' or '_', such as IEAAAAAQI4AB5BGU)");
      return std::nullopt;
    }
    return s;
  }
  // Wrike IDs are opaque: most are 16 upper-case letters and digits (IEAAAAAQI4AB5BGU), but
  // space IDs such as MQAAAAEN9xux mix cases and may hold '-' or '_'.
  static bool valid_wrike_id(std::string_view s) {
    return s.size() >= 8 && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
           });
  }
  template <class F>
  void array(const boost::json::value* v, const std::string& at, F&& each) {
    if (!v) return;
    if (!v->is_array()) {
      error(at, "expected an array, found " + kind(*v));
      return;
    }
    std::size_t i = 0;
    for (const auto& e : v->get_array()) {
      each(e, path::element(at, i));
      ++i;
    }
  }

 private:
  const JsoncDocument& doc_;
  std::vector<ConfigIssue> issues_;
};

inline const boost::json::value* get(const boost::json::object* o, std::string_view k) {
  return o ? o->if_contains(k) : nullptr;
}

// A Classic goal verb (objectives' and measures' `action_verb`): one word, at most 25 characters.
inline void read_verb(Reader& r, const boost::json::value* v, const std::string& at, std::string& out) {
  if (auto s = r.string(v, at)) {
    if (utf8_length(*s) > 25 || s->find(' ') != std::string::npos)
      r.error(at, "must be one word of at most 25 characters (Classic's goal `action`)");
    else
      out = *s;
  }
}

inline Placement read_placement(Reader& r, const boost::json::value& v, const std::string& at, Target target) {
  Placement p;
  auto* o = r.object(&v, at);
  if (!o) return p;
  r.keys(*o, at, {"focus_area", "parent_objective", "plan"});
  if (auto n = r.integer(get(o, "focus_area"), path::member(at, "focus_area"), 1, INT64_MAX)) p.focus_area = *n;
  p.parent_objective = r.cascade_id(get(o, "parent_objective"), path::member(at, "parent_objective"));
  p.plan = r.string(get(o, "plan"), path::member(at, "plan"));
  if (p.focus_area && p.parent_objective)
    r.error(at, "give either focus_area or parent_objective, not both");
  if (target == Target::Platform && (p.focus_area || p.parent_objective))
    r.error(at, "the new platform's API cannot place objectives: only \"plan\" applies there");
  if (target == Target::Classic && p.plan)
    r.error(path::member(at, "plan"), "Classic has no plans: place objectives with focus_area or parent_objective");
  return p;
}

inline StatusOutcome read_outcome(Reader& r, const boost::json::value& v, const std::string& at) {
  StatusOutcome s;
  auto* o = r.object(&v, at);
  if (!o) return s;
  r.keys(*o, at, {"progress", "complete", "goal_status", "health", "exclude"});
  s.progress = r.number(get(o, "progress"), path::member(at, "progress"), 0, 100);
  s.complete = r.boolean(get(o, "complete"), path::member(at, "complete"));
  s.goal_status = r.choice(get(o, "goal_status"), path::member(at, "goal_status"), {"APPRO", "DRAFT", "ARCHI"});
  s.health = r.choice(get(o, "health"), path::member(at, "health"), {"on_track", "at_risk", "off_track"});
  s.exclude = r.boolean(get(o, "exclude"), path::member(at, "exclude")).value_or(false);
  return s;
}

inline void read_status_table(Reader& r, const boost::json::value* v, const std::string& at,
                              const std::vector<std::string>& groups, StatusTable& table) {
  auto* o = r.object(v, at);
  if (!o) return;
  r.keys(*o, at, groups);
  for (const auto& kv : *o) {
    std::string k(kv.key());
    auto kat = path::member(at, k);
    if (k == "custom") {
      auto* c = r.object(&kv.value(), kat);
      if (!c) continue;
      for (const auto& ckv : *c) {
        auto cat = path::member(kat, ckv.key());
        table.custom.emplace_back(r.key_ref(std::string(ckv.key()), cat), read_outcome(r, ckv.value(), cat));
      }
    } else if (std::find(groups.begin(), groups.end(), k) != groups.end()) {
      table.groups[k] = read_outcome(r, kv.value(), kat);
    }
  }
}

inline void read_field_maps(Reader& r, const boost::json::value* v, const std::string& at, std::vector<FieldMap>& out) {
  auto* o = r.object(v, at);
  if (!o) return;
  for (const auto& kv : *o) {
    auto kat = path::member(at, kv.key());
    if (kv.key().empty()) r.key_error(kat, "a Wrike custom field title or ID must not be empty");
    if (auto s = r.string(&kv.value(), kat)) out.push_back({r.key_ref(std::string(kv.key()), kat), *s, {}});
  }
}

inline std::set<std::string, std::less<>> read_field_set(Reader& r, const boost::json::value* v, const std::string& at,
                                            const std::vector<std::string>& allowed) {
  if (!v) return {allowed.begin(), allowed.end()};
  std::set<std::string, std::less<>> out;
  r.array(v, at, [&](const boost::json::value& e, const std::string& eat) {
    if (auto s = r.choice(&e, eat, allowed)) out.insert(*s);
  });
  return out;
}

inline Owner read_owner(Reader& r, const boost::json::value& v, const std::string& at) {
  Owner w;
  auto* o = r.object(&v, at);
  if (!o) return w;
  r.keys(*o, at, {"role", "user"});
  if (auto n = r.integer(get(o, "role"), path::member(at, "role"), 1, INT64_MAX)) w.role = *n;
  w.user = r.cascade_id(get(o, "user"), path::member(at, "user"));
  if (w.role && w.user) r.error(at, "give either role or user, not both");
  if (!w.role && !w.user && o->empty()) r.error(at, "give a role or a user");
  return w;
}

}  // namespace config_detail

inline StatusTable MappingConfig::default_project_status() {
  StatusTable t;
  t.groups["Green"].health = "on_track";
  t.groups["Yellow"].health = "at_risk";
  t.groups["Red"].health = "off_track";
  t.groups["Completed"].progress = 100;
  t.groups["Completed"].health = "on_track";
  t.groups["OnHold"];
  t.groups["Cancelled"].goal_status = "ARCHI";
  return t;
}

inline StatusTable MappingConfig::default_task_status() {
  StatusTable t;
  t.groups["Active"].complete = false;
  t.groups["Completed"].complete = true;
  t.groups["Completed"].progress = 100;
  t.groups["Deferred"].complete = false;
  t.groups["Cancelled"].exclude = true;
  return t;
}

inline MappingConfig MappingConfig::parse(std::string text, std::string file) {
  using namespace config_detail;
  auto doc = JsoncDocument::parse(std::move(text), file);
  Reader r(doc);
  MappingConfig c;
  c.file = file;
  c.project_status = default_project_status();
  c.task_status = default_task_status();

  auto* root = r.object(&doc.root(), "");
  if (!root) throw ConfigError(file, r.take_issues());
  r.keys(*root, "", {"wrike", "cascade", "placement", "objectives", "actions", "status", "measures", "owners",
                     "links", "orphans"});

  // wrike
  if (auto* w = r.object(get(root, "wrike"), "wrike")) {
    r.keys(*w, "wrike", {"spaces", "projects", "cascade_id_field"});
    r.array(get(w, "spaces"), "wrike.spaces", [&](const boost::json::value& e, const std::string& at) {
      if (auto id = r.wrike_id(&e, at, "space")) c.spaces.emplace_back(*id);
    });
    r.array(get(w, "projects"), "wrike.projects", [&](const boost::json::value& e, const std::string& at) {
      if (auto id = r.wrike_id(&e, at, "project")) c.projects.emplace_back(*id);
    });
    if (c.spaces.empty() && c.projects.empty() && !get(w, "spaces") && !get(w, "projects"))
      r.error("wrike", "say what to read: \"spaces\" (space IDs) or \"projects\" (project IDs)");
    if (auto s = r.string(get(w, "cascade_id_field"), "wrike.cascade_id_field"))
      c.cascade_id_field = r.ref(*s, "wrike.cascade_id_field");
  } else if (!get(root, "wrike")) {
    r.error("", "missing \"wrike\": say which spaces or projects to read");
  }

  // cascade
  if (auto* k = r.object(get(root, "cascade"), "cascade")) {
    r.keys(*k, "cascade", {"target", "workspace", "plan"});
    if (auto t = r.choice(get(k, "target"), "cascade.target", {"classic", "platform"}))
      c.target = *t == "platform" ? Target::Platform : Target::Classic;
    else if (!get(k, "target"))
      r.error("cascade", "missing \"target\": \"classic\" or \"platform\"");
    c.workspace = r.string(get(k, "workspace"), "cascade.workspace").value_or("");
    c.plan = r.string(get(k, "plan"), "cascade.plan").value_or("");
    if (c.target == Target::Platform && (c.workspace.empty() || c.plan.empty()) && !get(k, "workspace"))
      r.error("cascade", "the platform target needs \"workspace\" and \"plan\"");
    if (c.target == Target::Platform && !c.workspace.empty() && c.plan.empty() && !get(k, "plan"))
      r.error("cascade", "the platform target needs \"plan\"");
    if (c.target == Target::Classic && (get(k, "workspace") || get(k, "plan")))
      r.error(get(k, "workspace") ? "cascade.workspace" : "cascade.plan",
              "\"workspace\" and \"plan\" belong to the platform target; Classic has neither");
  } else if (!get(root, "cascade")) {
    r.error("", "missing \"cascade\": say which Cascade to write to (\"target\")");
  }

  // placement
  if (auto* p = r.object(get(root, "placement"), "placement")) {
    r.keys(*p, "placement", {"default", "spaces", "projects", "nest_subprojects"});
    if (auto* d = get(p, "default")) c.default_placement = read_placement(r, *d, "placement.default", c.target);
    for (auto [key, dest] : {std::pair{"spaces", &c.space_placement}, std::pair{"projects", &c.project_placement}}) {
      std::string at = path::member("placement", key);
      if (auto* m = r.object(get(p, key), at))
        for (const auto& kv : *m) {
          auto kat = path::member(at, kv.key());
          if (!Reader::valid_wrike_id(kv.key()))
            r.key_error(kat, "\"" + std::string(kv.key()) + "\" is not a Wrike ID");
          (*dest)[std::string(kv.key())] = read_placement(r, kv.value(), kat, c.target);
        }
    }
    c.nest_subprojects = r.boolean(get(p, "nest_subprojects"), "placement.nest_subprojects").value_or(true);
  }

  // objectives
  const auto& ofields = objective_field_names();
  c.objectives.fields = {ofields.begin(), ofields.end()};
  if (auto* o = r.object(get(root, "objectives"), "objectives")) {
    r.keys(*o, "objectives", {"fields", "action_verb", "weight", "default_days", "custom_fields"});
    c.objectives.fields = read_field_set(r, get(o, "fields"), "objectives.fields", ofields);
    read_verb(r, get(o, "action_verb"), "objectives.action_verb", c.objectives.action_verb);
    if (auto n = r.integer(get(o, "weight"), "objectives.weight", 1, 4)) c.objectives.weight = static_cast<int>(*n);
    if (auto n = r.integer(get(o, "default_days"), "objectives.default_days", 1, 3660))
      c.objectives.default_days = static_cast<int>(*n);
    read_field_maps(r, get(o, "custom_fields"), "objectives.custom_fields", c.objectives.custom_fields);
  }

  // actions
  const auto& afields = action_field_names();
  c.actions.fields = {afields.begin(), afields.end()};
  if (auto* a = r.object(get(root, "actions"), "actions")) {
    r.keys(*a, "actions", {"fields", "description", "subtasks", "custom_fields"});
    c.actions.fields = read_field_set(r, get(a, "fields"), "actions.fields", afields);
    if (auto d = r.choice(get(a, "description"), "actions.description", {"text", "html", "none"}))
      c.actions.description = *d == "html" ? DescriptionMode::Html : *d == "none" ? DescriptionMode::None : DescriptionMode::Text;
    if (auto s = r.choice(get(a, "subtasks"), "actions.subtasks", {"actions", "checks", "skip"}))
      c.actions.subtasks = *s == "checks" ? SubtaskMode::Checks : *s == "skip" ? SubtaskMode::Skip : SubtaskMode::Actions;
    read_field_maps(r, get(a, "custom_fields"), "actions.custom_fields", c.actions.custom_fields);
  }

  // status
  if (auto* s = r.object(get(root, "status"), "status")) {
    r.keys(*s, "status", {"projects", "tasks"});
    read_status_table(r, get(s, "projects"), "status.projects", project_status_names(), c.project_status);
    read_status_table(r, get(s, "tasks"), "status.tasks", task_status_names(), c.task_status);
  }

  // measures
  r.array(get(root, "measures"), "measures", [&](const boost::json::value& e, const std::string& at) {
    auto* o = r.object(&e, at);
    if (!o) return;
    r.keys(*o, at, {"name", "from", "value_field", "target_field", "initial_field", "target", "initial", "direction",
                    "action_verb"});
    MeasureRule m;
    m.name = r.string(get(o, "name"), path::member(at, "name")).value_or("");
    if (auto f = r.choice(get(o, "from"), path::member(at, "from"), {"projects", "tasks"}))
      m.from = *f == "projects" ? MeasureSource::Projects : MeasureSource::Tasks;
    else if (!get(o, "from"))
      r.error(at, "missing \"from\": \"projects\" or \"tasks\"");
    if (auto f = r.string(get(o, "value_field"), path::member(at, "value_field")))
      m.value_field = r.ref(*f, path::member(at, "value_field"));
    else if (!get(o, "value_field"))
      r.error(at, "missing \"value_field\": the numeric Wrike custom field that holds the value");
    if (auto f = r.string(get(o, "target_field"), path::member(at, "target_field")))
      m.target_field = r.ref(*f, path::member(at, "target_field"));
    if (auto f = r.string(get(o, "initial_field"), path::member(at, "initial_field")))
      m.initial_field = r.ref(*f, path::member(at, "initial_field"));
    m.target = r.number(get(o, "target"), path::member(at, "target"), -1e15, 1e15);
    m.initial = r.number(get(o, "initial"), path::member(at, "initial"), -1e15, 1e15);
    if (m.target && m.target_field) r.error(at, "give either target or target_field, not both");
    if (m.initial && m.initial_field) r.error(at, "give either initial or initial_field, not both");
    if (auto d = r.choice(get(o, "direction"), path::member(at, "direction"), {"up", "down", "none"}))
      m.direction = *d == "up" ? "OVER" : *d == "down" ? "UNDER" : "NONE";
    read_verb(r, get(o, "action_verb"), path::member(at, "action_verb"), m.action_verb);
    if (!m.value_field.text.empty()) c.measures.push_back(std::move(m));
  });

  // owners
  if (auto* o = r.object(get(root, "owners"), "owners")) {
    r.keys(*o, "owners", {"directory", "overrides"});
    if (auto* d = r.object(get(o, "directory"), "owners.directory"))
      for (const auto& kv : *d) {
        auto at = path::member("owners.directory", kv.key());
        if (kv.key().find('@') == std::string_view::npos)
          r.key_error(at, "\"" + std::string(kv.key()) + "\" is not an email address");
        c.owner_directory[ascii_lower(kv.key())] = read_owner(r, kv.value(), at);
      }
    if (auto* d = r.object(get(o, "overrides"), "owners.overrides"))
      for (const auto& kv : *d) {
        auto at = path::member("owners.overrides", kv.key());
        std::string k(kv.key());
        if (k.find('@') == std::string::npos && !Reader::valid_wrike_id(k))
          r.key_error(at, "\"" + k + "\" is neither an email address nor a Wrike contact ID");
        c.owner_overrides[k.find('@') == std::string::npos ? k : ascii_lower(k)] = read_owner(r, kv.value(), at);
      }
  }

  // links
  if (auto* l = r.object(get(root, "links"), "links"))
    for (const auto& kv : *l) {
      auto at = path::member("links", kv.key());
      std::string k(kv.key());
      auto slash = k.find('/');
      if (!Reader::valid_wrike_id(k.substr(0, slash)) ||
          (slash != std::string::npos && !Reader::valid_wrike_id(k.substr(slash + 1))))
        r.key_error(at, "\"" + k + "\" is not a Wrike ID (or PROJECT_ID/FIELD_ID for a project measure)");
      if (auto id = r.cascade_id(&kv.value(), at)) c.links[k] = *id;
    }

  if (auto o = r.choice(get(root, "orphans"), "orphans", {"keep", "delete"}))
    c.orphans = *o == "delete" ? OrphanPolicy::Delete : OrphanPolicy::Keep;

  auto issues = r.take_issues();
  if (!issues.empty()) throw ConfigError(file, std::move(issues));
  return c;
}

inline MappingConfig MappingConfig::load(const std::string& file_path) {
  std::ifstream in(file_path, std::ios::binary);
  if (!in) throw ConfigError(file_path, {ConfigIssue{"", {}, "cannot open the file", ""}});
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw ConfigError(file_path, {ConfigIssue{"", {}, "cannot read the file", ""}});
  return parse(std::move(text), file_path);
}

inline void MappingConfig::resolve(const wrike::CustomFieldIndex& index, const std::vector<wrike::Workflow>& workflows) {
  std::vector<ConfigIssue> issues;
  std::vector<std::string> titles;
  for (const auto& d : index.definitions()) titles.push_back(d.title);

  // A field by ID or by title; a title shared by several fields is an error naming their IDs.
  auto field = [&](const Ref& ref, bool numeric) -> std::optional<wrike::CustomFieldId> {
    const wrike::CustomField* def = index.find(wrike::CustomFieldId{ref.text});
    if (!def) {
      auto matches = index.find_by_title(ref.text);
      if (matches.size() > 1) {
        std::string ids;
        for (auto* m : matches) ids += (ids.empty() ? "" : ", ") + m->id.str();
        issues.push_back({ref.path, ref.pos,
                          "\"" + ref.text + "\" is the title of " + std::to_string(matches.size()) +
                              " custom fields (" + ids + "); name one by its ID",
                          ""});
        return std::nullopt;
      }
      if (matches.empty()) {
        issues.push_back({ref.path, ref.pos, "no Wrike custom field has the ID or title \"" + ref.text + "\"",
                          nearest_name(ref.text, titles)});
        return std::nullopt;
      }
      def = matches.front();
    }
    if (numeric) {
      auto t = def->type.value();
      using T = wrike::CustomFieldType;
      if (t != T::Numeric && t != T::Currency && t != T::Percentage && t != T::CalculatedNumeric) {
        issues.push_back({ref.path, ref.pos,
                          "\"" + def->title + "\" is a " + def->type.str() +
                              " field; a measure needs a Numeric, Currency, Percentage or CalculatedNumeric field",
                          ""});
        return std::nullopt;
      }
    }
    return def->id;
  };

  if (cascade_id_field) cascade_id_field_id = field(*cascade_id_field, false);
  for (auto* maps : {&objectives.custom_fields, &actions.custom_fields})
    for (auto& m : *maps)
      if (auto id = field(m.wrike_field, false)) m.id = *id;
  for (auto& m : measures) {
    if (auto id = field(m.value_field, true)) m.value_id = *id;
    if (m.target_field) m.target_id = field(*m.target_field, true);
    if (m.initial_field) m.initial_id = field(*m.initial_field, true);
  }

  // Custom statuses by ID or name. A name used by several workflows means all of them.
  std::vector<std::string> status_names;
  custom_status_group.clear();
  for (const auto& w : workflows)
    for (const auto& s : w.custom_statuses.value_or(std::vector<wrike::CustomStatus>{})) {
      status_names.push_back(s.name);
      if (s.group) custom_status_group[s.id.str()] = s.group->str();
    }
  for (auto* table : {&project_status, &task_status}) {
    table->custom_by_id.clear();
    for (const auto& [ref, outcome] : table->custom) {
      bool found = false;
      for (const auto& w : workflows)
        for (const auto& s : w.custom_statuses.value_or(std::vector<wrike::CustomStatus>{}))
          if (s.id.str() == ref.text || s.name == ref.text) {
            table->custom_by_id[s.id.str()] = outcome;
            found = true;
          }
      if (!found)
        issues.push_back({ref.path, ref.pos, "no Wrike workflow has a custom status with the ID or name \"" + ref.text + "\"",
                          nearest_name(ref.text, status_names)});
    }
  }

  if (!issues.empty()) {
    std::stable_sort(issues.begin(), issues.end(), [](const ConfigIssue& a, const ConfigIssue& b) {
      return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
    });
    throw ConfigError(file, std::move(issues));
  }
  resolved = true;
}

}  // namespace wrike_cascade::mapping
