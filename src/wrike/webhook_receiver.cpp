// The Wrike webhook receiver (Beast over Asio, C++20 coroutines) and the HMAC helpers.
//
// Threading: the acceptor, the connection registry and stop() run on one strand of the
// application's executor; each connection runs on its own strand; on_events runs on a strand
// of the handler executor. Counters are atomics; the dedupe window has its own mutex. Every
// coroutine holds a shared_ptr to the state, so destroying the WebhookReceiver never leaves a
// dangling operation.

#include <wrike/webhook_receiver.hpp>

#include <wrike/webhook_event.hpp>
#include <wrike/webhook_signature.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <atomic>
#include <exception>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace wrike {

// ---- HMAC-SHA256 ----------------------------------------------------------------------------
namespace {

constexpr std::size_t kMacBytes = 32;

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);  // fetched once, kept
  return mac;
}

// Returns false on an OpenSSL failure.
bool hmac_sha256(std::string_view key, std::string_view message, unsigned char (&out)[kMacBytes]) noexcept {
  EVP_MAC* mac = hmac_algorithm();
  if (!mac) return false;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  if (!ctx) return false;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  static const unsigned char kEmpty = 0;  // OpenSSL wants a non-null key pointer, even for ""
  const auto* key_ptr = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  std::size_t len = 0;
  const bool ok = EVP_MAC_init(ctx, key_ptr, key.size(), params) == 1 &&
                  EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
                  EVP_MAC_final(ctx, out, &len, kMacBytes) == 1 && len == kMacBytes;
  EVP_MAC_CTX_free(ctx);
  return ok;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[kMacBytes];
  if (!hmac_sha256(key, message, mac)) throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * kMacBytes, '\0');
  for (std::size_t i = 0; i < kMacBytes; ++i) {
    out[2 * i] = kHex[mac[i] >> 4];
    out[2 * i + 1] = kHex[mac[i] & 0xF];
  }
  OPENSSL_cleanse(mac, sizeof mac);
  return out;
}

bool signature_matches(std::string_view secret, std::string_view body, std::string_view hex_signature) noexcept {
  if (hex_signature.size() != 2 * kMacBytes) return false;
  unsigned char given[kMacBytes];
  for (std::size_t i = 0; i < kMacBytes; ++i) {
    const int hi = hex_value(hex_signature[2 * i]);
    const int lo = hex_value(hex_signature[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  unsigned char expected[kMacBytes];
  if (!hmac_sha256(secret, body, expected)) return false;
  const bool equal = CRYPTO_memcmp(given, expected, kMacBytes) == 0;
  OPENSSL_cleanse(expected, sizeof expected);
  return equal;
}

// ---- the receiver ---------------------------------------------------------------------------
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using wrike_cascade::errc;
using wrike_cascade::Error;
using Strand = asio::strand<asio::any_io_executor>;

constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 8u << 20;

// The challenge must not be able to be a JSON array, object or string (see the header): printable
// ASCII (spaces included) without '[', '{' or '"'. Its HMAC can then only be the signature of a
// JSON number or literal, which is not a delivery (400).
bool acceptable_challenge(std::string_view c) noexcept {
  if (c.empty() || c.size() > 1024) return false;
  for (const char ch : c) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u > 0x7e || ch == '[' || ch == '{' || ch == '"') return false;
  }
  return true;
}

std::string_view path_of(std::string_view target) noexcept {
  const auto q = target.find_first_of("?#");
  return q == std::string_view::npos ? target : target.substr(0, q);
}

bool quiet_close(const error_code& ec) noexcept {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
         ec == ssl::error::stream_truncated || ec == asio::error::connection_reset;
}

// An answer: status, a short plain-text body (never anything secret), extra headers.
struct Answer {
  http::status status = http::status::ok;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after writing (body left unread, or stopping)
  std::vector<WebhookEvent> events;  // handed on after the write
};

struct ConnBase {
  explicit ConnBase(Strand s) : strand(std::move(s)) {}
  virtual ~ConnBase() = default;
  virtual void cancel() = 0;  // on strand
  Strand strand;
  bool idle = true;         // waiting for a request header
  bool stopping = false;    // finish the current request, then close
  beast::flat_buffer buffer;
};

template <class Stream>
struct Conn final : ConnBase {
  template <class... A>
  Conn(Strand s, A&&... a) : ConnBase(std::move(s)), stream(std::forward<A>(a)...) {}
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }
  void cancel() override { tcp().cancel(); }
  Stream stream;
};

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace

struct WebhookReceiver::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor executor, ssl::context* external_tls, WebhookReceiverOptions o)
      : ex(std::move(executor)),
        strand(asio::make_strand(ex)),
        handler_strand(asio::make_strand(o.handler_executor.value_or(ex))),
        opts(std::move(o)),
        tls(external_tls),
        acceptor(strand),
        slot_timer(strand) {}

  asio::any_io_executor ex;
  Strand strand;          // acceptor, registry, stop
  Strand handler_strand;  // on_events
  WebhookReceiverOptions opts;
  ssl::context* tls = nullptr;
  std::unique_ptr<ssl::context> own_tls;
  tcp::acceptor acceptor;
  asio::steady_timer slot_timer;  // wakes the accept loop when a connection slot frees
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<bool> stopping{false};
  std::atomic<bool> started{false};

  // On `strand`.
  std::size_t active = 0;
  std::uint64_t next_conn_id = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnBase>> conns;

  // Dedupe window (LRU of keys).
  std::mutex dedupe_mu;
  std::list<std::string> lru;  // front = most recent
  std::unordered_map<std::string_view, std::list<std::string>::iterator> lru_index;

  struct Counters {
    std::atomic<std::uint64_t> connections{0}, requests{0}, deliveries_accepted{0}, verifications_answered{0},
        verifications_refused{0}, events_received{0}, events_handed_on{0}, duplicates_dropped{0},
        rejected_bad_signature{0}, rejected_too_large{0}, rejected_bad_body{0}, rejected_method{0},
        rejected_path{0}, handler_errors{0}, connection_errors{0};
  } counters;

  void log(const std::string& line) const {
    if (opts.log) {
      try {
        opts.log(line);
      } catch (...) {
      }
    }
  }

  // ---- start / stop ------------------------------------------------------------------------

  void start() {
    if (started) throw Error(errc::invalid_argument, "webhook receiver: start() called twice");
    if (stopping) throw Error(errc::invalid_argument, "webhook receiver: start() after stop()");
    if (opts.secret.empty() && !opts.allow_unsigned) {
      throw Error(errc::config_error,
                  "webhook receiver: no secret configured; set the hook's secret, or allow_unsigned = true "
                  "to accept unauthenticated deliveries");
    }
    if (!opts.path.starts_with('/')) throw Error(errc::config_error, "webhook receiver: path must start with '/'");
    if (opts.max_connections == 0) throw Error(errc::config_error, "webhook receiver: max_connections is 0");
    if (!tls && (!opts.tls_certificate_chain_file.empty() || !opts.tls_private_key_file.empty())) {
      if (opts.tls_certificate_chain_file.empty() || opts.tls_private_key_file.empty())
        throw Error(errc::config_error, "webhook receiver: TLS needs both a certificate chain and a private key file");
      own_tls = std::make_unique<ssl::context>(ssl::context::tls_server);
      error_code ec;
      own_tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                               ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                           ec);
      own_tls->use_certificate_chain_file(opts.tls_certificate_chain_file, ec);
      if (ec) throw Error(errc::config_error, "webhook receiver: cannot load the TLS certificate chain "
                                              + opts.tls_certificate_chain_file + ": " + ec.message());
      own_tls->use_private_key_file(opts.tls_private_key_file, ssl::context::pem, ec);
      if (ec) throw Error(errc::config_error, "webhook receiver: cannot load the TLS private key "
                                              + opts.tls_private_key_file + ": " + ec.message());
      tls = own_tls.get();
    }

    error_code ec;
    const auto address = asio::ip::make_address(opts.address, ec);
    if (ec) throw Error(errc::config_error, "webhook receiver: bad listen address \"" + opts.address + "\"");
    const tcp::endpoint endpoint(address, opts.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error_code ignored;
      acceptor.close(ignored);
      throw Error(errc::connection_error, "webhook receiver: cannot listen on " + opts.address + ":" +
                                              std::to_string(opts.port) + ": " + ec.message());
    }
    bound_port = acceptor.local_endpoint().port();
    started = true;
    asio::co_spawn(strand, accept_loop(shared_from_this()), [](std::exception_ptr) {});
  }

  void stop() {
    stopping = true;
    asio::dispatch(strand, [self = shared_from_this()] {
      error_code ignored;
      self->acceptor.close(ignored);
      self->slot_timer.cancel();
      for (auto& [id, weak] : self->conns) {
        if (auto c = weak.lock()) {
          asio::dispatch(c->strand, [c] {
            c->stopping = true;
            if (c->idle && c->buffer.size() == 0) c->cancel();
          });
        }
      }
    });
  }

  // ---- accepting ---------------------------------------------------------------------------

  static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    for (;;) {
      while (self->active >= self->opts.max_connections && !self->stopping) {
        self->slot_timer.expires_at(asio::steady_timer::time_point::max());
        co_await self->slot_timer.async_wait(token);
      }
      if (self->stopping) co_return;
      Strand conn_strand = asio::make_strand(self->ex);
      tcp::socket socket = co_await self->acceptor.async_accept(conn_strand, token);
      if (ec) {
        if (self->stopping || ec == asio::error::operation_aborted || !self->acceptor.is_open()) co_return;
        self->log("webhook receiver: accept failed: " + ec.message());
        // e.g. out of file descriptors: back off a little instead of spinning.
        self->slot_timer.expires_after(std::chrono::milliseconds(50));
        co_await self->slot_timer.async_wait(token);
        continue;
      }
      ++self->counters.connections;
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::shared_ptr<ConnBase> conn;
      if (self->tls) {
        auto c = std::make_shared<Conn<TlsStream>>(conn_strand, beast::tcp_stream(std::move(socket)), *self->tls);
        conn = c;
        spawn_session(self, conn, session(self, c));
      } else {
        auto c = std::make_shared<Conn<PlainStream>>(conn_strand, std::move(socket));
        conn = c;
        spawn_session(self, conn, session(self, c));
      }
    }
  }

  static void spawn_session(const std::shared_ptr<Impl>& self, const std::shared_ptr<ConnBase>& conn,
                            asio::awaitable<void> work) {
    const std::uint64_t id = self->next_conn_id++;
    self->conns.emplace(id, conn);
    ++self->active;
    asio::co_spawn(conn->strand, std::move(work),
                   asio::bind_executor(self->strand, [self, id](std::exception_ptr e) {
                     if (e) {
                       ++self->counters.connection_errors;
                       self->log("webhook receiver: connection failed with an exception");
                     }
                     self->conns.erase(id);
                     --self->active;
                     self->slot_timer.cancel();
                   }));
  }

  // ---- one connection ----------------------------------------------------------------------

  template <class Stream>
  static asio::awaitable<void> session(std::shared_ptr<Impl> self, std::shared_ptr<Conn<Stream>> c) {
    constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    const auto& o = self->opts;
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);

    if constexpr (kTls) {
      c->tcp().expires_after(o.header_timeout);
      co_await c->stream.async_handshake(ssl::stream_base::server, token);
      if (ec) {
        if (!quiet_close(ec)) {
          ++self->counters.connection_errors;
          self->log("webhook receiver: TLS handshake failed: " + ec.message());
        }
        co_return;
      }
    }

    bool first = true;
    for (;;) {
      if (c->stopping || self->stopping) break;
      c->idle = true;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(o.max_header_bytes));
      parser.body_limit(boost::none);  // checked by hand after the header, see below
      c->tcp().expires_after(first ? o.header_timeout : o.idle_timeout);
      co_await http::async_read_header(c->stream, c->buffer, parser, token);
      c->idle = false;
      if (ec) {
        const bool idle_timeout = ec == beast::error::timeout && !first && c->buffer.size() == 0;
        if (!quiet_close(ec) && !idle_timeout) {
          ++self->counters.connection_errors;
          self->log("webhook receiver: reading a request header failed: " + ec.message());
        }
        // A malformed or oversized header still gets an answer (431/400), then the connection
        // is closed.
        if (ec.category() == http::make_error_code(http::error::header_limit).category() &&
            ec != http::error::end_of_stream && ec != http::error::partial_message) {
          http::response<http::string_body> res{
              ec == http::error::header_limit ? http::status::request_header_fields_too_large : http::status::bad_request, 11};
          res.set(http::field::server, "wrike-cascade-webhook");
          res.set(http::field::content_type, "text/plain; charset=utf-8");
          res.body() = ec == http::error::header_limit ? "request header too large\n" : "malformed request\n";
          res.keep_alive(false);
          res.prepare_payload();
          c->tcp().expires_after(o.write_timeout);
          co_await http::async_write(c->stream, res, token);
          if (!ec) co_await linger(c->tcp());
          co_return;
        }
        break;
      }
      first = false;
      ++self->counters.requests;
      const auto& header = parser.get();
      const unsigned version = header.version();
      const bool keep_alive = header.keep_alive();
      const bool head_request = header.method() == http::verb::head;

      Answer answer;
      bool body_pending = !parser.is_done();
      if (path_of(header.target()) != o.path) {
        ++self->counters.rejected_path;
        answer.status = http::status::not_found;
        answer.body = "not found\n";
      } else if (header.method() != http::verb::post) {
        ++self->counters.rejected_method;
        answer.status = http::status::method_not_allowed;
        answer.body = "only POST\n";
        answer.headers.emplace_back("Allow", "POST");
      } else if (const auto declared = parser.content_length(); declared && *declared > o.max_body_bytes) {
        ++self->counters.rejected_too_large;
        answer.status = http::status::payload_too_large;
        answer.body = "body too large\n";
        self->log("webhook receiver: 413, declared Content-Length " + std::to_string(*declared) + " > " +
                  std::to_string(o.max_body_bytes));
      } else {
        if (body_pending) {
          if (auto expect = header.find(http::field::expect);
              expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
            http::response<http::empty_body> cont{http::status::continue_, version};
            c->tcp().expires_after(o.write_timeout);
            co_await http::async_write(c->stream, cont, token);
            if (ec) {
              ++self->counters.connection_errors;
              break;
            }
          }
          parser.body_limit(static_cast<std::uint64_t>(o.max_body_bytes));
          c->tcp().expires_after(o.read_timeout);
          co_await http::async_read(c->stream, c->buffer, parser, token);
          if (ec == http::error::body_limit) {
            ++self->counters.rejected_too_large;
            answer.status = http::status::payload_too_large;
            answer.body = "body too large\n";
            self->log("webhook receiver: 413, body passed " + std::to_string(o.max_body_bytes) + " bytes");
          } else if (ec) {
            if (!quiet_close(ec)) {
              ++self->counters.connection_errors;
              self->log("webhook receiver: reading a request body failed: " + ec.message());
            }
            break;
          } else {
            body_pending = false;
          }
        }
        if (!body_pending) answer = self->process(parser.get());
      }

      answer.close = answer.close || body_pending || !keep_alive || c->stopping || self->stopping;
      http::response<http::string_body> res{answer.status, version};
      res.set(http::field::server, "wrike-cascade-webhook");
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      for (auto& [name, value] : answer.headers) res.set(name, value);
      if (!head_request) res.body() = std::move(answer.body);
      res.keep_alive(!answer.close);
      res.prepare_payload();
      c->tcp().expires_after(o.write_timeout);
      co_await http::async_write(c->stream, res, token);
      const bool write_failed = static_cast<bool>(ec);
      if (write_failed && !quiet_close(ec)) {
        ++self->counters.connection_errors;
        self->log("webhook receiver: writing a response failed: " + ec.message());
      }
      // Hand on only now, after the acknowledgement went out. A verified delivery is handed on
      // even if the write failed: its keys are already in the dedupe window, so Wrike's retry
      // would be dropped.
      if (!answer.events.empty()) self->hand_on(std::move(answer.events));
      if (write_failed) co_return;
      if (body_pending) {
        co_await linger(c->tcp());
        co_return;
      }
      if (answer.close) break;
    }

    // Graceful close.
    c->tcp().expires_after(o.write_timeout);
    if constexpr (kTls) {
      co_await c->stream.async_shutdown(token);
    } else {
      c->tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    c->tcp().close();
  }

  // After an answer that left the request body unread: stop sending, read and discard what
  // the client still sends for a while, then close. Closing at once with unread data would
  // send a reset, and the client could lose the answer (e.g. the 413) before reading it.
  static asio::awaitable<void> linger(beast::tcp_stream& tcp) {
    error_code ec;
    tcp.socket().shutdown(tcp::socket::shutdown_send, ec);
    tcp.expires_after(kLingerTime);
    std::array<char, 16384> sink;
    std::size_t total = 0;
    while (!ec && total < kLingerBytes)
      total += co_await tcp.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    tcp.close();
  }

  // ---- one complete request ----------------------------------------------------------------

  Answer process(const http::request<http::string_body>& req) {
    Answer a;
    const std::string& body = req.body();
    if (!opts.secret.empty()) {
      const auto sig = req.find("X-Hook-Signature");
      if (sig == req.end() || !signature_matches(opts.secret, body, sig->value())) {
        ++counters.rejected_bad_signature;
        a.status = http::status::unauthorized;
        a.body = sig == req.end() ? "missing X-Hook-Signature\n" : "invalid X-Hook-Signature\n";
        log(std::string("webhook receiver: 401, ") + (sig == req.end() ? "missing" : "invalid") + " signature");
        return a;
      }
    }
    error_code ec;
    const boost::json::value json = boost::json::parse(boost::json::string_view(body.data(), body.size()), ec);
    if (ec) {
      ++counters.rejected_bad_body;
      a.status = http::status::bad_request;
      a.body = "the body is not JSON\n";
      log("webhook receiver: 400, the body is not JSON");
      return a;
    }
    if (is_verification_request(json)) return verification(req);

    std::vector<WebhookEvent> events;
    try {
      events = parse_webhook_delivery(json);
    } catch (const Error& e) {
      ++counters.rejected_bad_body;
      a.status = http::status::bad_request;
      a.body = e.detail().context + "\n";
      log("webhook receiver: 400, " + e.detail().context);
      return a;
    }
    ++counters.deliveries_accepted;
    counters.events_received += events.size();
    a.events = dedupe(std::move(events));
    a.body = "ok\n";
    return a;
  }

  Answer verification(const http::request<http::string_body>& req) {
    Answer a;
    auto refuse = [&](http::status status, std::string why) {
      ++counters.verifications_refused;
      a.status = status;
      log("webhook receiver: handshake refused: " + why);
      a.body = std::move(why) + "\n";
      return a;
    };
    if (opts.secret.empty()) return refuse(http::status::bad_request, "no secret is configured");
    if (!opts.answer_verification) return refuse(http::status::forbidden, "handshakes are switched off");
    const auto challenge = req.find("X-Hook-Secret");
    if (challenge == req.end()) return refuse(http::status::bad_request, "missing X-Hook-Secret");
    if (!acceptable_challenge(challenge->value())) return refuse(http::status::bad_request, "unacceptable X-Hook-Secret challenge");
    ++counters.verifications_answered;
    a.headers.emplace_back("X-Hook-Secret", hmac_sha256_hex(opts.secret, challenge->value()));
    a.body = "ok\n";
    return a;
  }

  // Drops exact repeats (within the delivery too) and remembers the new keys.
  std::vector<WebhookEvent> dedupe(std::vector<WebhookEvent> events) {
    if (opts.dedupe_window == 0) return events;
    std::vector<std::string> keys;
    keys.reserve(events.size());
    for (const auto& e : events) keys.push_back(dedupe_key(e));
    std::vector<WebhookEvent> fresh;
    fresh.reserve(events.size());
    std::lock_guard lock(dedupe_mu);
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (auto it = lru_index.find(keys[i]); it != lru_index.end()) {
        lru.splice(lru.begin(), lru, it->second);  // refresh
        ++counters.duplicates_dropped;
        continue;
      }
      lru.push_front(std::move(keys[i]));
      lru_index.emplace(std::string_view(lru.front()), lru.begin());
      if (lru.size() > opts.dedupe_window) {
        lru_index.erase(std::string_view(lru.back()));
        lru.pop_back();
      }
      fresh.push_back(std::move(events[i]));
    }
    return fresh;
  }

  void hand_on(std::vector<WebhookEvent> events) {
    if (!opts.on_events || events.empty()) return;
    counters.events_handed_on += events.size();
    asio::post(handler_strand, [self = shared_from_this(), events = std::move(events)]() mutable {
      try {
        self->opts.on_events(std::move(events));
      } catch (...) {
        ++self->counters.handler_errors;
        self->log("webhook receiver: the on_events handler threw");
      }
    });
  }
};

WebhookReceiver::WebhookReceiver(boost::asio::any_io_executor ex, WebhookReceiverOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), nullptr, std::move(options))) {}

WebhookReceiver::WebhookReceiver(boost::asio::any_io_executor ex, boost::asio::ssl::context& tls,
                                 WebhookReceiverOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), &tls, std::move(options))) {}

WebhookReceiver::~WebhookReceiver() {
  if (impl_ && impl_->started) impl_->stop();
}

void WebhookReceiver::start() { impl_->start(); }
void WebhookReceiver::stop() {
  if (impl_->started) impl_->stop();
}

std::uint16_t WebhookReceiver::port() const noexcept { return impl_->bound_port.load(); }

bool WebhookReceiver::tls() const noexcept { return impl_->tls != nullptr; }

std::string WebhookReceiver::url() const {
  std::string host = impl_->opts.address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(tls() ? "https://" : "http://") + host + ":" + std::to_string(port()) + impl_->opts.path;
}

WebhookReceiver::Stats WebhookReceiver::stats() const {
  const auto& c = impl_->counters;
  Stats s;
  s.connections = c.connections.load();
  s.requests = c.requests.load();
  s.deliveries_accepted = c.deliveries_accepted.load();
  s.verifications_answered = c.verifications_answered.load();
  s.verifications_refused = c.verifications_refused.load();
  s.events_received = c.events_received.load();
  s.events_handed_on = c.events_handed_on.load();
  s.duplicates_dropped = c.duplicates_dropped.load();
  s.rejected_bad_signature = c.rejected_bad_signature.load();
  s.rejected_too_large = c.rejected_too_large.load();
  s.rejected_bad_body = c.rejected_bad_body.load();
  s.rejected_method = c.rejected_method.load();
  s.rejected_path = c.rejected_path.load();
  s.handler_errors = c.handler_errors.load();
  s.connection_errors = c.connection_errors.load();
  return s;
}

}  // namespace wrike
