// Wrike webhook events (what Wrike POSTs to a hook URL) and the webhook management model.
//
// A delivery body is a JSON array of small change notifications (wrike-api.md §6.3):
//
//   [{"taskId":"MAAAAAEOud3s","webhookId":"IEAAIKU5JAACF45S","eventAuthorId":"KUAAXTKP",
//     "eventType":"TaskCreated","lastUpdatedDate":"2026-08-11T23:35:42Z"}]
//
// Decoding follows the model conventions of model.hpp (snake_case members named after the wire
// names, OpenEnum for enums, every unrecognised key kept in `extra`, decode -> encode -> decode
// round-trips), with one deliberate difference for the event-specific fields:
//
// - The common fields are strict: `webhookId`, `eventType` and `lastUpdatedDate` are required,
//   and `webhookId`, `eventAuthorId`, `eventType`, `lastUpdatedDate`, `taskId`, `folderId` must
//   have the documented type, or decoding throws wrike_cascade::Error(errc::decode_error) naming
//   the field ("delivery[2].lastUpdatedDate: ...").
// - The event-specific fields (§6.3's table is partly UNCONFIRMED) are typed when they have the
//   documented shape; a value of any other shape is NOT an error: it stays in `extra` under its
//   own key (so nothing is lost and it still round-trips). A delivery must not be refused, and a
//   hook suspended, because Wrike changed an undocumented detail.
//
// The payload is a change notification, not the object: re-fetch the task/folder by ID for the
// authoritative state (§6.3).
#pragma once

#include <wrike/ids.hpp>
#include <wrike/model.hpp>
#include <wrike/time.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace wrike {

namespace id_tag {
struct Attachment;
struct Comment;
}  // namespace id_tag
using AttachmentId = Id<id_tag::Attachment>;
using CommentId = Id<id_tag::Comment>;

// ---- event types (wrike-api.md §6.2) --------------------------------------------------------

enum class WebhookEventType {
  Unknown,
  // tasks
  TaskCreated, TaskDeleted, TaskTitleChanged, TaskImportanceChanged, TaskStatusChanged,
  TaskDatesChanged, TaskParentsAdded, TaskParentsRemoved, TaskResponsiblesAdded,
  TaskResponsiblesRemoved, TaskSharedsAdded, TaskSharedsRemoved, TaskDescriptionChanged,
  TaskCustomFieldChanged, TaskApprovalStatusChanged, TaskApprovalDecisionChanged,
  TaskApprovalDecisionReset,
  // folders (projects fire these too)
  FolderCreated, FolderDeleted, FolderTitleChanged, FolderParentsAdded, FolderParentsRemoved,
  FolderSharedsAdded, FolderSharedsRemoved, FolderDescriptionChanged, FolderCommentAdded,
  FolderCommentDeleted, FolderAttachmentAdded, FolderAttachmentDeleted, FolderCustomFieldChanged,
  FolderApprovalStatusChanged, FolderApprovalDecisionChanged, FolderApprovalDecisionReset,
  // projects
  ProjectDatesChanged, ProjectOwnersAdded, ProjectOwnersRemoved, ProjectStatusChanged,
  // on a task
  AttachmentAdded, AttachmentDeleted, CommentAdded, CommentDeleted, TimelogChanged,
};
inline constexpr int kWebhookEventTypeCount = 42;  // known enumerators, Unknown excluded

// The webhook's state: only `status` can be changed (PUT /webhooks/{id}).
enum class WebhookStatus { Unknown, Active, Suspended };

const std::string& wire_name(WebhookEventType value) noexcept;
bool parse_wire_name(std::string_view text, WebhookEventType& out) noexcept;
inline std::ostream& operator<<(std::ostream& os, WebhookEventType v) { return os << wire_name(v); }
const std::string& wire_name(WebhookStatus value) noexcept;
bool parse_wire_name(std::string_view text, WebhookStatus& out) noexcept;
inline std::ostream& operator<<(std::ostream& os, WebhookStatus v) { return os << wire_name(v); }

// Whose ID the event carries: `taskId` for Task*/Attachment*/Comment*/Timelog*, `folderId` for
// Folder*/Project*. None for Unknown.
enum class WebhookSubject { None, Task, Folder };
WebhookSubject subject_of(WebhookEventType type) noexcept;

// ---- one event --------------------------------------------------------------------------------

struct WebhookEvent {
  // common (strict)
  WebhookId webhook_id;
  std::optional<ContactId> event_author_id;
  OpenEnum<WebhookEventType> event_type;
  Timestamp last_updated_date;
  std::optional<TaskId> task_id;      // the subject of Task*/Attachment*/Comment*/Timelog*
  std::optional<FolderId> folder_id;  // the subject of Folder*/Project*

  // TaskStatusChanged / ProjectStatusChanged. Kept as text: the status group ("Active", ...),
  // a custom status name or a project status, depending on the event and account.
  std::optional<std::string> old_status;                // "oldStatus"
  std::optional<std::string> status;                    // "status"
  std::optional<CustomStatusId> old_custom_status_id;   // "oldCustomStatusId"
  std::optional<CustomStatusId> custom_status_id;       // "customStatusId"

  // The previous value of *TitleChanged (string), TaskImportanceChanged (string),
  // *DatesChanged (object) and *CustomFieldChanged (string): raw, since its shape depends on the
  // event. Unlike the other members a JSON null is kept (as a null value), so "was empty" and
  // "not sent" differ. See old_text() / old_task_dates().
  std::optional<boost::json::value> old_value;          // "oldValue"
  std::optional<std::string> title;                     // *TitleChanged: the new title
  std::optional<OpenEnum<Importance>> importance;       // TaskImportanceChanged: the new value
  std::optional<boost::json::object> dates;             // *DatesChanged: the new dates, raw
  std::optional<CustomFieldId> custom_field_id;         // *CustomFieldChanged
  std::optional<std::string> value;                     // *CustomFieldChanged: new raw value (§5.3)

  // Membership changes.
  std::optional<std::vector<FolderId>> added_parents;          // "addedParents"
  std::optional<std::vector<FolderId>> removed_parents;        // "removedParents"
  std::optional<std::vector<ContactId>> added_responsibles;    // "addedResponsibles"
  std::optional<std::vector<ContactId>> removed_responsibles;  // "removedResponsibles"
  std::optional<std::vector<ContactId>> added_shareds;         // "addedShareds"
  std::optional<std::vector<ContactId>> removed_shareds;       // "removedShareds"
  std::optional<std::vector<ContactId>> added_owners;          // "addedOwners" (UNCONFIRMED)
  std::optional<std::vector<ContactId>> removed_owners;        // "removedOwners" (UNCONFIRMED)

  // Attachments and comments.
  std::optional<AttachmentId> attachment_id;   // "attachmentId"
  std::optional<CommentId> comment_id;         // "commentId"
  std::optional<boost::json::object> comment;  // "comment" {text, html} (UNCONFIRMED): raw

  // Every other key (timelog and approval fields, the 2025 `fields` payload additions, and any
  // event-specific field whose shape was not the documented one).
  boost::json::object extra;

  // old_value when it is a string (title, importance, custom field value).
  std::optional<std::string> old_text() const;
  // `dates` / `oldValue` decoded as task dates (TaskDatesChanged). nullopt when absent; throws
  // wrike_cascade::Error(decode_error) when present but not task dates.
  std::optional<TaskDates> task_dates() const;
  std::optional<TaskDates> old_task_dates() const;
  // The subject's ID text (task or folder), or "" when the event carries neither.
  const std::string& subject_id() const noexcept;

  friend bool operator==(const WebhookEvent&, const WebhookEvent&) = default;
};

WebhookEvent tag_invoke(boost::json::value_to_tag<WebhookEvent>, const boost::json::value& v);
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const WebhookEvent& x);

// Decodes a delivery body. It must be a JSON array whose elements are event objects:
// - not JSON, or not an array: wrike_cascade::Error(errc::invalid_response), e.g.
//   "webhook delivery: expected a JSON array of events, got object";
// - an element that is not an event: Error(errc::decode_error) naming the index and field, e.g.
//   "delivery[1].webhookId: missing".
// An empty array is valid (no events).
std::vector<WebhookEvent> parse_webhook_delivery(std::string_view raw_body);
std::vector<WebhookEvent> parse_webhook_delivery(const boost::json::value& body);

// The body of Wrike's handshake request is {"requestType": "WebHook secret verification"}.
inline constexpr std::string_view kWebhookVerificationRequestType = "WebHook secret verification";
// True when `body` is an object whose "requestType" is kWebhookVerificationRequestType.
bool is_verification_request(const boost::json::value& body) noexcept;

// A key that is equal for exact repeats of an event and differs otherwise:
//   "<eventType>|<task:|folder:><subject id>|<lastUpdatedDate>|<32 hex: SHA-256 prefix>"
// where the hash covers the event's canonical JSON (value_from: known fields in a fixed order,
// then `extra`), so two different changes to one task in the same second are not merged, while
// a redelivery is, even with its keys in another order.
std::string dedupe_key(const WebhookEvent& event);

// ---- webhook management model (GET/POST/PUT /webhooks, §6.1) -----------------------------

struct Webhook {
  WebhookId id;
  AccountId account_id;
  std::optional<FolderId> folder_id;  // folder/project hooks
  std::optional<SpaceId> space_id;    // space hooks
  std::string hook_url;
  std::optional<std::vector<std::string>> events;  // absent: all events; wire names (§6.2)
  std::optional<bool> recursive;                   // folder hooks
  OpenEnum<WebhookStatus> status;
  boost::json::object extra;
  friend bool operator==(const Webhook&, const Webhook&) = default;
};

Webhook tag_invoke(boost::json::value_to_tag<Webhook>, const boost::json::value& v);
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const Webhook& x);

// The {"kind":"webhooks","data":[...]} envelope, with the same checks and error paths as the
// other decode_envelope<T> ("data[0].hookUrl: missing"). An explicit specialisation, defined in
// webhook_event.cpp.
template <>
Envelope<Webhook> decode_envelope<Webhook>(const boost::json::value& body);

}  // namespace wrike
