// The Cascade emulator on its own, through a raw HTTP client (not the SDK's): the store and its
// generator, the strict request checks (400 naming the field, 401, 403, 404, 415, 422), IDs,
// paging, the dialects' wire shapes, the region redirect and OAuth's endpoints.
#include "cascade_emu_util.hpp"

#include "../emulator/raw_client.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>

namespace {

using namespace cascade_emu_test;
using emutest::RawClient;
using emutest::RawResponse;

class RawEmu : public ::testing::Test {
 protected:
  RawEmu() : raw(emu.e.https_url(), {.ca_pem = emu.e.ca_cert_pem()}) {}

  RawResponse call(std::string_view method, const std::string& target, std::string body = {},
                   std::string token = "cascade-classic-token", std::string content_type = "application/json") {
    std::vector<std::pair<std::string, std::string>> h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) h.emplace_back("Content-Type", content_type);
    return raw.request(method, target, h, std::move(body));
  }

  static std::string message(const RawResponse& r) {
    auto v = r.json();
    if (const auto* m = v.as_object().if_contains("message")) return std::string(m->as_string());
    return {};
  }

  Emulator emu;
  RawClient raw;
};

const char* kGoal = R"({"goal":{"action":"Grow","details":"revenue","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":2}})";

}  // namespace

// ---- store ----------------------------------------------------------------------------------

TEST(CascadeStore, TheGeneratorIsDeterministic) {
  emu::CascadeGeneratorOptions g;
  g.seed = 42;
  emu::CascadeStore a(g), b(g);
  EXPECT_EQ(a.to_json(), b.to_json());
  g.seed = 43;
  emu::CascadeStore c(g);
  EXPECT_NE(a.to_json(), c.to_json());
  // Sizes: 6 top-level goals + 6 children, 3 tasks each, ...
  EXPECT_EQ(a.count(emu::ClassicKind::goal), 12u);
  EXPECT_EQ(a.count(emu::ClassicKind::task), 36u);
  EXPECT_EQ(a.count(emu::ClassicKind::issue), 12u);
  EXPECT_EQ(a.count(emu::ClassicKind::update), 12u);
  EXPECT_EQ(a.focus_area_ids().size(), 3u);
  EXPECT_EQ(a.workspace_ids().size(), 2u);
  EXPECT_EQ(a.workspace_ids(false).size(), 3u);
  const auto ws = a.workspace_ids().front();
  ASSERT_EQ(a.plan_ids(ws).size(), 2u);
  EXPECT_EQ(a.measure_ids(a.plan_ids(ws).front()).size(), 3u);
  EXPECT_EQ(a.action_ids(a.plan_ids(ws).front()).size(), 3u);
  // Classic IDs increase from the counters' starts; every top-level goal has focus areas.
  const auto goals = a.ids(emu::ClassicKind::goal);
  EXPECT_EQ(goals.front(), 1001);
  EXPECT_TRUE(std::is_sorted(goals.begin(), goals.end()));
  EXPECT_EQ(a.ids(emu::ClassicKind::task).front(), 20001);
  a.read([](const emu::CascadeData& d) {
    for (const auto& g : d.goals) {
      const bool top = g.at("aligned_to_ids").as_array().empty();
      EXPECT_EQ(top, !g.at("direct_focus_area_ids").as_array().empty()) << json::serialize(g);
    }
  });
}

TEST(CascadeStore, SaveLoadRoundTripsAndLoadingIsLenient) {
  emu::CascadeStore a(emu::CascadeGeneratorOptions{});
  const auto file = temp_file("cascade-data");
  a.save(file);
  emu::CascadeStore b;
  b.load(file);
  EXPECT_EQ(a.to_json(), b.to_json());
  std::filesystem::remove(file);

  // The lenient forms Classic sends, normalised to the canonical form.
  emu::CascadeStore c;
  c.load_json(json::parse(R"({
    "goals": [{"id": "7", "action": "Grow", "is_private": true, "start_time": 1735689600,
               "end_time": "2025-12-31 10:00:00", "aligned_from_ids": ["8"], "title": "dropped"},
              {"id": 8, "details": "child", "progress": "12.5"}],
    "tasks": [{"id": 5, "task": "t", "goal_id": "7", "is_complete": "1", "due_date": "2025-02-01"}],
    "workspaces": [{"id": 123, "displayName": "W"}],
    "plans": [{"id": "p", "workspaceId": "123", "name": "P"}]
  })"));
  const auto g7 = *c.record(emu::ClassicKind::goal, 7);
  EXPECT_EQ(g7.at("is_private"), json::value(1));
  EXPECT_EQ(g7.at("start_time"), json::value("2025-01-01T00:00:00Z"));
  EXPECT_EQ(g7.at("end_time"), json::value("2025-12-31T10:00:00Z"));
  EXPECT_FALSE(g7.contains("title"));
  const auto g8 = *c.record(emu::ClassicKind::goal, 8);
  EXPECT_EQ(g8.at("aligned_to_ids"), json::parse("[7]"));
  EXPECT_EQ(g8.at("progress"), json::value(12.5));
  EXPECT_EQ(c.record(emu::ClassicKind::task, 5)->at("is_complete"), json::value(1));
  EXPECT_EQ(c.workspace_ids(), std::vector<std::string>{"123"});
  // New records continue after the highest ID.
  EXPECT_EQ(c.add_goal(), 1001);
  EXPECT_EQ(c.add_task(7), 20001);

  try {
    c.load_json(json::parse(R"({"tasks": [{"id": 1}, {"task": "no id"}]})"));
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tasks[1]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(c.load_json(json::parse(R"({"measures": [{"id": "m", "workspaceId": "w"}]})")), std::runtime_error);
  EXPECT_THROW(c.add_task(999), std::invalid_argument);
}

// ---- Classic request checks -------------------------------------------------------------------

TEST_F(RawEmu, MissingOrUnwrappedFieldsAre400NamingTheField) {
  auto r = call("POST", "/api/v2/goals", R"({"action":"Grow","details":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message(r).find("goal is required: Create-goal takes {\"goal\": {...}}"), std::string::npos) << r.body;
  EXPECT_EQ(r.json().at("errors").at("goal").as_array().size(), 1u);
  EXPECT_EQ(r.json().at("status"), json::value("bad_request"));
  EXPECT_EQ(r.json().at("code"), json::value(400));

  r = call("POST", "/api/v2/goals", R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","weight_id":2}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message(r), "goal.end_time is required");

  r = call("POST", "/api/v2/tasks", R"({"task":{"task":"x","goal_id":"1001"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message(r).find("task.goal_id must be a positive integer ID (got \"1001\")"), std::string::npos) << r.body;

  struct Case {
    const char* body;
    const char* expect;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"goal":{"action":"Grow","details":"x","start_time":"soon","end_time":"2025-12-31","weight_id":2}})",
            "goal.start_time must be a date string in Unix time or ISO 8601 format"},
           {R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":5}})",
            "goal.weight_id must be one of 1, 2, 3, 4"},
           {R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":1,"status":"ACTIVE"}})",
            "goal.status must be one of APPRO, DRAFT, ARCHI"},
           {R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":1,"is_private":true}})",
            "goal.is_private must be 0 or 1 (got true)"},
           {R"({"goal":{"action":"Abcdefghijklmnopqrstuvwxyz","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":1}})",
            "goal.action must be at most 25 characters"},
           {R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":1,"title":"t"}})",
            "goal.title is not a field of Create-goal"},
           {R"({"goal":{"action":"","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":1}})",
            "goal.action must not be empty"},
       }) {
    r = call("POST", "/api/v2/goals", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_NE(message(r).find(c.expect), std::string::npos) << r.body;
  }
  // A risk cannot move: goal_id is not a field of Update-risk.
  const auto issue = emu.e.store().ids(emu::ClassicKind::issue).front();
  r = call("PUT", "/api/v2/issues/" + std::to_string(issue), R"({"issue":{"goal_id":1001}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(message(r), "issue.goal_id is not a field of Update-risk");
  r = call("POST", "/api/v2/issues", R"({"issue":{"issue":"x","goal_id":1001,"custom_attributes":{"likelihood":3}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(message(r).find("issue.custom_attributes.likelihood is not a custom attribute key"), std::string::npos) << r.body;
  // Not JSON, not JSON content.
  EXPECT_EQ(call("POST", "/api/v2/goals", "{nope").status, 400);
  EXPECT_EQ(call("POST", "/api/v2/goals", kGoal, "cascade-classic-token", "text/plain").status, 415);
  EXPECT_EQ(emu.e.store().count(emu::ClassicKind::goal), 12u) << "nothing was created";
}

TEST_F(RawEmu, AuthAndNotFound) {
  auto r = call("GET", "/api/v2/goals", {}, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("status"), json::value("unauthorized"));
  EXPECT_EQ(call("GET", "/api/v2/goals", {}, "wrong").status, 401);
  // A token in the query string is not accepted by Classic.
  EXPECT_EQ(raw.get("/api/v2/goals?access_token=cascade-classic-token").status, 401);
  emu.e.add_classic_token({"tasks-only", 3, {"Tasks"}});
  r = call("GET", "/api/v2/goals", {}, "tasks-only");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(message(r).find("Goals scope"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/v2/tasks", {}, "tasks-only").status, 200);

  r = call("GET", "/api/v2/goals/99999");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(message(r), "Goal 99999 not found");
  EXPECT_EQ(call("GET", "/api/v2/goals/abc").status, 404);
  EXPECT_EQ(call("PUT", "/api/v2/tasks/99999", R"({"task":{"task":"x"}})").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v2/updates/99999").status, 404);
  r = call("GET", "/api/v2/milestones");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json().at("code"), json::value(404));  // Cascade's error shape for unknown routes too
}

TEST_F(RawEmu, ReferencesThatDoNotResolveAre422) {
  auto r = call("POST", "/api/v2/tasks", R"({"task":{"task":"x","goal_id":5}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(message(r), "task.goal_id refers to goal 5 that does not exist");
  EXPECT_EQ(r.json().at("status"), json::value("unprocessable_entity"));
  r = call("POST", "/api/v2/goals",
           R"({"goal":{"action":"Grow","details":"x","start_time":"2025-01-01","end_time":"2025-12-31","weight_id":2,"role_id":999,"direct_focus_area_ids":[77]}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json().at("errors").as_object().size(), 2u) << r.body;
  r = call("POST", "/api/v2/goals",
           R"({"goal":{"action":"Grow","details":"x","start_time":"2026-01-01","end_time":"2025-12-31","weight_id":2}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(message(r).find("goal.end_time must not be before goal.start_time"), std::string::npos) << r.body;
}

TEST_F(RawEmu, IdsIncreaseAndWhatIsCreatedCanBeReadBack) {
  auto a = call("POST", "/api/v2/goals", kGoal);
  auto b = call("POST", "/api/v2/goals", kGoal);
  ASSERT_EQ(a.status, 201) << a.body;
  const auto ida = a.json().at("goal").at("id").as_int64();
  const auto idb = b.json().at("goal").at("id").as_int64();
  EXPECT_EQ(idb, ida + 1);
  EXPECT_GT(ida, emu.e.store().ids(emu::ClassicKind::goal).front());
  // A deleted ID is never reused.
  EXPECT_EQ(call("DELETE", "/api/v2/goals/" + std::to_string(idb)).status, 204);
  auto c = call("POST", "/api/v2/goals", kGoal);
  EXPECT_EQ(c.json().at("goal").at("id").as_int64(), idb + 1);
  auto g = call("GET", "/api/v2/goals/" + std::to_string(ida));
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.json().at("goal").at("title"), json::value("Grow revenue"));
  EXPECT_EQ(g.json().at("goal").at("start_time"), json::value("2025-01-01"));
  // Dates sent as Unix time or with an offset are kept as the same instant.
  auto t = call("POST", "/api/v2/tasks",
                R"({"task":{"task":"x","goal_id":)" + std::to_string(ida) +
                    R"(,"start_date":"1735776000","due_date":"2025-01-03T02:00:00+02:00"}})");
  ASSERT_EQ(t.status, 201) << t.body;
  EXPECT_EQ(t.json().at("task").at("start_date"), json::value("2025-01-02T00:00:00Z"));
  EXPECT_EQ(t.json().at("task").at("due_date"), json::value("2025-01-03T00:00:00Z"));
}

TEST_F(RawEmu, ListQueriesArePagedAndChecked) {
  // Page numbers: offset=2&limit=5 is the 6th to 10th task.
  const auto all = emu.e.store().ids(emu::ClassicKind::task);
  auto r = call("GET", "/api/v2/tasks?offset=2&limit=5");
  ASSERT_EQ(r.status, 200);
  const auto body = r.json();
  const auto& page = body.at("tasks").as_array();
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page[0].at("id").as_int64(), all[5]);
  // Without offset/limit: the first default_limit records.
  emu.e.set_limits(10, 20);
  EXPECT_EQ(call("GET", "/api/v2/tasks").json().at("tasks").as_array().size(), 10u);
  EXPECT_EQ(call("GET", "/api/v2/tasks?limit=21").status, 400);
  // Row offsets.
  emu.e.set_offset_mode(emu::ClassicOffsetMode::row_offset);
  r = call("GET", "/api/v2/tasks?offset=3&limit=2");
  EXPECT_EQ(r.json().at("tasks").at(0).at("id").as_int64(), all[3]);
  // Bad values and unknown filters.
  for (const char* q : {"offset=-1", "limit=0", "limit=x", "id=1,x", "bogus=1", "is_complete=yes", "goal_id=abc"}) {
    r = call("GET", std::string("/api/v2/tasks?") + q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
  }
  r = call("GET", "/api/v2/goals?status=ACTIVE");
  EXPECT_NE(message(r).find("status must be one of APPRO, DRAFT, ARCHI"), std::string::npos) << r.body;
  r = call("GET", "/api/v2/issues?detail=x");
  EXPECT_NE(message(r).find("detail is not a filter of GET /issues"), std::string::npos) << r.body;
  // id lists.
  r = call("GET", "/api/v2/tasks?id=" + std::to_string(all[2]) + "," + std::to_string(all[0]));
  EXPECT_EQ(r.json().at("tasks").as_array().size(), 2u);
}

TEST_F(RawEmu, TheSwaggerDialectsWireShapes) {
  emu.e.set_dialect(emu::ClassicDialect::swagger);
  auto r = call("GET", "/api/v2/goals?limit=2");
  EXPECT_TRUE(r.json().as_object().contains("goal")) << r.body;  // the singular key, holding an array
  EXPECT_TRUE(r.json().at("goal").is_array());
  EXPECT_EQ(r.json().at("goal").at(0).at("created_at").as_string().size(), 19u);  // "YYYY-MM-DD HH:MM:SS"
  EXPECT_TRUE(call("GET", "/api/v2/tasks?limit=2").json().as_object().contains("tasks"));
  r = call("POST", "/api/v2/tasks", R"({"task":{"task":"x","goal_id":1001}})");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().at("tasks").is_object());
  r = call("POST", "/api/v2/issues", R"({"issue":{"issue":"x","goal_id":1001}})");
  EXPECT_EQ(r.status, 201);
  EXPECT_TRUE(r.json().at("issue").at("id").is_string());
  const std::string id(r.json().at("issue").at("id").as_string());
  r = call("PUT", "/api/v2/issues/" + id, R"({"issue":{"is_critical":1}})");
  EXPECT_EQ(r.status, 201);
  EXPECT_FALSE(r.json().at("issue").as_object().contains("id"));
  r = call("DELETE", "/api/v2/issues/" + id);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("status"), json::value("success"));
}

// ---- new platform -----------------------------------------------------------------------------

TEST_F(RawEmu, PlatformEntryPointRedirectsAndChecksTheToken) {
  auto r = call("GET", "/v2/users/me/workspaces?x=1", {}, "cascade-platform-token");
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.header("Location").value_or(""), emu.e.regional_url() + "/v2/users/me/workspaces?x=1");
  r = call("GET", "/v2/users/me/workspaces", {}, "bad");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.header("WWW-Authenticate").has_value());
  // The Classic token is not a platform token, and the other way round.
  EXPECT_EQ(call("GET", "/v2/users/me/workspaces", {}, "cascade-classic-token").status, 401);
  EXPECT_EQ(call("GET", "/api/v2/goals", {}, "cascade-platform-token").status, 401);
}

TEST_F(RawEmu, PlatformRequestChecks) {
  RawClient regional(emu.e.regional_url(), {.ca_pem = emu.e.ca_cert_pem()});
  auto call_r = [&](std::string_view method, const std::string& target, std::string body = {}) {
    std::vector<std::pair<std::string, std::string>> h{{"Authorization", "Bearer cascade-platform-token"}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return regional.request(method, target, h, std::move(body));
  };
  const auto ws = emu.e.store().workspace_ids().front();
  const auto plan = emu.e.store().plan_ids(ws).front();
  const auto measure = emu.e.store().measure_ids(plan).front();
  auto r = call_r("GET", "/v2/plans/" + plan + "/measures");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("message"), json::value("workspace_id is required (query parameter)"));
  EXPECT_EQ(r.json().at("statusCode"), json::value(400));
  EXPECT_EQ(r.json().at("error"), json::value("Bad Request"));
  const std::string target = "/v2/measures/" + measure;
  r = call_r("PUT", target, R"({"workspace_id":")" + ws + R"(","measure_value":1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("message"), json::value("plan_id is required"));
  r = call_r("PUT", target, R"({"workspace_id":")" + ws + R"(","plan_id":")" + plan + R"(","measure_value":"1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("measure_value must be a number"), std::string::npos);
  r = call_r("PUT", target, R"({"measure":{"workspace_id":"w"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("measure is not a field of UpdateMeasure2"), std::string::npos) << r.body;
  r = call_r("PUT", "/v2/measures/historical/" + measure,
             R"({"workspace_id":")" + ws + R"(","plan_id":")" + plan + R"(","historical_data":[{"date":"2025-02-30","value":1}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("historical_data[0].date must be a date YYYY-MM-DD"), std::string::npos) << r.body;
  r = call_r("PUT", "/v2/measures/nope", R"({"workspace_id":")" + ws + R"(","plan_id":")" + plan + R"(","measure_value":1})");
  EXPECT_EQ(r.status, 404);
  const auto foreign = emu.e.store().workspace_ids(false).back();
  EXPECT_EQ(call_r("GET", "/v2/workspaces/" + foreign + "/plans").status, 403);
  EXPECT_EQ(call_r("GET", "/v2/workspaces/nope/plans").status, 404);
}

TEST_F(RawEmu, OAuthEndpoints) {
  emu.e.add_oauth_client({"app", "secret", {"http://127.0.0.1:9/cb"}});
  auto r = raw.get("/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&scope=openid&state=s1");
  EXPECT_EQ(r.status, 302);
  const auto loc = r.header("Location").value_or("");
  EXPECT_TRUE(loc.starts_with("http://127.0.0.1:9/cb?code=")) << loc;
  EXPECT_NE(loc.find("&state=s1"), std::string::npos);
  const auto code = loc.substr(loc.find("code=") + 5, loc.find('&') - loc.find("code=") - 5);
  auto t = raw.request("POST", "/oauth/token", {{"Content-Type", "application/json"}},
                       R"({"grant_type":"authorization_code","client_id":"app","client_secret":"secret","code":")" + code +
                           R"(","redirect_uri":"http://127.0.0.1:9/cb"})");
  EXPECT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json().at("token_type"), json::value("Bearer"));
  EXPECT_FALSE(t.json().as_object().contains("refresh_token")) << "no offline_access, no refresh token";
  // The code is single-use.
  t = raw.request("POST", "/oauth/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                  "grant_type=authorization_code&client_id=app&client_secret=secret&code=" + code +
                      "&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb");
  EXPECT_EQ(t.status, 403);
  EXPECT_EQ(t.json().at("error"), json::value("invalid_grant"));
  // An unregistered redirect URI is shown as an error page, not redirected to.
  r = raw.get("/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2Fevil.example%2F&state=s");
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("Location").has_value());
}
