#include <wrike/time.hpp>

#include <stdexcept>

namespace wrike {
namespace {

using namespace std::chrono;

// Reads exactly `n` ASCII digits at `p`.
constexpr bool read_digits(const char* p, int n, int& out) noexcept {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(p[i]) - unsigned{'0'};
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  out = v;
  return true;
}

// "yyyy-MM-dd" at the start of `s` (s.size() >= 10 checked by the caller).
bool read_date(std::string_view s, Date& out) noexcept {
  int y = 0, m = 0, d = 0;
  if (!read_digits(s.data(), 4, y) || s[4] != '-' || !read_digits(s.data() + 5, 2, m) ||
      s[7] != '-' || !read_digits(s.data() + 8, 2, d))
    return false;
  const Date ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return false;
  out = ymd;
  return true;
}

// "HH:mm:ss" at the start of `s` (s.size() >= 8 checked by the caller).
bool read_time(std::string_view s, seconds& out) noexcept {
  int h = 0, m = 0, sec = 0;
  if (!read_digits(s.data(), 2, h) || s[2] != ':' || !read_digits(s.data() + 3, 2, m) ||
      s[5] != ':' || !read_digits(s.data() + 6, 2, sec))
    return false;
  if (h > 23 || m > 59 || sec > 59) return false;
  out = hours{h} + minutes{m} + seconds{sec};
  return true;
}

[[noreturn]] void fail(std::string_view what, std::string_view text, std::string_view expected) {
  std::string msg = "invalid ";
  msg += what;
  msg += " \"";
  if (text.size() > 64) {
    msg += text.substr(0, 64);
    msg += "...";
  } else {
    msg += text;
  }
  msg += "\": expected ";
  msg += expected;
  throw std::invalid_argument(msg);
}

void put2(char* p, unsigned v) noexcept {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// Writes "yyyy-MM-dd" into p[0..10).
void put_date(char* p, const Date& d, std::string_view what) {
  const int y = static_cast<int>(d.year());
  if (!d.ok() || y < 0 || y > 9999) throw std::invalid_argument(std::string("cannot format ") + std::string(what) + ": date out of range");
  put2(p, static_cast<unsigned>(y / 100));
  put2(p + 2, static_cast<unsigned>(y % 100));
  p[4] = '-';
  put2(p + 5, static_cast<unsigned>(d.month()));
  p[7] = '-';
  put2(p + 8, static_cast<unsigned>(d.day()));
}

// Writes "HH:mm:ss" into p[0..8) for a time of day in [0, 24h).
void put_time(char* p, seconds tod) noexcept {
  const auto s = static_cast<unsigned>(tod.count());
  put2(p, s / 3600);
  p[2] = ':';
  put2(p + 3, s / 60 % 60);
  p[5] = ':';
  put2(p + 6, s % 60);
}

}  // namespace

Timestamp parse_timestamp(std::string_view text) {
  constexpr std::string_view expected = "yyyy-MM-ddTHH:mm:ssZ";
  Date d;
  seconds tod{};
  if (text.size() != 20 || !read_date(text, d) || text[10] != 'T' || !read_time(text.substr(11), tod) ||
      text[19] != 'Z')
    fail("timestamp", text, expected);
  return sys_days{d} + tod;
}

LocalDateTime parse_local_datetime(std::string_view text) {
  constexpr std::string_view expected = "yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd";
  Date d;
  if (text.size() == 10) {
    if (!read_date(text, d)) fail("local date-time", text, expected);
    return local_days{d};
  }
  seconds tod{};
  if (text.size() != 19 || !read_date(text, d) || text[10] != 'T' || !read_time(text.substr(11), tod))
    fail("local date-time", text, expected);
  return local_days{d} + tod;
}

std::optional<Date> try_parse_date(std::string_view text) noexcept {
  Date d;
  if (text.size() != 10 || !read_date(text, d)) return std::nullopt;
  return d;
}

Date parse_date(std::string_view text) {
  if (auto d = try_parse_date(text)) return *d;
  fail("date", text, "yyyy-MM-dd");
}

std::string format_timestamp(Timestamp t) {
  const auto day_point = floor<days>(t);
  char buf[20];
  put_date(buf, Date{day_point}, "timestamp");
  buf[10] = 'T';
  put_time(buf + 11, t - day_point);
  buf[19] = 'Z';
  return std::string(buf, sizeof buf);
}

std::string format_local_datetime(LocalDateTime t) {
  const auto day_point = floor<days>(t);
  char buf[19];
  put_date(buf, Date{day_point}, "local date-time");
  buf[10] = 'T';
  put_time(buf + 11, t - day_point);
  return std::string(buf, sizeof buf);
}

void format_date_to(char (&out)[10], Date d) { put_date(out, d, "date"); }

std::string format_date(Date d) {
  char buf[10];
  format_date_to(buf, d);
  return std::string(buf, sizeof buf);
}

}  // namespace wrike
