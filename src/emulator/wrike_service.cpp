// The Wrike API v4 read endpoints of the emulator, over a WrikeStore.
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include "wrike_util.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <span>
#include <stdexcept>

namespace wrike_cascade::emulator {

namespace json = boost::json;
using namespace detail;

Response wrike_error(int status, std::string_view code, std::string_view description) {
  json::object o;
  o["errorDescription"] = description;
  o["error"] = code;
  return Response::json(status, json::serialize(o));
}

namespace {

using Names = std::span<const std::string_view>;

// ---- errors ---------------------------------------------------------------------------------

struct ApiError {
  int status;
  std::string code;
  std::string description;
};

[[noreturn]] void fail(int status, std::string code, std::string description) {
  throw ApiError{status, std::move(code), std::move(description)};
}

[[noreturn]] void invalid_param(std::string_view name, std::string_view why = {}) {
  std::string d = "Parameter '" + std::string(name) + "' value is invalid";
  if (!why.empty()) d += ": " + std::string(why);
  fail(400, "invalid_parameter", std::move(d));
}

bool contains(Names names, std::string_view s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool icontains(std::string_view hay, std::string_view needle) {
  return lower(hay).find(lower(needle)) != std::string::npos;
}

// ---- parameters -----------------------------------------------------------------------------

constexpr std::string_view kGlobalParams[] = {"access_token", "state", "method"};

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

// ---- filters --------------------------------------------------------------------------------

struct Range {
  std::optional<std::string> start, end, equal;

  // `v` empty = no value (never matches). Date-only bounds compare the date part.
  bool matches(std::string_view v) const {
    if (v.empty()) return false;
    auto cut = [&](const std::string& bound) {
      return bound.size() == 10 ? v.substr(0, 10) : v;
    };
    if (equal && cut(*equal) != std::string_view(*equal)) return false;
    if (start && cut(*start) < std::string_view(*start)) return false;
    if (end && cut(*end) > std::string_view(*end)) return false;
    return true;
  }
};

// createdDate/updatedDate/completedDate: {"start"?,"end"?}, strictly yyyy-MM-ddTHH:mm:ssZ.
std::optional<Range> timestamp_range(const Params& p, std::string_view name) {
  auto v = p.json_value(name);
  if (!v) return std::nullopt;
  if (!v->is_object()) invalid_param(name, "expected {\"start\":..,\"end\":..}");
  const auto& o = v->get_object();
  if (o.empty()) invalid_param(name, "empty range");
  Range r;
  for (const auto& m : o) {
    if (m.key() != "start" && m.key() != "end")
      invalid_param(name, "unknown key '" + std::string(m.key()) + "'");
    if (!m.value().is_string() || !parse_timestamp(m.value().get_string()))
      invalid_param(name, "dates must be yyyy-MM-ddTHH:mm:ssZ");
    (m.key() == "start" ? r.start : r.end) = std::string(m.value().get_string());
  }
  return r;
}

// startDate/dueDate (tasks), startDate/endDate (projects): {"start"?,"equal"?,"end"?} with
// yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.
std::optional<Range> date_range(const Params& p, std::string_view name, bool allow_equal,
                                bool allow_time) {
  auto v = p.json_value(name);
  if (!v) return std::nullopt;
  if (!v->is_object()) invalid_param(name, "expected {\"start\":..,\"end\":..}");
  const auto& o = v->get_object();
  if (o.empty()) invalid_param(name, "empty range");
  Range r;
  for (const auto& m : o) {
    const bool eq = m.key() == "equal";
    if (m.key() != "start" && m.key() != "end" && !(eq && allow_equal))
      invalid_param(name, "unknown key '" + std::string(m.key()) + "'");
    if (!m.value().is_string()) invalid_param(name, "dates must be strings");
    std::string_view s = m.value().get_string();
    if (!is_date(s) && !(allow_time && is_local_datetime(s)))
      invalid_param(name, allow_time ? "dates must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss"
                                     : "dates must be yyyy-MM-dd");
    (eq ? r.equal : m.key() == "start" ? r.start : r.end) = std::string(s);
  }
  return r;
}

struct MetadataFilter {
  std::string key;
  std::optional<std::string> value;
  bool matches(const json::object& o) const {
    if (const auto* md = arr(o, "metadata"))
      for (const auto& e : *md)
        if (e.is_object() && str(e.get_object(), "key") == key &&
            (!value || str(e.get_object(), "value") == *value))
          return true;
    return false;
  }
};

std::optional<MetadataFilter> metadata_filter(const Params& p) {
  auto v = p.json_value("metadata");
  if (!v) return std::nullopt;
  if (!v->is_object() || !v->get_object().contains("key") || !v->get_object().at("key").is_string())
    invalid_param("metadata", "expected {\"key\":..,\"value\":..}");
  MetadataFilter f;
  f.key = std::string(v->get_object().at("key").get_string());
  if (auto* val = v->get_object().if_contains("value")) {
    if (!val->is_string()) invalid_param("metadata", "value must be a string");
    f.value = std::string(val->get_string());
  }
  return f;
}

std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

std::optional<double> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  try {
    std::size_t pos = 0;
    double d = std::stod(std::string(s), &pos);
    if (pos != s.size()) return std::nullopt;
    return d;
  } catch (...) {
    return std::nullopt;
  }
}

constexpr std::string_view kComparators[] = {
    "EqualTo",          "IsEmpty",   "IsNotEmpty", "LessThan",   "LessOrEqualTo",
    "GreaterThan",      "GreaterOrEqualTo", "InRange", "NotInRange", "Contains",
    "StartsWith",       "EndsWith",  "ContainsAll", "ContainsAny"};

struct CustomFieldFilter {
  std::string id, comparator;
  std::optional<std::string> value, min, max;
  std::vector<std::string> values;

  static int compare(std::string_view a, std::string_view b) {
    auto x = number(a), y = number(b);
    if (x && y) return *x < *y ? -1 : (*x > *y ? 1 : 0);
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  static std::vector<std::string> elements(std::string_view v) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto parsed = json::parse(v, ec);
    if (!ec && parsed.is_array()) {
      for (const auto& e : parsed.get_array()) out.push_back(scalar_text(e));
      return out;
    }
    while (!v.empty()) {
      auto c = v.find(',');
      out.emplace_back(v.substr(0, c));
      if (c == std::string_view::npos) break;
      v.remove_prefix(c + 1);
    }
    return out;
  }

  bool matches(const json::object& o) const {
    std::optional<std::string> cur;
    if (const auto* cfs = arr(o, "customFields"))
      for (const auto& e : *cfs)
        if (e.is_object() && str(e.get_object(), "id") == id) {
          if (auto* v = e.get_object().if_contains("value"); v && !v->is_null())
            cur = scalar_text(*v);
        }
    const bool empty = !cur || cur->empty();
    if (comparator == "IsEmpty") return empty;
    if (comparator == "IsNotEmpty") return !empty;
    if (empty) return false;
    const std::string& c = *cur;
    const std::string v = value.value_or("");
    if (comparator == "EqualTo") return compare(c, v) == 0;
    if (comparator == "LessThan") return compare(c, v) < 0;
    if (comparator == "LessOrEqualTo") return compare(c, v) <= 0;
    if (comparator == "GreaterThan") return compare(c, v) > 0;
    if (comparator == "GreaterOrEqualTo") return compare(c, v) >= 0;
    if (comparator == "InRange" || comparator == "NotInRange") {
      const bool in = (!min || compare(c, *min) >= 0) && (!max || compare(c, *max) <= 0);
      return comparator == "InRange" ? in : !in;
    }
    if (comparator == "Contains") return icontains(c, v);
    if (comparator == "StartsWith") return lower(c).starts_with(lower(v));
    if (comparator == "EndsWith") return lower(c).ends_with(lower(v));
    const auto have = elements(c);
    auto in_have = [&](const std::string& x) { return std::find(have.begin(), have.end(), x) != have.end(); };
    if (comparator == "ContainsAll") return std::all_of(values.begin(), values.end(), in_have);
    if (comparator == "ContainsAny") return std::any_of(values.begin(), values.end(), in_have);
    return false;
  }
};

std::vector<CustomFieldFilter> custom_field_filters(const Params& p, std::string_view name,
                                                    std::size_t max_filters) {
  auto v = p.json_value(name);
  if (!v) return {};
  json::array list;
  if (v->is_array())
    list = v->get_array();
  else if (v->is_object())
    list.push_back(*v);  // customField (deprecated) takes one object
  else
    invalid_param(name, "expected an array of filters");
  if (list.size() > max_filters)
    invalid_param(name, "at most " + std::to_string(max_filters) + " filters");
  std::vector<CustomFieldFilter> out;
  for (const auto& e : list) {
    if (!e.is_object()) invalid_param(name, "each filter must be an object");
    const auto& o = e.get_object();
    CustomFieldFilter f;
    if (!o.contains("id") || !o.at("id").is_string()) invalid_param(name, "filter without an id");
    f.id = std::string(o.at("id").get_string());
    f.comparator = "EqualTo";
    if (auto* c = o.if_contains("comparator")) {
      if (!c->is_string() || !contains(kComparators, c->get_string()))
        invalid_param(name, "unknown comparator");
      f.comparator = std::string(c->get_string());
    }
    if (auto* x = o.if_contains("value"); x && !x->is_null()) f.value = scalar_text(*x);
    if (auto* x = o.if_contains("minValue"); x && !x->is_null()) f.min = scalar_text(*x);
    if (auto* x = o.if_contains("maxValue"); x && !x->is_null()) f.max = scalar_text(*x);
    if (auto* x = o.if_contains("values")) {
      if (!x->is_array()) invalid_param(name, "values must be an array");
      for (const auto& s : x->get_array()) f.values.push_back(scalar_text(s));
    }
    out.push_back(std::move(f));
  }
  return out;
}

// ---- output helpers -------------------------------------------------------------------------

template <class Pred>
json::object project(const json::object& o, Pred&& include) {
  json::object out(o.size());
  for (const auto& m : o)
    if (include(m.key())) out.emplace(m.key(), m.value());
  return out;
}

Response ok(std::string_view kind, json::array data) {
  json::object o;
  o["kind"] = kind;
  o["data"] = std::move(data);
  return Response::json(200, json::serialize(o));
}

Response ok_paged(std::string_view kind, json::array data, const std::string& next_token,
                  std::size_t total) {
  json::object o;
  o["kind"] = kind;
  if (!next_token.empty()) o["nextPageToken"] = next_token;
  o["responseSize"] = total;
  o["data"] = std::move(data);
  return Response::json(200, json::serialize(o));
}

// ---- page tokens ----------------------------------------------------------------------------
// 16 bytes: offset^hash (4) | FNV-1a 64 hash of the canonical query (8) | check (4), base32.

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

constexpr std::string_view kTokenSalt = "wrike-cascade-emulator-page";

std::string make_token(std::uint32_t offset, std::uint64_t query_hash) {
  offset ^= static_cast<std::uint32_t>(query_hash >> 17);  // opaque, not visibly sequential
  unsigned char b[16];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(offset >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) b[4 + i] = static_cast<unsigned char>(query_hash >> (56 - 8 * i));
  const auto check = static_cast<std::uint32_t>(
      fnv1a(std::string_view(reinterpret_cast<const char*>(b), 12), fnv1a(kTokenSalt)));
  for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<unsigned char>(check >> (24 - 8 * i));
  std::string out;
  std::uint64_t acc = 0;
  int bits = 0;
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  for (unsigned char c : b) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31];
  return out;
}

// Returns the offset; throws 400 invalid_parameter when malformed or for another query.
std::uint32_t read_token(std::string_view token, std::uint64_t query_hash) {
  std::vector<unsigned char> b;
  std::uint64_t acc = 0;
  int bits = 0;
  for (char c : token) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= '2' && c <= '7') v = c - '2' + 26;
    else invalid_param("nextPageToken");
    acc = (acc << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      b.push_back(static_cast<unsigned char>(acc >> (bits - 8)));
      bits -= 8;
    }
  }
  if (b.size() != 16) invalid_param("nextPageToken");
  const auto check = static_cast<std::uint32_t>(
      fnv1a(std::string_view(reinterpret_cast<const char*>(b.data()), 12), fnv1a(kTokenSalt)));
  std::uint32_t got = 0, offset = 0;
  std::uint64_t hash = 0;
  for (int i = 0; i < 4; ++i) got = (got << 8) | b[static_cast<std::size_t>(12 + i)];
  for (int i = 0; i < 4; ++i) offset = (offset << 8) | b[static_cast<std::size_t>(i)];
  for (int i = 0; i < 8; ++i) hash = (hash << 8) | b[static_cast<std::size_t>(4 + i)];
  if (got != check) invalid_param("nextPageToken");
  offset ^= static_cast<std::uint32_t>(hash >> 17);
  if (hash != query_hash)
    invalid_param("nextPageToken",
                  "the token belongs to a query with other parameters; send the same filters "
                  "and fields with every page");
  return offset;
}

struct Page {
  std::size_t begin = 0, end = 0;
  std::string next;
};

Page paginate(const Params& p, std::string_view path, std::size_t total, long long page_size) {
  const std::uint64_t h = fnv1a(p.canonical(path));
  std::size_t offset = 0;
  if (auto t = p.get("nextPageToken")) offset = read_token(*t, h);
  Page pg;
  pg.begin = std::min(offset, total);
  pg.end = std::min(total, pg.begin + static_cast<std::size_t>(page_size));
  if (pg.end < total) pg.next = make_token(static_cast<std::uint32_t>(pg.end), h);
  return pg;
}

// ---- ids ------------------------------------------------------------------------------------

std::vector<std::string> split_ids(std::string_view s, std::string_view what, int max_ids) {
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

constexpr std::string_view kTaskListDefault[] = {
    "id",          "accountId", "title", "status",         "importance", "createdDate", "updatedDate",
    "completedDate", "dates",   "scope", "customStatusId", "permalink",  "priority"};
constexpr std::string_view kTaskListFields[] = {
    "metadata",       "responsibleIds",   "customItemTypeId", "customFields",
    "followerIds",    "parentIds",        "sharedIds",        "description",
    "superTaskIds",   "responsiblePlaceholderIds", "superParentIds", "dependencyIds",
    "billingType",    "attachmentCount",  "workScheduleId",   "effortAllocation",
    "hasAttachments", "subTaskIds",       "recurrent",        "authorIds",
    "briefDescription", "finance"};
constexpr std::string_view kTaskByIdFields[] = {
    "cascadingFields", "customItemTypeId", "billingType",      "attachmentCount", "workScheduleId",
    "responsiblePlaceholderIds", "effortAllocation", "recurrent", "finance"};

constexpr std::string_view kFolderListDefault[] = {
    "id",        "accountId", "title",   "createdDate", "updatedDate", "description", "color",
    "sharedIds", "parentIds", "childIds", "scope",      "permalink",   "workflowId",  "project"};
constexpr std::string_view kFolderListFields[] = {
    "superParentIds", "metadata",        "customItemTypeId", "customFields",
    "customColumnIds", "contractType",   "description",      "attachmentCount",
    "hasAttachments", "briefDescription", "space",           "finance"};
constexpr std::string_view kFolderByIdFields[] = {
    "cascadingFields", "accessRoles", "customItemTypeId", "customColumnIds",
    "contractType",    "attachmentCount", "briefDescription", "finance"};
// briefDescription is in the by-id enum but Wrike's examples show it by default: kept visible.
constexpr std::string_view kFolderByIdHidden[] = {
    "cascadingFields", "cascadingFieldSettings", "accessRoles", "customItemTypeId",
    "customColumnIds", "contractType", "attachmentCount", "finance"};
constexpr std::string_view kTreeKeys[] = {"id", "title", "color", "childIds", "scope",
                                          "project", "space", "customItemTypeId"};

constexpr std::string_view kContactFields[] = {"metadata", "currentCostRate", "customFields",
                                               "currentBillRate", "jobRoleId", "workScheduleId"};
constexpr std::string_view kSpaceListFields[] = {"members", "workScheduleId"};
constexpr std::string_view kSpaceByIdFields[] = {"suggestedTaskWorkflows", "suggestedProjectWorkflows",
                                                 "members", "workScheduleId"};
constexpr std::string_view kStatsFields[] = {"dataUsageStatistics"};
constexpr std::string_view kAccountFields[] = {"subscription", "metadata", "customFields"};

bool in(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ---- the service ----------------------------------------------------------------------------

constexpr std::string_view kStatuses[] = {"Active", "Completed", "Deferred", "Cancelled"};
constexpr std::string_view kImportance[] = {"High", "Normal", "Low"};
constexpr std::string_view kDateTypes[] = {"Backlog", "Milestone", "Planned"};
constexpr std::string_view kSortFields[] = {"CreatedDate", "UpdatedDate", "CompletedDate",
                                            "DueDate",     "Status",      "Importance",
                                            "Title",       "LastAccessDate", "StartFinishInterval"};
constexpr std::string_view kSortOrders[] = {"Asc", "Desc"};
constexpr std::string_view kAccessTypes[] = {"Locked", "Personal", "Private", "Public"};

int ordinal(Names names, std::string_view s) {
  auto it = std::find(names.begin(), names.end(), s);
  return it == names.end() ? static_cast<int>(names.size()) : static_cast<int>(it - names.begin());
}

struct Service {
  WrikeStore& store;
  WrikeServiceConfig cfg;

  // ---- shared pieces ----

  std::vector<std::size_t> subtree(const WrikeData& d, std::size_t root, bool descendants,
                                   bool include_self) const {
    std::vector<std::size_t> out;
    std::vector<std::size_t> queue{root};
    std::set<std::size_t> seen{root};
    if (include_self) out.push_back(root);
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
      if (const auto* kids = arr(d.folders[queue[qi]], "childIds"))
        for (const auto& k : *kids) {
          if (!k.is_string()) continue;
          auto it = d.folder_index.find(std::string(k.get_string()));
          if (it == d.folder_index.end() || !seen.insert(it->second).second) continue;
          out.push_back(it->second);
          if (descendants) queue.push_back(it->second);
        }
    }
    return out;
  }

  std::size_t folder_or_404(const WrikeData& d, std::string_view id) const {
    auto it = d.folder_index.find(std::string(id));
    if (it == d.folder_index.end())
      fail(404, "resource_not_found", "Folder '" + std::string(id) + "' not found");
    return it->second;
  }

  std::size_t space_or_404(const WrikeData& d, std::string_view id) const {
    if (!d.space_index.contains(std::string(id)))
      fail(404, "resource_not_found", "Space '" + std::string(id) + "' not found");
    return folder_or_404(d, id);
  }

  template <class Emit>
  json::array by_ids(const std::vector<std::string>& ids,
                     const std::unordered_map<std::string, std::size_t>& index,
                     const std::vector<json::object>& items, std::string_view what, Emit&& emit) const {
    json::array out;
    std::vector<std::string> missing;
    for (const auto& id : ids) {
      auto it = index.find(id);
      if (it == index.end()) missing.push_back(id);
      else out.push_back(emit(items[it->second]));
    }
    if (!missing.empty() && (cfg.unknown_ids == UnknownIdPolicy::not_found || out.empty()))
      fail(404, "resource_not_found",
           std::string(what) + " '" + missing.front() + "' not found");
    return out;
  }

  // ---- /account ----

  Response account(const Request& r) {
    static constexpr std::string_view allowed[] = {"fields"};
    Params p(r, allowed);
    const auto fields = p.fields(kAccountFields);
    json::array data;
    store.read([&](const WrikeData& d) {
      auto a = project(d.account, [&](std::string_view k) {
        return !contains(kAccountFields, k) || in(fields, k);
      });
      if (in(fields, "customFields")) {
        json::array defs;
        for (const auto& cf : d.custom_fields)
          if (str(cf, "spaceId").empty()) defs.emplace_back(cf);
        a["customFields"] = std::move(defs);
      }
      data.emplace_back(std::move(a));
    });
    return ok("accounts", std::move(data));
  }

  // ---- /contacts ----

  static json::object contact_out(const json::object& c, const std::vector<std::string>& fields) {
    return project(c, [&](std::string_view k) { return !contains(kContactFields, k) || in(fields, k); });
  }

  static bool contact_active(const json::object& c) {
    if (const auto* profiles = arr(c, "profiles"))
      for (const auto& pr : *profiles)
        if (pr.is_object())
          if (auto* a = pr.get_object().if_contains("active"); a && a->is_bool()) return a->get_bool();
    return !flag(c, "deleted");
  }

  Response contacts(const Request& r) {
    static constexpr std::string_view allowed[] = {"me",     "metadata", "deleted", "customFields",
                                                   "emails", "active",   "name",    "types",
                                                   "fields"};
    Params p(r, allowed);
    const auto me = p.boolean("me");
    const auto deleted = p.boolean("deleted");
    const auto active = p.boolean("active");
    const auto name = p.get("name");
    const auto types = p.strings("types", true);
    const auto emails = p.strings("emails", true);
    if (emails && emails->size() > 100) invalid_param("emails", "at most 100 emails");
    const auto md = metadata_filter(p);
    const auto cf = custom_field_filters(p, "customFields", 25);
    const auto fields = p.fields(kContactFields);
    json::array data;
    store.read([&](const WrikeData& d) {
      for (const auto& c : d.contacts) {
        if (me && *me && !flag(c, "me")) continue;
        if (deleted && flag(c, "deleted") != *deleted) continue;
        if (active && contact_active(c) != *active) continue;
        if (name && !icontains(std::string(str(c, "firstName")) + " " + std::string(str(c, "lastName")), *name))
          continue;
        if (types && !in(*types, str(c, "type"))) continue;
        if (emails) {
          bool hit = false;
          for (const auto& e : *emails) {
            if (lower(str(c, "primaryEmail")) == lower(e)) hit = true;
            if (const auto* profiles = arr(c, "profiles"))
              for (const auto& pr : *profiles)
                if (pr.is_object() && lower(str(pr.get_object(), "email")) == lower(e)) hit = true;
          }
          if (!hit) continue;
        }
        if (md && !md->matches(c)) continue;
        if (!std::all_of(cf.begin(), cf.end(), [&](const auto& f) { return f.matches(c); })) continue;
        data.emplace_back(contact_out(c, fields));
      }
    });
    return ok("contacts", std::move(data));
  }

  Response contacts_by_id(const Request& r) {
    static constexpr std::string_view allowed[] = {"metadata", "types", "fields"};
    Params p(r, allowed);
    const auto ids = split_ids(r.path_param("contactIds"), "contact", cfg.max_ids);
    const auto types = p.strings("types", true);
    const auto md = metadata_filter(p);
    const auto fields = p.fields(kContactFields);
    json::array data;
    store.read([&](const WrikeData& d) {
      auto all = by_ids(ids, d.contact_index, d.contacts, "Contact",
                        [&](const json::object& c) -> json::value {
                          if (types && !in(*types, str(c, "type"))) return nullptr;
                          if (md && !md->matches(c)) return nullptr;
                          return contact_out(c, fields);
                        });
      for (auto& v : all)
        if (!v.is_null()) data.push_back(std::move(v));
    });
    return ok("contacts", std::move(data));
  }

  // ---- /spaces ----

  Response spaces(const Request& r) {
    static constexpr std::string_view allowed[] = {"withArchived", "userIsMember", "withInvitations",
                                                   "title", "accessTypes", "fields"};
    Params p(r, allowed);
    const bool archived = p.boolean("withArchived").value_or(false);
    const bool member = p.boolean("userIsMember").value_or(false);
    (void)p.boolean("withInvitations");
    const auto title = p.get("title");
    const auto access = p.strings("accessTypes", true, kAccessTypes);
    const auto fields = p.fields(kSpaceListFields);
    json::array data;
    store.read([&](const WrikeData& d) {
      std::string me;
      for (const auto& c : d.contacts)
        if (flag(c, "me")) me = std::string(str(c, "id"));
      for (const auto& s : d.spaces) {
        if (!archived && flag(s, "archived")) continue;
        if (title && !icontains(str(s, "title"), *title)) continue;
        if (access && !in(*access, str(s, "accessType"))) continue;
        if (member) {
          bool is_member = false;
          if (const auto* members = arr(s, "members"))
            for (const auto& m : *members)
              if (m.is_object() && str(m.get_object(), "id") == me) is_member = true;
          if (!is_member) continue;
        }
        data.emplace_back(project(s, [&](std::string_view k) {
          return !contains(kSpaceByIdFields, k) || in(fields, k);
        }));
      }
    });
    return ok("spaces", std::move(data));
  }

  Response space_by_id(const Request& r) {
    static constexpr std::string_view allowed[] = {"withInvitations", "fields"};
    Params p(r, allowed);
    (void)p.boolean("withInvitations");
    const auto fields = p.fields(kSpaceByIdFields);
    const std::string id(r.path_param("spaceId"));
    json::array data;
    store.read([&](const WrikeData& d) {
      auto it = d.space_index.find(id);
      if (it == d.space_index.end()) fail(404, "resource_not_found", "Space '" + id + "' not found");
      data.emplace_back(project(d.spaces[it->second], [&](std::string_view k) {
        return !contains(kSpaceByIdFields, k) || in(fields, k);
      }));
    });
    return ok("spaces", std::move(data));
  }

  // ---- folders ----

  enum class FolderScope { account, folder, space };

  Response folders(const Request& r, FolderScope scope) {
    static constexpr std::string_view allowed_all[] = {
        "permalink", "descendants", "metadata", "customField", "customFields", "updatedDate",
        "withInvitations", "project", "deleted", "contractTypes", "plainTextCustomFields",
        "customItemTypes", "pageSize", "nextPageToken", "customStatuses", "authors", "owners",
        "startDate", "endDate", "completedDate", "title", "fields"};
    static constexpr std::string_view allowed_sub[] = {
        "permalink", "descendants", "metadata", "customField", "customFields", "updatedDate",
        "withInvitations", "project", "contractTypes", "plainTextCustomFields",
        "customItemTypes", "pageSize", "nextPageToken", "customStatuses", "authors", "owners",
        "startDate", "endDate", "completedDate", "title", "fields"};
    Params p(r, scope == FolderScope::folder ? Names(allowed_sub) : Names(allowed_all));

    const bool descendants = p.boolean("descendants").value_or(true);
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    static constexpr std::string_view not_filters[] = {"descendants", "withInvitations",
                                                       "pageSize", "nextPageToken"};
    const bool tree = p.empty_except(not_filters);
    if (tree) {
      for (auto n : {"pageSize", "nextPageToken"})
        if (p.has(n))
          fail(400, "invalid_request",
               "Parameter '" + std::string(n) + "' is not allowed for the folder tree (add a filter)");
    }
    const std::string container_id(scope == FolderScope::account ? std::string_view{}
                                   : scope == FolderScope::folder ? r.path_param("folderId")
                                                                   : r.path_param("spaceId"));

    if (tree) {
      json::array data;
      store.read([&](const WrikeData& d) {
        std::vector<std::size_t> idx;
        if (scope == FolderScope::account) {
          for (std::size_t i = 0; i < d.folders.size(); ++i) idx.push_back(i);
          if (!descendants) idx = subtree(d, d.folder_index.at(d.root_folder_id()), false, true);
        } else {
          const auto root = scope == FolderScope::space ? space_or_404(d, container_id)
                                                        : folder_or_404(d, container_id);
          idx = subtree(d, root, descendants, true);
        }
        for (auto i : idx)
          data.emplace_back(project(d.folders[i], [](std::string_view k) {
            return contains(kTreeKeys, k);
          }));
        for (auto& e : data) {
          auto& o = e.as_object();
          if (str(o, "color") == "None") o.erase("color");
          if (auto* sp = o.if_contains("space"); sp && !(sp->is_bool() && sp->get_bool())) o.erase("space");
        }
      });
      return ok("folderTree", std::move(data));
    }

    // Filtered form.
    const auto page_size = p.integer("pageSize", 1, cfg.max_page_size);
    const auto permalink = p.get("permalink");
    const auto md = metadata_filter(p);
    auto cf = custom_field_filters(p, "customFields", 25);
    auto cf1 = custom_field_filters(p, "customField", 1);
    cf.insert(cf.end(), cf1.begin(), cf1.end());
    const auto updated = timestamp_range(p, "updatedDate");
    const auto completed = timestamp_range(p, "completedDate");
    const auto start = date_range(p, "startDate", true, false);
    const auto end = date_range(p, "endDate", true, false);
    const auto project_only = p.boolean("project");
    const bool deleted = p.boolean("deleted").value_or(false);
    (void)p.strings("contractTypes", true);
    (void)p.strings("customItemTypes", true);
    const auto statuses = p.strings("customStatuses", true);
    const auto authors = p.strings("authors", true);
    const auto owners = p.strings("owners", true);
    const auto title = p.get("title");
    const auto fields = p.fields(kFolderListFields);

    std::vector<json::object> matched;
    store.read([&](const WrikeData& d) {
      std::vector<std::size_t> idx;
      if (scope == FolderScope::account && descendants) {
        for (std::size_t i = 0; i < d.folders.size(); ++i) idx.push_back(i);
      } else {
        const auto root = scope == FolderScope::account ? d.folder_index.at(d.root_folder_id())
                          : scope == FolderScope::space ? space_or_404(d, container_id)
                                                        : folder_or_404(d, container_id);
        idx = subtree(d, root, descendants, false);
      }
      for (auto i : idx) {
        const auto& f = d.folders[i];
        const auto fscope = str(f, "scope");
        if (fscope == "WsRoot" || fscope == "RbRoot") continue;
        if (deleted != fscope.starts_with("Rb")) continue;
        const auto* proj = obj(f, "project");
        if (project_only && *project_only != (proj != nullptr)) continue;
        if (permalink && str(f, "permalink") != *permalink) continue;
        if (title && !icontains(str(f, "title"), *title)) continue;
        if (md && !md->matches(f)) continue;
        if (!std::all_of(cf.begin(), cf.end(), [&](const auto& x) { return x.matches(f); })) continue;
        if (updated && !updated->matches(str(f, "updatedDate"))) continue;
        if (statuses || authors || owners || start || end || completed) {
          if (!proj) continue;
          if (statuses && !in(*statuses, str(*proj, "customStatusId"))) continue;
          if (authors && !in(*authors, str(*proj, "authorId"))) continue;
          if (owners) {
            const auto* o = arr(*proj, "ownerIds");
            if (!std::any_of(owners->begin(), owners->end(),
                             [&](const std::string& x) { return array_contains(o, x); }))
              continue;
          }
          if (start && !start->matches(str(*proj, "startDate"))) continue;
          if (end && !end->matches(str(*proj, "endDate"))) continue;
          if (completed && !completed->matches(str(*proj, "completedDate"))) continue;
        }
        matched.push_back(project(f, [&](std::string_view k) {
          return contains(kFolderListDefault, k) || in(fields, k);
        }));
      }
    });
    json::array data;
    if (page_size) {
      auto pg = paginate(p, r.path, matched.size(), *page_size);
      for (auto i = pg.begin; i < pg.end; ++i) data.emplace_back(std::move(matched[i]));
      return ok_paged("folders", std::move(data), pg.next, matched.size());
    }
    for (auto& m : matched) data.emplace_back(std::move(m));
    return ok("folders", std::move(data));
  }

  Response folders_by_id(const Request& r) {
    static constexpr std::string_view allowed[] = {"withInvitations", "plainTextCustomFields", "fields"};
    Params p(r, allowed);
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    const auto fields = p.fields(kFolderByIdFields);
    const auto ids = split_ids(r.path_param("folderIds"), "folder", cfg.max_ids);
    json::array data;
    store.read([&](const WrikeData& d) {
      data = by_ids(ids, d.folder_index, d.folders, "Folder", [&](const json::object& f) {
        return project(f, [&](std::string_view k) {
          return !contains(kFolderByIdHidden, k) || in(fields, k) ||
                 (k == "cascadingFieldSettings" && in(fields, "cascadingFields"));
        });
      });
    });
    return ok("folders", std::move(data));
  }

  // ---- tasks ----

  enum class TaskScope { account, folder, space };

  static std::string_view dates_field(const json::object& t, std::string_view key) {
    if (const auto* d = obj(t, "dates")) {
      auto v = str(*d, key);
      if (v.empty() && key == "start") v = str(*d, "due");  // a milestone starts when it is due
      return v;
    }
    return {};
  }

  Response tasks(const Request& r, TaskScope scope) {
    static constexpr std::string_view common[] = {
        "title", "status", "importance", "startDate", "dueDate", "scheduledDate", "createdDate",
        "updatedDate", "completedDate", "authors", "responsibles", "responsiblePlaceholders",
        "permalink", "type", "limit", "sortField", "sortOrder", "subTasks", "pageSize",
        "nextPageToken", "metadata", "customField", "customFields", "customStatuses",
        "withInvitations", "billingTypes", "plainTextCustomFields", "customItemTypes", "fields"};
    static const std::vector<std::string_view> with_descendants = [] {
      std::vector<std::string_view> v(std::begin(common), std::end(common));
      v.push_back("descendants");
      return v;
    }();
    Params p(r, scope == TaskScope::account ? Names(common) : Names(with_descendants));

    const bool descendants = p.boolean("descendants").value_or(true);
    const auto title = p.get("title");
    const auto statuses = p.strings("status", true, kStatuses);
    const auto importance = p.strings("importance", true, kImportance);
    const auto start = date_range(p, "startDate", true, true);
    const auto due = date_range(p, "dueDate", true, true);
    const auto scheduled = date_range(p, "scheduledDate", false, false);
    const auto created = timestamp_range(p, "createdDate");
    const auto updated = timestamp_range(p, "updatedDate");
    const auto completed = timestamp_range(p, "completedDate");
    const auto authors = p.strings("authors", true);
    const auto responsibles = p.strings("responsibles", true);
    (void)p.strings("responsiblePlaceholders", true);
    const auto permalink = p.get("permalink");
    const auto type = p.one_of("type", kDateTypes);
    const auto limit = p.integer("limit", 1, 1'000'000'000);
    const auto sort_field = p.one_of("sortField", kSortFields);
    const auto sort_order = p.one_of("sortOrder", kSortOrders);
    const bool subtasks = p.boolean("subTasks").value_or(false);
    const auto page_size = p.integer("pageSize", 1, cfg.max_page_size);
    const auto md = metadata_filter(p);
    auto cf = custom_field_filters(p, "customFields", 100);
    auto cf1 = custom_field_filters(p, "customField", 1);
    cf.insert(cf.end(), cf1.begin(), cf1.end());
    const auto custom_statuses = p.strings("customStatuses", true);
    (void)p.boolean("withInvitations");
    (void)p.strings("billingTypes", true);
    (void)p.boolean("plainTextCustomFields");
    const auto item_types = p.strings("customItemTypes", true);
    if (item_types && item_types->size() > 1000) invalid_param("customItemTypes", "at most 1000");
    const auto fields = p.fields(kTaskListFields);
    const std::string container_id(scope == TaskScope::folder  ? r.path_param("folderId")
                                   : scope == TaskScope::space ? r.path_param("spaceId")
                                                               : std::string_view{});

    const std::string field = sort_field.value_or("UpdatedDate");
    const bool desc = sort_order ? *sort_order == "Desc" : !sort_field.has_value();

    std::vector<json::object> out;
    std::size_t total = 0;
    Page pg;
    store.read([&](const WrikeData& d) {
      std::set<std::string_view> containers;
      if (scope != TaskScope::account) {
        const auto root = scope == TaskScope::space ? space_or_404(d, container_id)
                                                    : folder_or_404(d, container_id);
        // descendants=false: only tasks directly in the container
        if (descendants)
          for (auto i : subtree(d, root, true, true)) containers.insert(str(d.folders[i], "id"));
        else
          containers.insert(str(d.folders[root], "id"));
      }
      auto in_container = [&](const json::object& t) {
        for (auto key : {"parentIds", "superParentIds"})
          if (const auto* a = arr(t, key))
            for (const auto& v : *a)
              if (v.is_string() && containers.contains(v.get_string())) return true;
        return false;
      };
      auto any_of = [](const json::array* a, const std::vector<std::string>& wanted) {
        return std::any_of(wanted.begin(), wanted.end(),
                           [&](const std::string& w) { return array_contains(a, w); });
      };

      std::vector<const json::object*> hits;
      for (const auto& t : d.tasks) {
        if (str(t, "scope") != "WsTask") continue;
        if (!subtasks) {
          const auto* s = arr(t, "superTaskIds");
          if (s && !s->empty()) continue;
        }
        if (scope != TaskScope::account && !in_container(t)) continue;
        if (title && !icontains(str(t, "title"), *title)) continue;
        if (statuses && !in(*statuses, str(t, "status"))) continue;
        if (importance && !in(*importance, str(t, "importance"))) continue;
        if (type) {
          const auto* dd = obj(t, "dates");
          if (!dd || str(*dd, "type") != *type) continue;
        }
        if (start && !start->matches(dates_field(t, "start"))) continue;
        if (due && !due->matches(dates_field(t, "due"))) continue;
        if (scheduled) {
          auto s = dates_field(t, "start"), e = dates_field(t, "due");
          if (s.empty() || e.empty()) continue;
          if (scheduled->start && e.substr(0, 10) < std::string_view(*scheduled->start)) continue;
          if (scheduled->end && s.substr(0, 10) > std::string_view(*scheduled->end)) continue;
        }
        if (created && !created->matches(str(t, "createdDate"))) continue;
        if (updated && !updated->matches(str(t, "updatedDate"))) continue;
        if (completed && !completed->matches(str(t, "completedDate"))) continue;
        if (authors && !any_of(arr(t, "authorIds"), *authors)) continue;
        if (responsibles && !any_of(arr(t, "responsibleIds"), *responsibles)) continue;
        if (permalink && str(t, "permalink") != *permalink) continue;
        if (custom_statuses && !in(*custom_statuses, str(t, "customStatusId"))) continue;
        if (item_types && !in(*item_types, str(t, "customItemTypeId"))) continue;
        if (md && !md->matches(t)) continue;
        if (!std::all_of(cf.begin(), cf.end(), [&](const auto& x) { return x.matches(t); })) continue;
        hits.push_back(&t);
      }

      auto key_cmp = [&](const json::object* a, const json::object* b) -> int {
        auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
        if (field == "CreatedDate") return cmp(str(*a, "createdDate"), str(*b, "createdDate"));
        if (field == "UpdatedDate" || field == "LastAccessDate")
          return cmp(str(*a, "updatedDate"), str(*b, "updatedDate"));
        if (field == "CompletedDate") return cmp(str(*a, "completedDate"), str(*b, "completedDate"));
        if (field == "DueDate") return cmp(dates_field(*a, "due"), dates_field(*b, "due"));
        if (field == "Status")
          return cmp(ordinal(kStatuses, str(*a, "status")), ordinal(kStatuses, str(*b, "status")));
        if (field == "Importance")
          return cmp(ordinal(kImportance, str(*a, "importance")),
                     ordinal(kImportance, str(*b, "importance")));
        if (field == "Title") return cmp(str(*a, "title"), str(*b, "title"));
        // StartFinishInterval
        if (int c = cmp(dates_field(*a, "start"), dates_field(*b, "start"))) return c;
        return cmp(dates_field(*a, "due"), dates_field(*b, "due"));
      };
      std::sort(hits.begin(), hits.end(), [&](const json::object* a, const json::object* b) {
        int c = key_cmp(a, b);
        if (c != 0) return desc ? c > 0 : c < 0;
        return str(*a, "id") < str(*b, "id");
      });

      if (limit && hits.size() > static_cast<std::size_t>(*limit))
        hits.resize(static_cast<std::size_t>(*limit));
      total = hits.size();
      std::size_t b = 0, e = std::min<std::size_t>(total, static_cast<std::size_t>(cfg.max_unpaged_tasks));
      if (page_size) {
        pg = paginate(p, r.path, total, *page_size);
        b = pg.begin;
        e = pg.end;
      }
      out.reserve(e - b);
      for (auto i = b; i < e; ++i)
        out.push_back(project(*hits[i], [&](std::string_view k) {
          return contains(kTaskListDefault, k) || in(fields, k);
        }));
    });
    json::array data;
    data.reserve(out.size());
    for (auto& o : out) data.emplace_back(std::move(o));
    if (page_size) return ok_paged("tasks", std::move(data), pg.next, total);
    return ok("tasks", std::move(data));
  }

  Response tasks_by_id(const Request& r) {
    static constexpr std::string_view allowed[] = {"withInvitations", "plainTextCustomFields", "fields"};
    Params p(r, allowed);
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    const auto fields = p.fields(kTaskByIdFields);
    const auto ids = split_ids(r.path_param("taskIds"), "task", cfg.max_ids);
    json::array data;
    store.read([&](const WrikeData& d) {
      data = by_ids(ids, d.task_index, d.tasks, "Task", [&](const json::object& t) {
        return project(t, [&](std::string_view k) {
          return !contains(kTaskByIdFields, k) || in(fields, k) ||
                 (k == "cascadingFieldSettings" && in(fields, "cascadingFields"));
        });
      });
    });
    return ok("tasks", std::move(data));
  }

  // ---- custom fields and workflows ----

  static json::object stats_out(const json::object& o, const std::vector<std::string>& fields) {
    return project(o, [&](std::string_view k) { return !contains(kStatsFields, k) || in(fields, k); });
  }

  Response custom_fields(const Request& r) {
    static constexpr std::string_view allowed[] = {"applicableEntityTypes", "types",
                                                   "inheritanceTypes", "title", "fields"};
    Params p(r, allowed);
    const auto entity = p.strings("applicableEntityTypes", true);
    const auto types = p.strings("types", true);
    const auto inheritance = p.strings("inheritanceTypes", true);
    const auto title = p.get("title");
    const auto fields = p.fields(kStatsFields);
    json::array data;
    store.read([&](const WrikeData& d) {
      for (const auto& cf : d.custom_fields) {
        const auto* s = obj(cf, "settings");
        if (types && !in(*types, str(cf, "type"))) continue;
        if (title && !icontains(str(cf, "title"), *title)) continue;
        if (inheritance && !(s && in(*inheritance, str(*s, "inheritanceType")))) continue;
        if (entity) {
          const auto* a = s ? arr(*s, "applicableEntityTypes") : nullptr;
          const bool hit = a ? std::any_of(entity->begin(), entity->end(),
                                           [&](const std::string& e) { return array_contains(a, e); })
                             : in(*entity, "WorkItem");
          if (!hit) continue;
        }
        data.emplace_back(stats_out(cf, fields));
      }
    });
    return ok("customfields", std::move(data));
  }

  Response custom_fields_by_id(const Request& r) {
    static constexpr std::string_view allowed[] = {"fields"};
    Params p(r, allowed);
    const auto fields = p.fields(kStatsFields);
    const auto ids = split_ids(r.path_param("customFieldIds"), "custom field", cfg.max_ids);
    json::array data;
    store.read([&](const WrikeData& d) {
      data = by_ids(ids, d.custom_field_index, d.custom_fields, "Custom field",
                    [&](const json::object& cf) { return stats_out(cf, fields); });
    });
    return ok("customfields", std::move(data));
  }

  Response space_custom_fields(const Request& r) {
    static constexpr std::string_view allowed[] = {"fields"};
    Params p(r, allowed);
    const auto fields = p.fields(kStatsFields);
    const std::string id(r.path_param("spaceId"));
    json::array data;
    store.read([&](const WrikeData& d) {
      space_or_404(d, id);
      for (const auto& cf : d.custom_fields)
        if (str(cf, "spaceId") == id) data.emplace_back(stats_out(cf, fields));
    });
    return ok("customfields", std::move(data));
  }

  Response workflows(const Request& r, bool in_space) {
    static constexpr std::string_view allowed[] = {"fields"};
    Params p(r, allowed);
    const auto fields = p.fields(kStatsFields);
    const std::string id(in_space ? r.path_param("spaceId") : std::string_view{});
    json::array data;
    store.read([&](const WrikeData& d) {
      if (in_space) space_or_404(d, id);
      for (const auto& w : d.workflows) {
        const auto sp = str(w, "spaceId");
        if (in_space && !sp.empty() && sp != id) continue;
        data.emplace_back(stats_out(w, fields));
      }
    });
    return ok("workflows", std::move(data));
  }
};

}  // namespace

void install_wrike_routes(Server& server, WrikeStore& store, WrikeServiceConfig config) {
  auto svc = std::make_shared<Service>(Service{store, std::move(config)});
  server.set_error_formatter(wrike_error);

  auto add = [&](std::string pattern, std::function<Response(Service&, const Request&)> f) {
    server.route("GET", "/api/v4" + pattern, [svc, f = std::move(f)](const Request& r) -> Response {
      try {
        const bool ok = svc->cfg.accept_token ? svc->cfg.accept_token(r.bearer_token)
                                              : !r.bearer_token.empty();
        if (!ok) return wrike_error(401, "not_authorized", "Access token is unknown or invalid");
        if (auto m = r.param("method"); m && lower(*m) != "get")
          return wrike_error(404, "method_not_found",
                             "Method '" + std::string(*m) + " " + r.path + "' was not found");
        return f(*svc, r);
      } catch (const ApiError& e) {
        return wrike_error(e.status, e.code, e.description);
      }
    });
  };

  using TS = Service::TaskScope;
  using FS = Service::FolderScope;
  add("/account", [](Service& s, const Request& r) { return s.account(r); });
  add("/contacts", [](Service& s, const Request& r) { return s.contacts(r); });
  add("/contacts/{contactIds}", [](Service& s, const Request& r) { return s.contacts_by_id(r); });
  add("/spaces", [](Service& s, const Request& r) { return s.spaces(r); });
  add("/spaces/{spaceId}", [](Service& s, const Request& r) { return s.space_by_id(r); });
  add("/folders", [](Service& s, const Request& r) { return s.folders(r, FS::account); });
  add("/folders/{folderId}/folders", [](Service& s, const Request& r) { return s.folders(r, FS::folder); });
  add("/spaces/{spaceId}/folders", [](Service& s, const Request& r) { return s.folders(r, FS::space); });
  add("/folders/{folderIds}", [](Service& s, const Request& r) { return s.folders_by_id(r); });
  add("/tasks", [](Service& s, const Request& r) { return s.tasks(r, TS::account); });
  add("/folders/{folderId}/tasks", [](Service& s, const Request& r) { return s.tasks(r, TS::folder); });
  add("/spaces/{spaceId}/tasks", [](Service& s, const Request& r) { return s.tasks(r, TS::space); });
  add("/tasks/{taskIds}", [](Service& s, const Request& r) { return s.tasks_by_id(r); });
  add("/customfields", [](Service& s, const Request& r) { return s.custom_fields(r); });
  add("/customfields/{customFieldIds}", [](Service& s, const Request& r) { return s.custom_fields_by_id(r); });
  add("/spaces/{spaceId}/customfields", [](Service& s, const Request& r) { return s.space_custom_fields(r); });
  add("/workflows", [](Service& s, const Request& r) { return s.workflows(r, false); });
  add("/spaces/{spaceId}/workflows", [](Service& s, const Request& r) { return s.workflows(r, true); });
}

}  // namespace wrike_cascade::emulator
