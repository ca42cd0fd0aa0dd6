// Every request body the Cascade clients build is validated against the matching operation of
// the matching spec file (../shared/reference/cascade-openapi-*.json), built through the same
// public to_json() functions the clients use. Also: the bodies refuse what the API cannot take,
// and the validator itself finds what it should.
#include "openapi_validator.hpp"

#include <cascade/classic_model.hpp>
#include <cascade/platform_model.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <optional>

namespace {

namespace json = boost::json;
namespace classic = cascade::classic;
namespace platform = cascade::platform;
namespace openapi = wrike_cascade::testing::openapi;
using namespace std::chrono;

constexpr openapi::ValidationOptions kStrict{.forbid_undeclared = true};

class SpecTest : public ::testing::Test {
 protected:
  static std::optional<openapi::Spec> load(const char* name) {
    auto file = openapi::reference_file(name);
    if (!file) return std::nullopt;
    return openapi::Spec::load(*file);
  }
  void SetUp() override {
    classic_ = load("cascade-openapi-classic-v2.json");
    nextgen_ = load("cascade-openapi-nextgen-v4.json");
    if (!classic_ || !nextgen_) GTEST_SKIP() << "../shared/reference/cascade-openapi-*.json not present";
  }
  void expect_valid(const openapi::Spec& spec, const char* operation, const json::object& body) {
    const auto errors = spec.validate_request_body(operation, body, kStrict);
    EXPECT_TRUE(errors.empty()) << operation << " " << json::serialize(body) << "\n  " << openapi::join(errors);
  }
  std::optional<openapi::Spec> classic_, nextgen_;
};

classic::GoalCreate full_goal_create() {
  classic::GoalCreate g;
  g.action = "Increase";
  g.details = "annual recurring revenue to $10M";
  g.start_time = cascade::DateTime(2024y / January / 1);
  g.end_time = cascade::DateTime(sys_days(2024y / December / 31) + 17h);
  g.weight_id = 1;
  g.role_id = classic::RoleId(14);
  g.creator_id = classic::UserId(3);
  g.status = classic::GoalStatus::Draft;
  g.completion_criteria = classic::CompletionCriteria::TargetDeadlineReached;
  g.target_flow = classic::TargetFlow::Under;
  g.initial = 0;
  g.progress = 1.5;
  g.target = 10;
  g.is_private = true;
  g.tracking_type = classic::TrackingType::SubgoalMean;
  g.entity_template_id = classic::TemplateId(7);
  g.direct_focus_area_ids = std::vector{classic::FocusAreaId(3)};
  g.aligned_from_ids = std::vector{classic::GoalId(1300), classic::GoalId(1301)};
  g.aligned_to_ids = std::vector<classic::GoalId>{};
  return g;
}

TEST_F(SpecTest, GoalCreateFullAndMinimal) {
  const auto full = classic::to_json(full_goal_create());
  expect_valid(*classic_, "Create-goal", full);
  const auto& goal = full.at("goal").as_object();
  EXPECT_EQ(full.size(), 1u);
  EXPECT_EQ(goal.at("is_private"), 1);
  EXPECT_EQ(goal.at("status"), "DRAFT");
  EXPECT_EQ(goal.at("tracking_type"), "SUBGOAL-MEAN");
  EXPECT_EQ(goal.at("start_time"), "2024-01-01");
  EXPECT_EQ(goal.at("end_time"), "2024-12-31T17:00:00Z");
  EXPECT_EQ(goal.size(), 19u);

  classic::GoalCreate minimal;
  minimal.action = "Ship";
  minimal.details = "v2";
  minimal.start_time = cascade::DateTime(2024y / May / 1);
  minimal.end_time = cascade::DateTime(2024y / June / 1);
  const auto body = classic::to_json(minimal);
  expect_valid(*classic_, "Create-goal", body);
  EXPECT_EQ(body.at("goal").as_object().size(), 5u);  // exactly the required fields
}

TEST_F(SpecTest, GoalUpdateSendsOnlyWhatIsSet) {
  classic::GoalUpdate u;
  u.progress = 6.25;
  const auto one = classic::to_json(u);
  expect_valid(*classic_, "Update-goal", one);
  EXPECT_EQ(one, json::parse(R"({"goal":{"progress":6.25}})").as_object());

  classic::GoalUpdate all;
  const auto c = full_goal_create();
  all.action = c.action;
  all.details = c.details;
  all.start_time = c.start_time;
  all.end_time = c.end_time;
  all.weight_id = 4;
  all.role_id = c.role_id;
  all.creator_id = c.creator_id;
  all.status = classic::GoalStatus::Archived;
  all.completion_criteria = c.completion_criteria;
  all.target_flow = classic::TargetFlow::None;
  all.initial = c.initial;
  all.progress = c.progress;
  all.target = c.target;
  all.is_private = false;
  all.tracking_type = classic::TrackingType::Tasks;
  all.entity_template_id = c.entity_template_id;
  all.direct_focus_area_ids = c.direct_focus_area_ids;
  all.aligned_from_ids = c.aligned_from_ids;
  all.aligned_to_ids = c.aligned_to_ids;
  const auto body = classic::to_json(all);
  expect_valid(*classic_, "Update-goal", body);
  EXPECT_EQ(body.at("goal").as_object().size(), 19u);
}

TEST_F(SpecTest, TaskCreateAndUpdate) {
  classic::TaskCreate t;
  t.task = "Hire two account executives";
  t.goal_id = classic::GoalId(1201);
  expect_valid(*classic_, "Create-task", classic::to_json(t));
  EXPECT_EQ(json::serialize(classic::to_json(t)), R"({"task":{"task":"Hire two account executives","goal_id":1201}})");
  t.comment = "";
  t.is_complete = false;
  t.role_id = classic::RoleId(14);
  t.start_date = cascade::DateTime(2024y / February / 1);
  t.due_date = cascade::DateTime(sys_days(2024y / March / 31) + 12h);
  t.weight_id = 2;
  t.entity_template_id = classic::TemplateId(2);
  const auto full = classic::to_json(t);
  expect_valid(*classic_, "Create-task", full);
  EXPECT_EQ(full.at("task").at("is_complete"), 0);
  EXPECT_EQ(full.at("task").as_object().size(), 9u);

  classic::TaskUpdate u;
  u.is_complete = true;
  u.goal_id = classic::GoalId(1202);  // moves the task
  u.due_date = cascade::DateTime(2024y / April / 30);
  expect_valid(*classic_, "Update-task", classic::to_json(u));
  EXPECT_EQ(json::serialize(classic::to_json(u)), R"({"task":{"is_complete":1,"goal_id":1202,"due_date":"2024-04-30"}})");
  u.task = "x";
  u.comment = "y";
  u.role_id = classic::RoleId(1);
  u.start_date = cascade::DateTime(2024y / April / 1);
  u.weight_id = 1;
  u.entity_template_id = classic::TemplateId(2);
  expect_valid(*classic_, "Update-task", classic::to_json(u));
}

TEST_F(SpecTest, IssueCreateAndUpdateWithCustomAttributes) {
  classic::IssueCreate i;
  i.issue = "Key customer churn";
  i.goal_id = classic::GoalId(1201);
  expect_valid(*classic_, "Create-risk", classic::to_json(i));
  i.is_critical = true;
  i.is_resolved = false;
  i.role_id = classic::RoleId(14);
  i.due_date = cascade::DateTime(2024y / June / 30);
  i.entity_template_id = classic::TemplateId(9);
  i.custom_attributes = classic::CustomAttributes{{"CA1573011281053", 4}, {"CA1573011296755", 2}};
  const auto full = classic::to_json(i);
  expect_valid(*classic_, "Create-risk", full);
  EXPECT_EQ(full.at("issue").at("custom_attributes").at("CA1573011281053"), 4);

  classic::IssueUpdate u;
  u.is_resolved = true;
  expect_valid(*classic_, "Update-risk", classic::to_json(u));
  u.issue = "Churn";
  u.is_critical = false;
  u.role_id = classic::RoleId(2);
  u.due_date = cascade::DateTime(2024y / July / 1);
  u.entity_template_id = classic::TemplateId(9);
  u.custom_attributes = classic::CustomAttributes{{"CA1573011296755", 5}};
  expect_valid(*classic_, "Update-risk", classic::to_json(u));
  // The schema's custom_attributes lists two example keys and no additionalProperties: any
  // tenant key is valid when undeclared keys are allowed, as the spec says.
  u.custom_attributes = classic::CustomAttributes{{"CA1700000000000", "High"}};
  EXPECT_TRUE(classic_->validate_request_body("Update-risk", classic::to_json(u)).empty());
}

TEST_F(SpecTest, UpdateCreateAndUpdate) {
  classic::UpdateCreate c;
  c.comment = "On track: two deals closed";
  c.goal_id = classic::GoalId(1201);
  expect_valid(*classic_, "Create-update", classic::to_json(c));
  c.entity_template_id = classic::TemplateId(5);
  expect_valid(*classic_, "Create-update", classic::to_json(c));

  classic::UpdateUpdate u;
  u.comment = "Edited";
  expect_valid(*classic_, "Update-update", classic::to_json(u));
  u.created_at = cascade::DateTime(sys_days(2024y / May / 1) + 10h);
  u.updated_at = cascade::DateTime(sys_days(2024y / May / 2) + 10h);
  u.goal_id = classic::GoalId(1202);
  u.deleted = false;
  u.entity_template_id = classic::TemplateId(5);
  const auto body = classic::to_json(u);
  expect_valid(*classic_, "Update-update", body);
  EXPECT_EQ(body.at("update").at("deleted"), 0);
}

TEST_F(SpecTest, PlatformWrites) {
  platform::MeasureValue v{platform::WorkspaceId("ws_1"), platform::PlanId("pl 9/x"), 42.5};
  const auto mv = platform::to_json(v);
  expect_valid(*nextgen_, "UpdateMeasure2", mv);
  EXPECT_EQ(json::serialize(mv), R"({"workspace_id":"ws_1","plan_id":"pl 9/x","measure_value":4.25E1})");

  platform::MeasureHistory h;
  h.workspace_id = platform::WorkspaceId("ws_1");
  h.plan_id = platform::PlanId("pl_9");
  h.historical_data = {{2024y / January / 31, 100}, {2024y / February / 29, -3}, {2024y / March / 31, 2147483647}};
  const auto mh = platform::to_json(h);
  expect_valid(*nextgen_, "UpdateMeasureHistoricalValue2", mh);
  EXPECT_EQ(json::serialize(mh.at("historical_data").at(1)), R"({"date":"2024-02-29","value":-3})");

  platform::ActionProgress a{platform::WorkspaceId("ws_1"), platform::PlanId("pl_9"), 75};
  expect_valid(*nextgen_, "UpdateAction2", platform::to_json(a));
  // The same operations by method and path template.
  EXPECT_TRUE(nextgen_->validate_request_body("PUT", "/v2/actions/{actionId}", platform::to_json(a), kStrict).empty());
  EXPECT_TRUE(nextgen_->validate_request_body("put", "/v2/measures/historical/{measureId}", mh, kStrict).empty());
}

TEST_F(SpecTest, FractionalHistoryIsOffSpecAndOnlyOnRequest) {
  platform::MeasureHistory h;
  h.workspace_id = platform::WorkspaceId("w");
  h.plan_id = platform::PlanId("p");
  h.historical_data = {{2024y / January / 31, 10.5}};
  EXPECT_THROW((void)platform::to_json(h), wrike_cascade::Error);
  h.allow_fractional_values = true;
  const auto body = platform::to_json(h);
  EXPECT_EQ(body.at("historical_data").at(0).at("value"), 10.5);
  const auto errors = nextgen_->validate_request_body("UpdateMeasureHistoricalValue2", body);
  ASSERT_EQ(errors.size(), 1u) << openapi::join(errors);
  EXPECT_EQ(errors[0], "$.historical_data[0].value: expected integer, got number 1.05E1");
}

// ---- the bodies refuse what the API cannot take -------------------------------------------

std::string invalid_argument_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::invalid_argument);
    return e.detail().context;
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(RequestBodies, RefuseWhatTheApiCannotTake) {
  auto g = full_goal_create();
  g.action = "";
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.action: is required and cannot be empty");
  g = full_goal_create();
  g.action = std::string(26, 'a');
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.action: at most 25 characters, got 26");
  g.action = "Érhöhen";  // 7 characters, 9 bytes
  EXPECT_NO_THROW((void)classic::to_json(g));
  g = full_goal_create();
  g.weight_id = 5;
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.weight_id: must be 1 (highest) .. 4, got 5");
  g = full_goal_create();
  g.status = classic::GoalStatus::Unknown;
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.status: Unknown is not a value Cascade takes");
  g = full_goal_create();
  g.end_time = cascade::DateTime(2023y / January / 1);
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.end_time: is before start_time");
  g = full_goal_create();
  g.target = std::nan("");
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.target: must be a finite number");
  g = full_goal_create();
  g.aligned_to_ids = std::vector{classic::GoalId(0)};
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(g); }), "GoalCreate.aligned_to_ids[0]: not a positive ID");

  EXPECT_EQ(invalid_argument_of([] { (void)classic::to_json(classic::GoalUpdate{}); }), "GoalUpdate: changes nothing");
  EXPECT_EQ(invalid_argument_of([] { (void)classic::to_json(classic::TaskUpdate{}); }), "TaskUpdate: changes nothing");
  EXPECT_EQ(invalid_argument_of([] { (void)classic::to_json(classic::IssueUpdate{}); }), "IssueUpdate: changes nothing");
  EXPECT_EQ(invalid_argument_of([] { (void)classic::to_json(classic::UpdateUpdate{}); }), "UpdateUpdate: changes nothing");

  classic::TaskCreate t;
  t.task = "x";
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(t); }), "TaskCreate.goal_id: is required (a positive ID), got 0");
  classic::IssueCreate i;
  i.goal_id = classic::GoalId(1);
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(i); }), "IssueCreate.issue: is required and cannot be empty");
  i.issue = "x";
  i.custom_attributes = classic::CustomAttributes{{"", 1}};
  EXPECT_EQ(invalid_argument_of([&] { (void)classic::to_json(i); }),
            "IssueCreate.custom_attributes: an attribute key cannot be empty");

  EXPECT_EQ(invalid_argument_of([] { (void)platform::to_json(platform::MeasureValue{}); }),
            "MeasureValue.workspace_id: is required and cannot be empty");
  EXPECT_EQ(invalid_argument_of([] {
              (void)platform::to_json(platform::ActionProgress{platform::WorkspaceId("w"), platform::PlanId("p"), INFINITY});
            }),
            "ActionProgress.action_value: must be a finite number");
  platform::MeasureHistory h{platform::WorkspaceId("w"), platform::PlanId("p"), {}};
  EXPECT_EQ(invalid_argument_of([&] { (void)platform::to_json(h); }), "MeasureHistory.historical_data: is empty: nothing to send");
  h.historical_data = {{2024y / February / 30, 1}};
  EXPECT_EQ(invalid_argument_of([&] { (void)platform::to_json(h); }),
            "MeasureHistory.historical_data[0].date: is not a valid calendar date in 0000..9999");
  h.historical_data = {{2024y / February / 1, 3e9}};
  EXPECT_TRUE(invalid_argument_of([&] { (void)platform::to_json(h); }).starts_with("MeasureHistory.historical_data[0].value: "));
}

// ---- the validator finds what it should ---------------------------------------------------

TEST_F(SpecTest, ValidatorFindsBadClassicBodies) {
  auto errors_of = [&](const char* op, std::string_view body, openapi::ValidationOptions o = kStrict) {
    return classic_->validate_request_body(op, json::parse(body), o);
  };
  EXPECT_EQ(openapi::join(errors_of("Create-goal", R"({})")), "$.goal: required, missing");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x"}})")), "$.task.goal_id: required, missing");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": "12"}})")),
            R"($.task.goal_id: expected integer, got string "12")");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": 1, "weight_id": 7}})")),
            "$.task.weight_id: 7 is not one of [1,2,3,4]");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": 4294967296}})")),
            "$.task.goal_id: 4294967296 is not an int32");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": 1, "is_complete": true}})")),
            "$.task.is_complete: expected integer, got boolean true");
  EXPECT_EQ(openapi::join(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": 1, "owner": 3}})")),
            "$.task.owner: is not a declared property");
  EXPECT_TRUE(errors_of("Create-task", R"({"task": {"task": "x", "goal_id": 1, "owner": 3}})", {}).empty());
  EXPECT_EQ(openapi::join(errors_of("Update-risk", R"({"issue": {"goal_id": 3}})")),
            "$.issue.goal_id: is not a declared property");
  EXPECT_EQ(openapi::join(errors_of("Create-update", R"({"update": {"comment": "x", "goal_id": 1}, "x": 1})")),
            "$.x: is not a declared property");
  EXPECT_EQ(classic_->validate_request_body("No-such-op", json::object{}).at(0), "no operation 'No-such-op' in the document");
  EXPECT_EQ(classic_->validate_request_body("Get-all-goals", json::object{}).at(0),
            "operation 'Get-all-goals' declares no request body");
}

TEST_F(SpecTest, ValidatorFindsBadPlatformBodiesAndMatchesPaths) {
  auto errors_of = [&](const char* op, std::string_view body) {
    return openapi::join(nextgen_->validate_request_body(op, json::parse(body), kStrict));
  };
  EXPECT_EQ(errors_of("UpdateMeasure2", R"({"workspace_id": "w", "plan_id": "p"})"), "$.measure_value: required, missing");
  EXPECT_EQ(errors_of("UpdateAction2", R"({"workspace_id": "w", "plan_id": "p", "action_value": "75"})"),
            R"($.action_value: expected number, got string "75")");
  EXPECT_EQ(errors_of("UpdateMeasureHistoricalValue2",
                      R"({"workspace_id": "w", "plan_id": "p", "historical_data": [{"date": "2024-13-01", "value": 1}]})"),
            R"($.historical_data[0].date: "2024-13-01" is not a date (YYYY-MM-DD))");

  auto op = nextgen_->match("PUT", "/v2/measures/historical/abc");
  ASSERT_TRUE(op);
  EXPECT_EQ(op->operation_id, "UpdateMeasureHistoricalValue2");
  EXPECT_EQ(nextgen_->match("put", "/v2/measures/abc")->operation_id, "UpdateMeasure2");
  EXPECT_EQ(nextgen_->match("GET", "/v2/plans/p1/measures")->operation_id, "GetMeasuresByPlan2");
  EXPECT_EQ(nextgen_->required_query_parameters(*op).size(), 0u);
  EXPECT_EQ(nextgen_->required_query_parameters(*nextgen_->find("GetMeasuresByPlan2")),
            std::vector<std::string>{"workspace_id"});
  EXPECT_EQ(classic_->base_path(), "/api/v2");
  EXPECT_EQ(classic_->match("GET", "/api/v2/goals/12")->operation_id, "Get-single-goal");
  EXPECT_EQ(classic_->match("DELETE", "/goals/12")->operation_id, "Delete-goal");
  EXPECT_FALSE(classic_->match("PATCH", "/goals/12"));

  // Response schemas (for emulator tests): the Swagger's own shapes validate.
  EXPECT_TRUE(nextgen_->validate_response_body("GetWorkspaces2", 200,
                                               json::parse(R"({"workspaces": [{"id": "w", "displayName": "Acme"}]})"))
                  .empty());
  EXPECT_FALSE(nextgen_->validate_response_body("GetWorkspaces2", 200, json::parse(R"({"workspaces": {"id": "w"}})"))
                   .empty());
}

TEST(OpenApiValidator, ResolvesRefsInOpenApi3AndChecksCombinators) {
  const openapi::Spec spec(json::parse(R"({
    "openapi": "3.0.3", "servers": [{"url": "https://api.example.com/v1/"}],
    "paths": {"/things/{id}": {"put": {"operationId": "putThing", "requestBody": {"$ref": "#/components/requestBodies/Thing"}}}},
    "components": {
      "requestBodies": {"Thing": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
      "schemas": {
        "Thing": {"type": "object", "required": ["name"], "additionalProperties": false,
                  "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 5},
                                 "when": {"type": "string", "format": "date-time"},
                                 "size": {"type": "integer", "minimum": 1, "maximum": 10},
                                 "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}, "maxItems": 2},
                                 "note": {"type": "string", "nullable": true},
                                 "id": {"type": "string", "readOnly": true},
                                 "kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                                 "self": {"$ref": "#/components/schemas/Thing"}}},
        "Tag": {"allOf": [{"type": "object", "required": ["k"]}, {"properties": {"k": {"enum": ["a", "b"]}}}]}}}})"));
  EXPECT_EQ(spec.base_path(), "/v1");
  auto errors = [&](std::string_view body) { return openapi::join(spec.validate_request_body("putThing", json::parse(body))); };
  EXPECT_EQ(errors(R"({"name": "ok", "when": "2024-05-01T10:00:00+02:00", "size": 3.0, "tags": [{"k": "a"}], "note": null,
                      "kind": 3, "self": {"name": "x"}})"),
            "");
  EXPECT_EQ(errors(R"({"name": ""})"), "$.name: shorter than minLength 1");
  EXPECT_EQ(errors(R"({"name": "toolong"})"), "$.name: longer than maxLength 5");
  EXPECT_EQ(errors(R"({"name": "x", "when": "2024-05-01"})"), R"($.when: "2024-05-01" is not a date-time)");
  EXPECT_EQ(errors(R"({"name": "x", "size": 11})"), "$.size: 11 is above the maximum 10");
  EXPECT_EQ(errors(R"({"name": "x", "tags": [{"k": "c"}]})"), R"($.tags[0].k: "c" is not one of ["a","b"])");
  EXPECT_EQ(errors(R"({"name": "x", "tags": [{}, {"k": "a"}, {"k": "b"}]})"),
            "$.tags: more than maxItems 2\n  $.tags[0].k: required, missing");
  EXPECT_EQ(errors(R"({"name": "x", "extra": 1})"), "$.extra: is not a declared property (additionalProperties: false)");
  EXPECT_EQ(errors(R"({"name": "x", "id": "1"})"), "$.id: is readOnly and must not be sent");
  EXPECT_EQ(errors(R"({"name": "x", "kind": true})"), "$.kind: matches 0 of oneOf (exactly one required)");
  EXPECT_EQ(errors(R"({"name": "x", "self": {"name": 5}})"), "$.self.name: expected string, got integer 5");
  EXPECT_EQ(errors(R"({"name": "x", "note": 1})"), "$.note: expected string, got integer 1");
  EXPECT_EQ(spec.match("PUT", "/v1/things/42")->operation_id, "putThing");
}

}  // namespace
