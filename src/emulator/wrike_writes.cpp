// The Wrike API v4 write endpoints of the emulator (wrike-api.md §4.3, §4.5):
//   POST   /folders/{folderId}/tasks
//   PUT    /tasks/{taskId}
//   DELETE /tasks/{taskId}
//   PUT    /folders/{folderId}
// Every parameter is validated before anything changes; a change goes through the store's
// transactions (so it bumps updatedDate and raises the webhook events).
#include "wrike_api.hpp"
#include "wrike_util.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_map>
#include <cctype>
#include <string>
#include <vector>

namespace wrike_cascade::emulator::detail {

namespace {

// ---- value checks ---------------------------------------------------------------------------

bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  bool digits_seen = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) digits_seen = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digits_seen;
}

bool valid_metadata_key(std::string_view k) {
  return !k.empty() && k.size() < 50 && std::all_of(k.begin(), k.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '_' || c == '-';
         });
}

// Plain text of an HTML description (tags dropped, spaces collapsed), at most 200 characters.
std::string brief_of(std::string_view html) {
  std::string out;
  bool tag = false, space = false;
  for (char c : html) {
    if (c == '<') {
      tag = true;
      space = !out.empty();
      continue;
    }
    if (tag) {
      if (c == '>') tag = false;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > 200) out.resize(200);
  return out;
}

json::array to_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> strings_of(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = arr(o, key))
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

void add_all(std::vector<std::string>& to, const std::vector<std::string>& more) {
  for (const auto& s : more)
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

void remove_all(std::vector<std::string>& from, const std::vector<std::string>& gone) {
  std::erase_if(from, [&](const std::string& s) { return std::find(gone.begin(), gone.end(), s) != gone.end(); });
}

// Whether `target` lies anywhere below `item`, following `child_key` ("subTaskIds",
// "childIds") through `items`: the cycle check of addSuperTasks and addParents.
bool is_below(const json::object& item, const std::string& target,
              const std::unordered_map<std::string, std::size_t>& index,
              const std::vector<json::object>& items, std::string_view child_key) {
  std::vector<std::string> below = strings_of(item, child_key);
  for (std::size_t i = 0; i < below.size() && below.size() < 100000; ++i) {
    if (below[i] == target) return true;
    if (auto it = index.find(below[i]); it != index.end()) add_all(below, strings_of(items[it->second], child_key));
  }
  return false;
}

// A fixed-width hex string plus `delta` (saturating), for priorityBefore/priorityAfter.
std::string hex_add(std::string s, int delta) {
  static constexpr char digits[] = "0123456789abcdef";
  auto val = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.empty() || std::any_of(s.begin(), s.end(), [&](char c) { return val(c) < 0; })) return s;
  const std::string original = s;
  for (std::size_t i = s.size(); i-- > 0;) {
    int v = val(s[i]) + delta;
    if (v >= 0 && v < 16) {
      s[i] = digits[v];
      return s;
    }
    s[i] = digits[delta > 0 ? 0 : 15];  // carry / borrow
  }
  return original;  // overflow: leave it
}

// ---- parameter readers ----------------------------------------------------------------------

struct MetadataEntry {
  std::string key;
  std::optional<std::string> value;  // nullopt: delete the key
};

// A parameter that is a JSON array of at most 100 {"<first>":..,"<second>":..} objects: the
// objects, checked for shape and keys (nullopt when the parameter is absent).
std::optional<std::vector<json::object>> pair_list_param(const Params& p, const std::string& name,
                                                         std::string_view first, std::string_view second) {
  auto v = p.json_value(name);
  if (!v) return std::nullopt;
  const std::string shape = "{\"" + std::string(first) + "\":..,\"" + std::string(second) + "\":..}";
  if (!v->is_array()) invalid_param(name, "expected [" + shape + "]");
  const auto& a = v->get_array();
  if (a.size() > 100) invalid_param(name, "at most 100 entries");
  std::vector<json::object> out;
  for (const auto& e : a) {
    if (!e.is_object()) invalid_param(name, "each entry must be " + shape);
    const auto& o = e.get_object();
    for (const auto& m : o)
      if (m.key() != first && m.key() != second) invalid_param(name, "unknown key '" + std::string(m.key()) + "'");
    out.push_back(o);
  }
  return out;
}

std::optional<std::vector<MetadataEntry>> metadata_param(const Params& p, bool allow_null) {
  auto entries = pair_list_param(p, "metadata", "key", "value");
  if (!entries) return std::nullopt;
  std::vector<MetadataEntry> out;
  for (const auto& o : *entries) {
    const auto* k = o.if_contains("key");
    if (!k || !k->is_string() || !valid_metadata_key(k->get_string()))
      invalid_param("metadata", "a key is 1-49 characters of [A-Za-z0-9_-]");
    MetadataEntry m{std::string(k->get_string()), std::nullopt};
    const auto* val = o.if_contains("value");
    if (val && val->is_string()) {
      if (val->get_string().size() >= 1000) invalid_param("metadata", "a value is under 1000 characters");
      m.value = std::string(val->get_string());
    } else if (!(val == nullptr || val->is_null()) || !allow_null) {
      invalid_param("metadata", allow_null ? "a value is a string or null" : "a value is a string");
    }
    out.push_back(std::move(m));
  }
  return out;
}

void apply_metadata(json::object& o, const std::vector<MetadataEntry>& entries) {
  json::array md = o.contains("metadata") && o.at("metadata").is_array() ? o.at("metadata").get_array() : json::array{};
  for (const auto& e : entries) {
    auto it = std::find_if(md.begin(), md.end(), [&](const json::value& x) {
      return x.is_object() && str(x.get_object(), "key") == e.key;
    });
    if (!e.value) {
      if (it != md.end()) md.erase(it);
    } else if (it != md.end()) {
      it->as_object()["value"] = *e.value;
    } else {
      md.push_back(json::object{{"key", e.key}, {"value", *e.value}});
    }
  }
  o["metadata"] = std::move(md);
}

struct CustomFieldEntry {
  std::string id;
  std::optional<std::string> value;  // nullopt (or ""): clear
};

// The value's text checked against the field's type (lightly).
void check_custom_value(const WrikeData& d, const json::object& def, const std::string& v) {
  const auto type = str(def, "type");
  const json::object none;
  const json::object& s = obj(def, "settings") ? *obj(def, "settings") : none;
  const std::string what = "custom field " + std::string(str(def, "id")) + " (" + std::string(type) + ")";
  auto bad = [&](std::string why) { invalid_param("customFields", what + ": " + why); };
  auto options = [&]() {
    std::vector<std::string> out = strings_of(s, "values");
    if (const auto* o = arr(s, "options"))
      for (const auto& e : *o)
        if (e.is_object()) add_all(out, {std::string(str(e.get_object(), "value"))});
    return out;
  };
  if (type == "Text") {
    if (v.size() > 2000) bad("at most 2000 characters");
  } else if (type == "Numeric" || type == "Currency" || type == "Percentage") {
    if (!is_decimal(v)) bad("'" + v + "' is not a number");
  } else if (type == "Checkbox") {
    if (v != "true" && v != "false") bad("expected \"true\" or \"false\"");
  } else if (type == "Date") {
    if (!is_date(v) && !(flag(s, "allowTime") && is_local_datetime(v))) bad("expected yyyy-MM-dd");
  } else if (type == "Duration") {
    const auto colon = v.find(':');
    const bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) || c == ':'; }) &&
                    (colon == std::string::npos || v.find(':', colon + 1) == std::string::npos);
    if (!ok) bad("expected hours:minutes");
  } else if (type == "DropDown") {
    const auto opts = options();
    if (!flag(s, "allowOtherValues") && std::find(opts.begin(), opts.end(), v) == opts.end())
      bad("'" + v + "' is not one of its options");
  } else if (type == "Multiple") {
    boost::system::error_code ec;
    auto parsed = json::parse(v, ec);
    if (ec || !parsed.is_array()) bad("expected a JSON array of strings inside the string");
    const auto opts = options();
    for (const auto& e : parsed.get_array()) {
      if (!e.is_string()) bad("expected a JSON array of strings inside the string");
      if (!flag(s, "allowOtherValues") && std::find(opts.begin(), opts.end(), e.get_string()) == opts.end())
        bad("'" + std::string(e.get_string()) + "' is not one of its options");
    }
  } else if (type == "Contacts") {
    std::string_view rest = v;
    while (true) {
      const auto c = rest.find(',');
      const std::string id(rest.substr(0, c));
      if (!d.contact_index.contains(id)) bad("unknown contact '" + id + "'");
      if (c == std::string_view::npos) break;
      rest.remove_prefix(c + 1);
    }
  }
}

std::optional<std::vector<CustomFieldEntry>> custom_fields_param(const Params& p, const WrikeData& d) {
  auto entries = pair_list_param(p, "customFields", "id", "value");
  if (!entries) return std::nullopt;
  std::vector<CustomFieldEntry> out;
  for (const auto& o : *entries) {
    const auto* id = o.if_contains("id");
    if (!id || !id->is_string()) invalid_param("customFields", "an entry without an id");
    auto it = d.custom_field_index.find(std::string(id->get_string()));
    if (it == d.custom_field_index.end())
      invalid_param("customFields", "unknown custom field '" + std::string(id->get_string()) + "'");
    CustomFieldEntry c{std::string(id->get_string()), std::nullopt};
    const auto* val = o.if_contains("value");
    if (val && !val->is_null()) {
      if (val->is_string()) c.value = std::string(val->get_string());
      else if (val->is_number() || val->is_bool()) c.value = json::serialize(*val);
      else invalid_param("customFields", "a value is a string or null");
      if (c.value->empty()) c.value.reset();
      else check_custom_value(d, d.custom_fields[it->second], *c.value);
    }
    out.push_back(std::move(c));
  }
  return out;
}

void apply_custom_fields(json::object& o, const std::vector<CustomFieldEntry>& entries) {
  json::array cfs = o.contains("customFields") && o.at("customFields").is_array() ? o.at("customFields").get_array()
                                                                                    : json::array{};
  for (const auto& e : entries) {
    auto it = std::find_if(cfs.begin(), cfs.end(), [&](const json::value& x) {
      return x.is_object() && str(x.get_object(), "id") == e.id;
    });
    if (!e.value) {
      if (it != cfs.end()) cfs.erase(it);
    } else if (it != cfs.end()) {
      it->as_object()["value"] = *e.value;
    } else {
      cfs.push_back(json::object{{"id", e.id}, {"value", *e.value}});
    }
  }
  o["customFields"] = std::move(cfs);
}

// `dates` as Wrike takes it on input -> the dates object of the model.
json::object dates_param(const json::value& v) {
  if (!v.is_object()) invalid_param("dates", "expected {\"type\":..,\"start\":..,\"due\":..}");
  const auto& o = v.get_object();
  static constexpr std::string_view keys[] = {"type", "duration", "start", "due", "workOnWeekends"};
  for (const auto& m : o)
    if (!contains(keys, m.key())) invalid_param("dates", "unknown key '" + std::string(m.key()) + "'");
  auto text = [&](std::string_view k) -> std::optional<std::string> {
    const auto* x = o.if_contains(k);
    if (!x || x->is_null()) return std::nullopt;
    if (!x->is_string()) invalid_param("dates", std::string(k) + " must be a string");
    return std::string(x->get_string());
  };
  auto type = text("type");
  auto start = text("start"), due = text("due");
  std::optional<std::int64_t> duration;
  if (const auto* x = o.if_contains("duration"); x && !x->is_null()) {
    if (!x->is_int64() && !x->is_uint64()) invalid_param("dates", "duration must be an integer (minutes)");
    duration = x->is_int64() ? x->get_int64() : static_cast<std::int64_t>(x->get_uint64());
    if (*duration < 0 || *duration >= 1800000) invalid_param("dates", "duration must be in [0, 1800000)");
  }
  bool weekends = false;
  if (const auto* x = o.if_contains("workOnWeekends"); x && !x->is_null()) {
    if (!x->is_bool()) invalid_param("dates", "workOnWeekends must be true or false");
    weekends = x->get_bool();
  }
  if (!type) type = (start || duration) ? "Planned" : due ? "Milestone" : "Backlog";
  if (!contains(kDateTypes, *type)) invalid_param("dates", "unknown type '" + *type + "'");

  // yyyy-MM-dd -> that day at `hour`; yyyy-MM-ddTHH:mm:ss kept. Returns (day, text).
  auto local = [&](const std::string& s, int hour) -> std::pair<std::int64_t, std::string> {
    if (is_date(s)) {
      const auto day = *parse_date(s);
      return {day, format_local(day, hour)};
    }
    if (is_local_datetime(s)) return {*parse_date(s), s};
    invalid_param("dates", "start and due must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss");
  };
  auto workday = [&](std::int64_t day) { return weekends || weekday(day) < 5; };

  json::object out;
  out["type"] = *type;
  if (*type == "Backlog") {
    if (start || due || duration) invalid_param("dates", "Backlog tasks have no start, due or duration");
    return out;
  }
  if (*type == "Milestone") {
    if (!due && !start) invalid_param("dates", "a Milestone needs due");
    out["due"] = local(due ? *due : *start, 17).second;
    return out;
  }
  // Planned: two of start, due, duration.
  std::int64_t minutes = 0;
  std::string start_text, due_text;
  if (start && due) {
    auto [a, at] = local(*start, 9);
    auto [b, bt] = local(*due, 17);
    if (bt < at) invalid_param("dates", "due is before start");
    std::int64_t days = 0;
    for (auto x = a; x <= b; ++x) days += workday(x) ? 1 : 0;
    minutes = std::max<std::int64_t>(1, days) * 480;
    start_text = at;
    due_text = bt;
  } else if (duration && (start || due)) {
    const std::int64_t days = std::max<std::int64_t>(1, (*duration + 479) / 480);
    minutes = *duration;
    if (start) {
      auto [a, at] = local(*start, 9);
      std::int64_t b = a;
      for (std::int64_t left = days - 1; left > 0;)
        if (workday(++b)) --left;
      start_text = at;
      due_text = format_local(b, 17);
    } else {
      auto [b, bt] = local(*due, 17);
      std::int64_t a = b;
      for (std::int64_t left = days - 1; left > 0;)
        if (workday(--a)) --left;
      start_text = format_local(a, 9);
      due_text = bt;
    }
  } else {
    invalid_param("dates", "a Planned task needs two of start, due and duration");
  }
  out["duration"] = minutes;
  out["start"] = start_text;
  out["due"] = due_text;
  if (weekends) out["workOnWeekends"] = true;
  return out;
}

// The status group of a custom status id ("" when unknown).
std::string group_of(const WrikeData& d, std::string_view status_id) {
  for (const auto& w : d.workflows)
    if (const auto* statuses = arr(w, "customStatuses"))
      for (const auto& s : *statuses)
        if (s.is_object() && str(s.get_object(), "id") == status_id) return std::string(str(s.get_object(), "group"));
  return {};
}

std::string me_of(const WrikeData& d) {
  for (const auto& c : d.contacts)
    if (flag(c, "me")) return std::string(str(c, "id"));
  return d.contacts.empty() ? std::string() : std::string(str(d.contacts.front(), "id"));
}

// ---- the endpoints --------------------------------------------------------------------------

struct Writes {
  WrikeStore& store;
  WrikeServiceConfig cfg;

  std::string single_id(const Request& r, std::string_view param, std::string_view what) const {
    auto ids = split_ids(r.path_param(param), what, cfg.max_ids);
    if (ids.size() != 1)
      fail(400, "invalid_request",
           "Modifying several " + std::string(what) + "s at once is not supported by the emulator");
    return ids.front();
  }

  // IDs of the JSON array `name`, each checked to exist in `index`.
  static std::optional<std::vector<std::string>> ids_param(const Params& p, std::string_view name,
                                                           const std::unordered_map<std::string, std::size_t>& index,
                                                           std::string_view what) {
    auto v = p.strings(name);
    if (!v) return std::nullopt;
    if (v->size() > 1000) invalid_param(name, "too many ids");
    for (const auto& id : *v)
      if (!index.contains(id)) invalid_param(name, "unknown " + std::string(what) + " '" + id + "'");
    return v;
  }

  static std::string priority_near(const WrikeData& d, const Params& p) {
    for (auto [name, delta] : {std::pair<std::string_view, int>{"priorityBefore", -1}, {"priorityAfter", 1}})
      if (auto id = p.get(name)) {
        auto it = d.task_index.find(*id);
        if (it == d.task_index.end()) invalid_param(name, "unknown task '" + *id + "'");
        return hex_add(std::string(str(d.tasks[it->second], "priority")), delta);
      }
    return {};
  }

  static void check_custom_status(const WrikeData& d, const std::string& id, std::string_view param) {
    if (group_of(d, id).empty()) invalid_param(param, "unknown custom status '" + id + "'");
  }

  // superParentIds of a task under these super tasks: where they live (Root left out).
  static json::array super_parents(const WrikeData& d, const std::vector<std::string>& supers,
                                   const std::vector<std::string>& own_parents) {
    std::vector<std::string> out;
    const std::string root = d.root_folder_id();
    for (const auto& s : supers)
      if (auto it = d.task_index.find(s); it != d.task_index.end())
        for (auto key : {"parentIds", "superParentIds"})
          for (auto& f : strings_of(d.tasks[it->second], key))
            if (f != root && std::find(own_parents.begin(), own_parents.end(), f) == own_parents.end())
              add_all(out, {f});
    return to_array(out);
  }

  // ---- POST /folders/{folderId}/tasks ----

  Response create_task(const Request& r) {
    static constexpr std::string_view allowed[] = {
        "title", "description", "status", "importance", "dates", "shareds", "parents", "responsibles",
        "responsiblePlaceholders", "followers", "follow", "priorityBefore", "priorityAfter", "superTasks",
        "metadata", "customFields", "customStatus", "effortAllocation", "billingType", "withInvitations",
        "customItemTypeId", "plainTextCustomFields", "workScheduleId", "fields"};
    check_body(r);
    Params p(r, allowed);
    const std::string folder_id(r.path_param("folderId"));
    const auto title = p.get("title");
    if (!title) param_required("title");
    if (title->empty()) invalid_param("title", "must not be empty");
    const auto description = p.get("description");
    const auto status = p.one_of("status", kStatuses);
    const auto importance = p.one_of("importance", kImportance);
    const auto dates_v = p.json_value("dates");
    const auto dates = dates_v ? std::optional<json::object>(dates_param(*dates_v)) : std::nullopt;
    const auto follow = p.boolean("follow");
    const auto metadata = metadata_param(p, false);
    const auto custom_status = p.get("customStatus");
    const auto effort = p.json_value("effortAllocation");
    if (effort && !effort->is_object()) invalid_param("effortAllocation", "expected an object");
    const auto placeholders = p.strings("responsiblePlaceholders");
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    if (p.has("priorityBefore") && p.has("priorityAfter"))
      invalid_param("priorityAfter", "give priorityBefore or priorityAfter, not both");
    const auto fields = p.fields(kTaskByIdFields);

    json::object t;
    store.read([&](const WrikeData& d) {
      auto fit = d.folder_index.find(folder_id);
      if (fit == d.folder_index.end()) fail(404, "resource_not_found", "Folder '" + folder_id + "' not found");
      const auto& folder = d.folders[fit->second];
      if (str(folder, "scope").starts_with("Rb"))
        fail(400, "invalid_parameter", "Folder '" + folder_id + "' is in the Recycle Bin");
      const auto shareds = ids_param(p, "shareds", d.contact_index, "contact");
      const auto parents = ids_param(p, "parents", d.folder_index, "folder");
      const auto responsibles = ids_param(p, "responsibles", d.contact_index, "contact");
      const auto followers = ids_param(p, "followers", d.contact_index, "contact");
      const auto supers = ids_param(p, "superTasks", d.task_index, "task");
      const auto cfs = custom_fields_param(p, d);
      if (custom_status) check_custom_status(d, *custom_status, "customStatus");
      const auto priority = priority_near(d, p);
      const std::string me = me_of(d);

      t["title"] = *title;
      if (description) {
        t["description"] = *description;
        t["briefDescription"] = brief_of(*description);
      }
      std::vector<std::string> parent_ids{folder_id};
      if (parents) add_all(parent_ids, *parents);
      t["parentIds"] = to_array(parent_ids);
      t["superParentIds"] = supers ? super_parents(d, *supers, parent_ids) : json::array{};
      auto shared = strings_of(folder, "sharedIds");
      if (shareds) add_all(shared, *shareds);
      if (!me.empty()) add_all(shared, {me});
      t["sharedIds"] = to_array(shared);
      t["responsibleIds"] = to_array(responsibles.value_or(std::vector<std::string>{}));
      if (placeholders) t["responsiblePlaceholderIds"] = to_array(*placeholders);
      if (custom_status) t["customStatusId"] = *custom_status;  // overrides status
      else if (status) t["status"] = *status;
      if (importance) t["importance"] = *importance;
      if (dates) t["dates"] = *dates;
      std::vector<std::string> follower_ids;
      if (follow.value_or(true) && !me.empty()) follower_ids.push_back(me);
      if (followers) add_all(follower_ids, *followers);
      t["followedByMe"] = !me.empty() && std::find(follower_ids.begin(), follower_ids.end(), me) != follower_ids.end();
      t["followerIds"] = to_array(follower_ids);
      if (!priority.empty()) t["priority"] = priority;
      if (supers) t["superTaskIds"] = to_array(*supers);
      if (metadata) {
        t["metadata"] = json::array{};
        apply_metadata(t, *metadata);
      }
      if (cfs) {
        t["customFields"] = json::array{};
        apply_custom_fields(t, *cfs);
      }
      if (effort) t["effortAllocation"] = *effort;
      if (auto b = p.get("billingType")) t["billingType"] = *b;
      if (auto c = p.get("customItemTypeId")) t["customItemTypeId"] = *c;
      if (auto w = p.get("workScheduleId")) t["workScheduleId"] = *w;
    });
    const auto id = store.add_task(folder_id, std::move(t));
    json::array data;
    data.emplace_back(task_by_id_out(*store.task(id), fields));
    return ok("tasks", std::move(data));
  }

  // ---- PUT /tasks/{taskId} ----

  Response update_task(const Request& r) {
    static constexpr std::string_view allowed[] = {
        "title", "description", "status", "importance", "dates", "addParents", "removeParents", "addShareds",
        "removeShareds", "addResponsibles", "removeResponsibles", "addResponsiblePlaceholders",
        "removeResponsiblePlaceholders", "addFollowers", "follow", "priorityBefore", "priorityAfter",
        "addSuperTasks", "removeSuperTasks", "metadata", "customFields", "customStatus", "restore",
        "effortAllocation", "setResponsibleAllocation", "billingType", "withInvitations",
        "convertToCustomItemType", "plainTextCustomFields", "workScheduleId", "fields"};
    check_body(r);
    Params p(r, allowed);
    const std::string id = single_id(r, "taskIds", "task");
    const auto title = p.get("title");
    if (title && title->empty()) invalid_param("title", "must not be empty");
    const auto description = p.get("description");
    const auto status = p.one_of("status", kStatuses);
    const auto importance = p.one_of("importance", kImportance);
    const auto dates_v = p.json_value("dates");
    const auto dates = dates_v ? std::optional<json::object>(dates_param(*dates_v)) : std::nullopt;
    const auto follow = p.boolean("follow");
    const auto restore = p.boolean("restore");
    const auto metadata = metadata_param(p, true);
    const auto custom_status = p.get("customStatus");
    const auto effort = p.json_value("effortAllocation");
    if (effort && !effort->is_object()) invalid_param("effortAllocation", "expected an object");
    if (auto a = p.json_value("setResponsibleAllocation"); a && !a->is_array() && !a->is_object())
      invalid_param("setResponsibleAllocation", "expected JSON");
    const auto add_placeholders = p.strings("addResponsiblePlaceholders");
    const auto remove_placeholders = p.strings("removeResponsiblePlaceholders");
    const auto remove_parents = p.strings("removeParents");
    const auto remove_shareds = p.strings("removeShareds");
    const auto remove_responsibles = p.strings("removeResponsibles");
    const auto remove_supers = p.strings("removeSuperTasks");
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    if (p.has("priorityBefore") && p.has("priorityAfter"))
      invalid_param("priorityAfter", "give priorityBefore or priorityAfter, not both");
    const auto fields = p.fields(kTaskByIdFields);

    const bool found = store.update_task(id, [&](const WrikeData& d, json::object& t) {
      const auto add_parents = ids_param(p, "addParents", d.folder_index, "folder");
      const auto add_shareds = ids_param(p, "addShareds", d.contact_index, "contact");
      const auto add_responsibles = ids_param(p, "addResponsibles", d.contact_index, "contact");
      const auto add_followers = ids_param(p, "addFollowers", d.contact_index, "contact");
      const auto add_supers = ids_param(p, "addSuperTasks", d.task_index, "task");
      const auto cfs = custom_fields_param(p, d);
      if (custom_status) check_custom_status(d, *custom_status, "customStatus");
      const auto priority = priority_near(d, p);
      const std::string me = me_of(d);

      if (restore && *restore && str(t, "scope") == "RbTask") {
        t["scope"] = "WsTask";
        if (auto it = d.recycled.find(id); it != d.recycled.end()) {
          t["parentIds"] = it->second.contains("parentIds") ? it->second.at("parentIds") : json::array{};
          t["superParentIds"] = it->second.contains("superParentIds") ? it->second.at("superParentIds") : json::array{};
        } else {
          t["parentIds"] = json::array{d.root_folder_id()};
        }
      }
      if (title) t["title"] = *title;
      if (description) {
        t["description"] = *description;
        t["briefDescription"] = brief_of(*description);
      }
      if (custom_status) t["customStatusId"] = *custom_status;  // overrides status
      else if (status) t["status"] = *status;
      if (importance) t["importance"] = *importance;
      if (dates) t["dates"] = *dates;

      auto parents = strings_of(t, "parentIds");
      if (add_parents) {
        for (const auto& f : *add_parents)
          if (str(d.folders[d.folder_index.at(f)], "scope").starts_with("Rb"))
            invalid_param("addParents", "folder '" + f + "' is in the Recycle Bin");
        add_all(parents, *add_parents);
      }
      if (remove_parents) remove_all(parents, *remove_parents);
      if (add_parents || remove_parents) {
        if (parents.empty()) invalid_param("removeParents", "a task keeps at least one parent");
        t["parentIds"] = to_array(parents);
      }
      auto update_list = [&](std::string_view key, const std::optional<std::vector<std::string>>& add,
                             const std::optional<std::vector<std::string>>& remove) {
        if (!add && !remove) return;
        auto v = strings_of(t, key);
        if (add) add_all(v, *add);
        if (remove) remove_all(v, *remove);
        t[key] = to_array(v);
      };
      update_list("sharedIds", add_shareds, remove_shareds);
      update_list("responsibleIds", add_responsibles, remove_responsibles);
      update_list("responsiblePlaceholderIds", add_placeholders, remove_placeholders);
      update_list("followerIds", add_followers, std::nullopt);
      if (follow && !me.empty()) {
        update_list("followerIds", *follow ? std::optional<std::vector<std::string>>({me}) : std::nullopt,
                    *follow ? std::nullopt : std::optional<std::vector<std::string>>({me}));
      }
      if (add_followers || follow) t["followedByMe"] = !me.empty() && array_contains(arr(t, "followerIds"), me);

      if (add_supers || remove_supers) {
        auto supers = strings_of(t, "superTaskIds");
        if (add_supers) {
          for (const auto& s : *add_supers) {
            if (s == id) invalid_param("addSuperTasks", "a task cannot be its own super task");
            if (is_below(t, s, d.task_index, d.tasks, "subTaskIds"))  // no cycles
              invalid_param("addSuperTasks", "task '" + s + "' is a subtask of this task");
          }
          add_all(supers, *add_supers);
        }
        if (remove_supers) remove_all(supers, *remove_supers);
        t["superTaskIds"] = to_array(supers);
        t["superParentIds"] = super_parents(d, supers, strings_of(t, "parentIds"));
      }
      if (!priority.empty()) t["priority"] = priority;
      if (metadata) apply_metadata(t, *metadata);
      if (cfs) apply_custom_fields(t, *cfs);
      if (effort) t["effortAllocation"] = *effort;
      if (auto b = p.get("billingType")) t["billingType"] = *b;
      if (auto c = p.get("convertToCustomItemType")) t["customItemTypeId"] = *c;
      if (auto w = p.get("workScheduleId")) t["workScheduleId"] = *w;
    });
    if (!found) fail(404, "resource_not_found", "Task '" + id + "' not found");
    json::array data;
    data.emplace_back(task_by_id_out(*store.task(id), fields));
    return ok("tasks", std::move(data));
  }

  // ---- DELETE /tasks/{taskId} ----

  Response delete_task(const Request& r) {
    Params p(r, {});
    const std::string id = single_id(r, "taskIds", "task");
    auto t = store.task(id);
    if (!t) fail(404, "resource_not_found", "Task '" + id + "' not found");
    if (str(*t, "scope") != "RbTask") {
      store.delete_task(id);
      t = store.task(id);
    }
    json::array data;
    data.emplace_back(task_by_id_out(*t, {}));
    return ok("tasks", std::move(data));
  }

  // ---- PUT /folders/{folderId} ----

  Response update_folder(const Request& r) {
    static constexpr std::string_view allowed[] = {
        "title", "description", "addParents", "removeParents", "addShareds", "removeShareds", "metadata",
        "restore", "customFields", "customColumns", "project", "withInvitations", "plainTextCustomFields",
        "fields"};
    check_body(r);
    Params p(r, allowed);
    const std::string id = single_id(r, "folderIds", "folder");
    const auto title = p.get("title");
    if (title && title->empty()) invalid_param("title", "must not be empty");
    const auto description = p.get("description");
    const auto restore = p.boolean("restore");
    const auto metadata = metadata_param(p, true);
    const auto remove_parents = p.strings("removeParents");
    const auto remove_shareds = p.strings("removeShareds");
    const auto project = p.json_value("project");
    if (project && !project->is_object() && !project->is_null())
      invalid_param("project", "expected an object or null");
    (void)p.boolean("withInvitations");
    (void)p.boolean("plainTextCustomFields");
    const auto fields = p.fields(kFolderByIdFields);
    const std::string now = store.now();

    const bool found = store.update_folder(id, [&](const WrikeData& d, json::object& f) {
      const auto scope = str(f, "scope");
      if (scope == "WsRoot" || scope == "RbRoot")
        fail(403, "not_allowed", "The " + std::string(scope == "WsRoot" ? "Root" : "Recycle Bin") +
                                     " folder cannot be modified");
      const auto add_parents = ids_param(p, "addParents", d.folder_index, "folder");
      const auto add_shareds = ids_param(p, "addShareds", d.contact_index, "contact");
      const auto columns = ids_param(p, "customColumns", d.custom_field_index, "custom field");
      const auto cfs = custom_fields_param(p, d);
      const std::string me = me_of(d);

      if (restore && *restore && scope.starts_with("Rb")) f["scope"] = "WsFolder";
      if (title) f["title"] = *title;
      if (description) {
        f["description"] = *description;
        if (f.contains("briefDescription")) f["briefDescription"] = brief_of(*description);
      }
      auto parents = strings_of(f, "parentIds");
      if (add_parents) {
        for (const auto& np : *add_parents) {
          if (np == id) invalid_param("addParents", "a folder cannot be its own parent");
          if (is_below(f, np, d.folder_index, d.folders, "childIds"))  // no cycles
            invalid_param("addParents", "folder '" + np + "' is inside this folder");
        }
        add_all(parents, *add_parents);
      }
      if (remove_parents) remove_all(parents, *remove_parents);
      if (add_parents || remove_parents) {
        if (parents.empty()) invalid_param("removeParents", "a folder keeps at least one parent");
        f["parentIds"] = to_array(parents);
      }
      if (add_shareds || remove_shareds) {
        auto v = strings_of(f, "sharedIds");
        if (add_shareds) add_all(v, *add_shareds);
        if (remove_shareds) remove_all(v, *remove_shareds);
        f["sharedIds"] = to_array(v);
      }
      if (metadata) apply_metadata(f, *metadata);
      if (cfs) apply_custom_fields(f, *cfs);
      if (columns) f["customColumnIds"] = to_array(*columns);
      if (project) {
        if (project->is_null()) {
          f.erase("project");
        } else {
          apply_project(d, f, project->get_object(), me, now);
        }
      }
    });
    if (!found) fail(404, "resource_not_found", "Folder '" + id + "' not found");
    json::array data;
    data.emplace_back(folder_by_id_out(*store.folder(id), fields));
    return ok("folders", std::move(data));
  }

  static void apply_project(const WrikeData& d, json::object& f, const json::object& in, const std::string& me,
                            const std::string& now) {
    static constexpr std::string_view keys[] = {"ownersAdd", "ownersRemove", "status", "customStatusId",
                                                "startDate", "endDate"};
    static constexpr std::string_view statuses[] = {"Green", "Yellow", "Red", "Completed",
                                                    "OnHold", "Cancelled", "Custom"};
    for (const auto& m : in)
      if (!contains(keys, m.key())) invalid_param("project", "unknown key '" + std::string(m.key()) + "'");
    auto ids = [&](std::string_view key) -> std::optional<std::vector<std::string>> {
      const auto* v = in.if_contains(key);
      if (!v || v->is_null()) return std::nullopt;
      if (!v->is_array()) invalid_param("project", std::string(key) + " must be an array of contact ids");
      std::vector<std::string> out;
      for (const auto& e : v->get_array()) {
        if (!e.is_string() || !d.contact_index.contains(std::string(e.get_string())))
          invalid_param("project", std::string(key) + ": unknown contact");
        out.emplace_back(e.get_string());
      }
      return out;
    };
    const auto owners_add = ids("ownersAdd"), owners_remove = ids("ownersRemove");

    if (!f.contains("project") || !f.at("project").is_object()) {
      json::object np;
      np["authorId"] = me;
      np["ownerIds"] = json::array{};
      np["status"] = "Green";
      np["createdDate"] = now;
      f["project"] = std::move(np);
    }
    auto& pr = f["project"].as_object();
    if (owners_add || owners_remove) {
      auto v = strings_of(pr, "ownerIds");
      if (owners_add) add_all(v, *owners_add);
      if (owners_remove) remove_all(v, *owners_remove);
      pr["ownerIds"] = to_array(v);
    }
    if (const auto* s = in.if_contains("status"); s && !s->is_null()) {
      if (!s->is_string() || !contains(statuses, s->get_string()))
        invalid_param("project", "status must be one of Green, Yellow, Red, Completed, OnHold, Cancelled, Custom");
      pr["status"] = s->get_string();
    }
    if (const auto* c = in.if_contains("customStatusId"); c && !c->is_null()) {
      if (!c->is_string() || group_of(d, c->get_string()).empty())
        invalid_param("project", "unknown customStatusId");
      pr["customStatusId"] = c->get_string();
    }
    for (auto key : {"startDate", "endDate"})
      if (const auto* x = in.if_contains(key)) {
        if (x->is_null()) {
          pr.erase(key);
        } else {
          if (!x->is_string() || !is_date(x->get_string()))
            invalid_param("project", std::string(key) + " must be yyyy-MM-dd");
          pr[key] = x->get_string();
        }
      }
    if (!str(pr, "startDate").empty() && !str(pr, "endDate").empty() && str(pr, "endDate") < str(pr, "startDate"))
      invalid_param("project", "endDate is before startDate");
  }
};

}  // namespace

void add_write_routes(ApiRoutes& routes, WrikeStore& store, const WrikeServiceConfig& cfg) {
  auto w = std::make_shared<Writes>(Writes{store, cfg});
  routes.add("POST", "/folders/{folderId}/tasks", [w](const Request& r) { return w->create_task(r); });
  routes.add("PUT", "/tasks/{taskIds}", [w](const Request& r) { return w->update_task(r); });
  routes.add("DELETE", "/tasks/{taskIds}", [w](const Request& r) { return w->delete_task(r); });
  routes.add("PUT", "/folders/{folderIds}", [w](const Request& r) { return w->update_folder(r); });
}

}  // namespace wrike_cascade::emulator::detail
