// Typed Cascade Classic API v2 models (goals, tasks, issues/risks, updates), their lenient
// JSON decoding, and the request bodies the client sends.
//
// Conventions (same as wrike/model.hpp; see cascade-api.md §3 for the wire format):
// - Member names are the wire names (Classic's are snake_case already): `role_id`,
//   `start_time`, `custom_attributes`.
// - `id` is the only required member of a record. Everything else is std::optional: absent or
//   JSON null -> std::nullopt, and nullopt is omitted when encoding. Arrays are
//   std::optional<std::vector<...>> so "not sent" differs from "empty".
// - Enums are open (OpenEnum<E>): a value Cascade adds later is kept as text.
// - Every record keeps each key the decoder did not recognise in `extra`; encoding writes the
//   known fields, then the `extra` keys, so decode -> encode -> decode round-trips.
// - Decoding is LENIENT about what Classic really sends, and strict about everything else:
//     booleans   true/false, 0/1, "0"/"1", "true"/"false"            -> bool
//     IDs        123 or "123" (positive)                              -> IntId
//     numbers    12.5 or "12.5"                                       -> double / int
//     dates      1714557600 or "1714557600" (Unix seconds), "2024-05-01",
//                "2024-05-01T10:00:00Z", "...+02:00", "2024-05-01 10:00:00" -> DateTime
//     text       "abc", or a number (kept as its decimal text)        -> std::string
//     ""         on an optional ID, number, bool or date: absent
//     custom_attributes  {"CA1573011281053": 3, ...} (or [] for none) -> map of JSON values
//   A value that fits none of these throws wrike_cascade::Error(errc::decode_error) whose
//   context names the JSON path, e.g. "goals[3].start_time: invalid date/time \"soon\"".
// - Encoding writes what the Classic API takes: booleans as 0/1, IDs as integers, dates as
//   ISO 8601 ("2024-05-01" for date-only values, "2024-05-01T10:00:00Z" otherwise).
//
// Request bodies: to_json(GoalCreate) etc. build exactly the wrapped bodies the Swagger file
// declares ({"goal": {...}}), with only declared fields and only the ones set, and check
// required fields, enums and bounds first (Error(errc::invalid_argument) naming the field).
#pragma once

#include <cascade/common.hpp>
#include <cascade/ids.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cascade::classic {

// ---- enums (each has Unknown = 0 for wire text the SDK does not know) -----------------------

enum class GoalStatus { Unknown, Approved, Draft, Archived };               // APPRO, DRAFT, ARCHI
enum class CompletionCriteria { Unknown, TargetReached, TargetDeadlineReached };  // TARGET-REACHED, ...
enum class TargetFlow { Unknown, Over, Under, None };                       // OVER, UNDER, NONE
enum class TrackingType { Unknown, Manual, SubgoalSum, SubgoalMean, WeightedMean, Tasks };
// MANUAL, SUBGOAL-SUM, SUBGOAL-MEAN, WEIGHTED-MEAN, TASKS

#define CASCADE_DECLARE_ENUM_NAMES(E)                                \
  const std::string& wire_name(E value) noexcept;                    \
  bool parse_wire_name(std::string_view text, E& out) noexcept;      \
  inline std::ostream& operator<<(std::ostream& os, E value) { return os << wire_name(value); }
CASCADE_DECLARE_ENUM_NAMES(GoalStatus)
CASCADE_DECLARE_ENUM_NAMES(CompletionCriteria)
CASCADE_DECLARE_ENUM_NAMES(TargetFlow)
CASCADE_DECLARE_ENUM_NAMES(TrackingType)
#undef CASCADE_DECLARE_ENUM_NAMES

// Template custom fields: generated keys ("CA<13-digit epoch ms>", per tenant and template) to
// whatever JSON value the field holds.
using CustomAttributes = std::map<std::string, boost::json::value>;

// ---- records --------------------------------------------------------------------------------

struct Goal {
  GoalId id;
  std::optional<RoleId> role_id;                  // the owner role
  std::optional<UserId> creator_id;
  std::optional<OpenEnum<GoalStatus>> status;
  std::optional<OpenEnum<CompletionCriteria>> completion_criteria;
  std::optional<OpenEnum<TargetFlow>> target_flow;
  std::optional<std::string> action;              // the title's first word ("Increase")
  std::optional<std::string> details;             // the rest of the title
  std::optional<double> initial;
  std::optional<double> progress;
  std::optional<double> target;
  std::optional<DateTime> start_time;
  std::optional<DateTime> end_time;
  std::optional<int> weight_id;                   // priority 1 (highest) .. 4
  std::optional<bool> is_private;
  std::optional<OpenEnum<TrackingType>> tracking_type;
  std::optional<DateTime> created_at;
  std::optional<DateTime> updated_at;
  std::optional<TemplateId> entity_template_id;
  std::optional<std::vector<FocusAreaId>> direct_focus_area_ids;
  std::optional<std::vector<FocusAreaId>> inherited_focus_area_ids;
  std::optional<std::vector<GoalId>> aligned_from_ids;   // child goals
  std::optional<std::vector<GoalId>> aligned_to_ids;     // parent goals
  std::optional<std::string> title;               // read-only: title, target and due date together
  std::optional<std::vector<GoalId>> ancestor_ids;
  std::optional<std::vector<GoalId>> descendant_ids;
  std::optional<std::vector<IssueId>> issue_ids;
  std::optional<std::vector<TaskId>> task_ids;
  std::optional<CustomAttributes> custom_attributes;
  boost::json::object extra;
  friend bool operator==(const Goal&, const Goal&) = default;
};

struct Task {
  TaskId id;
  std::optional<std::string> task;                // the title
  std::optional<std::string> comment;             // the description
  std::optional<DateTime> created_at;
  std::optional<bool> is_complete;
  std::optional<DateTime> completed_at;
  std::optional<DateTime> updated_at;
  std::optional<UserId> user_id;                  // owner (or creator: the Swagger says both)
  std::optional<RoleId> role_id;
  std::optional<UserId> completed_user_id;
  std::optional<GoalId> goal_id;                  // the parent goal
  std::optional<DateTime> start_date;
  std::optional<DateTime> due_date;
  std::optional<int> weight_id;                   // 1..4
  std::optional<TemplateId> entity_template_id;
  std::optional<CustomAttributes> custom_attributes;
  boost::json::object extra;
  friend bool operator==(const Task&, const Task&) = default;
};

// A risk ("issue" on the wire; the help centre calls a critical risk an issue).
struct Issue {
  IssueId id;
  std::optional<std::string> issue;               // the title
  std::optional<bool> is_critical;
  std::optional<bool> is_resolved;
  std::optional<DateTime> created_at;
  std::optional<UserId> user_id;
  std::optional<RoleId> role_id;
  std::optional<GoalId> goal_id;
  std::optional<DateTime> due_date;
  std::optional<TemplateId> entity_template_id;
  std::optional<CustomAttributes> custom_attributes;
  boost::json::object extra;
  friend bool operator==(const Issue&, const Issue&) = default;
};

// A progress or commentary post on a goal.
struct Update {
  UpdateId id;
  std::optional<std::string> type;                // values undocumented: plain text
  std::optional<std::string> comment;
  std::optional<DateTime> created_at;
  std::optional<DateTime> updated_at;
  std::optional<UserId> user_id;
  std::optional<GoalId> goal_id;
  std::optional<bool> deleted;
  std::optional<TemplateId> entity_template_id;
  std::optional<CustomAttributes> custom_attributes;
  boost::json::object extra;
  friend bool operator==(const Update&, const Update&) = default;
};

// What a DELETE answered (the Swagger draws {"message", "code", "status"}; often no body).
struct DeleteResult {
  int http_status = 0;
  std::optional<std::string> message;
  std::optional<std::int64_t> code;
  std::optional<std::string> status;
  boost::json::object extra;
  friend bool operator==(const DeleteResult&, const DeleteResult&) = default;
};

#define CASCADE_DECLARE_JSON_CONVERSIONS(T)                                      \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v);       \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x);
CASCADE_DECLARE_JSON_CONVERSIONS(Goal)
CASCADE_DECLARE_JSON_CONVERSIONS(Task)
CASCADE_DECLARE_JSON_CONVERSIONS(Issue)
CASCADE_DECLARE_JSON_CONVERSIONS(Update)
#undef CASCADE_DECLARE_JSON_CONVERSIONS

template <class E>
OpenEnum<E> tag_invoke(boost::json::value_to_tag<OpenEnum<E>>, const boost::json::value& v) {
  if (!v.is_string()) throw wrike_cascade::Error(wrike_cascade::errc::decode_error, "value: expected a string");
  return OpenEnum<E>{std::string_view(v.get_string())};
}
template <class E>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const OpenEnum<E>& e) {
  v.emplace_string() = e.str();
}

// ---- wrapped bodies -------------------------------------------------------------------------

// The wrapper keys of each record type: "goal"/"goals", "task"/"tasks", "issue"/"issues",
// "update"/"updates".
template <class T>
struct WireKeys;
template <> struct WireKeys<Goal> { static constexpr std::string_view singular = "goal", plural = "goals"; };
template <> struct WireKeys<Task> { static constexpr std::string_view singular = "task", plural = "tasks"; };
template <> struct WireKeys<Issue> { static constexpr std::string_view singular = "issue", plural = "issues"; };
template <> struct WireKeys<Update> { static constexpr std::string_view singular = "update", plural = "updates"; };

// Every record of a list response. Errors name the element: "goals[2].end_time: ...".
template <class T>
Listing<T> decode_listing(const boost::json::value& body);
// The one record of a get/create/update response ({"goal": {...}}, or a one-element array).
// When `known_id` is given and the record has no `id` (the Swagger draws some update
// responses without one), it is filled in.
template <class T>
T decode_single(const boost::json::value& body, std::optional<decltype(T::id)> known_id = std::nullopt);

extern template Listing<Goal> decode_listing<Goal>(const boost::json::value&);
extern template Listing<Task> decode_listing<Task>(const boost::json::value&);
extern template Listing<Issue> decode_listing<Issue>(const boost::json::value&);
extern template Listing<Update> decode_listing<Update>(const boost::json::value&);
extern template Goal decode_single<Goal>(const boost::json::value&, std::optional<GoalId>);
extern template Task decode_single<Task>(const boost::json::value&, std::optional<TaskId>);
extern template Issue decode_single<Issue>(const boost::json::value&, std::optional<IssueId>);
extern template Update decode_single<Update>(const boost::json::value&, std::optional<UpdateId>);

// A DELETE response body (null for an empty body) with its status.
DeleteResult decode_delete_result(const boost::json::value& body, int http_status);

// ---- request bodies -------------------------------------------------------------------------
// The members are the fields each operation's body schema declares, nothing else. Plain members
// are required by the schema; std::optional ones are sent only when set. Booleans go out as
// 0/1, dates as ISO 8601.

// POST /goals (Create-goal). Required: action, details, start_time, end_time, weight_id.
struct GoalCreate {
  std::string action;                  // 1..25 characters
  std::string details;                 // 1..300 characters
  DateTime start_time;
  DateTime end_time;
  int weight_id = 3;                   // 1 (highest) .. 4
  std::optional<RoleId> role_id;
  std::optional<UserId> creator_id;
  std::optional<GoalStatus> status;
  std::optional<CompletionCriteria> completion_criteria;
  std::optional<TargetFlow> target_flow;
  std::optional<double> initial;
  std::optional<double> progress;
  std::optional<double> target;
  std::optional<bool> is_private;
  std::optional<TrackingType> tracking_type;
  std::optional<TemplateId> entity_template_id;
  std::optional<std::vector<FocusAreaId>> direct_focus_area_ids;  // top-level goals only
  std::optional<std::vector<GoalId>> aligned_from_ids;
  std::optional<std::vector<GoalId>> aligned_to_ids;
};

// PUT /goals/{id} (Update-goal): only what is set is sent. (The schema also lists the
// read-only inherited_focus_area_ids; the SDK never sends it.)
struct GoalUpdate {
  std::optional<std::string> action;
  std::optional<std::string> details;
  std::optional<DateTime> start_time;
  std::optional<DateTime> end_time;
  std::optional<int> weight_id;
  std::optional<RoleId> role_id;
  std::optional<UserId> creator_id;
  std::optional<GoalStatus> status;
  std::optional<CompletionCriteria> completion_criteria;
  std::optional<TargetFlow> target_flow;
  std::optional<double> initial;
  std::optional<double> progress;
  std::optional<double> target;
  std::optional<bool> is_private;
  std::optional<TrackingType> tracking_type;
  std::optional<TemplateId> entity_template_id;
  std::optional<std::vector<FocusAreaId>> direct_focus_area_ids;
  std::optional<std::vector<GoalId>> aligned_from_ids;
  std::optional<std::vector<GoalId>> aligned_to_ids;
  bool empty() const noexcept;
};

// POST /tasks (Create-task). Required: task (the title), goal_id.
struct TaskCreate {
  std::string task;
  GoalId goal_id;
  std::optional<std::string> comment;
  std::optional<bool> is_complete;
  std::optional<RoleId> role_id;
  std::optional<DateTime> start_date;
  std::optional<DateTime> due_date;
  std::optional<int> weight_id;
  std::optional<TemplateId> entity_template_id;
};

// PUT /tasks/{id} (Update-task).
struct TaskUpdate {
  std::optional<std::string> task;
  std::optional<std::string> comment;
  std::optional<bool> is_complete;
  std::optional<RoleId> role_id;
  std::optional<GoalId> goal_id;       // moves the task to another goal
  std::optional<DateTime> start_date;
  std::optional<DateTime> due_date;
  std::optional<int> weight_id;
  std::optional<TemplateId> entity_template_id;
  bool empty() const noexcept;
};

// POST /issues (Create-risk). Required: issue (the title), goal_id.
struct IssueCreate {
  std::string issue;
  GoalId goal_id;
  std::optional<bool> is_critical;
  std::optional<bool> is_resolved;
  std::optional<RoleId> role_id;
  std::optional<DateTime> due_date;
  std::optional<TemplateId> entity_template_id;
  std::optional<CustomAttributes> custom_attributes;
};

// PUT /issues/{id} (Update-risk). A risk cannot move to another goal.
struct IssueUpdate {
  std::optional<std::string> issue;
  std::optional<bool> is_critical;
  std::optional<bool> is_resolved;
  std::optional<RoleId> role_id;
  std::optional<DateTime> due_date;
  std::optional<TemplateId> entity_template_id;
  std::optional<CustomAttributes> custom_attributes;   // only the keys given change
  bool empty() const noexcept;
};

// POST /updates (Create-update). Required: comment, goal_id.
struct UpdateCreate {
  std::string comment;
  GoalId goal_id;
  std::optional<TemplateId> entity_template_id;
};

// PUT /updates/{id} (Update-update).
struct UpdateUpdate {
  std::optional<std::string> comment;
  std::optional<DateTime> created_at;
  std::optional<DateTime> updated_at;
  std::optional<GoalId> goal_id;
  std::optional<bool> deleted;
  std::optional<TemplateId> entity_template_id;
  bool empty() const noexcept;
};

// The wrapped JSON bodies, exactly as the Swagger file declares them. Throw
// Error(errc::invalid_argument) naming the field when something required is missing or out of
// range, or an update changes nothing.
boost::json::object to_json(const GoalCreate& g);
boost::json::object to_json(const GoalUpdate& g);
boost::json::object to_json(const TaskCreate& t);
boost::json::object to_json(const TaskUpdate& t);
boost::json::object to_json(const IssueCreate& i);
boost::json::object to_json(const IssueUpdate& i);
boost::json::object to_json(const UpdateCreate& u);
boost::json::object to_json(const UpdateUpdate& u);

}  // namespace cascade::classic
