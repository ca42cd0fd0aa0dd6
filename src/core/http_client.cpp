// The shared HTTP(S) transport: connection pool, TLS, retries, rate limiting, JSON bodies.
#include <wrike_cascade/net/http.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <boost/url/url.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <random>

namespace wrike_cascade::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using boost::system::error_code;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// ---- A Beast body that parses JSON as the bytes arrive -----------------------------------
struct json_body {
  struct value_type {
    boost::json::stream_parser parser;
    boost::json::value result;
    std::string prefix;  // the first bytes, to quote in errors about non-JSON bodies
    std::size_t bytes = 0;
    bool failed = false;
    std::string parse_error;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, error_code& ec) {
      body_.parser.reset();
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, error_code& ec) {
      ec = {};
      std::size_t n = 0;
      for (auto b : beast::buffers_range_ref(buffers)) {
        std::string_view sv(static_cast<const char*>(b.data()), b.size());
        body_.bytes += sv.size();
        if (body_.prefix.size() < 200) body_.prefix.append(sv.substr(0, 200 - body_.prefix.size()));
        if (!body_.failed) {
          error_code jec;
          body_.parser.write(sv.data(), sv.size(), jec);
          if (jec) {
            body_.failed = true;
            body_.parse_error = jec.message();
          }
        }
        n += sv.size();
      }
      return n;
    }

    void finish(error_code& ec) {
      ec = {};
      if (body_.failed) return;
      if (body_.bytes == 0) {
        body_.result = nullptr;
        return;
      }
      error_code jec;
      body_.parser.finish(jec);
      if (jec) {
        body_.failed = true;
        body_.parse_error = jec.message();
        return;
      }
      body_.result = body_.parser.release();
    }

   private:
    value_type& body_;
  };
};

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else if (static_cast<unsigned char>(c) < 0x20) out += '?';
    else out += c;
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return std::chrono::hours(24);
    return std::chrono::seconds(std::stoll(std::string(v)));
  }
  std::tm tm{};
  std::string s(v);
  if (!strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto now = std::chrono::system_clock::now();
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

struct Target {
  bool tls = true;
  std::string host;
  std::string port;
  std::string base_path;  // without a trailing slash
  std::string origin() const {
    return (tls ? "https://" : "http://") + host + ":" + port;
  }
};

Target parse_base_url(const std::string& base_url) {
  auto parsed = boost::urls::parse_uri(base_url);
  if (!parsed) {
    throw Error(errc::config_error, "base URL '" + redact_url(base_url) + "' is not a valid URL");
  }
  Target t;
  const auto scheme = parsed->scheme();
  if (scheme == "https") t.tls = true;
  else if (scheme == "http") t.tls = false;
  else throw Error(errc::config_error, "base URL '" + redact_url(base_url) + "': scheme must be https or http");
  t.host = std::string(parsed->encoded_host());
  if (t.host.empty()) throw Error(errc::config_error, "base URL '" + redact_url(base_url) + "' has no host");
  if (!t.host.empty() && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.base_path = std::string(parsed->encoded_path());
  while (!t.base_path.empty() && t.base_path.back() == '/') t.base_path.pop_back();
  return t;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Where a Location header points, relative to the request that got it.
std::pair<Target, std::string> resolve_redirect(const Target& from, const std::string& from_path,
                                                const std::string& location) {
  const std::string from_url = from.origin() + from_path;  // url_view does not own its text
  auto base = boost::urls::parse_uri(from_url);
  auto ref = boost::urls::parse_uri_reference(location);
  if (!base || !ref) throw Error(errc::invalid_response, "redirect to an unparsable Location '" + printable(location.substr(0, 200)) + "'");
  boost::urls::url dest;
  auto rv = boost::urls::resolve(*base, *ref, dest);
  if (!rv) throw Error(errc::invalid_response, "cannot resolve redirect Location '" + printable(location.substr(0, 200)) + "'");
  Target t = parse_base_url(std::string(dest.scheme()) + "://" + std::string(dest.encoded_authority()));
  std::string path = std::string(dest.encoded_path());
  if (path.empty()) path = "/";
  if (dest.has_query()) path += "?" + std::string(dest.encoded_query());
  return {std::move(t), std::move(path)};
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

struct Connection {
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  clock_type::time_point idle_since{};
  bool reused = false;

  beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }

  template <class F>
  auto visit(F&& f) {
    if (plain) return f(*plain);
    return f(*secure);
  }

  // True when the peer has closed or sent unexpected bytes while the connection sat idle.
  bool looks_dead() {
    auto& sock = lowest().socket();
    if (!sock.is_open()) return true;
    pollfd p{sock.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 0) == 0) return false;  // nothing to read: healthy
    return true;  // readable while idle means EOF, a reset, or junk: don't reuse
  }
  void close() {
    error_code ec;
    lowest().socket().close(ec);
  }
};

struct HostPool {
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;
  std::deque<asio::steady_timer*> waiters;
};

// Thrown inside an attempt; carries whether the failure may be retried.
struct AttemptFailure {
  Error error;
  bool transport = false;       // connect/read/write/timeout/truncation
  bool stale_reuse = false;     // a reused connection died before any response byte
};

}  // namespace

// ---- The client implementation ----------------------------------------------------------
struct HttpClient::Impl : std::enable_shared_from_this<HttpClient::Impl> {
  Impl(asio::any_io_executor ex, ClientOptions opts)
      : executor(ex), strand(asio::make_strand(ex)), options(std::move(opts)),
        ssl_ctx(ssl::context::tls_client), rng(std::random_device{}()) {
    target = parse_base_url(options.base_url);
    ssl_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    ssl_ctx.set_default_verify_paths(ec);
    if (options.ca_file) {
      ssl_ctx.load_verify_file(*options.ca_file, ec);
      if (ec) {
        throw Error(errc::config_error,
                    "cannot load CA file '" + *options.ca_file + "': " + ec.message());
      }
    }
    ssl_ctx.set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none);
    if (!options.error_decoder) options.error_decoder = decode_common_error_body;
  }

  asio::any_io_executor executor;
  asio::strand<asio::any_io_executor> strand;
  ClientOptions options;
  ssl::context ssl_ctx;
  Target target;
  std::mutex target_mutex;
  std::map<std::string, HostPool> pools;  // by origin; touched only on the strand
  std::mt19937_64 rng;
  std::atomic<std::uint64_t> n_requests{0}, n_retries{0}, n_throttled{0}, n_connections{0},
      n_bytes{0};

  Target current_target() {
    std::lock_guard lock(target_mutex);
    return target;
  }

  void log(LogRecord rec) {
    if (options.log) options.log(rec);
  }

  asio::awaitable<std::unique_ptr<Connection>> connect(const Target& t,
                                                       clock_type::time_point deadline) {
    auto conn = std::make_unique<Connection>();
    const auto where = t.host + ":" + t.port;
    tcp::resolver resolver(strand);
    auto [rec, results] = co_await resolver.async_resolve(t.host, t.port, tuple_awaitable);
    if (rec) {
      throw AttemptFailure{Error(errc::connection_error, "cannot resolve " + where + ": " + rec.message()), true};
    }
    beast::tcp_stream stream(strand);
    stream.expires_at(std::min(deadline, clock_type::now() + options.connect_timeout));
    auto [cec, ep] = co_await stream.async_connect(results, tuple_awaitable);
    if (cec) {
      const bool to = cec == beast::error::timeout;
      throw AttemptFailure{Error(to ? errc::timeout : errc::connection_error,
                                 (to ? "connecting to " : "cannot connect to ") + where +
                                     (to ? " timed out" : ": " + cec.message())),
                           true};
    }
    stream.socket().set_option(tcp::no_delay(true), cec);
    ++n_connections;
    if (!t.tls) {
      conn->plain.emplace(std::move(stream));
      co_return conn;
    }
    conn->secure.emplace(std::move(stream), ssl_ctx);
    SSL* native = conn->secure->native_handle();
    if (is_ip_literal(t.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), t.host.c_str());
    } else {
      SSL_set_tlsext_host_name(native, t.host.c_str());  // SNI
      SSL_set1_host(native, t.host.c_str());
    }
    beast::get_lowest_layer(*conn->secure)
        .expires_at(std::min(deadline, clock_type::now() + options.connect_timeout));
    auto [hec] = co_await conn->secure->async_handshake(ssl::stream_base::client, tuple_awaitable);
    if (hec) {
      if (hec == beast::error::timeout) {
        throw AttemptFailure{Error(errc::timeout, "TLS handshake with " + where + " timed out"), true};
      }
      std::string why = hec.message();
      const long vr = SSL_get_verify_result(native);
      if (vr != X509_V_OK) why = std::string("certificate verify failed: ") + X509_verify_cert_error_string(vr);
      // A certificate problem will not go away on retry.
      throw AttemptFailure{Error(errc::tls_error, "TLS handshake with " + where + " failed: " + why),
                           vr == X509_V_OK};
    }
    co_return conn;
  }

  asio::awaitable<std::unique_ptr<Connection>> checkout(const Target& t,
                                                        clock_type::time_point deadline) {
    auto& pool = pools[t.origin()];
    for (;;) {
      while (!pool.idle.empty()) {
        auto c = std::move(pool.idle.back());
        pool.idle.pop_back();
        if (clock_type::now() - c->idle_since > options.idle_timeout || c->looks_dead()) {
          c->close();
          --pool.open;
          continue;
        }
        c->reused = true;
        co_return c;
      }
      if (pool.open < std::max<std::size_t>(1, options.max_connections_per_host)) {
        ++pool.open;
        try {
          co_return co_await connect(t, deadline);
        } catch (...) {
          --pool.open;
          wake_one(pool);
          throw;
        }
      }
      asio::steady_timer wait(strand, deadline);
      pool.waiters.push_back(&wait);
      auto [ec] = co_await wait.async_wait(tuple_awaitable);
      std::erase(pool.waiters, &wait);
      auto cs = co_await asio::this_coro::cancellation_state;
      if (cs.cancelled() != asio::cancellation_type::none) {
        throw AttemptFailure{Error(errc::cancelled, "cancelled while waiting for a connection"), false};
      }
      if (!ec) {
        throw AttemptFailure{Error(errc::timeout, "timed out waiting for a free connection to " +
                                                      t.host + ":" + t.port),
                             true};
      }
    }
  }

  void wake_one(HostPool& pool) {
    if (pool.waiters.empty()) return;
    auto* t = pool.waiters.front();
    pool.waiters.pop_front();
    t->cancel();
  }

  void checkin(const Target& t, std::unique_ptr<Connection> c, bool reusable) {
    auto& pool = pools[t.origin()];
    if (reusable) {
      c->idle_since = clock_type::now();
      c->reused = false;
      pool.idle.push_back(std::move(c));
    } else {
      c->close();
      --pool.open;
    }
    wake_one(pool);
  }

  // One attempt: check out a connection, write, read, parse.
  asio::awaitable<Response> send_once(const Target& t, http::request<http::string_body>& req,
                                    clock_type::time_point deadline) {
    auto conn = co_await checkout(t, deadline);
    const bool reused = conn->reused;
    conn->lowest().expires_at(deadline);
    auto fail = [&](errc code, std::string what, bool transport, bool stale = false) {
      checkin(t, std::move(conn), false);
      return AttemptFailure{Error(code, std::move(what)), transport, stale};
    };
    auto [wec, wn] = co_await conn->visit(
        [&](auto& s) { return http::async_write(s, req, tuple_awaitable); });
    if (wec) {
      if (wec == beast::error::timeout) throw fail(errc::timeout, "request timed out while sending", true);
      if (wec == asio::error::operation_aborted) throw fail(errc::cancelled, "cancelled", false);
      throw fail(errc::connection_error, "sending the request failed: " + wec.message(), true, reused);
    }
    http::response_parser<json_body> parser;
    parser.body_limit(options.max_response_bytes);
    parser.header_limit(64 * 1024);
    auto [rec, rn] = co_await conn->visit(
        [&](auto& s) { return http::async_read(s, conn->buffer, parser, tuple_awaitable); });
    n_bytes += rn;
    if (rec) {
      if (rec == beast::error::timeout) throw fail(errc::timeout, "request timed out waiting for the response", true);
      if (rec == asio::error::operation_aborted) throw fail(errc::cancelled, "cancelled", false);
      if (rec == http::error::body_limit) {
        throw fail(errc::body_too_large, "response body exceeds " + std::to_string(options.max_response_bytes) + " bytes", false);
      }
      if (!parser.got_some()) {
        throw fail(errc::connection_error, "connection closed before a response: " + rec.message(), true, reused);
      }
      if (parser.is_header_done()) {
        const auto got = parser.get().body().bytes;
        std::string expected;
        if (auto cl = parser.content_length_remaining()) expected = " (" + std::to_string(*cl) + " more bytes were announced)";
        throw fail(errc::invalid_response,
                   "response body truncated after " + std::to_string(got) + " bytes" + expected + ": " + rec.message(),
                   true);
      }
      throw fail(errc::invalid_response, "malformed response header: " + rec.message(), true);
    }
    auto& msg = parser.get();
    Response r;
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    auto& body = msg.body();
    r.body_bytes = body.bytes;
    const bool keep = msg.keep_alive();
    if (body.failed) {
      const bool ok_status = r.status >= 200 && r.status < 300;
      std::string quoted = printable(body.prefix);
      checkin(t, std::move(conn), keep);
      if (ok_status) {
        throw AttemptFailure{Error(errc::invalid_response,
                                   "HTTP " + std::to_string(r.status) + " with a malformed JSON body (" +
                                       body.parse_error + ") starting: " + quoted),
                             false};
      }
      // A non-JSON error page (a proxy, a load balancer): keep its start as the description.
      boost::json::object o;
      o["errorDescription"] = "non-JSON body: " + quoted;
      r.body = std::move(o);
    } else {
      r.body = std::move(body.result);
      checkin(t, std::move(conn), keep);
    }
    co_return r;
  }

  asio::awaitable<Response> run(Request req) {
    auto self = shared_from_this();
    Target t = current_target();
    std::string target_path = t.base_path + req.path;
    if (!req.query.empty()) target_path += "?" + req.query.encode();
    std::string display_url = redact_url(t.origin() + target_path);
    const std::string original_host = t.host;

    http::request<http::string_body> msg;
    auto address = [&] {
      msg.target(target_path);
      const bool default_port = t.port == (t.tls ? "443" : "80");
      msg.set(http::field::host, default_port ? t.host : t.host + ":" + t.port);
    };
    msg.method_string(req.method);
    msg.version(11);
    address();
    msg.set(http::field::user_agent, options.user_agent);
    msg.set(http::field::accept, "application/json");
    for (const auto& [k, v] : req.headers.items()) msg.set(k, v);
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
      if (!req.content_type.empty()) msg.set(http::field::content_type, req.content_type);
      msg.body() = req.body;
      msg.prepare_payload();
    }
    int redirects = 0;
    bool send_auth = req.authenticate && options.auth;
    const bool idempotent = req.is_idempotent();
    const auto& policy = options.retry;
    const auto started = clock_type::now();
    const auto timeout = req.timeout.value_or(options.request_timeout);
    bool refreshed = false;
    std::string auth_header;

    for (int attempt = 1;; ++attempt) {
      if (options.rate_limiter) co_await options.rate_limiter->acquire();
      if (send_auth) {
        auth_header = co_await options.auth->authorization();
        msg.set(http::field::authorization, auth_header);
      } else {
        msg.erase(http::field::authorization);
      }
      ++n_requests;
      const auto attempt_start = clock_type::now();
      std::optional<Response> resp;
      std::optional<Error> error;
      bool retryable = false;
      bool stale = false;
      try {
        resp = co_await send_once(t, msg, attempt_start + timeout);
      } catch (AttemptFailure& f) {
        error.emplace(std::move(f.error));
        retryable = f.transport && policy.retry_on_transport_error;
        stale = f.stale_reuse;
      }
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - attempt_start);
      std::optional<std::chrono::milliseconds> retry_after;
      if (resp) {
        log({req.method, display_url, resp->status, attempt, elapsed, {}});
        if (resp->status >= 200 && resp->status < 300) {
          if (options.rate_limiter) options.rate_limiter->on_success();
          resp->attempts = attempt;
          co_return std::move(*resp);
        }
        if (is_redirect(resp->status)) {
          if (const auto* location = resp->header("Location"); location && redirects < options.max_redirects) {
            ++redirects;
            auto next = resolve_redirect(t, target_path, *location);
            if (t.tls && !next.first.tls) {
              throw Error(make_error_code(errc::invalid_response),
                          ErrorDetail{.http_status = resp->status, .method = req.method, .url = display_url,
                                      .attempts = attempt,
                                      .context = "refusing a redirect from https to plain http"});
            }
            t = std::move(next.first);
            target_path = std::move(next.second);
            display_url = redact_url(t.origin() + target_path);
            address();
            // Credentials follow only to hosts the caller trusts (by default: the same host).
            const bool trusted = options.keep_authorization_on_redirect
                                     ? options.keep_authorization_on_redirect(t.host)
                                     : t.host == original_host;
            send_auth = send_auth && trusted;
            // 303 always becomes a GET; 301/302 only turn a POST into a GET (as browsers do).
            // 307/308, and 301/302 for PUT/PATCH/DELETE, keep the method and the body.
            if ((resp->status == 303 && req.method != "HEAD") ||
                ((resp->status == 301 || resp->status == 302) && req.method == "POST")) {
              msg.method(http::verb::get);
              msg.body().clear();
              msg.erase(http::field::content_type);
              msg.prepare_payload();
            }
            --attempt;  // a redirect is not a failed attempt
            continue;
          }
        }
        if (resp->status == 401 && send_auth && !refreshed) {
          refreshed = true;
          if (co_await options.auth->refresh_after_unauthorized(auth_header)) {
            --attempt;  // the refresh retry does not count against the policy
            continue;
          }
        }
        ErrorDetail d;
        d.http_status = resp->status;
        options.error_decoder(resp->body, d);
        if (const auto* ra = resp->header("Retry-After")) d.retry_after = retry_after = parse_retry_after(*ra);
        for (const char* h : {"X-Request-Id", "X-Request-ID", "Request-Id", "X-Amzn-RequestId"}) {
          if (const auto* rid = resp->header(h)) {
            d.request_id = printable(*rid).substr(0, 100);
            break;
          }
        }
        if (resp->status == 429) {
          ++n_throttled;
          if (options.rate_limiter) options.rate_limiter->on_throttled(retry_after);
          retryable = policy.retry_on_429;
        } else if (resp->status >= 500 && resp->status != 501) {
          retryable = policy.retry_on_5xx;
        }
        if (is_redirect(resp->status)) {
          d.context = resp->header("Location") ? "redirect not followed: more than " +
                                                     std::to_string(options.max_redirects) + " redirects"
                                               : "redirect without a Location header";
        }
        error.emplace(make_error_code(errc_from_http_status(resp->status)), std::move(d));
      } else {
        log({req.method, display_url, 0, attempt, elapsed, error->what()});
      }

      // A pooled connection that turned out dead: one free retry on a fresh connection.
      if (stale && idempotent && attempt == 1) {
        --attempt;
        stale = false;
        continue;
      }
      const bool may_retry = retryable && (idempotent || policy.retry_non_idempotent) &&
                             attempt < policy.max_attempts;
      std::chrono::milliseconds wait{0};
      if (may_retry) {
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        wait = retry_after ? *retry_after : policy.backoff(attempt + 1, unit(rng));
      }
      const auto spent = clock_type::now() - started;
      if (!may_retry || spent + wait > policy.max_total) {
        ErrorDetail d = error->detail();
        d.method = req.method;
        d.url = display_url;
        d.attempts = attempt;
        if (may_retry) d.context += (d.context.empty() ? "" : "; ") + std::string("retry budget exhausted");
        else if (retryable && !idempotent && !policy.retry_non_idempotent && attempt < policy.max_attempts)
          d.context += (d.context.empty() ? "" : "; ") + std::string("not retried: ") + req.method + " is not idempotent";
        throw Error(error->code(), std::move(d));
      }
      ++n_retries;
      log({req.method, display_url, resp ? resp->status : 0, attempt, elapsed,
           "retrying in " + std::to_string(wait.count()) + " ms"});
      asio::steady_timer timer(strand, wait);
      auto [tec] = co_await timer.async_wait(tuple_awaitable);
      if (tec) {
        throw Error(make_error_code(errc::cancelled),
                    ErrorDetail{.method = req.method, .url = display_url, .attempts = attempt,
                                .context = "cancelled while waiting to retry"});
      }
    }
  }
};

HttpClient::HttpClient(asio::any_io_executor ex, ClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(options))) {}

HttpClient::~HttpClient() = default;

const ClientOptions& HttpClient::options() const noexcept { return impl_->options; }
asio::any_io_executor HttpClient::get_executor() const noexcept { return impl_->executor; }

void HttpClient::set_base_url(std::string base_url) {
  auto t = parse_base_url(base_url);
  std::lock_guard lock(impl_->target_mutex);
  impl_->target = std::move(t);
  impl_->options.base_url = std::move(base_url);
}

std::string HttpClient::base_url() const {
  std::lock_guard lock(impl_->target_mutex);
  return impl_->options.base_url;
}

asio::awaitable<Response> HttpClient::request(Request req) {
  co_return co_await asio::co_spawn(impl_->strand, impl_->run(std::move(req)), asio::use_awaitable);
}

void HttpClient::start_request(Request req, Handler<Response> handler) {
  asio::co_spawn(impl_->strand, impl_->run(std::move(req)), std::move(handler));
}

HttpClient::Stats HttpClient::stats() const {
  return {impl_->n_requests.load(), impl_->n_retries.load(), impl_->n_throttled.load(),
          impl_->n_connections.load(), impl_->n_bytes.load()};
}

}  // namespace wrike_cascade::net
