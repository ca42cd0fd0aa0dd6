// The emulator framework's network layer: the only translation unit of the emulator library
// that includes Asio and Beast. One io_context on its own threads; each connection is a C++20
// coroutine on its own strand; the same session code serves plain TCP and TLS streams.
#include "server_impl.hpp"

#include <wrike_cascade/emulator/tls_cert.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>
#include <thread>

namespace wrike_cascade::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Runtime {
  // Declaration order is destruction order reversed: the io_context (and with it every
  // pending session coroutine) goes before the TLS context it uses.
  asio::ssl::context ssl_ctx{asio::ssl::context::tls_server};
  asio::io_context ioc;
  std::optional<tcp::acceptor> http_acceptor;
  std::optional<tcp::acceptor> https_acceptor;
  std::vector<std::thread> threads;
};

void RuntimeDeleter::operator()(Runtime* rt) const noexcept {
  rt->ioc.stop();
  for (auto& t : rt->threads)
    if (t.joinable()) t.join();
  // Destroys the acceptors, then the io_context with every pending session (sockets close),
  // then the TLS context.
  delete rt;
}

namespace {

constexpr auto kReadBodyTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kShutdownTimeout = std::chrono::seconds(2);
constexpr auto kLingerTimeout = std::chrono::seconds(5);
constexpr std::size_t kLingerMaxBytes = 64 * 1024 * 1024;

Request to_request(const http::request<http::string_body>& m, bool tls, const std::string& remote) {
  Request r;
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  const auto q = r.target.find('?');
  r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
  if (q != std::string::npos) {
    r.query = r.target.substr(q + 1);
    r.query_params = parse_urlencoded(r.query);
  }
  for (const auto& f : m) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.body = m.body();
  r.remote_address = remote;
  r.tls = tls;
  return r;
}

// Status line + headers for a response written by hand (the broken-connection faults).
std::string raw_head(const Response& res, std::size_t content_length, const std::string& server) {
  std::string reason(http::obsolete_reason(static_cast<http::status>(res.status)));
  std::string h = "HTTP/1.1 " + std::to_string(res.status) + " " + reason + "\r\n";
  h += "Server: " + server + "\r\n";
  h += "Content-Type: " + res.content_type + "\r\n";
  for (const auto& [k, v] : res.headers) h += k + ": " + v + "\r\n";
  h += "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
  return h;
}

enum class Ending { graceful, abrupt };

template <class Stream>
asio::awaitable<error_code> write_response(Stream& stream, Response& r, unsigned version,
                                           bool keep_alive, const ServerOptions& opt) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, opt.server_header);
  res.set(http::field::content_type, r.content_type);
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  beast::get_lowest_layer(stream).expires_after(kWriteTimeout);
  error_code ec;
  co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

template <class Stream>
asio::awaitable<Ending> serve(Server::Impl& impl, Stream& stream, bool tls, std::string remote) {
  auto& tcp_layer = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto& opt = impl.options;

  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    error_code ec;

    tcp_layer.expires_after(opt.idle_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
    bool too_large = false;
    if (ec == http::error::body_limit) {
      too_large = true;  // Beast checks Content-Length against the limit with the header;
                         // the method, target and fields are parsed by then
    } else if (ec) {
      co_return ec == http::error::end_of_stream ? Ending::graceful : Ending::abrupt;
    } else {
      tcp_layer.expires_after(kReadBodyTimeout);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::body_limit)
        too_large = true;
      else if (ec)
        co_return Ending::abrupt;
    }
    tcp_layer.expires_never();

    Request req = to_request(parser.get(), tls, remote);
    Outcome out = too_large ? impl.too_large(req) : impl.dispatch(req);
    const bool keep_alive = !too_large && parser.get().keep_alive() && !out.close;

    if (out.delay.count() > 0) {
      timer.expires_after(out.delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return Ending::abrupt;
    }

    switch (out.action) {
      case Outcome::Action::stall:
        co_return Ending::abrupt;  // close without a response

      case Outcome::Action::reset_mid_body:
      case Outcome::Action::truncated_body: {
        std::string body = std::move(out.response.body);
        if (body.size() < 2) body = R"({"kind":"tasks","data":[]})";
        const std::string head = raw_head(out.response, body.size(), opt.server_header);
        const std::string_view part(body.data(), body.size() / 2);
        tcp_layer.expires_after(kWriteTimeout);
        std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(part)};
        co_await asio::async_write(stream, bufs, asio::redirect_error(asio::use_awaitable, ec));
        auto& sock = tcp_layer.socket();
        if (out.action == Outcome::Action::reset_mid_body) {
          sock.set_option(asio::socket_base::linger(true, 0), ec);
        } else {
          sock.shutdown(tcp::socket::shutdown_both, ec);
        }
        sock.close(ec);
        co_return Ending::abrupt;
      }

      case Outcome::Action::respond: {
        if (too_large) {
          // Answer, then keep reading (and discarding) for a while so that a client still
          // sending its body gets to read the 413 instead of a connection reset.
          co_await write_response(stream, out.response, parser.get().version(), false, opt);
          tcp_layer.expires_after(kLingerTimeout);
          std::array<char, 16 * 1024> sink;
          std::size_t drained = 0;
          while (drained < kLingerMaxBytes) {
            const auto n = co_await stream.async_read_some(
                asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            drained += n;
          }
          co_return Ending::abrupt;
        }
        ec = co_await write_response(stream, out.response, parser.get().version(), keep_alive, opt);
        if (ec) co_return Ending::abrupt;
        if (!keep_alive) co_return Ending::graceful;
        break;
      }
    }
  }
}

std::string remote_of(const tcp::socket& s) {
  error_code ec;
  auto ep = s.remote_endpoint(ec);
  return ec ? std::string("unknown") : ep.address().to_string();
}

asio::awaitable<void> plain_session(Server::Impl& impl, tcp::socket sock) {
  std::string remote = remote_of(sock);
  beast::tcp_stream stream(std::move(sock));
  Ending e = co_await serve(impl, stream, false, std::move(remote));
  if (e == Ending::graceful) {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
}

asio::awaitable<void> tls_session(Server::Impl& impl, tcp::socket sock, asio::ssl::context& ctx) {
  std::string remote = remote_of(sock);
  beast::ssl_stream<beast::tcp_stream> stream(std::move(sock), ctx);
  error_code ec;
  beast::get_lowest_layer(stream).expires_after(kHandshakeTimeout);
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  Ending e = co_await serve(impl, stream, true, std::move(remote));
  if (e == Ending::graceful) {
    beast::get_lowest_layer(stream).expires_after(kShutdownTimeout);
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> accept_loop(Server::Impl& impl, Runtime& rt, tcp::acceptor& acceptor,
                                  bool tls) {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    error_code ec;
    tcp::socket sock = co_await acceptor.async_accept(
        asio::make_strand(rt.ioc), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // e.g. out of file descriptors: wait a little instead of spinning
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    sock.set_option(tcp::no_delay(true), ec);
    auto ex = sock.get_executor();
    if (tls)
      asio::co_spawn(ex, tls_session(impl, std::move(sock), rt.ssl_ctx), asio::detached);
    else
      asio::co_spawn(ex, plain_session(impl, std::move(sock)), asio::detached);
  }
}

tcp::acceptor open_acceptor(asio::io_context& ioc, const asio::ip::address& addr,
                            std::uint16_t port) {
  tcp::endpoint ep(addr, port);
  tcp::acceptor a(ioc);
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a;
}

}  // namespace

RuntimePtr start_runtime(Server::Impl& impl) {
  const auto& opt = impl.options;
  const int nthreads = std::max(1, opt.threads);
  RuntimePtr rt(new Runtime());

  const auto addr = asio::ip::make_address(opt.bind_address);
  if (opt.enable_https) {
    auto cert = make_test_certificate(opt.cert_hostnames);
    rt->ssl_ctx.set_options(asio::ssl::context::default_workarounds |
                            asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                            asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    rt->ssl_ctx.use_certificate_chain(asio::buffer(cert.cert_chain_pem));
    rt->ssl_ctx.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
    impl.ca_pem = std::move(cert.ca_pem);
    rt->https_acceptor.emplace(open_acceptor(rt->ioc, addr, opt.https_port));
    impl.https_port = rt->https_acceptor->local_endpoint().port();
  }
  if (opt.enable_http) {
    rt->http_acceptor.emplace(open_acceptor(rt->ioc, addr, opt.http_port));
    impl.http_port = rt->http_acceptor->local_endpoint().port();
  }

  if (rt->http_acceptor)
    asio::co_spawn(rt->ioc, accept_loop(impl, *rt, *rt->http_acceptor, false), asio::detached);
  if (rt->https_acceptor)
    asio::co_spawn(rt->ioc, accept_loop(impl, *rt, *rt->https_acceptor, true), asio::detached);

  for (int i = 0; i < nthreads; ++i) {
    rt->threads.emplace_back([io = &rt->ioc] {
      for (;;) {
        try {
          io->run();
          return;
        } catch (...) {
          // a session failed in a way no handler caught; keep serving the others
        }
      }
    });
  }
  return rt;
}

}  // namespace wrike_cascade::emulator
