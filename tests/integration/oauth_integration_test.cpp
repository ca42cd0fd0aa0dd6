// OAuth 2.0 end to end against the emulator: code flow, refresh before expiry and after a 401,
// rotation persisted, refreshes racing, a process killed mid-refresh, and `wrike login`.
#include "harness.hpp"
#include "../emulator/raw_client.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>

namespace asio = boost::asio;
namespace oauth = wrike_cascade::oauth;
using namespace std::chrono_literals;
using namespace wrike_cascade::testing;
using emu::FaultRule;

namespace {

constexpr const char* kRedirect = "http://127.0.0.1:1/cb";  // never contacted in these tests

struct OAuthFixture : EmulatorFixture {
  OAuthFixture() : EmulatorFixture(options()) {}
  static emu::WrikeEmulatorOptions options() {
    auto o = small_options();
    o.oauth.clients = {{"app-1", "secret-1", {kRedirect}}};
    return o;
  }
  oauth::Config oauth_config() const {
    auto c = wrike::oauth_config(emulator.oauth_url(), "app-1", "secret-1", kRedirect);
    c.ca_file = ca_file;
    return c;
  }
  // Runs the browser's part: GET the authorize URL, return the redirect's Location.
  std::string authorize(const std::string& url) {
    emutest::RawClient raw(emulator.https_url(), {.ca_pem = emulator.ca_cert_pem()});
    auto target = url.substr(emulator.https_url().size());
    auto r = raw.get(target);
    EXPECT_EQ(r.status, 302) << r.body;
    return r.header("Location").value_or("");
  }
  oauth::Tokens login() {
    const auto state = oauth::generate_state();
    const auto location = authorize(oauth::authorize_url(oauth_config(), state));
    const auto code = oauth::parse_callback(location, state);
    asio::io_context io;
    auto f = asio::co_spawn(io, oauth::exchange_code(io.get_executor(), oauth_config(), code), asio::use_future);
    io.run();
    return f.get();
  }
  wrike::ClientConfig oauth_client_config(std::shared_ptr<oauth::TokenStore> store) const {
    auto c = config();
    c.token.clear();
    c.api_url = "https://wrong.invalid/api/v4";  // must be replaced by the token's host
    c.oauth = wrike::OAuthSettings{oauth_config(), std::move(store)};
    return c;
  }
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(OAuthFlow, CodeExchangeGivesTokensWhoseHostIsTheApiBase) {
  OAuthFixture fx;
  auto tokens = fx.login();
  EXPECT_FALSE(tokens.access_token.empty());
  EXPECT_FALSE(tokens.refresh_token.empty());
  EXPECT_EQ(tokens.host, "127.0.0.1:" + std::to_string(fx.emulator.server().https_port()));
  auto store = std::make_shared<oauth::MemoryTokenStore>(tokens);
  auto cfg = fx.oauth_client_config(store);
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    EXPECT_EQ(c.http().base_url(), wrike::api_url_for_host(tokens.host));
    auto spaces = co_await c.get_spaces();
    EXPECT_EQ(spaces.size(), 2u);
  });
}

TEST(OAuthFlow, DeniedAccessAndAWrongStateAreRefused) {
  OAuthFixture fx;
  const auto state = oauth::generate_state();
  const auto good = fx.authorize(oauth::authorize_url(fx.oauth_config(), state));
  EXPECT_THROW(oauth::parse_callback(good, "some-other-state"), wrike_cascade::Error);
  fx.emulator.set_oauth_deny(true);
  const auto denied = fx.authorize(oauth::authorize_url(fx.oauth_config(), state));
  try {
    oauth::parse_callback(denied, state);
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.detail().api_error, "access_denied");
  }
}

TEST(OAuthFlow, RefreshesBeforeExpiryAndPersistsTheRotatedPair) {
  OAuthFixture fx;
  fx.emulator.set_access_token_ttl(3s);
  auto tokens = fx.login();
  const auto path = temp_file("rotate-tokens.json");
  std::filesystem::remove(path);
  auto store = std::make_shared<oauth::FileTokenStore>(path);
  store->save(tokens);
  auto cfg = fx.oauth_client_config(store);
  cfg.oauth->config.refresh_margin = 2s;  // capped at half the 3 s lifetime: 1.5 s
  std::this_thread::sleep_for(1800ms);    // now within it
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    co_await c.get_spaces();
    EXPECT_EQ(c.oauth()->refresh_count(), 1u);
  });
  auto saved = store->load();
  ASSERT_TRUE(saved);
  EXPECT_NE(saved->refresh_token, tokens.refresh_token);  // rotated, and persisted
  EXPECT_NE(saved->access_token, tokens.access_token);
  EXPECT_EQ(fx.emulator.oauth_counters().refreshes, 1u);
  EXPECT_EQ(fx.emulator.oauth_counters().refresh_reuse_attempts, 0u);
}

TEST(OAuthFlow, A401RefreshesOnceThenFailsClearly) {
  OAuthFixture fx;
  auto tokens = fx.login();
  auto store = std::make_shared<oauth::MemoryTokenStore>(tokens);
  auto cfg = fx.oauth_client_config(store);
  fx.emulator.expire_access_tokens();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    co_await c.get_spaces();  // 401 -> refresh -> retried
    EXPECT_EQ(c.oauth()->refresh_count(), 1u);
  });
  // Now the refresh itself is refused: the call fails, naming what to do.
  fx.emulator.expire_access_tokens();
  fx.emulator.server().add_fault(FaultRule::http_status(400, R"({"error":"invalid_grant","error_description":"revoked"})")
                                     .on("POST", "/oauth2/token"));
  asio::io_context io;
  wrike::Client c(io.get_executor(), cfg);
  auto f = c.async_get_spaces({}, asio::use_future);
  io.run();
  try {
    f.get();
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::unauthorized);
    EXPECT_NE(std::string(e.what()).find("log in again"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(tokens.refresh_token), std::string::npos);
  }
}

TEST(OAuthFlow, RacingRefreshesRotateOnceAcrossClientsSharingTheFile) {
  OAuthFixture fx;
  auto tokens = fx.login();
  const auto path = temp_file("race-tokens.json");
  std::filesystem::remove(path);
  oauth::FileTokenStore(path).save(tokens);
  fx.emulator.expire_access_tokens();
  fx.emulator.server().add_fault(FaultRule::latency(200ms).on("POST", "/oauth2/token").forever());
  // Two clients, each with its own store object over the same file (as two processes would
  // have), and 8 concurrent requests each: every one sees a 401 with the same expired token.
  asio::io_context io;
  std::vector<std::unique_ptr<wrike::Client>> clients;
  std::vector<std::future<std::vector<wrike::Space>>> results;
  for (int i = 0; i < 2; ++i) {
    clients.push_back(std::make_unique<wrike::Client>(
        io.get_executor(), fx.oauth_client_config(std::make_shared<oauth::FileTokenStore>(path))));
    for (int k = 0; k < 8; ++k) results.push_back(clients.back()->async_get_spaces({}, asio::use_future));
  }
  io.run();
  for (auto& r : results) EXPECT_EQ(r.get().size(), 2u);
  EXPECT_EQ(fx.emulator.oauth_counters().refreshes, 1u);
  EXPECT_EQ(fx.emulator.oauth_counters().refresh_reuse_attempts, 0u);
  EXPECT_EQ(fx.emulator.oauth_counters().invalid_grants, 0u);
}

TEST(OAuthFlow, TokenFileIsIntactWhenTheProcessDiesMidRefresh) {
  OAuthFixture fx;
  auto tokens = fx.login();
  const auto path = temp_file("killed-tokens.json");
  std::filesystem::remove(path);
  oauth::FileTokenStore(path).save(tokens);
  const std::string before = read_file(path);
  fx.emulator.expire_access_tokens();
  fx.emulator.server().add_fault(FaultRule::stall(20s).on("POST", "/oauth2/token"));
  const pid_t child = ::fork();
  if (child == 0) {
    // The child refreshes and is killed while waiting for the token endpoint.
    asio::io_context io;
    wrike::Client c(io.get_executor(), fx.oauth_client_config(std::make_shared<oauth::FileTokenStore>(path)));
    c.async_get_spaces({}, [](std::exception_ptr, auto) {});
    io.run();
    ::_exit(0);
  }
  // Wait until the child's refresh request reached the token endpoint, then kill it.
  for (int i = 0; i < 200 && fx.emulator.server().count("POST", "/oauth2/token") == 0; ++i) std::this_thread::sleep_for(25ms);
  ASSERT_EQ(fx.emulator.server().count("POST", "/oauth2/token"), 1u);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(read_file(path), before);  // untouched and whole
  for (auto& e : std::filesystem::directory_iterator(path.parent_path()))
    EXPECT_EQ(e.path().filename().string().find(".killed-tokens.json."), std::string::npos) << "temp file left";
  // The lock died with the process: this process refreshes normally now.
  fx.emulator.server().clear_faults();
  auto cfg = fx.oauth_client_config(std::make_shared<oauth::FileTokenStore>(path));
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    auto spaces = co_await c.get_spaces();
    EXPECT_EQ(spaces.size(), 2u);
  });
  EXPECT_NE(read_file(path), before);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}
