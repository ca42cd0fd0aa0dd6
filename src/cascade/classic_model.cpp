// Cascade Classic models: field tables, wrapped bodies, and the request bodies.

#include "json_io.hpp"

#include <cascade/classic_model.hpp>

#include <array>
#include <cmath>
#include <stdexcept>

namespace cascade::classic {

using wrike_cascade::errc;
using wrike_cascade::Error;
namespace json = boost::json;

// ---- enum names -----------------------------------------------------------------------------

namespace {

template <class E>
struct EnumNames;

#define CASCADE_ENUM_NAMES(E, ...)                                               \
  template <>                                                                    \
  struct EnumNames<E> {                                                          \
    static const auto& get() {                                                   \
      static const auto names = std::to_array<std::string>({"", __VA_ARGS__});   \
      return names;                                                              \
    }                                                                            \
  };
CASCADE_ENUM_NAMES(GoalStatus, "APPRO", "DRAFT", "ARCHI")
CASCADE_ENUM_NAMES(CompletionCriteria, "TARGET-REACHED", "TARGET-DEADLINE-REACHED")
CASCADE_ENUM_NAMES(TargetFlow, "OVER", "UNDER", "NONE")
CASCADE_ENUM_NAMES(TrackingType, "MANUAL", "SUBGOAL-SUM", "SUBGOAL-MEAN", "WEIGHTED-MEAN", "TASKS")
#undef CASCADE_ENUM_NAMES

template <class E>
const std::string& enum_name(E value) noexcept {
  const auto& names = EnumNames<E>::get();
  const auto i = static_cast<std::size_t>(value);
  return i < names.size() ? names[i] : names[0];
}

template <class E>
bool enum_parse(std::string_view text, E& out) noexcept {
  const auto& names = EnumNames<E>::get();
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == text) {
      out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

#define CASCADE_DEFINE_ENUM_NAMES(E)                                                          \
  const std::string& wire_name(E value) noexcept { return enum_name(value); }                 \
  bool parse_wire_name(std::string_view text, E& out) noexcept { return enum_parse(text, out); }
CASCADE_DEFINE_ENUM_NAMES(GoalStatus)
CASCADE_DEFINE_ENUM_NAMES(CompletionCriteria)
CASCADE_DEFINE_ENUM_NAMES(TargetFlow)
CASCADE_DEFINE_ENUM_NAMES(TrackingType)
#undef CASCADE_DEFINE_ENUM_NAMES

}  // namespace cascade::classic

// ---- field tables (in the Swagger file's order) ----------------------------------------------

namespace cascade::io {

using namespace cascade::classic;

template <>
struct Model<Goal> {
  static constexpr std::string_view name = "Goal";
  static constexpr std::array fields{
      field<&Goal::id>("id"),
      field<&Goal::role_id>("role_id"),
      field<&Goal::creator_id>("creator_id"),
      field<&Goal::status>("status"),
      field<&Goal::completion_criteria>("completion_criteria"),
      field<&Goal::target_flow>("target_flow"),
      field<&Goal::action>("action"),
      field<&Goal::details>("details"),
      field<&Goal::initial>("initial"),
      field<&Goal::progress>("progress"),
      field<&Goal::target>("target"),
      field<&Goal::start_time>("start_time"),
      field<&Goal::end_time>("end_time"),
      field<&Goal::weight_id>("weight_id"),
      field<&Goal::is_private>("is_private"),
      field<&Goal::tracking_type>("tracking_type"),
      field<&Goal::created_at>("created_at"),
      field<&Goal::updated_at>("updated_at"),
      field<&Goal::entity_template_id>("entity_template_id"),
      field<&Goal::direct_focus_area_ids>("direct_focus_area_ids"),
      field<&Goal::inherited_focus_area_ids>("inherited_focus_area_ids"),
      field<&Goal::aligned_from_ids>("aligned_from_ids"),
      field<&Goal::aligned_to_ids>("aligned_to_ids"),
      field<&Goal::title>("title"),
      field<&Goal::ancestor_ids>("ancestor_ids"),
      field<&Goal::descendant_ids>("descendant_ids"),
      field<&Goal::issue_ids>("issue_ids"),
      field<&Goal::task_ids>("task_ids"),
      field<&Goal::custom_attributes>("custom_attributes"),
  };
};

template <>
struct Model<Task> {
  static constexpr std::string_view name = "Task";
  static constexpr std::array fields{
      field<&Task::id>("id"),
      field<&Task::task>("task"),
      field<&Task::comment>("comment"),
      field<&Task::created_at>("created_at"),
      field<&Task::is_complete>("is_complete"),
      field<&Task::completed_at>("completed_at"),
      field<&Task::updated_at>("updated_at"),
      field<&Task::user_id>("user_id"),
      field<&Task::role_id>("role_id"),
      field<&Task::completed_user_id>("completed_user_id"),
      field<&Task::goal_id>("goal_id"),
      field<&Task::start_date>("start_date"),
      field<&Task::due_date>("due_date"),
      field<&Task::weight_id>("weight_id"),
      field<&Task::entity_template_id>("entity_template_id"),
      field<&Task::custom_attributes>("custom_attributes"),
  };
};

template <>
struct Model<Issue> {
  static constexpr std::string_view name = "Issue";
  static constexpr std::array fields{
      field<&Issue::id>("id"),
      field<&Issue::issue>("issue"),
      field<&Issue::is_critical>("is_critical"),
      field<&Issue::is_resolved>("is_resolved"),
      field<&Issue::created_at>("created_at"),
      field<&Issue::user_id>("user_id"),
      field<&Issue::role_id>("role_id"),
      field<&Issue::goal_id>("goal_id"),
      field<&Issue::due_date>("due_date"),
      field<&Issue::entity_template_id>("entity_template_id"),
      field<&Issue::custom_attributes>("custom_attributes"),
  };
};

template <>
struct Model<Update> {
  static constexpr std::string_view name = "Update";
  static constexpr std::array fields{
      field<&Update::id>("id"),
      field<&Update::type>("type"),
      field<&Update::comment>("comment"),
      field<&Update::created_at>("created_at"),
      field<&Update::updated_at>("updated_at"),
      field<&Update::user_id>("user_id"),
      field<&Update::goal_id>("goal_id"),
      field<&Update::deleted>("deleted"),
      field<&Update::entity_template_id>("entity_template_id"),
      field<&Update::custom_attributes>("custom_attributes"),
  };
};

template <>
struct Model<DeleteResult> {
  static constexpr std::string_view name = "DeleteResult";
  static constexpr std::array fields{
      field<&DeleteResult::message>("message"),
      field<&DeleteResult::code>("code"),
      field<&DeleteResult::status>("status"),
  };
};

}  // namespace cascade::io

namespace cascade::classic {

// ---- Boost.JSON conversions -----------------------------------------------------------------

#define CASCADE_DEFINE_JSON_CONVERSIONS(T)                                                       \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v) { return io::decode_model<T>(v); } \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x) {             \
    io::write_struct(v.emplace_object(), x);                                                    \
  }
CASCADE_DEFINE_JSON_CONVERSIONS(Goal)
CASCADE_DEFINE_JSON_CONVERSIONS(Task)
CASCADE_DEFINE_JSON_CONVERSIONS(Issue)
CASCADE_DEFINE_JSON_CONVERSIONS(Update)
#undef CASCADE_DEFINE_JSON_CONVERSIONS

// ---- wrapped bodies -------------------------------------------------------------------------

template <class T>
Listing<T> decode_listing(const boost::json::value& body) {
  return io::decode_listing<T>(body, WireKeys<T>::singular, WireKeys<T>::plural);
}

namespace {

// Fills in a missing `id` of the single record in `body` (a copy) when the record has none.
template <class T>
std::optional<json::value> with_id(const json::value& body, decltype(T::id) id) {
  const json::object* obj = body.if_object();
  if (!obj) return std::nullopt;
  for (std::string_view key : {WireKeys<T>::plural, WireKeys<T>::singular}) {
    const json::value* rec = obj->if_contains(key);
    if (!rec) continue;
    const json::object* ro = rec->if_object();
    if (const json::array* a = rec->if_array(); a && a->size() == 1) ro = (*a)[0].if_object();
    if (!ro || ro->contains("id")) return std::nullopt;
    json::value copy = body;
    json::value& r = copy.as_object()[key];
    json::object& target = r.is_array() ? r.as_array()[0].as_object() : r.as_object();
    target["id"] = id.value();
    return copy;
  }
  return std::nullopt;
}

}  // namespace

template <class T>
T decode_single(const boost::json::value& body, std::optional<decltype(T::id)> known_id) {
  std::optional<json::value> patched;
  if (known_id) patched = with_id<T>(body, *known_id);
  auto listing = decode_listing<T>(patched ? *patched : body);
  if (listing.items.size() != 1) {
    throw Error(errc::decode_error, std::string(listing.key.empty() ? "body" : listing.key) + ": expected one " +
                                        std::string(WireKeys<T>::singular) + ", got " +
                                        std::to_string(listing.items.size()));
  }
  return std::move(listing.items.front());
}

template Listing<Goal> decode_listing<Goal>(const boost::json::value&);
template Listing<Task> decode_listing<Task>(const boost::json::value&);
template Listing<Issue> decode_listing<Issue>(const boost::json::value&);
template Listing<Update> decode_listing<Update>(const boost::json::value&);
template Goal decode_single<Goal>(const boost::json::value&, std::optional<GoalId>);
template Task decode_single<Task>(const boost::json::value&, std::optional<TaskId>);
template Issue decode_single<Issue>(const boost::json::value&, std::optional<IssueId>);
template Update decode_single<Update>(const boost::json::value&, std::optional<UpdateId>);

DeleteResult decode_delete_result(const boost::json::value& body, int http_status) {
  DeleteResult r;
  if (body.is_object()) r = io::decode_model<DeleteResult>(body);
  r.http_status = http_status;
  return r;
}

// ---- request bodies -------------------------------------------------------------------------

namespace {

[[noreturn]] void invalid(std::string_view field, std::string_view what) {
  throw Error(errc::invalid_argument, std::string(field) + ": " + std::string(what));
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// Writes the body of one operation, checking each value as it goes. `name` prefixes errors
// ("GoalCreate.weight_id: ...").
class Body {
 public:
  explicit Body(std::string_view name) : name_(name) {}

  std::string field_name(std::string_view f) const { return std::string(name_) + "." + std::string(f); }

  void text(std::string_view key, const std::string& v, std::size_t max_chars = 0) {
    if (v.empty()) invalid(field_name(key), "is required and cannot be empty");
    if (max_chars && code_points(v) > max_chars)
      invalid(field_name(key), "at most " + std::to_string(max_chars) + " characters, got " +
                                   std::to_string(code_points(v)));
    o_[key] = v;
  }
  void text(std::string_view key, const std::optional<std::string>& v, std::size_t max_chars = 0) {
    if (v) text(key, *v, max_chars);
  }
  // Free text that may be empty (comments, descriptions).
  void any_text(std::string_view key, const std::optional<std::string>& v) {
    if (v) o_[key] = *v;
  }
  template <class Tag>
  void id(std::string_view key, IntId<Tag> v) {
    if (!v.valid()) invalid(field_name(key), "is required (a positive ID), got " + v.str());
    o_[key] = v.value();
  }
  template <class Tag>
  void id(std::string_view key, const std::optional<IntId<Tag>>& v) {
    if (v) id(key, *v);
  }
  template <class Tag>
  void ids(std::string_view key, const std::optional<std::vector<IntId<Tag>>>& v) {
    if (!v) return;
    json::array a;
    a.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].valid()) invalid(field_name(key) + "[" + std::to_string(i) + "]", "not a positive ID");
      a.push_back((*v)[i].value());
    }
    o_[key] = std::move(a);
  }
  void weight(std::string_view key, int v) {
    if (v < 1 || v > 4) invalid(field_name(key), "must be 1 (highest) .. 4, got " + std::to_string(v));
    o_[key] = v;
  }
  void weight(std::string_view key, const std::optional<int>& v) {
    if (v) weight(key, *v);
  }
  void number(std::string_view key, const std::optional<double>& v) {
    if (!v) return;
    if (!std::isfinite(*v)) invalid(field_name(key), "must be a finite number");
    o_[key] = io::json_number(*v);
  }
  void flag(std::string_view key, const std::optional<bool>& v) {
    if (v) o_[key] = *v ? 1 : 0;
  }
  void time(std::string_view key, const DateTime& v) {
    try {
      o_[key] = format_datetime(v);
    } catch (const std::invalid_argument& e) {
      invalid(field_name(key), e.what());
    }
  }
  void time(std::string_view key, const std::optional<DateTime>& v) {
    if (v) time(key, *v);
  }
  template <class E>
  void enumeration(std::string_view key, const std::optional<E>& v) {
    if (!v) return;
    if (*v == E::Unknown) invalid(field_name(key), "Unknown is not a value Cascade takes");
    o_[key] = wire_name(*v);
  }
  void attributes(std::string_view key, const std::optional<CustomAttributes>& v) {
    if (!v) return;
    json::object a;
    for (const auto& [k, val] : *v) {
      if (k.empty()) invalid(field_name(key), "an attribute key cannot be empty");
      a[k] = val;
    }
    o_[key] = std::move(a);
  }

  json::object wrap(std::string_view key) {
    json::object out;
    out[key] = std::move(o_);
    return out;
  }

 private:
  std::string_view name_;
  json::object o_;
};

void check_span(const char* name, const std::optional<DateTime>& start, const std::optional<DateTime>& end,
                std::string_view start_key, std::string_view end_key) {
  if (start && end && end->time < start->time) {
    invalid(std::string(name) + "." + std::string(end_key), "is before " + std::string(start_key));
  }
}

}  // namespace

bool GoalUpdate::empty() const noexcept {
  return !action && !details && !start_time && !end_time && !weight_id && !role_id && !creator_id && !status &&
         !completion_criteria && !target_flow && !initial && !progress && !target && !is_private &&
         !tracking_type && !entity_template_id && !direct_focus_area_ids && !aligned_from_ids && !aligned_to_ids;
}
bool TaskUpdate::empty() const noexcept {
  return !task && !comment && !is_complete && !role_id && !goal_id && !start_date && !due_date && !weight_id &&
         !entity_template_id;
}
bool IssueUpdate::empty() const noexcept {
  return !issue && !is_critical && !is_resolved && !role_id && !due_date && !entity_template_id && !custom_attributes;
}
bool UpdateUpdate::empty() const noexcept {
  return !comment && !created_at && !updated_at && !goal_id && !deleted && !entity_template_id;
}

// Limits from the Classic API reference page (cascade-api.md §3.4): action <= 25, detail <= 300.
constexpr std::size_t kMaxAction = 25;
constexpr std::size_t kMaxDetails = 300;

boost::json::object to_json(const GoalCreate& g) {
  Body b("GoalCreate");
  b.id("role_id", g.role_id);
  b.id("creator_id", g.creator_id);
  b.enumeration("status", g.status);
  b.enumeration("completion_criteria", g.completion_criteria);
  b.enumeration("target_flow", g.target_flow);
  b.text("action", g.action, kMaxAction);
  b.text("details", g.details, kMaxDetails);
  b.number("initial", g.initial);
  b.number("progress", g.progress);
  b.number("target", g.target);
  b.time("start_time", g.start_time);
  b.time("end_time", g.end_time);
  check_span("GoalCreate", g.start_time, g.end_time, "start_time", "end_time");
  b.weight("weight_id", g.weight_id);
  b.flag("is_private", g.is_private);
  b.enumeration("tracking_type", g.tracking_type);
  b.id("entity_template_id", g.entity_template_id);
  b.ids("direct_focus_area_ids", g.direct_focus_area_ids);
  b.ids("aligned_from_ids", g.aligned_from_ids);
  b.ids("aligned_to_ids", g.aligned_to_ids);
  return b.wrap("goal");
}

boost::json::object to_json(const GoalUpdate& g) {
  if (g.empty()) invalid("GoalUpdate", "changes nothing");
  Body b("GoalUpdate");
  b.id("role_id", g.role_id);
  b.id("creator_id", g.creator_id);
  b.enumeration("status", g.status);
  b.enumeration("completion_criteria", g.completion_criteria);
  b.enumeration("target_flow", g.target_flow);
  b.text("action", g.action, kMaxAction);
  b.text("details", g.details, kMaxDetails);
  b.number("initial", g.initial);
  b.number("progress", g.progress);
  b.number("target", g.target);
  b.time("start_time", g.start_time);
  b.time("end_time", g.end_time);
  check_span("GoalUpdate", g.start_time, g.end_time, "start_time", "end_time");
  b.weight("weight_id", g.weight_id);
  b.flag("is_private", g.is_private);
  b.enumeration("tracking_type", g.tracking_type);
  b.id("entity_template_id", g.entity_template_id);
  b.ids("direct_focus_area_ids", g.direct_focus_area_ids);
  b.ids("aligned_from_ids", g.aligned_from_ids);
  b.ids("aligned_to_ids", g.aligned_to_ids);
  return b.wrap("goal");
}

boost::json::object to_json(const TaskCreate& t) {
  Body b("TaskCreate");
  b.text("task", t.task);
  b.any_text("comment", t.comment);
  b.flag("is_complete", t.is_complete);
  b.id("role_id", t.role_id);
  b.id("goal_id", t.goal_id);
  b.time("start_date", t.start_date);
  b.time("due_date", t.due_date);
  check_span("TaskCreate", t.start_date, t.due_date, "start_date", "due_date");
  b.weight("weight_id", t.weight_id);
  b.id("entity_template_id", t.entity_template_id);
  return b.wrap("task");
}

boost::json::object to_json(const TaskUpdate& t) {
  if (t.empty()) invalid("TaskUpdate", "changes nothing");
  Body b("TaskUpdate");
  b.text("task", t.task);
  b.any_text("comment", t.comment);
  b.flag("is_complete", t.is_complete);
  b.id("role_id", t.role_id);
  b.id("goal_id", t.goal_id);
  b.time("start_date", t.start_date);
  b.time("due_date", t.due_date);
  check_span("TaskUpdate", t.start_date, t.due_date, "start_date", "due_date");
  b.weight("weight_id", t.weight_id);
  b.id("entity_template_id", t.entity_template_id);
  return b.wrap("task");
}

boost::json::object to_json(const IssueCreate& i) {
  Body b("IssueCreate");
  b.text("issue", i.issue);
  b.flag("is_critical", i.is_critical);
  b.flag("is_resolved", i.is_resolved);
  b.id("role_id", i.role_id);
  b.id("goal_id", i.goal_id);
  b.time("due_date", i.due_date);
  b.id("entity_template_id", i.entity_template_id);
  b.attributes("custom_attributes", i.custom_attributes);
  return b.wrap("issue");
}

boost::json::object to_json(const IssueUpdate& i) {
  if (i.empty()) invalid("IssueUpdate", "changes nothing");
  Body b("IssueUpdate");
  b.text("issue", i.issue);
  b.flag("is_critical", i.is_critical);
  b.flag("is_resolved", i.is_resolved);
  b.id("role_id", i.role_id);
  b.time("due_date", i.due_date);
  b.id("entity_template_id", i.entity_template_id);
  b.attributes("custom_attributes", i.custom_attributes);
  return b.wrap("issue");
}

boost::json::object to_json(const UpdateCreate& u) {
  Body b("UpdateCreate");
  b.text("comment", u.comment);
  b.id("goal_id", u.goal_id);
  b.id("entity_template_id", u.entity_template_id);
  return b.wrap("update");
}

boost::json::object to_json(const UpdateUpdate& u) {
  if (u.empty()) invalid("UpdateUpdate", "changes nothing");
  Body b("UpdateUpdate");
  b.text("comment", u.comment);
  b.time("created_at", u.created_at);
  b.time("updated_at", u.updated_at);
  b.id("goal_id", u.goal_id);
  b.flag("deleted", u.deleted);
  b.id("entity_template_id", u.entity_template_id);
  return b.wrap("update");
}

}  // namespace cascade::classic
