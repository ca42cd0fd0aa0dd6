// The Wrike emulator's webhooks (wrike-api.md §6): the management API and model, the secret
// handshake against a small in-test receiver (plain and HTTPS), signed and batched deliveries
// raised by API writes and by the store's helpers, scope and event filtering, retries,
// timeouts, suspension after failed deliveries, and re-activation.
#include "emu_test_util.hpp"
#include "shared_dir.hpp"

#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <wrike/webhook_signature.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

using namespace std::chrono_literals;
using namespace wrike_cascade::emulator;
using emutest::Api;
using emutest::enc;
using emutest::expect_api_error;
using emutest::Form;
using emutest::Receiver;
using emutest::str;
namespace json = boost::json;

namespace {

constexpr const char* kToken = "emulator-token";
constexpr const char* kSecret = "hook-s3cret";

WrikeEmulatorOptions options() {
  WrikeEmulatorOptions o;
  o.server.rate_limit.max_requests = 0;
  o.generator.spaces = 2;
  o.generator.projects_per_space = 3;
  o.generator.folders_per_space = 1;
  o.generator.tasks_per_project = 3;
  o.generator.subtasks_per_task = 1;
  o.webhooks.batch_window = 250ms;
  o.webhooks.max_retries = 2;
  o.webhooks.retry_backoff = 20ms;
  o.webhooks.suspend_after_failures = 2;
  o.webhooks.delivery_timeout = 400ms;
  return o;
}

json::array events_of(const Receiver::Hit& h) { return json::parse(h.body).as_array(); }

class WrikeWebhookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emu_ = new WrikeEmulator(options());
    emu_->start();
  }
  static void TearDownTestSuite() {
    delete emu_;
    emu_ = nullptr;
  }
  void SetUp() override {
    // every test starts without hooks
    for (const auto& h : api_.data("/webhooks")) api_.del("/webhooks/" + str(h.at("id")));
    emu_->reset_webhook_log();
    receiver_.clear();
    receiver_.set_handshake(Receiver::Handshake::correct);
    receiver_.server().clear_faults();
  }

  json::object create_hook(const std::string& where, Form form) {
    return api_.one(api_.post(where + "/webhooks", form), "webhooks");
  }
  // A project that sits inside a plain folder, that folder, and the space.
  struct Tree {
    std::string space, other_space, folder, project, sibling_project;
  };
  Tree tree() {
    Tree t;
    auto spaces = api_.data("/spaces");
    t.space = str(spaces.at(0).at("id"));
    t.other_space = str(spaces.at(1).at("id"));
    for (const auto& f : api_.data("/spaces/" + t.space + "/folders?fields=" + enc(R"(["space"])"))) {
      const auto& o = f.as_object();
      if (o.contains("project")) {
        const auto parent = str(o.at("parentIds").at(0));
        if (parent != t.space && t.project.empty()) {
          t.project = str(o.at("id"));
          t.folder = parent;
        } else if (parent == t.space && t.sibling_project.empty()) {
          t.sibling_project = str(o.at("id"));
        }
      }
    }
    EXPECT_FALSE(t.project.empty());
    EXPECT_FALSE(t.sibling_project.empty());
    return t;
  }
  std::string task_in(const std::string& folder) {
    auto d = api_.data("/folders/" + folder + "/tasks?descendants=false");
    EXPECT_FALSE(d.empty());
    return d.empty() ? std::string() : str(d.at(0).at("id"));
  }
  WebhookStats stats_of(const std::string& id) {
    for (auto& s : emu_->webhook_stats())
      if (s.id == id) return s;
    ADD_FAILURE() << "no stats for " << id;
    return {};
  }

  static WrikeEmulator* emu_;
  Api api_{emu_->http_url(), kToken};
  Receiver receiver_{kSecret};
};

WrikeEmulator* WrikeWebhookTest::emu_ = nullptr;

}  // namespace

// ---- management ---------------------------------------------------------------------------------

TEST_F(WrikeWebhookTest, ManagementAndModel) {
  const auto t = tree();
  const std::string acct = emu_->store().account_id();
  auto a = create_hook("", {{"hookUrl", receiver_.url("a")}});
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a["accountId"], json::value(acct));
  EXPECT_EQ(a["hookUrl"], json::value(receiver_.url("a")));
  EXPECT_EQ(a["status"], "Active");
  EXPECT_FALSE(a.contains("events"));

  auto f = create_hook("/folders/" + t.project,
                       {{"hookUrl", receiver_.url("f")}, {"events", "[TaskCreated, TaskDeleted,TaskCreated]"}, {"recursive", "true"}});
  EXPECT_EQ(f["folderId"], json::value(t.project));
  EXPECT_EQ(json::serialize(f["events"]), R"(["TaskCreated","TaskDeleted"])");
  EXPECT_EQ(f["recursive"], true);
  auto q = create_hook("/folders/" + t.folder, {{"hookUrl", receiver_.url("q")}, {"events", R"(["TaskStatusChanged"])"}});
  EXPECT_EQ(q["recursive"], false);  // folder hooks say it either way
  auto s = create_hook("/spaces/" + t.space, {{"hookUrl", receiver_.url("s")}});
  EXPECT_EQ(s["spaceId"], json::value(t.space));
  EXPECT_FALSE(s.contains("recursive"));

  // the model has the fixture's keys in the fixture's order
  if (auto dir = wrike_cascade::testing::shared_dir()) {
    std::ifstream in(*dir / "wrike-fixtures/unattributed/nextflowbot__webhooks_list_folder_hook.json");
    std::stringstream ss;
    ss << in.rdbuf();
    auto fixture = json::parse(ss.str()).at("data").at(0).as_object();
    std::vector<std::string> theirs, ours;
    for (const auto& m : fixture) theirs.emplace_back(m.key());
    for (const auto& m : f) ours.emplace_back(m.key());
    EXPECT_EQ(ours, theirs);
  }

  auto list = api_.data("/webhooks");
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[1].as_object(), f);
  auto two = api_.data("/webhooks/" + str(a["id"]) + "," + str(s["id"]));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].as_object(), s);
  expect_api_error(api_.get("/webhooks/" + str(a["id"]) + ",IEAAAAAAJAZZZZZZ"), 404, "resource_not_found");

  auto suspended = api_.one(api_.put("/webhooks/" + str(a["id"]), {{"status", "Suspended"}}), "webhooks");
  EXPECT_EQ(suspended["status"], "Suspended");
  EXPECT_EQ(api_.data("/webhooks/" + str(a["id"])).at(0).at("status"), "Suspended");
  EXPECT_EQ(api_.one(api_.put("/webhooks/" + str(a["id"]), {{"status", "Active"}}), "webhooks")["status"], "Active");
  expect_api_error(api_.put("/webhooks/" + str(a["id"]), {{"status", "Paused"}}), 400, "invalid_parameter");
  expect_api_error(api_.put("/webhooks/" + str(a["id"]), {}), 400, "parameter_required");
  expect_api_error(api_.put("/webhooks/" + str(a["id"]), {{"hookUrl", "http://x"}}), 400, "invalid_request");

  auto del = api_.del("/webhooks/" + str(a["id"]));
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(del.body, R"({"kind":"webhooks","data":[]})");
  expect_api_error(api_.get("/webhooks/" + str(a["id"])), 404, "resource_not_found");
  expect_api_error(api_.del("/webhooks/" + str(a["id"])), 404, "resource_not_found");
  EXPECT_EQ(api_.data("/webhooks").size(), 3u);

  // create errors
  auto msg = expect_api_error(api_.post("/webhooks", {{"secret", "x"}}), 400, "parameter_required");
  EXPECT_NE(msg.find("hookUrl"), std::string::npos);
  expect_api_error(api_.post("/webhooks", {{"hookUrl", "ftp://example.com/x"}}), 400, "invalid_parameter");
  msg = expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("a")}, {"events", "[TaskCreated,TaskExploded]"}}), 400,
                         "invalid_parameter");
  EXPECT_NE(msg.find("TaskExploded"), std::string::npos) << msg;
  expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("a")}, {"events", "TaskCreated"}}), 400, "invalid_parameter");
  expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("a")}, {"events", "[]"}}), 400, "invalid_parameter");
  expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("a")}, {"recursive", "true"}}), 400, "invalid_request");
  expect_api_error(api_.post("/spaces/" + t.space + "/webhooks", {{"hookUrl", receiver_.url("a")}, {"recursive", "true"}}), 400,
                   "invalid_request");
  expect_api_error(api_.post("/folders/IEAAAAAAI4ZZZZZZ/webhooks", {{"hookUrl", receiver_.url("a")}}), 404, "resource_not_found");
  expect_api_error(api_.post("/spaces/" + t.project + "/webhooks", {{"hookUrl", receiver_.url("a")}}), 404, "resource_not_found");
  expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("a")}, {"secret", ""}}), 400, "invalid_parameter");
  EXPECT_EQ(api_.data("/webhooks").size(), 3u);
  // without a secret nothing calls the hook URL at creation
  EXPECT_TRUE(receiver_.hits().empty());
}

// ---- handshake ----------------------------------------------------------------------------------

TEST_F(WrikeWebhookTest, SecretHandshake) {
  auto h = create_hook("", {{"hookUrl", receiver_.url("hs")}, {"secret", kSecret}});
  EXPECT_EQ(h["status"], "Active");
  auto hits = receiver_.hits("hs");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].body, R"({"requestType":"WebHook secret verification"})");
  EXPECT_EQ(hits[0].signature, wrike::hmac_sha256_hex(kSecret, hits[0].body));
  EXPECT_GE(hits[0].challenge.size(), 32u);
  for (char c : hits[0].challenge) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << hits[0].challenge;

  // wrong answers fail the create, and no hook is left behind
  for (auto mode : {Receiver::Handshake::wrong, Receiver::Handshake::echo, Receiver::Handshake::missing}) {
    receiver_.set_handshake(mode);
    auto msg = expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("bad")}, {"secret", kSecret}}), 400,
                                "invalid_parameter");
    EXPECT_NE(msg.find("verification failed"), std::string::npos) << msg;
  }
  receiver_.set_handshake(Receiver::Handshake::correct);
  receiver_.server().add_fault(FaultRule::http_status(500).on("POST", "/bad"));
  auto msg = expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("bad")}, {"secret", kSecret}}), 400,
                              "invalid_parameter");
  EXPECT_NE(msg.find("500"), std::string::npos) << msg;
  // nobody listening
  expect_api_error(api_.post("/webhooks", {{"hookUrl", "http://127.0.0.1:1/x"}, {"secret", kSecret}}), 400, "invalid_parameter");
  EXPECT_EQ(api_.data("/webhooks").size(), 1u);
}

TEST_F(WrikeWebhookTest, HttpsHookUrlsVerifyTheReceiver) {
  // This suite's emulator does not trust the receiver's CA: verification is on.
  auto msg = expect_api_error(api_.post("/webhooks", {{"hookUrl", receiver_.url("tls", true)}, {"secret", kSecret}}), 400,
                              "invalid_parameter");
  EXPECT_NE(msg.find("did not answer"), std::string::npos) << msg;

  auto o = options();
  o.generator.spaces = 1;
  o.webhooks.ca_pem = receiver_.server().ca_cert_pem();
  WrikeEmulator trusting(o);
  trusting.start();
  Api api(trusting.http_url(), kToken);
  auto h = api.one(api.post("/webhooks", {{"hookUrl", receiver_.url("tls", true)}, {"secret", kSecret}}), "webhooks");
  ASSERT_EQ(h["status"], "Active");
  trusting.store().add_task(trusting.store().root_folder_id(), json::object{{"title", "over TLS"}});
  ASSERT_TRUE(trusting.wait_for_idle(5s));
  auto d = receiver_.deliveries("tls");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].signature, wrike::hmac_sha256_hex(kSecret, d[0].body));
}

// ---- deliveries ---------------------------------------------------------------------------------

TEST_F(WrikeWebhookTest, SignedBatchedDeliveryOnApiWrites) {
  const auto t = tree();
  auto h = create_hook("", {{"hookUrl", receiver_.url("d")}, {"secret", kSecret}});
  const std::string task = task_in(t.project);
  const auto before = emu_->store().task(task).value();
  // three quick writes: one batch
  api_.put("/tasks/" + task, {{"title", "Renamed by the test"}});
  api_.put("/tasks/" + task, {{"importance", str(before.at("importance")) == "High" ? "Low" : "High"}});
  api_.put("/tasks/" + task, {{"status", str(before.at("status")) == "Completed" ? "Active" : "Completed"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  auto d = receiver_.deliveries("d");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].signature, wrike::hmac_sha256_hex(kSecret, d[0].body));
  auto events = events_of(d[0]);
  ASSERT_EQ(events.size(), 3u) << d[0].body;
  const auto after = emu_->store().task(task).value();
  auto e0 = events[0].as_object();
  // the fixture's common fields, in its order
  std::vector<std::string> keys;
  for (const auto& m : e0) keys.emplace_back(m.key());
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 5),
            (std::vector<std::string>{"taskId", "webhookId", "eventAuthorId", "eventType", "lastUpdatedDate"}));
  EXPECT_EQ(e0["taskId"], json::value(task));
  EXPECT_EQ(e0["webhookId"], h["id"]);
  EXPECT_EQ(e0["eventAuthorId"], json::value(emu_->store().me_contact_id()));
  EXPECT_EQ(e0["eventType"], "TaskTitleChanged");
  EXPECT_EQ(e0["oldValue"], before.at("title"));
  EXPECT_EQ(e0["title"], "Renamed by the test");
  auto e1 = events[1].as_object();
  EXPECT_EQ(e1["eventType"], "TaskImportanceChanged");
  EXPECT_EQ(e1["oldValue"], before.at("importance"));
  auto e2 = events[2].as_object();
  EXPECT_EQ(e2["eventType"], "TaskStatusChanged");
  EXPECT_EQ(e2["oldStatus"], before.at("status"));
  EXPECT_EQ(e2["status"], after.at("status"));
  EXPECT_EQ(e2["oldCustomStatusId"], before.at("customStatusId"));
  EXPECT_EQ(e2["customStatusId"], after.at("customStatusId"));
  EXPECT_EQ(e2["lastUpdatedDate"], after.at("updatedDate"));

  // more kinds, through the API
  receiver_.clear();
  const auto persons = api_.data("/contacts?types=" + enc(R"(["Person"])") + "&deleted=false");
  json::value newcomer;
  for (const auto& p : persons) {
    bool already = false;
    for (const auto& r : after.at("responsibleIds").as_array()) already |= r == p.at("id");
    if (!already) newcomer = p.at("id");
  }
  ASSERT_TRUE(newcomer.is_string());
  std::string numeric;
  for (const auto& cf : api_.data("/customfields"))
    if (cf.at("type") == "Numeric") numeric = str(cf.at("id"));
  api_.put("/tasks/" + task, {{"dates", R"({"type":"Milestone","due":"2026-05-05"})"},
                              {"addResponsibles", json::serialize(json::array{newcomer})},
                              {"addParents", json::serialize(json::array{t.sibling_project})},
                              {"customFields", json::serialize(json::array{json::object{{"id", numeric}, {"value", "21"}}})},
                              {"description", "<p>changed</p>"}});
  const std::string created = str(api_.one(api_.post("/folders/" + t.project + "/tasks", {{"title", "New one"}}), "tasks")["id"]);
  api_.del("/tasks/" + created);
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  std::map<std::string, json::object> by_type;
  for (const auto& hit : receiver_.deliveries("d"))
    for (const auto& e : events_of(hit)) by_type[str(e.at("eventType"))] = e.as_object();
  for (auto type : {"TaskDatesChanged", "TaskResponsiblesAdded", "TaskParentsAdded", "TaskCustomFieldChanged",
                    "TaskDescriptionChanged", "TaskCreated", "TaskDeleted"})
    EXPECT_TRUE(by_type.contains(type)) << type;
  EXPECT_EQ(json::serialize(by_type["TaskDatesChanged"]["dates"]), R"({"type":"Milestone","due":"2026-05-05T17:00:00"})");
  EXPECT_EQ(by_type["TaskResponsiblesAdded"]["addedResponsibles"], json::array{newcomer});
  EXPECT_EQ(by_type["TaskParentsAdded"]["addedParents"], json::array{json::value(t.sibling_project)});
  EXPECT_EQ(by_type["TaskCustomFieldChanged"]["customFieldId"], json::value(numeric));
  EXPECT_EQ(by_type["TaskCustomFieldChanged"]["value"], "21");
  EXPECT_EQ(by_type["TaskDeleted"]["taskId"], json::value(created));
  EXPECT_FALSE(by_type.contains("TaskParentsRemoved"));  // a delete is only TaskDeleted

  auto st = stats_of(str(h["id"]));
  EXPECT_EQ(st.failures, 0u);
  EXPECT_EQ(st.events_delivered, st.events_queued);
  EXPECT_EQ(st.attempts, st.successes);
}

TEST_F(WrikeWebhookTest, StoreHelpersAndFoldersRaiseEvents) {
  const auto t = tree();
  create_hook("", {{"hookUrl", receiver_.url("st")}});
  auto& store = emu_->store();
  const std::string id = store.add_task(t.project, json::object{{"title", "Helper"}});
  store.modify_task(id, json::object{{"status", "Cancelled"}});
  store.touch_task(id);  // no event
  store.delete_task(id);
  const auto project = store.folder(t.project).value().at("project").as_object();
  const std::string new_status = project.at("status") == "Red" ? "Yellow" : "Red";
  store.modify_folder(t.project, json::object{{"title", "Project renamed"},
                                              {"project", json::object{{"status", new_status}, {"endDate", "2027-01-01"}}}});
  // an owner who is not one yet
  std::string owner;
  for (const auto& c : api_.data("/contacts?types=" + enc(R"(["Person"])") + "&deleted=false")) {
    bool already = false;
    for (const auto& o : project.at("ownerIds").as_array()) already |= o == c.at("id");
    if (!already) owner = str(c.at("id"));
  }
  ASSERT_FALSE(owner.empty());
  api_.put("/folders/" + t.project, {{"project", R"({"ownersAdd":[")" + owner + R"("]})"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  std::vector<json::object> events;
  for (const auto& hit : receiver_.deliveries("st"))
    for (const auto& e : events_of(hit)) events.push_back(e.as_object());
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(str(e.at("eventType")));
  EXPECT_EQ(types, (std::vector<std::string>{"TaskCreated", "TaskStatusChanged", "TaskDeleted", "FolderTitleChanged",
                                             "ProjectStatusChanged", "ProjectDatesChanged", "ProjectOwnersAdded"}));
  if (events.size() == 7) {
    EXPECT_EQ(events[1].at("status"), "Cancelled");
    EXPECT_EQ(events[4].at("oldStatus"), project.at("status"));
    EXPECT_EQ(events[4].at("status"), json::value(new_status));
    EXPECT_EQ(events[5].at("dates").at("endDate"), "2027-01-01");
    EXPECT_EQ(events[6].at("addedOwners"), json::array{json::value(owner)});
    EXPECT_EQ(events[6].at("folderId"), json::value(t.project));
  }
  for (const auto& hit : receiver_.deliveries("st"))
    for (const auto& e : events_of(hit))
      if (e.at("eventType") == "FolderTitleChanged") {
        EXPECT_EQ(e.at("folderId"), json::value(t.project));
        EXPECT_FALSE(e.as_object().contains("taskId"));
      }
}

TEST_F(WrikeWebhookTest, ScopeAndEventFilters) {
  const auto t = tree();
  // tasks of their own (other tests give tasks extra parents), made before the hooks exist
  const std::string in_project = emu_->store().add_task(t.project, json::object{{"title", "Scoped"}});
  const std::string in_sibling = emu_->store().add_task(t.sibling_project, json::object{{"title", "Sibling"}});
  create_hook("", {{"hookUrl", receiver_.url("account")}});
  create_hook("", {{"hookUrl", receiver_.url("account_deleted_only")}, {"events", "[TaskDeleted]"}});
  create_hook("/spaces/" + t.space, {{"hookUrl", receiver_.url("space")}});
  create_hook("/spaces/" + t.other_space, {{"hookUrl", receiver_.url("other_space")}});
  create_hook("/folders/" + t.project, {{"hookUrl", receiver_.url("project")}});
  create_hook("/folders/" + t.folder, {{"hookUrl", receiver_.url("folder_direct")}});
  create_hook("/folders/" + t.folder, {{"hookUrl", receiver_.url("folder_recursive")}, {"recursive", "true"}});
  create_hook("/folders/" + t.sibling_project, {{"hookUrl", receiver_.url("sibling")}, {"recursive", "true"}});

  api_.put("/tasks/" + in_project, {{"title", "Scoped change"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  auto got = [&](const std::string& name) { return !receiver_.deliveries(name).empty(); };
  EXPECT_TRUE(got("account"));
  EXPECT_FALSE(got("account_deleted_only"));
  EXPECT_TRUE(got("space"));
  EXPECT_FALSE(got("other_space"));
  EXPECT_TRUE(got("project"));
  EXPECT_FALSE(got("folder_direct"));  // the task is a grandchild of the folder
  EXPECT_TRUE(got("folder_recursive"));
  EXPECT_FALSE(got("sibling"));

  // a folder change: the folder's own hook and its parent's direct hook see it
  receiver_.clear();
  api_.put("/folders/" + t.project, {{"title", "Moved project"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  EXPECT_TRUE(got("project"));
  EXPECT_TRUE(got("folder_direct"));
  EXPECT_TRUE(got("space"));
  EXPECT_FALSE(got("sibling"));
  EXPECT_FALSE(got("other_space"));
  EXPECT_FALSE(got("account_deleted_only"));

  // the events filter lets TaskDeleted through
  receiver_.clear();
  api_.del("/tasks/" + in_sibling);
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  EXPECT_TRUE(got("account_deleted_only"));
  EXPECT_TRUE(got("sibling"));
  EXPECT_FALSE(got("project"));
}

TEST_F(WrikeWebhookTest, RetriesAndTimeouts) {
  const auto t = tree();
  auto h = create_hook("", {{"hookUrl", receiver_.url("r")}, {"secret", kSecret}});
  receiver_.server().add_fault(FaultRule::http_status(500).on("POST", "/r").repeat(1));
  receiver_.server().add_fault(FaultRule::stall(1500ms).on("POST", "/r").repeat(1));  // beyond the 400 ms timeout
  emu_->store().modify_task(task_in(t.project), json::object{{"title", "Retried"}});
  ASSERT_TRUE(emu_->wait_for_idle(10s));
  auto log = emu_->webhook_deliveries();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].attempt, 1);
  EXPECT_EQ(log[0].status, 500);
  EXPECT_EQ(log[1].attempt, 2);
  EXPECT_EQ(log[1].status, 0);
  EXPECT_FALSE(log[1].error.empty());
  EXPECT_EQ(log[2].attempt, 3);
  EXPECT_TRUE(log[2].ok);
  EXPECT_EQ(log[2].body, log[0].body);  // the same batch, the same signature
  EXPECT_EQ(log[2].signature, wrike::hmac_sha256_hex(kSecret, log[2].body));
  EXPECT_GE(log[2].time - log[1].time, 0ms);
  auto st = stats_of(str(h["id"]));
  EXPECT_EQ(st.attempts, 3u);
  EXPECT_EQ(st.successes, 1u);
  EXPECT_EQ(st.failures, 2u);
  EXPECT_EQ(st.failed_deliveries, 0u);
  EXPECT_EQ(st.events_delivered, 1u);
  EXPECT_EQ(st.status, "Active");
  // the receiver's handler ran for the handshake and the one successful delivery
  EXPECT_EQ(receiver_.deliveries("r").size(), 1u);
}

TEST_F(WrikeWebhookTest, SuspensionAfterFailedDeliveriesAndReactivation) {
  const auto t = tree();
  auto h = create_hook("", {{"hookUrl", receiver_.url("sus")}});
  const std::string hook = str(h["id"]);
  const std::string task = task_in(t.project);
  auto fault = receiver_.server().add_fault(FaultRule::http_status(503).on("POST", "/sus").forever());
  // two failed deliveries (each after 1 + 2 attempts) suspend the hook
  emu_->store().modify_task(task, json::object{{"title", "fail 1"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  EXPECT_EQ(stats_of(hook).status, "Active");
  EXPECT_EQ(stats_of(hook).consecutive_failed_deliveries, 1);
  emu_->store().modify_task(task, json::object{{"title", "fail 2"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  auto st = stats_of(hook);
  EXPECT_EQ(st.status, "Suspended");
  EXPECT_EQ(st.attempts, 6u);
  EXPECT_EQ(st.failed_deliveries, 2u);
  EXPECT_EQ(st.suspensions, 1u);
  EXPECT_EQ(api_.data("/webhooks/" + hook).at(0).at("status"), "Suspended");

  // while suspended nothing is sent, and those events are not replayed later
  emu_->store().modify_task(task, json::object{{"title", "while suspended"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  EXPECT_EQ(stats_of(hook).attempts, 6u);
  receiver_.server().remove_fault(fault);
  EXPECT_EQ(api_.one(api_.put("/webhooks/" + hook, {{"status", "Active"}}), "webhooks")["status"], "Active");
  emu_->store().modify_task(task, json::object{{"title", "after reactivation"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  auto d = receiver_.deliveries("sus");
  ASSERT_EQ(d.size(), 1u);
  auto events = events_of(d[0]);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("title"), "after reactivation");
  EXPECT_EQ(events[0].at("oldValue"), "while suspended");
  st = stats_of(hook);
  EXPECT_EQ(st.consecutive_failed_deliveries, 0);
  EXPECT_EQ(st.events_dropped, 3u);  // two failed batches + one event while suspended
}

TEST_F(WrikeWebhookTest, DeletedAndSuspendedHooksGetNothing) {
  const auto t = tree();
  auto a = create_hook("", {{"hookUrl", receiver_.url("gone")}});
  auto b = create_hook("", {{"hookUrl", receiver_.url("paused")}});
  api_.del("/webhooks/" + str(a["id"]));
  api_.put("/webhooks/" + str(b["id"]), {{"status", "Suspended"}});
  emu_->store().modify_task(task_in(t.project), json::object{{"title", "nobody listens"}});
  ASSERT_TRUE(emu_->wait_for_idle(5s));
  EXPECT_TRUE(receiver_.deliveries("gone").empty());
  EXPECT_TRUE(receiver_.deliveries("paused").empty());
  EXPECT_TRUE(emu_->webhook_deliveries().empty());
}
