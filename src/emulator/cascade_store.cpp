// CascadeStore: the Cascade emulator's data, its deterministic generator and JSON loading.
#include <wrike_cascade/emulator/cascade_store.hpp>

#include "cascade_internal.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <sstream>
#include <stdexcept>

namespace wrike_cascade::emulator {

namespace json = boost::json;
using namespace cascade_detail;

std::string_view to_string(ClassicKind k) noexcept {
  switch (k) {
    case ClassicKind::goal: return "goal";
    case ClassicKind::task: return "task";
    case ClassicKind::issue: return "issue";
    case ClassicKind::update: return "update";
  }
  return "goal";
}

namespace cascade_detail {

const std::vector<std::string_view>& classic_keys(ClassicKind k) {
  static const std::vector<std::string_view> goal{
      "id", "role_id", "creator_id", "status", "completion_criteria", "target_flow", "action", "details",
      "initial", "progress", "target", "start_time", "end_time", "weight_id", "is_private", "tracking_type",
      "created_at", "updated_at", "entity_template_id", "direct_focus_area_ids", "aligned_to_ids",
      "custom_attributes"};
  static const std::vector<std::string_view> task{
      "id", "task", "comment", "created_at", "is_complete", "completed_at", "updated_at", "user_id", "role_id",
      "completed_user_id", "goal_id", "start_date", "due_date", "weight_id", "entity_template_id",
      "custom_attributes"};
  static const std::vector<std::string_view> issue{
      "id", "issue", "is_critical", "is_resolved", "created_at", "user_id", "role_id", "goal_id", "due_date",
      "entity_template_id", "custom_attributes"};
  static const std::vector<std::string_view> update{
      "id", "type", "comment", "created_at", "updated_at", "user_id", "goal_id", "deleted", "entity_template_id",
      "custom_attributes"};
  switch (k) {
    case ClassicKind::goal: return goal;
    case ClassicKind::task: return task;
    case ClassicKind::issue: return issue;
    case ClassicKind::update: return update;
  }
  return goal;
}

FieldKind classic_field_kind(std::string_view key) {
  static const std::set<std::string_view> ids{"id", "role_id", "creator_id", "user_id", "completed_user_id",
                                              "goal_id", "entity_template_id"};
  static const std::set<std::string_view> lists{"direct_focus_area_ids", "inherited_focus_area_ids",
                                                "aligned_from_ids", "aligned_to_ids", "ancestor_ids",
                                                "descendant_ids", "issue_ids", "task_ids"};
  static const std::set<std::string_view> bools{"is_private", "is_complete", "is_critical", "is_resolved", "deleted"};
  static const std::set<std::string_view> numbers{"initial", "progress", "target"};
  static const std::set<std::string_view> dates{"start_time", "end_time", "created_at", "updated_at",
                                                "completed_at", "start_date", "due_date"};
  static const std::set<std::string_view> texts{"action", "details", "title", "task", "comment", "issue", "type",
                                                "status", "completion_criteria", "target_flow", "tracking_type"};
  if (ids.count(key)) return FieldKind::id;
  if (lists.count(key)) return FieldKind::id_list;
  if (bools.count(key)) return FieldKind::boolean;
  if (numbers.count(key)) return FieldKind::number;
  if (key == "weight_id") return FieldKind::integer;
  if (dates.count(key)) return FieldKind::date;
  if (texts.count(key)) return FieldKind::text;
  if (key == "custom_attributes") return FieldKind::object;
  return FieldKind::other;
}

json::object new_classic_record(ClassicKind k, std::int64_t id, const std::string& now) {
  json::object o;
  for (auto key : classic_keys(k)) o[key] = nullptr;
  o["id"] = id;
  o["created_at"] = now;
  if (o.contains("updated_at")) o["updated_at"] = now;
  o["custom_attributes"] = json::object();
  switch (k) {
    case ClassicKind::goal:
      o["status"] = "DRAFT";
      o["completion_criteria"] = "TARGET-REACHED";
      o["target_flow"] = "OVER";
      o["tracking_type"] = "MANUAL";
      o["weight_id"] = 3;
      o["is_private"] = 0;
      o["initial"] = 0;
      o["progress"] = 0;
      o["direct_focus_area_ids"] = json::array();
      o["aligned_to_ids"] = json::array();
      break;
    case ClassicKind::task: o["is_complete"] = 0; break;
    case ClassicKind::issue:
      o["is_critical"] = 0;
      o["is_resolved"] = 0;
      break;
    case ClassicKind::update:
      o["type"] = "comment";
      o["deleted"] = 0;
      break;
  }
  return o;
}

}  // namespace cascade_detail

// ---- CascadeData --------------------------------------------------------------------------

namespace {

template <class Map>
void index_int(const std::vector<json::object>& v, Map& m) {
  m.clear();
  m.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) m[v[i].at("id").as_int64()] = i;
}

template <class Map>
void index_str(const std::vector<json::object>& v, Map& m) {
  m.clear();
  m.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) m[std::string(v[i].at("id").as_string())] = i;
}

}  // namespace

void CascadeData::reindex() {
  index_int(users, user_index);
  index_int(roles, role_index);
  index_int(focus_areas, focus_area_index);
  index_int(goals, goal_index);
  index_int(tasks, task_index);
  index_int(issues, issue_index);
  index_int(updates, update_index);
  index_str(workspaces, workspace_index);
  index_str(plans, plan_index);
  index_str(measures, measure_index);
  index_str(actions, action_index);
}

std::vector<json::object>& CascadeData::records(ClassicKind k) {
  switch (k) {
    case ClassicKind::goal: return goals;
    case ClassicKind::task: return tasks;
    case ClassicKind::issue: return issues;
    case ClassicKind::update: return updates;
  }
  return goals;
}

const std::vector<json::object>& CascadeData::records(ClassicKind k) const {
  return const_cast<CascadeData*>(this)->records(k);
}

std::unordered_map<std::int64_t, std::size_t>& CascadeData::index(ClassicKind k) {
  switch (k) {
    case ClassicKind::goal: return goal_index;
    case ClassicKind::task: return task_index;
    case ClassicKind::issue: return issue_index;
    case ClassicKind::update: return update_index;
  }
  return goal_index;
}

const std::unordered_map<std::int64_t, std::size_t>& CascadeData::index(ClassicKind k) const {
  return const_cast<CascadeData*>(this)->index(k);
}

const json::object* CascadeData::find(ClassicKind k, std::int64_t id) const {
  const auto& idx = index(k);
  auto it = idx.find(id);
  return it == idx.end() ? nullptr : &records(k)[it->second];
}

json::object* CascadeData::find(ClassicKind k, std::int64_t id) {
  auto& idx = index(k);
  auto it = idx.find(id);
  return it == idx.end() ? nullptr : &records(k)[it->second];
}

// ---- generator ------------------------------------------------------------------------------

namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(mix(seed ^ 0x5ca1ab1eull)) {}
  std::uint64_t next() { return mix(state_++); }
  int below(int n) { return n <= 0 ? 0 : static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))]; }

 private:
  std::uint64_t state_;
};

std::string uuid(Rng& r) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  const std::uint64_t a = r.next(), b = r.next();
  for (int i = 0; i < 32; ++i) {
    const std::uint64_t w = i < 16 ? a : b;
    int nibble = static_cast<int>((w >> ((i % 16) * 4)) & 15);
    if (i == 12) nibble = 4;                    // version 4
    if (i == 16) nibble = 8 | (nibble & 3);     // variant
    out += hex[nibble];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

std::string base62(Rng& r, int n) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < n; ++i) out += alphabet[r.next() % 62];
  return out;
}

const std::vector<std::string> kFirst{"Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances"};
const std::vector<std::string> kLast{"Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen"};
const std::vector<std::string> kRoles{"Chief Executive", "Head of Sales", "Head of Product", "Head of Operations",
                                      "Finance Lead", "People Lead", "Marketing Lead", "Engineering Lead"};
const std::vector<std::string> kFocus{"Customer Excellence", "Operational Efficiency", "People & Culture",
                                      "Sustainable Growth", "Product Leadership", "Financial Health"};
const std::vector<std::string> kVerbs{"Increase", "Reduce", "Launch", "Improve", "Deliver", "Grow", "Expand", "Achieve"};
const std::vector<std::string> kObjects{"annual recurring revenue", "customer churn", "the partner programme",
                                        "onboarding time", "net promoter score", "gross margin",
                                        "the EMEA pipeline", "employee engagement"};
const std::vector<std::string> kTaskWords{"Draft", "Review", "Ship", "Plan", "Audit", "Prepare", "Hire for", "Automate"};
const std::vector<std::string> kTaskObjects{"the pricing page", "Q3 forecast", "customer interviews", "the roadmap",
                                            "support playbook", "the data pipeline", "quarterly review", "OKR sync"};

std::string name_of(const json::object& o) { return std::string(o.at("name").as_string()); }

}  // namespace

struct CascadeStore::Impl {
  mutable std::shared_mutex mutex;
  CascadeData data;
  std::function<std::chrono::system_clock::time_point()> clock;
};

namespace {

void generate_into(CascadeData& d, const CascadeGeneratorOptions& g) {
  d = CascadeData{};
  Rng r(g.seed);
  const auto now_instant = parse_instant(g.now);
  if (!now_instant) throw std::invalid_argument("CascadeGeneratorOptions::now: not a date/time: " + g.now);
  const std::int64_t now = now_instant->secs;
  auto past = [&](int max_days) { return now - static_cast<std::int64_t>(r.below(max_days * 86400)); };
  const std::int64_t year_start = *parse_ymd(format_ymd(now).substr(0, 4) + "-01-01") * 86400;

  for (int i = 0; i < g.users; ++i) {
    const auto& first = kFirst[static_cast<std::size_t>(i) % kFirst.size()];
    const auto& last = kLast[static_cast<std::size_t>(i * 3 + 1) % kLast.size()];
    d.users.push_back(json::object{{"id", i + 1},
                                   {"name", first + " " + last},
                                   {"email", ascii_lower(first) + "." + ascii_lower(last) + "@example.com"}});
  }
  for (int i = 0; i < g.roles; ++i) {
    json::object role{{"id", 101 + i}, {"name", kRoles[static_cast<std::size_t>(i) % kRoles.size()]}};
    role["user_id"] = g.users > 0 ? json::value(1 + i % g.users) : json::value(nullptr);
    d.roles.push_back(std::move(role));
  }
  for (int i = 0; i < g.focus_areas; ++i) {
    d.focus_areas.push_back(json::object{{"id", 11 + i}, {"name", kFocus[static_cast<std::size_t>(i) % kFocus.size()]}});
  }
  auto role_id = [&]() -> json::value { return g.roles > 0 ? json::value(101 + r.below(g.roles)) : json::value(nullptr); };
  auto user_id = [&]() -> json::value { return g.users > 0 ? json::value(1 + r.below(g.users)) : json::value(nullptr); };

  auto make_goal = [&](const json::array& focus, const json::array& parents) {
    const std::int64_t id = d.next_goal_id++;
    const std::int64_t created = past(360);
    json::object o = new_classic_record(ClassicKind::goal, id, format_iso(created));
    o["updated_at"] = format_iso(std::min(now, created + r.below(60) * 86400));
    o["role_id"] = role_id();
    o["creator_id"] = user_id();
    static const std::vector<std::string> statuses{"APPRO", "APPRO", "APPRO", "DRAFT", "ARCHI"};
    o["status"] = r.pick(statuses);
    o["completion_criteria"] = r.below(4) == 0 ? "TARGET-DEADLINE-REACHED" : "TARGET-REACHED";
    o["target_flow"] = r.below(5) == 0 ? "UNDER" : "OVER";
    o["action"] = r.pick(kVerbs);
    o["details"] = r.pick(kObjects) + " by " + std::to_string(5 + r.below(40)) + "%";
    const int initial = r.below(50);
    const int target = initial + 10 + r.below(90);
    o["initial"] = initial;
    o["target"] = target;
    o["progress"] = initial + r.below(target - initial + 1);
    if (r.below(3) == 0) o["progress"] = static_cast<double>(o["progress"].as_int64()) + 0.5;
    o["start_time"] = format_ymd(year_start + r.below(90) * 86400);
    o["end_time"] = format_ymd(year_start + (180 + r.below(180)) * 86400);
    o["weight_id"] = 1 + r.below(4);
    o["is_private"] = r.below(6) == 0 ? 1 : 0;
    o["tracking_type"] = r.below(4) == 0 ? "TASKS" : "MANUAL";
    o["entity_template_id"] = 1;
    o["direct_focus_area_ids"] = focus;
    o["aligned_to_ids"] = parents;
    if (r.below(2) == 0) o["custom_attributes"] = json::object{{"CA1573011270001", r.below(5) + 1}};
    d.goals.push_back(std::move(o));
    return id;
  };
  auto make_children = [&](std::int64_t goal_id) {
    for (int t = 0; t < g.tasks_per_goal; ++t) {
      const std::int64_t id = d.next_task_id++;
      const std::int64_t created = past(300);
      json::object o = new_classic_record(ClassicKind::task, id, format_iso(created));
      o["updated_at"] = format_iso(std::min(now, created + r.below(30) * 86400));
      o["task"] = r.pick(kTaskWords) + " " + r.pick(kTaskObjects);
      o["comment"] = r.below(3) == 0 ? json::value(nullptr) : json::value("Notes for task " + std::to_string(id));
      o["user_id"] = user_id();
      o["role_id"] = role_id();
      o["goal_id"] = goal_id;
      const std::int64_t start = year_start + r.below(200) * 86400;
      o["start_date"] = format_ymd(start);
      o["due_date"] = format_ymd(start + (7 + r.below(60)) * 86400);
      o["weight_id"] = 1 + r.below(4);
      o["entity_template_id"] = 2;
      if (r.below(3) == 0) {
        o["is_complete"] = 1;
        o["completed_at"] = o["updated_at"];
        o["completed_user_id"] = o["user_id"];
      }
      d.tasks.push_back(std::move(o));
    }
    for (int t = 0; t < g.issues_per_goal; ++t) {
      const std::int64_t id = d.next_issue_id++;
      json::object o = new_classic_record(ClassicKind::issue, id, format_iso(past(200)));
      static const std::vector<std::string> risks{"Key supplier may miss the deadline", "Budget not yet approved",
                                                  "Hiring is behind plan", "Data quality is unknown"};
      o["issue"] = r.pick(risks);
      o["is_critical"] = r.below(3) == 0 ? 1 : 0;
      o["is_resolved"] = r.below(4) == 0 ? 1 : 0;
      o["user_id"] = user_id();
      o["role_id"] = role_id();
      o["goal_id"] = goal_id;
      o["due_date"] = format_ymd(year_start + (100 + r.below(200)) * 86400);
      o["entity_template_id"] = 3;
      o["custom_attributes"] = json::object{{"CA1573011281053", 1 + r.below(5)}, {"CA1573011296755", 1 + r.below(5)}};
      d.issues.push_back(std::move(o));
    }
    for (int t = 0; t < g.updates_per_goal; ++t) {
      const std::int64_t id = d.next_update_id++;
      const std::int64_t created = past(100);
      json::object o = new_classic_record(ClassicKind::update, id, format_iso(created));
      o["updated_at"] = o["created_at"];
      o["comment"] = "Progress is " + std::string(r.below(2) ? "on track" : "behind plan") + " (update " +
                     std::to_string(id) + ")";
      o["user_id"] = user_id();
      o["goal_id"] = goal_id;
      o["entity_template_id"] = 4;
      d.updates.push_back(std::move(o));
    }
  };
  for (int i = 0; i < g.goals; ++i) {
    json::array focus;
    if (g.focus_areas > 0) {
      focus.push_back(11 + i % g.focus_areas);
      if (g.focus_areas > 1 && i % 3 == 2) focus.push_back(11 + (i + 1) % g.focus_areas);
    }
    const auto parent = make_goal(focus, json::array());
    make_children(parent);
    for (int c = 0; c < g.child_goals_per_goal; ++c) {
      const auto child = make_goal(json::array(), json::array{parent});
      make_children(child);
    }
  }
  // Keep the Classic collections in ID order (goals were created parent, children, parent, ...
  // which already is ID order; tasks/issues/updates too).

  // ---- new platform ----
  static const std::vector<std::string> ws_names{"Acme Strategy", "Acme EMEA", "Globex Group", "Initech Labs"};
  static const std::vector<std::string> plan_names{"FY25 Company Plan", "Customer Success Plan", "Product Strategy",
                                                   "Operations Excellence", "People Plan"};
  static const std::vector<std::string> measure_names{"Net revenue retention", "Monthly active users",
                                                      "Cost per acquisition", "Employee NPS", "Gross margin %",
                                                      "Tickets resolved in SLA"};
  static const std::vector<std::string> action_names{"Launch onboarding revamp", "Roll out new CRM",
                                                     "Run leadership offsite", "Migrate billing system",
                                                     "Publish hiring plan", "Open Berlin office"};
  const int total_ws = g.workspaces + g.foreign_workspaces;
  for (int w = 0; w < total_ws; ++w) {
    json::object ws{{"id", "org_" + base62(r, 16)}, {"displayName", ws_names[static_cast<std::size_t>(w) % ws_names.size()]}};
    const bool member = w < g.workspaces;
    if (!member) ws["member"] = false;
    const std::string ws_id(ws["id"].as_string());
    d.workspaces.push_back(std::move(ws));
    for (int p = 0; p < g.plans_per_workspace; ++p) {
      json::object plan;
      plan["id"] = uuid(r);
      plan["name"] = plan_names[static_cast<std::size_t>(p) % plan_names.size()];
      plan["workspaceId"] = ws_id;
      plan["owner"] = g.users > 0 ? name_of(d.users[static_cast<std::size_t>(r.below(g.users))]) : "Owner";
      json::array collaborators;
      for (int c = 0; c < std::min(2, g.users); ++c)
        collaborators.push_back(json::value(d.users[static_cast<std::size_t>((p + c + 1) % g.users)].at("email")));
      plan["collaborators"] = std::move(collaborators);
      plan["team"] = kRoles[static_cast<std::size_t>(p) % kRoles.size()] + " team";
      const std::string plan_id(plan["id"].as_string());
      d.plans.push_back(std::move(plan));
      for (int m = 0; m < g.measures_per_plan; ++m) {
        json::object measure;
        measure["id"] = uuid(r);
        measure["name"] = measure_names[static_cast<std::size_t>(m) % measure_names.size()];
        measure["workspaceId"] = ws_id;
        measure["planId"] = plan_id;
        measure["currentValue"] = r.below(1000);
        measure["historicalData"] = json::array();
        d.measures.push_back(std::move(measure));
      }
      for (int a = 0; a < g.actions_per_plan; ++a) {
        json::object action;
        action["id"] = uuid(r);
        action["workspaceId"] = ws_id;
        action["name"] = action_names[static_cast<std::size_t>(a) % action_names.size()];
        action["planId"] = plan_id;
        action["progress"] = r.below(101);
        d.actions.push_back(std::move(action));
      }
    }
  }
  d.reindex();
}

// ---- loading ------------------------------------------------------------------------------

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::runtime_error("cascade data: " + where + ": " + what);
}

std::int64_t to_id(const json::value& v, const std::string& where) {
  if (v.is_int64() && v.get_int64() > 0) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() > 0 && v.get_uint64() < (1ull << 62)) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_string()) {
    const std::string_view s = v.get_string();
    if (!s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const auto n = std::stoll(std::string(s));
      if (n > 0) return n;
    }
  }
  bad(where, "expected a positive integer ID, got " + json::serialize(v));
}

json::value normalise_field(std::string_view key, const json::value& v, const std::string& where) {
  if (v.is_null()) return nullptr;
  switch (classic_field_kind(key)) {
    case FieldKind::id:
      if (v.is_string() && v.get_string().empty()) return nullptr;
      return to_id(v, where);
    case FieldKind::id_list: {
      if (!v.is_array()) bad(where, "expected an array of IDs");
      json::array out;
      for (const auto& e : v.get_array()) out.push_back(to_id(e, where));
      return out;
    }
    case FieldKind::boolean:
      if (v.is_bool()) return v.get_bool() ? 1 : 0;
      if (v.is_int64() && (v.get_int64() == 0 || v.get_int64() == 1)) return v.get_int64();
      if (v.is_string()) {
        const std::string_view s = v.get_string();
        if (s == "1" || s == "true") return 1;
        if (s == "0" || s == "false") return 0;
        if (s.empty()) return nullptr;
      }
      bad(where, "expected 0/1 or a boolean, got " + json::serialize(v));
    case FieldKind::number:
      if (v.is_number()) return v;
      if (v.is_string()) {
        try {
          std::size_t pos = 0;
          const std::string s(v.get_string());
          const double d = std::stod(s, &pos);
          if (pos == s.size()) return d;
        } catch (const std::exception&) {
        }
      }
      bad(where, "expected a number, got " + json::serialize(v));
    case FieldKind::integer:
      if (v.is_int64()) return v;
      return to_id(v, where);
    case FieldKind::date: {
      if (v.is_int64()) return json::value(format_iso(v.get_int64()));
      if (!v.is_string()) bad(where, "expected a date, got " + json::serialize(v));
      if (v.get_string().empty()) return nullptr;
      auto t = parse_instant(v.get_string());
      if (!t) bad(where, "not Unix time or ISO 8601: " + json::serialize(v));
      return json::value(format_canonical(*t));
    }
    case FieldKind::object:
      if (v.is_array() && v.get_array().empty()) return json::object();
      if (!v.is_object()) bad(where, "expected an object");
      return v;
    default: return v;
  }
}

void load_classic(CascadeData& d, ClassicKind k, const json::array& arr, const std::string& name,
                  std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>>& aligned_from) {
  auto& out = d.records(k);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    const auto* o = arr[i].if_object();
    if (!o) bad(where, "expected an object");
    if (!o->contains("id")) bad(where, "no \"id\"");
    const std::int64_t id = to_id(o->at("id"), where + ".id");
    json::object rec = new_classic_record(k, id, "1970-01-01T00:00:00Z");
    for (auto key : classic_keys(k)) {
      if (key == "id" || key == "created_at" || key == "updated_at") continue;
      rec[key] = key == "custom_attributes" ? json::value(json::object()) : json::value(nullptr);
    }
    rec["created_at"] = nullptr;
    if (rec.contains("updated_at")) rec["updated_at"] = nullptr;
    // Start from the API defaults for the enums and flags, then take what the file says.
    const json::object defaults = new_classic_record(k, id, "1970-01-01T00:00:00Z");
    for (const char* key : {"status", "completion_criteria", "target_flow", "tracking_type", "weight_id",
                            "is_private", "is_complete", "is_critical", "is_resolved", "type", "deleted",
                            "direct_focus_area_ids", "aligned_to_ids"})
      if (defaults.contains(key)) rec[key] = defaults.at(key);
    for (const auto& [key, value] : *o) {
      const std::string field = where + "." + std::string(key);
      if (k == ClassicKind::goal && key == "aligned_from_ids") {
        if (auto n = normalise_field(key, value, field); n.is_array()) {
          std::vector<std::int64_t> kids;
          for (const auto& e : n.as_array()) kids.push_back(e.as_int64());
          aligned_from.emplace_back(id, std::move(kids));
        }
        continue;
      }
      if (!rec.contains(key)) continue;  // derived or unknown: dropped
      rec[key] = normalise_field(key, value, field);
      if (key == "id") rec[key] = id;
    }
    out.push_back(std::move(rec));
  }
  std::sort(out.begin(), out.end(),
            [](const json::object& a, const json::object& b) { return a.at("id").as_int64() < b.at("id").as_int64(); });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].at("id") == out[i - 1].at("id")) bad(name, "duplicate id " + json::serialize(out[i].at("id")));
}

void load_plain_int(std::vector<json::object>& out, const json::array& arr, const std::string& name) {
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    const auto* o = arr[i].if_object();
    if (!o || !o->contains("id")) bad(where, "expected an object with an \"id\"");
    json::object rec = *o;
    rec["id"] = to_id(o->at("id"), where + ".id");
    out.push_back(std::move(rec));
  }
}

void load_platform(std::vector<json::object>& out, const json::array& arr, const std::string& name,
                   std::initializer_list<const char*> required) {
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    const auto* o = arr[i].if_object();
    if (!o) bad(where, "expected an object");
    json::object rec = *o;
    auto as_string_id = [&](const char* key) {
      const auto* v = rec.if_contains(key);
      if (!v) bad(where, std::string("no \"") + key + "\"");
      if (v->is_int64()) rec[key] = std::to_string(v->get_int64());
      else if (!v->is_string() || v->get_string().empty()) bad(where + "." + key, "expected a non-empty string ID");
    };
    as_string_id("id");
    for (const char* key : required) as_string_id(key);
    out.push_back(std::move(rec));
  }
}

void load_into(CascadeData& d, const json::value& v) {
  const auto* root = v.if_object();
  if (!root) bad("(top level)", "expected an object");
  d = CascadeData{};
  auto arr = [&](const char* key) -> const json::array* {
    const auto* x = root->if_contains(key);
    if (!x || x->is_null()) return nullptr;
    if (!x->is_array()) bad(key, "expected an array");
    return &x->get_array();
  };
  if (auto* a = arr("users")) load_plain_int(d.users, *a, "users");
  if (auto* a = arr("roles")) load_plain_int(d.roles, *a, "roles");
  if (auto* a = arr("focus_areas")) load_plain_int(d.focus_areas, *a, "focus_areas");
  std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> aligned_from;
  if (auto* a = arr("goals")) load_classic(d, ClassicKind::goal, *a, "goals", aligned_from);
  if (auto* a = arr("tasks")) load_classic(d, ClassicKind::task, *a, "tasks", aligned_from);
  if (auto* a = arr("issues")) load_classic(d, ClassicKind::issue, *a, "issues", aligned_from);
  if (auto* a = arr("updates")) load_classic(d, ClassicKind::update, *a, "updates", aligned_from);
  if (auto* a = arr("workspaces")) load_platform(d.workspaces, *a, "workspaces", {});
  if (auto* a = arr("plans")) load_platform(d.plans, *a, "plans", {"workspaceId"});
  if (auto* a = arr("measures")) load_platform(d.measures, *a, "measures", {"workspaceId", "planId"});
  if (auto* a = arr("actions")) load_platform(d.actions, *a, "actions", {"workspaceId", "planId"});
  d.reindex();
  for (const auto& [parent, kids] : aligned_from) {
    for (auto kid : kids) {
      auto* child = d.find(ClassicKind::goal, kid);
      if (!child) bad("goals", "aligned_from_ids of goal " + std::to_string(parent) + " names unknown goal " + std::to_string(kid));
      auto& to = (*child)["aligned_to_ids"];
      if (!to.is_array()) to = json::array();
      if (std::find(to.as_array().begin(), to.as_array().end(), json::value(parent)) == to.as_array().end())
        to.as_array().push_back(parent);
    }
  }
  auto next = [](const std::vector<json::object>& v, std::int64_t start) {
    return v.empty() ? start : std::max(start, v.back().at("id").as_int64() + 1);
  };
  d.next_goal_id = next(d.goals, 1001);
  d.next_task_id = next(d.tasks, 20001);
  d.next_issue_id = next(d.issues, 3001);
  d.next_update_id = next(d.updates, 4001);
}

json::value to_value(const CascadeData& d) {
  json::object o;
  auto put = [&](const char* key, const std::vector<json::object>& v) {
    json::array a;
    a.reserve(v.size());
    for (const auto& x : v) a.push_back(x);
    o[key] = std::move(a);
  };
  put("users", d.users);
  put("roles", d.roles);
  put("focus_areas", d.focus_areas);
  put("goals", d.goals);
  put("tasks", d.tasks);
  put("issues", d.issues);
  put("updates", d.updates);
  put("workspaces", d.workspaces);
  put("plans", d.plans);
  put("measures", d.measures);
  put("actions", d.actions);
  return o;
}

}  // namespace

// ---- CascadeStore -------------------------------------------------------------------------

CascadeStore::CascadeStore() : impl_(std::make_unique<Impl>()) {}

CascadeStore::CascadeStore(const CascadeGeneratorOptions& g) : CascadeStore() { generate(g); }

CascadeStore::~CascadeStore() = default;

void CascadeStore::generate(const CascadeGeneratorOptions& g) {
  CascadeData d;
  generate_into(d, g);
  std::unique_lock lock(impl_->mutex);
  const auto gen = impl_->data.generation;
  impl_->data = std::move(d);
  impl_->data.generation = gen + 1;
}

void CascadeStore::load_json(const json::value& v) {
  CascadeData d;
  load_into(d, v);
  std::unique_lock lock(impl_->mutex);
  const auto gen = impl_->data.generation;
  impl_->data = std::move(d);
  impl_->data.generation = gen + 1;
}

void CascadeStore::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cascade data: cannot read " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec) throw std::runtime_error("cascade data: " + file.string() + " is not JSON: " + ec.message());
  try {
    load_json(v);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

std::string CascadeStore::to_json() const {
  std::shared_lock lock(impl_->mutex);
  return json::serialize(to_value(impl_->data));
}

void CascadeStore::save(const std::filesystem::path& file) const {
  const auto text = to_json();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cascade data: cannot write " + file.string());
  out << text << '\n';
  if (!out) throw std::runtime_error("cascade data: cannot write " + file.string());
}

void CascadeStore::read(const std::function<void(const CascadeData&)>& f) const {
  std::shared_lock lock(impl_->mutex);
  f(impl_->data);
}

void CascadeStore::write(const std::function<void(CascadeData&)>& f) {
  std::unique_lock lock(impl_->mutex);
  f(impl_->data);
  ++impl_->data.generation;
}

std::optional<json::object> CascadeStore::record(ClassicKind k, std::int64_t id) const {
  std::shared_lock lock(impl_->mutex);
  const auto* o = impl_->data.find(k, id);
  if (!o) return std::nullopt;
  return *o;
}

std::vector<std::int64_t> CascadeStore::ids(ClassicKind k) const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::int64_t> out;
  for (const auto& o : impl_->data.records(k)) out.push_back(o.at("id").as_int64());
  return out;
}

std::size_t CascadeStore::count(ClassicKind k) const {
  std::shared_lock lock(impl_->mutex);
  return impl_->data.records(k).size();
}

std::vector<std::int64_t> CascadeStore::focus_area_ids() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::int64_t> out;
  for (const auto& o : impl_->data.focus_areas) out.push_back(o.at("id").as_int64());
  return out;
}

std::vector<std::int64_t> CascadeStore::role_ids() const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::int64_t> out;
  for (const auto& o : impl_->data.roles) out.push_back(o.at("id").as_int64());
  return out;
}

namespace {

bool is_member(const json::object& ws) {
  const auto* m = ws.if_contains("member");
  return !m || !m->is_bool() || m->get_bool();
}

std::vector<std::string> ids_where(const std::vector<json::object>& v, const char* key, std::string_view value) {
  std::vector<std::string> out;
  for (const auto& o : v) {
    const auto* x = o.if_contains(key);
    if (x && x->is_string() && x->get_string() == value) out.emplace_back(o.at("id").as_string());
  }
  return out;
}

template <class Map>
std::optional<json::object> by_id(const std::vector<json::object>& v, const Map& idx, std::string_view id) {
  auto it = idx.find(std::string(id));
  if (it == idx.end()) return std::nullopt;
  return v[it->second];
}

}  // namespace

std::vector<std::string> CascadeStore::workspace_ids(bool members_only) const {
  std::shared_lock lock(impl_->mutex);
  std::vector<std::string> out;
  for (const auto& w : impl_->data.workspaces)
    if (!members_only || is_member(w)) out.emplace_back(w.at("id").as_string());
  return out;
}

std::vector<std::string> CascadeStore::plan_ids(std::string_view ws) const {
  std::shared_lock lock(impl_->mutex);
  return ids_where(impl_->data.plans, "workspaceId", ws);
}

std::vector<std::string> CascadeStore::measure_ids(std::string_view plan) const {
  std::shared_lock lock(impl_->mutex);
  return ids_where(impl_->data.measures, "planId", plan);
}

std::vector<std::string> CascadeStore::action_ids(std::string_view plan) const {
  std::shared_lock lock(impl_->mutex);
  return ids_where(impl_->data.actions, "planId", plan);
}

std::optional<json::object> CascadeStore::workspace(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  return by_id(impl_->data.workspaces, impl_->data.workspace_index, id);
}
std::optional<json::object> CascadeStore::plan(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  return by_id(impl_->data.plans, impl_->data.plan_index, id);
}
std::optional<json::object> CascadeStore::measure(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  return by_id(impl_->data.measures, impl_->data.measure_index, id);
}
std::optional<json::object> CascadeStore::action(std::string_view id) const {
  std::shared_lock lock(impl_->mutex);
  return by_id(impl_->data.actions, impl_->data.action_index, id);
}

namespace {

template <class ImplT>
std::int64_t add_record(ImplT& impl, ClassicKind k, std::optional<std::int64_t> goal_id,
                        const json::object& fields, const std::string& now) {
  std::unique_lock lock(impl.mutex);
  auto& d = impl.data;
  if (goal_id && !d.find(ClassicKind::goal, *goal_id))
    throw std::invalid_argument("cascade store: no goal " + std::to_string(*goal_id));
  std::int64_t* counter = k == ClassicKind::goal ? &d.next_goal_id
                          : k == ClassicKind::task ? &d.next_task_id
                          : k == ClassicKind::issue ? &d.next_issue_id
                                                    : &d.next_update_id;
  const std::int64_t id = (*counter)++;
  json::object rec = new_classic_record(k, id, now);
  if (k == ClassicKind::goal) {
    rec["action"] = "Achieve";
    rec["details"] = "goal " + std::to_string(id);
    rec["start_time"] = now.substr(0, 10);
    rec["end_time"] = now.substr(0, 10);
  } else if (k == ClassicKind::task) {
    rec["task"] = "Task " + std::to_string(id);
  } else if (k == ClassicKind::issue) {
    rec["issue"] = "Risk " + std::to_string(id);
  } else {
    rec["comment"] = "Update " + std::to_string(id);
  }
  if (goal_id) rec["goal_id"] = *goal_id;
  for (const auto& [key, value] : fields)
    if (key != "id") rec[key] = value;
  d.records(k).push_back(std::move(rec));
  d.index(k)[id] = d.records(k).size() - 1;
  ++d.generation;
  return id;
}

}  // namespace

std::int64_t CascadeStore::add_goal(json::object fields) {
  return add_record(*impl_, ClassicKind::goal, std::nullopt, fields, now());
}
std::int64_t CascadeStore::add_task(std::int64_t goal_id, json::object fields) {
  return add_record(*impl_, ClassicKind::task, goal_id, fields, now());
}
std::int64_t CascadeStore::add_issue(std::int64_t goal_id, json::object fields) {
  return add_record(*impl_, ClassicKind::issue, goal_id, fields, now());
}
std::int64_t CascadeStore::add_update(std::int64_t goal_id, json::object fields) {
  return add_record(*impl_, ClassicKind::update, goal_id, fields, now());
}

void CascadeStore::set_clock(std::function<std::chrono::system_clock::time_point()> clock) {
  std::unique_lock lock(impl_->mutex);
  impl_->clock = std::move(clock);
}

std::string CascadeStore::now() const {
  std::function<std::chrono::system_clock::time_point()> c;
  {
    std::shared_lock lock(impl_->mutex);
    c = impl_->clock;
  }
  auto t = c ? c() : std::chrono::system_clock::now();
  return format_time_point(std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace wrike_cascade::emulator
