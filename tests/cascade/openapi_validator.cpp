#include "openapi_validator.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace wrike_cascade::testing::openapi {
namespace {

namespace json = boost::json;

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const std::size_t start = i;
    while (i < path.size() && path[i] != '/') ++i;
    if (i > start) out.push_back(path.substr(start, i - start));
  }
  return out;
}

std::string show(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 60) s = s.substr(0, 60) + "...";
  return s;
}

const char* kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "?";
}

bool is_integral(const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (v.is_double()) return std::isfinite(v.get_double()) && std::trunc(v.get_double()) == v.get_double();
  return false;
}

double as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

bool type_matches(std::string_view type, const json::value& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") return is_integral(v);
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  if (type == "file") return true;  // Swagger 2 form uploads
  return false;
}

bool json_equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return as_double(a) == as_double(b);
  return a == b;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool valid_date(std::string_view s) {
  if (s.size() < 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2)) return false;
  const int m = (s[5] - '0') * 10 + (s[6] - '0');
  const int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d <= days[m - 1];
}

// RFC 3339 date-time, loosely: a date, 'T' (or 't'/' '), HH:MM[:SS[.f]], a zone (Z or ±HH:MM).
bool valid_date_time(std::string_view s) {
  if (!valid_date(s) || s.size() < 16) return false;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  if (!digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2)) return false;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2)) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      const std::size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return false;
    }
  }
  const std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2) && zone[3] == ':' && digits(zone, 4, 2);
}

struct Validator {
  const Spec& spec;
  ValidationOptions options;
  bool request;
  std::vector<std::string>& errors;
  int depth = 0;

  void error(const std::string& path, const std::string& what) { errors.push_back(path + ": " + what); }

  // Follows $ref chains; null when unresolvable (reported).
  const json::object* deref(const json::value& schema, const std::string& path) {
    const json::value* s = &schema;
    for (int hops = 0; hops < 32; ++hops) {
      const json::object* o = s->if_object();
      if (!o) {
        if (s->is_bool()) return nullptr;  // `true`/`false` schemas: handled by the caller
        error(path, "schema is not an object");
        return nullptr;
      }
      const json::value* ref = o->if_contains("$ref");
      if (!ref) return o;
      if (!ref->is_string()) {
        error(path, "$ref is not a string");
        return nullptr;
      }
      const json::value* target = spec.resolve(ref->get_string());
      if (!target) {
        error(path, "unresolvable $ref " + std::string(ref->get_string()));
        return nullptr;
      }
      s = target;
    }
    error(path, "$ref chain too long");
    return nullptr;
  }

  std::size_t count_errors_of(const json::value& schema, const json::value& v, const std::string& path) {
    std::vector<std::string> sub;
    Validator inner{spec, options, request, sub, depth};
    inner.check(schema, v, path);
    return sub.size();
  }

  void check(const json::value& schema_value, const json::value& v, const std::string& path) {
    if (++depth > 64) {
      error(path, "schema nesting too deep (a $ref cycle?)");
      --depth;
      return;
    }
    struct Guard {
      int& d;
      ~Guard() { --d; }
    } guard{depth};
    if (schema_value.is_bool()) {
      if (!schema_value.get_bool()) error(path, "no value is allowed here");
      return;
    }
    const json::object* s = deref(schema_value, path);
    if (!s) return;

    if (const auto* all = s->if_contains("allOf"); all && all->is_array())
      for (const auto& sub : all->get_array()) check(sub, v, path);
    if (const auto* any = s->if_contains("anyOf"); any && any->is_array()) {
      bool ok = false;
      for (const auto& sub : any->get_array()) ok = ok || count_errors_of(sub, v, path) == 0;
      if (!ok) error(path, "matches none of anyOf");
    }
    if (const auto* one = s->if_contains("oneOf"); one && one->is_array()) {
      std::size_t matching = 0;
      for (const auto& sub : one->get_array()) matching += count_errors_of(sub, v, path) == 0;
      if (matching != 1) error(path, "matches " + std::to_string(matching) + " of oneOf (exactly one required)");
    }

    // type (a string, or a list in OpenAPI 3.1); `nullable: true` (3.0) admits null.
    if (v.is_null()) {
      if (const auto* n = s->if_contains("nullable"); n && n->is_bool() && n->get_bool()) return;
      if (const auto* x = s->if_contains("x-nullable"); x && x->is_bool() && x->get_bool()) return;
    }
    if (const auto* type = s->if_contains("type")) {
      bool ok = false;
      std::string names;
      if (type->is_string()) {
        ok = type_matches(type->get_string(), v);
        names = std::string(type->get_string());
      } else if (type->is_array()) {
        for (const auto& t : type->get_array()) {
          if (!t.is_string()) continue;
          ok = ok || type_matches(t.get_string(), v);
          names += (names.empty() ? "" : "|") + std::string(t.get_string());
        }
      } else {
        ok = true;
      }
      if (!ok) {
        error(path, "expected " + names + ", got " + kind_of(v) + " " + show(v));
        return;
      }
    }

    if (const auto* e = s->if_contains("enum"); e && e->is_array()) {
      const auto& opts = e->get_array();
      if (std::none_of(opts.begin(), opts.end(), [&](const json::value& o) { return json_equal(o, v); })) {
        error(path, show(v) + " is not one of " + show(*e));
      }
    }

    if (v.is_string()) check_string(*s, v.get_string(), path);
    if (v.is_number()) check_number(*s, v, path);
    if (v.is_object()) check_object(*s, v.get_object(), path);
    if (v.is_array()) check_array(*s, v.get_array(), path);
  }

  void check_string(const json::object& s, std::string_view text, const std::string& path) {
    std::size_t cps = 0;
    for (unsigned char c : text) cps += (c & 0xC0) != 0x80;
    if (const auto* m = s.if_contains("minLength"); m && m->is_number() && cps < as_double(*m))
      error(path, "shorter than minLength " + show(*m));
    if (const auto* m = s.if_contains("maxLength"); m && m->is_number() && cps > as_double(*m))
      error(path, "longer than maxLength " + show(*m));
    if (const auto* f = s.if_contains("format"); f && f->is_string()) {
      const std::string_view fmt = f->get_string();
      if (fmt == "date" && (text.size() != 10 || !valid_date(text)))
        error(path, "\"" + std::string(text) + "\" is not a date (YYYY-MM-DD)");
      if (fmt == "date-time" && !valid_date_time(text)) error(path, "\"" + std::string(text) + "\" is not a date-time");
    }
  }

  void check_number(const json::object& s, const json::value& v, const std::string& path) {
    const double d = as_double(v);
    if (const auto* f = s.if_contains("format"); f && f->is_string()) {
      const std::string_view fmt = f->get_string();
      if (fmt == "int32" && (!is_integral(v) || d < std::numeric_limits<std::int32_t>::min() ||
                             d > std::numeric_limits<std::int32_t>::max()))
        error(path, show(v) + " is not an int32");
      if (fmt == "int64" && !is_integral(v)) error(path, show(v) + " is not an int64");
    }
    const auto* emin = s.if_contains("exclusiveMinimum");
    const auto* emax = s.if_contains("exclusiveMaximum");
    if (const auto* m = s.if_contains("minimum"); m && m->is_number()) {
      const bool excl = emin && emin->is_bool() && emin->get_bool();
      if (excl ? d <= as_double(*m) : d < as_double(*m)) error(path, show(v) + " is below the minimum " + show(*m));
    }
    if (const auto* m = s.if_contains("maximum"); m && m->is_number()) {
      const bool excl = emax && emax->is_bool() && emax->get_bool();
      if (excl ? d >= as_double(*m) : d > as_double(*m)) error(path, show(v) + " is above the maximum " + show(*m));
    }
    if (emin && emin->is_number() && d <= as_double(*emin)) error(path, show(v) + " is not above " + show(*emin));
    if (emax && emax->is_number() && d >= as_double(*emax)) error(path, show(v) + " is not below " + show(*emax));
  }

  void check_object(const json::object& s, const json::object& o, const std::string& path) {
    const json::object* props = nullptr;
    if (const auto* p = s.if_contains("properties")) props = p->if_object();
    if (const auto* req = s.if_contains("required"); req && req->is_array()) {
      for (const auto& name : req->get_array()) {
        if (name.is_string() && !o.contains(name.get_string()))
          error(path + "." + std::string(name.get_string()), "required, missing");
      }
    }
    const json::value* additional = s.if_contains("additionalProperties");
    for (const auto& kv : o) {
      const std::string child = path + "." + std::string(kv.key());
      if (props) {
        if (const auto* ps = props->if_contains(kv.key())) {
          if (request) {
            if (const json::object* pso = ps->if_object()) {
              if (const auto* ro = pso->if_contains("readOnly"); ro && ro->is_bool() && ro->get_bool())
                error(child, "is readOnly and must not be sent");
            }
          }
          check(*ps, kv.value(), child);
          continue;
        }
      }
      if (additional) {
        if (additional->is_bool()) {
          if (!additional->get_bool()) error(child, "is not a declared property (additionalProperties: false)");
        } else {
          check(*additional, kv.value(), child);
        }
      } else if (options.forbid_undeclared && props) {
        error(child, "is not a declared property");
      }
    }
  }

  void check_array(const json::object& s, const json::array& a, const std::string& path) {
    if (const auto* m = s.if_contains("minItems"); m && m->is_number() && a.size() < as_double(*m))
      error(path, "fewer than minItems " + show(*m));
    if (const auto* m = s.if_contains("maxItems"); m && m->is_number() && a.size() > as_double(*m))
      error(path, "more than maxItems " + show(*m));
    if (const auto* items = s.if_contains("items")) {
      for (std::size_t i = 0; i < a.size(); ++i) check(*items, a[i], path + "[" + std::to_string(i) + "]");
    }
  }
};

const json::object* paths_of(const json::value& doc) {
  const json::object* root = doc.if_object();
  if (!root) return nullptr;
  const auto* p = root->if_contains("paths");
  return p ? p->if_object() : nullptr;
}

}  // namespace

Spec::Spec(json::value document) : doc_(std::move(document)) {
  if (!doc_.is_object()) throw std::runtime_error("an OpenAPI document must be a JSON object");
}

Spec Spec::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec) throw std::runtime_error("cannot parse " + file.string() + ": " + ec.message());
  return Spec(std::move(v));
}

bool Spec::is_swagger2() const noexcept {
  const auto* v = doc_.get_object().if_contains("swagger");
  return v && v->is_string() && v->get_string().starts_with("2");
}

std::string Spec::base_path() const {
  std::string out;
  const auto& root = doc_.get_object();
  if (const auto* bp = root.if_contains("basePath"); bp && bp->is_string()) {
    out = std::string(bp->get_string());
  } else if (const auto* servers = root.if_contains("servers"); servers && servers->is_array() &&
                                                                 !servers->get_array().empty()) {
    if (const auto* url = servers->get_array()[0].as_object().if_contains("url"); url && url->is_string()) {
      std::string_view u = url->get_string();
      if (auto scheme = u.find("://"); scheme != std::string_view::npos) {
        u.remove_prefix(scheme + 3);
        const auto slash = u.find('/');
        u = slash == std::string_view::npos ? std::string_view() : u.substr(slash);
      }
      out = std::string(u);
    }
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::vector<OperationRef> Spec::operations() const {
  std::vector<OperationRef> out;
  const json::object* paths = paths_of(doc_);
  if (!paths) return out;
  for (const auto& p : *paths) {
    const json::object* item = p.value().if_object();
    if (!item) continue;
    for (const char* m : kMethods) {
      const auto* op = item->if_contains(m);
      if (!op || !op->is_object()) continue;
      OperationRef r;
      r.method = m;
      r.path = std::string(p.key());
      if (const auto* id = op->get_object().if_contains("operationId"); id && id->is_string())
        r.operation_id = std::string(id->get_string());
      r.operation = &op->get_object();
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::optional<OperationRef> Spec::find(std::string_view operation_id) const {
  for (auto& op : operations())
    if (op.operation_id == operation_id) return op;
  return std::nullopt;
}

std::optional<OperationRef> Spec::find(std::string_view method, std::string_view path_template) const {
  const std::string m = lower(method);
  for (auto& op : operations())
    if (op.method == m && op.path == path_template) return op;
  return std::nullopt;
}

std::optional<OperationRef> Spec::match(std::string_view method, std::string_view request_path) const {
  const std::string m = lower(method);
  const std::string base = base_path();
  if (!base.empty() && request_path.starts_with(base)) request_path.remove_prefix(base.size());
  const auto want = segments(request_path);
  std::optional<OperationRef> best;
  int best_literals = -1;
  for (auto& op : operations()) {
    if (op.method != m) continue;
    const auto have = segments(op.path);
    if (have.size() != want.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < have.size() && ok; ++i) {
      if (have[i].size() >= 2 && have[i].front() == '{' && have[i].back() == '}') continue;
      ok = have[i] == want[i];
      ++literals;
    }
    if (ok && literals > best_literals) {
      best = op;
      best_literals = literals;
    }
  }
  return best;
}

const json::value* Spec::request_schema(const OperationRef& op) const {
  if (!op.operation) return nullptr;
  auto param_list = [&](const json::value* params) -> const json::value* {
    if (!params || !params->is_array()) return nullptr;
    for (const auto& p : params->get_array()) {
      const json::value* pv = &p;
      if (const auto* ref = p.as_object().if_contains("$ref"); ref && ref->is_string()) pv = resolve(ref->get_string());
      if (!pv || !pv->is_object()) continue;
      const auto& po = pv->get_object();
      if (const auto* in = po.if_contains("in"); in && in->is_string() && in->get_string() == "body") {
        return po.if_contains("schema");
      }
    }
    return nullptr;
  };
  if (const auto* s = param_list(op.operation->if_contains("parameters"))) return s;
  if (const auto* item = paths_of(doc_)->if_contains(op.path)) {
    if (const auto* s = param_list(item->as_object().if_contains("parameters"))) return s;
  }
  const json::value* rb = op.operation->if_contains("requestBody");
  if (rb) {
    if (const auto* ref = rb->as_object().if_contains("$ref"); ref && ref->is_string()) rb = resolve(ref->get_string());
  }
  if (rb && rb->is_object()) {
    if (const auto* content = rb->get_object().if_contains("content"); content && content->is_object()) {
      for (const auto& kv : content->get_object()) {
        if (kv.key().starts_with("application/json") || kv.key().ends_with("+json")) {
          if (const auto* s = kv.value().as_object().if_contains("schema")) return s;
        }
      }
    }
  }
  return nullptr;
}

const json::value* Spec::response_schema(const OperationRef& op, int status) const {
  if (!op.operation) return nullptr;
  const auto* responses = op.operation->if_contains("responses");
  if (!responses || !responses->is_object()) return nullptr;
  const json::value* r = responses->get_object().if_contains(std::to_string(status));
  if (!r) r = responses->get_object().if_contains("default");
  if (!r) return nullptr;
  if (const auto* ref = r->as_object().if_contains("$ref"); ref && ref->is_string()) r = resolve(ref->get_string());
  if (!r || !r->is_object()) return nullptr;
  if (const auto* s = r->get_object().if_contains("schema")) return s;  // Swagger 2
  if (const auto* content = r->get_object().if_contains("content"); content && content->is_object()) {
    for (const auto& kv : content->get_object()) {
      if (kv.key().starts_with("application/json")) return kv.value().as_object().if_contains("schema");
    }
  }
  return nullptr;
}

std::vector<std::string> Spec::required_query_parameters(const OperationRef& op) const {
  std::vector<std::string> out;
  if (!op.operation) return out;
  if (const auto* params = op.operation->if_contains("parameters"); params && params->is_array()) {
    for (const auto& p : params->get_array()) {
      const auto& po = p.as_object();
      const auto* in = po.if_contains("in");
      const auto* req = po.if_contains("required");
      const auto* name = po.if_contains("name");
      if (in && in->is_string() && in->get_string() == "query" && req && req->is_bool() && req->get_bool() && name &&
          name->is_string())
        out.emplace_back(name->get_string());
    }
  }
  return out;
}

std::vector<std::string> Spec::validate(const json::value& schema, const json::value& instance,
                                        ValidationOptions options, bool request) const {
  std::vector<std::string> errors;
  Validator v{*this, options, request, errors};
  v.check(schema, instance, "$");
  return errors;
}

std::vector<std::string> Spec::validate_request_body(std::string_view operation_id, const json::value& body,
                                                     ValidationOptions options) const {
  auto op = find(operation_id);
  if (!op) return {"no operation '" + std::string(operation_id) + "' in the document"};
  const auto* schema = request_schema(*op);
  if (!schema) return {"operation '" + std::string(operation_id) + "' declares no request body"};
  return validate(*schema, body, options, true);
}

std::vector<std::string> Spec::validate_request_body(std::string_view method, std::string_view path_template,
                                                     const json::value& body, ValidationOptions options) const {
  auto op = find(method, path_template);
  if (!op) return {"no operation " + std::string(method) + " " + std::string(path_template) + " in the document"};
  const auto* schema = request_schema(*op);
  if (!schema) return {"operation " + std::string(method) + " " + std::string(path_template) + " declares no request body"};
  return validate(*schema, body, options, true);
}

std::vector<std::string> Spec::validate_response_body(std::string_view operation_id, int status,
                                                      const json::value& body, ValidationOptions options) const {
  auto op = find(operation_id);
  if (!op) return {"no operation '" + std::string(operation_id) + "' in the document"};
  const auto* schema = response_schema(*op, status);
  if (!schema) return {"operation '" + std::string(operation_id) + "' declares no response " + std::to_string(status)};
  return validate(*schema, body, options, false);
}

const json::value* Spec::resolve(std::string_view ref) const {
  if (!ref.starts_with("#")) return nullptr;  // only local references
  ref.remove_prefix(1);
  const json::value* cur = &doc_;
  while (!ref.empty()) {
    if (ref.front() != '/') return nullptr;
    ref.remove_prefix(1);
    const auto slash = ref.find('/');
    std::string token(ref.substr(0, slash));
    ref = slash == std::string_view::npos ? std::string_view() : ref.substr(slash);
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else if (token[i] == '%' && i + 2 < token.size()) {
        unescaped += static_cast<char>(std::stoi(token.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        unescaped += token[i];
      }
    }
    if (const auto* o = cur->if_object()) {
      cur = o->if_contains(unescaped);
    } else if (const auto* a = cur->if_array()) {
      char* end = nullptr;
      const unsigned long idx = std::strtoul(unescaped.c_str(), &end, 10);
      cur = (end && *end == '\0' && idx < a->size()) ? &(*a)[idx] : nullptr;
    } else {
      cur = nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

std::optional<std::filesystem::path> reference_file(std::string_view name) {
  std::filesystem::path dir;
  if (const char* env = std::getenv("WRIKE_CASCADE_SHARED_DIR"); env && *env) {
    dir = env;
  } else {
#ifdef WRIKE_CASCADE_SHARED_DIR
    dir = WRIKE_CASCADE_SHARED_DIR;
#else
    dir = "../shared";
#endif
  }
  auto file = dir / "reference" / std::string(name);
  if (std::filesystem::is_regular_file(file)) return file;
  return std::nullopt;
}

std::string join(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n  ") + e;
  return out;
}

}  // namespace wrike_cascade::testing::openapi
