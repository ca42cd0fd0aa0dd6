// A verified Wrike webhook receiver that an application embeds in its own io_context.
//
//   boost::asio::io_context io;
//   wrike::WebhookReceiverOptions opts;
//   opts.secret = std::getenv("WRIKE_WEBHOOK_SECRET");      // the `secret` the hook was created with
//   opts.port = 8443;
//   opts.tls_certificate_chain_file = "cert.pem";           // HTTPS; or pass an ssl::context&
//   opts.tls_private_key_file = "key.pem";
//   opts.on_events = [](std::vector<wrike::WebhookEvent> events) { /* re-fetch by ID, sync */ };
//   wrike::WebhookReceiver receiver(io.get_executor(), std::move(opts));
//   receiver.start();                                       // binds now; port() is known
//   io.run();
//
// Protocol (wrike-api.md §6.4), per POST to `path`:
// 1. The body is read with a bound (413 as soon as a declared Content-Length is over
//    `max_body_bytes`, before reading it; a chunked body is cut off at the bound, answered 413 and
//    the connection closed).
// 2. `X-Hook-Signature` must be the hex HMAC-SHA256(secret, exact raw body): checked before any
//    JSON parsing, case-insensitive hex, constant-time comparison. Missing or wrong: 401.
// 3. A body {"requestType": "WebHook secret verification"} is the handshake (told apart by the
//    body, never by the header): the answer is 200 with `X-Hook-Secret: <hex HMAC-SHA256(secret,
//    challenge)>` where the challenge is the request's `X-Hook-Secret` header.
// 4. Otherwise the body must be a JSON array of event objects (400 if not). Exact repeats (by
//    dedupe_key, over a window of recent keys) are dropped. The 200 is written first; then the
//    new events are handed to `on_events` asynchronously (posted to a strand of the handler
//    executor, so handler calls never overlap and keep arrival order). A slow handler never
//    delays an acknowledgement, so Wrike does not suspend the hook.
// Other answers: 404 for another path, 405 (Allow: POST) for another method, 431/400 for an
// oversized/malformed header. Over `max_connections`, new connections wait in the listen
// backlog (no 503).
//
// Security notes:
// - Without a secret there is no authentication at all; start() refuses unless allow_unsigned.
// - The handshake answer is an HMAC oracle: HMAC(secret, <any challenge>). The verification body
//   is constant, so its signature can be replayed by anyone who saw one handshake. The receiver
//   therefore (a) requires the signature on the handshake too, and (b) refuses challenges that
//   could be a JSON array/object/string (containing `[`, `{`, `"`, a control character, or
//   longer than 1024 bytes), so an answer can never be a valid signature for a forged delivery.
//   Set `answer_verification = false` once the hook exists to switch handshakes off entirely.
// - The secret never appears in a response, a log line, an error or the stats.
#pragma once

#include <wrike/webhook_event.hpp>
#include <wrike/webhook_signature.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace wrike {

struct WebhookReceiverOptions {
  // The `secret` given when the hook was created. Required unless allow_unsigned is set.
  std::string secret;
  // Accept unsigned deliveries when `secret` is empty (no authentication: only for hooks created
  // without a secret, behind another protection). Ignored when a secret is set.
  bool allow_unsigned = false;
  // Answer handshake requests (needed while the hook is being created).
  bool answer_verification = true;

  std::string address = "127.0.0.1";  // e.g. "0.0.0.0" or "::" to listen on every interface
  std::uint16_t port = 0;             // 0: an ephemeral port, see port()
  std::string path = "/wrike/webhook";  // the request target's path (the query is ignored)

  // HTTPS from PEM files (both or neither); the other constructor takes an ssl::context.
  std::string tls_certificate_chain_file;
  std::string tls_private_key_file;

  std::size_t max_body_bytes = 1u << 20;      // 1 MiB
  std::size_t max_header_bytes = 16u << 10;   // 16 KiB
  std::size_t max_connections = 256;          // concurrent; more wait in the listen backlog
  std::chrono::milliseconds header_timeout{10'000};  // TLS handshake + request header
  std::chrono::milliseconds read_timeout{30'000};    // the request body
  std::chrono::milliseconds write_timeout{10'000};   // the response
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive: waiting for the next request
  std::size_t dedupe_window = 10'000;  // most recent dedupe keys remembered (LRU); 0: off

  // Called with each delivery's new (not duplicate) events, after its 200 was written. Never
  // with an empty vector. Exceptions are caught and counted (Stats::handler_errors).
  std::function<void(std::vector<WebhookEvent>)> on_events;
  // Where on_events runs (through a strand). Default: the receiver's executor.
  std::optional<boost::asio::any_io_executor> handler_executor;
  // Diagnostics, one line per rejected request or failure; never contains the secret or a body.
  // Called from the connections' strands: concurrently when the executor has several threads.
  std::function<void(std::string_view)> log;
};

class WebhookReceiver {
 public:
  // Plain HTTP, or HTTPS when the options name a certificate chain and key.
  WebhookReceiver(boost::asio::any_io_executor ex, WebhookReceiverOptions options);
  // HTTPS with the caller's TLS context (it must outlive the receiver).
  WebhookReceiver(boost::asio::any_io_executor ex, boost::asio::ssl::context& tls,
                  WebhookReceiverOptions options);
  ~WebhookReceiver();  // stop(); in-flight work ends on its own (it keeps the state alive)
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Binds and listens (synchronously, so port() and url() are known on return), then accepts
  // on the executor. Throws wrike_cascade::Error: config_error without a secret (unless
  // allow_unsigned) or with bad TLS files, connection_error when the address cannot be bound.
  void start();
  // Graceful: stops accepting, closes idle keep-alive connections, lets requests in progress
  // finish (their answer says Connection: close). Thread-safe; returns at once.
  void stop();

  std::uint16_t port() const noexcept;  // the bound port (0 before start())
  std::string url() const;              // e.g. "https://127.0.0.1:40123/wrike/webhook"
  bool tls() const noexcept;

  struct Stats {
    std::uint64_t connections = 0;             // accepted
    std::uint64_t requests = 0;                // request headers read
    std::uint64_t deliveries_accepted = 0;     // event deliveries answered 200 (repeats included)
    std::uint64_t verifications_answered = 0;  // handshakes answered 200
    std::uint64_t verifications_refused = 0;   // handshakes refused (400/403; see above)
    std::uint64_t events_received = 0;         // events in accepted deliveries
    std::uint64_t events_handed_on = 0;        // passed to on_events
    std::uint64_t duplicates_dropped = 0;      // events dropped as exact repeats
    std::uint64_t rejected_bad_signature = 0;  // 401
    std::uint64_t rejected_too_large = 0;      // 413
    std::uint64_t rejected_bad_body = 0;       // 400: not JSON, not an array of event objects
    std::uint64_t rejected_method = 0;         // 405
    std::uint64_t rejected_path = 0;           // 404
    std::uint64_t handler_errors = 0;          // exceptions thrown by on_events
    std::uint64_t connection_errors = 0;       // timeouts, resets, TLS and HTTP parse errors
  };
  Stats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace wrike
