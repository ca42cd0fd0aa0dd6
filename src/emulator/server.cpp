// The emulator framework without the network: request helpers, routing, fault rules, the
// per-token rate limiter and the request log. server_net.cpp drives it.
#include "server_impl.hpp"
#include <wrike_cascade/ascii.hpp>

#include <wrike_cascade/emulator/tls_cert.hpp>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace wrike_cascade::emulator {

namespace {



std::optional<std::string_view> find_param(const ParamList& l, std::string_view name) {
  for (const auto& [k, v] : l)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> split_path(std::string_view raw_path) {
  std::vector<std::string> out;
  if (raw_path.empty() || raw_path.front() != '/') return out;
  raw_path.remove_prefix(1);
  for (;;) {
    auto pos = raw_path.find('/');
    out.push_back(percent_decode(raw_path.substr(0, pos), false));
    if (pos == std::string_view::npos) break;
    raw_path.remove_prefix(pos + 1);
  }
  return out;
}

std::string redact_query(std::string_view q) {
  std::string out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    auto eq = part.find('=');
    std::string name = percent_decode(part.substr(0, eq), true);
    if (!out.empty()) out += '&';
    if (name == "access_token" && eq != std::string_view::npos) {
      out.append(part.substr(0, eq));
      out += "=REDACTED";
    } else {
      out.append(part);
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::string rate_limit_description(const RateLimitOptions& r) {
  std::string per;
  auto ms = r.window.count();
  if (ms == 60000)
    per = "minute";
  else if (ms % 1000 == 0)
    per = std::to_string(ms / 1000) + " seconds";
  else
    per = std::to_string(ms) + " milliseconds";
  return "IP or access token exceeded limit: " + std::to_string(r.max_requests) +
         " requests per " + per;
}

std::pair<std::string_view, std::string_view> status_error(int status) {
  switch (status) {
    case 400: return {"invalid_request", "Bad request"};
    case 401: return {"not_authorized", "Not authorized"};
    case 403: return {"access_forbidden", "Access forbidden"};
    case 404: return {"resource_not_found", "Resource not found"};
    case 429: return {"too_many_requests", "Too many requests"};
    case 500: return {"server_error", "Internal server error"};
    case 502: return {"bad_gateway", "Bad gateway"};
    case 503: return {"service_unavailable", "Service unavailable"};
    case 504: return {"gateway_timeout", "Gateway timeout"};
    default: return {"server_error", "Injected error"};
  }
}

bool fault_matches(const FaultRule& r, const Request& req) {
  if (r.times == 0) return false;
  if (r.method && !ascii_iequals(*r.method, req.method)) return false;
  return req.path.starts_with(r.path_prefix);
}

void use_once(FaultRule& r) {
  if (r.times > 0) --r.times;
}

}  // namespace

// ---- http.hpp -----------------------------------------------------------------------------

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (ascii_iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  return find_param(query_params, name);
}

std::optional<std::string_view> Request::param(std::string_view name) const {
  if (auto v = find_param(query_params, name)) return v;
  return find_param(form_params, name);
}

std::string_view Request::path_param(std::string_view name) const {
  if (auto v = find_param(path_params, name)) return *v;
  return {};
}

ParamList Request::all_params() const {
  ParamList out = query_params;
  out.insert(out.end(), form_params.begin(), form_params.end());
  return out;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response& Response::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response default_error_response(int status, std::string_view code, std::string_view description) {
  boost::json::object o;
  o["errorDescription"] = description;
  o["error"] = code;
  return Response::json(status, boost::json::serialize(o));
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int h = hex_value(s[i + 1]), l = hex_value(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += (plus_as_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

ParamList parse_urlencoded(std::string_view s) {
  ParamList out;
  while (!s.empty()) {
    auto amp = s.find('&');
    std::string_view part = s.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(percent_decode(part, true), std::string{});
      else
        out.emplace_back(percent_decode(part.substr(0, eq), true),
                         percent_decode(part.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

// ---- faults.hpp ---------------------------------------------------------------------------

std::string_view to_string(FaultKind k) noexcept {
  switch (k) {
    case FaultKind::latency: return "latency";
    case FaultKind::http_status: return "http_status";
    case FaultKind::too_many_requests: return "too_many_requests";
    case FaultKind::reset_mid_body: return "reset_mid_body";
    case FaultKind::truncated_body: return "truncated_body";
    case FaultKind::malformed_body: return "malformed_body";
    case FaultKind::stall: return "stall";
  }
  return "unknown";
}

FaultRule FaultRule::latency(std::chrono::milliseconds d) {
  FaultRule r;
  r.kind = FaultKind::latency;
  r.delay = d;
  return r;
}
FaultRule FaultRule::http_status(int status, std::string body) {
  FaultRule r;
  r.kind = FaultKind::http_status;
  r.status = status;
  r.body = std::move(body);
  return r;
}
FaultRule FaultRule::too_many_requests(std::optional<std::chrono::seconds> retry_after) {
  FaultRule r;
  r.kind = FaultKind::too_many_requests;
  r.status = 429;
  r.retry_after = retry_after;
  return r;
}
FaultRule FaultRule::reset_mid_body() {
  FaultRule r;
  r.kind = FaultKind::reset_mid_body;
  return r;
}
FaultRule FaultRule::truncated_body() {
  FaultRule r;
  r.kind = FaultKind::truncated_body;
  return r;
}
FaultRule FaultRule::malformed_body() {
  FaultRule r;
  r.kind = FaultKind::malformed_body;
  return r;
}
FaultRule FaultRule::stall(std::chrono::milliseconds d) {
  FaultRule r;
  r.kind = FaultKind::stall;
  r.delay = d;
  return r;
}
FaultRule& FaultRule::on(std::optional<std::string> method_, std::string path_prefix_) {
  method = std::move(method_);
  path_prefix = std::move(path_prefix_);
  return *this;
}
FaultRule& FaultRule::repeat(int n) {
  times = n;
  return *this;
}
FaultRule& FaultRule::forever() {
  times = unlimited;
  return *this;
}
FaultRule& FaultRule::with_retry_after(std::chrono::seconds s) {
  retry_after = s;
  return *this;
}

// ---- Server::Impl -------------------------------------------------------------------------

Server::Impl::Impl(ServerOptions o) : options(std::move(o)) {
  default_latency = options.default_latency;
  rate = options.rate_limit;
}

Response Server::Impl::make_error(int status, std::string_view code,
                                  std::string_view description) const {
  ErrorFormatter f;
  {
    std::shared_lock lock(routes_mutex);
    f = error_formatter;
  }
  return f ? f(status, code, description) : default_error_response(status, code, description);
}

void Server::Impl::record(const Request& req, std::chrono::system_clock::time_point t,
                          int status, std::string_view fault) {
  RequestRecord r;
  r.time = t;
  r.method = req.method;
  r.path = req.path;
  r.query = redact_query(req.query);
  r.status = status;
  r.token_label = req.token_label;
  r.fault = std::string(fault);
  r.tls = req.tls;
  std::lock_guard lock(log_mutex);
  r.sequence = ++log_sequence;
  log.push_back(std::move(r));
  while (log.size() > options.log_capacity && !log.empty()) log.pop_front();
}

namespace {

void prepare_request(Request& req) {
  // Form parameters.
  if (!req.body.empty()) {
    const std::string type = ascii_lower(req.header("Content-Type").value_or(""));
    if (type.starts_with("application/x-www-form-urlencoded")) {
      req.form_params = parse_urlencoded(req.body);
    } else if (type.starts_with("application/json")) {
      boost::system::error_code ec;
      auto v = boost::json::parse(req.body, ec);
      if (!ec && v.is_object()) {
        for (const auto& m : v.as_object()) {
          if (m.value().is_string())
            req.form_params.emplace_back(m.key(), std::string(m.value().as_string()));
          else
            req.form_params.emplace_back(m.key(), boost::json::serialize(m.value()));
        }
      }
    }
  }
  // Bearer token.
  if (auto auth = req.header("Authorization")) {
    std::string_view a = *auth;
    while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
    if (a.size() > 7 && ascii_iequals(a.substr(0, 7), "bearer ")) {
      a.remove_prefix(7);
      while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
      while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
      req.bearer_token = std::string(a);
    }
  }
  if (req.bearer_token.empty()) {
    if (auto t = req.param("access_token")) req.bearer_token = std::string(*t);
  }
  req.token_label = Server::token_label(req.bearer_token);
}

}  // namespace

Outcome Server::Impl::too_large(Request& req) {
  auto t = std::chrono::system_clock::now();
  Outcome o;
  o.response = make_error(413, "request_too_large",
                          "Request body exceeds " + std::to_string(options.max_body_bytes) +
                              " bytes");
  o.close = true;
  record(req, t, 413, {});
  return o;
}

Outcome Server::Impl::dispatch(Request& req) {
  const auto t = std::chrono::system_clock::now();
  prepare_request(req);

  Outcome out;
  std::optional<FaultRule> fault;
  {
    std::lock_guard lock(faults_mutex);
    out.delay = default_latency;
    for (auto& f : faults) {
      if (!fault_matches(f.rule, req)) continue;
      if (f.rule.kind == FaultKind::latency) {
        out.delay += f.rule.delay;
        use_once(f.rule);
        continue;
      }
      use_once(f.rule);
      fault = f.rule;
      break;
    }
    std::erase_if(faults, [](const ActiveFault& f) { return f.rule.times == 0; });
  }

  auto run_route = [&]() -> Response {
    const std::string_view raw_path = std::string_view(req.target).substr(
        0, std::min(req.target.find('?'), req.target.size()));
    auto segs = split_path(raw_path);
    Handler handler;
    {
      std::shared_lock lock(routes_mutex);
      const Route* best = nullptr;
      ParamList best_params;
      for (const auto& r : routes) {
        if (r.segments.size() != segs.size() || !ascii_iequals(r.method, req.method)) continue;
        ParamList params;
        bool ok = true;
        for (std::size_t i = 0; i < segs.size() && ok; ++i) {
          const auto& p = r.segments[i];
          if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
            if (segs[i].empty()) ok = false;
            else params.emplace_back(p.substr(1, p.size() - 2), segs[i]);
          } else if (p != segs[i]) {
            ok = false;
          }
        }
        if (ok && (!best || r.literals > best->literals)) {
          best = &r;
          best_params = std::move(params);
        }
      }
      if (best) {
        handler = best->handler;
        req.path_params = std::move(best_params);
      }
    }
    if (!handler)
      return make_error(404, "method_not_found",
                        "Method '" + req.method + " " + req.path + "' was not found");
    try {
      return handler(req);
    } catch (const std::exception& e) {
      return make_error(500, "server_error", std::string("Emulator handler failed: ") + e.what());
    } catch (...) {
      return make_error(500, "server_error", "Emulator handler failed");
    }
  };

  if (fault) {
    const auto name = to_string(fault->kind);
    switch (fault->kind) {
      case FaultKind::http_status: {
        if (fault->body.empty()) {
          auto [code, desc] = status_error(fault->status);
          out.response = make_error(fault->status, code, desc);
        } else {
          out.response = Response::json(fault->status, fault->body);
        }
        if (fault->retry_after)
          out.response.with_header("Retry-After", std::to_string(fault->retry_after->count()));
        break;
      }
      case FaultKind::too_many_requests: {
        RateLimitOptions r;
        {
          std::lock_guard lock(rate_mutex);
          r = rate;
        }
        out.response = make_error(429, "too_many_requests", rate_limit_description(r));
        if (fault->retry_after)
          out.response.with_header("Retry-After", std::to_string(fault->retry_after->count()));
        break;
      }
      case FaultKind::malformed_body:
        out.response =
            Response::json(200, R"({"kind":"tasks","data":[{"id":"IEAAAAAQKQ,"title":<html>)");
        break;
      case FaultKind::reset_mid_body:
      case FaultKind::truncated_body:
        out.response = run_route();
        out.action = fault->kind == FaultKind::reset_mid_body ? Outcome::Action::reset_mid_body
                                                              : Outcome::Action::truncated_body;
        break;
      case FaultKind::stall:
        out.action = Outcome::Action::stall;
        out.delay += fault->delay;
        record(req, t, 0, name);
        return out;
      case FaultKind::latency:
        break;  // not reached
    }
    record(req, t, out.response.status, name);
    return out;
  }

  // Rate limit, per token (else per client address).
  bool limited = false;
  RateLimitOptions limit;
  std::chrono::seconds wait{0};
  {
    std::lock_guard lock(rate_mutex);
    if (rate.max_requests > 0) {
      const auto now = std::chrono::steady_clock::now();
      auto& hits = rate_hits[req.token_label.empty() ? "ip:" + req.remote_address
                                                     : req.token_label];
      while (!hits.empty() && now - hits.front() >= rate.window) hits.pop_front();
      if (hits.size() >= static_cast<std::size_t>(rate.max_requests)) {
        limited = true;
        limit = rate;
        wait = std::chrono::ceil<std::chrono::seconds>(rate.window - (now - hits.front()));
      } else {
        hits.push_back(now);
      }
    }
  }
  if (limited) {
    out.response = make_error(429, "too_many_requests", rate_limit_description(limit));
    if (limit.send_retry_after)
      out.response.with_header("Retry-After",
                               std::to_string(std::max<long long>(1, wait.count())));
    record(req, t, 429, {});
    return out;
  }

  out.response = run_route();
  record(req, t, out.response.status, {});
  return out;
}

// ---- Server -------------------------------------------------------------------------------

Server::Impl::~Impl() = default;

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

void Server::route(std::string method, std::string pattern, Handler handler) {
  Impl::Route r;
  r.method = std::move(method);
  r.segments = split_path(pattern);
  for (const auto& s : r.segments)
    if (!(s.size() >= 2 && s.front() == '{' && s.back() == '}')) ++r.literals;
  r.handler = std::move(handler);
  std::unique_lock lock(impl_->routes_mutex);
  impl_->routes.push_back(std::move(r));
}

void Server::set_error_formatter(ErrorFormatter f) {
  std::unique_lock lock(impl_->routes_mutex);
  impl_->error_formatter = std::move(f);
}

Response Server::error_response(int status, std::string_view code,
                                std::string_view description) const {
  return impl_->make_error(status, code, description);
}

void Server::start() {
  if (impl_->runtime) return;
  impl_->runtime = start_runtime(*impl_);
}

void Server::stop() {
  if (impl_ && impl_->runtime) {
    impl_->runtime.reset();
    impl_->http_port = 0;
    impl_->https_port = 0;
  }
}

bool Server::running() const noexcept { return impl_->runtime != nullptr; }

std::uint16_t Server::http_port() const { return impl_->http_port; }
std::uint16_t Server::https_port() const { return impl_->https_port; }

std::string Server::http_url() const {
  if (!impl_->http_port) return {};
  return "http://" + impl_->options.bind_address + ":" + std::to_string(impl_->http_port);
}

std::string Server::https_url() const {
  if (!impl_->https_port) return {};
  return "https://" + impl_->options.bind_address + ":" + std::to_string(impl_->https_port);
}

std::string Server::ca_cert_pem() const { return impl_->ca_pem; }

void Server::write_ca_file(const std::filesystem::path& path) const {
  if (impl_->ca_pem.empty()) throw std::logic_error("emulator: no certificate before start()");
  write_pem_file(path, impl_->ca_pem);
}

FaultId Server::add_fault(FaultRule rule) {
  std::lock_guard lock(impl_->faults_mutex);
  FaultId id = impl_->next_fault_id++;
  impl_->faults.push_back({id, std::move(rule)});
  return id;
}

bool Server::remove_fault(FaultId id) {
  std::lock_guard lock(impl_->faults_mutex);
  return std::erase_if(impl_->faults, [id](const Impl::ActiveFault& f) { return f.id == id; }) > 0;
}

void Server::clear_faults() {
  std::lock_guard lock(impl_->faults_mutex);
  impl_->faults.clear();
}

std::vector<FaultRule> Server::faults() const {
  std::lock_guard lock(impl_->faults_mutex);
  std::vector<FaultRule> out;
  for (const auto& f : impl_->faults) out.push_back(f.rule);
  return out;
}

void Server::set_default_latency(std::chrono::milliseconds d) {
  std::lock_guard lock(impl_->faults_mutex);
  impl_->default_latency = d;
}

std::chrono::milliseconds Server::default_latency() const {
  std::lock_guard lock(impl_->faults_mutex);
  return impl_->default_latency;
}

void Server::set_rate_limit(RateLimitOptions r) {
  std::lock_guard lock(impl_->rate_mutex);
  impl_->rate = r;
  impl_->rate_hits.clear();
}

RateLimitOptions Server::rate_limit() const {
  std::lock_guard lock(impl_->rate_mutex);
  return impl_->rate;
}

void Server::reset_rate_limit() {
  std::lock_guard lock(impl_->rate_mutex);
  impl_->rate_hits.clear();
}

std::vector<RequestRecord> Server::requests() const {
  std::lock_guard lock(impl_->log_mutex);
  return {impl_->log.begin(), impl_->log.end()};
}

std::size_t Server::count(std::string_view method, std::string_view path_prefix) const {
  std::lock_guard lock(impl_->log_mutex);
  return static_cast<std::size_t>(
      std::count_if(impl_->log.begin(), impl_->log.end(), [&](const RequestRecord& r) {
        return (method.empty() || ascii_iequals(method, r.method)) && r.path.starts_with(path_prefix);
      }));
}

std::size_t Server::count_status(int status) const {
  std::lock_guard lock(impl_->log_mutex);
  return static_cast<std::size_t>(std::count_if(
      impl_->log.begin(), impl_->log.end(), [&](const RequestRecord& r) { return r.status == status; }));
}

void Server::reset_log() {
  std::lock_guard lock(impl_->log_mutex);
  impl_->log.clear();
  impl_->log_sequence = 0;
}

std::string Server::token_label(std::string_view token) {
  if (token.empty()) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), md, &len, EVP_sha256(), nullptr) != 1)
    return "sha256:unavailable";
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < 6 && i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

const ServerOptions& Server::options() const noexcept { return impl_->options; }

}  // namespace wrike_cascade::emulator
