// `wrike-cascade-sync wrike login`: the OAuth 2.0 authorization-code flow for a user.
//
// Prints the authorize URL on a line of its own (stdout), listens on the loopback redirect URI,
// checks `state`, exchanges the code and stores the tokens (mode 0600, atomically).
#include "commands.hpp"

#include <wrike/client.hpp>
#include <wrike_cascade/oauth.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <ostream>

namespace app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using cli::UsageError;
using tcp = asio::ip::tcp;

struct Redirect {
  std::string host;
  std::uint16_t port;
  std::string path;
};

Redirect parse_redirect(const std::string& uri) {
  auto u = boost::urls::parse_uri(uri);
  if (!u || u->scheme() != "http") {
    throw UsageError("--redirect-uri '" + uri + "' must be an http:// loopback URL like http://127.0.0.1:8976/callback");
  }
  Redirect r;
  r.host = std::string(u->encoded_host());
  if (r.host != "127.0.0.1" && r.host != "localhost" && r.host != "[::1]") {
    throw UsageError("--redirect-uri '" + uri + "': the host must be 127.0.0.1 or localhost (this program listens there)");
  }
  r.port = u->has_port() ? static_cast<std::uint16_t>(u->port_number()) : 80;
  r.path = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  return r;
}

asio::awaitable<void> reply(beast::tcp_stream& s, http::status st, const std::string& text) {
  http::response<http::string_body> res{st, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::connection, "close");
  res.body() = "<!doctype html><title>wrike-cascade-sync</title><p>" + text + "</p>";
  res.prepare_payload();
  co_await http::async_write(s, res, asio::as_tuple(asio::use_awaitable));
}

// Waits for the browser's redirect to `path`; answers other requests with 404.
asio::awaitable<std::string> wait_for_callback(tcp::acceptor& acceptor, const std::string& path) {
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) throw wrike_cascade::Error(wrike_cascade::errc::connection_error, "accepting the OAuth redirect: " + ec.message());
    beast::tcp_stream stream(std::move(sock));
    stream.expires_after(std::chrono::seconds(10));
    beast::flat_buffer buf;
    http::request<http::string_body> req;
    auto [rec, n] = co_await http::async_read(stream, buf, req, asio::as_tuple(asio::use_awaitable));
    if (rec) continue;
    std::string target(req.target());
    const std::string req_path = target.substr(0, target.find('?'));
    if (req.method() != http::verb::get || req_path != path) {
      co_await reply(stream, http::status::not_found, "Not found.");
      continue;
    }
    // Hand the target back; the caller answers once it knows whether it was accepted.
    co_await reply(stream, http::status::ok,
                   "wrike-cascade-sync received the authorization. You can close this window; "
                   "the terminal shows whether the login succeeded.");
    co_return target;
  }
}

}  // namespace

asio::awaitable<int> run_wrike_login(const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"token-file", "redirect-uri", "scopes", "timeout"}, "wrike login");
  const std::string redirect_uri = args.get("redirect-uri").value_or("http://127.0.0.1:8976/wrike/callback");
  const auto redirect = parse_redirect(redirect_uri);
  auto cfg = wrike::oauth_config_from_env(redirect_uri);
  if (auto scopes = args.get("scopes")) cfg.scopes = cli::split_csv(*scopes);
  int timeout_s = 300;
  if (auto t = args.get("timeout")) {
    try {
      timeout_s = std::stoi(*t);
    } catch (...) {
      throw UsageError("--timeout '" + *t + "' is not a number of seconds");
    }
  }
  const std::filesystem::path token_file =
      args.get("token-file") ? std::filesystem::path(*args.get("token-file")) : wrike::ClientConfig::default_token_file();

  auto ex = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(ex);
  const auto address = asio::ip::make_address(redirect.host == "localhost" ? "127.0.0.1" : 
                                              (redirect.host == "[::1]" ? "::1" : redirect.host));
  boost::system::error_code ec;
  acceptor.open(address.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind({address, redirect.port}, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw wrike_cascade::Error(wrike_cascade::errc::config_error,
                               "cannot listen on " + redirect.host + ":" + std::to_string(redirect.port) +
                                   " for the OAuth redirect: " + ec.message());
  }

  const auto state = wrike_cascade::oauth::generate_state();
  ctx.err << "Open this URL in a browser and approve access (waiting " << timeout_s << " s for the redirect to "
          << redirect_uri << "):\n";
  ctx.out << wrike_cascade::oauth::authorize_url(cfg, state) << std::endl;

  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(ex, std::chrono::seconds(timeout_s));
  auto which = co_await (wait_for_callback(acceptor, redirect.path) ||
                         deadline.async_wait(asio::use_awaitable));
  if (which.index() == 1) {
    throw wrike_cascade::Error(wrike_cascade::errc::timeout,
                               "no OAuth redirect arrived within " + std::to_string(timeout_s) + " s");
  }
  const std::string target = std::get<0>(which);
  const auto code = wrike_cascade::oauth::parse_callback(target, state);  // rejects a wrong state
  auto tokens = co_await wrike_cascade::oauth::exchange_code(ex, cfg, code);
  wrike_cascade::oauth::FileTokenStore store(token_file);
  store.save(tokens);
  ctx.err << "Logged in. Tokens saved to " << token_file.string();
  if (!tokens.host.empty()) ctx.err << " (account host " << tokens.host << ")";
  ctx.err << ".\n";
  co_return 0;
}

}  // namespace app
