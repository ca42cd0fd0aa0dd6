// The Cascade Classic API v2 routes (cascade-api.md §3; the Swagger file
// cascade-openapi-classic-v2.json): strict request checks, offset/limit paging, the filters,
// and the response dialects.
#include "cascade_internal.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <variant>

namespace wrike_cascade::emulator::cascade_detail {

namespace {

// ---- the resources ------------------------------------------------------------------------

enum class T { id, id_list, bool01, number, weight, text, text_enum, date, custom_attributes };

struct FieldSpec {
  std::string_view name;
  T type;
  std::vector<std::string_view> values{};  // text_enum
  std::size_t max_len = 0;                 // text: code points; 0 = no limit
  bool non_empty = false;                  // text: at least one character
};

struct Resource {
  ClassicKind kind;
  std::string_view singular, plural, scope, label, create_op, update_op;
  std::vector<FieldSpec> create_fields, update_fields;
  std::vector<std::string_view> required;
  std::vector<std::string_view> filters;  // besides id, offset, limit
};

const std::vector<std::string_view> kStatus{"APPRO", "DRAFT", "ARCHI"};
const std::vector<std::string_view> kCriteria{"TARGET-REACHED", "TARGET-DEADLINE-REACHED"};
const std::vector<std::string_view> kFlow{"OVER", "UNDER", "NONE"};
const std::vector<std::string_view> kTracking{"MANUAL", "SUBGOAL-SUM", "SUBGOAL-MEAN", "WEIGHTED-MEAN", "TASKS"};

std::vector<FieldSpec> goal_fields(bool update) {
  std::vector<FieldSpec> f{
      {"role_id", T::id},
      {"creator_id", T::id},
      {"status", T::text_enum, kStatus},
      {"completion_criteria", T::text_enum, kCriteria},
      {"target_flow", T::text_enum, kFlow},
      {"action", T::text, {}, 25, true},
      {"details", T::text, {}, 300, true},
      {"initial", T::number},
      {"progress", T::number},
      {"target", T::number},
      {"start_time", T::date},
      {"end_time", T::date},
      {"weight_id", T::weight},
      {"is_private", T::bool01},
      {"tracking_type", T::text_enum, kTracking},
      {"entity_template_id", T::id},
      {"direct_focus_area_ids", T::id_list},
  };
  if (update) f.push_back({"inherited_focus_area_ids", T::id_list});
  f.push_back({"aligned_from_ids", T::id_list});
  f.push_back({"aligned_to_ids", T::id_list});
  return f;
}

std::vector<FieldSpec> task_fields() {
  return {{"task", T::text, {}, 0, true}, {"comment", T::text}, {"is_complete", T::bool01}, {"role_id", T::id},
          {"goal_id", T::id},  {"start_date", T::date}, {"due_date", T::date},    {"weight_id", T::weight},
          {"entity_template_id", T::id}};
}

std::vector<FieldSpec> issue_fields(bool update) {
  std::vector<FieldSpec> f{{"issue", T::text, {}, 0, true}, {"is_critical", T::bool01}, {"is_resolved", T::bool01},
                           {"role_id", T::id}};
  if (!update) f.push_back({"goal_id", T::id});
  f.push_back({"due_date", T::date});
  f.push_back({"entity_template_id", T::id});
  f.push_back({"custom_attributes", T::custom_attributes});
  return f;
}

const std::vector<Resource>& resources() {
  static const std::vector<Resource> r{
      {ClassicKind::goal, "goal", "goals", "Goals", "Goal", "Create-goal", "Update-goal", goal_fields(false),
       goal_fields(true), {"action", "details", "end_time", "start_time", "weight_id"},
       {"role_id", "creator_id", "status", "completion_criteria", "target_flow", "action", "detail"}},
      {ClassicKind::task, "task", "tasks", "Tasks", "Task", "Create-task", "Update-task", task_fields(), task_fields(),
       {"goal_id", "task"}, {"goal_id", "role_id", "is_complete"}},
      {ClassicKind::issue, "issue", "issues", "Issues", "Issue", "Create-risk", "Update-risk", issue_fields(false),
       issue_fields(true), {"goal_id", "issue"}, {"goal_id", "role_id", "is_critical", "is_resolved"}},
      {ClassicKind::update, "update", "updates", "Updates", "Update", "Create-update", "Update-update",
       {{"comment", T::text, {}, 0, true}, {"goal_id", T::id}, {"entity_template_id", T::id}},
       {{"comment", T::text, {}, 0, true},
        {"created_at", T::date},
        {"updated_at", T::date},
        {"goal_id", T::id},
        {"deleted", T::bool01},
        {"entity_template_id", T::id}},
       {"comment", "goal_id"}, {"goal_id"}},
  };
  return r;
}

std::string join(const std::vector<std::string_view>& v, std::string_view sep = ", ") {
  std::string out;
  for (auto x : v) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

std::string shown(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

// ---- request checks -------------------------------------------------------------------------

class Problems {
 public:
  void add(std::string field, std::string problem) { list_.emplace_back(std::move(field), std::move(problem)); }
  bool empty() const { return list_.empty(); }
  Response response(int status) const {
    std::string message;
    for (const auto& [f, p] : list_) {
      if (!message.empty()) message += "; ";
      message += f + " " + p;
    }
    return classic_error(status, message, list_);
  }

 private:
  FieldErrors list_;
};

bool is_int32_id(const json::value& v) {
  if (v.is_int64()) return v.get_int64() > 0 && v.get_int64() <= std::numeric_limits<std::int32_t>::max();
  if (v.is_uint64()) return v.get_uint64() > 0 && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
  return false;
}

std::int64_t int_of(const json::value& v) { return v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64()); }

bool is_ca_key(std::string_view k) {
  return k.size() == 15 && k.substr(0, 2) == "CA" &&
         std::all_of(k.begin() + 2, k.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_field(const FieldSpec& f, const json::value& v, const std::string& path, Problems& p) {
  switch (f.type) {
    case T::id:
      if (!is_int32_id(v)) p.add(path, "must be a positive integer ID (got " + shown(v) + ")");
      return;
    case T::id_list:
      if (!v.is_array()) {
        p.add(path, "must be an array of integer IDs (got " + shown(v) + ")");
        return;
      }
      for (std::size_t i = 0; i < v.get_array().size(); ++i)
        if (!is_int32_id(v.get_array()[i]))
          p.add(path + "[" + std::to_string(i) + "]", "must be a positive integer ID (got " + shown(v.get_array()[i]) + ")");
      return;
    case T::bool01:
      if (!(v.is_int64() || v.is_uint64()) || (int_of(v) != 0 && int_of(v) != 1))
        p.add(path, "must be 0 or 1 (got " + shown(v) + ")");
      return;
    case T::number:
      if (!v.is_number() || (v.is_double() && !std::isfinite(v.get_double())))
        p.add(path, "must be a number (got " + shown(v) + ")");
      return;
    case T::weight:
      if (!(v.is_int64() || v.is_uint64()) || int_of(v) < 1 || int_of(v) > 4)
        p.add(path, "must be one of 1, 2, 3, 4 (got " + shown(v) + ")");
      return;
    case T::text:
      if (!v.is_string()) {
        p.add(path, "must be a string (got " + shown(v) + ")");
      } else if (f.non_empty && v.get_string().empty()) {
        p.add(path, "must not be empty");
      } else if (f.max_len && code_points(v.get_string()) > f.max_len) {
        p.add(path, "must be at most " + std::to_string(f.max_len) + " characters (got " +
                        std::to_string(code_points(v.get_string())) + ")");
      }
      return;
    case T::text_enum:
      if (!v.is_string() || std::find(f.values.begin(), f.values.end(), std::string_view(v.get_string())) == f.values.end())
        p.add(path, "must be one of " + join(f.values) + " (got " + shown(v) + ")");
      return;
    case T::date:
      if (!v.is_string() || !parse_instant(v.get_string()))
        p.add(path, "must be a date string in Unix time or ISO 8601 format (got " + shown(v) + ")");
      return;
    case T::custom_attributes:
      if (!v.is_object()) {
        p.add(path, "must be an object of custom attribute values (got " + shown(v) + ")");
        return;
      }
      for (const auto& [k, x] : v.get_object()) {
        if (!is_ca_key(k)) p.add(path + "." + std::string(k), "is not a custom attribute key (\"CA\" and 13 digits)");
        else if (x.is_object() || x.is_array()) p.add(path + "." + std::string(k), "must be a string, number or null");
      }
      return;
  }
}

// Parses and checks a write body; on success `out` is the wrapped object.
std::optional<Response> check_body(const Request& r, const Resource& res, bool create, json::object& out) {
  const std::string op(create ? res.create_op : res.update_op);
  const std::string wrapper(res.singular);
  const std::string shape = "{\"" + wrapper + "\": {...}}";
  if (auto ct = r.header("Content-Type"); !ct || ascii_lower(*ct).find("json") == std::string::npos) {
    return classic_error(415, "Content-Type must be application/json (" + op + " takes " + shape + ")");
  }
  if (r.body.empty()) return classic_error(400, "The request body is empty: " + op + " takes " + shape, {{wrapper, "is required"}});
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec) return classic_error(400, "The request body is not valid JSON: " + ec.message());
  if (!v.is_object()) return classic_error(400, "The request body must be a JSON object: " + shape, {{wrapper, "is required"}});
  auto& top = v.get_object();
  Problems p;
  const auto* inner = top.if_contains(wrapper);
  if (!inner) {
    std::string keys;
    for (const auto& [k, x] : top) keys += (keys.empty() ? "" : ", ") + std::string(k);
    p.add(wrapper, "is required: " + op + " takes " + shape +
                       (keys.empty() ? std::string() : " (the body's top-level keys are: " + keys + ")"));
    return p.response(400);
  }
  for (const auto& [k, x] : top)
    if (k != wrapper) p.add(std::string(k), "is not allowed at the top level: " + op + " takes " + shape);
  if (!inner->is_object()) {
    p.add(wrapper, "must be an object (got " + shown(*inner) + ")");
    return p.response(400);
  }
  const auto& fields = create ? res.create_fields : res.update_fields;
  const auto& obj = inner->get_object();
  for (const auto& [k, x] : obj) {
    auto it = std::find_if(fields.begin(), fields.end(), [&](const FieldSpec& f) { return f.name == k; });
    const std::string path = wrapper + "." + std::string(k);
    if (it == fields.end()) {
      p.add(path, "is not a field of " + op);
      continue;
    }
    if (x.is_null()) {
      p.add(path, "must not be null");
      continue;
    }
    check_field(*it, x, path, p);
  }
  if (create)
    for (auto req : res.required)
      if (!obj.contains(req)) p.add(wrapper + "." + std::string(req), "is required");
  if (!p.empty()) return p.response(400);
  out = obj;
  return std::nullopt;
}

// ---- rendering ----------------------------------------------------------------------------

struct GoalGraph {
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children, parents, tasks, issues;
  std::unordered_map<std::int64_t, std::pair<int, int>> task_done;  // goal -> (complete, total)

  explicit GoalGraph(const CascadeData& d) {
    for (const auto& g : d.goals) {
      const auto id = g.at("id").as_int64();
      if (const auto* to = g.if_contains("aligned_to_ids"); to && to->is_array()) {
        for (const auto& p : to->get_array()) {
          parents[id].push_back(p.as_int64());
          children[p.as_int64()].push_back(id);
        }
      }
    }
    for (const auto& t : d.tasks) {
      const auto& gid = t.at("goal_id");
      if (!gid.is_int64()) continue;
      tasks[gid.get_int64()].push_back(t.at("id").as_int64());
      auto& c = task_done[gid.get_int64()];
      ++c.second;
      if (t.at("is_complete") == json::value(1)) ++c.first;
    }
    for (const auto& i : d.issues) {
      const auto& gid = i.at("goal_id");
      if (gid.is_int64()) issues[gid.get_int64()].push_back(i.at("id").as_int64());
    }
  }

  std::vector<std::int64_t> closure(std::int64_t id, bool up) const {
    const auto& edges = up ? parents : children;
    std::set<std::int64_t> seen;
    std::vector<std::int64_t> stack{id};
    while (!stack.empty()) {
      const auto x = stack.back();
      stack.pop_back();
      auto it = edges.find(x);
      if (it == edges.end()) continue;
      for (auto y : it->second)
        if (y != id && seen.insert(y).second) stack.push_back(y);
    }
    return {seen.begin(), seen.end()};
  }
};

json::array sorted_ids(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  json::array a;
  for (auto x : v) a.push_back(x);
  return a;
}

// The canonical API form of a record (stored keys + the derived goal fields).
json::object api_record(const CascadeData& d, ClassicKind k, const json::object& rec, const GoalGraph* graph) {
  if (k != ClassicKind::goal || !graph) return rec;
  const auto id = rec.at("id").as_int64();
  json::object o;
  for (const auto& [key, v] : rec) {
    o[key] = v;
    if (key == "details") {
      std::string title;
      if (rec.at("action").is_string()) title = std::string(rec.at("action").as_string());
      if (rec.at("details").is_string()) title += (title.empty() ? "" : " ") + std::string(rec.at("details").as_string());
      o["title"] = title;
    }
  }
  auto get = [](const auto& m, std::int64_t key) {
    auto it = m.find(key);
    return it == m.end() ? std::vector<std::int64_t>{} : it->second;
  };
  const auto ancestors = graph->closure(id, true);
  std::vector<std::int64_t> inherited;
  if (!get(graph->parents, id).empty()) {
    for (auto a : ancestors)
      if (const auto* g = d.find(ClassicKind::goal, a))
        if (const auto* f = g->if_contains("direct_focus_area_ids"); f && f->is_array())
          for (const auto& x : f->get_array()) inherited.push_back(x.as_int64());
  }
  o["inherited_focus_area_ids"] = sorted_ids(inherited);
  o["aligned_from_ids"] = sorted_ids(get(graph->children, id));
  o["ancestor_ids"] = sorted_ids(ancestors);
  o["descendant_ids"] = sorted_ids(graph->closure(id, false));
  o["issue_ids"] = sorted_ids(get(graph->issues, id));
  o["task_ids"] = sorted_ids(get(graph->tasks, id));
  if (rec.at("tracking_type") == json::value("TASKS")) {
    auto it = graph->task_done.find(id);
    if (it != graph->task_done.end() && it->second.second > 0)
      o["progress"] = std::round(10000.0 * it->second.first / it->second.second) / 100.0;
  }
  return o;
}

json::value mixed_value(FieldKind kind, const json::value& v, std::uint64_t salt) {
  const auto pick = [&](int n) { return static_cast<int>(mix(salt) % static_cast<std::uint64_t>(n)); };
  if (v.is_null()) {
    if (kind == FieldKind::text || kind == FieldKind::other || kind == FieldKind::object) return nullptr;
    return pick(2) ? json::value("") : json::value(nullptr);
  }
  switch (kind) {
    case FieldKind::id:
      return pick(2) ? json::value(std::to_string(v.as_int64())) : v;
    case FieldKind::id_list: {
      json::array a;
      std::uint64_t s = salt;
      for (const auto& e : v.as_array()) a.push_back(mix(++s) % 3 == 0 ? json::value(std::to_string(e.as_int64())) : e);
      return a;
    }
    case FieldKind::boolean: {
      const bool b = v.as_int64() != 0;
      switch (pick(4)) {
        case 0: return v;
        case 1: return b ? "1" : "0";
        case 2: return b;
        default: return b ? "true" : "false";
      }
    }
    case FieldKind::number:
      return pick(2) ? json::value(json::serialize(v)) : v;
    case FieldKind::integer:
      return pick(3) == 0 ? json::value(json::serialize(v)) : v;
    case FieldKind::date: {
      const auto t = parse_instant(v.as_string());
      if (!t) return v;
      if (t->date_only) {
        switch (pick(3)) {
          case 0: return v;
          case 1: return t->secs;
          default: return json::value(std::to_string(t->secs));
        }
      }
      switch (pick(6)) {
        case 0: return v;
        case 1: return json::value(format_with_offset(t->secs, 120));
        case 2: return json::value(format_with_offset(t->secs, -330));
        case 3: return t->secs;
        case 4: return json::value(std::to_string(t->secs));
        default: return json::value(format_sql(t->secs));
      }
    }
    case FieldKind::object:
      if (v.is_object() && v.get_object().empty()) return json::array();
      return v;
    default: return v;
  }
}

json::object in_dialect(const json::object& rec, ClassicDialect dialect) {
  if (dialect == ClassicDialect::canonical) return rec;
  json::object o;
  o.reserve(rec.size());
  const auto id = rec.at("id").is_int64() ? rec.at("id").as_int64() : 0;
  std::uint64_t field = 0;
  for (const auto& [key, v] : rec) {
    ++field;
    const auto kind = classic_field_kind(key);
    if (dialect == ClassicDialect::swagger) {
      if (kind == FieldKind::date && v.is_string()) {
        const auto t = parse_instant(v.as_string());
        o[key] = t && !t->date_only ? json::value(format_sql(t->secs)) : v;
      } else {
        o[key] = v;
      }
      continue;
    }
    o[key] = mixed_value(kind, v, static_cast<std::uint64_t>(id) * 131 + field);
  }
  return o;
}

// ---- the service --------------------------------------------------------------------------

class Classic {
 public:
  explicit Classic(Service& s) : s_(s) {}

  // The handlers share ownership of the Classic object.
  static void install(Server& server, const std::shared_ptr<Classic>& self) {
    auto& s = self->s_;
    for (const auto& res : resources()) {
      const std::string base = "/api/v2/" + std::string(res.plural);
      const Resource* rp = &res;
      server.route("GET", base, s.recorded("main", [self, rp](const Request& r) { return self->list(r, *rp); }));
      server.route("POST", base, s.recorded("main", [self, rp](const Request& r) { return self->create(r, *rp); }));
      server.route("GET", base + "/{id}", s.recorded("main", [self, rp](const Request& r) { return self->get(r, *rp); }));
      server.route("PUT", base + "/{id}", s.recorded("main", [self, rp](const Request& r) { return self->update(r, *rp); }));
      server.route("DELETE", base + "/{id}",
                   s.recorded("main", [self, rp](const Request& r) { return self->remove(r, *rp); }));
    }
  }

 private:
  // 401/403, or the token.
  std::variant<Response, ClassicToken> authenticate(const Request& r, const Resource& res) const {
    const auto h = r.header("Authorization");
    if (!h) {
      return classic_error(401, "Unauthenticated: send the API token as \"Authorization: Bearer <token>\"");
    }
    if (r.bearer_token.empty()) {
      return classic_error(401, "Unauthenticated: the Authorization header must be \"Bearer <token>\"");
    }
    auto tok = s_.classic_token(r.bearer_token);
    if (!tok) return classic_error(401, "Unauthenticated: the API token is not valid (unknown or revoked)");
    if (std::find(tok->scopes.begin(), tok->scopes.end(), res.scope) == tok->scopes.end()) {
      return classic_error(403, "This action is unauthorized: the API token does not have the " +
                                    std::string(res.scope) + " scope");
    }
    if (auto accept = r.header("Accept")) {
      const auto a = ascii_lower(*accept);
      if (a.find("json") == std::string::npos && a.find("*/*") == std::string::npos &&
          a.find("application/*") == std::string::npos)
        return classic_error(406, "Not acceptable: the API answers application/json (Accept: " + std::string(*accept) + ")");
    }
    return *tok;
  }

  static std::optional<std::int64_t> path_id(const Request& r) {
    const auto s = r.path_param("id");
    if (s.empty() || s.size() > 10 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    const auto v = std::stoll(std::string(s));
    if (v <= 0 || v > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
    return v;
  }

  static Response not_found(const Resource& res, std::string_view id) {
    return classic_error(404, std::string(res.label) + " " + std::string(id) + " not found");
  }

  Response wrap_single(const Resource& res, json::object rec, ClassicDialect dialect, int status) const {
    json::object body;
    const auto id = rec.at("id").is_int64() ? rec.at("id").as_int64() : 0;
    const bool plural = dialect == ClassicDialect::mixed && (id % 2 == 1);
    body[plural ? res.plural : res.singular] = in_dialect(rec, dialect);
    return json_response(status, body);
  }

  // ---- GET list ----
  Response list(const Request& r, const Resource& res) {
    auto auth = authenticate(r, res);
    if (auto* e = std::get_if<Response>(&auth)) return *e;
    const auto settings = s_.settings();
    const bool rows = settings.offset_mode == ClassicOffsetMode::row_offset;

    Problems p;
    std::set<std::int64_t> ids;
    bool have_ids = false;
    int offset = rows ? 0 : 1;
    int limit = settings.default_limit;
    std::vector<std::pair<std::string, std::string>> filters;
    std::set<std::string> seen;
    auto parse_int = [&](const std::string& name, const std::string& v, int min, int& out) {
      if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        p.add(name, "must be an integer (got \"" + v.substr(0, 40) + "\")");
        return;
      }
      out = std::stoi(v);
      if (out < min) p.add(name, "must be at least " + std::to_string(min));
    };
    for (const auto& [k, v] : r.query_params) {
      if (!seen.insert(k).second) {
        p.add(k, "is given more than once (send several IDs comma-separated in one id parameter)");
        continue;
      }
      if (k == "id") {
        have_ids = true;
        std::string_view rest = v;
        while (true) {
          const auto comma = rest.find(',');
          std::string part(rest.substr(0, comma));
          if (part.empty() || part.size() > 10 || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
              std::stoll(part) <= 0) {
            p.add("id", "must be comma-separated positive integer IDs (got \"" + v.substr(0, 60) + "\")");
            break;
          }
          ids.insert(std::stoll(part));
          if (comma == std::string_view::npos) break;
          rest.remove_prefix(comma + 1);
        }
      } else if (k == "offset") {
        parse_int("offset", v, rows ? 0 : 1, offset);
      } else if (k == "limit") {
        parse_int("limit", v, 1, limit);
        if (settings.max_limit > 0 && limit > settings.max_limit)
          p.add("limit", "must be at most " + std::to_string(settings.max_limit));
      } else if (std::find(res.filters.begin(), res.filters.end(), k) != res.filters.end()) {
        filters.emplace_back(k, v);
      } else {
        std::vector<std::string_view> all{"id", "offset", "limit"};
        all.insert(all.end(), res.filters.begin(), res.filters.end());
        p.add(k, "is not a filter of GET /" + std::string(res.plural) + " (it takes " + join(all) + ")");
      }
    }
    // Filter values.
    std::vector<std::function<bool(const json::object&)>> preds;
    for (const auto& [k, v] : filters) {
      const auto kind = k == "detail" ? FieldKind::text : classic_field_kind(k);
      if (kind == FieldKind::id) {
        if (v.empty() || v.size() > 10 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          p.add(k, "must be an integer ID (got \"" + v.substr(0, 40) + "\")");
          continue;
        }
        const json::value want(std::stoll(v));
        preds.push_back([key = k, want](const json::object& o) { return o.at(key) == want; });
      } else if (kind == FieldKind::boolean) {
        if (v != "0" && v != "1") {
          p.add(k, "must be 0 or 1 (got \"" + v.substr(0, 40) + "\")");
          continue;
        }
        const json::value want(v == "1" ? 1 : 0);
        preds.push_back([key = k, want](const json::object& o) { return o.at(key) == want; });
      } else if (k == "status" || k == "completion_criteria" || k == "target_flow") {
        const auto& allowed = k == "status" ? kStatus : k == "completion_criteria" ? kCriteria : kFlow;
        if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
          p.add(k, "must be one of " + join(allowed) + " (got \"" + v.substr(0, 40) + "\")");
          continue;
        }
        const json::value want(v);
        preds.push_back([key = k, want](const json::object& o) { return o.at(key) == want; });
      } else {  // action, detail: case-insensitive substring
        const std::size_t max = k == "action" ? 25 : 300;
        if (code_points(v) > max) {
          p.add(k, "must be at most " + std::to_string(max) + " characters");
          continue;
        }
        const std::string key = k == "detail" ? "details" : k;
        preds.push_back([key, needle = ascii_lower(v)](const json::object& o) {
          const auto& x = o.at(key);
          return x.is_string() && ascii_lower(x.get_string()).find(needle) != std::string::npos;
        });
      }
    }
    if (!p.empty()) return p.response(400);

    const std::int64_t first = rows ? static_cast<std::int64_t>(offset)
                                    : static_cast<std::int64_t>(offset - 1) * static_cast<std::int64_t>(limit);
    json::array items;
    s_.store.read([&](const CascadeData& d) {
      std::optional<GoalGraph> graph;
      if (res.kind == ClassicKind::goal) graph.emplace(d);
      std::int64_t matched = 0;
      for (const auto& rec : d.records(res.kind)) {
        if (have_ids && !ids.count(rec.at("id").as_int64())) continue;
        if (!std::all_of(preds.begin(), preds.end(), [&](const auto& f) { return f(rec); })) continue;
        if (matched++ < first) continue;
        if (static_cast<std::int64_t>(items.size()) >= limit) break;
        items.push_back(in_dialect(api_record(d, res.kind, rec, graph ? &*graph : nullptr), settings.dialect));
      }
    });
    json::object body;
    switch (settings.dialect) {
      case ClassicDialect::canonical: body[res.plural] = std::move(items); break;
      case ClassicDialect::swagger:
        body[res.kind == ClassicKind::task ? res.plural : res.singular] = std::move(items);
        break;
      case ClassicDialect::mixed: {
        const std::size_t n = items.size();
        body[offset % 2 == 1 ? res.plural : res.singular] = std::move(items);
        body["meta"] = json::object{{"offset", offset}, {"limit", limit}, {"count", n}};
        break;
      }
    }
    return json_response(200, body);
  }

  // ---- GET one ----
  Response get(const Request& r, const Resource& res) {
    auto auth = authenticate(r, res);
    if (auto* e = std::get_if<Response>(&auth)) return *e;
    const auto id = path_id(r);
    if (!id) return not_found(res, r.path_param("id"));
    const auto dialect = s_.settings().dialect;
    std::optional<json::object> rec;
    s_.store.read([&](const CascadeData& d) {
      if (const auto* o = d.find(res.kind, *id)) {
        std::optional<GoalGraph> graph;
        if (res.kind == ClassicKind::goal) graph.emplace(d);
        rec = api_record(d, res.kind, *o, graph ? &*graph : nullptr);
      }
    });
    if (!rec) return not_found(res, r.path_param("id"));
    return wrap_single(res, std::move(*rec), dialect, 200);
  }

  // ---- semantic checks and applying a write (store lock held) ----

  static bool exists_or_unmanaged(const std::vector<json::object>& v, const std::unordered_map<std::int64_t, std::size_t>& idx,
                                  std::int64_t id) {
    return v.empty() || idx.count(id) > 0;
  }

  // Returns 422 problems; applies `in` to `rec` when there are none.
  static void apply(CascadeData& d, const Resource& res, const json::object& in, json::object& rec, bool create,
                    const ClassicToken& tok, const std::string& now, Problems& p) {
    const std::string w(res.singular);
    const auto id = rec.at("id").as_int64();
    auto check_ref = [&](std::string_view key, bool ok, const std::string& what) {
      if (!ok) p.add(w + "." + std::string(key), "refers to " + what + " that does not exist");
    };
    for (const auto& [k, v] : in) {
      if (k == "role_id") check_ref(k, exists_or_unmanaged(d.roles, d.role_index, int_of(v)), "role " + std::to_string(int_of(v)));
      if (k == "creator_id") check_ref(k, exists_or_unmanaged(d.users, d.user_index, int_of(v)), "user " + std::to_string(int_of(v)));
      if (k == "goal_id") check_ref(k, d.find(ClassicKind::goal, int_of(v)) != nullptr, "goal " + std::to_string(int_of(v)));
      if (k == "direct_focus_area_ids")
        for (const auto& f : v.as_array())
          check_ref(k, exists_or_unmanaged(d.focus_areas, d.focus_area_index, int_of(f)), "focus area " + std::to_string(int_of(f)));
      if (k == "aligned_to_ids" || k == "aligned_from_ids")
        for (const auto& g : v.as_array()) {
          if (int_of(g) == id) p.add(w + "." + std::string(k), "must not name the goal itself");
          else check_ref(k, d.find(ClassicKind::goal, int_of(g)) != nullptr, "goal " + std::to_string(int_of(g)));
        }
    }
    if (!p.empty()) return;

    // The record after the change.
    json::object next = rec;
    for (const auto& [k, v] : in) {
      if (k == "inherited_focus_area_ids" || k == "aligned_from_ids") continue;  // derived / applied below
      const auto kind = classic_field_kind(k);
      if (kind == FieldKind::date) {
        next[k] = format_canonical(*parse_instant(v.as_string()));
      } else if (kind == FieldKind::id || kind == FieldKind::boolean || kind == FieldKind::integer) {
        next[k] = int_of(v);
      } else if (kind == FieldKind::id_list) {
        std::vector<std::int64_t> ids;
        for (const auto& e : v.as_array()) ids.push_back(int_of(e));
        next[k] = sorted_ids(ids);
      } else if (k == "custom_attributes") {
        auto& ca = next[k];
        if (!ca.is_object()) ca = json::object();
        for (const auto& [ck, cv] : v.as_object()) {
          if (cv.is_null()) ca.as_object().erase(ck);
          else ca.as_object()[ck] = cv;
        }
      } else {
        next[k] = v;
      }
    }

    // Dates in order.
    auto before = [&](std::string_view a, std::string_view b) {
      const auto& x = next.if_contains(a);
      const auto& y = next.if_contains(b);
      if (!x || !y || !x->is_string() || !y->is_string()) return;
      const auto tx = parse_instant(x->as_string()), ty = parse_instant(y->as_string());
      if (tx && ty && tx->secs > ty->secs)
        p.add(w + "." + std::string(b), "must not be before " + w + "." + std::string(a) + " (" +
                                            std::string(x->as_string()) + " > " + std::string(y->as_string()) + ")");
    };
    if (res.kind == ClassicKind::goal) before("start_time", "end_time");
    if (res.kind == ClassicKind::task) before("start_date", "due_date");

    // Goal alignment: parents of every goal after the change, then no cycle and focus areas only
    // on top-level goals.
    std::vector<std::pair<std::int64_t, json::array>> child_updates;
    if (res.kind == ClassicKind::goal) {
      std::unordered_map<std::int64_t, std::vector<std::int64_t>> parents;
      for (const auto& g : d.goals)
        for (const auto& x : g.at("aligned_to_ids").as_array()) parents[g.at("id").as_int64()].push_back(x.as_int64());
      parents[id].clear();
      for (const auto& x : next.at("aligned_to_ids").as_array()) parents[id].push_back(x.as_int64());
      if (const auto* from = in.if_contains("aligned_from_ids")) {
        std::set<std::int64_t> kids;
        for (const auto& e : from->as_array()) kids.insert(int_of(e));
        for (auto& [child, ps] : parents) {
          if (child == id) continue;
          const bool listed = kids.count(child) > 0;
          const bool has = std::find(ps.begin(), ps.end(), id) != ps.end();
          if (listed == has) continue;
          if (listed) ps.push_back(id);
          else std::erase(ps, id);
          std::vector<std::int64_t> sorted = ps;
          child_updates.emplace_back(child, sorted_ids(sorted));
        }
        for (auto kid : kids)
          if (!parents.count(kid)) {
            parents[kid] = {id};
            child_updates.emplace_back(kid, json::array{id});
          }
      }
      // Cycle: is `id` among its own ancestors?
      std::set<std::int64_t> seen;
      std::vector<std::int64_t> stack = parents[id];
      bool cycle = false;
      while (!stack.empty() && !cycle) {
        const auto x = stack.back();
        stack.pop_back();
        if (x == id) cycle = true;
        else if (seen.insert(x).second)
          for (auto y : parents[x]) stack.push_back(y);
      }
      if (cycle) p.add(w + ".aligned_to_ids", "would make goal " + std::to_string(id) + " its own ancestor");
      if (!next.at("aligned_to_ids").as_array().empty() && !next.at("direct_focus_area_ids").as_array().empty())
        p.add(w + ".direct_focus_area_ids", "only a top-level goal (no aligned_to_ids) has direct focus areas");
      for (const auto& [child, ps] : child_updates) {
        const auto* c = d.find(ClassicKind::goal, child);
        if (c && !ps.empty() && !c->at("direct_focus_area_ids").as_array().empty())
          p.add(w + ".aligned_from_ids", "goal " + std::to_string(child) +
                                             " has direct focus areas; a goal aligned to another goal cannot");
      }
    }
    if (!p.empty()) return;

    // Side effects.
    if (res.kind == ClassicKind::task) {
      const bool was = rec.at("is_complete") == json::value(1) && !create;
      const bool is = next.at("is_complete") == json::value(1);
      if (is && !was) {
        next["completed_at"] = now;
        next["completed_user_id"] = tok.user_id;
      } else if (!is) {
        next["completed_at"] = nullptr;
        next["completed_user_id"] = nullptr;
      }
    }
    if (create) {
      if (next.contains("user_id")) next["user_id"] = tok.user_id;
      if (res.kind == ClassicKind::goal && !in.contains("creator_id")) next["creator_id"] = tok.user_id;
    }
    if (next.contains("updated_at") && !(res.kind == ClassicKind::update && in.contains("updated_at")))
      next["updated_at"] = now;
    for (const auto& [child, ps] : child_updates)
      if (auto* c = d.find(ClassicKind::goal, child)) {
        (*c)["aligned_to_ids"] = ps;
        (*c)["updated_at"] = now;
      }
    rec = std::move(next);
  }

  // ---- POST ----
  Response create(const Request& r, const Resource& res) {
    auto auth = authenticate(r, res);
    if (auto* e = std::get_if<Response>(&auth)) return *e;
    const auto& tok = std::get<ClassicToken>(auth);
    json::object in;
    if (auto e = check_body(r, res, true, in)) return *e;
    const auto dialect = s_.settings().dialect;
    const std::string now = s_.store.now();
    Problems p;
    std::optional<json::object> out;
    s_.store.write([&](CascadeData& d) {
      std::int64_t& counter = res.kind == ClassicKind::goal ? d.next_goal_id
                              : res.kind == ClassicKind::task ? d.next_task_id
                              : res.kind == ClassicKind::issue ? d.next_issue_id
                                                               : d.next_update_id;
      json::object rec = new_classic_record(res.kind, counter, now);
      apply(d, res, in, rec, true, tok, now, p);
      if (!p.empty()) return;
      ++counter;
      const auto id = rec.at("id").as_int64();
      d.records(res.kind).push_back(std::move(rec));
      d.index(res.kind)[id] = d.records(res.kind).size() - 1;
      std::optional<GoalGraph> graph;
      if (res.kind == ClassicKind::goal) graph.emplace(d);
      out = api_record(d, res.kind, d.records(res.kind).back(), graph ? &*graph : nullptr);
    });
    if (!p.empty()) return p.response(422);
    if (dialect == ClassicDialect::swagger) {
      json::object rec = in_dialect(*out, dialect);
      json::object body;
      int status = 201;
      if (res.kind == ClassicKind::task) {
        status = 200;
        if (rec.at("completed_user_id").is_int64())
          rec["completed_user_id"] = std::to_string(rec.at("completed_user_id").as_int64());
        body["tasks"] = std::move(rec);
      } else {
        if (res.kind == ClassicKind::issue || res.kind == ClassicKind::update)
          rec["id"] = std::to_string(rec.at("id").as_int64());
        body[res.singular] = std::move(rec);
      }
      return json_response(status, body);
    }
    return wrap_single(res, std::move(*out), dialect, 201);
  }

  // ---- PUT ----
  Response update(const Request& r, const Resource& res) {
    auto auth = authenticate(r, res);
    if (auto* e = std::get_if<Response>(&auth)) return *e;
    const auto& tok = std::get<ClassicToken>(auth);
    const auto id = path_id(r);
    if (!id) return not_found(res, r.path_param("id"));
    json::object in;
    if (auto e = check_body(r, res, false, in)) return *e;
    const auto dialect = s_.settings().dialect;
    const std::string now = s_.store.now();
    Problems p;
    bool found = false;
    std::optional<json::object> out;
    s_.store.write([&](CascadeData& d) {
      auto* rec = d.find(res.kind, *id);
      if (!rec) return;
      found = true;
      apply(d, res, in, *rec, false, tok, now, p);
      if (!p.empty()) return;
      std::optional<GoalGraph> graph;
      if (res.kind == ClassicKind::goal) graph.emplace(d);
      out = api_record(d, res.kind, *d.find(res.kind, *id), graph ? &*graph : nullptr);
    });
    if (!found) return not_found(res, r.path_param("id"));
    if (!p.empty()) return p.response(422);
    if (dialect == ClassicDialect::swagger && res.kind == ClassicKind::issue) {
      json::object rec = in_dialect(*out, dialect);
      rec.erase("id");  // the Swagger draws PUT /issues answering 201 without the id
      return json_response(201, json::object{{"issue", std::move(rec)}});
    }
    return wrap_single(res, std::move(*out), dialect, 200);
  }

  // ---- DELETE ----
  Response remove(const Request& r, const Resource& res) {
    auto auth = authenticate(r, res);
    if (auto* e = std::get_if<Response>(&auth)) return *e;
    const auto id = path_id(r);
    if (!id) return not_found(res, r.path_param("id"));
    const auto dialect = s_.settings().dialect;
    const std::string now = s_.store.now();
    bool found = false;
    s_.store.write([&](CascadeData& d) {
      if (!d.find(res.kind, *id)) return;
      found = true;
      auto drop = [&](ClassicKind k, const std::function<bool(const json::object&)>& pred) {
        std::erase_if(d.records(k), pred);
      };
      drop(res.kind, [&](const json::object& o) { return o.at("id").as_int64() == *id; });
      if (res.kind == ClassicKind::goal) {
        const json::value gid(*id);
        for (auto k : {ClassicKind::task, ClassicKind::issue, ClassicKind::update})
          drop(k, [&](const json::object& o) { return o.at("goal_id") == gid; });
        for (auto& g : d.goals) {
          auto& to = g["aligned_to_ids"].as_array();
          const auto before = to.size();
          to.erase(std::remove(to.begin(), to.end(), gid), to.end());
          if (to.size() != before) g["updated_at"] = now;
        }
      }
      d.reindex();
    });
    if (!found) return not_found(res, r.path_param("id"));
    if (dialect == ClassicDialect::canonical) {
      Response resp;
      resp.status = 204;
      return resp;
    }
    return json_response(200, json::object{{"message", std::string(res.label) + " " + std::to_string(*id) + " deleted"},
                                           {"code", 200},
                                           {"status", "success"}});
  }

  Service& s_;
};

}  // namespace

void install_classic_routes(Server& server, Service& service) {
  Classic::install(server, std::make_shared<Classic>(service));
}

}  // namespace wrike_cascade::emulator::cascade_detail
