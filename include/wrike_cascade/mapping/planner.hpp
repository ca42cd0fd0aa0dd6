// The planner: desired state + link state + what Cascade holds -> a deterministic plan of
// create / update / move / no-op / orphan (/ delete, only when asked) operations with
// field-level old -> new diffs, plus warnings and what the target cannot take.
//
//   auto plan = wrike_cascade::mapping::make_plan(std::move(desired), links, observed,
//                                                 {Capabilities::classic(), OrphanPolicy::Keep});
//   (std::move: the plan takes the state's values; pass `desired` itself to keep it, and the
//   plan copies them)
//   wrike_cascade::mapping::render_table(plan, std::cout);
//
// Rules:
// - An item is matched to Cascade by its Wrike key only: the link state first, then the Cascade
//   ID the Wrike item carries (its custom field, or the config's links table). Titles never
//   match anything, so a rename is an update.
// - Only fields the target can write take part; the rest are counted in `limits` with the reason.
// - With the Cascade item in hand, changed fields are diffed old -> new. When Cascade cannot show
//   the item's values (the platform lists names only), the fingerprint of what was last written
//   decides and the old values are shown as unknown.
// - A changed parent is a move (Classic goals: focus area or parent goal; tasks: their goal).
// - A link whose Wrike item is gone is an orphan. Nothing is deleted unless the policy says so.
// - Operations are ordered parents first (depth), then objectives, measures, actions, then by
//   Wrike key; orphans last. The same input always gives the same plan.
#pragma once

#include <wrike_cascade/mapping/config.hpp>
#include <wrike_cascade/mapping/state.hpp>
#include <wrike_cascade/mapping/text.hpp>

#include <boost/json/serialize.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iomanip>
#include <map>
#include <memory>
#include <numeric>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wrike_cascade::mapping {

enum class OpKind { Create, Update, Move, NoOp, Orphan, Delete, Blocked };

inline std::string_view to_string(OpKind k) noexcept {
  switch (k) {
    case OpKind::Create: return "create";
    case OpKind::Update: return "update";
    case OpKind::Move: return "move";
    case OpKind::NoOp: return "no-op";
    case OpKind::Orphan: return "orphan";
    case OpKind::Delete: return "delete";
    case OpKind::Blocked: return "blocked";
  }
  return "?";
}

struct FieldDiff {
  std::string field;  // a field name, or "parent"
  boost::json::value old_value;  // null when absent or unknown
  boost::json::value new_value;
  bool old_known = true;  // false: Cascade cannot show the current value
  friend bool operator==(const FieldDiff&, const FieldDiff&) = default;
};

struct Op {
  OpKind kind = OpKind::NoOp;
  ItemKind item_kind = ItemKind::Action;
  std::string key;          // the Wrike key
  std::string title;
  std::string cascade_ref;  // "" for a create
  std::string parent;       // resolved: "goal:17", "focus_area:4", "new:KEY" (created earlier in this plan)
  Fields fields;            // every writable desired field, for create / update / move (empty otherwise)
  // update / move: the changed fields (and "parent"), old -> new. create: every field in
  // `fields` is new, so only the parent is listed here (all_diffs() gives them all).
  std::vector<FieldDiff> diffs;
  Fingerprint fingerprint = 0;  // of parent + fields, to record once the op is applied
  std::string note;
};

// A field the target cannot take, counted over the items that had a value for it.
struct Limit {
  ItemKind kind = ItemKind::Action;
  std::string field;
  std::size_t items = 0;
  std::string reason;
};

struct PlanSummary {
  std::size_t create = 0, update = 0, move = 0, noop = 0, orphan = 0, del = 0, blocked = 0;
  std::size_t changes() const noexcept { return create + update + move + del; }
};

struct Plan {
  std::string target;
  std::vector<Op> ops;
  std::vector<Warning> warnings;
  std::vector<Limit> limits;
  PlanSummary summary() const {
    PlanSummary s;
    for (const auto& op : ops) switch (op.kind) {
        case OpKind::Create: ++s.create; break;
        case OpKind::Update: ++s.update; break;
        case OpKind::Move: ++s.move; break;
        case OpKind::NoOp: ++s.noop; break;
        case OpKind::Orphan: ++s.orphan; break;
        case OpKind::Delete: ++s.del; break;
        case OpKind::Blocked: ++s.blocked; break;
      }
    return s;
  }
};

struct PlanOptions {
  Capabilities capabilities = Capabilities::classic();
  OrphanPolicy orphans = OrphanPolicy::Keep;
  // What to tell the user when an item has no Cascade counterpart and the target cannot create
  // one (for example "put the Cascade ID into the Wrike field \"Cascade ID\"").
  std::string how_to_link = "link it: put its Cascade ID in the Wrike Cascade ID field or in the config's \"links\"";
};

namespace planner_detail {

inline int kind_order(ItemKind k) {
  switch (k) {
    case ItemKind::Objective: return 0;
    case ItemKind::Measure: return 1;
    case ItemKind::Action: return 2;
  }
  return 3;
}

// "an action", "a measure", "an objective".
inline std::string with_article(ItemKind k) {
  return (k == ItemKind::Measure ? "a " : "an ") + std::string(to_string(k));
}

// Whether the plan sets this parent: the target can move items, and a plan (the platform's only
// parent) is not something its API sets.
inline bool manages_parent(const Capabilities& caps, std::string_view parent) {
  return caps.can_move && parent.rfind("plan:", 0) != 0;
}

// make_plan's body. `owned` is `desired` itself when the caller gave the state up: then the ops
// take its titles, keys, warnings and field values instead of copies.
inline Plan plan_items(const DesiredState& desired, DesiredState* owned, const LinkState& links,
                       const ObservedState& observed, const PlanOptions& options) {
  const Capabilities& caps = options.capabilities;
  Plan plan;
  plan.target = caps.name;
  if (owned)
    plan.warnings = std::move(owned->warnings);
  else
    plan.warnings = desired.warnings;
  const std::size_t n = desired.items.size();

  // Parents first (depth), then objectives, measures, actions, then by key: sorted on a compact
  // copy of the sort key, not on the items.
  // The key's first 16 bytes as two big-endian words (zero-padded) settle most comparisons.
  struct Slot {
    int depth;
    int kind;
    std::uint64_t prefix[2];
    std::string_view key;
    std::size_t index;
  };
  std::vector<Slot> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = desired.items[i];
    Slot slot{it.depth, planner_detail::kind_order(it.kind), {0, 0}, it.key, i};
    for (std::size_t b = 0; b < 16 && b < it.key.size(); ++b)
      slot.prefix[b / 8] |= std::uint64_t(static_cast<unsigned char>(it.key[b])) << (8 * (7 - b % 8));
    order.push_back(slot);
  }
  std::sort(order.begin(), order.end(), [](const Slot& a, const Slot& b) {
    if (a.depth != b.depth) return a.depth < b.depth;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.prefix[0] != b.prefix[0]) return a.prefix[0] < b.prefix[0];
    if (a.prefix[1] != b.prefix[1]) return a.prefix[1] < b.prefix[1];
    if (a.key != b.key) return a.key < b.key;
    return a.index < b.index;
  });

  // The maps below hold views into `desired` and `links`, which outlive this call.
  // Wrike key -> the position in `order` of the first item with it (later ones are duplicates).
  boost::unordered_flat_map<std::string_view, std::size_t, KeyHash> first_of;
  first_of.reserve(n);
  std::vector<char> duplicate(n, 0);
  for (std::size_t i = 0; i < n; ++i) duplicate[i] = !first_of.emplace(order[i].key, i).second;
  // Where each item (by position in `order`) ends up in Cascade after this plan: its ref, or
  // "new:KEY"; empty while it is not placed (blocked, or not planned yet). Views into `links`,
  // the items' hints and new_ref()'s blocks.
  std::vector<std::string_view> placed(n);
  // "new:KEY", side by side in blocks that never move (the views stay valid): one bump per
  // create instead of a string each.
  std::vector<std::unique_ptr<char[]>> new_ref_blocks;
  char* new_ref_at = nullptr;
  std::size_t new_ref_left = 0;
  auto new_ref = [&](std::string_view key) -> std::string_view {
    const std::size_t size = 4 + key.size();
    if (size > new_ref_left) {
      const std::size_t block = std::max<std::size_t>(size, 64 * 1024);
      new_ref_blocks.push_back(std::make_unique_for_overwrite<char[]>(block));
      new_ref_at = new_ref_blocks.back().get();
      new_ref_left = block;
    }
    char* at = new_ref_at;
    std::memcpy(at, "new:", 4);
    std::memcpy(at + 4, key.data(), key.size());
    new_ref_at += size;
    new_ref_left -= size;
    return {at, size};
  };
  // Cascade ref -> the Wrike key that holds it. The link state's claims come first, so a
  // Cascade ID written on another Wrike item cannot take a linked item over, whatever the order.
  // A link-state link needs no check unless two links name the same ref.
  boost::unordered_flat_map<std::string_view, std::string_view, KeyHash> claimed;
  claimed.reserve(links.size() + n / 4);
  bool shared_refs = false;
  for (const auto& [key, link] : links) shared_refs |= !claimed.emplace(link.cascade_ref, key).second;

  // Whether the target writes a field of a kind: each (kind, name) pair is looked up in
  // Capabilities once. Not writable ones are counted in `limits`.
  constexpr int kUnseen = -2, kWritable = -1;  // else an index into `limits`
  std::vector<std::array<int, 3>> rules;  // by name (its index), then kind
  boost::unordered_flat_map<std::string_view, std::size_t, KeyHash> rule_of;  // name -> index into `rules`
  std::vector<Limit> limits;
  // In front of `rule_of`, a direct-mapped cache by a name's length and first two characters: a
  // plan asks for every field of every item, and a mapping uses a few dozen names.
  struct CachedName {
    std::string_view name;
    std::size_t rule;
  };
  std::array<CachedName, 64> cache{};
  auto rule_for = [&](ItemKind kind, std::string_view name) -> int {
    const std::size_t n = name.size();
    const std::size_t slot =
        n == 0 ? 0
               : (n * 13 + static_cast<unsigned char>(name[0]) * 5 + static_cast<unsigned char>(name[n > 1])) & 63;
    CachedName& c = cache[slot];
    if (c.name.data() == nullptr || c.name != name) {
      auto [it, fresh] = rule_of.try_emplace(name, rules.size());
      if (fresh) rules.push_back({kUnseen, kUnseen, kUnseen});
      c = {name, it->second};
    }
    int& r = rules[c.rule][static_cast<std::size_t>(kind)];
    if (r == kUnseen) {
      if (caps.can_write(kind, name)) {
        r = kWritable;
      } else {
        r = static_cast<int>(limits.size());
        limits.push_back({kind, std::string(name), 0, caps.why_not(kind, name)});
      }
    }
    return r;
  };

  // Each item's link and the Cascade item it names, looked up before the main loop, so that
  // lookups that miss the cache can overlap in a loop this small.
  std::vector<const Link*> link_at(n, nullptr);
  std::vector<const ObservedItem*> observed_at(n, nullptr);
  std::size_t links_matched = 0;  // links whose key an item has (once per key)
  if (!links.empty()) {
    for (std::size_t pos = 0; pos < n; ++pos)
      if (auto it = links.find(order[pos].key); it != links.end()) {
        link_at[pos] = &it->second;
        links_matched += !duplicate[pos];
      }
    if (!observed.items.empty())
      for (const Link*& l : link_at)
        if (l)
          if (auto it = observed.items.find(l->cascade_ref); it != observed.items.end())
            observed_at[static_cast<std::size_t>(&l - link_at.data())] = &it->second;
  }

  plan.ops.reserve(n);
  advise_huge_pages(plan.ops.data(), plan.ops.capacity() * sizeof(Op));
  // The plan's values are copied into an arena of its own (never the desired state's): one bump
  // allocation per string, array or object. Until make_plan returns, only this thread reaches it.
  ValueArena* arena = nullptr;
  const boost::json::storage_ptr sp = make_value_arena(&arena);
  const ValueArena::Exclusive alone(*arena);
  auto copy = [&sp](const boost::json::value& v) { return boost::json::value(v, sp); };
  std::vector<const Fields::Entry*> writable;
  auto take_fields = [&](Op& o) {
    o.fields.reserve(writable.size());
    for (const auto* e : writable)
      if (owned)  // the state is the caller's no more (its values are not const objects): relocated
        o.fields.set(e->first, boost::json::pilfer(const_cast<boost::json::value&>(e->second)));
      else
        o.fields.set(e->first, copy(e->second));
  };
  // With `owned`, each op's key is moved in once the plan is made (until then the maps above
  // hold views of the keys): op position -> item index.
  std::vector<std::pair<std::size_t, std::size_t>> keys_to_move;
  if (owned) keys_to_move.reserve(n);
  // What a link whose Wrike item is gone becomes: deleted only when the config asks for it.
  const OpKind gone = options.orphans == OrphanPolicy::Delete && caps.can_delete ? OpKind::Delete : OpKind::Orphan;

  for (std::size_t pos = 0; pos < n; ++pos) {
    const DesiredItem& item = desired.items[order[pos].index];
    if (duplicate[pos]) {
      plan.warnings.push_back({item.key, "the mapping produced this Wrike key twice; the second is ignored"});
      continue;
    }
    Op op;
    auto push_op = [&](Op& o) {
      if (owned) keys_to_move.emplace_back(plan.ops.size(), order[pos].index);
      plan.ops.push_back(std::move(o));
    };
    op.item_kind = item.kind;
    if (owned) {
      op.title = std::move(owned->items[order[pos].index].title);
    } else {
      op.key = item.key;
      op.title = item.title;
    }

    // Writable fields only (views into the item; copied into the op only when it changes
    // something); count the rest.
    writable.clear();
    for (const auto& entry : item.fields) {
      const int r = rule_for(item.kind, entry.first);
      if (r == kWritable) writable.push_back(&entry);
      else ++limits[static_cast<std::size_t>(r)].items;
    }

    // The parent, resolved through this plan and the links.
    std::string_view parent = item.parent;
    if (parent.rfind("wrike:", 0) == 0) {
      std::string_view pkey = parent.substr(6);
      auto it = first_of.find(pkey);
      if (it != first_of.end() && !placed[it->second].empty()) {  // placed: planned before this item
        parent = placed[it->second];
      } else {
        // The parent was blocked or never mapped: the child cannot be placed (a Classic task
        // needs its goal), so it waits for the parent.
        op.kind = OpKind::Blocked;
        op.parent = parent;
        op.note = "its parent " + std::string(pkey) + " is not planned (blocked or not mapped), so it cannot be placed";
        if (link_at[pos]) op.cascade_ref = link_at[pos]->cascade_ref;
        push_op(op);
        continue;
      }
    }
    const bool parent_managed = planner_detail::manages_parent(caps, parent);
    if (owned) {  // the item's own parent string is the caller's no more: its buffer is reused
      std::string& mine = owned->items[order[pos].index].parent;
      const bool same = parent.data() == mine.data();
      op.parent = std::move(mine);
      if (!same) op.parent.assign(parent.data(), parent.size());  // a ref or "new:KEY": mostly no longer than "wrike:KEY"
      parent = op.parent;  // (a short string moves by copy: the view follows it)
    } else {
      op.parent = parent;
    }
    op.fingerprint = fingerprint(parent_managed ? parent : std::string_view(), writable);

    // The link: link state first, then the hint the Wrike item carries.
    const Link* link = nullptr;
    Link hint_link;
    if (link_at[pos]) {
      link = link_at[pos];
      if (link->kind != item.kind) {
        // The item changed kind (a task gained a measure value): the old item is an orphan.
        Op orphan;
        orphan.kind = gone;
        orphan.item_kind = link->kind;
        orphan.key = item.key;
        orphan.title = op.title;
        orphan.cascade_ref = link->cascade_ref;
        orphan.note = "the Wrike item is now mapped to " + planner_detail::with_article(item.kind) + ", not " +
                      planner_detail::with_article(link->kind);
        plan.ops.push_back(std::move(orphan));
        link = nullptr;
      }
    } else if (!item.cascade_hint.empty()) {
      hint_link = {item.cascade_hint, item.kind, 0};
      link = &hint_link;
    }
    // A view of the link's ref that outlives the call: the link state's, or the item's hint.
    const std::string_view ref = !link ? std::string_view()
                                 : link == &hint_link ? std::string_view(item.cascade_hint)
                                                      : std::string_view(link->cascade_ref);
    if (link && (link == &hint_link || shared_refs)) {
      auto [it, fresh] = claimed.emplace(ref, std::string_view(item.key));
      if (!fresh && it->second != item.key) {
        op.kind = OpKind::Blocked;
        op.cascade_ref = link->cascade_ref;
        op.note = link->cascade_ref + " is already linked to " + std::string(it->second) +
                  "; fix the Cascade ID of one of them";
        plan.warnings.push_back({item.key, op.note});
        push_op(op);
        continue;
      }
    }

    // A create where the target can create (every field new; children placed under
    // "new:KEY"), otherwise blocked: why (made only then), and how to link the item instead.
    auto create_or_block = [&](Op& o, auto&& why) {
      if (!caps.can_create) {
        o.kind = OpKind::Blocked;
        o.note = why() + ": " + options.how_to_link;
        return;
      }
      o.kind = OpKind::Create;
      take_fields(o);
      if (parent_managed && !o.parent.empty()) o.diffs.push_back({"parent", nullptr, boost::json::value(o.parent, sp), true});
      placed[pos] = new_ref(item.key);
    };

    if (!link) {
      create_or_block(op, [&] {
        return "not in Cascade, and the " + caps.name + " API cannot create " + planner_detail::with_article(item.kind);
      });
      push_op(op);
      continue;
    }

    op.cascade_ref = link->cascade_ref;
    placed[pos] = ref;
    const ObservedItem* obs = link == &hint_link ? nullptr : observed_at[pos];
    if (!obs && link == &hint_link)
      if (auto it = observed.items.find(link->cascade_ref); it != observed.items.end()) obs = &it->second;
    if (!obs && observed.complete) {
      create_or_block(op, [&] { return link->cascade_ref + " is linked but does not exist in Cascade"; });
      if (op.kind == OpKind::Create) {
        op.note = link->cascade_ref + " is linked but no longer exists in Cascade; it is created again";
        op.cascade_ref.clear();
      }
      push_op(op);
      continue;
    }

    if (obs && !obs->fields.empty()) {
      const ObservedItem& o = *obs;
      // Both sides are in name order: one walk through Cascade's fields, no search per field.
      auto seen = o.fields.begin();
      for (const auto* e : writable) {
        while (seen != o.fields.end() && Fields::name_less(seen->first, e->first)) ++seen;
        const boost::json::value* old = seen != o.fields.end() && seen->first == e->first ? &seen->second : nullptr;
        if (!old || *old != e->second)
          op.diffs.push_back({e->first, old ? copy(*old) : boost::json::value(), copy(e->second), true});
      }
      bool moved = parent_managed && !parent.empty() && o.parent != parent;
      if (moved) op.diffs.push_back({"parent", o.parent.empty() ? boost::json::value() : boost::json::value(o.parent, sp),
                                     boost::json::value(parent, sp), true});
      if (op.diffs.empty()) {
        op.kind = OpKind::NoOp;
      } else {
        take_fields(op);
        op.kind = moved ? OpKind::Move : OpKind::Update;
        if (link->fingerprint != 0 && link->fingerprint == op.fingerprint)
          op.note = "changed in Cascade since the last write; Wrike's values win";
      }
    } else {
      // Cascade cannot show this item's values: the fingerprint of the last write decides.
      if (link->fingerprint != 0 && link->fingerprint == op.fingerprint) {
        op.kind = OpKind::NoOp;
      } else {
        op.kind = OpKind::Update;
        take_fields(op);
        for (const auto& [name, v] : op.fields) op.diffs.push_back({name, nullptr, v, false});
        if (op.diffs.empty()) op.kind = OpKind::NoOp;
        else op.note = link->fingerprint == 0 ? "never written by this tool; current values unknown"
                                              : "changed in Wrike since the last write";
      }
    }
    push_op(op);
  }

  // Orphans: links whose Wrike key the mapping no longer produces, by key.
  std::vector<const LinkState::value_type*> orphans;
  if (links_matched < links.size())  // else every link has its item
    for (const auto& entry : links)
      if (!first_of.contains(entry.first)) orphans.push_back(&entry);
  std::sort(orphans.begin(), orphans.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : orphans) {
    const auto& [key, link] = *entry;
    Op op;
    op.key = key;
    op.item_kind = link.kind;
    op.cascade_ref = link.cascade_ref;
    op.kind = gone;
    op.note = gone == OpKind::Delete
                  ? "the Wrike item is gone or out of scope; \"orphans\": \"delete\" removes it from Cascade"
                  : "the Wrike item is gone or out of scope; the Cascade item is kept";
    plan.ops.push_back(std::move(op));
  }

  // What the mapping left out for its target counts as if present. Fields it left out that this
  // plan's target can write mean a mapping made for another target; the plan cannot make them up.
  std::string mismatched;
  for (const auto& lo : desired.left_out) {
    const int r = rule_for(lo.kind, lo.field);
    if (r != kWritable) {
      limits[static_cast<std::size_t>(r)].items += lo.items;
      continue;
    }
    mismatched += (mismatched.empty() ? "" : ", ") + std::string(to_string(lo.kind)) + " " + lo.field + " (" +
                  std::to_string(lo.items) + " item(s))";
  }
  if (!mismatched.empty())
    plan.warnings.insert(plan.warnings.begin(),
                         Warning{"", "the mapping was made for " +
                                         (desired.mapped_for.empty() ? std::string("another target") : desired.mapped_for) +
                                         " and left out what " + caps.name + " can write: " + mismatched +
                                         "; map again for " + caps.name + " to send them"});

  std::sort(limits.begin(), limits.end(), [](const Limit& a, const Limit& b) {
    return std::pair(a.kind, std::string_view(a.field)) < std::pair(b.kind, std::string_view(b.field));
  });
  plan.limits = std::move(limits);
  for (const auto& [at, index] : keys_to_move) plan.ops[at].key = std::move(owned->items[index].key);
  return plan;
}

}  // namespace planner_detail

// The plan for `desired`, which stays as it was: the plan copies what it keeps into an arena of
// its own.
inline Plan make_plan(const DesiredState& desired, const LinkState& links, const ObservedState& observed,
                      const PlanOptions& options) {
  return planner_detail::plan_items(desired, nullptr, links, observed, options);
}
// The same plan for a desired state the caller gives up (make_plan(map_to_cascade(...), ...), or
// std::move(desired)): its titles, keys and values move into the ops instead of being copied,
// and the plan keeps the state's value arena alive. Afterwards the state is valid but unspecified.
inline Plan make_plan(DesiredState&& desired, const LinkState& links, const ObservedState& observed,
                      const PlanOptions& options) {
  return planner_detail::plan_items(desired, &desired, links, observed, options);
}

// Every change an op makes, old -> new: its diffs, and for a create every field (all new) before
// the parent.
inline std::vector<FieldDiff> all_diffs(const Op& op) {
  if (op.kind != OpKind::Create) return op.diffs;
  std::vector<FieldDiff> out;
  out.reserve(op.fields.size() + op.diffs.size());
  for (const auto& [name, v] : op.fields) out.push_back({name, nullptr, v, true});
  out.insert(out.end(), op.diffs.begin(), op.diffs.end());
  return out;
}

// The link and observed state after `plan` is applied in full, with `new_id(kind)` giving
// each created item's Cascade ID. The executor records the same; tests use it to check that
// planning again changes nothing.
inline void apply_to_state(const Plan& plan, const Capabilities& caps, LinkState& links, ObservedState& observed,
                           const std::function<std::string(ItemKind)>& new_id) {
  std::unordered_map<std::string, std::string> created;  // "new:KEY" -> ref
  auto resolve = [&](const std::string& parent) {
    auto it = created.find(parent);
    return it != created.end() ? it->second : parent;
  };
  // The fingerprint the next plan computes: a parent created in this plan ("new:KEY") is
  // fingerprinted under the Cascade reference it got.
  auto recorded = [&](const Op& op) -> Fingerprint {
    return caps.can_move && op.parent.rfind("new:", 0) == 0 ? fingerprint(resolve(op.parent), op.fields)
                                                             : op.fingerprint;
  };
  // An op's fields as Cascade holds them after it: copies off the plan's arena (or the desired
  // state's), which the observed state does not keep.
  auto record_fields = [](ObservedItem& o, const Op& op) {
    for (const auto& [name, v] : op.fields) o.fields.set(name, detached(v));
  };
  for (const auto& op : plan.ops) {
    switch (op.kind) {
      case OpKind::Create: {
        std::string ref = caps.family.at(op.item_kind) + ":" + new_id(op.item_kind);
        created["new:" + op.key] = ref;
        auto& o = observed.items[ref] = ObservedItem{resolve(op.parent), {}};
        record_fields(o, op);
        links[op.key] = Link{ref, op.item_kind, recorded(op)};
        break;
      }
      case OpKind::Update:
      case OpKind::Move:
      case OpKind::NoOp: {
        auto& o = observed.items[op.cascade_ref];
        record_fields(o, op);
        if (planner_detail::manages_parent(caps, op.parent)) o.parent = resolve(op.parent);
        links[op.key] = Link{op.cascade_ref, op.item_kind, recorded(op)};
        break;
      }
      case OpKind::Delete:
        observed.items.erase(op.cascade_ref);
        links.erase(op.key);
        break;
      case OpKind::Orphan:
      case OpKind::Blocked:
        break;
    }
  }
}

// ---- output ---------------------------------------------------------------------------------

inline std::string short_json(const boost::json::value& v, std::size_t max_chars = 40) {
  if (v.is_null()) return "-";
  if (v.is_double()) {
    double d = v.get_double();
    if (d == static_cast<double>(static_cast<long long>(d)) && d > -1e15 && d < 1e15)
      return std::to_string(static_cast<long long>(d));
    std::ostringstream os;  // 2.5, not Boost.JSON's 2.5E0
    os << std::setprecision(15) << d;
    return os.str();
  }
  return truncate_chars(boost::json::serialize(v), max_chars);
}

inline boost::json::object to_json(const Op& op) {
  boost::json::object o;
  o["op"] = to_string(op.kind);
  o["kind"] = to_string(op.item_kind);
  o["wrike_id"] = op.key;
  if (!op.title.empty()) o["title"] = op.title;
  o["cascade"] = op.cascade_ref.empty() ? boost::json::value() : boost::json::value(op.cascade_ref);
  if (!op.parent.empty()) o["parent"] = op.parent;
  boost::json::array diffs;
  for (const auto& d : all_diffs(op)) {
    boost::json::object x{{"field", d.field}, {"new", d.new_value}};
    x["old"] = d.old_known ? d.old_value : boost::json::value("(unknown)");
    diffs.push_back(std::move(x));
  }
  o["changes"] = std::move(diffs);
  if (!op.fields.empty() && op.kind == OpKind::Create) o["fields"] = op.fields.to_json();
  if (op.fingerprint != 0) o["fingerprint"] = fingerprint_hex(op.fingerprint);
  if (!op.note.empty()) o["note"] = op.note;
  return o;
}

inline boost::json::object to_json(const Plan& plan) {
  boost::json::object o;
  o["target"] = plan.target;
  auto s = plan.summary();
  o["summary"] = boost::json::object{{"create", s.create}, {"update", s.update}, {"move", s.move},
                                     {"noop", s.noop},     {"orphan", s.orphan}, {"delete", s.del},
                                     {"blocked", s.blocked}};
  boost::json::array ops;
  for (const auto& op : plan.ops) ops.push_back(to_json(op));
  o["ops"] = std::move(ops);
  boost::json::array warnings;
  for (const auto& w : plan.warnings) warnings.push_back(boost::json::object{{"wrike_id", w.key}, {"message", w.message}});
  o["warnings"] = std::move(warnings);
  boost::json::array limits;
  for (const auto& l : plan.limits)
    limits.push_back(boost::json::object{
        {"kind", to_string(l.kind)}, {"field", l.field}, {"items", l.items}, {"reason", l.reason}});
  o["cannot_take"] = std::move(limits);
  return o;
}

inline std::string summary_line(const Plan& plan) {
  auto s = plan.summary();
  std::string line = std::to_string(s.create) + " create, " + std::to_string(s.update) + " update, " +
                     std::to_string(s.move) + " move, " + std::to_string(s.noop) + " no-op, " +
                     std::to_string(s.orphan) + " orphan";
  if (s.del) line += ", " + std::to_string(s.del) + " delete";
  if (s.blocked) line += ", " + std::to_string(s.blocked) + " blocked";
  return line;
}

// A table for people: one row per operation (no-ops only counted unless `show_noop`), then
// what the target cannot take, the warnings, and the summary.
inline void render_table(const Plan& plan, std::ostream& os, bool show_noop = false) {
  struct Row {
    std::string op, kind, key, ref, title, changes;
  };
  std::vector<Row> rows;
  // Blocked items with the same reason: the first three are listed, the rest counted.
  std::map<std::pair<ItemKind, std::string>, std::size_t> blocked_seen, blocked_total;
  for (const auto& op : plan.ops)
    if (op.kind == OpKind::Blocked) ++blocked_total[{op.item_kind, op.note}];
  for (const auto& op : plan.ops) {
    if (op.kind == OpKind::NoOp && !show_noop) continue;
    if (op.kind == OpKind::Blocked) {
      std::pair<ItemKind, std::string> group{op.item_kind, op.note};
      std::size_t n = ++blocked_seen[group], total = blocked_total[group];
      if (n > 3 && total > 4) {
        if (n == 4)
          rows.push_back({"blocked", std::string(to_string(op.item_kind)), "...", "-",
                          "and " + std::to_string(total - 3) + " more",
                          "the same reason (every one is in --json)"});
        continue;
      }
    }
    std::string changes;
    if (op.kind == OpKind::Create) {
      changes = std::to_string(op.fields.size()) + " fields";
      if (!op.parent.empty()) changes += ", under " + op.parent;
    } else {
      for (const auto& d : op.diffs) {
        if (!changes.empty()) changes += "; ";
        changes += d.field + ": " + (d.old_known ? short_json(d.old_value, 30) : "?") + " -> " + short_json(d.new_value, 30);
      }
    }
    if (!op.note.empty()) changes += changes.empty() ? op.note : " (" + op.note + ")";
    rows.push_back({std::string(to_string(op.kind)), std::string(to_string(op.item_kind)), op.key,
                    op.cascade_ref.empty() ? "-" : op.cascade_ref, truncate_chars(op.title, 34), changes});
  }
  std::size_t w[5] = {2, 4, 8, 7, 5};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.op.size());
    w[1] = std::max(w[1], r.kind.size());
    w[2] = std::max(w[2], r.key.size());
    w[3] = std::max(w[3], r.ref.size());
  }
  for (const auto& r : rows) w[4] = std::max(w[4], utf8_length(r.title));
  auto pad = [&](const std::string& s, std::size_t width) {
    std::size_t n = utf8_length(s);
    return s + std::string(width > n ? width - n : 0, ' ') + "  ";
  };
  if (!rows.empty()) {
    os << pad("OP", w[0]) << pad("KIND", w[1]) << pad("WRIKE ID", w[2]) << pad("CASCADE", w[3]) << pad("TITLE", w[4])
       << "CHANGES\n";
    for (const auto& r : rows)
      os << pad(r.op, w[0]) << pad(r.kind, w[1]) << pad(r.key, w[2]) << pad(r.ref, w[3]) << pad(r.title, w[4])
         << r.changes << "\n";
  }
  if (!plan.limits.empty()) {
    os << "\nNot sent (" << plan.target << " cannot take them):\n";
    for (const auto& l : plan.limits)
      os << "  " << to_string(l.kind) << "." << l.field << " on " << l.items << " item(s): " << l.reason << "\n";
  }
  if (!plan.warnings.empty()) {
    os << "\nWarnings:\n";
    for (const auto& w2 : plan.warnings) os << "  " << (w2.key.empty() ? "" : w2.key + ": ") << w2.message << "\n";
  }
  os << "\nPlan for " << plan.target << ": " << summary_line(plan) << "\n";
}

}  // namespace wrike_cascade::mapping
