// Shared Cascade pieces: dates and times, the lenient primitive readers, hosts, error bodies.

#include "json_io.hpp"

#include <cascade/common.hpp>
#include <wrike_cascade/net/http.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace cascade {

using wrike_cascade::errc;
using wrike_cascade::Error;

// ---- dates and times ------------------------------------------------------------------------

namespace {

[[noreturn]] void bad_time(std::string_view text, std::string_view what) {
  std::string shown(text.substr(0, 80));
  if (text.size() > 80) shown += "...";
  throw std::invalid_argument("invalid " + std::string(what) + " \"" + shown + "\"");
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

int digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool digits_in(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  return pos + n <= s.size() && all_digits(s.substr(pos, n));
}

// "YYYY-MM-DD" at the start of s; false when not that shape or not a real date.
bool date_prefix(std::string_view s, std::chrono::year_month_day& out) {
  if (s.size() < 10 || !digits_in(s, 0, 4) || s[4] != '-' || !digits_in(s, 5, 2) || s[7] != '-' ||
      !digits_in(s, 8, 2))
    return false;
  out = std::chrono::year_month_day{std::chrono::year{digits_at(s, 0, 4)},
                                    std::chrono::month{static_cast<unsigned>(digits_at(s, 5, 2))},
                                    std::chrono::day{static_cast<unsigned>(digits_at(s, 8, 2))}};
  return out.ok();
}

void append_2(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

}  // namespace

std::chrono::year_month_day parse_date(std::string_view text) {
  std::chrono::year_month_day d;
  if (text.size() != 10 || !date_prefix(text, d)) bad_time(text, "date (expected YYYY-MM-DD)");
  return d;
}

DateTime parse_datetime(std::string_view text) {
  using namespace std::chrono;
  // Unix seconds, possibly with a fraction (dropped).
  {
    std::string_view n = text;
    if (!n.empty() && (n.front() == '-' || n.front() == '+')) n.remove_prefix(1);
    const auto dot = n.find('.');
    const std::string_view whole = n.substr(0, dot);
    if (all_digits(whole) && (dot == std::string_view::npos || all_digits(n.substr(dot + 1)))) {
      if (whole.size() > 12) bad_time(text, "Unix time (out of range)");
      std::int64_t secs = 0;
      std::from_chars(whole.data(), whole.data() + whole.size(), secs);
      if (text.front() == '-') secs = -secs;
      return DateTime(sys_seconds{seconds{secs}});
    }
  }
  year_month_day d;
  if (!date_prefix(text, d)) bad_time(text, "date/time (expected Unix seconds or ISO 8601)");
  if (text.size() == 10) return DateTime(d);
  const char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') bad_time(text, "date/time (expected Unix seconds or ISO 8601)");
  std::size_t pos = 11;
  if (!digits_in(text, pos, 2)) bad_time(text, "date/time (bad time of day)");
  const int hh = digits_at(text, pos, 2);
  pos += 2;
  if (pos >= text.size() || text[pos] != ':' || !digits_in(text, pos + 1, 2)) bad_time(text, "date/time (bad time of day)");
  const int mm = digits_at(text, pos + 1, 2);
  pos += 3;
  int ss = 0;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits_in(text, pos + 1, 2)) bad_time(text, "date/time (bad seconds)");
    ss = digits_at(text, pos + 1, 2);
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) bad_time(text, "date/time (bad fraction)");
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) bad_time(text, "date/time (time of day out of range)");
  int offset_minutes = 0;
  if (pos < text.size()) {
    const std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
      // UTC
    } else if (zone.front() == '+' || zone.front() == '-') {
      int oh = 0, om = 0;
      if (zone.size() == 3 && digits_in(zone, 1, 2)) {
        oh = digits_at(zone, 1, 2);
      } else if (zone.size() == 5 && digits_in(zone, 1, 4)) {
        oh = digits_at(zone, 1, 2);
        om = digits_at(zone, 3, 2);
      } else if (zone.size() == 6 && digits_in(zone, 1, 2) && zone[3] == ':' && digits_in(zone, 4, 2)) {
        oh = digits_at(zone, 1, 2);
        om = digits_at(zone, 4, 2);
      } else {
        bad_time(text, "date/time (bad zone offset)");
      }
      if (oh > 23 || om > 59) bad_time(text, "date/time (zone offset out of range)");
      offset_minutes = (oh * 60 + om) * (zone.front() == '-' ? -1 : 1);
    } else {
      bad_time(text, "date/time (bad zone)");
    }
  }
  const sys_seconds local = sys_days(d) + hours(hh) + minutes(mm) + seconds(ss);
  return DateTime(local - minutes(offset_minutes));
}

std::string format_date(std::chrono::year_month_day d) {
  const int y = static_cast<int>(d.year());
  if (!d.ok() || y < 0 || y > 9999) throw std::invalid_argument("date out of range for YYYY-MM-DD");
  std::string out;
  out.reserve(10);
  append_2(out, static_cast<unsigned>(y / 100));
  append_2(out, static_cast<unsigned>(y % 100));
  out += '-';
  append_2(out, static_cast<unsigned>(d.month()));
  out += '-';
  append_2(out, static_cast<unsigned>(d.day()));
  return out;
}

std::string format_datetime(const DateTime& t) {
  using namespace std::chrono;
  const auto day = floor<days>(t.time);
  std::string out = format_date(year_month_day(day));
  if (t.date_only) return out;
  const hh_mm_ss<seconds> tod(t.time - day);
  out += 'T';
  append_2(out, static_cast<unsigned>(tod.hours().count()));
  out += ':';
  append_2(out, static_cast<unsigned>(tod.minutes().count()));
  out += ':';
  append_2(out, static_cast<unsigned>(tod.seconds().count()));
  out += 'Z';
  return out;
}

std::ostream& operator<<(std::ostream& os, const DateTime& t) {
  try {
    return os << format_datetime(t);
  } catch (const std::invalid_argument&) {
    return os << t.time.time_since_epoch().count() << "s";
  }
}

// ---- hosts ----------------------------------------------------------------------------------

bool is_cascade_host(std::string_view host) noexcept {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return false;
  std::string h;
  h.reserve(host.size());
  std::size_t label = 0;
  for (char ch : host) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
    if (!ok) return false;
    if (ch == '.') {
      if (label == 0 || h.back() == '-') return false;  // empty label, or one ending in '-'
      label = 0;
    } else {
      if (label == 0 && ch == '-') return false;
      if (++label > 63) return false;
    }
    h += ch;
  }
  if (label == 0 || h.back() == '-') return false;
  constexpr std::string_view apex = "cascade.app";
  if (h == apex) return true;
  return h.size() > apex.size() + 1 && h.ends_with(apex) && h[h.size() - apex.size() - 1] == '.';
}

// ---- errors ---------------------------------------------------------------------------------

void decode_error_body(const boost::json::value& body, wrike_cascade::ErrorDetail& detail) {
  wrike_cascade::net::decode_common_error_body(body, detail);
  const auto* obj = body.if_object();
  if (!obj) return;
  if (detail.api_error.empty()) {
    if (const auto* st = obj->if_contains("status"); st && st->is_string()) {
      detail.api_error = std::string(std::string_view(st->get_string()).substr(0, 100));
    } else if (const auto* code = obj->if_contains("code"); code && (code->is_int64() || code->is_uint64())) {
      detail.api_error = boost::json::serialize(*code);
    } else if (code && code->is_string()) {
      detail.api_error = std::string(std::string_view(code->get_string()).substr(0, 100));
    }
  }
  // {"message": "...", "errors": {"field": ["text", ...]}} (validation errors by field).
  if (const auto* errs = obj->if_contains("errors"); errs && errs->is_object()) {
    std::string fields;
    for (const auto& kv : errs->get_object()) {
      std::string text;
      auto add = [&](const boost::json::value& m) {
        if (!m.is_string()) return;
        if (!text.empty()) text += ", ";
        text += std::string(m.get_string());
      };
      if (kv.value().is_array()) {
        for (const auto& m : kv.value().get_array()) add(m);
      } else {
        add(kv.value());
      }
      if (text.empty()) continue;
      if (!fields.empty()) fields += "; ";
      fields += std::string(kv.key()) + ": " + text;
    }
    if (!fields.empty()) {
      detail.api_description =
          detail.api_description.empty() ? fields : detail.api_description + " (" + fields + ")";
    }
  }
  if (detail.api_description.size() > 500) {
    detail.api_description.resize(500);
    detail.api_description += "...";
  }
}

// ---- lenient readers ------------------------------------------------------------------------

namespace io {

void fail_expected(const Ctx& c, const char* what, const json::value& got) {
  std::string text = "expected ";
  text += what;
  text += ", got ";
  text += kind_name(got);
  if (got.is_string() || got.is_number() || got.is_bool()) {
    text += ' ';
    text += got.is_string() ? quoted(got.get_string()) : boost::json::serialize(got);
  }
  c.fail(text);
}

std::string_view strict_text(Ctx& c, const json::value& v) {
  const json::string* s = v.if_string();
  if (!s) fail_expected(c, "a string", v);
  return {s->data(), s->size()};
}

namespace {

std::string number_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: {
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
      return std::string(buf, r.ptr);
    }
    default: return {};
  }
}

// The integer in `text` (optional sign, digits only), or nullopt.
std::optional<std::int64_t> parse_int(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t n = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

void read(Ctx& c, const json::value& v, std::string& out) {
  if (const json::string* s = v.if_string()) {
    out.assign(s->data(), s->size());
    return;
  }
  if (v.is_number()) {
    out = number_text(v);
    return;
  }
  fail_expected(c, "a string", v);
}

void read(Ctx& c, const json::value& v, bool& out) {
  switch (v.kind()) {
    case json::kind::bool_: out = v.get_bool(); return;
    case json::kind::int64:
      if (v.get_int64() == 0 || v.get_int64() == 1) {
        out = v.get_int64() == 1;
        return;
      }
      break;
    case json::kind::uint64:
      if (v.get_uint64() <= 1) {
        out = v.get_uint64() == 1;
        return;
      }
      break;
    case json::kind::double_:
      if (v.get_double() == 0.0 || v.get_double() == 1.0) {
        out = v.get_double() == 1.0;
        return;
      }
      break;
    case json::kind::string: {
      const std::string_view s = v.get_string();
      if (s == "1" || s == "true") {
        out = true;
        return;
      }
      if (s == "0" || s == "false") {
        out = false;
        return;
      }
      break;
    }
    default: break;
  }
  fail_expected(c, "0/1 or a boolean", v);
}

void read(Ctx& c, const json::value& v, std::int64_t& out) {
  switch (v.kind()) {
    case json::kind::int64: out = v.get_int64(); return;
    case json::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = static_cast<std::int64_t>(v.get_uint64());
        return;
      }
      c.fail("integer out of range");
    case json::kind::double_: {
      const double d = v.get_double();
      if (std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18) {
        out = static_cast<std::int64_t>(d);
        return;
      }
      c.fail("expected an integer, got " + number_text(v));
    }
    case json::kind::string:
      if (auto n = parse_int(v.get_string())) {
        out = *n;
        return;
      }
      c.fail("expected an integer, got " + quoted(v.get_string()));
    default: fail_expected(c, "an integer", v);
  }
}

void read(Ctx& c, const json::value& v, int& out) {
  std::int64_t wide = 0;
  read(c, v, wide);
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
    c.fail("integer out of range");
  out = static_cast<int>(wide);
}

void read(Ctx& c, const json::value& v, double& out) {
  switch (v.kind()) {
    case json::kind::int64: out = static_cast<double>(v.get_int64()); return;
    case json::kind::uint64: out = static_cast<double>(v.get_uint64()); return;
    case json::kind::double_: out = v.get_double(); return;
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (!s.empty() && s.front() == '+') s.remove_prefix(1);
      double d = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (!s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size() && std::isfinite(d)) {
        out = d;
        return;
      }
      c.fail("expected a number, got " + quoted(v.get_string()));
    }
    default: fail_expected(c, "a number", v);
  }
}

void read(Ctx& c, const json::value& v, DateTime& out) {
  if (v.is_number()) {
    std::int64_t secs = 0;
    if (v.is_double()) {
      const double d = v.get_double();
      if (!(d >= -1e12 && d <= 1e12)) c.fail("Unix time out of range: " + number_text(v));
      secs = static_cast<std::int64_t>(std::floor(d));
    } else {
      read(c, v, secs);
      if (secs < -1'000'000'000'000 || secs > 1'000'000'000'000) c.fail("Unix time out of range: " + number_text(v));
    }
    out = DateTime(std::chrono::sys_seconds{std::chrono::seconds{secs}});
    return;
  }
  if (!v.is_string()) fail_expected(c, "Unix seconds or an ISO 8601 string", v);
  try {
    out = parse_datetime(v.get_string());
  } catch (const std::invalid_argument& e) {
    c.fail(e.what());
  }
}

void read(Ctx& c, const json::value& v, std::chrono::year_month_day& out) {
  try {
    out = parse_date(strict_text(c, v));
  } catch (const std::invalid_argument& e) {
    c.fail(e.what());
  }
}

void read(Ctx& c, const json::value& v, json::object& out) {
  const json::object* o = v.if_object();
  if (!o) fail_expected(c, "an object", v);
  out = *o;
}

void read(Ctx& c, const json::value& v, json::array& out) {
  const json::array* a = v.if_array();
  if (!a) fail_expected(c, "an array", v);
  out = *a;
}

void read(Ctx& c, const json::value& v, std::map<std::string, json::value>& out) {
  out.clear();
  if (const json::array* a = v.if_array(); a && a->empty()) return;  // PHP's empty map
  const json::object* o = v.if_object();
  if (!o) fail_expected(c, "an object", v);
  for (const auto& kv : *o) out.emplace(std::string(kv.key()), kv.value());
}

std::int64_t read_int_id(Ctx& c, const json::value& v) {
  if (!v.is_number() && !v.is_string()) fail_expected(c, "an integer ID", v);
  std::int64_t n = 0;
  read(c, v, n);
  if (n < 0) c.fail("expected a non-negative ID, got " + std::to_string(n));
  return n;
}

std::string read_string_id(Ctx& c, const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return number_text(v);
  const std::string_view s = strict_text(c, v);
  if (s.empty()) c.fail("empty ID");
  return std::string(s);
}

std::string describe_body_message(const json::object& o) {
  for (const char* key : {"message", "errorDescription", "error"}) {
    if (const auto* m = o.if_contains(key); m && m->is_string()) {
      return "; the body says: " + quoted(m->get_string());
    }
  }
  return {};
}

// ---- writers --------------------------------------------------------------------------------

void write(json::value& out, const std::string& s) { out.emplace_string().assign(s.data(), s.size()); }
void write(json::value& out, bool b) { out = static_cast<std::int64_t>(b ? 1 : 0); }
void write(json::value& out, std::int64_t n) { out = n; }
void write(json::value& out, int n) { out = static_cast<std::int64_t>(n); }
void write(json::value& out, double d) { out = json_number(d); }
json::value json_number(double d) {
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if (std::isfinite(d) && std::trunc(d) == d && d >= -kExact && d <= kExact) return static_cast<std::int64_t>(d);
  return d;
}
void write(json::value& out, const DateTime& t) { out.emplace_string() = format_datetime(t); }
void write(json::value& out, std::chrono::year_month_day d) { out.emplace_string() = format_date(d); }
void write(json::value& out, const json::object& o) { out.emplace_object() = o; }
void write(json::value& out, const json::array& a) { out.emplace_array() = a; }
void write(json::value& out, const std::map<std::string, json::value>& m) {
  json::object& o = out.emplace_object();
  o.reserve(m.size());
  for (const auto& [k, v] : m) o.emplace(k, v);
}

}  // namespace io

namespace detail {

std::int64_t json_to_int_id(const boost::json::value& v) {
  io::Ctx c("id");
  return io::read_int_id(c, v);
}

std::string json_to_string_id(const boost::json::value& v) {
  io::Ctx c("id");
  return io::read_string_id(c, v);
}

}  // namespace detail

}  // namespace cascade
