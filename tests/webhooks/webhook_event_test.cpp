// Webhook events and the webhook model: typed decoding of every documented event kind,
// strictness of the common fields, unknown types/fields kept, round trips, dedupe keys, and the
// real Wrike bodies in ../shared/wrike-fixtures.
#include "webhook_events_sample.hpp"

#include <wrike/webhook_event.hpp>

#include "wrike/fixture_util.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

namespace json = boost::json;
using wrike::WebhookEvent;
using wrike::WebhookEventType;
using wrike_cascade::errc;

std::string error_context(auto&& f) {
  try {
    f();
  } catch (const wrike_cascade::Error& e) {
    return std::string(e.condition() == errc::decode_error ? "decode_error: " : e.condition() == errc::invalid_response ? "invalid_response: " : "other: ") +
           e.detail().context;
  }
  return "no error";
}

// ---- event types ------------------------------------------------------------------------------

TEST(WebhookEventType, EveryDocumentedTypeIsKnownAndRoundTrips) {
  // wrike-api.md §6.2, verbatim.
  const char* documented[] = {
      "TaskCreated", "TaskDeleted", "TaskTitleChanged", "TaskImportanceChanged", "TaskStatusChanged",
      "TaskDatesChanged", "TaskParentsAdded", "TaskParentsRemoved", "TaskResponsiblesAdded",
      "TaskResponsiblesRemoved", "TaskSharedsAdded", "TaskSharedsRemoved", "TaskDescriptionChanged",
      "TaskCustomFieldChanged", "TaskApprovalStatusChanged", "TaskApprovalDecisionChanged",
      "TaskApprovalDecisionReset", "FolderCreated", "FolderDeleted", "FolderTitleChanged",
      "FolderParentsAdded", "FolderParentsRemoved", "FolderSharedsAdded", "FolderSharedsRemoved",
      "FolderDescriptionChanged", "FolderCommentAdded", "FolderCommentDeleted", "FolderAttachmentAdded",
      "FolderAttachmentDeleted", "FolderCustomFieldChanged", "FolderApprovalStatusChanged",
      "FolderApprovalDecisionChanged", "FolderApprovalDecisionReset", "ProjectDatesChanged",
      "ProjectOwnersAdded", "ProjectOwnersRemoved", "ProjectStatusChanged", "AttachmentAdded",
      "AttachmentDeleted", "CommentAdded", "CommentDeleted", "TimelogChanged"};
  ASSERT_EQ(std::size(documented), static_cast<std::size_t>(wrike::kWebhookEventTypeCount));
  std::set<WebhookEventType> seen;
  for (const char* name : documented) {
    wrike::OpenEnum<WebhookEventType> e{name};
    EXPECT_TRUE(e.known()) << name;
    EXPECT_EQ(e.str(), name);
    EXPECT_EQ(wrike::wire_name(e.value()), name);
    seen.insert(e.value());
  }
  EXPECT_EQ(seen.size(), std::size(documented));
  wrike::OpenEnum<WebhookEventType> future{"TaskRecurrenceChanged"};
  EXPECT_FALSE(future.known());
  EXPECT_EQ(future.str(), "TaskRecurrenceChanged");
}

TEST(WebhookEventType, Subjects) {
  EXPECT_EQ(wrike::subject_of(WebhookEventType::TaskCreated), wrike::WebhookSubject::Task);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::TimelogChanged), wrike::WebhookSubject::Task);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::CommentAdded), wrike::WebhookSubject::Task);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::FolderCreated), wrike::WebhookSubject::Folder);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::FolderApprovalDecisionReset), wrike::WebhookSubject::Folder);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::ProjectStatusChanged), wrike::WebhookSubject::Folder);
  EXPECT_EQ(wrike::subject_of(WebhookEventType::Unknown), wrike::WebhookSubject::None);
}

// ---- typed events -----------------------------------------------------------------------------

TEST(WebhookEvent, DecodesEveryTypedEventKind) {
  const auto events = wrike::parse_webhook_delivery(webhook_test::kAllKindsDelivery);
  ASSERT_EQ(events.size(), webhook_test::kAllKindsCount);
  std::size_t i = 0;
  auto next = [&](WebhookEventType t) -> const WebhookEvent& {
    const WebhookEvent& e = events.at(i++);
    EXPECT_EQ(e.event_type, t) << "event " << (i - 1) << " is " << e.event_type;
    EXPECT_EQ(e.webhook_id.str(), "IEAAIKU5JAACF45S");
    EXPECT_EQ(e.event_author_id->str(), "KUAAXTKP");
    EXPECT_TRUE(e.extra.empty() || t == WebhookEventType::TimelogChanged ||
                t == WebhookEventType::TaskApprovalStatusChanged)
        << json::serialize(json::value(e.extra));
    return e;
  };

  {
    const auto& e = next(WebhookEventType::TaskStatusChanged);
    EXPECT_EQ(e.task_id->str(), "MAAAAAEOud3s");
    EXPECT_FALSE(e.folder_id);
    EXPECT_EQ(wrike::format_timestamp(e.last_updated_date), "2026-08-11T23:35:42Z");
    EXPECT_EQ(e.old_status, "Active");
    EXPECT_EQ(e.status, "Completed");
    EXPECT_EQ(e.old_custom_status_id->str(), "IEAAIKU5JMAAAAAA");
    EXPECT_EQ(e.custom_status_id->str(), "IEAAIKU5JMAAAAAB");
    EXPECT_EQ(e.subject_id(), "MAAAAAEOud3s");
  }
  {
    const auto& e = next(WebhookEventType::TaskTitleChanged);
    EXPECT_EQ(e.old_text(), "Draft plan");
    EXPECT_EQ(e.title, "Final plan");
  }
  {
    const auto& e = next(WebhookEventType::FolderTitleChanged);
    EXPECT_EQ(e.folder_id->str(), "MQAAAAEN9zQV");
    EXPECT_EQ(e.subject_id(), "MQAAAAEN9zQV");
    EXPECT_EQ(e.old_text(), "Q3");
    EXPECT_EQ(e.title, "Q3 launch");
  }
  {
    const auto& e = next(WebhookEventType::TaskImportanceChanged);
    EXPECT_EQ(e.old_text(), "Normal");
    ASSERT_TRUE(e.importance);
    EXPECT_EQ(*e.importance, wrike::Importance::High);
  }
  {
    const auto& e = next(WebhookEventType::TaskDatesChanged);
    const auto now = e.task_dates();
    const auto before = e.old_task_dates();
    ASSERT_TRUE(now && before);
    EXPECT_EQ(now->type, wrike::TaskDatesType::Planned);
    EXPECT_EQ(now->duration, std::chrono::minutes(960));
    EXPECT_EQ(wrike::format_local_datetime(*now->due), "2026-08-14T17:00:00");
    EXPECT_EQ(before->type, wrike::TaskDatesType::Backlog);
  }
  {
    const auto& e = next(WebhookEventType::ProjectDatesChanged);
    EXPECT_EQ(e.folder_id->str(), "MQAAAAEN9zQV");
    ASSERT_TRUE(e.dates);
    EXPECT_EQ(e.dates->at("end").as_string(), "2026-12-31");
    EXPECT_TRUE(e.old_value->is_object());
    EXPECT_FALSE(e.old_text());
    EXPECT_THROW((void)e.task_dates(), wrike_cascade::Error);  // project dates are not task dates
  }
  {
    const auto& e = next(WebhookEventType::TaskParentsAdded);
    ASSERT_TRUE(e.added_parents);
    EXPECT_EQ(e.added_parents->at(0).str(), "MQAAAAEN9zQV");
    EXPECT_EQ(e.added_parents->size(), 2u);
  }
  EXPECT_EQ(next(WebhookEventType::TaskParentsRemoved).removed_parents->at(0).str(), "IEAAIKU5I7777777");
  EXPECT_EQ(next(WebhookEventType::FolderParentsAdded).added_parents->at(0).str(), "IEAAIKU5I7777777");
  EXPECT_EQ(next(WebhookEventType::FolderParentsRemoved).removed_parents->at(0).str(), "IEAAIKU5I7777778");
  EXPECT_EQ(next(WebhookEventType::TaskResponsiblesAdded).added_responsibles->at(0).str(), "KUAAXTKQ");
  EXPECT_EQ(next(WebhookEventType::TaskResponsiblesRemoved).removed_responsibles->at(0).str(), "KUAAXTKR");
  EXPECT_EQ(next(WebhookEventType::TaskSharedsAdded).added_shareds->at(0).str(), "KUAAXTKS");
  EXPECT_EQ(next(WebhookEventType::FolderSharedsRemoved).removed_shareds->at(0).str(), "KUAAXTKT");
  {
    const auto& e = next(WebhookEventType::TaskCustomFieldChanged);
    EXPECT_EQ(e.custom_field_id->str(), "IEAAIKU5JUAAAAAB");
    EXPECT_EQ(e.old_text(), "100");
    EXPECT_EQ(e.value, "250.5");
  }
  {
    const auto& e = next(WebhookEventType::FolderCustomFieldChanged);
    EXPECT_EQ(e.custom_field_id->str(), "IEAAIKU5JUAAAAAC");
    EXPECT_EQ(e.old_text(), "");
    EXPECT_EQ(e.value, "[\"one\",\"three\"]");
  }
  {
    const auto& e = next(WebhookEventType::TaskCustomFieldChanged);  // a null old value is kept
    ASSERT_TRUE(e.old_value);
    EXPECT_TRUE(e.old_value->is_null());
    EXPECT_EQ(e.value, "KUAAXTKP");
  }
  EXPECT_EQ(next(WebhookEventType::AttachmentAdded).attachment_id->str(), "IEAAIKU5IYAAAAAA");
  EXPECT_EQ(next(WebhookEventType::AttachmentDeleted).attachment_id->str(), "IEAAIKU5IYAAAAAA");
  EXPECT_EQ(next(WebhookEventType::FolderAttachmentAdded).attachment_id->str(), "IEAAIKU5IYAAAAAB");
  {
    const auto& e = next(WebhookEventType::CommentAdded);
    EXPECT_EQ(e.comment_id->str(), "IEAAIKU5IMAAAAAA");
    ASSERT_TRUE(e.comment);
    EXPECT_EQ(e.comment->at("text").as_string(), "Looks good");
  }
  EXPECT_EQ(next(WebhookEventType::CommentDeleted).comment_id->str(), "IEAAIKU5IMAAAAAA");
  EXPECT_EQ(next(WebhookEventType::FolderCommentAdded).comment_id->str(), "IEAAIKU5IMAAAAAB");
  EXPECT_EQ(next(WebhookEventType::ProjectOwnersAdded).added_owners->at(0).str(), "KUAAXTKQ");
  EXPECT_EQ(next(WebhookEventType::ProjectOwnersRemoved).removed_owners->at(0).str(), "KUAAXTKR");
  {
    const auto& e = next(WebhookEventType::ProjectStatusChanged);
    EXPECT_EQ(e.old_status, "Green");
    EXPECT_EQ(e.status, "OnHold");
  }
  {
    const auto& e = next(WebhookEventType::TimelogChanged);  // unconfirmed fields: kept raw
    EXPECT_EQ(e.extra.at("timelogId").as_string(), "IEAAIKU5JQAAAAAA");
    EXPECT_EQ(e.extra.at("hours").as_double(), 1.5);
  }
  {
    const auto& e = next(WebhookEventType::TaskApprovalStatusChanged);
    EXPECT_EQ(e.extra.at("approvalId").as_string(), "IEAAIKU5KAAAAAAA");
  }
  for (WebhookEventType t : {WebhookEventType::TaskCreated, WebhookEventType::TaskDeleted,
                             WebhookEventType::TaskDescriptionChanged, WebhookEventType::FolderCreated,
                             WebhookEventType::FolderDeleted}) {
    next(t);
  }
  EXPECT_EQ(i, events.size());
}

TEST(WebhookEvent, EveryKindRoundTrips) {
  const json::value body = json::parse(webhook_test::kAllKindsDelivery);
  const auto events = wrike::parse_webhook_delivery(body);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json::value encoded = json::value_from(events[i]);
    EXPECT_EQ(encoded.as_object(), body.as_array()[i].as_object()) << "event " << i;  // key order aside
    EXPECT_EQ(json::value_to<WebhookEvent>(encoded), events[i]) << "event " << i;
  }
}

TEST(WebhookEvent, UnknownTypesAndFieldsAreKept) {
  const std::string body = R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskRecurrenceChanged",
    "taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:42Z","recurrence":{"rule":"weekly"},
    "title":"Weekly sync","customFields":[{"id":"IEAAIKU5JUAAAAAB","value":"1"}]}])";
  const auto events = wrike::parse_webhook_delivery(body);
  ASSERT_EQ(events.size(), 1u);
  const auto& e = events[0];
  EXPECT_FALSE(e.event_type.known());
  EXPECT_EQ(e.event_type.str(), "TaskRecurrenceChanged");
  EXPECT_FALSE(e.event_author_id);
  EXPECT_EQ(e.title, "Weekly sync");
  EXPECT_EQ(e.extra.size(), 2u);
  EXPECT_EQ(e.extra.at("recurrence").at("rule").as_string(), "weekly");
  const json::value again = json::value_from(e);
  EXPECT_EQ(again.at("eventType").as_string(), "TaskRecurrenceChanged");
  EXPECT_EQ(again.at("customFields"), json::parse(body).at(0).at("customFields"));
  EXPECT_EQ(json::value_to<WebhookEvent>(again), e);
}

TEST(WebhookEvent, EventSpecificFieldsOfAnotherShapeGoToExtra) {
  const std::string body = R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskParentsAdded",
    "taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:42Z",
    "addedParents":"MQAAAAEN9zQV","importance":3,"customFieldId":"not an id!","dates":"2026-01-01"}])";
  const auto e = wrike::parse_webhook_delivery(body).at(0);
  EXPECT_FALSE(e.added_parents);
  EXPECT_FALSE(e.importance);
  EXPECT_FALSE(e.custom_field_id);
  EXPECT_FALSE(e.dates);
  EXPECT_EQ(e.extra.at("addedParents").as_string(), "MQAAAAEN9zQV");
  EXPECT_EQ(e.extra.at("importance").as_int64(), 3);
  EXPECT_EQ(e.extra.at("customFieldId").as_string(), "not an id!");
  EXPECT_EQ(e.extra.size(), 4u);
  EXPECT_EQ(json::value_from(e).as_object(), json::parse(body).at(0).as_object());
}

// ---- strictness -------------------------------------------------------------------------------

TEST(WebhookDelivery, CommonFieldsAreStrict) {
  auto delivery = [](std::string second) {
    return R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated","taskId":"MAAAAAEOud3s",
      "lastUpdatedDate":"2026-08-11T23:35:42Z"},)" + second + "]";
  };
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(R"({"eventType":"TaskCreated","lastUpdatedDate":"2026-08-11T23:35:42Z"})"));
            }),
            "decode_error: delivery[1].webhookId: missing");
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(R"({"webhookId":"IEAAIKU5JAACF45S","lastUpdatedDate":"2026-08-11T23:35:42Z"})"));
            }),
            "decode_error: delivery[1].eventType: missing");
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(R"({"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated"})"));
            }),
            "decode_error: delivery[1].lastUpdatedDate: missing");
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(
                  delivery(R"({"webhookId":"IEAAIKU5JAACF45S","eventType":7,"lastUpdatedDate":"2026-08-11T23:35:42Z"})"));
            }),
            "decode_error: delivery[1].eventType: expected a string, got number");
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(
                  R"({"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated","lastUpdatedDate":"2026-08-11 23:35:42"})"));
            }).rfind("decode_error: delivery[1].lastUpdatedDate: ", 0),
            0u);
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(
                  R"({"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated","lastUpdatedDate":"2026-08-11T23:35:42Z","taskId":"bad id"})"));
            }).rfind("decode_error: delivery[1].taskId: invalid Wrike ID \"bad id\"", 0),
            0u);
  EXPECT_EQ(error_context([&] {
              wrike::parse_webhook_delivery(delivery(
                  R"({"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskCreated","lastUpdatedDate":"2026-08-11T23:35:42Z","eventAuthorId":5})"));
            }),
            "decode_error: delivery[1].eventAuthorId: expected a string, got number");
  EXPECT_EQ(error_context([&] { wrike::parse_webhook_delivery(delivery(R"("TaskCreated")")); }),
            "decode_error: delivery[1]: expected an event object, got string");
}

TEST(WebhookDelivery, BodyMustBeAJsonArray) {
  EXPECT_EQ(error_context([] { wrike::parse_webhook_delivery(std::string_view(R"({"requestType":"x"})")); }),
            "invalid_response: webhook delivery: expected a JSON array of events, got object");
  EXPECT_EQ(error_context([] { wrike::parse_webhook_delivery(std::string_view("[{")); }).rfind(
                "invalid_response: webhook delivery: not JSON", 0),
            0u);
  EXPECT_EQ(error_context([] { wrike::parse_webhook_delivery(std::string_view("")); }).rfind(
                "invalid_response: webhook delivery: not JSON", 0),
            0u);
  EXPECT_TRUE(wrike::parse_webhook_delivery(std::string_view("[]")).empty());
  EXPECT_TRUE(wrike::parse_webhook_delivery(std::string_view(" [ ]\n")).empty());
}

TEST(WebhookDelivery, ValueToNamesFieldsWithoutARoot) {
  EXPECT_EQ(error_context([] { json::value_to<WebhookEvent>(json::parse(R"({"eventType":"TaskCreated"})")); }),
            "decode_error: webhookId: missing");
  EXPECT_EQ(error_context([] { json::value_to<WebhookEvent>(json::value(3)); }),
            "decode_error: WebhookEvent: expected an event object, got number");
}

TEST(WebhookDelivery, VerificationRequestIsRecognisedByBody) {
  EXPECT_TRUE(wrike::is_verification_request(json::parse(R"({"requestType": "WebHook secret verification"})")));
  EXPECT_FALSE(wrike::is_verification_request(json::parse(R"({"requestType": "something else"})")));
  EXPECT_FALSE(wrike::is_verification_request(json::parse(R"([{"requestType": "WebHook secret verification"}])")));
  EXPECT_FALSE(wrike::is_verification_request(json::parse(R"({"requestType": 1})")));
}

// ---- dedupe keys ------------------------------------------------------------------------------

TEST(WebhookDedupeKey, RepeatsMatchAndDifferentChangesDoNot) {
  const auto a = wrike::parse_webhook_delivery(std::string_view(
      R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskTitleChanged","taskId":"MAAAAAEOud3s",
          "lastUpdatedDate":"2026-08-11T23:35:42Z","oldValue":"A","title":"B"}])"));
  const auto same_reordered = wrike::parse_webhook_delivery(std::string_view(
      R"([{"title":"B","oldValue":"A","taskId":"MAAAAAEOud3s","lastUpdatedDate":"2026-08-11T23:35:42Z",
          "eventType":"TaskTitleChanged","webhookId":"IEAAIKU5JAACF45S"}])"));
  const auto same_second_other_change = wrike::parse_webhook_delivery(std::string_view(
      R"([{"webhookId":"IEAAIKU5JAACF45S","eventType":"TaskTitleChanged","taskId":"MAAAAAEOud3s",
          "lastUpdatedDate":"2026-08-11T23:35:42Z","oldValue":"B","title":"C"}])"));
  const std::string key = wrike::dedupe_key(a[0]);
  EXPECT_EQ(key.rfind("TaskTitleChanged|task:MAAAAAEOud3s|2026-08-11T23:35:42Z|", 0), 0u) << key;
  EXPECT_EQ(key.size(), std::string("TaskTitleChanged|task:MAAAAAEOud3s|2026-08-11T23:35:42Z|").size() + 32);
  EXPECT_EQ(wrike::dedupe_key(a[0]), wrike::dedupe_key(same_reordered[0]));
  EXPECT_NE(wrike::dedupe_key(a[0]), wrike::dedupe_key(same_second_other_change[0]));

  wrike::WebhookEvent folder = a[0];
  folder.task_id.reset();
  folder.folder_id = wrike::FolderId("MQAAAAEN9zQV");
  EXPECT_EQ(wrike::dedupe_key(folder).rfind("TaskTitleChanged|folder:MQAAAAEN9zQV|", 0), 0u);
  wrike::WebhookEvent other_hook = a[0];
  other_hook.webhook_id = wrike::WebhookId("IEAAIKU5JAACF5JK");
  EXPECT_NE(wrike::dedupe_key(other_hook), key);  // two hooks' deliveries are not merged
}

// ---- the webhook model ------------------------------------------------------------------------

TEST(WebhookModel, DecodesEncodesAndKeepsUnknownFields) {
  const json::value v = json::parse(R"({"id":"IEAAIKU5JAACF5JK","accountId":"IEAAIKU5","spaceId":"IEAAIKU5I5ABCDEF",
      "hookUrl":"https://example.invalid/hook","status":"Suspended","parameterisedEvents":[]})");
  const auto w = json::value_to<wrike::Webhook>(v);
  EXPECT_EQ(w.id.str(), "IEAAIKU5JAACF5JK");
  EXPECT_EQ(w.space_id->str(), "IEAAIKU5I5ABCDEF");
  EXPECT_FALSE(w.folder_id);
  EXPECT_FALSE(w.events);
  EXPECT_EQ(w.status, wrike::WebhookStatus::Suspended);
  EXPECT_EQ(w.extra.size(), 1u);
  EXPECT_EQ(json::value_from(w).as_object(), v.as_object());
  EXPECT_EQ(json::value_to<wrike::Webhook>(json::value_from(w)), w);

  const auto unknown = json::value_to<wrike::Webhook>(json::parse(
      R"({"id":"IEAAIKU5JAACF5JK","accountId":"IEAAIKU5","hookUrl":"h","status":"Paused"})"));
  EXPECT_FALSE(unknown.status.known());
  EXPECT_EQ(unknown.status.str(), "Paused");
  EXPECT_EQ(error_context([] {
              json::value_to<wrike::Webhook>(json::parse(R"({"id":"IEAAIKU5JAACF5JK","accountId":"IEAAIKU5","status":"Active"})"));
            }),
            "decode_error: hookUrl: missing");
}

TEST(WebhookModel, Envelope) {
  const auto env = wrike::decode_envelope<wrike::Webhook>(json::parse(
      R"({"kind":"webhooks","data":[{"id":"IEAAIKU5JAACF5JK","accountId":"IEAAIKU5","hookUrl":"h","status":"Active"}]})"));
  EXPECT_EQ(env.kind, "webhooks");
  ASSERT_EQ(env.data.size(), 1u);
  EXPECT_EQ(env.data[0].hook_url, "h");
  EXPECT_EQ(error_context([] {
              wrike::decode_envelope<wrike::Webhook>(json::parse(
                  R"({"kind":"webhooks","data":[{"id":"IEAAIKU5JAACF5JK","accountId":"IEAAIKU5","hookUrl":"h","status":"Active"},
                      {"id":"IEAAIKU5JAACF5JL","accountId":"IEAAIKU5","hookUrl":"h2","status":"Active","events":[1]}]})"));
            }),
            "decode_error: data[1].events[0]: expected a string, got number");
  EXPECT_EQ(error_context([] {
              wrike::decode_envelope<wrike::Webhook>(
                  json::parse(R"({"error":"not_authorized","errorDescription":"Access token is unknown or invalid"})"));
            }),
            "decode_error: data: missing; the body is a Wrike error response: not_authorized (Access token is "
            "unknown or invalid)");
}

// ---- real Wrike bodies (../shared/wrike-fixtures) ---------------------------------------------

TEST(WebhookFixtures, DocsSampleEvent) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(v, "activepieces__webhook_event_TaskCreated_docs_sample.json");
  const auto e = json::value_to<WebhookEvent>(v);
  EXPECT_EQ(e.event_type, WebhookEventType::TaskCreated);
  EXPECT_EQ(e.webhook_id.str(), "IEAAABC6JAAAABAS");
  EXPECT_EQ(e.event_author_id->str(), "KUAAABKU");
  EXPECT_EQ(e.task_id->str(), "IEAAABC6KQAB5FKW");
  EXPECT_EQ(wrike::format_timestamp(e.last_updated_date), "2016-10-10T11:33:28Z");
  EXPECT_TRUE(e.extra.empty());
  EXPECT_EQ(json::value_from(e).as_object(), v.as_object());
}

TEST(WebhookFixtures, LiveDeliveries) {
  const auto dir = wrike_test::fixtures_dir();
  if (!dir) GTEST_SKIP() << wrike_test::kNoFixtures;
  struct Case {
    const char* file;
    WebhookEventType type;
    const char* task;
  } cases[] = {
      {"unattributed/nextflowbot__webhook_delivery_TaskCreated_array.json", WebhookEventType::TaskCreated, "MAAAAAEOud3s"},
      {"unattributed/nextflowbot__webhook_delivery_TaskDeleted_array.json", WebhookEventType::TaskDeleted, "MAAAAAEOCjgR"},
  };
  for (const auto& c : cases) {
    const std::string raw = wrike_test::read_file(*dir / c.file);
    const auto events = wrike::parse_webhook_delivery(raw);
    ASSERT_EQ(events.size(), 1u) << c.file;
    EXPECT_EQ(events[0].event_type, c.type);
    EXPECT_EQ(events[0].task_id->str(), c.task);  // the July-2025 ID format
    EXPECT_EQ(events[0].webhook_id.str(), "IEAAIKU5JAACF45S");
    EXPECT_TRUE(events[0].extra.empty());
    EXPECT_EQ(json::value_from(events[0]).as_object(), json::parse(raw).as_array()[0].as_object());
  }
}

TEST(WebhookFixtures, WebhooksList) {
  WRIKE_LOAD_FIXTURE_OR_SKIP(v, "unattributed/nextflowbot__webhooks_list_folder_hook.json");
  const auto env = wrike::decode_envelope<wrike::Webhook>(v);
  EXPECT_EQ(env.kind, "webhooks");
  ASSERT_EQ(env.data.size(), 1u);
  const auto& w = env.data[0];
  EXPECT_EQ(w.id.str(), "IEAAIKU5JAACF5JK");
  EXPECT_EQ(w.account_id.str(), "IEAAIKU5");
  EXPECT_EQ(w.folder_id->str(), "MQAAAAEN9zQV");
  EXPECT_FALSE(w.space_id);
  ASSERT_TRUE(w.events);
  EXPECT_EQ(*w.events, (std::vector<std::string>{"TaskCreated", "TaskParentsAdded", "TaskDeleted", "TaskParentsRemoved"}));
  for (const auto& name : *w.events) EXPECT_TRUE(wrike::OpenEnum<WebhookEventType>{name}.known()) << name;
  EXPECT_EQ(w.recursive, false);
  EXPECT_EQ(w.status, wrike::WebhookStatus::Active);
  EXPECT_TRUE(w.extra.empty());
  EXPECT_EQ(json::value_from(w).as_object(), v.at("data").at(0).as_object());
}

}  // namespace
