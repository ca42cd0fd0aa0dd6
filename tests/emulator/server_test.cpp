// The generic emulator framework: routing, TLS, keep-alive, body limit, faults, request log,
// rate limit, lifecycle. Uses its own routes, no Wrike service.
#include "raw_client.hpp"

#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/emulator/tls_cert.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace std::chrono_literals;
using namespace wrike_cascade::emulator;
using emutest::RawClient;
using emutest::RawClientOptions;
namespace json = boost::json;

namespace {

json::array pairs(const ParamList& l) {
  json::array a;
  for (const auto& [k, v] : l) a.push_back(json::array{json::string(k), json::string(v)});
  return a;
}

ServerOptions quiet_options() {
  ServerOptions o;
  o.rate_limit.max_requests = 0;
  return o;
}

void add_echo(Server& s) {
  s.route("GET", "/echo/{id}", [](const Request& r) {
    json::object o{{"method", r.method},        {"path", r.path},
                   {"id", r.path_param("id")},  {"query", pairs(r.query_params)},
                   {"form", pairs(r.form_params)}, {"token", r.bearer_token},
                   {"tls", r.tls}};
    return Response::json(200, json::serialize(o));
  });
  s.route("POST", "/echo/{id}", [](const Request& r) {
    json::object o{{"id", r.path_param("id")}, {"form", pairs(r.form_params)},
                   {"bytes", r.body.size()}};
    return Response::json(200, json::serialize(o));
  });
  s.route("GET", "/echo/special", [](const Request&) { return Response::json(200, R"({"special":true})"); });
  s.route("GET", "/big", [](const Request&) {
    return Response::json(200, "{\"data\":\"" + std::string(200000, 'x') + "\"}");
  });
  s.route("GET", "/throw", [](const Request&) -> Response { throw std::runtime_error("boom"); });
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<Server>(quiet_options());
    add_echo(*server);
    server->start();
  }
  RawClient http() { return RawClient(server->http_url()); }
  std::unique_ptr<Server> server;
};

}  // namespace

TEST_F(ServerTest, UrlsAndPorts) {
  EXPECT_TRUE(server->running());
  EXPECT_NE(server->http_port(), 0);
  EXPECT_NE(server->https_port(), 0);
  EXPECT_EQ(server->http_url(), "http://127.0.0.1:" + std::to_string(server->http_port()));
  EXPECT_EQ(server->https_url(), "https://127.0.0.1:" + std::to_string(server->https_port()));
  EXPECT_NE(server->ca_cert_pem().find("BEGIN CERTIFICATE"), std::string::npos);
}

TEST_F(ServerTest, RoutingQueryAndPathParams) {
  RawClient c(server->http_url());
  auto r = c.get("/echo/a%2Cb?x=1&y=two%20words&x=3&z=a+b", "tok-1");
  ASSERT_TRUE(r.ok()) << r.error.message();
  auto o = r.json().as_object();
  EXPECT_EQ(o["id"], "a,b");
  EXPECT_EQ(o["token"], "tok-1");
  EXPECT_EQ(json::serialize(o["query"]), R"([["x","1"],["y","two words"],["x","3"],["z","a b"]])");
  EXPECT_EQ(o["tls"], false);

  // A literal segment beats a {param} one.
  EXPECT_EQ(c.get("/echo/special").body, R"({"special":true})");

  // access_token in the query is the token too.
  EXPECT_EQ(c.get("/echo/1?access_token=abc").json().as_object()["token"], "abc");
  // The scheme is case-insensitive.
  auto r2 = c.request("GET", "/echo/1", {{"Authorization", "BEARER  t2"}});
  EXPECT_EQ(r2.json().as_object()["token"], "t2");
}

TEST_F(ServerTest, FormAndJsonBodies) {
  RawClient c(server->http_url());
  auto r = c.request("POST", "/echo/9", {{"Content-Type", "application/x-www-form-urlencoded"}},
                     "title=Hello+world&fields=%5B%22a%22%5D");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::serialize(r.json().as_object()["form"]), R"([["title","Hello world"],["fields","[\"a\"]"]])");
  auto j = c.request("POST", "/echo/9", {{"Content-Type", "application/json"}},
                     R"({"title":"T","dates":{"type":"Backlog"},"n":3})");
  EXPECT_EQ(json::serialize(j.json().as_object()["form"]),
            R"([["title","T"],["dates","{\"type\":\"Backlog\"}"],["n","3"]])");
}

TEST_F(ServerTest, UnknownRouteAndMethodAre404) {
  RawClient c(server->http_url());
  auto r = c.get("/nope");
  EXPECT_EQ(r.status, 404);
  auto o = r.json().as_object();
  EXPECT_EQ(o["error"], "method_not_found");
  EXPECT_TRUE(o["errorDescription"].is_string());
  EXPECT_EQ(o.size(), 2u);
  EXPECT_EQ(c.request("DELETE", "/echo/1").status, 404);
  EXPECT_EQ(c.get("/echo/").status, 404);  // an empty {param} does not match
}

TEST_F(ServerTest, HandlerExceptionIs500) {
  RawClient c(server->http_url());
  auto r = c.get("/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json().as_object()["error"], "server_error");
}

TEST_F(ServerTest, ErrorFormatterHook) {
  server->set_error_formatter([](int status, std::string_view code, std::string_view) {
    return Response::json(status, std::string(R"({"custom":")") + std::string(code) + "\"}");
  });
  RawClient c(server->http_url());
  EXPECT_EQ(c.get("/nope").body, R"({"custom":"method_not_found"})");
}

TEST_F(ServerTest, KeepAliveReusesTheConnection) {
  RawClient c(server->http_url());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.get("/echo/" + std::to_string(i)).ok());
  EXPECT_EQ(c.connections_opened(), 1u);
  RawClient t(server->https_url(), RawClientOptions{server->ca_cert_pem(), {}, 10s});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(t.get("/echo/" + std::to_string(i)).ok());
  EXPECT_EQ(t.connections_opened(), 1u);
}

TEST_F(ServerTest, BodyLimit413) {
  RawClient c(server->http_url());
  auto r = c.request("POST", "/echo/1", {{"Content-Type", "application/octet-stream"}},
                     std::string(2 * 1024 * 1024, 'a'));
  EXPECT_EQ(r.status, 413) << r.error.message();
  EXPECT_EQ(r.json().as_object()["error"], "request_too_large");
  EXPECT_EQ(server->count_status(413), 1u);
  // Just under the limit is fine.
  auto ok = c.request("POST", "/echo/1", {{"Content-Type", "application/octet-stream"}},
                      std::string(1024 * 1024, 'a'));
  EXPECT_EQ(ok.status, 200);
}

TEST_F(ServerTest, HttpsVerifiesAgainstTheCa) {
  RawClient good(server->https_url(), RawClientOptions{server->ca_cert_pem(), {}, 10s});
  auto r = good.get("/echo/1");
  ASSERT_TRUE(r.ok()) << r.error.message();
  EXPECT_EQ(r.json().as_object()["tls"], true);

  // The certificate is for "localhost" too.
  RawClient local("https://localhost:" + std::to_string(server->https_port()),
                  RawClientOptions{server->ca_cert_pem(), {}, 10s});
  EXPECT_TRUE(local.get("/echo/1").ok());

  // No trust anchor: verification fails.
  RawClient untrusted(server->https_url());
  auto u = untrusted.get("/echo/1");
  EXPECT_TRUE(u.error);
  EXPECT_EQ(u.status, 0);

  // A name the certificate is not for.
  RawClient wrong(server->https_url(), RawClientOptions{server->ca_cert_pem(), "example.org", 10s});
  EXPECT_TRUE(wrong.get("/echo/1").error);

  // The CA file is the same PEM.
  auto path = std::filesystem::temp_directory_path() / "emulator-test-ca.pem";
  server->write_ca_file(path);
  std::ifstream f(path);
  std::string pem((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(pem, server->ca_cert_pem());
  std::filesystem::remove(path);
}

TEST(ServerCertTest, CertHostnamesOptionProvokesAMismatch) {
  ServerOptions o = quiet_options();
  o.cert_hostnames = {"wrike.example.test"};
  Server s(o);
  add_echo(s);
  s.start();
  RawClient byip(s.https_url(), RawClientOptions{s.ca_cert_pem(), {}, 10s});
  EXPECT_TRUE(byip.get("/echo/1").error);  // 127.0.0.1 is not in the certificate
  RawClient byname(s.https_url(), RawClientOptions{s.ca_cert_pem(), "wrike.example.test", 10s});
  EXPECT_TRUE(byname.get("/echo/1").ok());
}

TEST(ServerCertTest, MakeTestCertificate) {
  auto c = make_test_certificate({"localhost", "127.0.0.1", "::1"});
  EXPECT_NE(c.ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(c.key_pem.find("PRIVATE KEY"), std::string::npos);
  // leaf + CA
  std::size_t certs = 0;
  for (auto pos = c.cert_chain_pem.find("BEGIN CERTIFICATE"); pos != std::string::npos;
       pos = c.cert_chain_pem.find("BEGIN CERTIFICATE", pos + 1))
    ++certs;
  EXPECT_EQ(certs, 2u);
  EXPECT_NE(c.cert_chain_pem.find(c.ca_pem), std::string::npos);
  EXPECT_THROW(make_test_certificate({}), std::invalid_argument);
}

// ---- faults -----------------------------------------------------------------------------

TEST_F(ServerTest, FaultHttpStatusWithRetryAfterThenRecovers) {
  server->add_fault(FaultRule::http_status(503).on("GET", "/echo").repeat(2).with_retry_after(7s));
  RawClient c(server->http_url());
  for (int i = 0; i < 2; ++i) {
    auto r = c.get("/echo/1");
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.header("Retry-After"), "7");
    EXPECT_EQ(r.json().as_object()["error"], "service_unavailable");
  }
  EXPECT_EQ(c.get("/echo/1").status, 200);
  EXPECT_TRUE(server->faults().empty());
}

TEST_F(ServerTest, FaultCustomBodyAndMatching) {
  server->add_fault(FaultRule::http_status(502, "<html>bad gateway</html>").on("GET", "/big"));
  RawClient c(server->http_url());
  EXPECT_EQ(c.get("/echo/1").status, 200);  // other path: untouched
  EXPECT_EQ(c.request("POST", "/big").status, 404);  // other method: untouched (and no route)
  auto r = c.get("/big");
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.body, "<html>bad gateway</html>");
}

TEST_F(ServerTest, FaultTooManyRequestsWithAndWithoutRetryAfter) {
  server->add_fault(FaultRule::too_many_requests());
  server->add_fault(FaultRule::too_many_requests(3s));
  RawClient c(server->http_url());
  auto a = c.get("/echo/1");
  EXPECT_EQ(a.status, 429);
  EXPECT_FALSE(a.header("Retry-After"));
  EXPECT_EQ(a.json().as_object()["error"], "too_many_requests");
  auto b = c.get("/echo/1");
  EXPECT_EQ(b.status, 429);
  EXPECT_EQ(b.header("Retry-After"), "3");
  EXPECT_EQ(c.get("/echo/1").status, 200);
  EXPECT_EQ(server->count_status(429), 2u);
}

TEST_F(ServerTest, FaultResetMidBody) {
  server->add_fault(FaultRule::reset_mid_body().on(std::nullopt, "/big"));
  RawClient c(server->http_url());
  auto r = c.get("/big");
  EXPECT_TRUE(r.error) << "expected a transport error";
  EXPECT_EQ(r.status, 200);  // the header arrived
  EXPECT_LT(r.body.size(), 200000u);
  EXPECT_TRUE(c.get("/big").ok());  // a new connection works
  auto log = server->requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].fault, "reset_mid_body");
  EXPECT_EQ(log[1].fault, "");
}

TEST_F(ServerTest, FaultTruncatedBodyOverTls) {
  server->add_fault(FaultRule::truncated_body());
  RawClient c(server->https_url(), RawClientOptions{server->ca_cert_pem(), {}, 10s});
  auto r = c.get("/big");
  EXPECT_TRUE(r.error);
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(r.body.size(), 200000u);
  EXPECT_TRUE(c.get("/big").ok());
}

TEST_F(ServerTest, FaultTruncatedBodyPlain) {
  server->add_fault(FaultRule::truncated_body());
  RawClient c(server->http_url());
  auto r = c.get("/echo/1");
  EXPECT_EQ(r.error, emutest::partial_message_error());
}

TEST_F(ServerTest, FaultMalformedBody) {
  server->add_fault(FaultRule::malformed_body());
  RawClient c(server->http_url());
  auto r = c.get("/echo/1");
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.error);
  boost::system::error_code ec;
  json::parse(r.body, ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, FaultStallTimesTheClientOut) {
  server->add_fault(FaultRule::stall(3s));
  RawClient c(server->http_url(), RawClientOptions{{}, {}, 300ms});
  auto r = c.get("/echo/1");
  EXPECT_EQ(r.error, emutest::timeout_error());
  EXPECT_LT(r.elapsed, 2500ms);
  EXPECT_EQ(server->requests().at(0).status, 0);
  EXPECT_EQ(server->requests().at(0).fault, "stall");
}

TEST_F(ServerTest, FaultStallThenClose) {
  server->add_fault(FaultRule::stall(200ms));
  RawClient c(server->http_url(), RawClientOptions{{}, {}, 5s});
  auto r = c.get("/echo/1");
  EXPECT_TRUE(r.error);
  EXPECT_GE(r.elapsed, 150ms);
}

TEST_F(ServerTest, FaultLatencyAndDefaultLatency) {
  RawClient c(server->http_url());
  c.get("/echo/0");  // connect first
  server->add_fault(FaultRule::latency(250ms).on("GET", "/echo"));
  auto r = c.get("/echo/1");
  EXPECT_TRUE(r.ok());
  EXPECT_GE(r.elapsed, 240ms);
  auto fast = c.get("/echo/2");
  EXPECT_LT(fast.elapsed, 200ms);

  server->set_default_latency(120ms);
  EXPECT_EQ(server->default_latency(), 120ms);
  auto slow = c.get("/echo/3");
  EXPECT_GE(slow.elapsed, 110ms);
  server->set_default_latency(0ms);
}

TEST_F(ServerTest, FaultRemoveAndClear) {
  auto id = server->add_fault(FaultRule::http_status(500).forever());
  RawClient c(server->http_url());
  EXPECT_EQ(c.get("/echo/1").status, 500);
  EXPECT_EQ(c.get("/echo/1").status, 500);
  EXPECT_TRUE(server->remove_fault(id));
  EXPECT_FALSE(server->remove_fault(id));
  EXPECT_EQ(c.get("/echo/1").status, 200);
  server->add_fault(FaultRule::http_status(500).forever());
  server->add_fault(FaultRule::malformed_body());
  EXPECT_EQ(server->faults().size(), 2u);
  server->clear_faults();
  EXPECT_EQ(c.get("/echo/1").status, 200);
}

TEST_F(ServerTest, FaultsSetWhileRunningFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  server->add_fault(FaultRule::http_status(503).repeat(20));
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      RawClient c(server->http_url());
      for (int i = 0; i < 25; ++i) {
        auto r = c.get("/echo/1");
        if (r.status == 503) ++errors;
        else if (r.status != 200) ++errors, ++errors;  // unexpected: counts double
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 20);
  EXPECT_EQ(server->count("GET", "/echo"), 100u);
}

// ---- request log ------------------------------------------------------------------------

TEST_F(ServerTest, RequestLogRedactsTokens) {
  RawClient c(server->http_url());
  c.get("/echo/1?access_token=super-secret&x=1");
  c.get("/echo/2", "bearer-secret");
  c.get("/nope");
  auto log = server->requests();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].sequence, 1u);
  EXPECT_EQ(log[0].method, "GET");
  EXPECT_EQ(log[0].path, "/echo/1");
  EXPECT_EQ(log[0].query, "access_token=REDACTED&x=1");
  EXPECT_EQ(log[0].token_label, Server::token_label("super-secret"));
  EXPECT_EQ(log[1].token_label, Server::token_label("bearer-secret"));
  EXPECT_TRUE(log[1].token_label.starts_with("sha256:"));
  EXPECT_EQ(log[1].token_label.size(), 7u + 12u);
  EXPECT_EQ(log[2].status, 404);
  for (const auto& r : log) {
    EXPECT_EQ(r.query.find("secret"), std::string::npos);
    EXPECT_EQ(r.token_label.find("secret"), std::string::npos);
  }
  EXPECT_EQ(server->count(), 3u);
  EXPECT_EQ(server->count("GET", "/echo"), 2u);
  EXPECT_EQ(server->count("POST"), 0u);
  EXPECT_EQ(server->count_status(404), 1u);
  server->reset_log();
  EXPECT_EQ(server->count(), 0u);
  c.get("/echo/3");
  EXPECT_EQ(server->requests().at(0).sequence, 1u);
}

// ---- rate limit -------------------------------------------------------------------------

TEST(ServerRateLimitTest, PerTokenLimitWithoutRetryAfter) {
  ServerOptions o;
  o.rate_limit.max_requests = 3;
  Server s(o);
  add_echo(s);
  s.start();
  RawClient c(s.http_url());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get("/echo/1", "token-a").status, 200);
  auto r = c.get("/echo/1", "token-a");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After"));
  auto o429 = r.json().as_object();
  EXPECT_EQ(o429["error"], "too_many_requests");
  EXPECT_EQ(o429["errorDescription"], "IP or access token exceeded limit: 3 requests per minute");
  EXPECT_EQ(c.get("/echo/1", "token-b").status, 200);  // another token has its own budget
  EXPECT_EQ(s.count_status(429), 1u);
  s.reset_rate_limit();
  EXPECT_EQ(c.get("/echo/1", "token-a").status, 200);
}

TEST(ServerRateLimitTest, RollingWindowAndRetryAfterOption) {
  ServerOptions o;
  o.rate_limit = RateLimitOptions{2, 400ms, true};
  Server s(o);
  add_echo(s);
  s.start();
  RawClient c(s.http_url());
  EXPECT_EQ(c.get("/echo/1", "t").status, 200);
  EXPECT_EQ(c.get("/echo/1", "t").status, 200);
  auto r = c.get("/echo/1", "t");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "1");
  std::this_thread::sleep_for(450ms);
  EXPECT_EQ(c.get("/echo/1", "t").status, 200);

  s.set_rate_limit(RateLimitOptions{0, 60s, false});  // disabled
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.get("/echo/1", "t").status, 200);
}

// ---- lifecycle --------------------------------------------------------------------------

TEST(ServerLifecycleTest, StopWithOpenAndStalledConnectionsIsPrompt) {
  Server s(quiet_options());
  add_echo(s);
  s.start();
  RawClient idle(s.http_url());
  ASSERT_TRUE(idle.get("/echo/1").ok());  // keep-alive connection left open
  s.add_fault(FaultRule::stall(30s));
  std::thread stalled([&] {
    RawClient c(s.http_url(), RawClientOptions{{}, {}, 20s});
    auto r = c.get("/echo/1");
    EXPECT_TRUE(r.error);  // the connection goes away when the server stops
  });
  while (s.count() < 2) std::this_thread::sleep_for(5ms);
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  stalled.join();
  EXPECT_FALSE(s.running());
  EXPECT_EQ(s.http_port(), 0);
  s.stop();  // idempotent
}

TEST(ServerLifecycleTest, FixedPortsAndOneListener) {
  ServerOptions o = quiet_options();
  o.enable_https = false;
  Server a(o);
  add_echo(a);
  a.start();
  EXPECT_EQ(a.https_url(), "");
  const auto port = a.http_port();
  a.stop();
  o.http_port = port;  // reuse_address: the port can be bound again right away
  Server b(o);
  add_echo(b);
  b.start();
  EXPECT_EQ(b.http_port(), port);
  RawClient c(b.http_url());
  EXPECT_TRUE(c.get("/echo/1").ok());
}
