// Test helpers: a receiver running on its own io_context thread, and a deliberately raw Beast
// HTTP(S) client (not the SDK's transport) that can send arbitrary headers and partial bodies.
#pragma once

#include "self_signed_cert.hpp"

#include <wrike/webhook_receiver.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace webhook_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

inline constexpr std::string_view kSecret = "s3cr3t-Wrike-hook-key-7f1d";

// ---- the server side --------------------------------------------------------------------------

// Runs a WebhookReceiver on a private io_context thread and collects what it hands on.
class Harness {
 public:
  explicit Harness(wrike::WebhookReceiverOptions opts = {}, ssl::context* tls = nullptr,
                   bool collect = true) {
    if (opts.secret.empty() && !opts.allow_unsigned) opts.secret = std::string(kSecret);
    if (collect && !opts.on_events) {
      opts.on_events = [this](std::vector<wrike::WebhookEvent> events) {
        std::lock_guard lock(mu_);
        ++calls_;
        for (auto& e : events) events_.push_back(std::move(e));
        cv_.notify_all();
      };
    }
    receiver_ = tls ? std::make_unique<wrike::WebhookReceiver>(io_.get_executor(), *tls, std::move(opts))
                    : std::make_unique<wrike::WebhookReceiver>(io_.get_executor(), std::move(opts));
    receiver_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Harness() {
    receiver_->stop();
    work_.reset();
    // Give graceful shutdown a moment, then stop whatever is left (lingering reads etc.).
    for (int i = 0; i < 100 && !io_.stopped(); ++i) std::this_thread::sleep_for(10ms);
    io_.stop();
    thread_.join();
  }

  wrike::WebhookReceiver& receiver() { return *receiver_; }
  std::uint16_t port() const { return receiver_->port(); }

  // Waits until at least `n` events arrived (or the timeout passed); returns a copy.
  std::vector<wrike::WebhookEvent> wait_events(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
    return events_;
  }
  std::vector<wrike::WebhookEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  int handler_calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{io_.get_executor()};
  std::unique_ptr<wrike::WebhookReceiver> receiver_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<wrike::WebhookEvent> events_;
  int calls_ = 0;
};

// ---- the client side --------------------------------------------------------------------------

struct Reply {
  int status = 0;  // 0: no response
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string raw;  // header lines and body as received, for "the secret never appears"
  boost::system::error_code ec;
  bool keep_alive = false;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (beast::iequals(k, name)) return v;
    return std::nullopt;
  }
};

// A one-connection client. Every operation runs on a private io_context with a deadline.
class Client {
 public:
  // tls_anchor_pem: HTTPS, trusting that certificate and verifying the name "127.0.0.1".
  explicit Client(std::uint16_t port, const std::string* tls_anchor_pem = nullptr) : port_(port) {
    if (tls_anchor_pem) {
      ctx_.emplace(ssl::context::tls_client);
      ctx_->add_certificate_authority(asio::buffer(*tls_anchor_pem));
      ctx_->set_verify_mode(ssl::verify_peer);
      ctx_->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    }
    connect();
  }

  void connect() {
    tls_.reset();
    plain_.reset();
    beast::tcp_stream tcp(io_);
    tcp.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    tcp.socket().set_option(tcp::no_delay(true));
    if (ctx_) {
      tls_.emplace(std::move(tcp), *ctx_);
      boost::system::error_code ec;
      run([&](auto done) {
        beast::get_lowest_layer(*tls_).expires_after(timeout);
        tls_->async_handshake(ssl::stream_base::client, [&, done](auto e) { ec = e; done(); });
      });
      if (ec) throw boost::system::system_error(ec, "TLS handshake");
    } else {
      plain_.emplace(std::move(tcp));
    }
    buffer_.clear();
  }

  // Sends a whole request and reads the response.
  Reply send(http::request<http::string_body> req) {
    req.prepare_payload();
    return send_prepared(std::move(req));
  }

  Reply send_prepared(http::request<http::string_body> req) {
    boost::system::error_code ec;
    with_stream([&](auto& s) {
      run([&](auto done) {
        lowest().expires_after(timeout);
        http::async_write(s, req, [&, done](auto e, std::size_t) { ec = e; done(); });
      });
    });
    if (ec) {
      Reply r;
      r.ec = ec;
      return r;
    }
    return read_reply();
  }

  // POST `body` to `target` with the given extra headers.
  Reply post(std::string_view target, std::string body,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    return send(std::move(req));
  }

  // Raw bytes (e.g. a header with a large Content-Length and no body).
  boost::system::error_code write_raw(std::string_view bytes) {
    boost::system::error_code ec;
    with_stream([&](auto& s) {
      run([&](auto done) {
        lowest().expires_after(timeout);
        asio::async_write(s, asio::buffer(bytes), [&, done](auto e, std::size_t) { ec = e; done(); });
      });
    });
    return ec;
  }

  Reply read_reply() {
    Reply r;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1u << 20);
    with_stream([&](auto& s) {
      run([&](auto done) {
        lowest().expires_after(timeout);
        http::async_read(s, buffer_, parser, [&, done](auto e, std::size_t) { r.ec = e; done(); });
      });
    });
    if (parser.is_header_done()) {
      const auto& res = parser.get();
      r.status = static_cast<int>(res.result_int());
      r.keep_alive = res.keep_alive();
      for (const auto& f : res) {
        r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        r.raw += std::string(f.name_string()) + ": " + std::string(f.value()) + "\r\n";
      }
      r.body = res.body();
      r.raw += "\r\n" + r.body;
    }
    return r;
  }

  // After a response with Connection: close, true when the server closed the connection.
  bool server_closed() {
    boost::system::error_code ec;
    char byte;
    with_stream([&](auto& s) {
      run([&](auto done) {
        lowest().expires_after(2s);
        s.async_read_some(asio::buffer(&byte, 1), [&, done](auto e, std::size_t) { ec = e; done(); });
      });
    });
    return ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset;
  }

  std::chrono::milliseconds timeout = 5s;

 private:
  beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  template <class F>
  void with_stream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }

  // Starts an operation (which must call done() when it completes) and runs until it has.
  template <class Start>
  void run(Start&& start) {
    bool finished = false;
    io_.restart();
    start([&finished] { finished = true; });
    while (!finished && io_.run_one() > 0) {
    }
  }

  std::uint16_t port_;
  asio::io_context io_;
  std::optional<ssl::context> ctx_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

inline std::vector<std::pair<std::string, std::string>> signed_headers(std::string_view body,
                                                                       std::string_view secret = kSecret) {
  return {{"X-Hook-Signature", wrike::hmac_sha256_hex(secret, body)}};
}

inline constexpr std::string_view kPath = "/wrike/webhook";

}  // namespace webhook_test
