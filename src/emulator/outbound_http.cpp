// Outbound HTTP(S) for the emulators (see outbound_http.hpp). The only other translation unit
// besides server_net.cpp that sees Asio and Beast.
#include "outbound_http.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <mutex>

namespace wrike_cascade::emulator::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::optional<std::string_view> OutboundResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

namespace {

struct Url {
  bool tls = false;
  std::string host, port, target;
};

std::optional<Url> parse_url(std::string_view u) {
  Url out;
  if (u.starts_with("https://")) {
    out.tls = true;
    u.remove_prefix(8);
  } else if (u.starts_with("http://")) {
    u.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  const auto slash = u.find_first_of("/?#");
  std::string_view authority = u.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(u.substr(slash));
  if (auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  if (out.target.empty() || out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no userinfo
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (authority.starts_with(":")) out.port = std::string(authority.substr(1));
    else if (!authority.empty()) return std::nullopt;
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return std::nullopt;
  if (out.port.empty()) out.port = out.tls ? "443" : "80";
  return out;
}

}  // namespace

struct OutboundHttp::Impl {
  OutboundOptions opt;
  asio::io_context ioc;
  asio::ssl::context ssl{asio::ssl::context::tls_client};
  std::atomic<bool> cancelled{false};
  // The connection in use (touched only on the io_context's thread).
  beast::tcp_stream* current = nullptr;

  explicit Impl(OutboundOptions o) : opt(std::move(o)) {
    ssl.set_verify_mode(asio::ssl::verify_peer);
    error_code ec;
    ssl.set_default_verify_paths(ec);  // a missing system store is not fatal
    if (!opt.ca_pem.empty()) ssl.add_certificate_authority(asio::buffer(opt.ca_pem));
  }

  template <class Stream>
  asio::awaitable<void> exchange(Stream& s, http::request<http::string_body>& req, OutboundResult& out) {
    error_code ec;
    co_await http::async_write(s, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.error = "write: " + ec.message();
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(opt.max_response_bytes);
    co_await http::async_read(s, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (parser.is_header_done()) {
      const auto& m = parser.get();
      out.status = m.result_int();
      for (const auto& f : m) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      out.body = m.body();
    }
    if (ec && ec != http::error::body_limit) {
      out.status = 0;
      out.error = "read: " + ec.message();
    }
  }

  asio::awaitable<OutboundResult> run(Url url, http::request<http::string_body> req) {
    OutboundResult out;
    error_code ec;
    tcp::resolver resolver(ioc);
    auto results = co_await resolver.async_resolve(url.host, url.port, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.error = "resolve " + url.host + ": " + ec.message();
      co_return out;
    }
    if (!url.tls) {
      beast::tcp_stream stream(ioc);
      current = &stream;
      stream.expires_after(opt.timeout);
      co_await stream.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) out.error = "connect: " + ec.message();
      else co_await exchange(stream, req, out);
      current = nullptr;
      stream.socket().close(ec);
      co_return out;
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ssl);
    current = &beast::get_lowest_layer(stream);
    error_code not_ip;
    asio::ip::make_address(url.host, not_ip);
    if (not_ip) SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    beast::get_lowest_layer(stream).expires_after(opt.timeout);
    co_await beast::get_lowest_layer(stream).async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.error = "connect: " + ec.message();
    } else {
      co_await stream.async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) out.error = "TLS handshake: " + ec.message();
      else co_await exchange(stream, req, out);
    }
    current = nullptr;
    beast::get_lowest_layer(stream).socket().close(ec);
    co_return out;
  }
};

OutboundHttp::OutboundHttp(OutboundOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
OutboundHttp::~OutboundHttp() = default;

OutboundResult OutboundHttp::post(std::string_view url_text, const ParamList& headers, std::string body,
                                  std::string_view content_type) {
  const auto t0 = std::chrono::steady_clock::now();
  OutboundResult out;
  auto url = parse_url(url_text);
  if (!url) {
    out.error = "not an http(s) URL";
    return out;
  }
  if (impl_->cancelled) {
    out.error = "cancelled";
    return out;
  }
  http::request<http::string_body> req{http::verb::post, url->target, 11};
  const bool v6 = url->host.find(':') != std::string::npos;
  const bool default_port = url->port == (url->tls ? "443" : "80");
  req.set(http::field::host, (v6 ? "[" + url->host + "]" : url->host) + (default_port ? "" : ":" + url->port));
  req.set(http::field::user_agent, impl_->opt.user_agent);
  req.set(http::field::content_type, content_type);
  req.set(http::field::connection, "close");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  try {
    auto fut = asio::co_spawn(impl_->ioc, impl_->run(*url, std::move(req)), asio::use_future);
    impl_->ioc.restart();
    impl_->ioc.run();
    out = fut.get();
  } catch (const std::exception& e) {
    out = OutboundResult{};
    out.error = e.what();
  }
  if (impl_->cancelled && out.status == 0 && out.error.empty()) out.error = "cancelled";
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  return out;
}

void OutboundHttp::cancel() {
  impl_->cancelled = true;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    if (impl->current) impl->current->cancel();
  });
}

}  // namespace wrike_cascade::emulator::detail
