// The shared transport through real HTTP(S) against the emulator, with injected faults.
#include "harness.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <future>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace wrike_cascade::testing;
using emu::FaultRule;
using wrike_cascade::errc;
using wrike_cascade::net::HttpClient;
using wrike_cascade::net::Request;

namespace {

wrike_cascade::net::ClientOptions options_for(const EmulatorFixture& fx, bool tls = true) {
  wrike_cascade::net::ClientOptions o;
  o.base_url = fx.emulator.api_url(tls);
  o.ca_file = fx.ca_file;
  o.auth = std::make_shared<wrike_cascade::net::StaticBearer>(fx.emulator.token());
  o.retry.initial_backoff = 10ms;
  o.retry.max_backoff = 100ms;
  return o;
}

struct Outcome {
  std::optional<wrike_cascade::net::Response> response;
  std::optional<wrike_cascade::Error> error;
  HttpClient::Stats stats;
};

Outcome send(const wrike_cascade::net::ClientOptions& o, Request req) {
  asio::io_context io;
  HttpClient client(io.get_executor(), o);
  auto fut = client.async_request(std::move(req), asio::use_future);
  io.run();
  Outcome out;
  try {
    out.response = fut.get();
  } catch (const wrike_cascade::Error& e) {
    out.error = e;
  }
  out.stats = client.stats();
  return out;
}

}  // namespace

TEST(Transport, RecoversFrom429WithRetryAfter) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::too_many_requests(1s).on("GET", "/api/v4/spaces"));
  const auto t0 = std::chrono::steady_clock::now();
  auto out = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(out.response) << out.error->what();
  EXPECT_EQ(out.response->attempts, 2);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 950ms);  // Retry-After honoured
  EXPECT_EQ(fx.emulator.server().count_status(429), 1u);
  EXPECT_EQ(out.stats.throttled, 1u);
}

TEST(Transport, RecoversFrom429WithoutRetryAfter) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::too_many_requests().on("GET", "/api/v4/spaces").repeat(2));
  auto out = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(out.response) << out.error->what();
  EXPECT_EQ(out.response->attempts, 3);
  EXPECT_EQ(fx.emulator.server().count_status(429), 2u);
}

TEST(Transport, Retries5xxThenSucceeds) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::http_status(503).on("GET", "/api/v4/spaces").repeat(2));
  fx.emulator.server().add_fault(FaultRule::http_status(500).on("GET", "/api/v4/spaces"));
  auto out = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(out.response) << out.error->what();
  EXPECT_EQ(out.response->attempts, 4);
  EXPECT_EQ(out.stats.retries, 3u);
}

TEST(Transport, GivesUpAfterMaxAttemptsWithTheLastStatus) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::http_status(502).on("GET", "/api/v4/spaces").forever());
  auto o = options_for(fx);
  o.retry.max_attempts = 3;
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::server_error);
  EXPECT_EQ(out.error->detail().attempts, 3);
  EXPECT_EQ(out.error->detail().http_status, 502);
  EXPECT_NE(std::string(out.error->what()).find("after 3 attempts"), std::string::npos);
}

TEST(Transport, PostIsNotRetried) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::http_status(503).on("POST", "/api/v4/folders").forever());
  auto out = send(options_for(fx), Request::form("POST", "/folders/X/tasks", wrike_cascade::net::Params{{"title", "t"}}));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::server_error);
  EXPECT_EQ(out.error->detail().attempts, 1);
  EXPECT_EQ(fx.emulator.server().count("POST"), 1u);
  EXPECT_NE(std::string(out.error->what()).find("not idempotent"), std::string::npos) << out.error->what();
}

TEST(Transport, WholeRequestTimeout) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::stall(3s).on("GET", "/api/v4/spaces"));
  auto o = options_for(fx);
  o.request_timeout = 300ms;
  o.retry = wrike_cascade::net::RetryPolicy::none();
  const auto t0 = std::chrono::steady_clock::now();
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2500ms);
  EXPECT_NE(std::string(out.error->what()).find("timed out"), std::string::npos);
}

TEST(Transport, TimeoutIsRetriedForIdempotentRequests) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::stall(2s).on("GET", "/api/v4/spaces"));
  auto o = options_for(fx);
  o.request_timeout = 300ms;
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.response) << out.error->what();
  EXPECT_EQ(out.response->attempts, 2);
}

TEST(Transport, WrongCaIsAClearTlsError) {
  EmulatorFixture fx;
  auto o = options_for(fx);
  o.ca_file.reset();  // only the system's CAs: the emulator's certificate is not trusted
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::tls_error);
  const std::string what = out.error->what();
  EXPECT_NE(what.find("certificate verify failed"), std::string::npos) << what;
  EXPECT_NE(what.find("127.0.0.1"), std::string::npos) << what;
  EXPECT_EQ(out.error->detail().attempts, 1);  // not retried
}

TEST(Transport, WrongHostNameIsAClearTlsError) {
  auto opts = EmulatorFixture::small_options();
  opts.server.cert_hostnames = {"wrike.example.test"};
  EmulatorFixture fx(opts);
  auto out = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::tls_error);
  const std::string what = out.error->what();
  EXPECT_NE(what.find("mismatch"), std::string::npos) << what;
}

TEST(Transport, TruncatedBodyIsAClearErrorAndRetried) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::truncated_body().on("GET", "/api/v4/spaces"));
  auto o = options_for(fx);
  o.retry = wrike_cascade::net::RetryPolicy::none();
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::invalid_response);
  EXPECT_NE(std::string(out.error->what()).find("truncated"), std::string::npos) << out.error->what();

  fx.emulator.server().add_fault(FaultRule::truncated_body().on("GET", "/api/v4/spaces"));
  auto retried = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(retried.response) << retried.error->what();
  EXPECT_EQ(retried.response->attempts, 2);
}

TEST(Transport, ConnectionResetMidBodyIsRetried) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::reset_mid_body().on("GET", "/api/v4/spaces"));
  auto o = options_for(fx);
  o.retry = wrike_cascade::net::RetryPolicy::none();
  auto out = send(o, Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_TRUE(out.error->condition() == errc::invalid_response || out.error->condition() == errc::connection_error)
      << out.error->what();

  fx.emulator.server().add_fault(FaultRule::reset_mid_body().on("GET", "/api/v4/spaces"));
  auto retried = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(retried.response) << retried.error->what();
}

TEST(Transport, MalformedBodyIsAClearError) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::malformed_body().on("GET", "/api/v4/spaces"));
  auto out = send(options_for(fx), Request::get("/spaces"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->condition(), errc::invalid_response);
  EXPECT_NE(std::string(out.error->what()).find("malformed JSON"), std::string::npos) << out.error->what();
}

TEST(Transport, CancellationStopsAStalledRequest) {
  EmulatorFixture fx;
  fx.emulator.server().add_fault(FaultRule::stall(5s).on("GET", "/api/v4/spaces"));
  asio::io_context io;
  HttpClient client(io.get_executor(), options_for(fx));
  asio::cancellation_signal signal;
  std::exception_ptr failure;
  client.async_request(Request::get("/spaces"),
                       asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, auto) { failure = e; }));
  asio::steady_timer timer(io, 200ms);
  timer.async_wait([&](auto) { signal.emit(asio::cancellation_type::terminal); });
  const auto t0 = std::chrono::steady_clock::now();
  io.run();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  ASSERT_TRUE(failure);
  try {
    std::rethrow_exception(failure);
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), errc::cancelled) << e.what();
  }
}

TEST(Transport, PlainHttpOnlyWhenTheUrlSaysSo) {
  EmulatorFixture fx;
  auto out = send(options_for(fx, false), Request::get("/spaces"));
  ASSERT_TRUE(out.response) << out.error->what();
  auto records = fx.emulator.server().requests();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].tls);
  auto secure = send(options_for(fx, true), Request::get("/spaces"));
  ASSERT_TRUE(secure.response);
  EXPECT_TRUE(fx.emulator.server().requests().back().tls);
}

TEST(Transport, KeepAliveReusesOneConnection) {
  EmulatorFixture fx;
  asio::io_context io;
  HttpClient client(io.get_executor(), options_for(fx));
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 10; ++i) co_await client.request(Request::get("/spaces"));
  }, asio::use_future);
  io.run();
  EXPECT_EQ(client.stats().requests, 10u);
  EXPECT_EQ(client.stats().connections_opened, 1u);
}

TEST(Transport, ConcurrencyIsBoundedPerHost) {
  EmulatorFixture fx;
  fx.emulator.server().set_default_latency(50ms);
  auto o = options_for(fx);
  o.max_connections_per_host = 2;
  asio::io_context io;
  HttpClient client(io.get_executor(), o);
  std::vector<std::future<wrike_cascade::net::Response>> futs;
  for (int i = 0; i < 8; ++i) futs.push_back(client.async_request(Request::get("/spaces"), asio::use_future));
  io.run();
  for (auto& f : futs) EXPECT_EQ(f.get().status, 200);
  EXPECT_LE(client.stats().connections_opened, 2u);
}

TEST(Transport, RateLimiterKeepsALongReadUnderTheServersLimit) {
  // The emulator allows 30 requests per rolling 3 s; the client limiter admits 3 + 9/s * 3 s = 30.
  EmulatorFixture fx;
  fx.emulator.server().set_rate_limit({.max_requests = 30, .window = 3s, .send_retry_after = false});
  auto o = options_for(fx);
  o.rate_limiter = std::make_shared<wrike_cascade::net::RateLimiter>(
      wrike_cascade::net::RateLimiter::Options{.requests_per_second = 9, .burst = 3});
  asio::io_context io;
  HttpClient client(io.get_executor(), o);
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 45; ++i) co_await client.request(Request::get("/spaces"));
  }, asio::use_future);
  io.run();
  EXPECT_EQ(client.stats().requests, 45u);
  EXPECT_EQ(fx.emulator.server().count_status(429), 0u);
}

TEST(Transport, NoTokenInErrorsOrLogs) {
  auto opts = EmulatorFixture::small_options();
  opts.tokens = {"TOPSECRET-abc-123"};
  EmulatorFixture fx(opts);
  std::vector<std::string> logs;
  auto o = options_for(fx);
  o.log = [&](const wrike_cascade::net::LogRecord& r) { logs.push_back(r.url + " " + r.note); };
  fx.emulator.server().add_fault(FaultRule::http_status(503).on("GET", "/api/v4/spaces").forever());
  o.retry.max_attempts = 2;
  auto a = send(o, Request::get("/spaces", wrike_cascade::net::Params{{"access_token", "TOPSECRET-abc-123"}}));
  ASSERT_TRUE(a.error);
  EXPECT_EQ(std::string(a.error->what()).find("TOPSECRET"), std::string::npos) << a.error->what();
  fx.emulator.server().clear_faults();
  o.auth = std::make_shared<wrike_cascade::net::StaticBearer>("TOPSECRET-wrong");
  auto b = send(o, Request::get("/spaces"));
  ASSERT_TRUE(b.error);
  EXPECT_EQ(std::string(b.error->what()).find("TOPSECRET"), std::string::npos) << b.error->what();
  ASSERT_FALSE(logs.empty());
  for (const auto& l : logs) EXPECT_EQ(l.find("TOPSECRET"), std::string::npos) << l;
}
