#include <wrike_cascade/error.hpp>
#include <wrike_cascade/net/http.hpp>
#include <wrike_cascade/net/rate_limiter.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

using namespace wrike_cascade;
using namespace std::chrono_literals;

TEST(Params, EncodesReservedCharactersAndJsonText) {
  net::Params p{{"fields", R"(["description","customFields"])"}, {"title", "a b&c=d"}};
  EXPECT_EQ(p.encode(),
            "fields=%5B%22description%22%2C%22customFields%22%5D&title=a%20b%26c%3Dd");
  EXPECT_EQ(net::Params{}.encode(), "");
}

TEST(RedactUrl, RemovesSecretsAndUserinfo) {
  EXPECT_EQ(redact_url("https://u:p@h.example/api?access_token=abc&x=1"),
            "https://h.example/api?access_token=REDACTED&x=1");
  EXPECT_EQ(redact_url("https://h/cb?code=xyz&state=s"), "https://h/cb?code=REDACTED&state=s");
  EXPECT_EQ(redact_url("https://h/api/v4/tasks"), "https://h/api/v4/tasks");
}

TEST(Error, MessageNamesStatusApiCodeAndAttemptsButNoToken) {
  ErrorDetail d;
  d.http_status = 400;
  d.api_error = "invalid_request";
  d.api_description = "Parameter 'x' is not allowed";
  d.method = "GET";
  d.url = redact_url("https://h/api/v4/tasks?access_token=SECRET");
  d.attempts = 3;
  Error e(make_error_code(errc::bad_request), d);
  const std::string what = e.what();
  EXPECT_NE(what.find("HTTP 400 invalid_request (Parameter 'x' is not allowed)"), std::string::npos) << what;
  EXPECT_NE(what.find("after 3 attempts"), std::string::npos) << what;
  EXPECT_EQ(what.find("SECRET"), std::string::npos) << what;
  EXPECT_EQ(e.condition(), errc::bad_request);
  EXPECT_EQ(e.code().category().name(), std::string("wrike_cascade"));
}

TEST(Error, HttpStatusMapping) {
  EXPECT_EQ(errc_from_http_status(300), errc::wrong_host);
  EXPECT_EQ(errc_from_http_status(401), errc::unauthorized);
  EXPECT_EQ(errc_from_http_status(404), errc::not_found);
  EXPECT_EQ(errc_from_http_status(422), errc::unprocessable);
  EXPECT_EQ(errc_from_http_status(429), errc::rate_limited);
  EXPECT_EQ(errc_from_http_status(503), errc::server_error);
  EXPECT_EQ(errc_from_http_status(418), errc::http_status);
}

TEST(ErrorBody, ReadsWrikeAndCommonShapes) {
  ErrorDetail d;
  net::decode_common_error_body(
      boost::json::parse(R"({"errorDescription":"Access token is unknown or invalid","error":"not_authorized"})"), d);
  EXPECT_EQ(d.api_error, "not_authorized");
  EXPECT_EQ(d.api_description, "Access token is unknown or invalid");
  ErrorDetail d2;
  net::decode_common_error_body(boost::json::parse(R"({"errors":[{"message":"name is required"},"bad"]})"), d2);
  EXPECT_EQ(d2.api_description, "name is required; bad");
  ErrorDetail d3;
  net::decode_common_error_body(boost::json::parse(R"([1,2])"), d3);
  EXPECT_TRUE(d3.api_error.empty());
}

TEST(RetryPolicy, BackoffGrowsAndIsCapped) {
  net::RetryPolicy p;
  p.initial_backoff = 100ms;
  p.max_backoff = 1s;
  p.multiplier = 2;
  EXPECT_EQ(p.backoff(2, 1.0), 100ms);
  EXPECT_EQ(p.backoff(2, 0.0), 50ms);  // half is fixed, half is jitter
  EXPECT_EQ(p.backoff(3, 1.0), 200ms);
  EXPECT_EQ(p.backoff(4, 1.0), 400ms);
  EXPECT_EQ(p.backoff(10, 1.0), 1s);
}

TEST(Request, IdempotencyFollowsTheMethodUnlessSet) {
  EXPECT_TRUE(net::Request::get("/x").is_idempotent());
  auto post = net::Request::form("POST", "/x", {});
  EXPECT_FALSE(post.is_idempotent());
  post.idempotent = true;
  EXPECT_TRUE(post.is_idempotent());
  EXPECT_EQ(post.content_type, "application/x-www-form-urlencoded");
}

TEST(RateLimiter, AdmitsTheBurstThenSpacesRequests) {
  net::RateLimiter::Options o;
  o.requests_per_second = 10;
  o.burst = 5;
  net::RateLimiter rl(o);
  int free = 0;
  for (int i = 0; i < 5; ++i) free += rl.reserve() == net::RateLimiter::clock::duration::zero();
  EXPECT_EQ(free, 5);
  // The next reservations are spaced by 1/rate: the 10th waits about 0.5 s from now.
  net::RateLimiter::clock::duration last{};
  for (int i = 0; i < 5; ++i) last = rl.reserve();
  EXPECT_GT(last, 400ms);
  EXPECT_LT(last, 600ms);
}

TEST(RateLimiter, WindowNeverExceedsWrikeLimitWithDefaults) {
  // With the defaults, count how many reservations fall inside the first 60 s: at most 400.
  net::RateLimiter rl;
  int within = 0;
  for (int i = 0; i < 1000; ++i) within += rl.reserve() < 60s;
  EXPECT_LE(within, 400);
  EXPECT_GE(within, 380);
}

TEST(RateLimiter, HalvesOnThrottleAndRecovers) {
  net::RateLimiter rl;
  const double full = rl.current_rate();
  rl.on_throttled(2s);
  EXPECT_DOUBLE_EQ(rl.current_rate(), full / 2);
  EXPECT_GE(rl.reserve(), 1900ms);  // Retry-After pauses the bucket
  for (int i = 0; i < 1000; ++i) rl.on_success();
  EXPECT_DOUBLE_EQ(rl.current_rate(), full);
}

TEST(RateLimiter, SharedPerKey) {
  auto a = net::RateLimiter::for_key("k1", {});
  auto b = net::RateLimiter::for_key("k1", {});
  auto c = net::RateLimiter::for_key("k2", {});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Credential, KeyIsStableAndHidesTheSecret) {
  EXPECT_EQ(net::credential_key("abc"), net::credential_key("abc"));
  EXPECT_NE(net::credential_key("abc"), net::credential_key("abd"));
  EXPECT_EQ(net::credential_key("abc").find("abc"), std::string::npos);
  EXPECT_EQ(net::credential_key("abc").size(), 16u);
}
