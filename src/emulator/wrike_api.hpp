// Internal: pieces shared by the Wrike emulator's API code (reads in wrike_service.cpp, writes
// in wrike_writes.cpp, webhooks in wrike_webhooks.cpp): API errors, parameter validation, field
// sets, output helpers and the route table with Wrike's conventions.
#pragma once

#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/ascii.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include "wrike_util.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wrike_cascade::emulator::detail {

namespace json = boost::json;

using Names = std::span<const std::string_view>;

using Names = std::span<const std::string_view>;

// ---- errors ---------------------------------------------------------------------------------

struct ApiError {
  int status;
  std::string code;
  std::string description;
};

[[noreturn]] inline void fail(int status, std::string code, std::string description) {
  throw ApiError{status, std::move(code), std::move(description)};
}

[[noreturn]] inline void invalid_param(std::string_view name, std::string_view why = {}) {
  std::string d = "Parameter '" + std::string(name) + "' value is invalid";
  if (!why.empty()) d += ": " + std::string(why);
  fail(400, "invalid_parameter", std::move(d));
}

inline bool contains(Names names, std::string_view s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}


// Case-insensitive (ASCII) "contains" with a needle already lower-cased; no allocation.
inline bool icontains_folded(std::string_view hay, std::string_view folded_needle) {
  if (folded_needle.empty()) return true;
  if (hay.size() < folded_needle.size()) return false;
  for (std::size_t i = 0; i + folded_needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < folded_needle.size() &&
           ascii_lower(hay[i + k]) == folded_needle[k])
      ++k;
    if (k == folded_needle.size()) return true;
  }
  return false;
}

inline bool icontains(std::string_view hay, std::string_view needle) {
  return ascii_lower(hay).find(ascii_lower(needle)) != std::string::npos;
}

// ---- parameters -----------------------------------------------------------------------------

inline constexpr std::string_view kGlobalParams[] = {"access_token", "state", "method"};

class Params {
 public:
  Params(const Request& r, Names allowed) {
    for (const auto& [k, v] : r.all_params()) {
      if (contains(kGlobalParams, k)) continue;
      if (!contains(allowed, k)) fail(400, "invalid_request", "Parameter '" + k + "' is not allowed");
      map_.emplace(k, v);  // the first occurrence wins
    }
  }

  const std::map<std::string, std::string>& all() const { return map_; }
  bool has(std::string_view n) const { return map_.find(std::string(n)) != map_.end(); }
  bool empty_except(Names ignored) const {
    for (const auto& [k, v] : map_)
      if (!contains(ignored, k)) return false;
    return true;
  }

  std::optional<std::string> get(std::string_view n) const {
    auto it = map_.find(std::string(n));
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  std::optional<bool> boolean(std::string_view n) const {
    auto v = get(n);
    if (!v) return std::nullopt;
    if (*v == "true") return true;
    if (*v == "false") return false;
    invalid_param(n, "expected true or false");
  }

  std::optional<json::value> json_value(std::string_view n) const {
    auto v = get(n);
    if (!v) return std::nullopt;
    boost::system::error_code ec;
    auto parsed = json::parse(*v, ec);
    if (ec) invalid_param(n, "not valid JSON");
    return parsed;
  }

  // A JSON array of strings; when `bare` is true a plain (non-JSON) string is one element.
  std::optional<std::vector<std::string>> strings(std::string_view n, bool bare = false,
                                                  Names allowed = {}) const {
    auto v = get(n);
    if (!v) return std::nullopt;
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto parsed = json::parse(*v, ec);
    if (!ec && parsed.is_array()) {
      for (const auto& e : parsed.get_array()) {
        if (!e.is_string()) invalid_param(n, "expected an array of strings");
        out.emplace_back(e.get_string());
      }
    } else if (!ec && parsed.is_string() && bare) {
      out.emplace_back(parsed.get_string());
    } else if (ec && bare && !v->empty() && v->front() != '[' && v->front() != '{') {
      out.push_back(*v);
    } else {
      invalid_param(n, "expected a JSON array");
    }
    if (!allowed.empty())
      for (const auto& s : out)
        if (!contains(allowed, s)) invalid_param(n, "unknown value '" + s + "'");
    return out;
  }

  std::optional<std::string> one_of(std::string_view n, Names allowed) const {
    auto v = get(n);
    if (v && !contains(allowed, *v)) invalid_param(n, "unknown value '" + *v + "'");
    return v;
  }

  std::optional<long long> integer(std::string_view n, long long lo, long long hi) const {
    auto v = get(n);
    if (!v) return std::nullopt;
    if (v->empty() || v->size() > 12 ||
        !std::all_of(v->begin(), v->end(), [](unsigned char c) { return std::isdigit(c); }))
      invalid_param(n, "expected an integer");
    const long long x = std::stoll(*v);
    if (x < lo || x > hi)
      invalid_param(n, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return x;
  }

  // `fields`: a JSON array naming only values of `allowed`.
  std::vector<std::string> fields(Names allowed) const {
    auto f = strings("fields", false, allowed);
    return f ? *f : std::vector<std::string>{};
  }

  // The parameters not in `skip`, canonical (sorted).
  std::string canonical_except(std::string_view path, Names skip) const {
    std::string s(path);
    for (const auto& [k, v] : map_) {
      if (contains(skip, k)) continue;
      s += '\n';
      s += k;
      s += '=';
      s += v;
    }
    return s;
  }

  // Everything but the page token, canonical (sorted), for the token's query hash.
  std::string canonical(std::string_view path) const {
    std::string s(path);
    for (const auto& [k, v] : map_) {
      if (k == "nextPageToken") continue;
      s += '\n';
      s += k;
      s += '=';
      s += v;
    }
    return s;
  }

 private:
  std::map<std::string, std::string> map_;
};


// ---- output helpers -------------------------------------------------------------------------

template <class Pred>
json::object project(const json::object& o, Pred&& include) {
  json::object out(o.size());
  for (const auto& m : o)
    if (include(m.key())) out.emplace(m.key(), m.value());
  return out;
}

inline Response ok(std::string_view kind, json::array data) {
  json::object o;
  o["kind"] = kind;
  o["data"] = std::move(data);
  return Response::json(200, json::serialize(o));
}

inline Response ok_paged(std::string_view kind, json::array data, const std::string& next_token,
                  std::size_t total) {
  json::object o;
  o["kind"] = kind;
  if (!next_token.empty()) o["nextPageToken"] = next_token;
  o["responseSize"] = total;
  o["data"] = std::move(data);
  return Response::json(200, json::serialize(o));
}


// ---- ids ------------------------------------------------------------------------------------

inline std::vector<std::string> split_ids(std::string_view s, std::string_view what, int max_ids) {
  std::vector<std::string> out;
  while (true) {
    auto c = s.find(',');
    std::string id(s.substr(0, c));
    if (id.empty() || id.size() > 256 ||
        !std::all_of(id.begin(), id.end(), [](unsigned char ch) {
          return std::isalnum(ch) || ch == '-' || ch == '_' || ch == ':' || ch == '.' || ch == '=';
        }))
      fail(400, "invalid_parameter", "Invalid " + std::string(what) + " id '" + id + "'");
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
  }
  if (static_cast<int>(out.size()) > max_ids)
    fail(400, "invalid_parameter",
         "Too many " + std::string(what) + " ids: " + std::to_string(out.size()) + " (at most " +
             std::to_string(max_ids) + ")");
  return out;
}

// ---- field sets -----------------------------------------------------------------------------

inline constexpr std::string_view kTaskListDefault[] = {
    "id",          "accountId", "title", "status",         "importance", "createdDate", "updatedDate",
    "completedDate", "dates",   "scope", "customStatusId", "permalink",  "priority"};
inline constexpr std::string_view kTaskListFields[] = {
    "metadata",       "responsibleIds",   "customItemTypeId", "customFields",
    "followerIds",    "parentIds",        "sharedIds",        "description",
    "superTaskIds",   "responsiblePlaceholderIds", "superParentIds", "dependencyIds",
    "billingType",    "attachmentCount",  "workScheduleId",   "effortAllocation",
    "hasAttachments", "subTaskIds",       "recurrent",        "authorIds",
    "briefDescription", "finance"};
inline constexpr std::string_view kTaskByIdFields[] = {
    "cascadingFields", "customItemTypeId", "billingType",      "attachmentCount", "workScheduleId",
    "responsiblePlaceholderIds", "effortAllocation", "recurrent", "finance"};

inline constexpr std::string_view kFolderListDefault[] = {
    "id",        "accountId", "title",   "createdDate", "updatedDate", "description", "color",
    "sharedIds", "parentIds", "childIds", "scope",      "permalink",   "workflowId",  "project"};
inline constexpr std::string_view kFolderListFields[] = {
    "superParentIds", "metadata",        "customItemTypeId", "customFields",
    "customColumnIds", "contractType",   "description",      "attachmentCount",
    "hasAttachments", "briefDescription", "space",           "finance"};
inline constexpr std::string_view kFolderByIdFields[] = {
    "cascadingFields", "accessRoles", "customItemTypeId", "customColumnIds",
    "contractType",    "attachmentCount", "briefDescription", "finance"};
// briefDescription is in the by-id enum but Wrike's examples show it by default: kept visible.
inline constexpr std::string_view kFolderByIdHidden[] = {
    "cascadingFields", "cascadingFieldSettings", "accessRoles", "customItemTypeId",
    "customColumnIds", "contractType", "attachmentCount", "finance"};
inline constexpr std::string_view kTreeKeys[] = {"id", "title", "color", "childIds", "scope",
                                          "project", "space", "customItemTypeId"};

inline constexpr std::string_view kContactFields[] = {"metadata", "currentCostRate", "customFields",
                                               "currentBillRate", "jobRoleId", "workScheduleId"};
inline constexpr std::string_view kSpaceListFields[] = {"members", "workScheduleId"};
inline constexpr std::string_view kSpaceByIdFields[] = {"suggestedTaskWorkflows", "suggestedProjectWorkflows",
                                                 "members", "workScheduleId"};
inline constexpr std::string_view kStatsFields[] = {"dataUsageStatistics"};
inline constexpr std::string_view kAccountFields[] = {"subscription", "metadata", "customFields"};

inline bool in(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}


inline constexpr std::string_view kStatuses[] = {"Active", "Completed", "Deferred", "Cancelled"};
inline constexpr std::string_view kImportance[] = {"High", "Normal", "Low"};
inline constexpr std::string_view kDateTypes[] = {"Backlog", "Milestone", "Planned"};

// ---- writes: shared validation --------------------------------------------------------------

[[noreturn]] inline void param_required(std::string_view name) {
  fail(400, "parameter_required", "Parameter '" + std::string(name) + "' is required");
}

// Form or JSON-object bodies only.
inline void check_body(const Request& r) {
  if (r.body.empty()) return;
  std::string ct = ascii_lower(r.header("Content-Type").value_or(""));
  if (ct.starts_with("application/x-www-form-urlencoded")) return;
  if (ct.starts_with("application/json")) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) fail(400, "invalid_request", "The request body is not a JSON object");
    return;
  }
  fail(400, "invalid_request",
       "Unsupported Content-Type '" + ct + "' (use application/x-www-form-urlencoded or application/json)");
}

// The full task as GET /tasks/{ids} shows it (by-id `fields` reveal the hidden ones).
inline json::object task_by_id_out(const json::object& t, const std::vector<std::string>& fields) {
  return project(t, [&](std::string_view k) {
    return !contains(kTaskByIdFields, k) || in(fields, k) ||
           (k == "cascadingFieldSettings" && in(fields, "cascadingFields"));
  });
}

// The full folder as GET /folders/{ids} shows it.
inline json::object folder_by_id_out(const json::object& f, const std::vector<std::string>& fields) {
  return project(f, [&](std::string_view k) {
    return !contains(kFolderByIdHidden, k) || in(fields, k) ||
           (k == "cascadingFieldSettings" && in(fields, "cascadingFields"));
  });
}

// ---- routes ---------------------------------------------------------------------------------

using ApiHandler = std::function<Response(const Request&)>;

// Collects handlers by (pattern, method) and installs them with Wrike's conventions: a bearer
// token the API accepts (else 401 not_authorized), the method override (a GET carrying
// method=POST|PUT|DELETE runs that method's handler; 404 method_not_found when the path has
// none), and ApiError -> Wrike's error body.
class ApiRoutes {
 public:
  ApiRoutes(std::string prefix, std::function<bool(std::string_view)> accept_token)
      : prefix_(std::move(prefix)), accept_(std::move(accept_token)) {}

  void add(std::string method, std::string pattern, ApiHandler h) {
    table_[pattern][method] = std::move(h);
  }

  void install(Server& server) const {
    for (const auto& [pattern, methods] : table_) {
      auto shared = std::make_shared<const std::map<std::string, ApiHandler>>(methods);
      std::vector<std::string> verbs;
      for (const auto& [m, h] : methods) verbs.push_back(m);
      if (!methods.contains("GET")) verbs.push_back("GET");  // for the method override
      for (const auto& verb : verbs)
        server.route(verb, prefix_ + pattern, [shared, verb, accept = accept_](const Request& r) -> Response {
          try {
            const bool ok = accept ? accept(r.bearer_token) : !r.bearer_token.empty();
            if (!ok) return wrike_error(401, "not_authorized", "Access token is unknown or invalid");
            std::string method = verb;
            if (verb == "GET")
              if (auto m = r.query_param("method")) {
                method.clear();
                for (char c : *m) method += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
              }
            auto it = shared->find(method);
            if (it == shared->end())
              return wrike_error(404, "method_not_found", "Method '" + method + " " + r.path + "' was not found");
            return it->second(r);
          } catch (const ApiError& e) {
            return wrike_error(e.status, e.code, e.description);
          }
        });
    }
  }

 private:
  std::string prefix_;
  std::function<bool(std::string_view)> accept_;
  std::map<std::string, std::map<std::string, ApiHandler>> table_;
};

// install_wrike_routes with `more` routes (webhooks) on the same table (wrike_service.cpp).
void install_wrike_api(Server& server, WrikeStore& store, WrikeServiceConfig config,
                       const std::function<void(ApiRoutes&)>& more);

// wrike_writes.cpp: POST /folders/{id}/tasks, PUT/DELETE /tasks/{id}, PUT /folders/{id}.
void add_write_routes(ApiRoutes& routes, WrikeStore& store, const WrikeServiceConfig& cfg);

}  // namespace wrike_cascade::emulator::detail
