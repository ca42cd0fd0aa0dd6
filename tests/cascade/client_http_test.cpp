// The Cascade clients over real HTTP(S) against tiny in-test route sets on the emulator
// framework's Server: paging, writes (bodies checked against the spec files), no retry of
// creates, error bodies, redirects and where the Authorization header may follow them.
#include "openapi_validator.hpp"

#include <cascade/classic_client.hpp>
#include <cascade/platform_client.hpp>
#include <wrike_cascade/emulator/server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace emu = wrike_cascade::emulator;
namespace classic = cascade::classic;
namespace platform = cascade::platform;
namespace openapi = wrike_cascade::testing::openapi;
using namespace std::chrono;

template <class F>
auto run_sync(F&& make) {
  asio::io_context io;
  auto fut = asio::co_spawn(io, make(io), asio::use_future);
  io.run();
  return fut.get();
}

// Requests as the handlers saw them.
struct Seen {
  std::string method, path, query, body, token;
};
struct Recorder {
  std::mutex m;
  std::vector<Seen> seen;
  void add(const emu::Request& r) {
    std::lock_guard lock(m);
    seen.push_back({r.method, r.path, r.query, r.body, r.bearer_token});
  }
  std::vector<Seen> all() {
    std::lock_guard lock(m);
    return seen;
  }
};

int int_param(const emu::Request& r, std::string_view name, int fallback) {
  auto v = r.query_param(name);
  int n = fallback;
  if (v) std::from_chars(v->data(), v->data() + v->size(), n);
  return n;
}

emu::ServerOptions http_only() {
  emu::ServerOptions o;
  o.enable_https = false;
  o.rate_limit.max_requests = 0;
  return o;
}

std::optional<openapi::Spec> spec(const char* name) {
  auto f = openapi::reference_file(name);
  if (!f) return std::nullopt;
  return openapi::Spec::load(*f);
}

// Validates a captured request body against the operation its method and path match.
void expect_conforms(const std::optional<openapi::Spec>& s, const Seen& r) {
  if (!s) return;  // reference files absent: the request_body tests say so
  auto op = s->match(r.method, r.path);
  ASSERT_TRUE(op) << r.method << " " << r.path;
  const auto errors = s->validate_request_body(op->operation_id, json::parse(r.body), {.forbid_undeclared = true});
  EXPECT_TRUE(errors.empty()) << op->operation_id << " " << r.body << "\n  " << openapi::join(errors);
}

classic::ClientConfig classic_config(const emu::Server& s) {
  classic::ClientConfig c;
  c.api_url = s.http_url() + "/api/v2";
  c.token = "classic-token";
  c.retry.initial_backoff = 10ms;
  c.retry.max_backoff = 50ms;
  c.rate_limit_enabled = false;
  return c;
}

// A goal list of `n` goals, paged by page number (offset 1, 2, ...) or by 0-based row offset.
void goal_routes(emu::Server& s, Recorder& rec, int n, bool row_offset = false, bool ignore_offset = false) {
  s.route("GET", "/api/v2/goals", [&rec, n, row_offset, ignore_offset](const emu::Request& r) {
    rec.add(r);
    const int limit = int_param(r, "limit", 10);
    const int offset = int_param(r, "offset", 1);
    int first = row_offset ? offset : (offset - 1) * limit;
    if (ignore_offset) first = 0;
    json::array goals;
    for (int i = first; i < std::min(n, first + limit); ++i) {
      goals.push_back(json::object{{"id", std::to_string(1000 + i)}, {"action", "Grow"}, {"is_private", "0"}});
    }
    return emu::Response::json(200, json::serialize(json::object{{"goals", std::move(goals)}}));
  });
}

TEST(ClassicHttp, PagesByPageNumberLazily) {
  emu::Server s(http_only());
  Recorder rec;
  goal_routes(s, rec, 7);
  s.start();
  auto cfg = classic_config(s);
  cfg.page_size = 3;
  const auto result = run_sync([&](asio::io_context& io) -> asio::awaitable<std::vector<std::int64_t>> {
    classic::Client c(io.get_executor(), cfg);
    std::vector<std::int64_t> ids;
    classic::GoalsQuery q;
    q.status = classic::GoalStatus::Approved;
    auto pager = c.goals(std::move(q));
    while (auto page = co_await pager.next()) {
      for (const auto& g : page->items) ids.push_back(g.id.value());
    }
    EXPECT_EQ(pager.pages_read(), 3u);
    EXPECT_TRUE(pager.done());
    co_return ids;
  });
  EXPECT_EQ(result, (std::vector<std::int64_t>{1000, 1001, 1002, 1003, 1004, 1005, 1006}));
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].query, "status=APPRO&offset=1&limit=3");
  EXPECT_EQ(seen[2].query, "status=APPRO&offset=3&limit=3");
  EXPECT_EQ(seen[0].token, "classic-token");
  s.stop();
}

TEST(ClassicHttp, RowOffsetModeAndTheExactMultipleCase) {
  emu::Server s(http_only());
  Recorder rec;
  goal_routes(s, rec, 6, /*row_offset=*/true);
  s.start();
  auto cfg = classic_config(s);
  cfg.offset_mode = classic::OffsetMode::row_offset;
  cfg.first_offset = 0;
  const auto goals = run_sync([&](asio::io_context& io) -> asio::awaitable<std::vector<classic::Goal>> {
    classic::Client c(io.get_executor(), cfg);
    classic::GoalsQuery q;
    q.limit = 3;
    co_return co_await c.get_goals(q);
  });
  EXPECT_EQ(goals.size(), 6u);
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 3u);  // 3 + 3 + an empty page
  EXPECT_EQ(seen[1].query, "offset=3&limit=3");
  EXPECT_EQ(seen[2].query, "offset=6&limit=3");
  s.stop();
}

TEST(ClassicHttp, AServerIgnoringOffsetFailsInsteadOfLooping) {
  emu::Server s(http_only());
  Recorder rec;
  goal_routes(s, rec, 50, false, /*ignore_offset=*/true);
  s.start();
  auto cfg = classic_config(s);
  cfg.page_size = 5;
  try {
    run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
      classic::Client c(io.get_executor(), cfg);
      (void)co_await c.get_goals();
    });
    ADD_FAILURE() << "no error";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::invalid_response);
    EXPECT_NE(e.detail().context.find("offset 2 returned the same records"), std::string::npos) << e.what();
  }
  EXPECT_EQ(rec.all().size(), 2u);
  s.stop();
}

TEST(ClassicHttp, WritesSendTheSpecBodiesAndCreatesAreNotRetried) {
  const auto classic_spec = spec("cascade-openapi-classic-v2.json");
  emu::Server s(http_only());
  Recorder rec;
  s.route("POST", "/api/v2/goals", [&rec](const emu::Request& r) {
    rec.add(r);
    auto body = json::parse(r.body).as_object();
    auto& goal = body["goal"].as_object();
    goal["id"] = 1201;
    goal["is_private"] = 0;
    return emu::Response::json(201, json::serialize(body));
  });
  s.route("PUT", "/api/v2/tasks/{id}", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, "");  // no body: the client reads the task back
  });
  s.route("GET", "/api/v2/tasks/{id}", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"task": {"id": )" + std::string(r.path_param("id")) +
                                        R"(, "task": "Hire", "is_complete": "1"}})");
  });
  s.route("PUT", "/api/v2/issues/{id}", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(201, R"({"issue": {"issue": "Churn", "is_resolved": 1}})");  // as drawn: no id
  });
  s.route("POST", "/api/v2/updates", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(201, R"({"update": {"id": "77", "comment": "ok", "goal_id": 1201}})");
  });
  s.route("DELETE", "/api/v2/goals/{id}", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"message": "Deleted", "code": 200, "status": "success"})");
  });
  s.start();
  auto cfg = classic_config(s);
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    classic::Client c(io.get_executor(), cfg);
    classic::GoalCreate g;
    g.action = "Increase";
    g.details = "ARR to $10M";
    g.start_time = cascade::DateTime(2024y / January / 1);
    g.end_time = cascade::DateTime(2024y / December / 31);
    g.weight_id = 2;
    g.is_private = false;
    const auto goal = co_await c.create_goal(g);
    EXPECT_EQ(goal.id, classic::GoalId(1201));
    EXPECT_EQ(goal.action, "Increase");

    classic::TaskUpdate tu;
    tu.is_complete = true;
    const auto task = co_await c.update_task(classic::TaskId(501), tu);
    EXPECT_EQ(task.is_complete, true);

    classic::IssueUpdate iu;
    iu.is_resolved = true;
    const auto issue = co_await c.update_issue(classic::IssueId(88), iu);
    EXPECT_EQ(issue.id, classic::IssueId(88));

    classic::UpdateCreate uc;
    uc.comment = "ok";
    uc.goal_id = classic::GoalId(1201);
    const auto update = co_await c.create_update(uc);
    EXPECT_EQ(update.id, classic::UpdateId(77));

    const auto del = co_await c.delete_goal(classic::GoalId(1201));
    EXPECT_EQ(del.message, "Deleted");
    EXPECT_EQ(del.http_status, 200);
  });
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 6u);
  for (const auto& r : seen) {
    if (r.method == "POST" || r.method == "PUT") expect_conforms(classic_spec, r);
  }
  EXPECT_EQ(seen[1].body, R"({"task":{"is_complete":1}})");
  EXPECT_EQ(seen[2].method, "GET");

  // A create that fails with 503 is reported, never sent twice; a PUT is retried.
  s.add_fault(emu::FaultRule::http_status(503).on("POST", "/api/v2/goals"));
  s.add_fault(emu::FaultRule::http_status(503).on("PUT", "/api/v2/tasks/501"));
  s.reset_log();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    classic::Client c(io.get_executor(), cfg);
    classic::GoalCreate g;
    g.action = "A";
    g.details = "B";
    g.start_time = cascade::DateTime(2024y / January / 1);
    g.end_time = cascade::DateTime(2024y / January / 2);
    try {
      (void)co_await c.create_goal(g);
      ADD_FAILURE() << "no error";
    } catch (const wrike_cascade::Error& e) {
      EXPECT_EQ(e.condition(), wrike_cascade::errc::server_error);
      EXPECT_EQ(e.detail().attempts, 1);
    }
    classic::TaskUpdate tu;
    tu.task = "Renamed";
    (void)co_await c.update_task(classic::TaskId(501), tu);
  });
  EXPECT_EQ(s.count("POST", "/api/v2/goals"), 1u);
  EXPECT_EQ(s.count("PUT", "/api/v2/tasks/501"), 2u);
  s.stop();
}

TEST(ClassicHttp, ErrorBodiesReachTheErrorDetail) {
  emu::Server s(http_only());
  s.route("GET", "/api/v2/goals/{id}", [](const emu::Request&) {
    return emu::Response::json(404, R"({"message": "Goal not found", "code": 404, "status": "error"})");
  });
  s.start();
  try {
    run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
      classic::Client c(io.get_executor(), classic_config(s));
      (void)co_await c.get_goal(classic::GoalId(9));
    });
    ADD_FAILURE() << "no error";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::not_found);
    EXPECT_EQ(e.detail().http_status, 404);
    EXPECT_EQ(e.detail().api_description, "Goal not found");
    EXPECT_EQ(e.detail().api_error, "error");
    EXPECT_EQ(std::string(e.what()).find("classic-token"), std::string::npos);
  }
  // Invalid input fails before anything is sent.
  s.reset_log();
  asio::io_context io;
  classic::Client c(io.get_executor(), classic_config(s));
  auto f = c.async_get_goal(classic::GoalId(0), asio::use_future);
  io.run();
  EXPECT_THROW(f.get(), wrike_cascade::Error);
  EXPECT_EQ(s.count(), 0u);
  s.stop();
}

// ---- new platform ---------------------------------------------------------------------------

platform::ClientConfig platform_config(std::string url) {
  platform::ClientConfig c;
  c.api_url = std::move(url);
  c.auth = std::make_shared<wrike_cascade::net::StaticBearer>("platform-token", "Bearer");
  c.retry.initial_backoff = 10ms;
  c.rate_limit_enabled = false;
  return c;
}

void platform_routes(emu::Server& s, Recorder& rec) {
  s.route("GET", "/v2/users/me/workspaces", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"workspaces": [{"id": "ws_1", "displayName": "Acme"}]})");
  });
  s.route("GET", "/v2/workspaces/{id}/plans", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"plans": [{"id": "pl 1", "name": "FY25", "workspaceId": ")" +
                                        std::string(r.path_param("id")) + R"(", "collaborators": []}]})");
  });
  s.route("GET", "/v2/plans/{id}/measures", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"measures": [{"id": "m1", "name": "ARR", "workspaceId": "ws_1"}]})");
  });
  s.route("GET", "/v2/plans/{id}/actions", [&rec](const emu::Request& r) {
    rec.add(r);
    return emu::Response::json(200, R"({"actions": [{"id": "a1", "name": "Launch", "workspaceId": "ws_1"}]})");
  });
  for (const char* p : {"/v2/measures/{id}", "/v2/measures/historical/{id}", "/v2/actions/{id}"}) {
    s.route("PUT", p, [&rec](const emu::Request& r) {
      rec.add(r);
      return emu::Response::json(200, R"({"message": "Updated"})");
    });
  }
}

TEST(PlatformHttp, ListsAndWritesOverHttps) {
  const auto nextgen = spec("cascade-openapi-nextgen-v4.json");
  emu::Server s;  // HTTPS
  s.set_rate_limit({.max_requests = 0});
  Recorder rec;
  platform_routes(s, rec);
  s.start();
  const auto ca = std::filesystem::temp_directory_path() / ("cascade-ca-" + std::to_string(::getpid()) + ".pem");
  s.write_ca_file(ca);
  auto cfg = platform_config(s.https_url());
  cfg.ca_file = ca.string();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    platform::Client c(io.get_executor(), cfg);
    const auto ws = co_await c.get_workspaces();
    EXPECT_EQ(ws.at(0).display_name, "Acme");
    const auto plans = co_await c.get_plans(ws.at(0).id);
    EXPECT_EQ(plans.at(0).workspace_id, ws.at(0).id);
    const auto measures = co_await c.get_measures(ws.at(0).id, plans.at(0).id);
    const auto actions = co_await c.get_actions(ws.at(0).id, plans.at(0).id);
    EXPECT_EQ(measures.at(0).name, "ARR");
    EXPECT_EQ(actions.at(0).name, "Launch");
    platform::MeasureValue mv;
    mv.workspace_id = ws[0].id;
    mv.plan_id = plans[0].id;
    mv.measure_value = 12.5;
    auto r1 = co_await c.set_measure_value(measures[0].id, mv);
    EXPECT_EQ(r1.message, "Updated");
    platform::MeasureHistory h;
    h.workspace_id = ws[0].id;
    h.plan_id = plans[0].id;
    platform::HistoryPoint p1;
    p1.date = 2024y / January / 31;
    p1.value = 10;
    h.historical_data.push_back(p1);
    p1.date = 2024y / February / 29;
    p1.value = 11;
    h.historical_data.push_back(p1);
    (void)co_await c.set_measure_history(measures[0].id, h);
    platform::ActionProgress ap;
    ap.workspace_id = ws[0].id;
    ap.plan_id = plans[0].id;
    ap.action_value = 80;
    (void)co_await c.set_action_progress(actions[0].id, ap);
  });
  std::filesystem::remove(ca);
  const auto seen = rec.all();
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_EQ(seen[2].path, "/v2/plans/pl 1/measures");  // sent as pl%201
  EXPECT_EQ(seen[2].query, "workspace_id=ws_1");
  EXPECT_EQ(seen[3].query, "workspace_id=ws_1");
  for (const auto& r : seen) {
    EXPECT_EQ(r.token, "platform-token");
    if (r.method == "PUT") expect_conforms(nextgen, r);
  }
  EXPECT_EQ(seen[5].path, "/v2/measures/historical/m1");
  s.stop();
}

TEST(PlatformHttp, UsesTheOAuthTokensFromTheStore) {
  emu::Server s(http_only());
  Recorder rec;
  platform_routes(s, rec);
  s.start();
  wrike_cascade::oauth::Tokens t;
  t.access_token = "oauth-access";
  t.refresh_token = "oauth-refresh";
  t.expires_at = std::chrono::system_clock::now() + std::chrono::hours(1);
  auto cfg = platform_config(s.http_url());
  cfg.auth = nullptr;
  cfg.oauth = platform::OAuthSettings{platform::oauth_config("cid", "csecret", {}, s.http_url()),
                                      std::make_shared<wrike_cascade::oauth::MemoryTokenStore>(t)};
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    platform::Client c(io.get_executor(), cfg);
    EXPECT_TRUE(c.oauth());
    (void)co_await c.get_workspaces();
  });
  ASSERT_EQ(rec.all().size(), 1u);
  EXPECT_EQ(rec.all()[0].token, "oauth-access");

  // Without tokens in the store the client refuses to start, naming the problem.
  cfg.oauth->store = std::make_shared<wrike_cascade::oauth::MemoryTokenStore>();
  asio::io_context io;
  EXPECT_THROW(platform::Client(io.get_executor(), cfg), wrike_cascade::Error);
  s.stop();
}

TEST(PlatformHttp, FollowsRegionRedirectsAndKeepsTheTokenOnlyWhereTrusted) {
  emu::Server regional(http_only());
  Recorder rec;
  platform_routes(regional, rec);
  regional.start();
  emu::Server entry(http_only());
  // The region-redirect host: a 307 to the regional host, same path and query.
  std::string target_host = "127.0.0.1";
  entry.route("GET", "/v2/users/me/workspaces", [&](const emu::Request& r) {
    return emu::Response::json(307, "").with_header(
        "Location", "http://" + target_host + ":" + std::to_string(regional.http_port()) + r.target);
  });
  entry.route("PUT", "/v2/actions/{id}", [&](const emu::Request& r) {
    return emu::Response::json(308, "").with_header(
        "Location", "http://" + target_host + ":" + std::to_string(regional.http_port()) + r.target);
  });
  entry.start();
  auto cfg = platform_config(entry.http_url());
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    platform::Client c(io.get_executor(), cfg);
    const auto ws = co_await c.get_workspaces();
    EXPECT_EQ(ws.size(), 1u);
    platform::ActionProgress ap;
    ap.workspace_id = platform::WorkspaceId("ws_1");
    ap.plan_id = platform::PlanId("p");
    ap.action_value = 50;
    const auto r = co_await c.set_action_progress(platform::ActionId("a1"), ap);
    EXPECT_EQ(r.message, "Updated");
  });
  auto seen = rec.all();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].token, "platform-token") << "same host as api_url: the token follows";
  EXPECT_EQ(seen[1].method, "PUT") << "a 308 keeps the method";
  EXPECT_EQ(json::parse(seen[1].body).at("action_value"), 50);
  EXPECT_EQ(seen[1].token, "platform-token");

  // To a host that is neither a Cascade host nor api_url's: followed, without the token.
  target_host = "localhost";
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    platform::Client c(io.get_executor(), cfg);
    (void)co_await c.get_workspaces();
  });
  seen = rec.all();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].token, "");
  entry.stop();
  regional.stop();
}

}  // namespace
