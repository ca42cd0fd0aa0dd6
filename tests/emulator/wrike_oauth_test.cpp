// The Wrike emulator's OAuth 2.0 server (wrike-api.md §2): the authorization-code flow with
// approve/deny and redirect_uri checks, single-use codes, rotating refresh tokens with reuse
// rejection, access-token expiry, issued tokens on the API (through the token's `host`), and
// fault rules on the token endpoint.
#include "emu_test_util.hpp"

#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <gtest/gtest.h>

#include <map>
#include <thread>

using namespace std::chrono_literals;
using namespace wrike_cascade::emulator;
using emutest::enc;
using emutest::Form;
using emutest::form_body;
using emutest::RawClient;
using emutest::RawClientOptions;
using emutest::RawResponse;
using emutest::str;
namespace json = boost::json;

namespace {

constexpr const char* kRedirect = "http://127.0.0.1:8976/wrike/callback";

// Query parameters of a URL (decoded).
std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  for (const auto& [k, v] : parse_urlencoded(std::string_view(url).substr(q + 1))) out[k] = v;
  return out;
}

void expect_oauth_error(const RawResponse& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status) << r.body;
  if (r.status == 0) return;
  auto o = r.json().as_object();
  EXPECT_EQ(o["error"], json::value(code)) << r.body;
  EXPECT_TRUE(o["error_description"].is_string()) << r.body;
  EXPECT_EQ(o.size(), 2u) << r.body;
}

class WrikeOAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    WrikeEmulatorOptions o;
    o.server.rate_limit.max_requests = 0;
    o.generator.spaces = 1;
    o.generator.tasks_per_project = 2;
    o.oauth.clients.push_back(OAuthClient{"app", "s3cret", {kRedirect}});
    o.oauth.clients.push_back(OAuthClient{"open", "pw", {}});
    emu_ = new WrikeEmulator(o);
    emu_->start();
  }
  static void TearDownTestSuite() {
    delete emu_;
    emu_ = nullptr;
  }
  void SetUp() override {
    emu_->set_oauth_deny(false);
    emu_->set_access_token_ttl(3600s);
    emu_->reset_oauth_counters();
  }

  RawResponse authorize(const std::string& query) { return client_.get("/oauth2/authorize/v4?" + query); }
  RawResponse token(const Form& f) {
    return client_.request("POST", "/oauth2/token", {{"Content-Type", "application/x-www-form-urlencoded"}}, form_body(f));
  }
  // The whole code flow for "app"; returns the token response.
  json::object login(const std::string& state = "st4te") {
    auto r = authorize("client_id=app&response_type=code&redirect_uri=" + enc(kRedirect) + "&state=" + state +
                       "&scope=wsReadWrite");
    EXPECT_EQ(r.status, 302) << r.body;
    auto q = query_of(r.header("Location").value_or(""));
    auto t = token({{"grant_type", "authorization_code"},
                    {"client_id", "app"},
                    {"client_secret", "s3cret"},
                    {"code", q["code"]},
                    {"redirect_uri", kRedirect}});
    EXPECT_EQ(t.status, 200) << t.body;
    return t.status == 200 ? t.json().as_object() : json::object{};
  }
  int api_status(const std::string& access_token) { return client_.get("/api/v4/account", access_token).status; }

  static WrikeEmulator* emu_;
  RawClient client_{emu_->http_url()};
};

WrikeEmulator* WrikeOAuthTest::emu_ = nullptr;

}  // namespace

TEST_F(WrikeOAuthTest, CodeFlowAndTokensOnTheApi) {
  auto r = authorize("client_id=app&response_type=code&redirect_uri=" + enc(kRedirect) + "&state=" + enc("a b/c") +
                     "&scope=wsReadWrite,amReadOnlyWorkflow");
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = r.header("Location").value_or("");
  EXPECT_TRUE(location.starts_with(std::string(kRedirect) + "?")) << location;
  auto q = query_of(location);
  EXPECT_EQ(q["state"], "a b/c");  // echoed
  ASSERT_FALSE(q["code"].empty());
  EXPECT_EQ(q.size(), 2u);

  auto t = token({{"grant_type", "authorization_code"},
                  {"client_id", "app"},
                  {"client_secret", "s3cret"},
                  {"code", q["code"]},
                  {"redirect_uri", kRedirect}});
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.header("Cache-Control").value_or(""), "no-store");
  auto o = t.json().as_object();
  EXPECT_EQ(o.size(), 5u) << t.body;
  EXPECT_EQ(o["token_type"], "bearer");
  EXPECT_EQ(o["expires_in"], 3600);
  const std::string https = emu_->https_url();
  EXPECT_EQ(o["host"], json::value(https.substr(std::string("https://").size())));
  const std::string access = str(o["access_token"]);
  EXPECT_NE(access, str(o["refresh_token"]));

  // the issued token works on the API, over HTTPS at https://{host}/api/v4
  RawClient tls("https://" + str(o["host"]), RawClientOptions{emu_->ca_cert_pem(), {}, 10s});
  EXPECT_EQ(tls.get("/api/v4/account", access).status, 200);
  EXPECT_EQ(api_status(access), 200);
  EXPECT_EQ(api_status(access + "x"), 401);

  // codes are single-use
  expect_oauth_error(token({{"grant_type", "authorization_code"},
                            {"client_id", "app"},
                            {"client_secret", "s3cret"},
                            {"code", q["code"]},
                            {"redirect_uri", kRedirect}}),
                     400, "invalid_grant");
  auto c = emu_->oauth_counters();
  EXPECT_EQ(c.authorizations, 1u);
  EXPECT_EQ(c.code_exchanges, 1u);
  EXPECT_EQ(c.tokens_issued, 1u);
  EXPECT_EQ(c.invalid_grants, 1u);

  // the registered redirect URI is used when none is given; then none is needed at the token
  r = authorize("client_id=app&response_type=code");
  ASSERT_EQ(r.status, 302);
  q = query_of(r.header("Location").value_or(""));
  EXPECT_FALSE(q.contains("state"));
  EXPECT_EQ(token({{"grant_type", "authorization_code"}, {"client_id", "app"}, {"client_secret", "s3cret"}, {"code", q["code"]}})
                .status,
            200);
  // a client without registered URIs takes any http(s) one; client auth by HTTP Basic works
  r = authorize("client_id=open&response_type=code&redirect_uri=" + enc("https://example.com/cb?x=1"));
  ASSERT_EQ(r.status, 302);
  const std::string loc = r.header("Location").value_or("");
  EXPECT_TRUE(loc.starts_with("https://example.com/cb?x=1&code=")) << loc;
  auto b = client_.request("POST", "/oauth2/token",
                           {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", "Basic b3Blbjpwdw=="}},
                           form_body({{"grant_type", "authorization_code"},
                                      {"code", query_of(loc)["code"]},
                                      {"redirect_uri", "https://example.com/cb?x=1"}}));
  EXPECT_EQ(b.status, 200) << b.body;
}

TEST_F(WrikeOAuthTest, AuthorizeDenyAndBadRequests) {
  // unknown or missing client: an error page, never a redirect
  auto r = authorize("client_id=nobody&response_type=code&redirect_uri=" + enc(kRedirect));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("Location"));
  EXPECT_TRUE(r.header("Content-Type").value_or("").starts_with("text/html"));
  EXPECT_EQ(authorize("response_type=code").status, 400);
  // a redirect_uri that is not the registered one
  r = authorize("client_id=app&response_type=code&redirect_uri=" + enc("http://127.0.0.1:8976/other"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("Location"));
  EXPECT_NE(r.body.find("redirect_uri"), std::string::npos);
  // a client without registered URIs needs one
  EXPECT_EQ(authorize("client_id=open&response_type=code").status, 400);
  // response_type other than code: an error back at the app
  r = authorize("client_id=app&response_type=token&state=s1");
  EXPECT_EQ(r.status, 302);
  auto q = query_of(r.header("Location").value_or(""));
  EXPECT_EQ(q["error"], "unsupported_response_type");
  EXPECT_EQ(q["state"], "s1");

  // the user denies
  emu_->set_oauth_deny(true);
  r = authorize("client_id=app&response_type=code&redirect_uri=" + enc(kRedirect) + "&state=zz");
  ASSERT_EQ(r.status, 302);
  q = query_of(r.header("Location").value_or(""));
  EXPECT_EQ(q["error"], "access_denied");
  EXPECT_EQ(q["state"], "zz");
  EXPECT_FALSE(q.contains("code"));
  EXPECT_EQ(emu_->oauth_counters().denials, 1u);
}

TEST_F(WrikeOAuthTest, TokenEndpointErrors) {
  auto r = authorize("client_id=app&response_type=code&redirect_uri=" + enc(kRedirect));
  const std::string code = query_of(r.header("Location").value_or(""))["code"];
  const Form good{{"grant_type", "authorization_code"}, {"client_id", "app"}, {"client_secret", "s3cret"}, {"code", code},
                  {"redirect_uri", kRedirect}};
  auto without = [&](std::string_view name) {
    Form f;
    for (const auto& p : good)
      if (p.first != name) f.push_back(p);
    return f;
  };
  auto with = [&](std::string_view name, std::string value) {
    Form f = without(name);
    f.emplace_back(std::string(name), std::move(value));
    return f;
  };
  expect_oauth_error(token(with("client_secret", "wrong")), 401, "invalid_client");
  expect_oauth_error(token(with("client_id", "nobody")), 401, "invalid_client");
  expect_oauth_error(token(without("grant_type")), 400, "invalid_request");
  expect_oauth_error(token(with("grant_type", "password")), 400, "unsupported_grant_type");
  expect_oauth_error(token(without("code")), 400, "invalid_request");
  expect_oauth_error(token(with("code", "nope")), 400, "invalid_grant");
  expect_oauth_error(token(without("redirect_uri")), 400, "invalid_grant");  // it was used at authorize
  expect_oauth_error(token(with("redirect_uri", "http://127.0.0.1:8976/other")), 400, "invalid_grant");
  // a code issued to another client
  r = authorize("client_id=open&response_type=code&redirect_uri=" + enc(kRedirect));
  const std::string other = query_of(r.header("Location").value_or(""))["code"];
  expect_oauth_error(token(with("code", other)), 400, "invalid_grant");
  // the mistakes above did not consume the code
  EXPECT_EQ(token(good).status, 200);
  EXPECT_EQ(emu_->oauth_counters().invalid_clients, 2u);

  // codes expire
  WrikeEmulatorOptions o;
  o.generator.spaces = 0;
  o.oauth.clients.push_back(OAuthClient{"app", "s3cret", {kRedirect}});
  o.oauth.code_ttl = 0s;
  WrikeEmulator short_lived(o);
  short_lived.start();
  RawClient c(short_lived.http_url());
  r = c.get("/oauth2/authorize/v4?client_id=app&response_type=code");
  expect_oauth_error(c.request("POST", "/oauth2/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                               form_body({{"grant_type", "authorization_code"},
                                          {"client_id", "app"},
                                          {"client_secret", "s3cret"},
                                          {"code", query_of(r.header("Location").value_or(""))["code"]}})),
                     400, "invalid_grant");
}

TEST_F(WrikeOAuthTest, RefreshTokensRotate) {
  auto first = login();
  const std::string r1 = str(first["refresh_token"]);
  auto refresh = [&](const std::string& rt) {
    return token({{"grant_type", "refresh_token"}, {"client_id", "app"}, {"client_secret", "s3cret"}, {"refresh_token", rt}});
  };
  auto second = refresh(r1);
  ASSERT_EQ(second.status, 200) << second.body;
  auto o2 = second.json().as_object();
  const std::string r2 = str(o2["refresh_token"]);
  EXPECT_NE(r2, r1);
  EXPECT_NE(o2["access_token"], first["access_token"]);
  EXPECT_EQ(api_status(str(o2["access_token"])), 200);

  // the old refresh token is spent
  expect_oauth_error(refresh(r1), 400, "invalid_grant");
  expect_oauth_error(refresh(r1), 400, "invalid_grant");
  // the new one works once
  auto third = refresh(r2);
  EXPECT_EQ(third.status, 200);
  expect_oauth_error(refresh(r2), 400, "invalid_grant");
  expect_oauth_error(refresh("never-issued"), 400, "invalid_grant");
  expect_oauth_error(token({{"grant_type", "refresh_token"}, {"client_id", "open"}, {"client_secret", "pw"},
                            {"refresh_token", str(third.json().at("refresh_token"))}}),
                     400, "invalid_grant");  // another client's token
  expect_oauth_error(token({{"grant_type", "refresh_token"}, {"client_id", "app"}, {"client_secret", "s3cret"}}), 400,
                     "invalid_request");

  auto c = emu_->oauth_counters();
  EXPECT_EQ(c.refreshes, 2u);
  EXPECT_EQ(c.tokens_issued, 3u);
  EXPECT_EQ(c.refresh_reuse_attempts, 3u);
}

TEST_F(WrikeOAuthTest, AccessTokensExpire) {
  emu_->set_access_token_ttl(1s);
  auto t = login();
  EXPECT_EQ(t["expires_in"], 1);
  const std::string access = str(t["access_token"]);
  EXPECT_EQ(api_status(access), 200);
  std::this_thread::sleep_for(1100ms);
  auto r = client_.get("/api/v4/account", access);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error"), "not_authorized");
  EXPECT_GE(emu_->oauth_counters().expired_token_rejections, 1u);
  // a refresh gives a working token again
  emu_->set_access_token_ttl(3600s);
  auto fresh = token({{"grant_type", "refresh_token"},
                      {"client_id", "app"},
                      {"client_secret", "s3cret"},
                      {"refresh_token", str(t["refresh_token"])}});
  ASSERT_EQ(fresh.status, 200);
  const std::string access2 = str(fresh.json().at("access_token"));
  EXPECT_EQ(api_status(access2), 200);
  // expire_access_tokens() for tests that cannot wait
  emu_->expire_access_tokens();
  EXPECT_EQ(api_status(access2), 401);
  // configured tokens never expire
  EXPECT_EQ(api_status("emulator-token"), 200);
}

TEST_F(WrikeOAuthTest, FaultsApplyToTheTokenEndpoint) {
  auto id = emu_->server().add_fault(FaultRule::http_status(503).on("POST", "/oauth2/token"));
  auto r = token({{"grant_type", "refresh_token"}, {"client_id", "app"}, {"client_secret", "s3cret"}, {"refresh_token", "x"}});
  EXPECT_EQ(r.status, 503);
  emu_->server().remove_fault(id);
  emu_->server().add_fault(FaultRule::stall(300ms).on("POST", "/oauth2/token"));
  RawClient quick(emu_->http_url(), RawClientOptions{{}, {}, 100ms});
  r = quick.request("POST", "/oauth2/token", {{"Content-Type", "application/x-www-form-urlencoded"}}, "grant_type=refresh_token");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, emutest::timeout_error());
  EXPECT_EQ(emu_->server().count("POST", "/oauth2/token") >= 2, true);
}
