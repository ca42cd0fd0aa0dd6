// The webhook receiver over real loopback HTTP and HTTPS, driven by a raw Beast client.
#include "webhook_events_sample.hpp"
#include "webhook_test_util.hpp"
#include "wrike/fixture_util.hpp"

#include <wrike/webhook_receiver.hpp>

#include <boost/asio/ssl.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

using namespace webhook_test;
using wrike::WebhookEventType;

const std::string kVerificationBody = R"({"requestType": "WebHook secret verification"})";

std::string one_event(std::string_view type = "TaskCreated", std::string_view task = "MAAAAAEOud3s",
                      std::string_view date = "2026-08-11T23:35:42Z") {
  return R"([{"taskId":")" + std::string(task) + R"(","webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP",)"
         R"("eventType":")" + std::string(type) + R"(","lastUpdatedDate":")" + std::string(date) + R"("}])";
}

// ---- configuration ------------------------------------------------------------------------------

TEST(WebhookReceiver, RefusesToStartWithoutASecret) {
  boost::asio::io_context io;
  wrike::WebhookReceiver r(io.get_executor(), wrike::WebhookReceiverOptions{});
  try {
    r.start();
    FAIL() << "started without a secret";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::config_error);
  }
  EXPECT_EQ(r.port(), 0);
}

TEST(WebhookReceiver, UnsignedOnlyWhenExplicitlyAllowed) {
  wrike::WebhookReceiverOptions opts;
  opts.allow_unsigned = true;
  Harness h(opts);
  Client c(h.port());
  const auto r = c.post(kPath, one_event());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(h.wait_events(1).size(), 1u);
  // No secret: a handshake cannot be answered.
  const auto v = c.post(kPath, kVerificationBody, {{"X-Hook-Secret", "challenge"}});
  EXPECT_EQ(v.status, 400);
  EXPECT_FALSE(v.header("X-Hook-Secret"));
}

TEST(WebhookReceiver, PortAndUrl) {
  Harness h;
  EXPECT_NE(h.port(), 0);
  EXPECT_EQ(h.receiver().url(), "http://127.0.0.1:" + std::to_string(h.port()) + "/wrike/webhook");
  EXPECT_FALSE(h.receiver().tls());
}

TEST(WebhookReceiver, BadTlsFilesAreAConfigError) {
  boost::asio::io_context io;
  wrike::WebhookReceiverOptions opts;
  opts.secret = "x";
  opts.tls_certificate_chain_file = "/nonexistent/cert.pem";
  opts.tls_private_key_file = "/nonexistent/key.pem";
  wrike::WebhookReceiver r(io.get_executor(), opts);
  try {
    r.start();
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::config_error);
  }
}

// ---- handshake ----------------------------------------------------------------------------------

TEST(WebhookReceiver, HandshakeAnswersTheHmacOfTheChallenge) {
  wrike::WebhookReceiverOptions opts;
  opts.secret = "Jefe";
  Harness h(opts);
  Client c(h.port());
  // The body's signature is required; the challenge comes in X-Hook-Secret.
  const auto r = c.post(kPath, kVerificationBody,
                        {{"X-Hook-Signature", wrike::hmac_sha256_hex("Jefe", kVerificationBody)},
                         {"X-Hook-Secret", "what do ya want for nothing?"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
  EXPECT_EQ(r.header("X-Hook-Secret"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(h.receiver().stats().verifications_answered, 1u);
  EXPECT_EQ(h.receiver().stats().deliveries_accepted, 0u);
  EXPECT_EQ(h.handler_calls(), 0);

  // A random-looking challenge is answered with its HMAC, not echoed (wrike-api.md §8 pitfall 7).
  const auto r2 = c.post(kPath, kVerificationBody,
                         {{"X-Hook-Signature", wrike::hmac_sha256_hex("Jefe", kVerificationBody)},
                          {"X-Hook-Secret", "3f6b1c0e9a7d4e2b"}});
  ASSERT_EQ(r2.status, 200);
  EXPECT_EQ(r2.header("X-Hook-Secret"), wrike::hmac_sha256_hex("Jefe", "3f6b1c0e9a7d4e2b"));
  EXPECT_NE(r2.header("X-Hook-Secret"), "3f6b1c0e9a7d4e2b");
}

TEST(WebhookReceiver, HandshakeIsToldApartByTheBodyNotTheHeader) {
  Harness h;
  Client c(h.port());
  // A delivery that also carries X-Hook-Secret is still a delivery.
  const std::string body = one_event();
  auto headers = signed_headers(body);
  headers.emplace_back("X-Hook-Secret", "abc");
  const auto r = c.post(kPath, body, headers);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.header("X-Hook-Secret"));
  EXPECT_EQ(h.wait_events(1).size(), 1u);
  // A verification body without the header is refused.
  const auto v = c.post(kPath, kVerificationBody, signed_headers(kVerificationBody));
  EXPECT_EQ(v.status, 400);
  EXPECT_EQ(h.receiver().stats().verifications_answered, 0u);
}

TEST(WebhookReceiver, HandshakeNeedsAValidSignatureAndASafeChallenge) {
  Harness h;
  Client c(h.port());
  // Unsigned or forged: 401, no HMAC handed out.
  auto r = c.post(kPath, kVerificationBody, {{"X-Hook-Secret", "abc"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.header("X-Hook-Secret"));
  r = c.post(kPath, kVerificationBody,
             {{"X-Hook-Secret", "abc"}, {"X-Hook-Signature", wrike::hmac_sha256_hex("guess", kVerificationBody)}});
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(r.header("X-Hook-Secret"));
  // A challenge that could be a delivery body would make the answer a valid signature for it.
  const std::string forged = one_event();
  auto headers = signed_headers(kVerificationBody);
  headers.emplace_back("X-Hook-Secret", forged);
  r = c.post(kPath, kVerificationBody, headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("X-Hook-Secret"));
  EXPECT_EQ(h.receiver().stats().verifications_refused, 1u);
  EXPECT_EQ(h.receiver().stats().verifications_answered, 0u);
}

TEST(WebhookReceiver, HandshakesCanBeSwitchedOff) {
  wrike::WebhookReceiverOptions opts;
  opts.answer_verification = false;
  Harness h(opts);
  Client c(h.port());
  auto headers = signed_headers(kVerificationBody);
  headers.emplace_back("X-Hook-Secret", "abc");
  const auto r = c.post(kPath, kVerificationBody, headers);
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.header("X-Hook-Secret"));
}

// ---- deliveries ---------------------------------------------------------------------------------

TEST(WebhookReceiver, SignedDeliveryIsAcknowledgedAndHandedOnTyped) {
  Harness h;
  Client c(h.port());
  const std::string body(kAllKindsDelivery);
  const auto r = c.post(kPath, body, signed_headers(body));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.keep_alive);
  const auto events = h.wait_events(kAllKindsCount);
  ASSERT_EQ(events.size(), kAllKindsCount);
  EXPECT_EQ(events, wrike::parse_webhook_delivery(body));  // typed, in order
  EXPECT_EQ(events[0].event_type, WebhookEventType::TaskStatusChanged);
  EXPECT_EQ(events[0].custom_status_id->str(), "IEAAIKU5JMAAAAAB");
  EXPECT_EQ(h.handler_calls(), 1);
  const auto s = h.receiver().stats();
  EXPECT_EQ(s.deliveries_accepted, 1u);
  EXPECT_EQ(s.events_received, kAllKindsCount);
  EXPECT_EQ(s.events_handed_on, kAllKindsCount);
  EXPECT_EQ(s.duplicates_dropped, 0u);
}

TEST(WebhookReceiver, FixtureDeliveries) {
  const auto dir = wrike_test::fixtures_dir();
  if (!dir) GTEST_SKIP() << wrike_test::kNoFixtures;
  Harness h;
  Client c(h.port());
  const char* files[] = {"unattributed/nextflowbot__webhook_delivery_TaskCreated_array.json",
                         "unattributed/nextflowbot__webhook_delivery_TaskDeleted_array.json"};
  for (const char* f : files) {
    const std::string raw = wrike_test::read_file(*dir / f);  // exact bytes, as Wrike sent them
    const auto r = c.post(kPath, raw, signed_headers(raw));
    EXPECT_EQ(r.status, 200) << f;
  }
  const auto events = h.wait_events(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event_type, WebhookEventType::TaskCreated);
  EXPECT_EQ(events[0].task_id->str(), "MAAAAAEOud3s");
  EXPECT_EQ(events[1].event_type, WebhookEventType::TaskDeleted);
  EXPECT_EQ(events[1].task_id->str(), "MAAAAAEOCjgR");
}

TEST(WebhookReceiver, UnknownEventTypesAndFieldsAreHandedOn) {
  Harness h;
  Client c(h.port());
  const std::string body = R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskRecurrenceChanged",
      "taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:42Z","recurrence":{"rule":"weekly"}}])";
  ASSERT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  const auto events = h.wait_events(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].event_type.known());
  EXPECT_EQ(events[0].event_type.str(), "TaskRecurrenceChanged");
  EXPECT_EQ(events[0].extra.at("recurrence").at("rule").as_string(), "weekly");
}

TEST(WebhookReceiver, UppercaseSignatureIsAccepted) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  std::string sig = wrike::hmac_sha256_hex(kSecret, body);
  for (auto& ch : sig) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c.post(kPath, body, {{"X-Hook-Signature", sig}}).status, 200);
}

TEST(WebhookReceiver, ForgedSignatureIs401AndNothingIsHandedOn) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  const auto r = c.post(kPath, body, {{"X-Hook-Signature", wrike::hmac_sha256_hex("not-the-secret", body)}});
  EXPECT_EQ(r.status, 401);
  // A signature for another body does not carry over.
  const auto r2 = c.post(kPath, body, signed_headers(one_event("TaskDeleted")));
  EXPECT_EQ(r2.status, 401);
  EXPECT_EQ(c.post(kPath, body, {{"X-Hook-Signature", "zz"}}).status, 401);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(h.handler_calls(), 0);
  EXPECT_EQ(h.receiver().stats().rejected_bad_signature, 3u);
  EXPECT_EQ(h.receiver().stats().deliveries_accepted, 0u);
}

TEST(WebhookReceiver, MissingSignatureIs401) {
  Harness h;
  Client c(h.port());
  const auto r = c.post(kPath, one_event());
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.keep_alive);  // the body was read: the connection stays usable
  const std::string body = one_event();
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  EXPECT_EQ(h.wait_events(1).size(), 1u);
}

TEST(WebhookReceiver, TruncatedBodyIs401) {
  Harness h;
  Client c(h.port());
  const std::string full = one_event();
  const std::string cut = full.substr(0, full.size() - 10);
  // The signature covers the full body; fewer bytes are sent, with a matching Content-Length.
  http::request<http::string_body> req{http::verb::post, kPath, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set("X-Hook-Signature", wrike::hmac_sha256_hex(kSecret, full));
  req.body() = cut;
  const auto r = c.send(std::move(req));
  EXPECT_EQ(r.status, 401);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(h.handler_calls(), 0);
}

TEST(WebhookReceiver, ReplayedDeliveryIsAcknowledgedButHandedOnOnce) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  Client other(h.port());  // a retry on a new connection too
  EXPECT_EQ(other.post(kPath, body, signed_headers(body)).status, 200);
  // A different change to the same task in the same second is not a repeat.
  const std::string other_change = one_event("TaskDeleted");
  EXPECT_EQ(c.post(kPath, other_change, signed_headers(other_change)).status, 200);
  const auto events = h.wait_events(2);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(h.events().size(), 2u);
  EXPECT_EQ(h.handler_calls(), 2);
  const auto s = h.receiver().stats();
  EXPECT_EQ(s.deliveries_accepted, 4u);
  EXPECT_EQ(s.duplicates_dropped, 2u);
  EXPECT_EQ(s.events_handed_on, 2u);
}

TEST(WebhookReceiver, RepeatsInsideOneDeliveryAreDropped) {
  Harness h;
  Client c(h.port());
  const std::string e = one_event().substr(1, one_event().size() - 2);
  const std::string body = "[" + e + "," + e + "]";
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  EXPECT_EQ(h.wait_events(1).size(), 1u);
  EXPECT_EQ(h.receiver().stats().duplicates_dropped, 1u);
}

TEST(WebhookReceiver, DedupeWindowIsBounded) {
  wrike::WebhookReceiverOptions opts;
  opts.dedupe_window = 2;
  Harness h(opts);
  Client c(h.port());
  auto send = [&](std::string_view date) {
    const std::string body = one_event("TaskCreated", "MAAAAAEOud3s", date);
    return c.post(kPath, body, signed_headers(body)).status;
  };
  EXPECT_EQ(send("2026-08-11T00:00:01Z"), 200);
  EXPECT_EQ(send("2026-08-11T00:00:02Z"), 200);
  EXPECT_EQ(send("2026-08-11T00:00:03Z"), 200);  // evicts :01
  EXPECT_EQ(send("2026-08-11T00:00:01Z"), 200);  // no longer remembered: handed on again
  EXPECT_EQ(send("2026-08-11T00:00:03Z"), 200);  // remembered: dropped
  EXPECT_EQ(h.wait_events(4).size(), 4u);
  EXPECT_EQ(h.receiver().stats().duplicates_dropped, 1u);
}

TEST(WebhookReceiver, EmptyDeliveryIsAcknowledgedWithoutAHandlerCall) {
  Harness h;
  Client c(h.port());
  EXPECT_EQ(c.post(kPath, "[]", signed_headers("[]")).status, 200);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(h.handler_calls(), 0);
}

// ---- limits -------------------------------------------------------------------------------------

TEST(WebhookReceiver, DeclaredOversizedBodyIs413BeforeTheBodyIsRead) {
  Harness h;
  Client c(h.port());
  const std::size_t declared = 2u << 20;  // 2 MiB, over the default 1 MiB
  const std::string head = "POST /wrike/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "X-Hook-Signature: " + std::string(64, 'a') + "\r\nContent-Length: " +
                           std::to_string(declared) + "\r\n\r\n";
  ASSERT_FALSE(c.write_raw(head));
  const std::string first_part(64 << 10, '[');  // 64 KiB of the 2 MiB; the rest is never sent
  ASSERT_FALSE(c.write_raw(first_part));
  const auto start = std::chrono::steady_clock::now();
  const auto r = c.read_reply();  // arrives although 1.9 MiB of the body are still missing
  EXPECT_EQ(r.status, 413) << r.ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.server_closed());
  EXPECT_EQ(h.receiver().stats().rejected_too_large, 1u);
  EXPECT_EQ(h.receiver().stats().rejected_bad_signature, 0u);  // never got that far
}

TEST(WebhookReceiver, ChunkedOversizedBodyIs413) {
  wrike::WebhookReceiverOptions opts;
  Harness h(opts);
  Client c(h.port());
  const std::string head = "POST /wrike/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "X-Hook-Signature: " + std::string(64, 'a') + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_FALSE(c.write_raw(head));
  const std::size_t chunk = 64u << 10;
  std::string piece;
  {
    std::ostringstream size;
    size << std::hex << chunk;
    piece = size.str() + "\r\n" + std::string(chunk, ' ') + "\r\n";
  }
  std::size_t sent = 0;
  // 1 MiB + 128 KiB, without the terminating chunk: the server must stop at the bound.
  while (sent < opts.max_body_bytes + 2 * chunk) {
    if (c.write_raw(piece)) break;
    sent += chunk;
  }
  const auto r = c.read_reply();
  EXPECT_EQ(r.status, 413) << r.ec.message();
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.server_closed());
  EXPECT_EQ(h.receiver().stats().rejected_too_large, 1u);
}

TEST(WebhookReceiver, BodyAtTheLimitIsAccepted) {
  wrike::WebhookReceiverOptions opts;
  opts.max_body_bytes = 4096;
  Harness h(opts);
  Client c(h.port());
  std::string body = one_event();
  body.insert(1, std::string(4096 - body.size(), ' '));  // JSON whitespace up to exactly the limit
  ASSERT_EQ(body.size(), 4096u);
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  Client c2(h.port());
  const std::string over = " " + body;
  EXPECT_EQ(c2.post(kPath, over, signed_headers(over)).status, 413);
}

// ---- bad requests -------------------------------------------------------------------------------
TEST(WebhookReceiver, OversizedHeaderIs431AndMalformedRequestIs400) {
  Harness h;
  {
    Client c(h.port());
    ASSERT_FALSE(c.write_raw("POST /wrike/webhook HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20000, 'f') +
                             "\r\nContent-Length: 2\r\n\r\n[]"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 431);
    EXPECT_FALSE(r.keep_alive);
  }
  {
    Client c(h.port());
    ASSERT_FALSE(c.write_raw("POST /wrike/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"));
    EXPECT_EQ(c.read_reply().status, 400);
  }
  EXPECT_EQ(h.handler_calls(), 0);
}


TEST(WebhookReceiver, SignedBodiesThatAreNotEventArraysAre400) {
  Harness h;
  Client c(h.port());
  for (const std::string& body : {std::string(R"({"eventType":"TaskCreated"})"), std::string("not json"),
                                 std::string(R"(["TaskCreated"])"), std::string(R"([{"eventType":"TaskCreated"}])"),
                                 std::string("")}) {
    const auto r = c.post(kPath, body, signed_headers(body));
    EXPECT_EQ(r.status, 400) << body;
  }
  const std::string bad = R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated"}])";
  const auto r = c.post(kPath, bad, signed_headers(bad));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("delivery[0].lastUpdatedDate: missing"), std::string::npos) << r.body;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(h.handler_calls(), 0);
  EXPECT_EQ(h.receiver().stats().rejected_bad_body, 6u);
}

TEST(WebhookReceiver, OtherMethodsAre405) {
  Harness h;
  Client c(h.port());
  for (http::verb verb : {http::verb::get, http::verb::put, http::verb::delete_}) {
    http::request<http::string_body> req{verb, kPath, 11};
    req.set(http::field::host, "127.0.0.1");
    auto r = c.send(std::move(req));
    EXPECT_EQ(r.status, 405) << verb;
    EXPECT_EQ(r.header("Allow"), "POST");
    EXPECT_TRUE(r.keep_alive);  // no body was pending
  }
  EXPECT_EQ(h.receiver().stats().rejected_method, 3u);
}

TEST(WebhookReceiver, OtherPathsAre404) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  EXPECT_EQ(c.post("/", body, signed_headers(body)).status, 404);
  EXPECT_TRUE(c.server_closed());  // the body was left unread
  Client c1(h.port());
  EXPECT_EQ(c1.post("/wrike/webhook/x", body, signed_headers(body)).status, 404);
  Client c2(h.port());
  EXPECT_EQ(c2.post("/wrike/webhook?token=abc", body, signed_headers(body)).status, 200);  // query ignored
  EXPECT_EQ(h.receiver().stats().rejected_path, 2u);
}

TEST(WebhookReceiver, CustomPath) {
  wrike::WebhookReceiverOptions opts;
  opts.path = "/hooks/wrike-7d1f";
  Harness h(opts);
  Client c(h.port());
  const std::string body = one_event();
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 404);
  Client c2(h.port());
  EXPECT_EQ(c2.post("/hooks/wrike-7d1f", body, signed_headers(body)).status, 200);
  EXPECT_EQ(h.receiver().url(), "http://127.0.0.1:" + std::to_string(h.port()) + "/hooks/wrike-7d1f");
}

TEST(WebhookReceiver, SecretNeverAppearsInAnyResponse) {
  std::vector<std::string> log_lines;
  std::mutex log_mu;
  wrike::WebhookReceiverOptions opts;
  opts.log = [&](std::string_view line) {
    std::lock_guard lock(log_mu);
    log_lines.emplace_back(line);
  };
  Harness h(opts);
  std::vector<Reply> replies;
  {
    Client c(h.port());
    const std::string body = one_event();
    auto with_challenge = signed_headers(kVerificationBody);
    with_challenge.emplace_back("X-Hook-Secret", "challenge-1");
    replies.push_back(c.post(kPath, kVerificationBody, with_challenge));
    replies.push_back(c.post(kPath, body, signed_headers(body)));
    replies.push_back(c.post(kPath, body, signed_headers(body)));
    replies.push_back(c.post(kPath, body));
    replies.push_back(c.post(kPath, body, {{"X-Hook-Signature", wrike::hmac_sha256_hex("x", body)}}));
    replies.push_back(c.post(kPath, "{}", signed_headers("{}")));
    replies.push_back(c.post(kPath, kVerificationBody, {{"X-Hook-Secret", std::string(kSecret)}}));
    http::request<http::string_body> get{http::verb::get, kPath, 11};
    get.set(http::field::host, "127.0.0.1");
    replies.push_back(c.send(std::move(get)));
    replies.push_back(c.post("/elsewhere", body));
  }
  {
    Client c(h.port());
    ASSERT_FALSE(c.write_raw("POST /wrike/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"));
    replies.push_back(c.read_reply());
  }
  std::set<int> statuses;
  for (const auto& r : replies) {
    statuses.insert(r.status);
    EXPECT_EQ(r.raw.find(kSecret), std::string::npos) << r.raw;
  }
  EXPECT_EQ(statuses, (std::set<int>{200, 400, 401, 404, 405, 413}));
  std::lock_guard lock(log_mu);
  EXPECT_FALSE(log_lines.empty());
  for (const auto& line : log_lines) EXPECT_EQ(line.find(kSecret), std::string::npos) << line;
}

// ---- asynchronous handoff -----------------------------------------------------------------------

TEST(WebhookReceiver, HandoffHappensAfterTheResponse) {
  std::latch release(1);
  std::atomic<bool> handler_started{false};
  std::atomic<bool> handler_done{false};
  wrike::WebhookReceiverOptions opts;
  opts.on_events = [&](std::vector<wrike::WebhookEvent> events) {
    EXPECT_EQ(events.size(), 1u);
    handler_started = true;
    release.wait();  // blocks the receiver's only thread
    handler_done = true;
  };
  Harness h(opts, nullptr, false);
  Client c(h.port());
  const std::string body = one_event();
  const auto r = c.post(kPath, body, signed_headers(body));
  EXPECT_EQ(r.status, 200);  // the handler has not returned, yet the 200 arrived
  EXPECT_FALSE(handler_done);
  for (int i = 0; i < 200 && !handler_started; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(handler_started);
  release.count_down();
  for (int i = 0; i < 200 && !handler_done; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(handler_done);
}

TEST(WebhookReceiver, HandlerOnItsOwnExecutorAndHandlerErrorsAreCounted) {
  boost::asio::io_context app;  // the application's own context, run on another thread
  auto guard = boost::asio::make_work_guard(app);
  std::thread app_thread([&] { app.run(); });
  std::atomic<int> calls{0};
  std::thread::id handler_thread;
  wrike::WebhookReceiverOptions opts;
  opts.handler_executor = app.get_executor();
  opts.on_events = [&](std::vector<wrike::WebhookEvent>) {
    handler_thread = std::this_thread::get_id();
    if (++calls == 1) throw std::runtime_error("handler failure");
  };
  {
    Harness h(opts, nullptr, false);
    Client c(h.port());
    for (const char* date : {"2026-08-11T00:00:01Z", "2026-08-11T00:00:02Z"}) {
      const std::string body = one_event("TaskCreated", "MAAAAAEOud3s", date);
      EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
    }
    for (int i = 0; i < 200 && calls < 2; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(h.receiver().stats().handler_errors, 1u);
  }
  EXPECT_EQ(handler_thread, app_thread.get_id());
  guard.reset();
  app_thread.join();
}

// ---- connections --------------------------------------------------------------------------------

TEST(WebhookReceiver, KeepAliveServesManyDeliveriesOnOneConnection) {
  Harness h;
  Client c(h.port());
  for (int i = 0; i < 20; ++i) {
    char date[32];
    std::snprintf(date, sizeof date, "2026-08-11T00:00:%02dZ", i);
    const std::string body = one_event("TaskCreated", "MAAAAAEOud3s", date);
    ASSERT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  }
  EXPECT_EQ(h.wait_events(20).size(), 20u);
  EXPECT_EQ(h.receiver().stats().connections, 1u);
}

TEST(WebhookReceiver, ExpectContinue) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  const std::string head = "POST /wrike/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                           "X-Hook-Signature: " + wrike::hmac_sha256_hex(kSecret, body) +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_FALSE(c.write_raw(head));
  const auto cont = c.read_reply();
  EXPECT_EQ(cont.status, 100);
  ASSERT_FALSE(c.write_raw(body));
  EXPECT_EQ(c.read_reply().status, 200);
}

TEST(WebhookReceiver, SlowHeaderTimesOut) {
  wrike::WebhookReceiverOptions opts;
  opts.header_timeout = 200ms;
  Harness h(opts);
  Client c(h.port());
  ASSERT_FALSE(c.write_raw("POST /wrike/webhook HTTP/1.1\r\nHost: 127"));
  EXPECT_TRUE(c.server_closed());
}

TEST(WebhookReceiver, MaxConnectionsQueuesTheRest) {
  wrike::WebhookReceiverOptions opts;
  opts.max_connections = 1;
  Harness h(opts);
  auto first = std::make_unique<Client>(h.port());
  const std::string body = one_event();
  ASSERT_EQ(first->post(kPath, body, signed_headers(body)).status, 200);
  // The second connection is accepted by the kernel but not served while the first is open.
  Client second(h.port());
  second.timeout = 300ms;
  const std::string body2 = one_event("TaskDeleted");
  EXPECT_EQ(second.post(kPath, body2, signed_headers(body2)).status, 0);
  EXPECT_EQ(h.receiver().stats().connections, 1u);
  // ...until the first one goes away.
  first.reset();
  Client third(h.port());
  EXPECT_EQ(third.post(kPath, body2, signed_headers(body2)).status, 200);
}

TEST(WebhookReceiver, StopIsGraceful) {
  Harness h;
  Client c(h.port());
  const std::string body = one_event();
  ASSERT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  h.receiver().stop();
  EXPECT_TRUE(c.server_closed());  // the idle keep-alive connection is closed
  boost::asio::io_context io;
  tcp::socket s(io);
  boost::system::error_code ec;
  for (int i = 0; i < 50; ++i) {  // the listener closes on the receiver's strand
    s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), h.port()), ec);
    if (ec) break;
    s.close();
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(ec);
}

// ---- HTTPS --------------------------------------------------------------------------------------

TEST(WebhookReceiverTls, HandshakeAndDeliveryOverHttps) {
  const auto cert = make_self_signed_cert();
  ssl::context tls(ssl::context::tls_server);
  tls.use_certificate_chain(boost::asio::buffer(cert.cert_pem));
  tls.use_private_key(boost::asio::buffer(cert.key_pem), ssl::context::pem);
  Harness h({}, &tls);
  EXPECT_TRUE(h.receiver().tls());
  EXPECT_EQ(h.receiver().url(), "https://127.0.0.1:" + std::to_string(h.port()) + "/wrike/webhook");
  Client c(h.port(), &cert.cert_pem);
  auto headers = signed_headers(kVerificationBody);
  headers.emplace_back("X-Hook-Secret", "tls-challenge");
  const auto v = c.post(kPath, kVerificationBody, headers);
  ASSERT_EQ(v.status, 200);
  EXPECT_EQ(v.header("X-Hook-Secret"), wrike::hmac_sha256_hex(kSecret, "tls-challenge"));
  const std::string body(kAllKindsDelivery);
  EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
  EXPECT_EQ(c.post(kPath, body, {{"X-Hook-Signature", std::string(64, '0')}}).status, 401);
  EXPECT_EQ(h.wait_events(kAllKindsCount).size(), kAllKindsCount);
}

TEST(WebhookReceiverTls, PemFilesAnd413OverHttps) {
  const auto cert = make_self_signed_cert();
  const auto dir = std::filesystem::temp_directory_path() / ("wrike-webhook-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "cert.pem") << cert.cert_pem;
    std::ofstream(dir / "key.pem") << cert.key_pem;
  }
  wrike::WebhookReceiverOptions opts;
  opts.tls_certificate_chain_file = (dir / "cert.pem").string();
  opts.tls_private_key_file = (dir / "key.pem").string();
  {
    Harness h(opts);
    EXPECT_TRUE(h.receiver().tls());
    Client c(h.port(), &cert.cert_pem);
    const std::string body = one_event();
    EXPECT_EQ(c.post(kPath, body, signed_headers(body)).status, 200);
    EXPECT_EQ(h.wait_events(1).size(), 1u);
    Client big(h.port(), &cert.cert_pem);
    ASSERT_FALSE(big.write_raw("POST /wrike/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n"));
    EXPECT_EQ(big.read_reply().status, 413);
    // A plain-HTTP client on the HTTPS port gets nothing useful.
    Client plain(h.port());
    plain.timeout = 1s;
    EXPECT_EQ(plain.post(kPath, body, signed_headers(body)).status, 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
