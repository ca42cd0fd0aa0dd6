// Lenient decoding of what Cascade Classic really sends (cascade-api.md §3.2, §3.5): table-driven
// cases for booleans, IDs, numbers, dates, wrapper keys and custom attributes; errors naming the
// JSON path; round trips.
#include <cascade/classic_model.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

namespace json = boost::json;
namespace classic = cascade::classic;
using namespace std::chrono;

template <class F>
std::string decode_error_of(F&& decode) {
  try {
    decode();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::decode_error);
    return e.detail().context;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no error";
  return {};
}

// A GET /goals/{id} body shaped like the Swagger response schema.
constexpr std::string_view kGoal = R"({"goal": {
  "id": 1201, "role_id": 14, "creator_id": 3, "status": "APPRO",
  "completion_criteria": "TARGET-REACHED", "target_flow": "OVER",
  "action": "Increase", "details": "annual recurring revenue to $10M",
  "initial": 2.5, "progress": 4.75, "target": 10,
  "start_time": "2024-01-01", "end_time": "2024-12-31T23:59:59Z",
  "weight_id": 2, "is_private": 0, "tracking_type": "MANUAL",
  "created_at": "2023-12-01 09:30:00", "updated_at": 1714557600,
  "entity_template_id": 7, "direct_focus_area_ids": [3, 4], "inherited_focus_area_ids": [],
  "aligned_from_ids": [1300, 1301], "aligned_to_ids": [],
  "title": "Increase annual recurring revenue to $10M by Dec 31, 2024",
  "ancestor_ids": [], "descendant_ids": [1300, 1301, 1400], "issue_ids": [88], "task_ids": [501, 502]
}})";

TEST(ClassicDecode, GoalShapedLikeTheSwaggerSchema) {
  const auto g = classic::decode_single<classic::Goal>(json::parse(kGoal));
  EXPECT_EQ(g.id, classic::GoalId(1201));
  EXPECT_EQ(g.role_id, classic::RoleId(14));
  EXPECT_EQ(g.creator_id, classic::UserId(3));
  ASSERT_TRUE(g.status);
  EXPECT_EQ(*g.status, classic::GoalStatus::Approved);
  EXPECT_EQ(g.completion_criteria->value(), classic::CompletionCriteria::TargetReached);
  EXPECT_EQ(g.target_flow->value(), classic::TargetFlow::Over);
  EXPECT_EQ(g.tracking_type->value(), classic::TrackingType::Manual);
  EXPECT_EQ(g.action, "Increase");
  EXPECT_DOUBLE_EQ(*g.initial, 2.5);
  EXPECT_DOUBLE_EQ(*g.target, 10.0);
  EXPECT_EQ(g.start_time, cascade::DateTime(2024y / January / 1));
  EXPECT_TRUE(g.start_time->date_only);
  EXPECT_EQ(g.end_time->time, sys_days(2024y / December / 31) + 23h + 59min + 59s);
  EXPECT_FALSE(g.end_time->date_only);
  EXPECT_EQ(g.created_at->time, sys_days(2023y / December / 1) + 9h + 30min);
  EXPECT_EQ(g.updated_at->time, sys_seconds(seconds(1714557600)));
  EXPECT_EQ(g.weight_id, 2);
  EXPECT_EQ(g.is_private, false);
  EXPECT_EQ(g.entity_template_id, classic::TemplateId(7));
  ASSERT_TRUE(g.direct_focus_area_ids);
  EXPECT_EQ(g.direct_focus_area_ids->size(), 2u);
  EXPECT_TRUE(g.inherited_focus_area_ids && g.inherited_focus_area_ids->empty());
  EXPECT_EQ(g.task_ids->at(1), classic::TaskId(502));
  EXPECT_FALSE(g.custom_attributes);
  EXPECT_TRUE(g.extra.empty());
}

// ---- booleans -----------------------------------------------------------------------------

struct BoolCase {
  const char* wire;
  bool expected;
};

class ClassicBool : public ::testing::TestWithParam<BoolCase> {};

TEST_P(ClassicBool, IsCompleteAcceptsEveryShape) {
  const auto& c = GetParam();
  const std::string body = std::string(R"({"task": {"id": 5, "is_complete": )") + c.wire + "}}";
  const auto t = classic::decode_single<classic::Task>(json::parse(body));
  ASSERT_TRUE(t.is_complete) << c.wire;
  EXPECT_EQ(*t.is_complete, c.expected) << c.wire;
}

INSTANTIATE_TEST_SUITE_P(Shapes, ClassicBool,
                         ::testing::Values(BoolCase{"0", false}, BoolCase{"1", true}, BoolCase{"true", true},
                                           BoolCase{"false", false}, BoolCase{R"("0")", false},
                                           BoolCase{R"("1")", true}, BoolCase{R"("true")", true},
                                           BoolCase{R"("false")", false}, BoolCase{"1.0", true},
                                           BoolCase{"0.0", false}));

TEST(ClassicBoolErrors, OtherValuesNameThePath) {
  for (const char* wire : {"2", "-1", R"("yes")", R"("TRUE")", "0.5", "[]", "{}"}) {
    const std::string body = std::string(R"({"tasks": [{"id": 5}, {"id": 6, "is_complete": )") + wire + "}]}";
    const auto err = decode_error_of([&] { (void)classic::decode_listing<classic::Task>(json::parse(body)); });
    EXPECT_TRUE(err.starts_with("tasks[1].is_complete: expected 0/1 or a boolean")) << wire << " -> " << err;
  }
}

TEST(ClassicBoolErrors, EmptyStringIsAbsent) {
  const auto t = classic::decode_single<classic::Task>(json::parse(R"({"task": {"id": 5, "is_complete": ""}})"));
  EXPECT_FALSE(t.is_complete);
}

// ---- IDs ----------------------------------------------------------------------------------

struct IdCase {
  const char* wire;
  std::int64_t expected;
};

class ClassicId : public ::testing::TestWithParam<IdCase> {};

TEST_P(ClassicId, NumbersAndNumericStrings) {
  const auto& c = GetParam();
  const std::string body = std::string(R"({"issue": {"id": )") + c.wire + R"(, "goal_id": )" + c.wire +
                           R"(, "user_id": )" + c.wire + "}}";
  const auto i = classic::decode_single<classic::Issue>(json::parse(body));
  EXPECT_EQ(i.id.value(), c.expected);
  EXPECT_EQ(i.goal_id->value(), c.expected);
  EXPECT_EQ(i.user_id->value(), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Shapes, ClassicId,
                         ::testing::Values(IdCase{"123", 123}, IdCase{R"("123")", 123}, IdCase{"123.0", 123},
                                           IdCase{R"("+77")", 77}, IdCase{"2147483648", 2147483648LL},
                                           IdCase{R"("9007199254740993")", 9007199254740993LL}));

TEST(ClassicIdErrors, BadIdsNameThePath) {
  struct Bad {
    const char* wire;
    const char* message_start;
  } cases[] = {
      {R"("12a")", "issues[0].goal_id: expected an integer, got \"12a\""},
      {R"("")", nullptr},  // absent on an optional ID
      {"1.5", "issues[0].goal_id: expected an integer, got 1.5"},
      {"-4", "issues[0].goal_id: expected a non-negative ID, got -4"},
      {"true", "issues[0].goal_id: expected an integer ID, got bool"},
      {"[1]", "issues[0].goal_id: expected an integer ID, got array"},
  };
  for (const auto& c : cases) {
    const std::string body = std::string(R"({"issues": [{"id": 1, "goal_id": )") + c.wire + "}]}";
    if (!c.message_start) {
      const auto l = classic::decode_listing<classic::Issue>(json::parse(body));
      EXPECT_FALSE(l.items.at(0).goal_id);
      continue;
    }
    const auto err = decode_error_of([&] { (void)classic::decode_listing<classic::Issue>(json::parse(body)); });
    EXPECT_TRUE(err.starts_with(c.message_start)) << c.wire << " -> " << err;
  }
}

TEST(ClassicIdErrors, MissingIdIsAnError) {
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_listing<classic::Goal>(json::parse(R"({"goals": [{"id": 1}, {"action": "x"}]})")); }),
            "goals[1].id: missing");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Goal>(json::parse(R"({"goal": {"action": "x"}})")); }),
            "goal.id: missing");
}

// ---- numbers ------------------------------------------------------------------------------

TEST(ClassicNumbers, NumbersAndNumericStrings) {
  const auto g = classic::decode_single<classic::Goal>(
      json::parse(R"({"goal": {"id": 1, "initial": "2.5", "progress": 3, "target": "1e3", "weight_id": "4"}})"));
  EXPECT_DOUBLE_EQ(*g.initial, 2.5);
  EXPECT_DOUBLE_EQ(*g.progress, 3.0);
  EXPECT_DOUBLE_EQ(*g.target, 1000.0);
  EXPECT_EQ(g.weight_id, 4);
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Goal>(json::parse(R"({"goal": {"id": 1, "target": "ten"}})")); }),
            "goal.target: expected a number, got \"ten\"");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Goal>(json::parse(R"({"goal": {"id": 1, "weight_id": 2.5}})")); }),
            "goal.weight_id: expected an integer, got 2.5");
}

TEST(ClassicText, NumbersAreKeptAsText) {
  // The Swagger draws the Update-risk response with "issue": integer.
  const auto i = classic::decode_single<classic::Issue>(json::parse(R"({"issue": {"id": 3, "issue": 2024}})"));
  EXPECT_EQ(i.issue, "2024");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Issue>(json::parse(R"({"issue": {"id": 3, "issue": {"a": 1}}})")); }),
            "issue.issue: expected a string, got object");
}

// ---- dates --------------------------------------------------------------------------------

struct TimeCase {
  const char* wire;
  sys_seconds expected;
  bool date_only;
};

class ClassicTime : public ::testing::TestWithParam<TimeCase> {};

TEST_P(ClassicTime, UnixSecondsAndIso8601) {
  const auto& c = GetParam();
  const std::string body = std::string(R"({"task": {"id": 9, "due_date": )") + c.wire + "}}";
  const auto t = classic::decode_single<classic::Task>(json::parse(body));
  ASSERT_TRUE(t.due_date) << c.wire;
  EXPECT_EQ(t.due_date->time, c.expected) << c.wire;
  EXPECT_EQ(t.due_date->date_only, c.date_only) << c.wire;
}

const sys_seconds k0501 = sys_days(2024y / May / 1);

INSTANTIATE_TEST_SUITE_P(
    Shapes, ClassicTime,
    ::testing::Values(TimeCase{"1714557600", k0501 + 10h, false},               // Unix seconds
                      TimeCase{R"("1714557600")", k0501 + 10h, false},          // as a string
                      TimeCase{"1714557600.9", k0501 + 10h, false},             // fraction dropped
                      TimeCase{R"("2024-05-01")", k0501, true},                 // date only
                      TimeCase{R"("2024-05-01T10:00:00Z")", k0501 + 10h, false},
                      TimeCase{R"("2024-05-01T12:00:00+02:00")", k0501 + 10h, false},
                      TimeCase{R"("2024-05-01T05:30:00-0430")", k0501 + 10h, false},
                      TimeCase{R"("2024-05-01T10:00:00.123Z")", k0501 + 10h, false},
                      TimeCase{R"("2024-05-01T10:00Z")", k0501 + 10h, false},
                      TimeCase{R"("2024-05-01 10:00:00")", k0501 + 10h, false},  // no zone: UTC
                      TimeCase{R"("2024-05-01T10:00:00")", k0501 + 10h, false},
                      TimeCase{"0", sys_seconds{}, false}));

TEST(ClassicTimeErrors, BadDatesNameThePath) {
  for (const char* wire : {R"("soon")", R"("2024-02-30")", R"("2024-05-01T25:00:00Z")", R"("2024-05-01T10:00:00+2")",
                           R"("01/05/2024")", "true", "{}"}) {
    const std::string body = std::string(R"({"goals": [{"id": 1, "end_time": )") + wire + "}]}";
    const auto err = decode_error_of([&] { (void)classic::decode_listing<classic::Goal>(json::parse(body)); });
    EXPECT_TRUE(err.starts_with("goals[0].end_time: ")) << wire << " -> " << err;
  }
  const auto g = classic::decode_single<classic::Goal>(json::parse(R"({"goal": {"id": 1, "end_time": ""}})"));
  EXPECT_FALSE(g.end_time) << "an empty string is an absent date";
}

TEST(ClassicTime, FormatsIso8601) {
  EXPECT_EQ(cascade::format_datetime(cascade::DateTime(2024y / May / 1)), "2024-05-01");
  EXPECT_EQ(cascade::format_datetime(cascade::DateTime(k0501 + 10h + 5min + 7s)), "2024-05-01T10:05:07Z");
  EXPECT_EQ(cascade::parse_datetime("2024-05-01T12:05:07+02:00"), cascade::DateTime(k0501 + 10h + 5min + 7s));
  EXPECT_THROW(cascade::parse_date("2024-5-1"), std::invalid_argument);
  EXPECT_EQ(cascade::format_date(cascade::parse_date("1999-12-31")), "1999-12-31");
}

// ---- wrapper keys -------------------------------------------------------------------------

struct WrapperCase {
  const char* body;
  std::size_t count;
  const char* key;
};

class ClassicWrapper : public ::testing::TestWithParam<WrapperCase> {};

TEST_P(ClassicWrapper, SingularOrPluralObjectOrArray) {
  const auto& c = GetParam();
  const auto l = classic::decode_listing<classic::Goal>(json::parse(c.body));
  EXPECT_EQ(l.items.size(), c.count) << c.body;
  EXPECT_EQ(l.key, c.key) << c.body;
  if (!l.items.empty()) EXPECT_EQ(l.items[0].id, classic::GoalId(1));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ClassicWrapper,
    ::testing::Values(WrapperCase{R"({"goal": {"id": 1}})", 1, "goal"},                      // as drawn for GET /goals
                      WrapperCase{R"({"goals": [{"id": 1}, {"id": "2"}]})", 2, "goals"},      // the likely real list
                      WrapperCase{R"({"goal": [{"id": 1}, {"id": 2}, {"id": 3}]})", 3, "goal"},
                      WrapperCase{R"({"goals": {"id": 1}})", 1, "goals"},                     // as drawn for POST /tasks
                      WrapperCase{R"({"goals": []})", 0, "goals"},
                      WrapperCase{R"({"goals": null})", 0, "goals"},
                      WrapperCase{R"([{"id": 1}])", 1, ""},                                  // a bare array
                      WrapperCase{R"({"goal": null, "goals": [{"id": 1}]})", 1, "goals"}));

TEST(ClassicWrapper, TasksAsDrawn) {
  // GET /tasks: {"tasks": [...]}; POST /tasks: {"tasks": {...}} with completed_user_id a string.
  const auto list = classic::decode_listing<classic::Task>(json::parse(
      R"({"tasks": [{"id": 501, "task": "Hire two AEs", "is_complete": 0, "goal_id": 1201, "start_date": "2024-02-01",
                     "due_date": "2024-03-31", "weight_id": 3, "entity_template_id": 2, "user_id": 3, "role_id": 14,
                     "completed_user_id": null, "comment": ""}]})"));
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0].task, "Hire two AEs");
  EXPECT_FALSE(list.items[0].completed_user_id);
  const auto created = classic::decode_single<classic::Task>(
      json::parse(R"({"tasks": {"id": 502, "task": "x", "completed_user_id": "17", "is_complete": "1"}})"));
  EXPECT_EQ(created.completed_user_id, classic::UserId(17));
  EXPECT_EQ(created.is_complete, true);
}

TEST(ClassicWrapper, OtherTopLevelKeysAreKept) {
  const auto l = classic::decode_listing<classic::Update>(
      json::parse(R"({"updates": [{"id": 1, "type": "progress"}], "total": 31, "offset": 1})"));
  EXPECT_EQ(l.extra.at("total"), 31);
  EXPECT_EQ(l.extra.size(), 2u);
}

TEST(ClassicWrapper, WrongShapesNameTheProblem) {
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_listing<classic::Goal>(json::parse(R"({"data": []})")); }),
            R"(body: expected a "goal" or "goals" key)");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_listing<classic::Goal>(json::parse(R"({"message": "Unauthenticated."})")); }),
            R"(body: expected a "goal" or "goals" key; the body says: "Unauthenticated.")");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_listing<classic::Goal>(json::parse(R"("nope")")); }),
            R"(body: expected an object, got string "nope")");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_listing<classic::Goal>(json::parse(R"({"goals": [1]})")); }),
            "goals[0]: expected an object, got number 1");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Goal>(json::parse(R"({"goals": [{"id": 1}, {"id": 2}]})")); }),
            "goals: expected one goal, got 2");
}

TEST(ClassicWrapper, KnownIdFillsAMissingOne) {
  // The Swagger draws the Update-risk response without an id.
  const auto i = classic::decode_single<classic::Issue>(json::parse(R"({"issue": {"issue": "Churn", "is_critical": 1}})"),
                                                        classic::IssueId(88));
  EXPECT_EQ(i.id, classic::IssueId(88));
  EXPECT_EQ(i.is_critical, true);
  // A record with its own id keeps it.
  const auto j = classic::decode_single<classic::Issue>(json::parse(R"({"issues": [{"id": "89"}]})"), classic::IssueId(88));
  EXPECT_EQ(j.id, classic::IssueId(89));
}

// ---- custom attributes and unknown fields ---------------------------------------------------

TEST(ClassicCustomAttributes, KeptAsJsonValues) {
  const auto i = classic::decode_single<classic::Issue>(json::parse(R"({"issue": {
      "id": "88", "issue": "Key customer churn", "is_critical": 1, "is_resolved": "0", "user_id": 3, "role_id": 14,
      "goal_id": 1201, "due_date": "2024-06-30", "entity_template_id": 9,
      "custom_attributes": {"CA1573011281053": 4, "CA1573011296755": "5", "CA1573011300000": {"label": "High"},
                            "CA1573011311111": null}}})"));
  ASSERT_TRUE(i.custom_attributes);
  const auto& ca = *i.custom_attributes;
  EXPECT_EQ(ca.size(), 4u);
  EXPECT_EQ(ca.at("CA1573011281053"), 4);
  EXPECT_EQ(ca.at("CA1573011296755"), "5");
  EXPECT_EQ(ca.at("CA1573011300000").at("label"), "High");
  EXPECT_TRUE(ca.at("CA1573011311111").is_null());
  EXPECT_EQ(i.is_resolved, false);
}

TEST(ClassicCustomAttributes, EmptyArrayIsAnEmptyMapAndOtherShapesFail) {
  const auto t = classic::decode_single<classic::Task>(json::parse(R"({"task": {"id": 1, "custom_attributes": []}})"));
  ASSERT_TRUE(t.custom_attributes);
  EXPECT_TRUE(t.custom_attributes->empty());
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Task>(json::parse(R"({"task": {"id": 1, "custom_attributes": [1]}})")); }),
            "task.custom_attributes: expected an object, got array");
  EXPECT_EQ(decode_error_of([] { (void)classic::decode_single<classic::Task>(json::parse(R"({"task": {"id": 1, "custom_attributes": "x"}})")); }),
            R"(task.custom_attributes: expected an object, got string "x")");
}

TEST(ClassicUnknown, UnknownFieldsAndEnumValuesAreKept) {
  const auto g = classic::decode_single<classic::Goal>(json::parse(
      R"({"goal": {"id": 1, "status": "PAUSE", "tracking_type": "FORMULA", "health": "ON_TRACK", "owner": {"id": 3}}})"));
  EXPECT_FALSE(g.status->known());
  EXPECT_EQ(g.status->str(), "PAUSE");
  EXPECT_EQ(g.tracking_type->str(), "FORMULA");
  EXPECT_EQ(g.extra.at("health"), "ON_TRACK");
  EXPECT_EQ(g.extra.at("owner").at("id"), 3);
}

TEST(ClassicRoundTrip, DecodeEncodeDecode) {
  const auto g = classic::decode_single<classic::Goal>(json::parse(kGoal));
  const json::value encoded = json::value_from(g);
  // Booleans go out as 0/1, IDs as numbers, dates as ISO 8601.
  EXPECT_EQ(encoded.at("is_private"), 0);
  EXPECT_EQ(encoded.at("id"), 1201);
  EXPECT_EQ(encoded.at("start_time"), "2024-01-01");
  EXPECT_EQ(encoded.at("updated_at"), "2024-05-01T10:00:00Z");
  EXPECT_EQ(json::value_to<classic::Goal>(encoded), g);

  auto upd = classic::decode_single<classic::Update>(json::parse(
      R"({"update": {"id": "31", "type": "progress", "comment": "On track", "deleted": "0", "goal_id": 1201, "mood": 3,
                     "custom_attributes": {"CA1": [1, 2]}}})"));
  const json::value e2 = json::value_from(upd);
  EXPECT_EQ(e2.at("mood"), 3);
  EXPECT_EQ(e2.at("custom_attributes").at("CA1").as_array().size(), 2u);
  EXPECT_EQ(json::value_to<classic::Update>(e2), upd);
}

TEST(ClassicDelete, DeleteResultBody) {
  const auto r = classic::decode_delete_result(
      json::parse(R"({"message": "Goal deleted", "code": 204, "status": "success", "trace": "x"})"), 200);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.message, "Goal deleted");
  EXPECT_EQ(r.code, 204);
  EXPECT_EQ(r.status, "success");
  EXPECT_EQ(r.extra.at("trace"), "x");
  EXPECT_EQ(classic::decode_delete_result(nullptr, 204).http_status, 204);
}

}  // namespace
