// Private: the lenient JSON reader/writer machinery shared by classic_model.cpp and
// platform_model.cpp (same design as src/wrike/model.cpp: one table of (wire name, member)
// pairs per model, one generic reader keeping unknown keys in `extra`, one generic writer, and
// a small path stack so every error names the field path).
#pragma once

#include <cascade/common.hpp>
#include <cascade/ids.hpp>
#include <wrike_cascade/error.hpp>

#include "../core/json_path.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cascade::io {

namespace json = boost::json;

// The decode path (shared with the Wrike decoders, src/core/json_path.hpp).
using Ctx = wrike_cascade::detail::JsonPath;
using wrike_cascade::detail::quoted;
inline const char* kind_name(const json::value& v) noexcept { return wrike_cascade::detail::json_kind_name(v); }

// "<path>: expected <what>, got <kind> <value>" (the value shown for scalars, so a lenient
// decoder's refusal says what it refused).
[[noreturn]] void fail_expected(const Ctx& c, const char* what, const json::value& got);

// ---- readers (common.cpp) -------------------------------------------------------------------

void read(Ctx& c, const json::value& v, std::string& out);     // a string, or a number's text
void read(Ctx& c, const json::value& v, bool& out);            // true/false, 0/1, "0"/"1", "true"/"false"
void read(Ctx& c, const json::value& v, std::int64_t& out);    // an integer, or its numeric string
void read(Ctx& c, const json::value& v, int& out);
void read(Ctx& c, const json::value& v, double& out);          // a number, or a numeric string
void read(Ctx& c, const json::value& v, DateTime& out);
void read(Ctx& c, const json::value& v, std::chrono::year_month_day& out);
void read(Ctx& c, const json::value& v, json::object& out);
void read(Ctx& c, const json::value& v, json::array& out);
void read(Ctx& c, const json::value& v, std::map<std::string, json::value>& out);  // object, or [] for none
std::int64_t read_int_id(Ctx& c, const json::value& v);
std::string read_string_id(Ctx& c, const json::value& v);
std::string_view strict_text(Ctx& c, const json::value& v);

// Every template overload is declared before any is defined: the path type lives in another
// namespace, so argument-dependent lookup would not find a later one from inside an earlier one.
template <class Tag>
void read(Ctx& c, const json::value& v, IntId<Tag>& out);
template <class Tag>
void read(Ctx& c, const json::value& v, StringId<Tag>& out);
template <class E>
void read(Ctx& c, const json::value& v, OpenEnum<E>& out);
template <class X>
void read(Ctx& c, const json::value& v, std::optional<X>& out);
template <class X>
void read(Ctx& c, const json::value& v, std::vector<X>& out);

template <class Tag>
void read(Ctx& c, const json::value& v, IntId<Tag>& out) {
  out = IntId<Tag>{read_int_id(c, v)};
}
template <class Tag>
void read(Ctx& c, const json::value& v, StringId<Tag>& out) {
  out = StringId<Tag>{read_string_id(c, v)};
}
template <class E>
void read(Ctx& c, const json::value& v, OpenEnum<E>& out) {
  out = OpenEnum<E>{strict_text(c, v)};
}

// Values for which an empty string on the wire means "absent" (Classic sends "" for unset
// dates and numbers in places).
template <class X>
inline constexpr bool empty_string_is_absent_v =
    std::is_same_v<X, DateTime> || std::is_same_v<X, bool> || std::is_same_v<X, int> ||
    std::is_same_v<X, std::int64_t> || std::is_same_v<X, double>;
template <class Tag>
inline constexpr bool empty_string_is_absent_v<IntId<Tag>> = true;

// JSON null on an optional field means "absent".
template <class X>
void read(Ctx& c, const json::value& v, std::optional<X>& out) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  if constexpr (empty_string_is_absent_v<X>) {
    if (const auto* s = v.if_string(); s && s->empty()) {
      out.reset();
      return;
    }
  }
  read(c, v, out.emplace());
}

template <class X>
void read(Ctx& c, const json::value& v, std::vector<X>& out) {
  const json::array* a = v.if_array();
  if (!a) fail_expected(c, "an array", v);
  out.clear();
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    c.push(i);
    read(c, (*a)[i], out.emplace_back());
    c.pop();
  }
}

// ---- writers --------------------------------------------------------------------------------

void write(json::value& out, const std::string& s);
void write(json::value& out, bool b);                 // 0/1: what Cascade sends and takes
void write(json::value& out, std::int64_t n);
void write(json::value& out, int n);
void write(json::value& out, double d);
// A whole number within +-2^53 as a JSON integer ("50", not "5E1"), anything else as a double.
json::value json_number(double d);
void write(json::value& out, const DateTime& t);      // ISO 8601
void write(json::value& out, std::chrono::year_month_day d);
void write(json::value& out, const json::object& o);
void write(json::value& out, const json::array& a);
void write(json::value& out, const std::map<std::string, json::value>& m);
template <class Tag>
void write(json::value& out, IntId<Tag> id);
template <class Tag>
void write(json::value& out, const StringId<Tag>& id);
template <class E>
void write(json::value& out, const OpenEnum<E>& e);
template <class X>
void write(json::value& out, const std::vector<X>& xs);

template <class Tag>
void write(json::value& out, IntId<Tag> id) {
  out = id.value();
}
template <class Tag>
void write(json::value& out, const StringId<Tag>& id) {
  out.emplace_string() = id.str();
}
template <class E>
void write(json::value& out, const OpenEnum<E>& e) {
  out.emplace_string() = e.str();
}
template <class X>
void write(json::value& out, const std::vector<X>& xs) {
  json::array& a = out.emplace_array();
  a.reserve(xs.size());
  for (const X& x : xs) write(a.emplace_back(nullptr), x);
}

// ---- field tables ---------------------------------------------------------------------------

template <class T>
struct Field {
  std::string_view name;
  bool required;
  void (*decode)(Ctx&, const json::value&, T&);
  void (*encode)(json::object&, std::string_view, const T&);
};

template <auto M>
struct member_of;
template <class T, class V, V T::*M>
struct member_of<M> {
  using owner = T;
  using type = V;
};

template <class V>
inline constexpr bool is_optional_v = false;
template <class X>
inline constexpr bool is_optional_v<std::optional<X>> = true;

inline json::value& put(json::object& o, std::string_view key) { return o.emplace(key, nullptr).first->value(); }

// field<&Goal::role_id>("role_id"): required unless the member is a std::optional.
template <auto M>
constexpr Field<typename member_of<M>::owner> field(std::string_view name) {
  using T = typename member_of<M>::owner;
  using V = typename member_of<M>::type;
  return {name, !is_optional_v<V>,
          [](Ctx& c, const json::value& v, T& out) { read(c, v, out.*M); },
          [](json::object& o, std::string_view key, const T& in) {
            if constexpr (is_optional_v<V>) {
              if (in.*M) write(put(o, key), *(in.*M));
            } else {
              write(put(o, key), in.*M);
            }
          }};
}

// Specialised per model in the .cpp files: `name` and `fields`.
template <class T>
struct Model;

template <class F, std::size_t N>
std::size_t find_field(const std::array<F, N>& fields, std::string_view key, std::size_t hint) noexcept {
  for (std::size_t k = 0; k < N; ++k) {
    std::size_t i = hint + k;
    if (i >= N) i -= N;
    if (fields[i].name == key) return i;
  }
  return N;
}

template <class T>
void read_struct(Ctx& c, const json::value& v, T& out) {
  const json::object* obj = v.if_object();
  if (!obj) fail_expected(c, "an object", v);
  constexpr auto& fields = Model<T>::fields;
  constexpr std::size_t n = fields.size();
  static_assert(n <= 64, "the seen-mask is 64 bits");
  std::uint64_t seen = 0;
  std::size_t hint = 0;
  for (const json::key_value_pair& kv : *obj) {
    const std::string_view key = kv.key();
    const std::size_t i = find_field(fields, key, hint);
    if (i == n) {
      out.extra.emplace(key, kv.value());
      continue;
    }
    hint = i + 1;
    seen |= std::uint64_t{1} << i;
    c.push(key);
    fields[i].decode(c, kv.value(), out);
    c.pop();
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (fields[i].required && !(seen & (std::uint64_t{1} << i))) {
      c.push(fields[i].name);
      c.fail("missing");
    }
  }
}

template <class T>
void write_struct(json::object& o, const T& in) {
  constexpr auto& fields = Model<T>::fields;
  o.reserve(o.size() + fields.size() + in.extra.size());
  for (const auto& f : fields) f.encode(o, f.name, in);
  for (const json::key_value_pair& kv : in.extra) o.emplace(kv.key(), kv.value());  // never replaces
}

template <class T>
T decode_model(const json::value& v) {
  Ctx c(Model<T>::name);
  T out;
  read_struct(c, v, out);
  return out;
}

// " (the body says: ...)" when a body that is not the expected shape carries a message.
std::string describe_body_message(const json::object& o);

// The records under `singular` or `plural` (an object or an array), or a bare array body.
template <class T>
Listing<T> decode_listing(const json::value& body, std::string_view singular, std::string_view plural) {
  Ctx c("body");
  Listing<T> out;
  const json::value* items = nullptr;
  if (body.is_array()) {
    items = &body;
  } else if (const json::object* obj = body.if_object()) {
    const json::value* p = obj->if_contains(plural);
    const json::value* s = obj->if_contains(singular);
    if (p && !p->is_null()) {
      items = p;
      out.key = std::string(plural);
    } else if (s && !s->is_null()) {
      items = s;
      out.key = std::string(singular);
    } else if (p || s) {
      items = p ? p : s;  // null: no records
      out.key = std::string(p ? plural : singular);
    }
    if (!items) {
      c.fail("expected a \"" + std::string(singular) + "\" or \"" + std::string(plural) + "\" key" +
             describe_body_message(*obj));
    }
    for (const json::key_value_pair& kv : *obj) {
      if (kv.key() != out.key) out.extra.emplace(kv.key(), kv.value());
    }
  } else {
    fail_expected(c, "an object", body);
  }
  Ctx ic(out.key.empty() ? std::string_view("body") : std::string_view(out.key), true);
  if (items->is_null()) return out;
  if (const json::array* a = items->if_array()) {
    out.items.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      ic.push(i);
      read_struct(ic, (*a)[i], out.items.emplace_back());
      ic.pop();
    }
  } else {
    read_struct(ic, *items, out.items.emplace_back());
  }
  return out;
}

}  // namespace cascade::io
