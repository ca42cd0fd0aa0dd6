// The Cascade emulator's small pieces: dates, error bodies, the shared Service state.
#include "cascade_internal.hpp"


#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace wrike_cascade::emulator {

std::string_view to_string(ClassicDialect d) noexcept {
  switch (d) {
    case ClassicDialect::canonical: return "canonical";
    case ClassicDialect::swagger: return "swagger";
    case ClassicDialect::mixed: return "mixed";
  }
  return "canonical";
}

std::optional<ClassicDialect> parse_classic_dialect(std::string_view s) noexcept {
  if (s == "canonical") return ClassicDialect::canonical;
  if (s == "swagger") return ClassicDialect::swagger;
  if (s == "mixed") return ClassicDialect::mixed;
  return std::nullopt;
}

ServerOptions cascade_default_server_options() {
  ServerOptions o;
  o.rate_limit.max_requests = 0;       // Cascade publishes no rate limit (cascade-api.md §7)
  o.rate_limit.send_retry_after = true;
  o.server_header = "cascade-emulator";
  return o;
}

}  // namespace wrike_cascade::emulator

namespace wrike_cascade::emulator::cascade_detail {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int num(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

std::optional<std::int64_t> days_of(int y, int m, int d) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

struct Civil {
  int y, m, d, hh, mm, ss;
};

Civil civil(std::int64_t secs) {
  using namespace std::chrono;
  const auto tp = sys_seconds{seconds{secs}};
  const auto day_point = floor<days>(tp);
  const year_month_day ymd{day_point};
  const auto tod = hh_mm_ss{tp - day_point};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(tod.hours().count()),
          static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count())};
}

}  // namespace

std::optional<std::int64_t> parse_ymd(std::string_view s) {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2))
    return std::nullopt;
  return days_of(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2));
}

std::optional<Instant> parse_instant(std::string_view t) {
  if (t.empty()) return std::nullopt;
  {
    std::string_view n = t;
    bool neg = false;
    if (n.front() == '-' || n.front() == '+') {
      neg = n.front() == '-';
      n.remove_prefix(1);
    }
    if (!n.empty() && n.size() <= 12 && digits(n, 0, n.size())) {
      std::int64_t v = 0;
      for (char c : n) v = v * 10 + (c - '0');
      return Instant{neg ? -v : v, false};
    }
  }
  if (t.size() < 10 || !digits(t, 0, 4) || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' || !digits(t, 8, 2))
    return std::nullopt;
  const auto days = days_of(num(t, 0, 4), num(t, 5, 2), num(t, 8, 2));
  if (!days) return std::nullopt;
  if (t.size() == 10) return Instant{*days * 86400, true};
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return std::nullopt;
  std::size_t p = 11;
  if (!digits(t, p, 2) || p + 2 >= t.size() || t[p + 2] != ':' || !digits(t, p + 3, 2)) return std::nullopt;
  const int hh = num(t, p, 2), mi = num(t, p + 3, 2);
  p += 5;
  int ss = 0;
  if (p < t.size() && t[p] == ':') {
    if (!digits(t, p + 1, 2)) return std::nullopt;
    ss = num(t, p + 1, 2);
    p += 3;
    if (p < t.size() && (t[p] == '.' || t[p] == ',')) {
      const auto start = ++p;
      while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
      if (p == start) return std::nullopt;
    }
  }
  if (hh > 23 || mi > 59 || ss > 59) return std::nullopt;
  int offset = 0;
  if (p < t.size()) {
    const std::string_view z = t.substr(p);
    if (z == "Z" || z == "z") {
    } else if (z.front() == '+' || z.front() == '-') {
      int oh = 0, om = 0;
      if (z.size() == 3 && digits(z, 1, 2)) oh = num(z, 1, 2);
      else if (z.size() == 5 && digits(z, 1, 4)) oh = num(z, 1, 2), om = num(z, 3, 2);
      else if (z.size() == 6 && digits(z, 1, 2) && z[3] == ':' && digits(z, 4, 2)) oh = num(z, 1, 2), om = num(z, 4, 2);
      else return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset = (z.front() == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  return Instant{*days * 86400 + hh * 3600 + mi * 60 + ss - offset * 60, false};
}

std::string format_iso(std::int64_t secs) {
  const auto c = civil(secs);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.y, c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string format_ymd(std::int64_t secs) {
  const auto c = civil(secs);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

std::string format_sql(std::int64_t secs) {
  const auto c = civil(secs);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.y, c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

std::string format_with_offset(std::int64_t secs, int offset_minutes) {
  const auto c = civil(secs + offset_minutes * 60);
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.y, c.m, c.d, c.hh, c.mm, c.ss,
                offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string format_canonical(const Instant& t) { return t.date_only ? format_ymd(t.secs) : format_iso(t.secs); }

std::string format_time_point(std::chrono::system_clock::time_point t) {
  return format_iso(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// ---- errors -------------------------------------------------------------------------------

std::string_view classic_status_text(int status) noexcept {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 406: return "not_acceptable";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 422: return "unprocessable_entity";
    case 429: return "too_many_requests";
    case 500: return "server_error";
    case 502: return "bad_gateway";
    case 503: return "service_unavailable";
    case 504: return "gateway_timeout";
    default: return status >= 500 ? "server_error" : "error";
  }
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : "Error";
  }
}

Response json_response(int status, const json::value& v) { return Response::json(status, json::serialize(v)); }

Response classic_error(int status, std::string_view message, const FieldErrors& errors) {
  json::object o;
  o["message"] = message;
  o["code"] = status;
  o["status"] = classic_status_text(status);
  if (!errors.empty()) {
    json::object e;
    for (const auto& [field, problem] : errors) {
      auto& slot = e[field];
      if (!slot.is_array()) slot = json::array();
      slot.as_array().emplace_back(problem);
    }
    o["errors"] = std::move(e);
  }
  return json_response(status, o);
}

Response platform_error(int status, std::string_view message) {
  json::object o;
  o["statusCode"] = status;
  o["message"] = message;
  o["error"] = reason_phrase(status);
  return json_response(status, o);
}

// ---- Service ------------------------------------------------------------------------------

Service::Service(CascadeStore& s, OAuth& o, const CascadeEmulatorOptions& opt)
    : store(s), oauth(o), classic_tokens_(opt.classic_tokens), platform_tokens_(opt.platform_tokens),
      body_capacity_(opt.body_log_capacity) {
  settings_.dialect = opt.dialect;
  settings_.offset_mode = opt.offset_mode;
  settings_.default_limit = opt.default_limit;
  settings_.max_limit = opt.max_limit;
  settings_.allow_fractional_history = opt.allow_fractional_history;
  settings_.platform_state_in_reads = opt.platform_state_in_reads;
}

Settings Service::settings() const {
  std::shared_lock lock(mutex_);
  return settings_;
}

void Service::update_settings(const std::function<void(Settings&)>& f) {
  std::unique_lock lock(mutex_);
  f(settings_);
}

std::optional<ClassicToken> Service::classic_token(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  std::shared_lock lock(mutex_);
  for (const auto& t : classic_tokens_)
    if (t.token == token) return t;
  return std::nullopt;
}

void Service::set_classic_tokens(std::vector<ClassicToken> t) {
  std::unique_lock lock(mutex_);
  classic_tokens_ = std::move(t);
}

void Service::add_classic_token(ClassicToken t) {
  std::unique_lock lock(mutex_);
  std::erase_if(classic_tokens_, [&](const ClassicToken& x) { return x.token == t.token; });
  classic_tokens_.push_back(std::move(t));
}

bool Service::revoke_classic_token(std::string_view t) {
  std::unique_lock lock(mutex_);
  return std::erase_if(classic_tokens_, [&](const ClassicToken& x) { return x.token == t; }) > 0;
}

std::string Service::first_classic_token() const {
  std::shared_lock lock(mutex_);
  return classic_tokens_.empty() ? std::string() : classic_tokens_.front().token;
}

OAuth::Check Service::check_platform_token(std::string_view token) const {
  if (token.empty()) return OAuth::Check::unknown;
  {
    std::shared_lock lock(mutex_);
    if (std::find(platform_tokens_.begin(), platform_tokens_.end(), token) != platform_tokens_.end())
      return OAuth::Check::ok;
  }
  return oauth.check(token);
}

void Service::set_platform_tokens(std::vector<std::string> t) {
  std::unique_lock lock(mutex_);
  platform_tokens_ = std::move(t);
}

std::string Service::first_platform_token() const {
  std::shared_lock lock(mutex_);
  return platform_tokens_.empty() ? std::string() : platform_tokens_.front();
}

Handler Service::recorded(std::string server_name, Handler h) {
  return [this, name = std::move(server_name), h = std::move(h)](const Request& r) {
    Response res = h(r);
    if (!r.body.empty() || r.method == "DELETE") {
      CascadeBodyRecord rec{name, r.method, r.path, r.query, r.body, res.status};
      std::lock_guard lock(bodies_mutex_);
      bodies_.push_back(std::move(rec));
      while (bodies_.size() > body_capacity_ && !bodies_.empty()) bodies_.pop_front();
    }
    return res;
  };
}

std::vector<CascadeBodyRecord> Service::bodies() const {
  std::lock_guard lock(bodies_mutex_);
  return {bodies_.begin(), bodies_.end()};
}

void Service::clear_bodies() {
  std::lock_guard lock(bodies_mutex_);
  bodies_.clear();
}

void Service::set_regional(std::string http_base, std::string https_base) {
  std::unique_lock lock(mutex_);
  regional_http_ = std::move(http_base);
  regional_https_ = std::move(https_base);
}

std::string Service::regional_base(bool tls) const {
  std::shared_lock lock(mutex_);
  if (tls && !regional_https_.empty()) return regional_https_;
  if (!tls && !regional_http_.empty()) return regional_http_;
  return tls ? regional_http_ : regional_https_;
}

}  // namespace wrike_cascade::emulator::cascade_detail
