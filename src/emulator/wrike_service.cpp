// The Wrike API v4 read endpoints of the emulator, over a WrikeStore.
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include "wrike_api.hpp"
#include "wrike_util.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <list>
#include <map>
#include <mutex>
#include <unordered_set>
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
    if (comparator == "StartsWith") return ascii_lower(c).starts_with(ascii_lower(v));
    if (comparator == "EndsWith") return ascii_lower(c).ends_with(ascii_lower(v));
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

// ---- the service ----------------------------------------------------------------------------

constexpr std::string_view kSortFields[] = {"CreatedDate", "UpdatedDate", "CompletedDate",
                                            "DueDate",     "Status",      "Importance",
                                            "Title",       "LastAccessDate", "StartFinishInterval"};
constexpr std::string_view kSortOrders[] = {"Asc", "Desc"};
constexpr std::string_view kAccessTypes[] = {"Locked", "Personal", "Private", "Public"};

int ordinal(Names names, std::string_view s) {
  auto it = std::find(names.begin(), names.end(), s);
  return it == names.end() ? static_cast<int>(names.size()) : static_cast<int>(it - names.begin());
}

// Sorted, filtered task listings by (query without page token/size/fields, store
// generation): the pages of one walk share one match-and-sort.
class TaskListCache {
 public:
  using Hits = std::shared_ptr<const std::vector<std::uint32_t>>;
  Hits find(const std::string& key, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->key == key && it->generation == generation) {
        entries_.splice(entries_.begin(), entries_, it);  // most recent first
        return entries_.front().hits;
      }
    return nullptr;
  }
  void put(const std::string& key, std::uint64_t generation, Hits hits) {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const Entry& e) { return e.key == key || e.generation != generation; });
    entries_.push_front(Entry{key, generation, std::move(hits)});
    while (entries_.size() > kCapacity) entries_.pop_back();
  }

 private:
  static constexpr std::size_t kCapacity = 16;
  struct Entry {
    std::string key;
    std::uint64_t generation;
    Hits hits;
  };
  std::mutex mutex_;
  std::list<Entry> entries_;
};

// Appends JSON text to a string, reusing one serializer.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  void value(const json::value& v) {
    sr_.reset(&v);
    drain();
  }
  void string(std::string_view s) {
    sr_.reset(s);
    drain();
  }
  // The members of `o` whose key passes `include`, in order: the bytes json::serialize gives
  // for the projected object.
  template <class Pred>
  void object(const json::object& o, Pred&& include) {
    out_ += '{';
    bool first = true;
    for (const auto& m : o) {
      if (!include(m.key())) continue;
      if (!first) out_ += ',';
      first = false;
      string(m.key());
      out_ += ':';
      value(m.value());
    }
    out_ += '}';
  }

 private:
  void drain() {
    while (!sr_.done()) {
      auto sv = sr_.read(buf_, sizeof buf_);
      out_.append(sv.data(), sv.size());
    }
  }
  std::string& out_;
  json::serializer sr_;
  char buf_[4096];
};

struct Service {
  WrikeStore& store;
  WrikeServiceConfig cfg;
  std::shared_ptr<TaskListCache> task_cache = std::make_shared<TaskListCache>();

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
            if (ascii_lower(str(c, "primaryEmail")) == ascii_lower(e)) hit = true;
            if (const auto* profiles = arr(c, "profiles"))
              for (const auto& pr : *profiles)
                if (pr.is_object() && ascii_lower(str(pr.get_object(), "email")) == ascii_lower(e)) hit = true;
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

    const std::string title_folded = title ? ascii_lower(*title) : std::string();
    static constexpr std::string_view not_in_key[] = {"nextPageToken", "pageSize", "fields"};
    const std::string cache_key = p.canonical_except(r.path, not_in_key);

    std::string body;
    store.read([&](const WrikeData& d) {
      auto hits = task_cache->find(cache_key, d.generation);
      if (!hits) {
        hits = std::make_shared<const std::vector<std::uint32_t>>(match_tasks(
            d, scope, container_id, descendants, [&](const TaskSummary& s, const json::object& t) {
              auto any_of = [](const json::array* a, const std::vector<std::string>& wanted) {
                return std::any_of(wanted.begin(), wanted.end(),
                                   [&](const std::string& w) { return array_contains(a, w); });
              };
              if (!subtasks && s.subtask) return false;
              if (title && !icontains_folded(s.title, title_folded)) return false;
              if (statuses && !in(*statuses, s.status)) return false;
              if (importance && !in(*importance, s.importance)) return false;
              if (type && s.dates_type != *type) return false;
              const std::string_view start_v = s.dates_start.empty() ? s.dates_due : s.dates_start;
              if (start && !start->matches(start_v)) return false;
              if (due && !due->matches(s.dates_due)) return false;
              if (scheduled) {
                std::string_view e = s.dates_due;
                if (start_v.empty() || e.empty()) return false;
                if (scheduled->start && e.substr(0, 10) < std::string_view(*scheduled->start)) return false;
                if (scheduled->end && start_v.substr(0, 10) > std::string_view(*scheduled->end)) return false;
              }
              if (created && !created->matches(s.created_date)) return false;
              if (updated && !updated->matches(s.updated_date)) return false;
              if (completed && !completed->matches(s.completed_date)) return false;
              if (authors && !any_of(arr(t, "authorIds"), *authors)) return false;
              if (responsibles && !any_of(arr(t, "responsibleIds"), *responsibles)) return false;
              if (permalink && s.permalink != *permalink) return false;
              if (custom_statuses && !in(*custom_statuses, s.custom_status_id)) return false;
              if (item_types && !in(*item_types, s.custom_item_type_id)) return false;
              if (md && !md->matches(t)) return false;
              return std::all_of(cf.begin(), cf.end(), [&](const auto& x) { return x.matches(t); });
            },
            field, desc, limit));
        task_cache->put(cache_key, d.generation, hits);
      }

      const std::size_t total = hits->size();
      std::size_t b = 0, e = std::min<std::size_t>(total, static_cast<std::size_t>(cfg.max_unpaged_tasks));
      Page pg;
      if (page_size) {
        pg = paginate(p, r.path, total, *page_size);
        b = pg.begin;
        e = pg.end;
      }
      // Serialised straight from the store (no copies): the same bytes as serialising the
      // projected objects.
      JsonWriter w(body);
      body.reserve(256 + (e - b) * (fields.empty() ? 420 : 1200));
      body += "{\"kind\":\"tasks\",";
      if (page_size) {
        if (!pg.next.empty()) {
          body += "\"nextPageToken\":";
          w.string(pg.next);
          body += ',';
        }
        body += "\"responseSize\":" + std::to_string(total) + ",";
      }
      body += "\"data\":[";
      std::unordered_set<std::string_view> shown(std::begin(kTaskListDefault), std::end(kTaskListDefault));
      shown.insert(fields.begin(), fields.end());
      for (auto i = b; i < e; ++i) {
        if (i != b) body += ',';
        w.object(d.tasks[(*hits)[i]], [&](std::string_view k) { return shown.contains(k); });
      }
      body += "]}";
    });
    return Response::json(200, std::move(body));
  }

  // Indices of the tasks in the workspace (scope WsTask) within the scope that pass `keep`,
  // sorted by `field` (desc or asc), ties by id ascending, cut at `limit`.
  template <class Keep>
  std::vector<std::uint32_t> match_tasks(const WrikeData& d, TaskScope scope, const std::string& container_id,
                                         bool descendants, Keep&& keep, const std::string& field, bool desc,
                                         std::optional<long long> limit) const {
    enum class SortKey { created, updated, completed, due, status, importance, title, interval };
    const SortKey sort_key = field == "CreatedDate"                                   ? SortKey::created
                             : field == "UpdatedDate" || field == "LastAccessDate" ? SortKey::updated
                             : field == "CompletedDate"                             ? SortKey::completed
                             : field == "DueDate"                                   ? SortKey::due
                             : field == "Status"                                    ? SortKey::status
                             : field == "Importance"                                ? SortKey::importance
                             : field == "Title"                                     ? SortKey::title
                                                                                    : SortKey::interval;
    std::unordered_set<std::string_view> containers;
    if (scope != TaskScope::account) {
      const auto root = scope == TaskScope::space ? space_or_404(d, container_id)
                                                  : folder_or_404(d, container_id);
      // descendants=false: only tasks directly in the container
      if (descendants)
        for (auto i : subtree(d, root, true, true)) containers.insert(str(d.folders[i], "id"));
      else
        containers.insert(str(d.folders[root], "id"));
    }
    auto in_container = [&](const TaskSummary& s) {
      for (const auto& l : s.locations)
        if (containers.contains(l)) return true;
      return false;
    };

    struct Hit {
      std::string_view k1, k2, id;
      int ord;
      std::uint32_t index;
    };
    std::vector<Hit> hits;
    hits.reserve(d.tasks.size());
    for (std::size_t i = 0; i < d.tasks.size(); ++i) {
      const auto& s = d.task_summaries[i];
      if (s.scope != "WsTask") continue;
      if (scope != TaskScope::account && !in_container(s)) continue;
      if (!keep(s, d.tasks[i])) continue;
      Hit h{{}, {}, s.id, 0, static_cast<std::uint32_t>(i)};
      switch (sort_key) {
        case SortKey::created: h.k1 = s.created_date; break;
        case SortKey::updated: h.k1 = s.updated_date; break;
        case SortKey::completed: h.k1 = s.completed_date; break;
        case SortKey::due: h.k1 = s.dates_due; break;
        case SortKey::status: h.ord = ordinal(kStatuses, s.status); break;
        case SortKey::importance: h.ord = ordinal(kImportance, s.importance); break;
        case SortKey::title: h.k1 = s.title; break;
        case SortKey::interval:
          h.k1 = s.dates_start.empty() ? std::string_view(s.dates_due) : std::string_view(s.dates_start);
          h.k2 = s.dates_due;
          break;
      }
      hits.push_back(h);
    }
    std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
      int c = a.ord < b.ord ? -1 : (b.ord < a.ord ? 1 : 0);
      if (c == 0) c = a.k1.compare(b.k1);
      if (c == 0) c = a.k2.compare(b.k2);
      if (c != 0) return desc ? c > 0 : c < 0;
      return a.id < b.id;
    });
    if (limit && hits.size() > static_cast<std::size_t>(*limit)) hits.resize(static_cast<std::size_t>(*limit));
    std::vector<std::uint32_t> out;
    out.reserve(hits.size());
    for (const auto& h : hits) out.push_back(h.index);
    return out;
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
  detail::install_wrike_api(server, store, std::move(config), {});
}

void detail::install_wrike_api(Server& server, WrikeStore& store, WrikeServiceConfig config,
                               const std::function<void(ApiRoutes&)>& more) {
  auto svc = std::make_shared<Service>(Service{store, config});
  server.set_error_formatter(wrike_error);
  ApiRoutes routes("/api/v4", config.accept_token);

  auto add = [&](std::string pattern, std::function<Response(Service&, const Request&)> f) {
    routes.add("GET", std::move(pattern), [svc, f = std::move(f)](const Request& r) { return f(*svc, r); });
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
  add_write_routes(routes, store, config);
  if (more) more(routes);
  routes.install(server);
}

}  // namespace wrike_cascade::emulator
