// The emulator framework's HTTP(S) server: generic, shared by the Wrike and Cascade emulators.
//
//   Server s(ServerOptions{});
//   s.route("GET", "/api/v4/tasks/{taskIds}", [](const Request& r) { ... return Response{}; });
//   s.start();                       // binds 127.0.0.1 (ephemeral ports by default), spawns
//   s.http_url(); s.https_url();     // "http://127.0.0.1:PORT", "https://127.0.0.1:PORT"
//   s.write_ca_file("ca.pem");       // the self-signed CA the HTTPS listener's cert chains to
//   s.add_fault(FaultRule::http_status(503).on("GET", "/api/v4/tasks"));
//   s.count("GET", "/api/v4/tasks"); s.count_status(429); s.requests(); s.reset_log();
//   s.stop();                        // closes listeners and connections, joins its threads
//
// Each request goes through: body limit (413) -> request log -> fault rules -> rate limit per
// token (429) -> route lookup (404 when none) -> handler (500 if it throws). Every framework
// error body comes from the ErrorFormatter (set_error_formatter), so a service decides its
// shape. HTTP/1.1 keep-alive is supported on both listeners; idle connections are closed after
// `idle_timeout`.
//
// Thread-safety: every public method may be called from any thread while the server runs,
// except that start()/stop() must not race each other. The server runs its own io_context on
// `threads` threads; it is not restartable after stop() (construct a new one).
#pragma once

#include <wrike_cascade/emulator/faults.hpp>
#include <wrike_cascade/emulator/http.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wrike_cascade::emulator {

struct RateLimitOptions {
  // Requests allowed per key (bearer token, else client IP) in any rolling `window`;
  // 0 disables the limit. Rejected requests do not count.
  int max_requests = 400;
  std::chrono::milliseconds window = std::chrono::seconds(60);
  // The real Wrike sends no Retry-After; when true, 429s carry Retry-After with the whole
  // seconds until the oldest counted request leaves the window (at least 1).
  bool send_retry_after = false;
};

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t http_port = 0;    // 0 = ephemeral
  std::uint16_t https_port = 0;   // 0 = ephemeral
  bool enable_http = true;
  bool enable_https = true;
  int threads = 2;                // I/O threads
  // Names the HTTPS certificate is valid for (IP addresses become IP SANs).
  std::vector<std::string> cert_hostnames{"localhost", "127.0.0.1"};
  std::size_t max_body_bytes = 1024 * 1024;      // larger request bodies get 413
  std::size_t max_header_bytes = 64 * 1024;
  std::chrono::milliseconds default_latency{0};  // added to every response (benchmarks: ~30ms)
  RateLimitOptions rate_limit{};
  std::chrono::seconds idle_timeout{60};         // keep-alive idle limit
  std::size_t log_capacity = 200'000;            // oldest records are dropped beyond this
                                                 // (count() sees the records kept)
  std::string server_header = "wrike-cascade-emulator";
};

// One request as the log keeps it. Never holds a credential.
struct RequestRecord {
  std::uint64_t sequence = 0;                     // 1, 2, 3, ... since start/reset_log
  std::chrono::system_clock::time_point time;     // when the request was received
  std::string method;
  std::string path;                               // decoded path
  std::string query;                              // raw query, access_token value redacted
  int status = 0;                                 // status sent (or meant to be, for faults
                                                  // that break the connection); 0 for stall
  std::string token_label;                        // Server::token_label(token) or ""
  std::string fault;                              // to_string(FaultKind) of the fault applied
  bool tls = false;
};

class Server {
 public:
  explicit Server(ServerOptions options = {});
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // ---- routing (may be called before or after start) -------------------------------------
  // `pattern` is a path with literal and {name} segments, e.g. "/api/v4/folders/{id}/tasks".
  // A {name} segment matches one non-empty segment. When several routes match, the one with
  // more literal segments wins; then the first registered. A path that matches no route, or
  // matches only with another method, gets 404 "method_not_found".
  void route(std::string method, std::string pattern, Handler handler);
  void set_error_formatter(ErrorFormatter f);
  // Builds an error response with the current formatter.
  Response error_response(int status, std::string_view code, std::string_view description) const;

  // ---- lifecycle -------------------------------------------------------------------------
  void start();  // binds both listeners and generates the certificate; throws on failure
  void stop();   // idempotent; joins the I/O threads
  bool running() const noexcept;

  std::uint16_t http_port() const;   // 0 before start or when disabled
  std::uint16_t https_port() const;
  std::string http_url() const;      // "http://127.0.0.1:PORT" (no trailing slash)
  std::string https_url() const;     // "https://127.0.0.1:PORT"
  // The CA certificate (PEM) the HTTPS certificate chains to; empty before start.
  std::string ca_cert_pem() const;
  void write_ca_file(const std::filesystem::path& path) const;

  // ---- fault injection -------------------------------------------------------------------
  FaultId add_fault(FaultRule rule);
  bool remove_fault(FaultId id);
  void clear_faults();
  // Rules still active (uses left), in order.
  std::vector<FaultRule> faults() const;
  void set_default_latency(std::chrono::milliseconds d);
  std::chrono::milliseconds default_latency() const;

  // ---- rate limit ------------------------------------------------------------------------
  void set_rate_limit(RateLimitOptions r);  // also forgets the counted requests
  RateLimitOptions rate_limit() const;
  void reset_rate_limit();                  // forgets the counted requests only

  // ---- request log -----------------------------------------------------------------------
  std::vector<RequestRecord> requests() const;
  // Requests with this method ("" = any) whose path starts with path_prefix ("" = any).
  std::size_t count(std::string_view method = {}, std::string_view path_prefix = {}) const;
  std::size_t count_status(int status) const;
  void reset_log();

  // "sha256:" + the first 12 hex digits of SHA-256(token); "" for an empty token.
  static std::string token_label(std::string_view token);

  const ServerOptions& options() const noexcept;

  struct Impl;  // public so the network code can reach it; not part of the API

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::emulator
