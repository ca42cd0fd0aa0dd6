#include "raw_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <cctype>
#include <stdexcept>

namespace emutest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::optional<std::string> RawResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return v;
  return std::nullopt;
}

boost::json::value RawResponse::json() const { return boost::json::parse(body); }

boost::system::error_code timeout_error() { return beast::error::timeout; }
boost::system::error_code partial_message_error() { return http::error::partial_message; }

std::string enc(std::string_view s) {
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

struct RawClient::Impl {
  bool tls = false;
  std::string host, port;
  RawClientOptions opt;
  asio::io_context ioc;
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_client};
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::size_t opened = 0;

  asio::awaitable<error_code> connect() {
    error_code ec;
    tcp::resolver resolver(ioc);
    auto results = co_await resolver.async_resolve(host, port, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ec;
    buffer.clear();
    if (!tls) {
      plain = std::make_unique<beast::tcp_stream>(ioc);
      plain->expires_after(opt.timeout);
      co_await plain->async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) plain.reset();
      else ++opened;
      co_return ec;
    }
    secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, ssl_ctx);
    const std::string& vh = opt.verify_host.empty() ? host : opt.verify_host;
    error_code ignored;
    asio::ip::make_address(vh, ignored);
    if (ignored) SSL_set_tlsext_host_name(secure->native_handle(), vh.c_str());  // SNI: names only
    secure->set_verify_mode(asio::ssl::verify_peer);
    secure->set_verify_callback(asio::ssl::host_name_verification(vh));
    beast::get_lowest_layer(*secure).expires_after(opt.timeout);
    co_await beast::get_lowest_layer(*secure).async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec)
      co_await secure->async_handshake(asio::ssl::stream_base::client,
                                       asio::redirect_error(asio::use_awaitable, ec));
    if (ec) secure.reset();
    else ++opened;
    co_return ec;
  }

  template <class Stream>
  asio::awaitable<bool> exchange(Stream& s, http::request<http::string_body>& req, RawResponse& out) {
    error_code ec;
    beast::get_lowest_layer(s).expires_after(opt.timeout);
    co_await http::async_write(s, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.error = ec;
      co_return false;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    co_await http::async_read(s, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (parser.is_header_done()) {
      const auto& m = parser.get();
      out.status = m.result_int();
      for (const auto& f : m) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    out.body = parser.get().body();
    if (ec) {
      out.error = ec;
      co_return false;
    }
    co_return parser.get().keep_alive();
  }

  asio::awaitable<RawResponse> run(http::request<http::string_body> req) {
    RawResponse out;
    const auto t0 = std::chrono::steady_clock::now();
    if (!plain && !secure) {
      if (auto ec = co_await connect()) {
        out.error = ec;
        co_return out;
      }
    }
    bool keep = tls ? co_await exchange(*secure, req, out) : co_await exchange(*plain, req, out);
    if (!keep) {
      plain.reset();
      secure.reset();
    }
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    co_return out;
  }
};

RawClient::RawClient(std::string base_url, RawClientOptions options) : impl_(std::make_unique<Impl>()) {
  std::string_view u = base_url;
  if (u.starts_with("https://")) {
    impl_->tls = true;
    u.remove_prefix(8);
  } else if (u.starts_with("http://")) {
    u.remove_prefix(7);
  } else {
    throw std::invalid_argument("RawClient: bad URL " + base_url);
  }
  if (auto slash = u.find('/'); slash != std::string_view::npos) u = u.substr(0, slash);
  auto colon = u.rfind(':');
  impl_->host = std::string(u.substr(0, colon));
  impl_->port = colon == std::string_view::npos ? (impl_->tls ? "443" : "80") : std::string(u.substr(colon + 1));
  impl_->opt = std::move(options);
  if (impl_->tls) {
    impl_->ssl_ctx.set_verify_mode(asio::ssl::verify_peer);
    if (!impl_->opt.ca_pem.empty())
      impl_->ssl_ctx.add_certificate_authority(asio::buffer(impl_->opt.ca_pem));
  }
}

RawClient::~RawClient() = default;

RawResponse RawClient::get(std::string_view target, std::string_view token) {
  std::vector<std::pair<std::string, std::string>> h;
  if (!token.empty()) h.emplace_back("Authorization", "bearer " + std::string(token));
  return request("GET", target, std::move(h));
}

RawResponse RawClient::request(std::string_view method, std::string_view target,
                               std::vector<std::pair<std::string, std::string>> headers,
                               std::string body) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, impl_->host + ":" + impl_->port);
  req.set(http::field::user_agent, "emulator-test");
  for (auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method != "GET") {
    req.body() = std::move(body);
    req.prepare_payload();
  }
  auto fut = asio::co_spawn(impl_->ioc, impl_->run(std::move(req)), asio::use_future);
  impl_->ioc.restart();
  impl_->ioc.run();
  return fut.get();
}

std::size_t RawClient::connections_opened() const { return impl_->opened; }

void RawClient::set_timeout(std::chrono::milliseconds t) { impl_->opt.timeout = t; }

}  // namespace emutest
