// The new Cascade platform's integrations API (cascade-api.md §4; the Swagger file
// cascade-openapi-nextgen-v4.json), and its region-redirect entry point.
#include "cascade_internal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <variant>
#include <functional>

namespace wrike_cascade::emulator::cascade_detail {

namespace {

bool is_member(const json::object& ws) {
  const auto* m = ws.if_contains("member");
  return !m || !m->is_bool() || m->get_bool();
}

Response unauthorized(OAuth::Check c) {
  Response r = platform_error(401, c == OAuth::Check::expired ? "Unauthorized: the access token has expired"
                                                              : "Unauthorized: missing or invalid access token");
  r.with_header("WWW-Authenticate", c == OAuth::Check::expired
                                        ? "Bearer error=\"invalid_token\", error_description=\"The access token expired\""
                                        : "Bearer error=\"invalid_token\"");
  return r;
}

std::string shown(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

class Platform {
 public:
  explicit Platform(Service& s) : s_(s) {}

  static void install(Server& server, const std::shared_ptr<Platform>& self, bool entry) {
    auto& s = self->s_;
    const std::string name = entry ? "main" : "regional";
    auto add = [&](const char* method, const char* pattern, Response (Platform::*fn)(const Request&)) {
      if (entry) {
        server.route(method, pattern, s.recorded(name, [self](const Request& r) { return self->redirect(r); }));
      } else {
        server.route(method, pattern, s.recorded(name, [self, fn](const Request& r) {
          if (auto c = self->s_.check_platform_token(r.bearer_token); c != OAuth::Check::ok) return unauthorized(c);
          return ((*self).*fn)(r);
        }));
      }
    };
    add("GET", "/v2/users/me/workspaces", &Platform::workspaces);
    add("GET", "/v2/workspaces/{id}/plans", &Platform::plans);
    add("GET", "/v2/plans/{id}/measures", &Platform::measures);
    add("GET", "/v2/plans/{id}/actions", &Platform::actions);
    add("PUT", "/v2/measures/{id}", &Platform::set_measure);
    add("PUT", "/v2/measures/historical/{id}", &Platform::set_history);
    add("PUT", "/v2/actions/{id}", &Platform::set_action);
  }

 private:
  // The entry point: the token decides the region, so it is checked here first.
  Response redirect(const Request& r) {
    if (auto c = s_.check_platform_token(r.bearer_token); c != OAuth::Check::ok) return unauthorized(c);
    const std::string location = s_.regional_base(r.tls) + r.target;
    Response res = json_response(307, json::object{{"message", "Temporary Redirect"}, {"location", location}});
    res.with_header("Location", location);
    res.with_header("Cache-Control", "no-store");
    return res;
  }

  static std::optional<Response> no_query(const Request& r, std::initializer_list<std::string_view> allowed) {
    for (const auto& [k, v] : r.query_params) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        return platform_error(400, "Unknown query parameter '" + k + "'");
    }
    return std::nullopt;
  }

  json::object render(const json::object& rec, std::initializer_list<const char*> keys, bool state,
                      std::initializer_list<const char*> state_keys) const {
    json::object o;
    for (const char* k : keys)
      if (const auto* v = rec.if_contains(k)) o[k] = *v;
    if (state)
      for (const char* k : state_keys)
        if (const auto* v = rec.if_contains(k)) o[k] = *v;
    return o;
  }

  Response list_body(std::string_view plural, std::string_view singular, json::array items) const {
    const bool singular_key = s_.settings().dialect == ClassicDialect::mixed && (plural == "measures" || plural == "actions");
    json::object body;
    body[singular_key ? singular : plural] = std::move(items);
    return json_response(200, body);
  }

  // A workspace the user may see: 404 unknown, 403 not a member.
  static std::optional<Response> workspace_access(const CascadeData& d, std::string_view id) {
    auto it = d.workspace_index.find(std::string(id));
    if (it == d.workspace_index.end()) return platform_error(404, "Workspace '" + std::string(id) + "' not found");
    if (!is_member(d.workspaces[it->second]))
      return platform_error(403, "Forbidden: you are not a member of workspace '" + std::string(id) + "'");
    return std::nullopt;
  }

  Response workspaces(const Request& r) {
    if (auto e = no_query(r, {})) return *e;
    json::array items;
    s_.store.read([&](const CascadeData& d) {
      for (const auto& w : d.workspaces)
        if (is_member(w)) items.push_back(render(w, {"id", "displayName"}, false, {}));
    });
    return list_body("workspaces", "workspace", std::move(items));
  }

  Response plans(const Request& r) {
    if (auto e = no_query(r, {})) return *e;
    const std::string ws(r.path_param("id"));
    std::optional<Response> err;
    json::array items;
    s_.store.read([&](const CascadeData& d) {
      if ((err = workspace_access(d, ws))) return;
      for (const auto& p : d.plans)
        if (p.at("workspaceId").as_string() == ws)
          items.push_back(render(p, {"id", "name", "workspaceId", "owner", "collaborators", "team"}, false, {}));
    });
    if (err) return *err;
    return list_body("plans", "plan", std::move(items));
  }

  Response children(const Request& r, bool measures) {
    if (auto e = no_query(r, {"workspace_id"})) return *e;
    const auto ws = r.query_param("workspace_id");
    if (!ws || ws->empty()) return platform_error(400, "workspace_id is required (query parameter)");
    const std::string plan(r.path_param("id"));
    const bool state = s_.settings().platform_state_in_reads;
    std::optional<Response> err;
    json::array items;
    s_.store.read([&](const CascadeData& d) {
      if ((err = workspace_access(d, *ws))) return;
      auto it = d.plan_index.find(plan);
      if (it == d.plan_index.end() || d.plans[it->second].at("workspaceId").as_string() != *ws) {
        err = platform_error(404, "Plan '" + plan + "' not found in workspace '" + std::string(*ws) + "'");
        return;
      }
      for (const auto& m : measures ? d.measures : d.actions) {
        if (m.at("planId").as_string() != plan) continue;
        items.push_back(measures ? render(m, {"id", "name", "workspaceId"}, state, {"planId", "currentValue", "historicalData"})
                                 : render(m, {"id", "workspaceId", "name"}, state, {"planId", "progress"}));
      }
    });
    if (err) return *err;
    return measures ? list_body("measures", "measure", std::move(items)) : list_body("actions", "action", std::move(items));
  }
  Response measures(const Request& r) { return children(r, true); }
  Response actions(const Request& r) { return children(r, false); }

  // Parses a write body: declared keys only, the required ones present, the ID strings set.
  std::variant<Response, json::object> body_of(const Request& r, std::string_view op,
                                                std::initializer_list<std::string_view> keys,
                                                std::initializer_list<std::string_view> required) {
    if (auto e = no_query(r, {})) return *e;
    if (auto ct = r.header("Content-Type"); !ct || ascii_lower(*ct).find("json") == std::string::npos)
      return platform_error(415, "Content-Type must be application/json");
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return platform_error(400, std::string(op) + ": the body must be a JSON object");
    const auto& o = v.get_object();
    std::string problems;
    auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
    for (const auto& [k, x] : o)
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        problem(std::string(k) + " is not a field of " + std::string(op));
    for (auto k : required)
      if (!o.contains(k)) problem(std::string(k) + " is required");
    for (const char* k : {"workspace_id", "plan_id"})
      if (const auto* x = o.if_contains(k); x && (!x->is_string() || x->get_string().empty()))
        problem(std::string(k) + " must be a non-empty string (got " + shown(*x) + ")");
    if (!problems.empty()) return platform_error(400, problems);
    return o;
  }

  // Looks the record up and checks the body's workspace/plan against it; runs `apply` on it.
  Response write(const Request& r, bool measure, const json::object& body, const std::string& message,
                 const std::function<void(json::object&)>& apply) {
    const std::string id(r.path_param("id"));
    const std::string ws(body.at("workspace_id").as_string());
    const std::string plan(body.at("plan_id").as_string());
    std::optional<Response> err;
    s_.store.write([&](CascadeData& d) {
      auto& idx = measure ? d.measure_index : d.action_index;
      auto it = idx.find(id);
      if (it == idx.end()) {
        err = platform_error(404, std::string(measure ? "Measure" : "Action") + " '" + id + "' not found");
        return;
      }
      auto& rec = (measure ? d.measures : d.actions)[it->second];
      if ((err = workspace_access(d, rec.at("workspaceId").as_string()))) return;
      if (rec.at("workspaceId").as_string() != ws) {
        err = platform_error(422, "workspace_id '" + ws + "' does not hold " + (measure ? "measure" : "action") + " '" + id + "'");
        return;
      }
      if (rec.at("planId").as_string() != plan) {
        err = platform_error(422, "plan_id '" + plan + "' does not hold " + (measure ? "measure" : "action") + " '" + id + "'");
        return;
      }
      apply(rec);
    });
    if (err) return *err;
    return json_response(200, json::object{{"message", message}});
  }

  static std::optional<double> finite_number(const json::value& v) {
    if (!v.is_number()) return std::nullopt;
    const double d = v.to_number<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
  }

  Response set_measure(const Request& r) {
    auto b = body_of(r, "UpdateMeasure2", {"workspace_id", "plan_id", "measure_value"},
                     {"workspace_id", "plan_id", "measure_value"});
    if (auto* e = std::get_if<Response>(&b)) return *e;
    const auto& body = std::get<json::object>(b);
    if (!finite_number(body.at("measure_value")))
      return platform_error(400, "measure_value must be a number (got " + shown(body.at("measure_value")) + ")");
    const json::value value = body.at("measure_value");
    return write(r, true, body, "Measure value updated successfully", [&](json::object& m) { m["currentValue"] = value; });
  }

  Response set_history(const Request& r) {
    auto b = body_of(r, "UpdateMeasureHistoricalValue2", {"workspace_id", "plan_id", "historical_data"},
                     {"workspace_id", "plan_id"});
    if (auto* e = std::get_if<Response>(&b)) return *e;
    const auto& body = std::get<json::object>(b);
    const bool fractional = s_.settings().allow_fractional_history;
    std::map<std::string, json::value> points;
    if (const auto* h = body.if_contains("historical_data")) {
      if (!h->is_array()) return platform_error(400, "historical_data must be an array (got " + shown(*h) + ")");
      std::string problems;
      auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
      for (std::size_t i = 0; i < h->get_array().size(); ++i) {
        const std::string at = "historical_data[" + std::to_string(i) + "]";
        const auto* p = h->get_array()[i].if_object();
        if (!p) {
          problem(at + " must be an object {\"date\", \"value\"}");
          continue;
        }
        for (const auto& [k, x] : *p)
          if (k != "date" && k != "value") problem(at + "." + std::string(k) + " is not a field of a history point");
        const auto* date = p->if_contains("date");
        const auto* value = p->if_contains("value");
        if (!date) problem(at + ".date is required");
        else if (!date->is_string() || !parse_ymd(date->get_string()))
          problem(at + ".date must be a date YYYY-MM-DD (got " + shown(*date) + ")");
        if (!value) {
          problem(at + ".value is required");
        } else if (fractional ? !finite_number(*value).has_value()
                              : !((value->is_int64() && value->get_int64() >= std::numeric_limits<std::int32_t>::min() &&
                                   value->get_int64() <= std::numeric_limits<std::int32_t>::max()) ||
                                  (value->is_uint64() && value->get_uint64() <= std::numeric_limits<std::int32_t>::max()))) {
          problem(at + ".value must be " + (fractional ? "a number" : "an int32 integer") + " (got " + shown(*value) + ")");
        }
        if (date && value && problems.empty()) points[std::string(date->get_string())] = *value;
      }
      if (!problems.empty()) return platform_error(400, problems);
    }
    return write(r, true, body, "Measure historical values updated successfully", [&](json::object& m) {
      std::map<std::string, json::value> merged;
      if (const auto* old = m.if_contains("historicalData"); old && old->is_array())
        for (const auto& p : old->get_array())
          if (p.is_object() && p.get_object().contains("date"))
            merged[std::string(p.at("date").as_string())] = p.get_object().contains("value") ? p.at("value") : json::value();
      for (auto& [k, v] : points) merged[k] = v;
      json::array out;
      for (auto& [k, v] : merged) out.push_back(json::object{{"date", k}, {"value", v}});
      m["historicalData"] = std::move(out);
    });
  }

  Response set_action(const Request& r) {
    auto b = body_of(r, "UpdateAction2", {"workspace_id", "plan_id", "action_value"},
                     {"workspace_id", "plan_id", "action_value"});
    if (auto* e = std::get_if<Response>(&b)) return *e;
    const auto& body = std::get<json::object>(b);
    if (!finite_number(body.at("action_value")))
      return platform_error(400, "action_value must be a number (got " + shown(body.at("action_value")) + ")");
    const json::value value = body.at("action_value");
    return write(r, false, body, "Action updated successfully", [&](json::object& a) { a["progress"] = value; });
  }

  Service& s_;
};

}  // namespace

void install_platform_routes(Server& server, Service& service, bool entry) {
  Platform::install(server, std::make_shared<Platform>(service), entry);
}

}  // namespace wrike_cascade::emulator::cascade_detail
