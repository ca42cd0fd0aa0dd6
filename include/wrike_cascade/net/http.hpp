// The one HTTP(S) transport shared by the Wrike and Cascade clients.
//
// - HTTPS with OpenSSL: peer and host-name verification on by default, SNI, an optional extra
//   CA file; plain http:// only when the base URL says so.
// - A bounded keep-alive connection pool per host; connect and whole-request deadlines;
//   per-operation cancellation.
// - A retry loop (RetryPolicy) and an adaptive per-credential rate limiter (RateLimiter).
// - Response bodies are parsed incrementally straight into boost::json::value.
// - Credentials come from an AuthProvider; they never appear in errors or log records.
#pragma once

#include <wrike_cascade/async.hpp>
#include <wrike_cascade/error.hpp>
#include <wrike_cascade/net/rate_limiter.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wrike_cascade::net {

using namespace std::chrono_literals;

// Ordered name/value pairs (query strings, form bodies, headers).
class Params {
 public:
  Params() = default;
  Params(std::initializer_list<std::pair<std::string, std::string>> init) : items_(init) {}
  Params& add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  Params& add_if(bool cond, std::string name, std::string value) {
    if (cond) add(std::move(name), std::move(value));
    return *this;
  }
  const std::vector<std::pair<std::string, std::string>>& items() const noexcept { return items_; }
  bool empty() const noexcept { return items_.empty(); }
  // application/x-www-form-urlencoded (also used for query strings).
  std::string encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method = "GET";
  std::string path;               // appended to the base URL's path, e.g. "/tasks"
  Params query;
  Params headers;
  std::string body;               // sent as is
  std::string content_type;       // set when body is not empty
  // Whether a failed attempt may be sent again. Unset: true for GET/HEAD/PUT/DELETE/OPTIONS.
  std::optional<bool> idempotent;
  std::optional<std::chrono::milliseconds> timeout;  // overrides ClientOptions::request_timeout
  bool authenticate = true;       // false for e.g. OAuth token endpoints

  static Request get(std::string path, Params query = {}) {
    Request r;
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
  }
  static Request form(std::string method, std::string path, const Params& form) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = form.encode();
    r.content_type = "application/x-www-form-urlencoded";
    return r;
  }
  bool is_idempotent() const noexcept;
};

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  boost::json::value body;        // null for an empty body
  std::size_t body_bytes = 0;
  int attempts = 0;
  const std::string* header(std::string_view name) const noexcept;  // case-insensitive
};

struct RetryPolicy {
  int max_attempts = 6;                          // including the first
  std::chrono::milliseconds initial_backoff = 250ms;
  std::chrono::milliseconds max_backoff = 30s;
  double multiplier = 2.0;
  std::chrono::milliseconds max_total = 180s;    // give up when the next wait would pass this
  bool retry_non_idempotent = false;             // POST is never retried unless this is set
  bool retry_on_429 = true;
  bool retry_on_5xx = true;
  bool retry_on_transport_error = true;          // connect/read failures, timeouts, truncation

  static RetryPolicy none() {
    RetryPolicy p;
    p.max_attempts = 1;
    return p;
  }
  // The wait before attempt `attempt` (1-based: attempt 2 is the first retry), full jitter.
  std::chrono::milliseconds backoff(int attempt, double unit_random) const noexcept;
};

// Supplies credentials. Implementations: StaticBearer here; OAuth in the API libraries.
class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  // The full Authorization header value, e.g. "bearer abc".
  virtual boost::asio::awaitable<std::string> authorization() = 0;
  // Called once after a 401 with the header value that failed. Return true when new
  // credentials are available and the request should be sent once more.
  virtual boost::asio::awaitable<bool> refresh_after_unauthorized(std::string failed) {
    (void)failed;
    co_return false;
  }
  // A stable, non-secret key for the credential (for the rate limiter registry).
  virtual std::string key() const = 0;
};

class StaticBearer final : public AuthProvider {
 public:
  explicit StaticBearer(std::string token, std::string scheme = "bearer");
  boost::asio::awaitable<std::string> authorization() override;
  std::string key() const override { return key_; }

 private:
  std::string header_;
  std::string key_;
};

// Hex SHA-256 prefix of a secret, safe to use as a map key or label.
std::string credential_key(std::string_view secret);

struct LogRecord {
  std::string method;
  std::string url;              // redacted
  int status = 0;               // 0: no response
  int attempt = 1;
  std::chrono::milliseconds elapsed{0};
  std::string note;             // e.g. "retrying in 400 ms after HTTP 503"
};

struct ClientOptions {
  std::string base_url;                          // e.g. "https://www.wrike.com/api/v4"
  std::optional<std::string> ca_file;            // extra PEM trust anchors
  bool verify_peer = true;                       // turning this off is for debugging only
  std::chrono::milliseconds connect_timeout = 15s;
  std::chrono::milliseconds request_timeout = 90s;
  std::chrono::seconds idle_timeout = 50s;       // pooled connections older than this are closed
  std::size_t max_connections_per_host = 4;
  std::size_t max_response_bytes = 256u << 20;
  RetryPolicy retry;
  std::shared_ptr<RateLimiter> rate_limiter;     // null: no client-side limiting
  std::shared_ptr<AuthProvider> auth;            // null: no Authorization header
  std::string user_agent = "wrike-cascade/0.1";
  // Reads the service's error body into ErrorDetail (api_error, api_description).
  std::function<void(const boost::json::value&, ErrorDetail&)> error_decoder;
  std::function<void(const LogRecord&)> log;     // optional; never sees credentials
  // HTTP redirects (301, 302, 303, 307, 308) followed per request; 0 turns following off.
  int max_redirects = 5;
  // Whether the Authorization header may follow a redirect to `host`. Unset: only to the host
  // of the base URL. https -> http redirects are always refused.
  std::function<bool(std::string_view host)> keep_authorization_on_redirect;
};

// Default error body reader: Wrike's {"error","errorDescription"}, and the common
// {"message"} / {"error":{"message"}} / {"errors":[...]} shapes.
void decode_common_error_body(const boost::json::value& body, ErrorDetail& detail);

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor ex, ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const ClientOptions& options() const noexcept;
  boost::asio::any_io_executor get_executor() const noexcept;
  // Replaces the base URL (e.g. after OAuth reports the account's host). Pooled connections
  // to the old host are kept until idle.
  void set_base_url(std::string base_url);
  std::string base_url() const;

  // Sends the request with retries. Non-2xx final responses become an Error.
  boost::asio::awaitable<Response> request(Request req);

  template <class CompletionToken>
  auto async_request(Request req, CompletionToken&& token) {
    return detail::initiate<Response>(
        std::forward<CompletionToken>(token),
        [this, req = std::move(req)](Handler<Response> h) mutable {
          start_request(std::move(req), std::move(h));
        });
  }

  // Counters since construction.
  struct Stats {
    std::uint64_t requests = 0;        // attempts sent
    std::uint64_t retries = 0;
    std::uint64_t throttled = 0;       // 429 responses seen
    std::uint64_t connections_opened = 0;
    std::uint64_t bytes_received = 0;
  };
  Stats stats() const;

 private:
  void start_request(Request req, Handler<Response> handler);
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::net
