// The data the mapping layer passes around: desired Cascade state made from Wrike, the link
// state (Wrike key -> Cascade item and the fingerprint of what was last written), what Cascade
// holds now, and what each target's API can take.
//
// Field values are JSON values in one normal form on both sides (numbers as doubles, dates as
// "YYYY-MM-DD", owners as "role:12" / "user:abc"), so desired and observed compare directly.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wrike_cascade::mapping {

enum class ItemKind { Objective, Action, Measure };

inline std::string_view to_string(ItemKind k) noexcept {
  switch (k) {
    case ItemKind::Objective: return "objective";
    case ItemKind::Action: return "action";
    case ItemKind::Measure: return "measure";
  }
  return "?";
}

// Field names, one set for both targets. Which a target can write is in Capabilities.
namespace field {
inline constexpr std::string_view name = "name";                   // actions
inline constexpr std::string_view action = "action";               // Classic goal verb
inline constexpr std::string_view details = "details";             // Classic goal rest of title
inline constexpr std::string_view description = "description";
inline constexpr std::string_view start = "start";                 // "YYYY-MM-DD"
inline constexpr std::string_view end = "end";
inline constexpr std::string_view due = "due";
inline constexpr std::string_view owner = "owner";                 // "role:12" | "user:abc"
inline constexpr std::string_view collaborators = "collaborators"; // ["role:3", ...]
inline constexpr std::string_view status = "status";               // Classic goal status
inline constexpr std::string_view progress = "progress";           // 0..100
inline constexpr std::string_view health = "health";
inline constexpr std::string_view complete = "complete";
inline constexpr std::string_view milestone = "milestone";
inline constexpr std::string_view checks = "checks";               // [{"name","done"}]
inline constexpr std::string_view custom_fields = "custom_fields"; // {"CA...": value}
inline constexpr std::string_view weight = "weight";
inline constexpr std::string_view tracking = "tracking";           // "MANUAL"
inline constexpr std::string_view value = "value";
inline constexpr std::string_view initial = "initial";
inline constexpr std::string_view target = "target";
inline constexpr std::string_view direction = "direction";         // OVER | UNDER | NONE
inline constexpr std::string_view history = "history";             // [{"date","value"}]
}  // namespace field

// A small sorted map of field name -> JSON value.
class Fields {
 public:
  using Entry = std::pair<std::string, boost::json::value>;

  void set(std::string_view name, boost::json::value v) {
    auto it = lower(name);
    if (it != entries_.end() && it->first == name)
      it->second = std::move(v);
    else
      entries_.emplace(it, std::string(name), std::move(v));
  }
  const boost::json::value* get(std::string_view name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const Entry& e, std::string_view n) { return e.first < n; });
    return it != entries_.end() && it->first == name ? &it->second : nullptr;
  }
  void reserve(std::size_t n) { entries_.reserve(n); }
  void erase(std::string_view name) {
    auto it = lower(name);
    if (it != entries_.end() && it->first == name) entries_.erase(it);
  }
  auto begin() const noexcept { return entries_.begin(); }
  auto end() const noexcept { return entries_.end(); }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  friend bool operator==(const Fields&, const Fields&) = default;

  boost::json::object to_json() const {
    boost::json::object o;
    for (const auto& [k, v] : entries_) o[k] = v;
    return o;
  }

 private:
  std::vector<Entry>::iterator lower(std::string_view name) {
    return std::lower_bound(entries_.begin(), entries_.end(), name,
                            [](const Entry& e, std::string_view n) { return e.first < n; });
  }
  std::vector<Entry> entries_;
};

// One Cascade item as the Wrike data says it should be.
struct DesiredItem {
  std::string key;  // the Wrike ID; "PROJECT_ID/FIELD_ID" for a measure made from a project field
  ItemKind kind = ItemKind::Action;
  std::string title;   // for people reading the plan
  // The Cascade parent: "wrike:KEY" (the item made from that Wrike key), "goal:17",
  // "focus_area:4", "plan:abc", or "" (none).
  std::string parent;
  Fields fields;
  // A Cascade reference ("goal:17", "task:9", "action:abc") named by the Wrike item itself (its
  // Cascade ID custom field) or by the config's links table; used when the link state has none.
  std::string cascade_hint;
  int depth = 0;  // 0 for top-level objectives; a child is deeper than its parent
};

struct Warning {
  std::string key;  // the Wrike key it is about, or "" for the whole run
  std::string message;
  friend bool operator==(const Warning&, const Warning&) = default;
};

struct DesiredState {
  std::vector<DesiredItem> items;
  std::vector<Warning> warnings;
};

// What the link store remembers about one Wrike key.
struct Link {
  std::string cascade_ref;  // "goal:17", "task:9", "measure:abc", "action:abc"
  ItemKind kind = ItemKind::Action;
  std::string fingerprint;  // of the fields last written; "" when unknown
  friend bool operator==(const Link&, const Link&) = default;
};
using LinkState = std::map<std::string, Link>;

// One Cascade item as Cascade holds it now, in the same normal form as DesiredItem::fields.
struct ObservedItem {
  std::string parent;  // "goal:17", "focus_area:4", "plan:abc", ""
  Fields fields;
};
// Keyed by Cascade reference. `complete` says the map holds every item of the kinds the target
// lists (Classic: all goals and tasks), so a linked reference missing from it was deleted.
struct ObservedState {
  std::unordered_map<std::string, ObservedItem> items;
  bool complete = false;
};

// What a target's API can do.
struct Capabilities {
  std::string name;
  bool can_create = true;
  bool can_delete = true;
  bool can_move = true;
  std::map<ItemKind, std::set<std::string, std::less<>>> writable;
  std::map<std::string, std::string, std::less<>> reasons;  // "kind.field" or "field" -> why not
  // The Cascade reference family of each kind ("goal", "task", ...).
  std::map<ItemKind, std::string> family;

  bool can_write(ItemKind k, std::string_view f) const {
    auto it = writable.find(k);
    return it != writable.end() && it->second.count(f) != 0;
  }
  std::string why_not(ItemKind k, std::string_view f) const {
    std::string specific = std::string(to_string(k)) + "." + std::string(f);
    if (auto it = reasons.find(specific); it != reasons.end()) return it->second;
    if (auto it = reasons.find(f); it != reasons.end()) return it->second;
    return "the " + name + " API has no field for it";
  }

  // Cascade Classic API v2: goals and tasks, written through the bodies its Swagger declares.
  static Capabilities classic() {
    Capabilities c;
    c.name = "Cascade Classic";
    c.writable[ItemKind::Objective] = {"action", "details", "start", "end", "owner", "status", "progress", "weight"};
    c.writable[ItemKind::Measure] = {"action", "details", "start",  "end",       "owner",    "weight",
                                     "tracking", "value", "initial", "target", "direction"};
    c.writable[ItemKind::Action] = {"name", "description", "start", "due", "owner", "complete"};
    c.family = {{ItemKind::Objective, "goal"}, {ItemKind::Measure, "goal"}, {ItemKind::Action, "task"}};
    c.reasons["custom_fields"] =
        "Classic reads custom_attributes on goals and tasks but its write bodies do not declare them";
    c.reasons["collaborators"] = "Classic has one owner role per goal or task";
    c.reasons["health"] = "Cascade derives health from progress; it cannot be written";
    c.reasons["objective.description"] = "a Classic goal has no description (only action + details)";
    c.reasons["action.progress"] = "a Classic task is complete or not; it has no progress";
    c.reasons["milestone"] = "Classic tasks have no milestone flag (milestones are goal progress points)";
    c.reasons["checks"] = "Classic has no checklists (use \"subtasks\": \"actions\")";
    c.reasons["history"] = "Classic's goal history endpoint is not in its public API";
    return c;
  }

  // The new platform's integrations API: progress of existing actions, value and history of
  // existing measures. Nothing can be created, moved, renamed or deleted.
  static Capabilities platform() {
    Capabilities c;
    c.name = "Cascade platform";
    c.can_create = c.can_delete = c.can_move = false;
    c.writable[ItemKind::Action] = {"progress"};
    c.writable[ItemKind::Measure] = {"value", "history"};
    c.family = {{ItemKind::Objective, "objective"}, {ItemKind::Measure, "measure"}, {ItemKind::Action, "action"}};
    c.reasons["objective.progress"] = "the platform API cannot write objectives (their progress comes from actions and measures)";
    for (auto f : {"name", "description", "start", "due", "end", "complete", "milestone", "checks", "custom_fields",
                   "target", "initial", "collaborators", "owner"})
      c.reasons[f] = "the platform API only sets an action's progress and a measure's value and history";
    c.reasons["health"] = "Cascade derives health from progress; it cannot be written";
    return c;
  }
};

// 64-bit FNV-1a over the parent and the fields, as 16 hex digits. Stable across runs and
// platforms (the serialisation of a sorted field list is deterministic).
namespace state_detail {
template <class Range, class Get>
std::string fingerprint_of(std::string_view parent, const Range& entries, Get get) {
  std::uint64_t h = 1469598103934665603ull;
  auto byte = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  auto feed = [&](std::string_view s) {
    for (unsigned char c : s) byte(c);
    byte(0xff);  // separator
  };
  feed(parent);
  // The values' JSON text, streamed through one serializer (no string per value).
  boost::json::serializer sr;
  char buf[512];
  for (const auto& e : entries) {
    const Fields::Entry& entry = get(e);
    feed(entry.first);
    sr.reset(&entry.second);
    while (!sr.done())
      for (unsigned char c : sr.read(buf)) byte(c);
    byte(0xff);
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) s[static_cast<std::size_t>(i)] = hex[h & 0xf];
  return s;
}
}  // namespace state_detail

inline std::string fingerprint(std::string_view parent, const Fields& fields) {
  return state_detail::fingerprint_of(parent, fields, [](const Fields::Entry& e) -> const Fields::Entry& { return e; });
}
// The same over a subset of a Fields' entries, in their order.
inline std::string fingerprint(std::string_view parent, const std::vector<const Fields::Entry*>& entries) {
  return state_detail::fingerprint_of(parent, entries, [](const Fields::Entry* e) -> const Fields::Entry& { return *e; });
}

}  // namespace wrike_cascade::mapping
