// The Wrike emulator's writes through HTTP (wrike-api.md §4.3, §4.5): task create/modify/delete,
// folder modify, every parameter and its errors, form and JSON bodies, the metadata filter the
// SDK uses to dedupe creates (§7), and listings that follow the writes.
#include "emu_test_util.hpp"

#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

using namespace std::chrono_literals;
using namespace wrike_cascade::emulator;
using emutest::Api;
using emutest::enc;
using emutest::expect_api_error;
using emutest::Form;
using emutest::str;
namespace json = boost::json;

namespace {

constexpr const char* kToken = "emulator-token";

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) out.emplace_back(e.as_string());
  return out;
}

std::string detail_format(std::int64_t epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

class WrikeWriteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    WrikeEmulatorOptions o;
    o.server.rate_limit.max_requests = 0;
    o.generator.spaces = 2;
    o.generator.projects_per_space = 3;
    o.generator.tasks_per_project = 4;
    o.generator.subtasks_per_task = 1;
    emu_ = new WrikeEmulator(o);
    emu_->start();
  }
  static void TearDownTestSuite() {
    delete emu_;
    emu_ = nullptr;
  }

  void SetUp() override {
    for (const auto& f : api_.data("/folders?project=true")) projects_.push_back(str(f.at("id")));
    for (const auto& c : api_.data("/contacts?types=" + enc(R"(["Person"])") + "&deleted=false"))
      persons_.push_back(str(c.at("id")));
    for (const auto& cf : api_.data("/customfields"))
      if (!cf.as_object().contains("spaceId")) fields_.emplace(str(cf.at("type")), str(cf.at("id")));
    for (const auto& w : api_.data("/workflows"))
      for (const auto& s : w.at("customStatuses").as_array()) {
        groups_[str(s.at("id"))] = str(s.at("group"));
        workflow_of_[str(s.at("id"))] = str(w.at("id"));
      }
    ASSERT_GE(projects_.size(), 3u);
    ASSERT_GE(persons_.size(), 3u);
  }

  std::string status_in_group(std::string_view group, std::string_view not_this = {}) {
    for (const auto& [id, g] : groups_)
      if (g == group && id != not_this) return id;
    return {};
  }

  json::object create(const std::string& folder, Form form) { return api_.one(api_.post("/folders/" + folder + "/tasks", form), "tasks"); }
  json::object update(const std::string& task, Form form) { return api_.one(api_.put("/tasks/" + task, form), "tasks"); }
  json::object get_task(const std::string& id) {
    auto d = api_.data("/tasks/" + id);
    return d.empty() ? json::object{} : d.front().as_object();
  }
  // A fixed, advancing clock for updatedDate checks.
  void tick_clock(std::int64_t epoch) {
    emu_->store().set_clock([epoch] { return std::chrono::system_clock::time_point(std::chrono::seconds(epoch)); });
  }

  static WrikeEmulator* emu_;
  Api api_{emu_->http_url(), kToken};
  std::vector<std::string> projects_, persons_;
  std::map<std::string, std::string> fields_;  // type -> a custom field of that type
  std::map<std::string, std::string> groups_, workflow_of_;  // custom status -> group, workflow
};

WrikeEmulator* WrikeWriteTest::emu_ = nullptr;

}  // namespace

// ---- create -----------------------------------------------------------------------------------

TEST_F(WrikeWriteTest, CreateMinimalTask) {
  tick_clock(1767225600);  // 2026-01-01T00:00:00Z
  auto t = create(projects_[0], {{"title", "Write the spec"}});
  EXPECT_EQ(t["title"], "Write the spec");
  EXPECT_EQ(strings(t["parentIds"]), std::vector<std::string>{projects_[0]});
  EXPECT_EQ(t["superParentIds"].as_array().size(), 0u);
  EXPECT_EQ(t["status"], "Active");
  EXPECT_EQ(groups_[str(t["customStatusId"])], "Active");
  EXPECT_EQ(t["importance"], "Normal");
  EXPECT_EQ(json::serialize(t["dates"]), R"({"type":"Backlog"})");
  EXPECT_EQ(t["scope"], "WsTask");
  EXPECT_EQ(t["createdDate"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(t["updatedDate"], "2026-01-01T00:00:00Z");
  EXPECT_FALSE(t.contains("completedDate"));
  for (auto k : {"id", "accountId", "description", "briefDescription", "sharedIds", "responsibleIds", "authorIds",
                 "hasAttachments", "permalink", "priority", "followedByMe", "followerIds", "superTaskIds",
                 "subTaskIds", "dependencyIds", "metadata", "customFields"})
    EXPECT_TRUE(t.contains(k)) << k;
  // the by-id fields stay hidden, like GET /tasks/{id}
  EXPECT_FALSE(t.contains("recurrent"));
  EXPECT_EQ(get_task(str(t["id"])), t);
  // and it is listed
  bool listed = false;
  for (const auto& x : api_.data("/folders/" + projects_[0] + "/tasks")) listed |= x.at("id") == t["id"];
  EXPECT_TRUE(listed);
  emu_->store().set_clock([] { return std::chrono::system_clock::now(); });
}

TEST_F(WrikeWriteTest, CreateWithEveryParameter) {
  const std::string parent_task = str(create(projects_[0], {{"title", "Parent"}})["id"]);
  const std::string completed = status_in_group("Completed");
  const std::string deferred = status_in_group("Deferred");
  const json::array cfs{json::object{{"id", fields_["DropDown"]}, {"value", "High"}},
                        json::object{{"id", fields_["Numeric"]}, {"value", "13"}},
                        json::object{{"id", fields_["Checkbox"]}, {"value", "true"}},
                        json::object{{"id", fields_["Multiple"]}, {"value", R"(["API","UI"])"}},
                        json::object{{"id", fields_["Contacts"]}, {"value", persons_[0] + "," + persons_[1]}},
                        json::object{{"id", fields_["Date"]}, {"value", "2026-03-01"}}};
  auto t = create(projects_[0],
                  {{"title", "Full"},
                   {"description", "<p>Hello <b>world</b></p>"},
                   {"status", "Completed"},
                   {"importance", "High"},
                   {"dates", R"({"type":"Planned","start":"2026-01-05","due":"2026-01-09"})"},
                   {"shareds", json::serialize(json::array{persons_[2]})},
                   {"parents", json::serialize(json::array{projects_[1]})},
                   {"responsibles", json::serialize(json::array{persons_[0], persons_[1]})},
                   {"followers", json::serialize(json::array{persons_[2]})},
                   {"follow", "false"},
                   {"superTasks", json::serialize(json::array{parent_task})},
                   {"metadata", R"([{"key":"ext_id","value":"A-1"},{"key":"origin","value":"test"}])"},
                   {"customFields", json::serialize(cfs)},
                   {"billingType", "NonBillable"},
                   {"fields", R"(["billingType"])"}});
  EXPECT_EQ(t["description"], "<p>Hello <b>world</b></p>");
  EXPECT_EQ(t["briefDescription"], "Hello world");
  EXPECT_EQ(t["status"], "Completed");
  EXPECT_EQ(groups_[str(t["customStatusId"])], "Completed");
  EXPECT_TRUE(t.contains("completedDate"));
  EXPECT_EQ(t["importance"], "High");
  EXPECT_EQ(json::serialize(t["dates"]),
            R"({"type":"Planned","duration":2400,"start":"2026-01-05T09:00:00","due":"2026-01-09T17:00:00"})");
  EXPECT_TRUE(has(strings(t["sharedIds"]), persons_[2]));
  EXPECT_EQ(strings(t["parentIds"]), (std::vector<std::string>{projects_[0], projects_[1]}));
  EXPECT_EQ(strings(t["responsibleIds"]), (std::vector<std::string>{persons_[0], persons_[1]}));
  EXPECT_EQ(strings(t["followerIds"]), std::vector<std::string>{persons_[2]});
  EXPECT_EQ(t["followedByMe"], false);
  EXPECT_EQ(strings(t["superTaskIds"]), std::vector<std::string>{parent_task});
  EXPECT_TRUE(has(strings(get_task(parent_task)["subTaskIds"]), str(t["id"])));
  EXPECT_EQ(json::serialize(t["metadata"]), R"([{"key":"ext_id","value":"A-1"},{"key":"origin","value":"test"}])");
  EXPECT_EQ(t["customFields"].as_array().size(), cfs.size());
  EXPECT_EQ(t["billingType"], "NonBillable");

  // customStatus overrides status; status alone picks its group's status
  auto c = create(projects_[0], {{"title", "Custom"}, {"status", "Active"}, {"customStatus", deferred}});
  EXPECT_EQ(c["customStatusId"], json::value(deferred));
  EXPECT_EQ(c["status"], "Deferred");
  auto s = create(projects_[0], {{"title", "Cancelled"}, {"status", "Cancelled"}});
  EXPECT_EQ(groups_[str(s["customStatusId"])], "Cancelled");
  (void)completed;

  // dates: milestones, duration, times kept
  auto m = create(projects_[0], {{"title", "M"}, {"dates", R"({"type":"Milestone","due":"2026-02-02"})"}});
  EXPECT_EQ(json::serialize(m["dates"]), R"({"type":"Milestone","due":"2026-02-02T17:00:00"})");
  auto d = create(projects_[0], {{"title", "D"}, {"dates", R"({"start":"2026-01-08T10:00:00","duration":960})"}});
  EXPECT_EQ(json::serialize(d["dates"]),
            R"({"type":"Planned","duration":960,"start":"2026-01-08T10:00:00","due":"2026-01-09T17:00:00"})");
  auto w = create(projects_[0], {{"title", "W"}, {"dates", R"({"start":"2026-01-09","due":"2026-01-12","workOnWeekends":true})"}});
  EXPECT_EQ(json::serialize(w["dates"]),
            R"({"type":"Planned","duration":1920,"start":"2026-01-09T09:00:00","due":"2026-01-12T17:00:00","workOnWeekends":true})");
}

TEST_F(WrikeWriteTest, CreateWithAJsonBody) {
  const std::string id_folder = projects_[1];
  json::object body{{"title", "From JSON"},
                    {"importance", "Low"},
                    {"responsibles", json::array{persons_[0]}},
                    {"metadata", json::array{json::object{{"key", "k"}, {"value", "v"}}}},
                    {"dates", json::object{{"type", "Milestone"}, {"due", "2026-04-01"}}}};
  auto t = api_.one(api_.send_json("POST", "/folders/" + id_folder + "/tasks", body), "tasks");
  EXPECT_EQ(t["title"], "From JSON");
  EXPECT_EQ(t["importance"], "Low");
  EXPECT_EQ(strings(t["responsibleIds"]), std::vector<std::string>{persons_[0]});
  EXPECT_EQ(json::serialize(t["metadata"]), R"([{"key":"k","value":"v"}])");
  EXPECT_EQ(t["dates"].at("type"), "Milestone");
  // a modify with a JSON body, a bool for restore and null for a metadata value
  auto u = api_.one(api_.send_json("PUT", "/tasks/" + str(t["id"]),
                                   json::object{{"metadata", json::array{json::object{{"key", "k"}, {"value", nullptr}}}},
                                                {"restore", true}}),
                    "tasks");
  EXPECT_EQ(u["metadata"].as_array().size(), 0u);
  // not an object, or another content type: invalid_request
  expect_api_error(api_.client().request("POST", "/api/v4/folders/" + id_folder + "/tasks",
                                         {{"Authorization", std::string("bearer ") + kToken}, {"Content-Type", "application/json"}},
                                         R"(["title"])"),
                   400, "invalid_request");
  expect_api_error(api_.client().request("POST", "/api/v4/folders/" + id_folder + "/tasks",
                                         {{"Authorization", std::string("bearer ") + kToken}, {"Content-Type", "text/plain"}},
                                         "title=x"),
                   400, "invalid_request");
}

TEST_F(WrikeWriteTest, CreateErrors) {
  const std::string f = "/folders/" + projects_[0] + "/tasks";
  auto msg = expect_api_error(api_.post(f, {{"description", "no title"}}), 400, "parameter_required");
  EXPECT_NE(msg.find("title"), std::string::npos) << msg;
  expect_api_error(api_.post(f, {{"title", ""}}), 400, "invalid_parameter");
  msg = expect_api_error(api_.post(f, {{"title", "x"}, {"id", "IEAAAAAQKQAAAAAA"}}), 400, "invalid_request");
  EXPECT_EQ(msg, "Parameter 'id' is not allowed");
  msg = expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", R"([{"key":"a","value":"b"})"}}), 400, "invalid_parameter");
  EXPECT_NE(msg.find("'metadata'"), std::string::npos) << msg;
  msg = expect_api_error(api_.post(f, {{"title", "x"}, {"dates", "{not json"}}), 400, "invalid_parameter");
  EXPECT_NE(msg.find("'dates'"), std::string::npos) << msg;
  expect_api_error(api_.post(f, {{"title", "x"}, {"status", "Done"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"importance", "Urgent"}}), 400, "invalid_parameter");
  expect_api_error(api_.post("/folders/IEAAAAAAI4ZZZZZZ/tasks", {{"title", "x"}}), 404, "resource_not_found");
  expect_api_error(api_.post(f, {{"title", "x"}, {"responsibles", R"(["KUNOBODY"])"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"responsibles", "KUNOBODY"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"parents", R"(["IEAAAAAAI4ZZZZZZ"])"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"superTasks", R"(["IEAAAAAAKQZZZZZZ"])"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"customStatus", "IEAAAAAAJMZZZZZZ"}}), 400, "invalid_parameter");
  // metadata: key rules, values, count
  expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", R"([{"key":"bad key","value":"v"}])"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", R"([{"key":")" + std::string(50, 'k') + R"(","value":"v"}])"}}),
                   400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", R"([{"key":"k","value":")" + std::string(1000, 'v') + R"("}])"}}),
                   400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", R"([{"key":"k","value":null}])"}}), 400, "invalid_parameter");
  json::array many;
  for (int i = 0; i < 101; ++i) many.push_back(json::object{{"key", "k" + std::to_string(i)}, {"value", "v"}});
  expect_api_error(api_.post(f, {{"title", "x"}, {"metadata", json::serialize(many)}}), 400, "invalid_parameter");
  // custom fields: unknown field, values checked against the type
  auto cf = [&](const std::string& type, const std::string& value) {
    return json::serialize(json::array{json::object{{"id", fields_[type]}, {"value", value}}});
  };
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", R"([{"id":"IEAAAAAAJUZZZZZZ","value":"1"}])"}}), 400,
                   "invalid_parameter");
  msg = expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("Numeric", "abc")}}), 400, "invalid_parameter");
  EXPECT_NE(msg.find("customFields"), std::string::npos) << msg;
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("DropDown", "Huge")}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("Checkbox", "yes")}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("Date", "01/02/2026")}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("Contacts", "KUNOBODY")}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"customFields", cf("Multiple", "API")}}), 400, "invalid_parameter");
  // Multiple allows other values in the generated data
  EXPECT_EQ(api_.post(f, {{"title", "x"}, {"customFields", cf("Multiple", R"(["Other"])")}}).status, 200);
  // dates
  expect_api_error(api_.post(f, {{"title", "x"}, {"dates", R"({"type":"Planned","start":"2026-01-09","due":"2026-01-05"})"}}),
                   400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"dates", R"({"type":"Backlog","start":"2026-01-09"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"dates", R"({"type":"Planned","start":"2026-01-09"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"dates", R"({"start":"09/01/2026","due":"2026-01-12"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"dates", R"({"type":"Planned","begin":"2026-01-09"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.post(f, {{"title", "x"}, {"follow", "yes"}}), 400, "invalid_parameter");
  // no token
  EXPECT_EQ(api_.client().request("POST", "/api/v4" + f, {{"Content-Type", "application/x-www-form-urlencoded"}}, "title=x").status, 401);
}

// ---- modify -----------------------------------------------------------------------------------

TEST_F(WrikeWriteTest, ModifyEveryParameter) {
  const std::string id = str(create(projects_[0], {{"title", "Before"}})["id"]);
  std::int64_t now = 1767225600;
  auto step = [&] {
    now += 60;
    tick_clock(now);
  };

  step();
  auto t = update(id, {{"title", "After"}, {"description", "<p>New</p>"}, {"importance", "Low"}});
  EXPECT_EQ(t["title"], "After");
  EXPECT_EQ(t["briefDescription"], "New");
  EXPECT_EQ(t["importance"], "Low");
  EXPECT_EQ(t["updatedDate"], "2026-01-01T00:01:00Z");

  step();
  t = update(id, {{"status", "Completed"}});
  EXPECT_EQ(groups_[str(t["customStatusId"])], "Completed");
  EXPECT_EQ(t["completedDate"], "2026-01-01T00:02:00Z");
  step();
  const std::string deferred = status_in_group("Deferred");
  t = update(id, {{"customStatus", deferred}, {"status", "Active"}});
  EXPECT_EQ(t["customStatusId"], json::value(deferred));
  EXPECT_EQ(t["status"], "Deferred");
  EXPECT_FALSE(t.contains("completedDate"));

  t = update(id, {{"dates", R"({"type":"Planned","start":"2026-01-05","due":"2026-01-06"})"}});
  EXPECT_EQ(t["dates"].at("duration"), 960);

  t = update(id, {{"addParents", json::serialize(json::array{projects_[1], projects_[2]})}});
  EXPECT_EQ(strings(t["parentIds"]), (std::vector<std::string>{projects_[0], projects_[1], projects_[2]}));
  t = update(id, {{"removeParents", json::serialize(json::array{projects_[0], projects_[2]})}});
  EXPECT_EQ(strings(t["parentIds"]), std::vector<std::string>{projects_[1]});
  expect_api_error(api_.put("/tasks/" + id, {{"removeParents", json::serialize(json::array{projects_[1]})}}), 400,
                   "invalid_parameter");

  t = update(id, {{"addShareds", json::serialize(json::array{persons_[2]})}});
  EXPECT_TRUE(has(strings(t["sharedIds"]), persons_[2]));
  t = update(id, {{"removeShareds", json::serialize(json::array{persons_[2]})}});
  EXPECT_FALSE(has(strings(t["sharedIds"]), persons_[2]));

  t = update(id, {{"addResponsibles", json::serialize(json::array{persons_[0], persons_[1]})}});
  EXPECT_EQ(strings(t["responsibleIds"]), (std::vector<std::string>{persons_[0], persons_[1]}));
  t = update(id, {{"removeResponsibles", json::serialize(json::array{persons_[0]})},
                  {"addResponsibles", json::serialize(json::array{persons_[2]})}});
  EXPECT_EQ(strings(t["responsibleIds"]), (std::vector<std::string>{persons_[1], persons_[2]}));

  t = update(id, {{"addFollowers", json::serialize(json::array{persons_[1]})}});
  EXPECT_TRUE(has(strings(t["followerIds"]), persons_[1]));
  t = update(id, {{"follow", "false"}});
  EXPECT_EQ(t["followedByMe"], false);
  t = update(id, {{"follow", "true"}});
  EXPECT_EQ(t["followedByMe"], true);

  // super tasks keep the parents' subTaskIds in step
  const std::string a = str(create(projects_[1], {{"title", "Super A"}})["id"]);
  t = update(id, {{"addSuperTasks", json::serialize(json::array{a})}});
  EXPECT_EQ(strings(t["superTaskIds"]), std::vector<std::string>{a});
  EXPECT_TRUE(has(strings(get_task(a)["subTaskIds"]), id));
  expect_api_error(api_.put("/tasks/" + a, {{"addSuperTasks", json::serialize(json::array{id})}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/tasks/" + id, {{"addSuperTasks", json::serialize(json::array{id})}}), 400, "invalid_parameter");
  t = update(id, {{"removeSuperTasks", json::serialize(json::array{a})}});
  EXPECT_EQ(t["superTaskIds"].as_array().size(), 0u);
  EXPECT_FALSE(has(strings(get_task(a)["subTaskIds"]), id));

  // metadata: add, change, null deletes
  t = update(id, {{"metadata", R"([{"key":"a","value":"1"},{"key":"b","value":"2"}])"}});
  EXPECT_EQ(json::serialize(t["metadata"]), R"([{"key":"a","value":"1"},{"key":"b","value":"2"}])");
  t = update(id, {{"metadata", R"([{"key":"a","value":null},{"key":"b","value":"3"}])"}});
  EXPECT_EQ(json::serialize(t["metadata"]), R"([{"key":"b","value":"3"}])");

  // custom fields: set, change, null clears
  const std::string num = fields_["Numeric"];
  t = update(id, {{"customFields", json::serialize(json::array{json::object{{"id", num}, {"value", "5"}}})}});
  EXPECT_EQ(json::serialize(t["customFields"]), R"([{"id":")" + num + R"(","value":"5"}])");
  t = update(id, {{"customFields", json::serialize(json::array{json::object{{"id", num}, {"value", nullptr}}})}});
  EXPECT_EQ(t["customFields"].as_array().size(), 0u);

  // priorityBefore / priorityAfter order relative to another task
  const std::string other = str(create(projects_[1], {{"title", "Other"}})["id"]);
  const std::string op = str(get_task(other)["priority"]);
  t = update(id, {{"priorityBefore", other}});
  EXPECT_LT(str(t["priority"]), op);
  t = update(id, {{"priorityAfter", other}});
  EXPECT_GT(str(t["priority"]), op);

  // any write bumps updatedDate, even one that changes only metadata
  step();
  t = update(id, {{"metadata", R"([{"key":"c","value":"x"}])"}});
  EXPECT_EQ(t["updatedDate"], json::value(detail_format(now)));
  emu_->store().set_clock([] { return std::chrono::system_clock::now(); });
}

TEST_F(WrikeWriteTest, ModifyErrors) {
  const std::string id = str(create(projects_[0], {{"title", "E"}})["id"]);
  expect_api_error(api_.put("/tasks/IEAAAAAAKQZZZZZZ", {{"title", "x"}}), 404, "resource_not_found");
  expect_api_error(api_.put("/tasks/" + id, {{"parents", "[]"}}), 400, "invalid_request");
  expect_api_error(api_.put("/tasks/" + id, {{"title", ""}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/tasks/" + id, {{"addResponsibles", R"(["KUNOBODY"])"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/tasks/" + id, {{"customFields", "[{]"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/tasks/" + id, {{"restore", "maybe"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/tasks/" + id + "," + id + "X", {{"title", "x"}}), 400, "invalid_request");
  // a failed modify changes nothing
  auto before = get_task(id);
  expect_api_error(api_.put("/tasks/" + id, {{"title", "Changed"}, {"addParents", R"(["IEAAAAAAI4ZZZZZZ"])"}}), 400,
                   "invalid_parameter");
  EXPECT_EQ(get_task(id), before);
  // the method override runs the PUT
  auto r = api_.get("/tasks/" + id + "?method=PUT&title=" + enc("Via GET"));
  EXPECT_EQ(api_.one(r, "tasks")["title"], "Via GET");
}

TEST_F(WrikeWriteTest, DeleteAndRestore) {
  const std::string parent = str(create(projects_[2], {{"title", "Parent"}})["id"]);
  const std::string id =
      str(create(projects_[2], {{"title", "Doomed"}, {"superTasks", json::serialize(json::array{parent})}})["id"]);
  const std::string rb = emu_->store().recycle_bin_id();
  auto d = api_.one(api_.del("/tasks/" + id), "tasks");
  EXPECT_EQ(d["scope"], "RbTask");
  EXPECT_EQ(strings(d["parentIds"]), std::vector<std::string>{rb});
  EXPECT_EQ(d["superParentIds"].as_array().size(), 0u);
  EXPECT_EQ(get_task(id)["scope"], "RbTask");
  for (const auto& t : api_.data("/folders/" + projects_[2] + "/tasks?subTasks=true")) EXPECT_NE(t.at("id"), json::value(id));
  // deleting again answers the same, without a change
  EXPECT_EQ(api_.one(api_.del("/tasks/" + id), "tasks"), d);
  expect_api_error(api_.del("/tasks/IEAAAAAAKQZZZZZZ"), 404, "resource_not_found");
  expect_api_error(api_.send("DELETE", "/tasks/" + id, {{"fields", "[]"}}), 400, "invalid_request");
  // restore puts it back where it was
  auto r = update(id, {{"restore", "true"}});
  EXPECT_EQ(r["scope"], "WsTask");
  EXPECT_EQ(strings(r["parentIds"]), std::vector<std::string>{projects_[2]});
  bool listed = false;
  for (const auto& t : api_.data("/folders/" + projects_[2] + "/tasks?subTasks=true")) listed |= t.at("id") == json::value(id);
  EXPECT_TRUE(listed);
}

// ---- folders ----------------------------------------------------------------------------------

TEST_F(WrikeWriteTest, ModifyFolder) {
  const std::string p = projects_[1];
  auto f = api_.one(api_.put("/folders/" + p, {{"title", "Renamed"}, {"description", "<p>About</p>"}}), "folders");
  EXPECT_EQ(f["title"], "Renamed");
  EXPECT_EQ(f["description"], "<p>About</p>");

  // parents: childIds of the old and new parent follow
  const std::string old_parent = strings(f["parentIds"]).front();
  const std::string new_parent = projects_[0];
  f = api_.one(api_.put("/folders/" + p, {{"addParents", json::serialize(json::array{new_parent})},
                                          {"removeParents", json::serialize(json::array{old_parent})}}),
               "folders");
  EXPECT_EQ(strings(f["parentIds"]), std::vector<std::string>{new_parent});
  auto np = api_.data("/folders/" + new_parent).at(0).as_object();
  EXPECT_TRUE(has(strings(np["childIds"]), p));
  auto op = api_.data("/folders/" + old_parent).at(0).as_object();
  EXPECT_FALSE(has(strings(op["childIds"]), p));
  // no cycles: the new parent is now inside p
  expect_api_error(api_.put("/folders/" + new_parent, {{"addParents", json::serialize(json::array{p})}}), 400,
                   "invalid_parameter");
  api_.put("/folders/" + p, {{"addParents", json::serialize(json::array{old_parent})},
                             {"removeParents", json::serialize(json::array{new_parent})}});

  f = api_.one(api_.put("/folders/" + p, {{"addShareds", json::serialize(json::array{persons_[2]})},
                                          {"metadata", R"([{"key":"m","value":"1"}])"},
                                          {"customFields", json::serialize(json::array{json::object{
                                                               {"id", fields_["Currency"]}, {"value", "1234.5"}}})}}),
               "folders");
  EXPECT_TRUE(has(strings(f["sharedIds"]), persons_[2]));
  EXPECT_EQ(json::serialize(f["metadata"]), R"([{"key":"m","value":"1"}])");
  bool cf_set = false;
  for (const auto& v : f["customFields"].as_array())
    cf_set |= v.at("id") == json::value(fields_["Currency"]) && v.at("value") == "1234.5";
  EXPECT_TRUE(cf_set);

  // the project block
  const auto owners = strings(f["project"].at("ownerIds"));
  f = api_.one(api_.put("/folders/" + p, {{"project", json::serialize(json::object{
                                                          {"ownersAdd", json::array{persons_[1], persons_[2]}},
                                                          {"startDate", "2026-01-01"},
                                                          {"endDate", "2026-02-01"},
                                                          {"status", "Completed"}})}}),
               "folders");
  auto pr = f["project"].as_object();
  EXPECT_TRUE(has(strings(pr["ownerIds"]), persons_[1]));
  EXPECT_EQ(pr["startDate"], "2026-01-01");
  EXPECT_EQ(pr["endDate"], "2026-02-01");
  EXPECT_TRUE(pr.contains("completedDate"));
  EXPECT_EQ(groups_[str(pr["customStatusId"])], "Completed");
  f = api_.one(api_.put("/folders/" + p, {{"project", json::serialize(json::object{
                                                          {"ownersRemove", json::array{persons_[1]}},
                                                          {"customStatusId", status_in_group("Active")}})}}),
               "folders");
  pr = f["project"].as_object();
  EXPECT_FALSE(has(strings(pr["ownerIds"]), persons_[1]));
  EXPECT_FALSE(pr.contains("completedDate"));
  EXPECT_NE(pr["status"], "Completed");
  (void)owners;

  // errors
  expect_api_error(api_.put("/folders/" + p, {{"project", R"({"endDate":"2025-01-01"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/folders/" + p, {{"project", R"({"owners":[]})"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/folders/" + p, {{"project", R"({"status":"Purple"})"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/folders/" + p, {{"shareds", "[]"}}), 400, "invalid_request");
  expect_api_error(api_.put("/folders/" + emu_->store().root_folder_id(), {{"title", "x"}}), 403, "not_allowed");
  expect_api_error(api_.put("/folders/IEAAAAAAI4ZZZZZZ", {{"title", "x"}}), 404, "resource_not_found");

  // a null project turns it back into a folder
  f = api_.one(api_.put("/folders/" + p, {{"project", "null"}}), "folders");
  EXPECT_FALSE(f.contains("project"));
  f = api_.one(api_.put("/folders/" + p, {{"project", R"({"status":"Green"})"}}), "folders");
  EXPECT_EQ(f["project"].at("status"), "Green");
}

// ---- the metadata filter (the SDK's create dedupe) --------------------------------------------

TEST_F(WrikeWriteTest, MetadataFilterFindsACreate) {
  const std::string key = "wrike_cascade_key";
  const std::string value = "cascade-42";
  const std::string id = str(create(projects_[0], {{"title", "Keyed"},
                                                   {"metadata", json::serialize(json::array{json::object{
                                                                    {"key", key}, {"value", value}}})}})["id"]);
  const std::string filter = enc(json::serialize(json::object{{"key", key}, {"value", value}}));
  auto found = api_.data("/folders/" + projects_[0] + "/tasks?subTasks=true&fields=" + enc(R"(["metadata","parentIds"])") +
                         "&metadata=" + filter);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("id"), json::value(id));
  EXPECT_EQ(api_.data("/tasks?metadata=" + filter).size(), 1u);
  EXPECT_EQ(api_.data("/tasks?metadata=" + enc(json::serialize(json::object{{"key", key}, {"value", "other"}}))).size(), 0u);
  EXPECT_EQ(api_.data("/folders/" + projects_[1] + "/tasks?metadata=" + filter).size(), 0u);
}

TEST_F(WrikeWriteTest, ListingsFollowWrites) {
  // The first page's sorted order is cached; a write must be visible at once.
  const std::string q = "/folders/" + projects_[0] + "/tasks?pageSize=2&sortField=Title&subTasks=true";
  auto first = api_.data(q);
  ASSERT_FALSE(first.empty());
  const std::string id = str(create(projects_[0], {{"title", "0000 first by title"}})["id"]);
  EXPECT_EQ(api_.data(q).at(0).at("id"), json::value(id));
  update(id, {{"title", "zzzz last by title"}});
  EXPECT_NE(api_.data(q).at(0).at("id"), json::value(id));
  // store helpers too
  emu_->store().modify_task(id, json::object{{"title", "0001 first again"}});
  EXPECT_EQ(api_.data(q).at(0).at("id"), json::value(id));
  // and a paged walk sees each task once
  std::set<std::string> seen;
  std::string token;
  std::size_t pages = 0;
  do {
    auto r = api_.get(q + (token.empty() ? "" : "&nextPageToken=" + token));
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = r.json().as_object();
    for (const auto& t : o["data"].as_array()) EXPECT_TRUE(seen.insert(str(t.at("id"))).second);
    token = o.contains("nextPageToken") ? str(o["nextPageToken"]) : "";
    ++pages;
  } while (!token.empty() && pages < 100);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(api_.get(q).json().at("responseSize").as_int64()));
}
