// Wrike -> Cascade desired state. Pure: models in, DesiredState out, no I/O.
//
//   wrike_cascade::mapping::WrikeInput in;      // projects (with their space), tasks, contacts
//   in.custom_fields = &index;                  // definitions, for typing values
//   auto desired = wrike_cascade::mapping::map_to_cascade(config, in);   // config.resolve()d
//
// The rules, one per Cascade item (the README's "Mapping rules" has the full table):
// - a Wrike project -> an objective (Classic: a goal): title -> action + details, description,
//   start/end dates, owners -> owner + collaborators, status -> goal status / progress / health
//   (status tables), custom fields -> custom fields, placed by the placement rules;
// - a Wrike task -> an action (Classic: a task under the project's goal): title, description
//   (HTML reduced to text, or kept, or left out), start/due dates, assignees -> owner +
//   collaborators, status -> complete / progress, milestone, subtasks -> checks (or actions),
//   custom fields;
// - a task with a value in a measure rule's field, or a project with a value in a
//   project-measure rule's field -> a measure (Classic: a goal tracked MANUAL aligned to the
//   objective) with value, initial, target, direction and a history point.
#pragma once

#include <wrike_cascade/mapping/config.hpp>
#include <wrike_cascade/mapping/state.hpp>
#include <wrike_cascade/mapping/text.hpp>

#include <wrike/custom_field_value.hpp>
#include <wrike/model.hpp>
#include <wrike/time.hpp>

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace wrike_cascade::mapping {

struct ProjectInput {
  wrike::Folder folder;  // a folder with project properties (folder.project set)
  wrike::SpaceId space;
  // The nearest enclosing project that is also mapped, for nesting objectives.
  std::optional<wrike::FolderId> parent_project;
};

struct WrikeInput {
  std::vector<ProjectInput> projects;
  std::vector<wrike::Task> tasks;
  std::vector<wrike::Contact> contacts;
  // Plain folders inside mapped projects -> the project (tasks in them belong to it).
  std::unordered_map<std::string, std::string> folder_to_project;
  const wrike::CustomFieldIndex* custom_fields = nullptr;  // required when fields are mapped
};

namespace mapper_detail {

// A date as "YYYY-MM-DD", made without a string (a JSON string this short is stored inside its
// value, so no storage is given for it).
struct DateText {
  char text[10];
  boost::json::string_view view() const noexcept { return {text, sizeof text}; }
};
inline DateText date_text(const std::chrono::year_month_day& d) {
  DateText t;
  wrike::format_date_to(t.text, d);
  return t;
}
inline DateText date_text(const wrike::LocalDateTime& t) {
  return date_text(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)));
}
inline boost::json::value date_value(const std::chrono::year_month_day& d) { return boost::json::value(date_text(d).view()); }

// A whole text that is a finite number (a calculated field's value), or nothing.
inline std::optional<double> number_from_text(const std::string& text) {
  try {
    std::size_t used = 0;
    double d = std::stod(text, &used);
    if (used == text.size() && std::isfinite(d)) return d;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// A number from a typed value: Numeric/Currency/Percentage, or a calculated field's text.
inline std::optional<double> number_of(const wrike::TypedValue& v) {
  if (auto* n = std::get_if<wrike::NumberValue>(&v)) return n->value;
  if (auto* u = std::get_if<wrike::UnknownValue>(&v)) return number_from_text(u->raw);
  return std::nullopt;
}

// Wrike contact ID -> email (lower case); looked up with any string view.
using EmailMap = boost::unordered_flat_map<std::string, std::string, KeyHash, std::equal_to<>>;

// How a person in a Contacts value reaches Cascade: by email where known, else by contact ID.
inline std::string_view email_or_id(const EmailMap& emails, std::string_view id) {
  const auto e = emails.find(id);
  return e != emails.end() ? std::string_view(e->second) : id;
}

// A custom field value as a JSON value for Cascade: numbers as numbers, checkboxes as booleans,
// dates as "YYYY-MM-DD", multi-selects and people as arrays (people by email where known),
// durations in minutes, text as text (HTML reduced).
inline std::optional<boost::json::value> typed_json(const wrike::TypedValue& v, const EmailMap& email_of,
                                                    const boost::json::storage_ptr& sp = {}) {
  struct V {
    const EmailMap& emails;
    const boost::json::storage_ptr& sp;
    std::optional<boost::json::value> operator()(const wrike::EmptyValue&) const { return std::nullopt; }
    std::optional<boost::json::value> operator()(const wrike::TextValue& t) const {
      return boost::json::value(html_to_json_text(t.text, sp));
    }
    std::optional<boost::json::value> operator()(const wrike::NumberValue& n) const { return boost::json::value(n.value); }
    std::optional<boost::json::value> operator()(const wrike::DateValue& d) const { return date_value(d.date); }
    std::optional<boost::json::value> operator()(const wrike::DurationValue& d) const {
      return boost::json::value(static_cast<double>(d.duration.count()));
    }
    std::optional<boost::json::value> operator()(const wrike::CheckboxValue& c) const { return boost::json::value(c.checked); }
    std::optional<boost::json::value> operator()(const wrike::DropDownValue& d) const { return boost::json::value(d.option, sp); }
    std::optional<boost::json::value> operator()(const wrike::MultipleValue& m) const {
      boost::json::array a(sp);
      for (const auto& o : m.options) a.emplace_back(o);
      return boost::json::value(std::move(a));
    }
    std::optional<boost::json::value> operator()(const wrike::ContactsValue& c) const {
      boost::json::array a(sp);
      for (const auto& id : c.contacts) a.emplace_back(email_or_id(emails, id.str()));
      return boost::json::value(std::move(a));
    }
    std::optional<boost::json::value> operator()(const wrike::UnknownValue& u) const {
      if (u.raw.empty()) return std::nullopt;
      if (u.type == "CalculatedNumeric")  // a number, as measures read it
        if (auto n = number_from_text(u.raw)) return boost::json::value(*n);
      return boost::json::value(u.raw, sp);
    }
  };
  return std::visit(V{email_of, sp}, v);
}

// The Cascade ID written in a Wrike field: a bare ID, or a URL whose last path segment is it.
inline std::string cascade_id_from_text(std::string s) {
  s = html_to_text(s);
  while (!s.empty() && (s.back() == '/' || s.back() == ' ')) s.pop_back();
  auto slash = s.find_last_of('/');
  if (slash != std::string::npos) s = s.substr(slash + 1);
  auto q = s.find_first_of("?#");
  if (q != std::string::npos) s.resize(q);
  return s;
}

// The last eight bytes of a Wrike ID (all of a shorter one), as a word to compare at once.
inline std::uint64_t id_tail(std::string_view id) noexcept {
  std::uint64_t t = 0;
  if (id.size() >= 8) std::memcpy(&t, id.data() + id.size() - 8, 8);  // one load
  else std::memcpy(&t, id.data(), id.size());
  return t;
}
// Whether two Wrike IDs are equal. IDs of one account share a long prefix, so the last eight
// bytes are compared first: most unequal pairs differ there.
inline bool same_id(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && id_tail(a) == id_tail(b) && a == b;
}

// The fields the mapper makes, in name order (a Fields' order): put() files a value under its
// slot, and take_fields() walks the slots in order, so an item's fields need no sort. (An
// action's checks are set after all the actions are made, not through put(); their slot says
// whether the target writes them and counts them when it does not.)
enum class Slot : std::uint8_t {
  action, checks, collaborators, complete, custom_fields, description, details, direction, due, end, health,
  history, initial, milestone, name, owner, progress, start, status, target, tracking, value, weight
};
inline constexpr std::string_view kSlotNames[] = {
    field::action,   field::checks,  field::collaborators, field::complete, field::custom_fields, field::description,
    field::details,  field::direction, field::due,         field::end,      field::health,        field::history,
    field::initial,  field::milestone, field::name,        field::owner,    field::progress,      field::start,
    field::status,   field::target,  field::tracking,      field::value,    field::weight};
constexpr bool slots_in_name_order() {
  for (std::size_t i = 1; i < std::size(kSlotNames); ++i)
    if (!(kSlotNames[i - 1] < kSlotNames[i])) return false;
  return true;
}
static_assert(slots_in_name_order() && std::size(kSlotNames) == static_cast<std::size_t>(Slot::weight) + 1 &&
                  std::size(kSlotNames) <= 32,
              "kSlotNames: one per Slot, in name order");

class Mapper {
 public:
  // With `target`, only the fields it can write are made; the others are counted (left_out).
  Mapper(const MappingConfig& cfg, const WrikeInput& in, const Capabilities* target = nullptr) : cfg_(cfg), in_(in) {
    if (!cfg.resolved)
      throw std::logic_error("map_to_cascade: call MappingConfig::resolve() first (custom field names -> IDs)");
    caps_family_ = cfg.target == Target::Classic ? Capabilities::classic().family : Capabilities::platform().family;
    if (target) {
      out_.mapped_for = target->name;
      for (ItemKind k : {ItemKind::Objective, ItemKind::Action, ItemKind::Measure}) {
        std::uint32_t& w = writes_[static_cast<std::size_t>(k)];
        w = 0;
        for (std::size_t i = 0; i < std::size(kSlotNames); ++i)
          if (target->can_write(k, kSlotNames[i])) w |= 1u << i;
      }
    }
    for (const auto& c : in.contacts) {
      std::string email = c.primary_email.value_or("");
      if (email.empty() && c.profiles)
        for (const auto& p : *c.profiles)
          if (p.email && !p.email->empty()) {
            email = *p.email;
            break;
          }
      if (!email.empty()) email_of_[c.id.str()] = ascii_lower(email);
    }
    project_index_.reserve(in.projects.size());
    task_index_.reserve(in.tasks.size());
    for (std::size_t i = 0; i < in.projects.size(); ++i) project_index_.emplace(in.projects[i].folder.id.str(), i);
    for (std::size_t i = 0; i < in.tasks.size(); ++i) task_index_.emplace(in.tasks[i].id.str(), i);
    task_project_.assign(in.tasks.size(), kUnknown);
    depth_.assign(in.projects.size(), -1);
    excluded_.assign(in.projects.size(), 0);
    objective_maps_ = map_set_of(cfg.objectives.custom_fields);
    action_maps_ = map_set_of(cfg.actions.custom_fields);
    const auto& a = cfg.actions;
    act_ = {a.has("name"),  a.has("description"), a.has("dates"),         a.has("milestones"),
            a.has("owners"), a.has("status"),      a.has("custom_fields"), a.has("checks")};
    out_.items.reserve(in.projects.size() + in.tasks.size());
    advise_huge_pages(out_.items.data(), out_.items.capacity() * sizeof(DesiredItem));
  }

  DesiredState run() {
    const ValueArena::Exclusive alone(*arena_);  // no value leaves before run() returns
    map_projects();
    map_tasks();
    finish_warnings();
    for (ItemKind k : {ItemKind::Objective, ItemKind::Action, ItemKind::Measure})
      for (std::size_t i = 0; i < std::size(kSlotNames); ++i)
        if (const std::size_t n = left_out_[static_cast<std::size_t>(k)][i])
          out_.left_out.push_back({k, std::string(kSlotNames[i]), n});  // by kind, then name
    // Whole-run warnings first, then by Wrike key: the same whatever the input order.
    std::stable_sort(out_.warnings.begin(), out_.warnings.end(),
                     [](const Warning& a, const Warning& b) { return a.key < b.key; });
    return std::move(out_);
  }

 private:
  // ---- shared pieces ----
  // The fields of the item being made gather in slots in any order (put), and take_fields()
  // moves them into its Fields in name order. put() makes the value in its slot from `args` (a
  // value's constructor arguments), so no temporary is made and destroyed; take_fields()
  // pilfers it: an inline relocation instead of a call into Boost.JSON (a pilfered value is
  // left null).
  //
  // An item begins with begin_item(kind). When the target cannot write a slot of that kind,
  // put() makes nothing and notes the slot as left out; a value that costs something to make is
  // made only when keeps() says so (else the caller calls leave_out()).
  void begin_item(ItemKind kind) {
    keep_ = writes_[static_cast<std::size_t>(kind)];
    left_ = 0;
  }
  bool keeps(Slot slot) const { return keep_ & (1u << static_cast<std::size_t>(slot)); }
  void leave_out(Slot slot) { left_ |= 1u << static_cast<std::size_t>(slot); }
  // put(slot, make()) when the slot is kept; make() is not called otherwise.
  template <class Make>
  void put_made(Slot slot, Make&& make) {
    if (keeps(slot)) put(slot, std::forward<Make>(make)());
    else leave_out(slot);
  }
  template <class... A>
  void put(Slot slot, A&&... args) {
    const auto i = static_cast<std::size_t>(slot);
    if (!(keep_ & (1u << i))) {
      left_ |= 1u << i;
      return;
    }
    if (present_ & (1u << i)) {  // a second value: the later one wins
      slots_[i] = boost::json::value(std::forward<A>(args)...);
      return;
    }
    // The slot holds a null (never filled, or pilfered by take_fields): nothing to destroy.
    ::new (&slots_[i]) boost::json::value(std::forward<A>(args)...);
    present_ |= 1u << i;
  }
  // The item's fields; what was left out is counted under `kind` (counted: the item is emitted).
  Fields take_fields(ItemKind kind, bool counted = true) {
    if (counted)
      for (std::uint32_t left = left_; left; left &= left - 1)
        ++left_out_[static_cast<std::size_t>(kind)][static_cast<std::size_t>(std::countr_zero(left))];
    left_ = 0;
    Fields f;
    f.reserve(static_cast<std::size_t>(std::popcount(present_)));
    for (std::uint32_t left = present_; left; left &= left - 1) {
      const int i = std::countr_zero(left);
      f.append_in_order(kSlotNames[i], boost::json::pilfer(slots_[i]));
    }
    present_ = 0;
    return f;
  }

  void warn(const std::string& key, std::string message) { out_.warnings.push_back({key, std::move(message)}); }

  // The Cascade owner of a Wrike contact (looked up once per contact), as "role:N" / "user:X".
  struct OwnerMatch {
    std::optional<Owner> owner;
    std::string text;
  };
  const OwnerMatch& owner_of(const wrike::ContactId& id, const std::string& item_key) {
    auto [slot, fresh] = owner_cache_.try_emplace(id.str());
    OwnerMatch& m = slot->second;
    if (fresh) {
      if (auto it = cfg_.owner_overrides.find(id.str()); it != cfg_.owner_overrides.end()) {
        m.owner = it->second;
      } else if (auto e = email_of_.find(id.str()); e != email_of_.end()) {
        if (auto o = cfg_.owner_overrides.find(e->second); o != cfg_.owner_overrides.end()) m.owner = o->second;
        else if (auto d = cfg_.owner_directory.find(e->second); d != cfg_.owner_directory.end()) m.owner = d->second;
      }
      if (m.owner) m.text = m.owner->str();
    }
    if (!m.owner) {
      auto& u = unmatched_[id.str()];
      if (u.count++ == 0 || item_key < u.first_item) u.first_item = item_key;  // the same whatever the input order
    }
    return m;
  }

  void set_owners(DesiredItem& item, const std::vector<wrike::ContactId>& ids) {
    if (cfg_.target == Target::Platform) return;  // the platform API cannot set owners
    boost::json::array collaborators(sp_);
    const bool keep_collaborators = keeps(Slot::collaborators);
    bool have_owner = false;
    for (const auto& id : ids) {
      const auto& o = owner_of(id, item.key);
      if (!o.owner) continue;
      if (cfg_.target == Target::Classic && !o.owner->role) {
        warn(item.key, "owner " + id.str() + " maps to " + o.text + ", but Classic assigns goals and tasks to roles");
        continue;
      }
      if (!have_owner) {
        put(Slot::owner, boost::json::string_view(o.text));
        have_owner = true;
      } else if (keep_collaborators) {
        collaborators.emplace_back(o.text);
      } else {
        leave_out(Slot::collaborators);
      }
    }
    if (!collaborators.empty()) put(Slot::collaborators, std::move(collaborators));
  }

  // A list of custom field maps as the mapper uses it: each map's definition (nullptr: not
  // defined in Wrike) and the last eight bytes of its field ID, found once.
  struct MapSet {
    std::vector<const wrike::CustomField*> defs;
    std::vector<std::uint64_t> tails;
  };
  MapSet map_set_of(const std::vector<FieldMap>& maps) const {
    MapSet set;
    for (const auto& m : maps) {
      set.defs.push_back(in_.custom_fields ? in_.custom_fields->find(m.id) : nullptr);
      set.tails.push_back(id_tail(m.id.str()));
    }
    return set;
  }

  void set_custom_fields(DesiredItem& item, const std::vector<FieldMap>& maps, const MapSet& set,
                         const std::optional<std::vector<wrike::CustomFieldValue>>& values) {
    if (maps.empty() || !values) return;
    if (!in_.custom_fields) throw std::invalid_argument("map_to_cascade: WrikeInput::custom_fields is required");
    // Each map's value (the first of its field), found in one pass over the item's values: a
    // value's ID is read once and compared with the maps' ID tails, then in full on a match.
    const wrike::CustomFieldValue* small[16] = {};
    std::vector<const wrike::CustomFieldValue*> big;
    const wrike::CustomFieldValue** found = small;
    if (maps.size() > std::size(small)) {
      big.assign(maps.size(), nullptr);
      found = big.data();
    }
    for (const auto& v : *values) {
      const std::uint64_t tail = id_tail(v.id.str());
      for (std::size_t i = 0; i < maps.size(); ++i)
        if (set.tails[i] == tail && !found[i] && v.id.str() == maps[i].id.str()) found[i] = &v;
    }
    if (!keeps(Slot::custom_fields)) {  // a value would have made the field: count it, make nothing
      for (std::size_t i = 0; i < maps.size(); ++i)
        if (found[i] && !found[i]->value.empty()) {
          leave_out(Slot::custom_fields);
          break;
        }
      return;
    }
    boost::json::object cf(sp_);
    for (std::size_t i = 0; i < maps.size(); ++i) {
      const wrike::CustomFieldValue* v = found[i];
      if (!v || v->value.empty()) continue;
      std::optional<boost::json::value> j = custom_json(set.defs[i], v->value);
      if (j) {
        if (cf.empty()) cf.reserve(maps.size());
        cf.insert_or_assign(maps[i].cascade_field, std::move(*j));
      }
    }
    if (!cf.empty()) put(Slot::custom_fields, std::move(cf));
  }

  // A custom field's raw value as JSON (see typed_json). The common types go straight from the
  // text; anything they do not take whole goes through wrike::decode_value, which also gives
  // the error for a value that does not fit its type.
  std::optional<boost::json::value> custom_json(const wrike::CustomField* def, std::string_view raw) {
    using T = wrike::CustomFieldType;
    const T type = def ? def->type.value() : T::Unknown;
    switch (type) {
      case T::Text: return boost::json::value(html_to_json_text(raw, sp_));
      case T::DropDown: return boost::json::value(raw, sp_);
      case T::Numeric:
      case T::Currency:
      case T::Percentage:
        if (const auto d = wrike::parse_number(raw)) return boost::json::value(*d);
        break;
      case T::Checkbox:
        if (raw == "true" || raw == "false") return boost::json::value(raw == "true");
        break;
      case T::Date:  // a valid yyyy-MM-dd is already the normal form
        if (wrike::try_parse_date(raw)) return boost::json::value(raw, sp_);
        break;
      case T::Contacts: {  // people by email where known, else by ID
        boost::json::array people(sp_);
        const bool ok =
            wrike::for_each_contact_id(raw, [&](std::string_view id) { people.emplace_back(email_or_id(email_of_, id)); });
        if (ok) return boost::json::value(std::move(people));
        break;
      }
      default: break;
    }
    return typed_json(def ? wrike::decode_value(*def, raw) : wrike::TypedValue(wrike::UnknownValue{"", std::string(raw)}),
                      email_of_, sp_);
  }

  // The first value of field `id` among `values`, or nullptr.
  static const wrike::CustomFieldValue* value_of(const std::optional<std::vector<wrike::CustomFieldValue>>& values,
                                                 const wrike::CustomFieldId& id) {
    if (values)
      for (const auto& v : *values)
        if (same_id(v.id.str(), id.str())) return &v;
    return nullptr;
  }
  std::optional<wrike::TypedValue> custom_value(const std::optional<std::vector<wrike::CustomFieldValue>>& values,
                                                const wrike::CustomFieldId& id) const {
    if (!in_.custom_fields) return std::nullopt;
    const auto* v = value_of(values, id);
    return v ? std::optional<wrike::TypedValue>(in_.custom_fields->typed(*v)) : std::nullopt;
  }
  std::optional<double> custom_number(const std::optional<std::vector<wrike::CustomFieldValue>>& values,
                                      const std::optional<wrike::CustomFieldId>& id) const {
    if (!id) return std::nullopt;
    auto v = custom_value(values, *id);
    return v ? number_of(*v) : std::nullopt;
  }

  std::string hint_for(const std::string& key, ItemKind kind,
                       const std::optional<std::vector<wrike::CustomFieldValue>>& values) {
    std::string id;
    if (auto it = cfg_.links.find(key); it != cfg_.links.end()) {
      id = it->second;
    } else if (cfg_.cascade_id_field_id) {
      if (const auto* v = value_of(values, *cfg_.cascade_id_field_id)) id = cascade_id_from_text(v->value);  // the first, as elsewhere
    }
    if (id.empty()) return {};
    if (cfg_.target == Target::Classic &&
        (id.find_first_not_of("0123456789") != std::string::npos || id.size() > 18)) {
      warn(key, "the Cascade ID \"" + id + "\" stored for this item is not a Classic ID (digits); ignored");
      return {};
    }
    return caps_family_.at(kind) + ":" + id;
  }

  void apply_status(DesiredItem& item, const StatusOutcome& s, bool objective) {
    if (objective) {
      if (s.goal_status) put(Slot::status, boost::json::string_view(*s.goal_status));
    } else if (s.complete) {
      put(Slot::complete, *s.complete);
    }
    if (s.progress) put(Slot::progress, *s.progress);
    if (s.health) put(Slot::health, boost::json::string_view(*s.health));
  }

  // The custom status's own entry, else its group's. A project in a custom status ("Custom")
  // takes the group of that status in its workflow (project_group_of).
  const StatusOutcome* lookup(const StatusTable& t, const std::string& group,
                              const std::optional<wrike::CustomStatusId>& custom, bool project = false) const {
    if (custom)
      if (auto it = t.custom_by_id.find(custom->str()); it != t.custom_by_id.end()) return &it->second;
    if (auto it = t.groups.find(group); it != t.groups.end()) return &it->second;
    if (custom)
      if (auto g = cfg_.custom_status_group.find(custom->str()); g != cfg_.custom_status_group.end()) {
        std::string fallback = project ? project_group_of(g->second) : g->second;
        if (auto it = t.groups.find(fallback); it != t.groups.end()) return &it->second;
      }
    return nullptr;
  }

  // lookup() in the task status table, remembered per (custom status, group): a workspace has a
  // handful of statuses and a plan may have 100,000 tasks.
  const StatusOutcome* task_status_of(const wrike::Task& t) {
    const std::string_view group = t.status ? std::string_view(t.status->str()) : std::string_view();
    const std::string_view custom = t.custom_status_id ? std::string_view(t.custom_status_id->str()) : std::string_view();
    auto [it, fresh] = task_status_memo_.try_emplace(custom);
    auto& [memo_group, outcome] = it->second;
    if (fresh || memo_group != group) {  // a status seen in another group (inconsistent input) is looked up again
      memo_group = group;
      outcome = lookup(cfg_.task_status, std::string(group), t.custom_status_id);
    }
    return outcome;
  }

  // ---- projects ----
  std::string placement_parent(const ProjectInput& p) const {
    const Placement* pl = nullptr;
    if (auto it = cfg_.project_placement.find(p.folder.id.str()); it != cfg_.project_placement.end()) pl = &it->second;
    if (!pl && cfg_.nest_subprojects && p.parent_project)
      if (auto it = project_index_.find(p.parent_project->str()); it != project_index_.end() && !excluded_[it->second])
        return "wrike:" + p.parent_project->str();
    if (!pl)
      if (auto it = cfg_.space_placement.find(p.space.str()); it != cfg_.space_placement.end()) pl = &it->second;
    if (!pl) pl = &cfg_.default_placement;
    if (pl->parent_objective) return "goal:" + *pl->parent_objective;
    if (pl->focus_area) return "focus_area:" + std::to_string(*pl->focus_area);
    if (pl->plan) return "plan:" + *pl->plan;
    return {};
  }

  // How deep the project's objective sits below the top: one more than the project it is
  // nested under by placement_parent, 0 otherwise.
  int project_depth(const ProjectInput& p, int guard = 0) {
    const auto pi = static_cast<std::size_t>(&p - in_.projects.data());  // p is an element of in_.projects
    if (depth_[pi] >= 0) return depth_[pi];
    int d = 0;
    std::string parent = placement_parent(p);
    if (parent.rfind("wrike:", 0) == 0 && guard <= 64)
      d = 1 + project_depth(in_.projects[project_index_.at(parent.substr(6))], guard + 1);
    return depth_[pi] = d;
  }

  void map_projects() {
    // Exclusions first, so nesting never points at an excluded project.
    for (const auto& p : in_.projects) {
      const auto& info = p.folder.project;
      if (!info) continue;
      std::string group = info->status ? info->status->str() : "";
      if (auto* s = lookup(cfg_.project_status, group, info->custom_status_id, true); s && s->exclude)
        excluded_[project_index_.at(p.folder.id.str())] = 1;  // by ID: the position the index gives
    }
    if (cfg_.target == Target::Platform && !in_.projects.empty())
      warn("", "the platform API cannot create or change objectives: projects only group their tasks here");

    for (const auto& p : in_.projects) {
      const auto& f = p.folder;
      std::string key = f.id.str();
      if (!f.project) {
        warn(key, "\"" + f.title + "\" is a folder, not a project; skipped");
        continue;
      }
      if (excluded_[project_index_.at(key)]) continue;
      const auto& info = *f.project;
      DesiredItem item;
      item.key = key;
      item.kind = ItemKind::Objective;
      // Emitted on Classic only: the platform API cannot touch objectives, so there the item
      // would only say so N times. Its dates also span its project measures, so they are made
      // even when the target cannot write them (and then left out below).
      const bool emitted = cfg_.target == Target::Classic;
      begin_item(ItemKind::Objective);
      const std::uint32_t dates_only_for_measures =
          emitted ? ((1u << static_cast<std::size_t>(Slot::start)) | (1u << static_cast<std::size_t>(Slot::end))) & ~keep_
                  : 0;
      keep_ |= dates_only_for_measures;
      item.title = f.title;
      item.parent = placement_parent(p);
      item.depth = project_depth(p);
      const auto& rules = cfg_.objectives;
      if (rules.has("name")) {
        auto [verb, details] = split_title(f.title, rules.action_verb);
        put(Slot::action, boost::json::value(verb, sp_));
        put(Slot::details, boost::json::value(details, sp_));
      }
      if (rules.has("description") && f.description && !f.description->empty())
        put_made(Slot::description, [&] { return html_to_json_text(*f.description, sp_); });
      if (rules.has("dates")) set_project_dates(item, info, f);
      if (rules.has("owners") && info.owner_ids) set_owners(item, *info.owner_ids);
      if (rules.has("status")) {
        std::string group = info.status ? info.status->str() : "";
        if (auto* s = lookup(cfg_.project_status, group, info.custom_status_id, true))
          apply_status(item, *s, true);
        else if (!group.empty())
          warn(key, "project status " + group +
                        (info.custom_status_id ? " (" + info.custom_status_id->str() + ")" : std::string()) +
                        " has no entry in status.projects; status not mapped");
      }
      if (rules.has("custom_fields")) set_custom_fields(item, rules.custom_fields, objective_maps_, f.custom_fields);
      put(Slot::weight, static_cast<double>(rules.weight));
      item.cascade_hint = hint_for(key, ItemKind::Objective, f.custom_fields);
      // Project measures span their objective's dates (Classic).
      boost::json::value start, end;
      if (emitted) {
        for (auto [slot, to] : {std::pair(Slot::start, &start), std::pair(Slot::end, &end)}) {
          const auto i = static_cast<std::size_t>(slot);
          if (!(present_ & (1u << i))) continue;
          *to = slots_[i];
          if (dates_only_for_measures & (1u << i)) {  // the target cannot write it: left out
            boost::json::value gone(boost::json::pilfer(slots_[i]));
            present_ &= ~(1u << i);
            left_ |= 1u << i;
          }
        }
      }
      item.fields = take_fields(ItemKind::Objective, emitted);
      if (emitted) out_.items.push_back(std::move(item));
      map_project_measures(p, start, end);
    }
  }

  void set_project_dates(DesiredItem& item, const wrike::ProjectInfo& info, const wrike::Folder& f) {
    using namespace std::chrono;
    std::optional<year_month_day> start, end;
    if (info.start_date) start = *info.start_date;
    if (info.end_date) end = *info.end_date;
    if (!start || !end) {
      // Classic requires both; derive the missing one and say so.
      if (!start) {
        if (end)
          start = year_month_day(sys_days(*end) - days(cfg_.objectives.default_days));
        else if (f.created_date)
          start = year_month_day(floor<days>(*f.created_date));
      }
      if (start && !end) end = year_month_day(sys_days(*start) + days(cfg_.objectives.default_days));
      if (start && end)
        warn(item.key, "project has no " + std::string(!info.start_date && !info.end_date ? "dates" : !info.start_date ? "start date" : "end date") +
                           "; using " + wrike::format_date(*start) + " .. " + wrike::format_date(*end));
      else
        warn(item.key, "project has no dates and no created date; Classic needs start and end dates");
    }
    if (start) put(Slot::start, date_text(*start).view());
    if (end) put(Slot::end, date_text(*end).view());
  }

  void map_project_measures(const ProjectInput& p, const boost::json::value& start, const boost::json::value& end) {
    for (const auto& rule : cfg_.measures) {
      if (rule.from != MeasureSource::Projects) continue;
      auto value = custom_number(p.folder.custom_fields, rule.value_id);
      if (!value) continue;
      const auto* def = in_.custom_fields ? in_.custom_fields->find(rule.value_id) : nullptr;
      std::string name = !rule.name.empty() ? rule.name : def ? def->title : rule.value_id.str();
      DesiredItem m;
      m.key = p.folder.id.str() + "/" + rule.value_id.str();
      m.kind = ItemKind::Measure;
      m.title = name + ": " + p.folder.title;
      m.parent = cfg_.target == Target::Classic ? "wrike:" + p.folder.id.str() : "plan:" + cfg_.plan;
      m.depth = project_depth(p) + 1;
      begin_item(ItemKind::Measure);
      fill_measure(m, rule, *value, p.folder.custom_fields, m.title, p.folder.updated_date);
      if (!start.is_null()) put(Slot::start, start);
      if (!end.is_null()) put(Slot::end, end);
      m.cascade_hint = hint_for(m.key, ItemKind::Measure, std::nullopt);
      m.fields = take_fields(ItemKind::Measure);
      out_.items.push_back(std::move(m));
    }
  }

  void fill_measure(DesiredItem& m, const MeasureRule& rule, double value,
                    const std::optional<std::vector<wrike::CustomFieldValue>>& values, const std::string& title,
                    const std::optional<wrike::Timestamp>& updated) {
    if (cfg_.target == Target::Classic) {
      auto [a, d] = split_title(rule.action_verb + " " + title, rule.action_verb);
      put(Slot::action, boost::json::value(a, sp_));
      put(Slot::details, boost::json::value(d, sp_));
      put(Slot::tracking, "MANUAL");
      put(Slot::direction, boost::json::string_view(rule.direction));
      put(Slot::weight, static_cast<double>(cfg_.objectives.weight));
    }
    put(Slot::value, value);
    auto target = rule.target ? rule.target : custom_number(values, rule.target_id);
    auto initial = rule.initial ? rule.initial : custom_number(values, rule.initial_id);
    if (target) put(Slot::target, *target);
    else if (rule.target_id) warn(m.key, "measure has no value in its target field; target not set");
    if (initial) put(Slot::initial, *initial);
    if (updated)
      put_made(Slot::history, [&] {
        boost::json::array h(sp_);
        boost::json::object point(sp_);
        point.emplace("date", date_text(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(*updated))).view());
        point.emplace("value", value);
        h.push_back(std::move(point));
        return h;
      });
  }

  // ---- tasks ----
  // The position of the mapped project a task belongs to (-1: none): its own folders, plain
  // folders inside a project, or (for a subtask with no folder of its own) its parent task's.
  long project_of(const wrike::Task& t, int guard = 0) {
    const auto ti = static_cast<std::size_t>(&t - in_.tasks.data());  // t is an element of in_.tasks
    if (task_project_[ti] != kUnknown) return task_project_[ti];
    long found = -1;
    for (const auto* list : {&t.parent_ids, &t.super_parent_ids}) {
      if (!*list || found >= 0) continue;
      for (const auto& pid : **list) {
        if (auto it = project_index_.find(pid.str()); it != project_index_.end()) {
          found = static_cast<long>(it->second);
          break;
        }
        if (auto it = in_.folder_to_project.find(pid.str()); it != in_.folder_to_project.end()) {
          if (auto p = project_index_.find(it->second); p != project_index_.end()) found = static_cast<long>(p->second);
          break;
        }
      }
    }
    if (found < 0 && t.super_task_ids && guard < 32)
      for (const auto& sid : *t.super_task_ids)
        if (auto it = task_index_.find(sid.str()); it != task_index_.end())
          if ((found = project_of(in_.tasks[it->second], guard + 1)) >= 0) break;
    return task_project_[ti] = found;
  }

  const wrike::Task* mapped_super_task(const wrike::Task& t) const {
    if (!t.super_task_ids) return nullptr;
    for (const auto& sid : *t.super_task_ids)
      if (auto it = task_index_.find(sid.str()); it != task_index_.end()) return &in_.tasks[it->second];
    return nullptr;
  }

  void map_tasks() {
    std::size_t out_of_scope = 0, excluded = 0, in_excluded = 0;
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> action_of(in_.tasks.size(), kNone);   // task position -> out_.items index
    std::vector<std::pair<std::size_t, const wrike::Task*>> checks;  // parent task position, subtask
    // The Cascade parent of a project's tasks, made once per project.
    std::vector<std::string> parent_of(in_.projects.size());
    for (const auto& t : in_.tasks) {
      const std::string& key = t.id.str();
      const long pi = project_of(t);
      if (pi < 0) {
        ++out_of_scope;
        continue;
      }
      const ProjectInput& project = in_.projects[static_cast<std::size_t>(pi)];
      if (excluded_[static_cast<std::size_t>(pi)]) {
        ++in_excluded;
        continue;
      }
      const StatusOutcome* st = task_status_of(t);
      if (st && st->exclude) {
        ++excluded;
        continue;
      }
      const wrike::Task* super = mapped_super_task(t);
      if (super && cfg_.actions.subtasks == SubtaskMode::Skip) continue;
      if (super && cfg_.actions.subtasks == SubtaskMode::Checks) {
        checks.emplace_back(static_cast<std::size_t>(super - in_.tasks.data()), &t);
        continue;
      }
      int depth = project_depth(project) + 1;
      std::string& parent = parent_of[static_cast<std::size_t>(pi)];
      if (parent.empty())
        parent = cfg_.target == Target::Classic ? "wrike:" + project.folder.id.str() : "plan:" + cfg_.plan;

      const MeasureRule* rule = nullptr;
      double value = 0;
      for (const auto& r : cfg_.measures)
        if (r.from == MeasureSource::Tasks)
          if (auto v = custom_number(t.custom_fields, r.value_id)) {
            rule = &r;
            value = *v;
            break;
          }
      DesiredItem item;
      item.key = key;
      item.title = t.title;
      item.parent = parent;
      item.depth = depth;
      item.kind = rule ? ItemKind::Measure : ItemKind::Action;
      begin_item(item.kind);
      if (rule) {
        fill_measure(item, *rule, value, t.custom_fields, rule->name.empty() ? t.title : rule->name + ": " + t.title,
                     t.updated_date);
        set_task_dates(item, t, /*measure=*/true);
        if (t.responsible_ids) set_owners(item, *t.responsible_ids);
      } else {
        map_action(item, t, st);
        action_of[static_cast<std::size_t>(&t - in_.tasks.data())] = out_.items.size();
      }
      item.cascade_hint = hint_for(key, item.kind, t.custom_fields);
      item.fields = take_fields(item.kind);
      out_.items.push_back(std::move(item));
    }
    // Subtasks as checks on their parent's action, in the parent's subtask order (then by ID),
    // whatever the order of the input.
    const auto checks_slot = static_cast<std::size_t>(Slot::checks);
    if (act_.checks && !checks.empty() && !(writes_[static_cast<std::size_t>(ItemKind::Action)] & (1u << checks_slot))) {
      // The target cannot write checks: count the actions that would have had them.
      std::vector<char> counted(in_.tasks.size(), 0);
      for (const auto& c : checks)
        if (action_of[c.first] != kNone && !counted[c.first]) {
          counted[c.first] = 1;
          ++left_out_[static_cast<std::size_t>(ItemKind::Action)][checks_slot];
        }
    } else if (act_.checks && !checks.empty()) {
      auto rank = [&](std::size_t parent, const wrike::Task* sub) {
        const auto& ids = in_.tasks[parent].sub_task_ids;
        std::size_t r = ids ? static_cast<std::size_t>(std::find(ids->begin(), ids->end(), sub->id) - ids->begin())
                            : std::size_t{0};
        return std::pair(r, std::string_view(sub->id.str()));
      };
      std::stable_sort(checks.begin(), checks.end(), [&](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : rank(a.first, a.second) < rank(b.first, b.second);
      });
      std::unordered_map<std::size_t, boost::json::array> by_parent;
      for (const auto& [parent, sub] : checks) {
        bool done = sub->status && sub->status->str() == "Completed";
        if (auto* s = task_status_of(*sub); s && s->complete) done = *s->complete;
        by_parent.try_emplace(parent, sp_).first->second.push_back(
            boost::json::object({{"name", sub->title}, {"done", done}, {"wrike_id", sub->id.str()}}, sp_));
      }
      for (auto& [parent, list] : by_parent) {
        const std::size_t at = action_of[parent];
        if (at == kNone) continue;  // the parent became a measure or was excluded
        out_.items[at].fields.set(field::checks, boost::json::value(std::move(list)));
      }
    }
    if (out_of_scope)
      warn("", std::to_string(out_of_scope) + " task(s) are not inside a mapped project; not mapped");
    if (excluded)
      warn("", std::to_string(excluded) + " task(s) have a status the status table excludes; not mapped");
    if (in_excluded)
      warn("", std::to_string(in_excluded) + " task(s) are in projects whose status the status table excludes; not mapped");
  }

  void set_task_dates(DesiredItem& item, const wrike::Task& t, bool measure) {
    if (!t.dates) return;
    const auto& d = *t.dates;
    // Wrike's task dates are wall-clock times in the account's zone with no offset. Cascade
    // takes dates, so the calendar date is used as written: never shifted through a zone.
    // A milestone with only a due date starts on it.
    if (d.start) put(Slot::start, date_text(*d.start).view());
    else if (d.due && d.type == wrike::TaskDatesType::Milestone) put(Slot::start, date_text(*d.due).view());
    if (d.due) put(measure ? Slot::end : Slot::due, date_text(*d.due).view());
  }

  void map_action(DesiredItem& item, const wrike::Task& t, const StatusOutcome* st) {
    const auto& rules = cfg_.actions;
    if (act_.name) put(Slot::name, boost::json::string_view(t.title), sp_);
    if (act_.description && rules.description != DescriptionMode::None && t.description &&
        !t.description->empty()) {
      if (rules.description == DescriptionMode::Text)
        put_made(Slot::description, [&] { return html_to_json_text(*t.description, sp_); });
      else
        put(Slot::description, boost::json::string_view(*t.description), sp_);
    }
    if (act_.dates) set_task_dates(item, t, false);
    if (act_.milestones && t.dates && t.dates->type == wrike::TaskDatesType::Milestone)
      put(Slot::milestone, true);
    if (act_.owners && t.responsible_ids) set_owners(item, *t.responsible_ids);
    if (act_.status) {
      if (st)
        apply_status(item, *st, false);
      else if (t.status)
        warn(item.key, "task status " + t.status->str() + " has no entry in status.tasks; status not mapped");
    }
    if (act_.custom_fields) set_custom_fields(item, rules.custom_fields, action_maps_, t.custom_fields);
  }

  void finish_warnings() {
    std::vector<const std::pair<const std::string, Unmatched>*> by_id;  // in contact ID order
    by_id.reserve(unmatched_.size());
    for (const auto& entry : unmatched_) by_id.push_back(&entry);
    std::sort(by_id.begin(), by_id.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* entry : by_id) {
      const auto& [id, u] = *entry;
      auto e = email_of_.find(id);
      std::string who = id + (e != email_of_.end() ? " (" + e->second + ")" : " (no email known)");
      warn(u.first_item, "Wrike contact " + who + " matches no Cascade owner (owners.directory or owners.overrides); left "
                         "unset on " + std::to_string(u.count) + " item(s)");
    }
  }

  struct Unmatched {
    std::size_t count = 0;
    std::string first_item;
  };

  const MappingConfig& cfg_;
  const WrikeInput& in_;
  DesiredState out_;
  std::map<ItemKind, std::string> caps_family_;
  EmailMap email_of_;
  // Wrike ID -> position in the input (views into the input, which outlives the mapper).
  boost::unordered_flat_map<std::string_view, std::size_t, KeyHash> project_index_, task_index_;
  static constexpr long kUnknown = -2;
  std::vector<long> task_project_;  // by task position: project position, -1 none, kUnknown not yet
  std::vector<int> depth_;          // by project position: memoised project_depth, -1 not yet
  // By the position project_index_ gives a project's ID: its status excludes it.
  std::vector<char> excluded_;
  MapSet objective_maps_, action_maps_;  // of the custom field maps
  boost::json::value slots_[std::size(kSlotNames)];  // see put()
  std::uint32_t present_ = 0;                         // which slots hold a value
  // By kind: the slots the target writes (all without a target). keep_: the current item's;
  // left_: its slots left out; left_out_: by kind and slot, the items that left it out.
  std::uint32_t writes_[3] = {~0u, ~0u, ~0u};
  std::uint32_t keep_ = ~0u, left_ = 0;
  std::size_t left_out_[3][std::size(kSlotNames)] = {};
  // The arena the desired values are made in (see DesiredState); scalars and short strings,
  // which allocate nothing, keep the default storage.
  ValueArena* arena_ = nullptr;  // declared before sp_, which sets it
  boost::json::storage_ptr sp_ = make_value_arena(&arena_);
  // cfg_.actions.has(...) for each field group, looked up once.
  struct ActionFields {
    bool name, description, dates, milestones, owners, status, custom_fields, checks;
  } act_{};
  // By contact ID. Flat maps move their elements when they grow: owner_of's reference is used
  // before the next owner_of.
  boost::unordered_flat_map<std::string, Unmatched, KeyHash, std::equal_to<>> unmatched_;
  boost::unordered_flat_map<std::string, OwnerMatch, KeyHash, std::equal_to<>> owner_cache_;
  // task_status_of's: custom status ID ("" for none) -> the group last seen with it and its
  // outcome (views into the input, which outlives the mapper).
  boost::unordered_flat_map<std::string_view, std::pair<std::string_view, const StatusOutcome*>, KeyHash>
      task_status_memo_;
};

}  // namespace mapper_detail

// Maps the Wrike input to Cascade desired state under `cfg` (which must be resolve()d).
inline DesiredState map_to_cascade(const MappingConfig& cfg, const WrikeInput& in) {
  return mapper_detail::Mapper(cfg, in).run();
}
// The same, making only the fields `target` can write: the rest are counted in the state's
// left_out, and make_plan lists them among its limits as it would have. A plan for `target` is
// the same either way; this mapping does less (values Cascade cannot take are never made) and
// a bad value in a field the target cannot take is not an error. The sync app maps this way.
inline DesiredState map_to_cascade(const MappingConfig& cfg, const WrikeInput& in, const Capabilities& target) {
  return mapper_detail::Mapper(cfg, in, &target).run();
}

}  // namespace wrike_cascade::mapping
