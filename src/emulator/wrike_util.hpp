// Internal helpers shared by the Wrike store and service: civil-time arithmetic and Wrike's
// date formats, a portable deterministic PRNG, and small JSON accessors.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace wrike_cascade::emulator::detail {

// ---- civil time (Howard Hinnant's algorithms; proleptic Gregorian, UTC) ---------------------

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

constexpr Civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// 0 = Monday ... 6 = Sunday
constexpr int weekday(std::int64_t days) noexcept {
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

inline std::string format_date(std::int64_t days) {
  auto c = civil_from_days(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
  return buf;
}

// yyyy-MM-ddTHH:mm:ssZ
inline std::string format_timestamp(std::int64_t epoch_seconds) {
  const std::int64_t days = floor_div(epoch_seconds, 86400);
  const std::int64_t sod = epoch_seconds - days * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", format_date(days).c_str(),
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60));
  return buf;
}

// yyyy-MM-ddTHH:mm:ss (no zone: a task's account-local wall clock)
inline std::string format_local(std::int64_t days, int hour) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:00:00", format_date(days).c_str(), hour);
  return buf;
}

inline bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

inline int num(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// yyyy-MM-dd -> days since epoch
inline std::optional<std::int64_t> parse_date(std::string_view s) {
  if (s.size() < 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2))
    return std::nullopt;
  const int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const auto days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  auto back = civil_from_days(days);
  if (back.m != static_cast<unsigned>(m) || back.d != static_cast<unsigned>(d)) return std::nullopt;
  return days;
}

inline bool is_date(std::string_view s) { return s.size() == 10 && parse_date(s).has_value(); }

inline bool valid_time(std::string_view s, std::size_t pos) {
  return digits(s, pos, 2) && s[pos + 2] == ':' && digits(s, pos + 3, 2) && s[pos + 5] == ':' &&
         digits(s, pos + 6, 2) && num(s, pos, 2) < 24 && num(s, pos + 3, 2) < 60 &&
         num(s, pos + 6, 2) < 60;
}

// yyyy-MM-ddTHH:mm:ss (exactly)
inline bool is_local_datetime(std::string_view s) {
  return s.size() == 19 && parse_date(s) && s[10] == 'T' && valid_time(s, 11);
}

// yyyy-MM-ddTHH:mm:ssZ (exactly: seconds precision, UTC)
inline std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  if (s.size() != 20 || s[10] != 'T' || s[19] != 'Z' || !valid_time(s, 11)) return std::nullopt;
  auto d = parse_date(s);
  if (!d) return std::nullopt;
  return *d * 86400 + num(s, 11, 2) * 3600 + num(s, 14, 2) * 60 + num(s, 17, 2);
}

inline std::int64_t to_epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// ---- deterministic PRNG (SplitMix64: identical on every platform) ---------------------------

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // [0, n)
  std::int64_t below(std::int64_t n) {
    return n <= 0 ? 0 : static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  // [lo, hi]
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + below(hi - lo + 1); }
  bool percent(int p) { return below(100) < p; }
  template <class C>
  const auto& pick(const C& c) {
    return c[static_cast<std::size_t>(below(static_cast<std::int64_t>(std::size(c))))];
  }

 private:
  std::uint64_t s_;
};

// ---- ids ------------------------------------------------------------------------------------

// n -> `width` characters of RFC 4648 base32 (A-Z2-7), most significant first.
inline std::string base32(std::uint64_t n, int width) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(static_cast<std::size_t>(width), 'A');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = alphabet[n & 31];
    n >>= 5;
  }
  return out;
}

// A bijective scramble of a counter within 2^bits (odd multiplier), so sequential ids do
// not look sequential but never collide.
inline std::uint64_t scramble(std::uint64_t n, std::uint64_t salt, int bits) {
  const std::uint64_t mask = (bits >= 64) ? ~0ull : ((1ull << bits) - 1);
  return ((n * 0x9E3779B1ull) + (salt & mask)) & mask;
}

// 6 characters of [A-Za-z0-9-_] from a 36-bit value (2025-style ids are mixed case).
inline std::string base64ish(std::uint64_t n, int width) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(static_cast<std::size_t>(width), 'A');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = alphabet[n & 63];
    n >>= 6;
  }
  return out;
}

// ---- JSON accessors -------------------------------------------------------------------------

inline std::string_view str(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

inline const boost::json::array* arr(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_array()) return nullptr;
  return &it->value().get_array();
}

inline const boost::json::object* obj(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

inline bool flag(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

inline bool array_contains(const boost::json::array* a, std::string_view s) {
  if (!a) return false;
  for (const auto& v : *a)
    if (v.is_string() && v.get_string() == s) return true;
  return false;
}

inline boost::json::array string_array(std::initializer_list<std::string_view> l) {
  boost::json::array a;
  for (auto s : l) a.emplace_back(s);
  return a;
}

}  // namespace wrike_cascade::emulator::detail
