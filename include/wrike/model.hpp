// Typed Wrike API v4 models and their JSON conversions (Boost.JSON).
//
// Conventions (see wrike-api.md §4 and §5):
// - Member names are the wire names in snake_case: `accountId` -> `account_id`,
//   `superParentIds` -> `super_parent_ids`, `dates.workOnWeekends` -> `dates.work_on_weekends`.
// - Required members (plain types) are the ones Wrike always sends and a consumer cannot do
//   without: `id`, the entity's `title`/`name`, Contact/CustomField `type`, task `dates.type`,
//   metadata `key`/`value`, custom-field value `id`/`value`. Everything else is std::optional:
//   absent (or JSON null) on the wire -> std::nullopt, and nullopt is omitted when encoding.
//   Arrays are std::optional<std::vector<...>> so "not requested" (list endpoints omit
//   `responsibleIds`, `parentIds`, `customFields`, ...) differs from "empty".
// - Enums are open (OpenEnum<E>): a value Wrike adds later ("Invitation" contacts) is kept as
//   text, not rejected. Colours are plain strings (live data has "DarkRed", not in the spec).
// - Every model has `boost::json::object extra` with each key the decoder did not recognise;
//   encoding writes the known fields first, then the `extra` keys that are not already there, so
//   decode -> encode -> decode round-trips.
// - Decoding is lenient about absent optional fields and strict about the types of known ones. A
//   failure throws wrike_cascade::Error(errc::decode_error) whose context names the field path,
//   e.g. "data[3].dates.start: expected a string, got number" or "customFields[0].id: missing".
//
// Usage: boost::json::value_to<wrike::Task>(v), boost::json::value_from(task),
// wrike::decode_envelope<wrike::Task>(body).
#pragma once

#include <wrike/ids.hpp>
#include <wrike/time.hpp>
#include <wrike_cascade/error.hpp>  // wrike_cascade::Error, errc::decode_error

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace wrike {

// ---- open enums ----------------------------------------------------------------------------
// Each enum has `Unknown` (value 0) for wire text the SDK does not know.

enum class TaskStatus { Unknown, Active, Completed, Deferred, Cancelled };
enum class Importance { Unknown, High, Normal, Low };
enum class TaskDatesType { Unknown, Backlog, Milestone, Planned };
enum class Scope { Unknown, WsRoot, RbRoot, WsFolder, RbFolder, WsTask, RbTask };
enum class ProjectStatus { Unknown, Green, Yellow, Red, Completed, OnHold, Cancelled, Custom };
enum class ContactType { Unknown, Person, Group, Asset, Robot, Invitation };
enum class CustomFieldType {
  Unknown, Text, DropDown, Numeric, Currency, Percentage, Date, Duration, Checkbox, Contacts,
  Multiple, CalculatedNumeric, CalculatedDate, LinkToDatabase
};

// A custom-status or option colour ("Blue", "DarkRed", ...): an open set, kept as text.
using StatusColor = std::string;

// Wire text of a known enumerator ("" for Unknown), and the reverse lookup (exact,
// case-sensitive). One overload per enum above; defined in model.cpp.
#define WRIKE_DECLARE_ENUM_NAMES(E)                                  \
  const std::string& wire_name(E value) noexcept;                    \
  bool parse_wire_name(std::string_view text, E& out) noexcept;      \
  inline std::ostream& operator<<(std::ostream& os, E value) { return os << wire_name(value); }
WRIKE_DECLARE_ENUM_NAMES(TaskStatus)
WRIKE_DECLARE_ENUM_NAMES(Importance)
WRIKE_DECLARE_ENUM_NAMES(TaskDatesType)
WRIKE_DECLARE_ENUM_NAMES(Scope)
WRIKE_DECLARE_ENUM_NAMES(ProjectStatus)
WRIKE_DECLARE_ENUM_NAMES(ContactType)
WRIKE_DECLARE_ENUM_NAMES(CustomFieldType)
#undef WRIKE_DECLARE_ENUM_NAMES

// Either a known enumerator or the unknown wire text. str() is always the wire text.
//   OpenEnum<TaskStatus> s{"Completed"};   s.known() == true,  s == TaskStatus::Completed
//   OpenEnum<ContactType> c{"Bot"};        c.known() == false, c.value() == ContactType::Unknown,
//                                          c.str() == "Bot",   c == ContactType::Unknown
template <class E>
class OpenEnum {
 public:
  OpenEnum() noexcept = default;  // Unknown with empty text
  OpenEnum(E value) noexcept : value_(value) {}  // implicit: `task.status = TaskStatus::Active;`
  explicit OpenEnum(std::string_view wire) {
    if (!parse_wire_name(wire, value_)) {
      value_ = E::Unknown;
      raw_.assign(wire.data(), wire.size());
    }
  }

  bool known() const noexcept { return value_ != E::Unknown; }
  E value() const noexcept { return value_; }  // E::Unknown when !known()
  const std::string& str() const noexcept { return known() ? wire_name(value_) : raw_; }

  friend bool operator==(const OpenEnum& a, const OpenEnum& b) noexcept {
    return a.value_ == b.value_ && a.raw_ == b.raw_;
  }
  friend bool operator==(const OpenEnum& a, E b) noexcept { return a.value_ == b; }
  friend std::ostream& operator<<(std::ostream& os, const OpenEnum& e) { return os << e.str(); }

 private:
  E value_ = E::Unknown;
  std::string raw_;  // only when !known()
};

// ---- shared small models -------------------------------------------------------------------

struct Metadata {
  std::string key;
  std::string value;
  boost::json::object extra;
  friend bool operator==(const Metadata&, const Metadata&) = default;
};

// One entry of `customFields[]` on a task, folder or contact: the raw wire string, always kept.
// Type it with custom_field_value.hpp (decode_value / CustomFieldIndex).
struct CustomFieldValue {
  CustomFieldId id;
  std::string value;
  boost::json::object extra;
  friend bool operator==(const CustomFieldValue&, const CustomFieldValue&) = default;
};

// ---- contacts ------------------------------------------------------------------------------

struct ContactProfile {
  std::optional<AccountId> account_id;
  std::optional<std::string> email;
  std::optional<std::string> role;  // "User" | "Collaborator" | ...
  std::optional<bool> external;
  std::optional<bool> admin;
  std::optional<bool> owner;
  std::optional<bool> active;
  boost::json::object extra;
  friend bool operator==(const ContactProfile&, const ContactProfile&) = default;
};

struct Contact {
  ContactId id;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  OpenEnum<ContactType> type;
  std::optional<std::vector<ContactProfile>> profiles;
  std::optional<std::string> avatar_url;
  std::optional<std::string> timezone;  // IANA name, or "Z" for groups
  std::optional<std::string> locale;
  std::optional<bool> deleted;
  std::optional<bool> me;
  std::optional<std::vector<ContactId>> member_ids;  // groups
  std::optional<bool> my_team;                       // groups
  std::optional<std::vector<Metadata>> metadata;
  std::optional<std::string> title;
  std::optional<std::string> company_name;
  std::optional<std::string> phone;
  std::optional<std::string> location;
  std::optional<std::string> primary_email;
  std::optional<WorkScheduleId> work_schedule_id;
  std::optional<std::string> job_role_id;
  std::optional<std::vector<CustomFieldValue>> custom_fields;
  boost::json::object extra;  // e.g. currentBillRate, currentCostRate
  friend bool operator==(const Contact&, const Contact&) = default;
};

// ---- spaces --------------------------------------------------------------------------------

struct Space {
  SpaceId id;
  std::string title;
  std::optional<std::string> avatar_url;
  std::optional<std::string> access_type;  // "Locked" | "Personal" | "Private" | "Public"
  std::optional<bool> archived;
  std::optional<std::string> description;
  std::optional<AccessRoleId> guest_role_id;
  std::optional<WorkflowId> default_project_workflow_id;
  std::optional<WorkflowId> default_task_workflow_id;
  std::optional<std::vector<WorkflowId>> suggested_project_workflow_ids;
  std::optional<std::vector<WorkflowId>> suggested_task_workflow_ids;
  // Inner shape unconfirmed (seen: {id, accessRoleId, isManager}); kept as raw JSON.
  std::optional<boost::json::array> members;
  std::optional<WorkScheduleId> work_schedule_id;
  boost::json::object extra;
  friend bool operator==(const Space&, const Space&) = default;
};

// ---- folders and projects ------------------------------------------------------------------

// The `project` block of a folder: a folder with one is a project.
struct ProjectInfo {
  std::optional<ContactId> author_id;
  std::optional<std::vector<ContactId>> owner_ids;
  std::optional<OpenEnum<ProjectStatus>> status;  // "Custom" -> see custom_status_id
  std::optional<CustomStatusId> custom_status_id;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  std::optional<Timestamp> created_date;
  std::optional<Timestamp> completed_date;
  std::optional<std::string> contract_type;  // "Billable" | "NonBillable"
  boost::json::object extra;
  friend bool operator==(const ProjectInfo&, const ProjectInfo&) = default;
};

// One entry of the `folderTree` response (GET /folders without filters).
struct FolderTreeEntry {
  FolderId id;
  std::string title;
  std::optional<std::string> color;
  std::optional<std::vector<FolderId>> child_ids;
  std::optional<OpenEnum<Scope>> scope;
  std::optional<ProjectInfo> project;
  std::optional<bool> space;  // the entry is a space (its id is the SpaceId)
  std::optional<CustomItemTypeId> custom_item_type_id;
  boost::json::object extra;  // e.g. the legacy `children`
  bool is_project() const noexcept { return project.has_value(); }
  friend bool operator==(const FolderTreeEntry&, const FolderTreeEntry&) = default;
};

// The full Folder model (kind "folders"), also used for projects and spaces.
struct Folder {
  FolderId id;
  std::optional<AccountId> account_id;
  std::string title;
  std::optional<Timestamp> created_date;
  std::optional<Timestamp> updated_date;
  std::optional<std::string> brief_description;
  std::optional<std::string> description;  // HTML
  std::optional<std::string> color;
  std::optional<std::vector<ContactId>> shared_ids;
  std::optional<std::vector<FolderId>> parent_ids;
  std::optional<std::vector<FolderId>> child_ids;
  std::optional<std::vector<FolderId>> super_parent_ids;
  std::optional<OpenEnum<Scope>> scope;
  std::optional<bool> has_attachments;
  std::optional<std::int64_t> attachment_count;
  std::optional<std::string> permalink;
  std::optional<WorkflowId> workflow_id;
  std::optional<std::vector<Metadata>> metadata;
  std::optional<std::vector<CustomFieldValue>> custom_fields;
  std::optional<std::vector<CustomFieldId>> custom_column_ids;
  std::optional<ProjectInfo> project;
  std::optional<bool> space;
  std::optional<std::string> contract_type;
  std::optional<CustomItemTypeId> custom_item_type_id;
  boost::json::object extra;  // e.g. finance, accessRoles
  bool is_project() const noexcept { return project.has_value(); }
  friend bool operator==(const Folder&, const Folder&) = default;
};

// ---- tasks ---------------------------------------------------------------------------------

struct TaskDates {
  OpenEnum<TaskDatesType> type;
  // Minutes of *working* time (8 h days on the account's workdays): 960 = 2 days.
  std::optional<std::chrono::minutes> duration;
  std::optional<LocalDateTime> start;  // account-local wall clock, no zone
  std::optional<LocalDateTime> due;
  std::optional<bool> work_on_weekends;
  boost::json::object extra;
  friend bool operator==(const TaskDates&, const TaskDates&) = default;
};

struct Task {
  TaskId id;
  std::optional<AccountId> account_id;
  std::string title;
  std::optional<std::string> description;        // HTML
  std::optional<std::string> brief_description;  // plain-text excerpt
  std::optional<std::vector<FolderId>> parent_ids;
  std::optional<std::vector<FolderId>> super_parent_ids;
  std::optional<std::vector<ContactId>> shared_ids;
  std::optional<std::vector<ContactId>> responsible_ids;
  std::optional<std::vector<PlaceholderId>> responsible_placeholder_ids;
  std::optional<std::vector<ContactId>> author_ids;
  std::optional<std::vector<ContactId>> follower_ids;
  std::optional<bool> followed_by_me;
  std::optional<OpenEnum<TaskStatus>> status;  // the group of custom_status_id
  std::optional<CustomStatusId> custom_status_id;
  std::optional<OpenEnum<Importance>> importance;
  std::optional<Timestamp> created_date;
  std::optional<Timestamp> updated_date;
  std::optional<Timestamp> completed_date;
  std::optional<TaskDates> dates;
  std::optional<OpenEnum<Scope>> scope;  // WsTask | RbTask
  std::optional<bool> has_attachments;
  std::optional<std::int64_t> attachment_count;
  std::optional<std::string> permalink;
  std::optional<std::string> priority;  // opaque, lexicographically sortable manual order
  std::optional<bool> recurrent;
  std::optional<std::vector<TaskId>> super_task_ids;
  std::optional<std::vector<TaskId>> sub_task_ids;
  std::optional<std::vector<DependencyId>> dependency_ids;
  std::optional<std::vector<Metadata>> metadata;
  std::optional<std::vector<CustomFieldValue>> custom_fields;
  std::optional<std::string> billing_type;
  std::optional<CustomItemTypeId> custom_item_type_id;
  std::optional<WorkScheduleId> work_schedule_id;
  std::optional<boost::json::object> effort_allocation;  // sub-fields unverified: raw
  boost::json::object extra;  // e.g. finance, cascadingFieldSettings
  friend bool operator==(const Task&, const Task&) = default;
};

// ---- custom field definitions --------------------------------------------------------------

struct CustomFieldOption {
  std::string value;
  std::optional<StatusColor> color;
  boost::json::object extra;
  friend bool operator==(const CustomFieldOption&, const CustomFieldOption&) = default;
};

struct CustomFieldSettings {
  std::optional<std::string> inheritance_type;  // All | Tasks | Projects | Folders | None
  std::optional<std::vector<std::string>> applicable_entity_types;  // WorkItem | User
  std::optional<int> decimal_places;
  std::optional<bool> use_thousands_separator;
  std::optional<std::string> currency;     // ISO code, Currency fields
  std::optional<std::string> aggregation;  // None | Sum | Average | ...
  std::optional<std::vector<std::string>> values;  // DropDown / Multiple options
  std::optional<std::vector<CustomFieldOption>> options;
  std::optional<bool> option_colors_enabled;
  std::optional<bool> allow_other_values;
  std::optional<std::vector<ContactId>> contacts;  // Contacts fields: allowed contacts
  std::optional<bool> read_only;
  std::optional<bool> allow_time;  // Date fields with a time part
  boost::json::object extra;
  friend bool operator==(const CustomFieldSettings&, const CustomFieldSettings&) = default;
};

struct CustomField {
  CustomFieldId id;
  std::optional<AccountId> account_id;
  std::string title;  // not unique
  OpenEnum<CustomFieldType> type;
  std::optional<SpaceId> space_id;  // space-scoped fields
  std::optional<std::vector<ContactId>> shared_ids;
  std::optional<boost::json::object> sharing;  // shape unconfirmed: raw
  std::optional<std::string> description;
  std::optional<bool> archived;
  std::optional<CustomFieldSettings> settings;
  boost::json::object extra;  // e.g. archivedBy, archivedOn, dataUsageStatistics
  friend bool operator==(const CustomField&, const CustomField&) = default;
};

// ---- workflows -----------------------------------------------------------------------------

struct CustomStatus {
  CustomStatusId id;
  std::string name;
  std::optional<bool> standard_name;
  std::optional<StatusColor> color;
  std::optional<bool> standard;
  std::optional<OpenEnum<TaskStatus>> group;
  std::optional<bool> hidden;
  boost::json::object extra;
  friend bool operator==(const CustomStatus&, const CustomStatus&) = default;
};

struct Workflow {
  WorkflowId id;
  std::string name;
  std::optional<bool> standard;
  std::optional<bool> hidden;
  std::optional<std::string> description;
  std::optional<SpaceId> space_id;  // /spaces/{id}/workflows
  std::optional<std::vector<CustomStatus>> custom_statuses;
  boost::json::object extra;
  friend bool operator==(const Workflow&, const Workflow&) = default;
};

// ---- Boost.JSON conversions ----------------------------------------------------------------

#define WRIKE_DECLARE_JSON_CONVERSIONS(T)                                        \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v);       \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x);
WRIKE_DECLARE_JSON_CONVERSIONS(Metadata)
WRIKE_DECLARE_JSON_CONVERSIONS(CustomFieldValue)
WRIKE_DECLARE_JSON_CONVERSIONS(ContactProfile)
WRIKE_DECLARE_JSON_CONVERSIONS(Contact)
WRIKE_DECLARE_JSON_CONVERSIONS(Space)
WRIKE_DECLARE_JSON_CONVERSIONS(ProjectInfo)
WRIKE_DECLARE_JSON_CONVERSIONS(FolderTreeEntry)
WRIKE_DECLARE_JSON_CONVERSIONS(Folder)
WRIKE_DECLARE_JSON_CONVERSIONS(TaskDates)
WRIKE_DECLARE_JSON_CONVERSIONS(Task)
WRIKE_DECLARE_JSON_CONVERSIONS(CustomFieldOption)
WRIKE_DECLARE_JSON_CONVERSIONS(CustomFieldSettings)
WRIKE_DECLARE_JSON_CONVERSIONS(CustomField)
WRIKE_DECLARE_JSON_CONVERSIONS(CustomStatus)
WRIKE_DECLARE_JSON_CONVERSIONS(Workflow)
#undef WRIKE_DECLARE_JSON_CONVERSIONS

namespace detail {
// The string in `v`, checked as a Wrike ID / as text; throws decode_error otherwise.
std::string json_to_id_string(const boost::json::value& v);
std::string json_to_string(const boost::json::value& v);
}  // namespace detail

template <class Tag>
Id<Tag> tag_invoke(boost::json::value_to_tag<Id<Tag>>, const boost::json::value& v) {
  return Id<Tag>{detail::json_to_id_string(v)};
}
template <class Tag>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const Id<Tag>& id) {
  v.emplace_string() = id.str();
}
template <class E>
OpenEnum<E> tag_invoke(boost::json::value_to_tag<OpenEnum<E>>, const boost::json::value& v) {
  return OpenEnum<E>{detail::json_to_string(v)};
}
template <class E>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const OpenEnum<E>& e) {
  v.emplace_string() = e.str();
}

// ---- the success envelope {"kind": ..., "data": [...]} --------------------------------------

template <class T>
struct Envelope {
  std::string kind;  // informational only: the endpoint determines T
  std::vector<T> data;
  std::optional<std::string> next_page_token;  // paged task/folder lists
  std::optional<std::int64_t> response_size;   // total matching, paged lists
};

// Checks the envelope shape and decodes every element of `data`; errors name the element, e.g.
// "data[3].dates.start: expected a string, got number". An error body ({"error": ...}) or a
// missing/non-array `data` is a decode_error too. Defined (and instantiated for the models
// below) in model.cpp.
template <class T>
Envelope<T> decode_envelope(const boost::json::value& body);

extern template Envelope<Contact> decode_envelope<Contact>(const boost::json::value&);
extern template Envelope<Space> decode_envelope<Space>(const boost::json::value&);
extern template Envelope<FolderTreeEntry> decode_envelope<FolderTreeEntry>(const boost::json::value&);
extern template Envelope<Folder> decode_envelope<Folder>(const boost::json::value&);
extern template Envelope<Task> decode_envelope<Task>(const boost::json::value&);
extern template Envelope<CustomField> decode_envelope<CustomField>(const boost::json::value&);
extern template Envelope<Workflow> decode_envelope<Workflow>(const boost::json::value&);

}  // namespace wrike
