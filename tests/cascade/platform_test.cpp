// New-platform models (lenient, unknowns kept), hosts the token may follow, OAuth endpoints,
// configuration from the environment (both clients), Cascade error bodies.
#include <cascade/classic_client.hpp>
#include <cascade/platform_client.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace json = boost::json;
namespace platform = cascade::platform;
namespace classic = cascade::classic;

template <class F>
std::string error_of(F&& f, wrike_cascade::errc expected) {
  try {
    f();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), expected) << e.what();
    return e.detail().context;
  }
  ADD_FAILURE() << "no error";
  return {};
}

// ---- models -------------------------------------------------------------------------------

TEST(PlatformDecode, ListsShapedLikeTheSpec) {
  const auto ws = platform::decode_listing<platform::Workspace>(
      json::parse(R"({"workspaces": [{"id": "wsp_1", "displayName": "Acme"}, {"id": 42, "displayName": "Numeric"}]})"));
  ASSERT_EQ(ws.items.size(), 2u);
  EXPECT_EQ(ws.items[0].id, platform::WorkspaceId("wsp_1"));
  EXPECT_EQ(ws.items[0].display_name, "Acme");
  EXPECT_EQ(ws.items[1].id.str(), "42");  // an integer ID is kept as its text

  const auto plans = platform::decode_listing<platform::Plan>(json::parse(
      R"({"plans": [{"id": "pl_1", "name": "FY25", "workspaceId": "wsp_1", "owner": "usr_7",
                     "collaborators": ["usr_8", {"id": "usr_9"}], "team": "Sales", "visibility": "public"}]})"));
  ASSERT_EQ(plans.items.size(), 1u);
  const auto& p = plans.items[0];
  EXPECT_EQ(p.workspace_id, platform::WorkspaceId("wsp_1"));
  EXPECT_EQ(p.owner, "usr_7");
  ASSERT_TRUE(p.collaborators);
  EXPECT_EQ(p.collaborators->size(), 2u);
  EXPECT_EQ(p.team, "Sales");
  EXPECT_EQ(p.extra.at("visibility"), "public");

  const auto ms = platform::decode_listing<platform::Measure>(
      json::parse(R"({"measures": [{"id": "m1", "name": "ARR", "workspaceId": "wsp_1", "unit": "$"}]})"));
  EXPECT_EQ(ms.items.at(0).name, "ARR");
  EXPECT_EQ(ms.items.at(0).extra.at("unit"), "$");

  const auto as = platform::decode_listing<platform::Action>(
      json::parse(R"({"actions": {"id": "a1", "workspaceId": "wsp_1", "name": "Launch"}})"));
  EXPECT_EQ(as.items.at(0).id, platform::ActionId("a1"));

  EXPECT_TRUE(platform::decode_listing<platform::Action>(json::parse(R"({"actions": []})")).items.empty());
}

TEST(PlatformDecode, ErrorsNameThePath) {
  EXPECT_EQ(error_of([] { (void)platform::decode_listing<platform::Plan>(json::parse(R"({"plans": [{"id": "p"}, {"id": "q", "workspaceId": {}}]})")); },
                     wrike_cascade::errc::decode_error),
            "plans[1].workspaceId: expected a string, got object");
  EXPECT_EQ(error_of([] { (void)platform::decode_listing<platform::Plan>(json::parse(R"({"plans": [{"name": "x"}]})")); },
                     wrike_cascade::errc::decode_error),
            "plans[0].id: missing");
  EXPECT_EQ(error_of([] { (void)platform::decode_listing<platform::Plan>(json::parse(R"({"plans": [{"id": ""}]})")); },
                     wrike_cascade::errc::decode_error),
            "plans[0].id: empty ID");
  EXPECT_EQ(error_of([] { (void)platform::decode_listing<platform::Measure>(json::parse(R"({"message": "Forbidden"})")); },
                     wrike_cascade::errc::decode_error),
            R"(body: expected a "measure" or "measures" key; the body says: "Forbidden")");
}

TEST(PlatformDecode, RoundTripAndWriteResult) {
  const auto plans = platform::decode_listing<platform::Plan>(
      json::parse(R"({"plans": [{"id": "pl_1", "name": "FY25", "collaborators": [], "x": [1]}]})"));
  const auto v = json::value_from(plans.items[0]);
  EXPECT_EQ(json::serialize(v), R"({"id":"pl_1","name":"FY25","collaborators":[],"x":[1]})");
  EXPECT_EQ(json::value_to<platform::Plan>(v), plans.items[0]);
  EXPECT_EQ(platform::decode_write_result(json::parse(R"({"message": "Measure updated"})")).message, "Measure updated");
  EXPECT_FALSE(platform::decode_write_result(nullptr).message);
}

TEST(PlatformPaths, IdsArePercentEncodedAsOneSegment) {
  EXPECT_EQ(platform::path_segment("abc-123_~.x", "id"), "abc-123_~.x");
  EXPECT_EQ(platform::path_segment("a/b c?d", "id"), "a%2Fb%20c%3Fd");
  EXPECT_EQ(platform::path_segment("..", "id"), "%2E%2E");
  EXPECT_EQ(error_of([] { (void)platform::path_segment("", "measure ID"); }, wrike_cascade::errc::invalid_argument),
            "measure ID is empty");
}

// ---- hosts --------------------------------------------------------------------------------

struct HostCase {
  const char* host;
  bool cascade;
};

class CascadeHost : public ::testing::TestWithParam<HostCase> {};

TEST_P(CascadeHost, OnlyCascadeAppAndItsSubdomains) {
  EXPECT_EQ(cascade::is_cascade_host(GetParam().host), GetParam().cascade) << GetParam().host;
}

INSTANTIATE_TEST_SUITE_P(
    Hosts, CascadeHost,
    ::testing::Values(HostCase{"cascade.app", true}, HostCase{"go.cascade.app", true},
                      HostCase{"integrations-region-redirect.go.cascade.app", true},
                      HostCase{"integrations-eu.go.cascade.app", true}, HostCase{"Auth.GO.Cascade.APP", true},
                      HostCase{"go.cascade.app.", true}, HostCase{"evilcascade.app", false},
                      HostCase{"cascade.app.evil.com", false}, HostCase{"cascade.application", false},
                      HostCase{"notcascade.app", false}, HostCase{"cascade.apps", false},
                      HostCase{".cascade.app", false}, HostCase{"a..cascade.app", false},
                      HostCase{"-x.cascade.app", false}, HostCase{"x-.cascade.app", false},
                      HostCase{"go.cascade.app:443", false}, HostCase{"go.cascade.app/x", false},
                      HostCase{"user@go.cascade.app", false}, HostCase{"127.0.0.1", false},
                      HostCase{"", false}, HostCase{".", false}, HostCase{"cascade.app..", false},
                      HostCase{"executestrategy.net", false}));

// ---- OAuth --------------------------------------------------------------------------------

TEST(PlatformOAuth, EndpointsFromTheSpec) {
  const auto c = platform::oauth_config("id", "secret", "http://127.0.0.1:8976/cascade/callback");
  EXPECT_EQ(c.authorize_url, "https://integrations-router.go.cascade.app/authorize");
  EXPECT_EQ(c.token_url, "https://auth.go.cascade.app/oauth/token");
  EXPECT_EQ(c.scopes, (std::vector<std::string>{"openid", "profile", "email", "offline_access"}));
  EXPECT_EQ(c.scope_separator, " ");
  const auto url = wrike_cascade::oauth::authorize_url(c, "st");
  EXPECT_TRUE(url.find("scope=openid%20profile%20email%20offline_access") != std::string::npos ||
              url.find("scope=openid+profile+email+offline_access") != std::string::npos)
      << url;

  const auto o = platform::oauth_config("id", "secret", {}, "https://127.0.0.1:9000/");
  EXPECT_EQ(o.authorize_url, "https://127.0.0.1:9000/authorize");
  EXPECT_EQ(o.token_url, "https://127.0.0.1:9000/oauth/token");
}

class EnvTest : public ::testing::Test {
 protected:
  static constexpr const char* kVars[] = {"CASCADE_INSTANCE",     "CASCADE_API_URL",          "CASCADE_TOKEN",
                                          "CASCADE_CA_FILE",      "CASCADE_CLIENT_ID",        "CASCADE_CLIENT_SECRET",
                                          "CASCADE_OAUTH_URL",    "CASCADE_PLATFORM_API_URL", "XDG_CONFIG_HOME"};
  void SetUp() override {
    for (const char* v : kVars) {
      const char* old = std::getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
      unsetenv(v);
    }
    dir_ = std::filesystem::temp_directory_path() / ("cascade-env-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    for (auto& [k, v] : saved_) {
      if (v) setenv(k.c_str(), v->c_str(), 1);
      else unsetenv(k.c_str());
    }
    std::filesystem::remove_all(dir_);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
  std::filesystem::path dir_;
};

TEST_F(EnvTest, ClassicConfigFromEnv) {
  EXPECT_TRUE(error_of([] { (void)classic::ClientConfig::from_env(); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_INSTANCE is not set"));
  setenv("CASCADE_INSTANCE", "acme", 1);
  EXPECT_TRUE(error_of([] { (void)classic::ClientConfig::from_env(); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_TOKEN is not set"));
  setenv("CASCADE_TOKEN", "Bearer tok123", 1);
  auto c = classic::ClientConfig::from_env();
  EXPECT_EQ(c.api_url, "https://acme.executestrategy.net/api/v2");
  EXPECT_EQ(c.token, "tok123");  // the Power Automate style "Bearer " prefix is dropped

  setenv("CASCADE_INSTANCE", "acme.evil.com/x", 1);
  EXPECT_TRUE(error_of([] { (void)classic::ClientConfig::from_env(); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_INSTANCE='acme.evil.com/x' is not an instance name"));
  setenv("CASCADE_API_URL", "http://127.0.0.1:8080/api/v2", 1);  // wins over CASCADE_INSTANCE
  EXPECT_EQ(classic::ClientConfig::from_env().api_url, "http://127.0.0.1:8080/api/v2");
  setenv("CASCADE_API_URL", "ftp://x", 1);
  EXPECT_TRUE(error_of([] { (void)classic::ClientConfig::from_env(); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_API_URL='ftp://x' is not an http(s) URL"));
  unsetenv("CASCADE_API_URL");
  setenv("CASCADE_INSTANCE", "Acme-2", 1);
  setenv("CASCADE_CA_FILE", "/nonexistent/ca.pem", 1);
  EXPECT_EQ(error_of([] { (void)classic::ClientConfig::from_env(); }, wrike_cascade::errc::config_error),
            "CASCADE_CA_FILE='/nonexistent/ca.pem' cannot be read");
  unsetenv("CASCADE_CA_FILE");
  EXPECT_EQ(classic::ClientConfig::from_env().api_url, "https://acme-2.executestrategy.net/api/v2");
}

TEST_F(EnvTest, PlatformConfigFromEnv) {
  const auto tokens = dir_ / "cascade-tokens.json";
  EXPECT_TRUE(error_of([&] { (void)platform::ClientConfig::from_env(tokens); }, wrike_cascade::errc::config_error)
                  .starts_with("no Cascade OAuth tokens: '" + tokens.string() + "' does not exist"));
  wrike_cascade::oauth::FileTokenStore store(tokens);
  wrike_cascade::oauth::Tokens t;
  t.access_token = "at";
  t.refresh_token = "rt";
  store.save(t);
  EXPECT_TRUE(error_of([&] { (void)platform::ClientConfig::from_env(tokens); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_CLIENT_ID is not set"));
  setenv("CASCADE_CLIENT_ID", "cid", 1);
  EXPECT_TRUE(error_of([&] { (void)platform::ClientConfig::from_env(tokens); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_CLIENT_SECRET is not set"));
  setenv("CASCADE_CLIENT_SECRET", "cs", 1);
  auto c = platform::ClientConfig::from_env(tokens);
  EXPECT_EQ(c.api_url, "https://integrations-region-redirect.go.cascade.app");
  ASSERT_TRUE(c.oauth);
  EXPECT_EQ(c.oauth->config.token_url, "https://auth.go.cascade.app/oauth/token");
  EXPECT_EQ(c.oauth->config.client_id, "cid");

  setenv("CASCADE_PLATFORM_API_URL", "https://127.0.0.1:7443", 1);
  setenv("CASCADE_OAUTH_URL", "https://127.0.0.1:7444", 1);
  c = platform::ClientConfig::from_env(tokens);
  EXPECT_EQ(c.api_url, "https://127.0.0.1:7443");
  EXPECT_EQ(c.oauth->config.authorize_url, "https://127.0.0.1:7444/authorize");
  setenv("CASCADE_OAUTH_URL", "not a url", 1);
  EXPECT_TRUE(error_of([&] { (void)platform::ClientConfig::from_env(tokens); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_OAUTH_URL='not a url' is not an http(s) URL"));
  unsetenv("CASCADE_OAUTH_URL");
  setenv("CASCADE_PLATFORM_API_URL", "mailto:x@y", 1);
  EXPECT_TRUE(error_of([&] { (void)platform::ClientConfig::from_env(tokens); }, wrike_cascade::errc::config_error)
                  .starts_with("CASCADE_PLATFORM_API_URL="));

  // The default token file lives under $XDG_CONFIG_HOME/wrike-cascade.
  setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
  EXPECT_EQ(platform::ClientConfig::default_token_file(), dir_ / "wrike-cascade" / "cascade-tokens.json");
}

// ---- error bodies -------------------------------------------------------------------------

TEST(CascadeErrors, ErrorBodiesIntoDetail) {
  wrike_cascade::ErrorDetail d;
  cascade::decode_error_body(json::parse(R"({"message": "Goal not found", "code": 404, "status": "error"})"), d);
  EXPECT_EQ(d.api_description, "Goal not found");
  EXPECT_EQ(d.api_error, "error");
  wrike_cascade::ErrorDetail d2;
  cascade::decode_error_body(json::parse(R"({"message": "Invalid data", "code": 422})"), d2);
  EXPECT_EQ(d2.api_error, "422");
  wrike_cascade::ErrorDetail d3;
  cascade::decode_error_body(
      json::parse(R"({"message": "The given data was invalid.", "errors": {"weight_id": ["must be 1-4"], "action": "too long"}})"), d3);
  EXPECT_EQ(d3.api_description, "The given data was invalid. (weight_id: must be 1-4; action: too long)");
  wrike_cascade::ErrorDetail d4;
  cascade::decode_error_body(json::parse(R"({"error": "invalid_token", "error_description": "expired"})"), d4);
  EXPECT_EQ(d4.api_error, "invalid_token");
  wrike_cascade::ErrorDetail d5;
  cascade::decode_error_body(json::parse(R"("plain")"), d5);
  EXPECT_TRUE(d5.api_error.empty() && d5.api_description.empty());
}

}  // namespace
