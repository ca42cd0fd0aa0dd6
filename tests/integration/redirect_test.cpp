// Redirect following in the shared transport, over real HTTP(S) against emulator servers.
#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/net/http.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

namespace asio = boost::asio;
namespace emu = wrike_cascade::emulator;
using wrike_cascade::net::HttpClient;
using wrike_cascade::net::Request;

namespace {

struct Seen {
  std::mutex m;
  std::vector<std::string> tokens;  // bearer token per request to the landing route ("" = none)
  std::vector<std::string> methods;
};

std::unique_ptr<emu::Server> landing_server(Seen& seen) {
  auto s = std::make_unique<emu::Server>();
  s->route("GET", "/landing", [&seen](const emu::Request& r) {
    std::lock_guard lock(seen.m);
    seen.tokens.push_back(r.bearer_token);
    seen.methods.push_back(r.method);
    return emu::Response::json(200, R"({"landed":true})");
  });
  s->start();
  return s;
}

wrike_cascade::net::Response get(const std::string& base, const std::string& path,
                                 std::function<bool(std::string_view)> keep = {}, int max_redirects = 5,
                                 std::optional<std::string> ca = {}) {
  asio::io_context io;
  wrike_cascade::net::ClientOptions o;
  o.base_url = base;
  o.ca_file = ca;
  o.auth = std::make_shared<wrike_cascade::net::StaticBearer>("tok-1");
  o.keep_authorization_on_redirect = std::move(keep);
  o.max_redirects = max_redirects;
  o.retry = wrike_cascade::net::RetryPolicy::none();
  HttpClient c(io.get_executor(), o);
  auto f = c.async_request(Request::get(path), asio::use_future);
  io.run();
  return f.get();
}

}  // namespace

TEST(Redirects, SameHostRelativeLocationKeepsAuthorization) {
  Seen seen;
  auto s = landing_server(seen);
  s->route("GET", "/start", [](const emu::Request&) {
    return emu::Response::text(302, "").with_header("Location", "/landing");
  });
  auto r = get(s->http_url(), "/start");
  EXPECT_EQ(r.body.at("landed").as_bool(), true);
  ASSERT_EQ(seen.tokens.size(), 1u);
  EXPECT_EQ(seen.tokens[0], "tok-1");
}

TEST(Redirects, OtherHostGetsNoAuthorizationUnlessTrusted) {
  Seen seen;
  auto landing = landing_server(seen);
  // 127.0.0.1 -> localhost: another host name, so another origin.
  const std::string other = "http://localhost:" + std::to_string(landing->http_port()) + "/landing";
  emu::Server entry;
  entry.route("GET", "/start", [other](const emu::Request&) {
    return emu::Response::text(307, "").with_header("Location", other);
  });
  entry.start();
  get(entry.http_url(), "/start");
  get(entry.http_url(), "/start", [](std::string_view host) { return host == "localhost"; });
  ASSERT_EQ(seen.tokens.size(), 2u);
  EXPECT_EQ(seen.tokens[0], "");       // default: credentials stay with the original host
  EXPECT_EQ(seen.tokens[1], "tok-1");  // the caller trusts this host
}

TEST(Redirects, HttpsToHttpIsRefused) {
  Seen seen;
  auto landing = landing_server(seen);
  const std::string plain = landing->http_url() + "/landing";
  emu::Server entry;
  entry.route("GET", "/start", [plain](const emu::Request&) {
    return emu::Response::text(302, "").with_header("Location", plain);
  });
  entry.start();
  const auto ca = std::filesystem::temp_directory_path() / ("wc-redirect-ca-" + std::to_string(::getpid()) + ".pem");
  entry.write_ca_file(ca);
  try {
    get(entry.https_url(), "/start", {}, 5, ca.string());
    FAIL() << "expected a refusal";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_NE(std::string(e.what()).find("https to plain http"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(seen.tokens.empty());
}

TEST(Redirects, LoopsStopAtTheLimitWithAClearError) {
  emu::Server s;
  s.route("GET", "/loop", [](const emu::Request&) {
    return emu::Response::text(302, "").with_header("Location", "/loop");
  });
  s.start();
  try {
    get(s.http_url(), "/loop", {}, 3);
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.detail().http_status, 302);
    EXPECT_NE(std::string(e.what()).find("more than 3 redirects"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.count("GET", "/loop"), 4u);
}
