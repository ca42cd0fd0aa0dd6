// The data the mapping layer passes around: desired Cascade state made from Wrike, the link
// state (Wrike key -> Cascade item and the fingerprint of what was last written), what Cascade
// holds now, and what each target's API can take.
//
// Field values are JSON values in one normal form on both sides (numbers as doubles, dates as
// "YYYY-MM-DD", owners as "role:12" / "user:abc"), so desired and observed compare directly.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/pilfer.hpp>
#include <boost/json/value.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <cassert>
#include <bit>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

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

namespace mapper_detail {
class Mapper;
}

// A small sorted map of field name -> JSON value.
class Fields {
 public:
  using Entry = std::pair<std::string, boost::json::value>;

  void set(std::string_view name, boost::json::value v) {
    if (entries_.empty() || entries_.back().first < name) {  // in order: no search, no shifting
      entries_.emplace_back(std::string(name), std::move(v));
      return;
    }
    auto it = lower(name);
    if (it != entries_.end() && it->first == name)
      it->second = std::move(v);
    else
      entries_.emplace(it, std::string(name), std::move(v));
  }
  // The same for a value relocated out of its owner (Boost.JSON's pilfer, which leaves it null):
  // an inline relocation instead of a move through the library.
  void set(std::string_view name, boost::json::pilfered<boost::json::value> v) {
    if (entries_.empty() || entries_.back().first < name) {
      entries_.emplace_back(std::piecewise_construct, std::forward_as_tuple(name), std::forward_as_tuple(v));
      return;
    }
    set(name, boost::json::value(v));
  }
  const boost::json::value* get(std::string_view name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const Entry& e, std::string_view n) { return name_less(e.first, n); });
    return it != entries_.end() && it->first == name ? &it->second : nullptr;
  }
  void reserve(std::size_t n) { entries_.reserve(n); }
  // Name order; most names differ in their first character.
  static bool name_less(std::string_view a, std::string_view b) noexcept {
    if (!a.empty() && !b.empty() && a.front() != b.front())
      return static_cast<unsigned char>(a.front()) < static_cast<unsigned char>(b.front());  // as std::string compares
    return a < b;
  }
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
  friend class mapper_detail::Mapper;  // fills its items' fields in name order: append_in_order
  // `name` sorts after every name present (the caller knows; checked in debug builds).
  void append_in_order(std::string_view name, boost::json::pilfered<boost::json::value> v) {
    assert(entries_.empty() || entries_.back().first < name);
    entries_.emplace_back(std::piecewise_construct, std::forward_as_tuple(name), std::forward_as_tuple(v));
  }
  std::vector<Entry>::iterator lower(std::string_view name) {
    return std::lower_bound(entries_.begin(), entries_.end(), name,
                            [](const Entry& e, std::string_view n) { return name_less(e.first, n); });
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

// map_to_cascade() makes the JSON values of its items in one arena (a ValueArena): one bump
// allocation per string, array or object instead of a malloc and a free each, and the state's
// values side by side in memory. Each value holds the arena (reference counted), so it lives as
// long as any of them; a copy of a value is made in the same arena (safe from several threads).
// To keep a value longer than the state without keeping the whole arena, copy it with
// detached(). make_plan copies what it keeps into an arena of its own, so a Plan holds a
// DesiredState's arena only when the state was given to it (make_plan(DesiredState&&)); and
// apply_to_state detaches what it records.
struct DesiredState {
  std::vector<DesiredItem> items;
  std::vector<Warning> warnings;
  // When map_to_cascade was given the target's Capabilities, the fields it left out because the
  // target cannot write them: per kind and field, how many items had a value. make_plan counts
  // them among the plan's limits, as it counts fields that are present but not writable.
  struct LeftOut {
    ItemKind kind = ItemKind::Action;
    std::string field;
    std::size_t items = 0;
    friend bool operator==(const LeftOut&, const LeftOut&) = default;
  };
  std::vector<LeftOut> left_out;
  std::string mapped_for;  // the Capabilities' name it was mapped for; "" when mapped in full
};

// Large buffers in transparent huge pages where the kernel offers them on request ("madvise"
// mode): the whole 2 MiB pages inside [p, p + n) are advised, so touching them costs one page
// fault per 2 MiB instead of 512 (mapping 100,000 tasks fills some 100 MB, and first touches
// of new memory are CPU time). Advice only: without it nothing changes, and a buffer with no
// whole 2 MiB page inside is left alone.
inline constexpr std::size_t kHugePageSize = std::size_t{2} << 20;
inline void advise_huge_pages(const void* p, std::size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (n < kHugePageSize) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t from = (a + kHugePageSize - 1) & ~std::uintptr_t(kHugePageSize - 1);
  const std::uintptr_t to = (a + n) & ~std::uintptr_t(kHugePageSize - 1);
  if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

// A thread-safe monotonic arena for JSON values: a bump allocator over blocks that double in
// size, behind a mutex (copying a value of a const DesiredState allocates in it, and readers may
// be on several threads). Freeing is a no-op; the blocks go back when the last value holding the
// arena is gone. While one thread alone can reach the arena (a mapper filling it, before any
// value is handed out), that thread may hold it exclusively: allocations then skip the mutex.
// (Boost.JSON's monotonic_resource does the same bumping one virtual call further away, which a
// mapping pays some twenty times per item.)
class ValueArena final : public boost::json::memory_resource {
 public:
  // `self`, when given, receives the arena's address (a storage_ptr made by
  // make_shared_resource does not give it back).
  explicit ValueArena(ValueArena** self = nullptr) {
    if (self) *self = this;
  }
  ~ValueArena() override {
    while (blocks_) {
      Block* next = blocks_->next;
      std::free(blocks_);
      blocks_ = next;
    }
  }
  ValueArena(const ValueArena&) = delete;
  ValueArena& operator=(const ValueArena&) = delete;

  // Holds the arena for the calling thread alone for this object's lifetime.
  class Exclusive {
   public:
    explicit Exclusive(ValueArena& arena) : arena_(arena) { arena_.exclusive_ = true; }
    ~Exclusive() { arena_.exclusive_ = false; }
    Exclusive(const Exclusive&) = delete;
    Exclusive& operator=(const Exclusive&) = delete;

   private:
    ValueArena& arena_;
  };
  bool exclusive() const noexcept { return exclusive_; }
  // Bytes taken from the heap for blocks so far.
  std::size_t reserved() const noexcept { return reserved_; }

 private:
  struct alignas(std::max_align_t) Block {
    Block* next;
  };
  static constexpr std::size_t kFirstBlock = 4096, kLargestBlock = std::size_t{64} << 20;

  void* do_allocate(std::size_t n, std::size_t align) override {
    if (exclusive_) return bump(n, align);
    std::lock_guard<std::mutex> lock(mutex_);
    return bump(n, align);
  }
  void* bump(std::size_t n, std::size_t align) {
    const std::uintptr_t at = (reinterpret_cast<std::uintptr_t>(next_) + (align - 1)) & ~std::uintptr_t(align - 1);
    if (next_ && at <= end_ && n <= end_ - at) [[likely]] {
      next_ = reinterpret_cast<char*>(at + n);
      return reinterpret_cast<void*>(at);
    }
    return grow(n, align);
  }
  // A new block with room for `n` bytes at `align`: the next size up, or larger for a large `n`.
  void* grow(std::size_t n, std::size_t align) {
    if (align > alignof(std::max_align_t)) throw std::bad_alloc();  // Boost.JSON asks for at most 16
    if (n > (std::numeric_limits<std::size_t>::max() >> 2)) throw std::bad_alloc();
    std::size_t size = std::max(next_size_, sizeof(Block) + n);
    Block* b;
    if (size >= kHugePageSize) {
      // Blocks of 2 MiB and more, 2 MiB-aligned, in huge pages where offered (advise_huge_pages).
      size = (size + kHugePageSize - 1) / kHugePageSize * kHugePageSize;
      b = static_cast<Block*>(std::aligned_alloc(kHugePageSize, size));
      if (b) advise_huge_pages(b, size);
    } else {
      b = static_cast<Block*>(std::malloc(size));
    }
    if (!b) throw std::bad_alloc();
    b->next = blocks_;
    blocks_ = b;
    reserved_ += size;
    if (next_size_ < kLargestBlock) next_size_ *= 2;
    char* start = reinterpret_cast<char*>(b) + sizeof(Block);
    next_ = start + n;
    end_ = reinterpret_cast<std::uintptr_t>(b) + size;
    return start;
  }
  void do_deallocate(void*, std::size_t, std::size_t) override {}
  bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }

  std::mutex mutex_;
  bool exclusive_ = false;  // set and cleared by the one thread that can reach the arena
  char* next_ = nullptr;    // the free part of the newest block: [next_, end_)
  std::uintptr_t end_ = 0;
  Block* blocks_ = nullptr;  // newest first
  std::size_t next_size_ = kFirstBlock;
  std::size_t reserved_ = 0;
};

// A new arena; `self`, when given, receives its address (for ValueArena::Exclusive).
inline boost::json::storage_ptr make_value_arena(ValueArena** self = nullptr) {
  return boost::json::make_shared_resource<ValueArena>(self);
}

// A deep copy of `v` on the default heap, holding no arena.
inline boost::json::value detached(const boost::json::value& v) { return boost::json::value(v, boost::json::storage_ptr()); }

// A fingerprint of what was written to a Cascade item (its parent and fields): a 64-bit hash,
// shown as 16 hex digits. 0 means unknown.
using Fingerprint = std::uint64_t;

inline std::string fingerprint_hex(Fingerprint f) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, f >>= 4) s[static_cast<std::size_t>(i)] = hex[f & 0xf];
  return s;
}

// The hash of the mapping layer's keyed maps (Wrike keys, Cascade references): eight bytes at a
// time, each folded in with one 64x64->128-bit multiply. Boost's string hash takes four bytes at a
// time through a serial mix, which a plan pays on every lookup. Transparent: a map with it finds
// by std::string_view as well as by std::string.
struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::uint64_t h = fold(0x9E3779B97F4A7C15ull ^ n);
    if (n >= 8) {
      const unsigned char* last = p + n - 8;
      for (; p < last; p += 8) h = fold(h ^ load64(p));
      h = fold(h ^ load64(last));  // the last eight bytes (overlapping the previous word)
    } else if (n >= 4) {
      h = fold(h ^ (std::uint64_t{load32(p)} << 32 | load32(p + n - 4)));
    } else if (n > 0) {
      h = fold(h ^ (std::uint64_t{p[0]} << 16 | std::uint64_t{p[n / 2]} << 8 | p[n - 1]));
    }
    return static_cast<std::size_t>(h);
  }

 private:
  static std::uint64_t fold(std::uint64_t x) noexcept {
    const unsigned __int128 m = static_cast<unsigned __int128>(x) * 0xD6E8FEB86659FD93ull;
    return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
  }
  static std::uint64_t load64(const unsigned char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static std::uint32_t load32(const unsigned char* p) noexcept {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }
};

// What the link store remembers about one Wrike key.
struct Link {
  std::string cascade_ref;  // "goal:17", "task:9", "measure:abc", "action:abc"
  ItemKind kind = ItemKind::Action;
  Fingerprint fingerprint = 0;  // of the fields last written; 0 when unknown
  friend bool operator==(const Link&, const Link&) = default;
};
// Wrike key -> link. An open-addressing hash map (Boost.Unordered's flat map: one probe for most
// lookups, which a plan does for every item); anything that lists links sorts them by key first.
// Like any flat map, it moves its elements when it grows: hold keys, not references, across inserts.
using LinkState = boost::unordered_flat_map<std::string, Link, KeyHash, std::equal_to<>>;

// One Cascade item as Cascade holds it now, in the same normal form as DesiredItem::fields.
struct ObservedItem {
  std::string parent;  // "goal:17", "focus_area:4", "plan:abc", ""
  Fields fields;
};
// Keyed by Cascade reference. `complete` says the map holds every item of the kinds the target
// lists (Classic: all goals and tasks), so a linked reference missing from it was deleted.
struct ObservedState {
  boost::unordered_flat_map<std::string, ObservedItem, KeyHash, std::equal_to<>> items;  // see LinkState about the map
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

// The fingerprint of a parent and fields: XXH64 (seed 0) of one canonical byte encoding, with 0
// read as 1 (0 means unknown). The encoding: the parent, then each field's name and value, where
// a string is its length (8 bytes, little-endian) and its bytes, and a value is a tag per JSON
// kind ('n', 't', 'f', 'i'/'u' + 8 bytes, 'd' + the double's IEEE bits with -0 as 0, 's' +
// string, 'a' + count + elements, 'o' + count + name/value pairs in order). Stable across runs,
// platforms and library versions: nothing here depends on a serializer or on std::hash, and
// any XXH64 implementation (xxhash's own, Python's `xxhash`) gives the same number.
namespace state_detail {
class Hasher {
 public:
  // The encoding gathers in a buffer; each full buffer is hashed as eight 32-byte stripes, four
  // independent lanes each (XXH64's), so long texts hash at several bytes per cycle. A piece
  // that does not fit completes the buffer's last stripe, and its whole stripes are hashed where
  // they are, not copied.
  void bytes(const void* data, std::size_t n) {
    if (n == 0) return;  // (an empty view may have no data: memcpy must not see its null pointer)
    const auto* p = static_cast<const unsigned char*>(data);
    length_ += n;
    if (used_ + n <= sizeof buf_) {
      std::memcpy(buf_ + used_, p, n);
      used_ += n;
      if (used_ == sizeof buf_) {
        stripes(buf_, sizeof buf_);
        used_ = 0;
      }
      return;
    }
    const std::size_t fill = (32 - used_ % 32) % 32;  // fits: used_ < sizeof buf_, a multiple of 32
    std::memcpy(buf_ + used_, p, fill);
    stripes(buf_, used_ + fill);
    p += fill;
    n -= fill;
    const std::size_t whole = n / 32 * 32;
    stripes(p, whole);
    std::memcpy(buf_, p + whole, n - whole);
    used_ = n - whole;
  }
  void tag(char c) {
    if (used_ < sizeof buf_ - 1) {
      buf_[used_++] = static_cast<unsigned char>(c);
      ++length_;
    } else {
      bytes(&c, 1);
    }
  }
  void u64(std::uint64_t v) {
    if (used_ + 8 < sizeof buf_) {  // in place (a full buffer is left for bytes() to hash)
      store_le(buf_ + used_, v);
      used_ += 8;
      length_ += 8;
      return;
    }
    unsigned char b[8];
    store_le(b, v);
    bytes(b, 8);
  }
  void text(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void json(const boost::json::value& v) {
    switch (v.kind()) {
      case boost::json::kind::null: tag('n'); break;
      case boost::json::kind::bool_: tag(v.get_bool() ? 't' : 'f'); break;
      case boost::json::kind::int64: tag('i'); u64(static_cast<std::uint64_t>(v.get_int64())); break;
      case boost::json::kind::uint64: tag('u'); u64(v.get_uint64()); break;
      case boost::json::kind::double_: {
        double d = v.get_double();
        if (d == 0) d = 0;  // -0 == 0, as the planner's comparison says
        std::uint64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        tag('d');
        u64(bits);
        break;
      }
      case boost::json::kind::string: tag('s'); text(v.get_string()); break;
      case boost::json::kind::array:
        tag('a');
        u64(v.get_array().size());
        for (const auto& e : v.get_array()) json(e);
        break;
      case boost::json::kind::object:
        tag('o');
        u64(v.get_object().size());
        for (const auto& m : v.get_object()) {
          text(m.key());
          json(m.value());
        }
        break;
    }
  }
  // XXH64's end: the lanes merged (when 32 bytes or more came), the length, the last bytes,
  // then the avalanche.
  Fingerprint finish() {
    const std::size_t whole = used_ / 32 * 32;
    stripes(buf_, whole);
    std::uint64_t h;
    if (length_ >= 32) {
      h = rotl(v_[0], 1) + rotl(v_[1], 7) + rotl(v_[2], 12) + rotl(v_[3], 18);
      for (std::uint64_t v : v_) h = (h ^ round(0, v)) * kP1 + kP4;
    } else {
      h = kP5;  // seed 0
    }
    h += length_;
    const unsigned char* p = buf_ + whole;
    const unsigned char* end = buf_ + used_;
    for (; p + 8 <= end; p += 8) h = rotl(h ^ round(0, load_le(p)), 27) * kP1 + kP4;
    if (p + 4 <= end) {
      std::uint32_t w;
      std::memcpy(&w, p, 4);
      if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
      h = rotl(h ^ (std::uint64_t{w} * kP1), 23) * kP2 + kP3;
      p += 4;
    }
    for (; p < end; ++p) h = rotl(h ^ (*p * kP5), 11) * kP1;
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    h *= kP3;
    h ^= h >> 32;
    return h ? h : 1;
  }

 private:
  static constexpr std::uint64_t kP1 = 0x9E3779B185EBCA87ull, kP2 = 0xC2B2AE3D27D4EB4Full,
                                 kP3 = 0x165667B19E3779F9ull, kP4 = 0x85EBCA77C2B2AE63ull,
                                 kP5 = 0x27D4EB2F165667C5ull;
  static std::uint64_t load_le(const unsigned char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    return w;
  }
  static void store_le(unsigned char* p, std::uint64_t v) {
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    std::memcpy(p, &v, 8);
  }
  static std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  static std::uint64_t round(std::uint64_t acc, std::uint64_t input) { return rotl(acc + input * kP2, 31) * kP1; }
  // Whole 32-byte stripes of `p` (n a multiple of 32) into the four lanes.
  void stripes(const unsigned char* p, std::size_t n) {
    std::uint64_t a = v_[0], b = v_[1], c = v_[2], d = v_[3];
    for (const unsigned char* end = p + n; p < end; p += 32) {
      a = round(a, load_le(p));
      b = round(b, load_le(p + 8));
      c = round(c, load_le(p + 16));
      d = round(d, load_le(p + 24));
    }
    v_[0] = a, v_[1] = b, v_[2] = c, v_[3] = d;
  }
  std::uint64_t v_[4] = {kP1 + kP2, kP2, 0, 0 - kP1};  // seed 0
  std::uint64_t length_ = 0;
  unsigned char buf_[256];
  std::size_t used_ = 0;
};

template <class Range, class Get>
Fingerprint fingerprint_of(std::string_view parent, const Range& entries, Get get) {
  Hasher h;
  h.text(parent);
  for (const auto& e : entries) {
    const Fields::Entry& entry = get(e);
    h.text(entry.first);
    h.json(entry.second);
  }
  return h.finish();
}
}  // namespace state_detail

inline Fingerprint fingerprint(std::string_view parent, const Fields& fields) {
  return state_detail::fingerprint_of(parent, fields, [](const Fields::Entry& e) -> const Fields::Entry& { return e; });
}
// The same over a subset of a Fields' entries, in their order.
inline Fingerprint fingerprint(std::string_view parent, const std::vector<const Fields::Entry*>& entries) {
  return state_detail::fingerprint_of(parent, entries, [](const Fields::Entry* e) -> const Fields::Entry& { return *e; });
}

}  // namespace wrike_cascade::mapping
