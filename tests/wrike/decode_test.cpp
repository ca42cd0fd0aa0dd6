// Decoding rules on hand-written bodies: required/optional fields, null, unknown fields, type
// errors naming the field path, envelopes, and encoding.
#include <wrike/model.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

namespace json = boost::json;
using namespace std::chrono;

// The error context (what follows "decode_error") of decoding `body` as T.
template <class F>
std::string decode_error_of(F&& decode) {
  try {
    decode();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::decode_error);
    EXPECT_EQ(e.code(), wrike_cascade::errc::decode_error);
    return e.detail().context;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no error";
  return {};
}

template <class T>
std::string model_error(std::string_view body) {
  const json::value v = json::parse(body);
  return decode_error_of([&] { (void)json::value_to<T>(v); });
}

template <class T>
std::string envelope_error(std::string_view body) {
  const json::value v = json::parse(body);
  return decode_error_of([&] { (void)wrike::decode_envelope<T>(v); });
}

constexpr std::string_view kTask = R"({
  "id": "IEAGJJFWKRMLJ44L", "accountId": "IEAGJJFW", "title": "third task",
  "status": "Active", "importance": "Normal",
  "createdDate": "2024-09-06T09:51:05Z", "updatedDate": "2024-09-06T09:54:09Z",
  "dates": {"type": "Planned", "duration": 960, "start": "2024-09-11T09:00:00", "due": "2024-09-12T17:00:00"},
  "scope": "WsTask", "customStatusId": "IEAGJJFWJMFEXYCM",
  "permalink": "https://www.wrike.com/open.htm?id=1488253835", "priority": "09af90007fffffffffff8f58"
})";

TEST(WrikeDecode, MinimalTaskKeepsAbsentFieldsAbsent) {
  const auto t = json::value_to<wrike::Task>(json::parse(kTask));
  EXPECT_EQ(t.id.str(), "IEAGJJFWKRMLJ44L");
  EXPECT_EQ(t.title, "third task");
  EXPECT_EQ(t.status, wrike::TaskStatus::Active);
  ASSERT_TRUE(t.dates);
  EXPECT_EQ(t.dates->type, wrike::TaskDatesType::Planned);
  EXPECT_EQ(t.dates->duration, minutes{960});
  EXPECT_EQ(t.dates->start, local_days{2024y / September / 11} + 9h);
  EXPECT_FALSE(t.dates->work_on_weekends);
  // The list endpoints leave these out: not requested is not the same as empty.
  EXPECT_FALSE(t.responsible_ids);
  EXPECT_FALSE(t.parent_ids);
  EXPECT_FALSE(t.custom_fields);
  EXPECT_FALSE(t.description);
  EXPECT_FALSE(t.completed_date);
  EXPECT_TRUE(t.extra.empty());
}

TEST(WrikeDecode, EmptyArraysArePresentAndEmpty) {
  const auto t = json::value_to<wrike::Task>(
      json::parse(R"({"id":"T1","title":"x","responsibleIds":[],"customFields":[],"metadata":[]})"));
  ASSERT_TRUE(t.responsible_ids);
  EXPECT_TRUE(t.responsible_ids->empty());
  ASSERT_TRUE(t.custom_fields);
  EXPECT_TRUE(t.custom_fields->empty());
}

TEST(WrikeDecode, NullOnAnOptionalFieldMeansAbsent) {
  const auto t = json::value_to<wrike::Task>(
      json::parse(R"({"id":"T1","title":"x","description":null,"dates":null,"responsibleIds":null})"));
  EXPECT_FALSE(t.description);
  EXPECT_FALSE(t.dates);
  EXPECT_FALSE(t.responsible_ids);
  EXPECT_TRUE(t.extra.empty());
}

TEST(WrikeDecode, UnknownFieldsAreKeptAtEveryLevel) {
  const auto t = json::value_to<wrike::Task>(json::parse(R"({
    "id": "T1", "title": "x", "finance": {"budget": 5},
    "dates": {"type": "Milestone", "due": "2024-01-02T17:00:00", "flexible": true},
    "customFields": [{"id": "CF1", "value": "v", "inherited": false}],
    "metadata": [{"key": "k", "value": "v", "scope": "app"}],
    "status": "Paused"
  })"));
  EXPECT_EQ(t.extra.at("finance").at("budget"), 5);
  EXPECT_EQ(t.dates->extra.at("flexible"), true);
  EXPECT_EQ(t.custom_fields->at(0).extra.at("inherited"), false);
  EXPECT_EQ(t.metadata->at(0).extra.at("scope"), "app");
  EXPECT_FALSE(t.status->known());
  EXPECT_EQ(t.status->str(), "Paused");

  const json::value back = json::value_from(t);
  EXPECT_EQ(back.at("finance").at("budget"), 5);
  EXPECT_EQ(back.at("dates").at("flexible"), true);
  EXPECT_EQ(back.at("customFields").at(0).at("inherited"), false);
  EXPECT_EQ(back.at("status"), "Paused");
  EXPECT_EQ(json::value_to<wrike::Task>(back), t);
}

TEST(WrikeDecode, ErrorsNameTheFieldPath) {
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","dates":{"type":"Planned","start":5}})"),
            "dates.start: expected a string, got number");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","customFields":[{"value":"v"}]})"),
            "customFields[0].id: missing");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","customFields":[{"id":"a","value":"v"},{"id":"b","value":7}]})"),
            "customFields[1].value: expected a string, got number");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","responsibleIds":"KUATMOGX"})"),
            "responsibleIds: expected an array, got string");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","hasAttachments":"true"})"),
            "hasAttachments: expected a bool, got string");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","attachmentCount":1.5})"),
            "attachmentCount: expected an integer, got 1.5");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","dates":{"duration":60}})"), "dates.type: missing");
  EXPECT_EQ(model_error<wrike::Task>(R"({"title":"x"})"), "id: missing");
  EXPECT_EQ(model_error<wrike::Task>(R"([1,2])"), "Task: expected an object, got array");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":null,"title":"x"})"), "id: expected a string, got null");
  EXPECT_EQ(model_error<wrike::Folder>(R"({"id":"F1","title":"x","project":{"ownerIds":["KU1",2]}})"),
            "project.ownerIds[1]: expected a string, got number");
  EXPECT_EQ(model_error<wrike::CustomField>(R"({"id":"C1","title":"x","type":"Text","settings":{"options":[{"value":"a"},{"color":"Red"}]}})"),
            "settings.options[1].value: missing");
  EXPECT_EQ(model_error<wrike::Workflow>(R"({"id":"W1","name":"w","customStatuses":[{"id":"S1","name":"n","group":1}]})"),
            "customStatuses[0].group: expected a string, got number");
}

TEST(WrikeDecode, BadWireFormatsQuoteTheText) {
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","createdDate":"2024-09-06 09:51:04"})"),
            "createdDate: invalid timestamp \"2024-09-06 09:51:04\": expected yyyy-MM-ddTHH:mm:ssZ");
  EXPECT_EQ(model_error<wrike::Folder>(R"({"id":"F1","title":"x","project":{"startDate":"2024-02-30"}})"),
            "project.startDate: invalid date \"2024-02-30\": expected yyyy-MM-dd");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","parentIds":["IEAG/../x"]})"),
            "parentIds[0]: invalid Wrike ID \"IEAG/../x\" (expected 1-256 of [A-Za-z0-9-_:.=])");
  EXPECT_EQ(model_error<wrike::Task>(R"({"id":"T1","title":"x","dates":{"type":"Planned","due":"2024-09-12T17:00:00Z"}})"),
            "dates.due: invalid local date-time \"2024-09-12T17:00:00Z\": expected yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd");
}

TEST(WrikeDecode, IntegersWrittenAsDoublesAreAccepted) {
  const auto t = json::value_to<wrike::Task>(json::parse(R"({"id":"T1","title":"x","attachmentCount":2.0})"));
  EXPECT_EQ(t.attachment_count, 2);
}

TEST(WrikeDecode, WhatIncludesContextAndCategoryMessage) {
  try {
    (void)json::value_to<wrike::Contact>(json::parse(R"({"id":"KU1","type":"Person","profiles":[{"admin":"no"}]})"));
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_NE(std::string(e.what()).find("profiles[0].admin: expected a bool, got string"), std::string::npos) << e.what();
  }
}

TEST(WrikeEnvelope, DecodesPagedEnvelope) {
  const auto env = wrike::decode_envelope<wrike::Task>(json::parse(
      R"({"kind":"tasks","nextPageToken":"ABC=","responseSize":1234,"data":[{"id":"T1","title":"a"},{"id":"T2","title":"b"}]})"));
  EXPECT_EQ(env.kind, "tasks");
  EXPECT_EQ(env.next_page_token, "ABC=");
  EXPECT_EQ(env.response_size, 1234);
  ASSERT_EQ(env.data.size(), 2u);
  EXPECT_EQ(env.data[1].id.str(), "T2");
}

TEST(WrikeEnvelope, EmptyDataAndNoPaging) {
  const auto env = wrike::decode_envelope<wrike::Workflow>(json::parse(R"({"kind":"workflows","data":[]})"));
  EXPECT_TRUE(env.data.empty());
  EXPECT_FALSE(env.next_page_token);
  EXPECT_FALSE(env.response_size);
}

TEST(WrikeEnvelope, ErrorsNameTheElement) {
  EXPECT_EQ(envelope_error<wrike::Task>(
                R"({"kind":"tasks","data":[{"id":"T0","title":"a"},{"id":"T1","title":"a"},{"id":"T2","title":"a"},
                    {"id":"T3","title":"a","dates":{"type":"Planned","start":20240911}}]})"),
            "data[3].dates.start: expected a string, got number");
  EXPECT_EQ(envelope_error<wrike::Task>(R"({"kind":"tasks"})"), "data: missing");
  EXPECT_EQ(envelope_error<wrike::Task>(R"({"kind":"tasks","data":{"id":"T1"}})"), "data: expected an array, got object");
  EXPECT_EQ(envelope_error<wrike::Task>(R"([{"id":"T1"}])"),
            "body: expected an envelope object {\"kind\", \"data\": [...]}, got array");
  EXPECT_EQ(envelope_error<wrike::Task>(R"({"kind":"tasks","data":[],"responseSize":"12"})"),
            "responseSize: expected an integer, got string");
  EXPECT_EQ(envelope_error<wrike::Task>(R"({"errorDescription":"Access token is unknown or invalid","error":"not_authorized"})"),
            "data: missing; the body is a Wrike error response: not_authorized (Access token is unknown or invalid)");
}

TEST(WrikeEncode, WritesWireNamesAndFormatsAndOmitsAbsentFields) {
  wrike::Task t;
  t.id = wrike::TaskId{"T1"};
  t.title = "x";
  t.status = wrike::TaskStatus::Completed;
  t.completed_date = sys_days{2024y / September / 6} + 9h + 51min + 4s;
  t.dates = wrike::TaskDates{.type = wrike::TaskDatesType::Milestone, .due = local_days{2024y / September / 12} + 17h};
  t.responsible_ids = std::vector<wrike::ContactId>{wrike::ContactId{"KU1"}};
  t.custom_fields = std::vector<wrike::CustomFieldValue>{{wrike::CustomFieldId{"CF1"}, "[\"a\"]", {}}};
  t.extra["finance"] = json::object{{"x", 1}};
  const json::value v = json::value_from(t);
  EXPECT_EQ(v, json::parse(R"({"id":"T1","title":"x","responsibleIds":["KU1"],"status":"Completed",
      "completedDate":"2024-09-06T09:51:04Z","dates":{"type":"Milestone","due":"2024-09-12T17:00:00"},
      "customFields":[{"id":"CF1","value":"[\"a\"]"}],"finance":{"x":1}})"));
  EXPECT_EQ(json::value_to<wrike::Task>(v), t);
}

TEST(WrikeEncode, KnownFieldsWinOverExtraWithTheSameKey) {
  wrike::FolderTreeEntry e;
  e.id = wrike::FolderId{"F1"};
  e.title = "real";
  e.extra["title"] = "stale";
  e.extra["children"] = json::array{};
  const json::value v = json::value_from(e);
  EXPECT_EQ(v.at("title"), "real");
  EXPECT_TRUE(v.at("children").is_array());
}

TEST(WrikeEncode, VectorsOfModelsConvertThroughBoostJson) {
  std::vector<wrike::Metadata> md{{"k1", "v1", {}}, {"k2", "v2", {}}};
  const json::value v = json::value_from(md);
  EXPECT_EQ(json::serialize(v), R"([{"key":"k1","value":"v1"},{"key":"k2","value":"v2"}])");
  EXPECT_EQ(json::value_to<std::vector<wrike::Metadata>>(v), md);
}

}  // namespace
