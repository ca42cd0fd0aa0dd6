// JSON decoding and encoding of the Wrike models.
//
// Every model is described once, by a table of (wire name, member) pairs (the Model<T>
// specialisations below). One generic reader walks the JSON object once, finds each key in the
// table (trying the slot after the previous match first, since Wrike sends keys in a stable
// order), decodes it into the member and copies unknown keys into `extra`. One generic writer
// emits the table in order and then `extra`. A small path stack (no allocation) lets every error
// name the field path: "data[3].dates.start: expected a string, got number".

#include <wrike/model.hpp>

#include "../core/json_path.hpp"

#include <wrike_cascade/error.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace wrike {
namespace {

namespace json = boost::json;

// ---- enum name tables ----------------------------------------------------------------------
// Index = enumerator value; index 0 is Unknown ("").

template <class E>
struct EnumNames;

#define WRIKE_ENUM_NAMES(E, ...)                                          \
  template <>                                                              \
  struct EnumNames<E> {                                                    \
    static const auto& get() {                                             \
      static const auto names = std::to_array<std::string>({"", __VA_ARGS__}); \
      return names;                                                        \
    }                                                                      \
  };
WRIKE_ENUM_NAMES(TaskStatus, "Active", "Completed", "Deferred", "Cancelled")
WRIKE_ENUM_NAMES(Importance, "High", "Normal", "Low")
WRIKE_ENUM_NAMES(TaskDatesType, "Backlog", "Milestone", "Planned")
WRIKE_ENUM_NAMES(Scope, "WsRoot", "RbRoot", "WsFolder", "RbFolder", "WsTask", "RbTask")
WRIKE_ENUM_NAMES(ProjectStatus, "Green", "Yellow", "Red", "Completed", "OnHold", "Cancelled", "Custom")
WRIKE_ENUM_NAMES(ContactType, "Person", "Group", "Asset", "Robot", "Invitation")
WRIKE_ENUM_NAMES(CustomFieldType, "Text", "DropDown", "Numeric", "Currency", "Percentage", "Date",
                 "Duration", "Checkbox", "Contacts", "Multiple", "CalculatedNumeric", "CalculatedDate",
                 "LinkToDatabase")
#undef WRIKE_ENUM_NAMES

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

// ---- decoding context: the field path, for error messages (shared, src/core/json_path.hpp) --

using Ctx = wrike_cascade::detail::JsonPath;
using wrike_cascade::detail::quoted;
inline const char* kind_name(const json::value& v) noexcept { return wrike_cascade::detail::json_kind_name(v); }

// ---- readers (declared first so the templates below see every overload) --------------------

void read(Ctx& c, const json::value& v, std::string& out);
void read(Ctx& c, const json::value& v, bool& out);
void read(Ctx& c, const json::value& v, std::int64_t& out);
void read(Ctx& c, const json::value& v, int& out);
void read(Ctx& c, const json::value& v, std::chrono::minutes& out);
void read(Ctx& c, const json::value& v, Timestamp& out);
void read(Ctx& c, const json::value& v, LocalDateTime& out);
void read(Ctx& c, const json::value& v, Date& out);
void read(Ctx& c, const json::value& v, json::object& out);
void read(Ctx& c, const json::value& v, json::array& out);
template <class Tag>
void read(Ctx& c, const json::value& v, Id<Tag>& out);
template <class E>
void read(Ctx& c, const json::value& v, OpenEnum<E>& out);
template <class X>
void read(Ctx& c, const json::value& v, std::optional<X>& out);
template <class X>
void read(Ctx& c, const json::value& v, std::vector<X>& out);
void read(Ctx& c, const json::value& v, Metadata& out);
void read(Ctx& c, const json::value& v, CustomFieldValue& out);
void read(Ctx& c, const json::value& v, ContactProfile& out);
void read(Ctx& c, const json::value& v, Contact& out);
void read(Ctx& c, const json::value& v, Space& out);
void read(Ctx& c, const json::value& v, ProjectInfo& out);
void read(Ctx& c, const json::value& v, FolderTreeEntry& out);
void read(Ctx& c, const json::value& v, Folder& out);
void read(Ctx& c, const json::value& v, TaskDates& out);
void read(Ctx& c, const json::value& v, Task& out);
void read(Ctx& c, const json::value& v, CustomFieldOption& out);
void read(Ctx& c, const json::value& v, CustomFieldSettings& out);
void read(Ctx& c, const json::value& v, CustomField& out);
void read(Ctx& c, const json::value& v, CustomStatus& out);
void read(Ctx& c, const json::value& v, Workflow& out);

std::string_view text_of(Ctx& c, const json::value& v) {
  const json::string* s = v.if_string();
  if (!s) c.fail_expected("a string", v);
  return {s->data(), s->size()};
}

void read(Ctx& c, const json::value& v, std::string& out) { out = text_of(c, v); }

void read(Ctx& c, const json::value& v, bool& out) {
  if (!v.is_bool()) c.fail_expected("a bool", v);
  out = v.get_bool();
}

void read(Ctx& c, const json::value& v, std::int64_t& out) {
  switch (v.kind()) {
    case json::kind::int64: out = v.get_int64(); return;
    case json::kind::uint64:
      if (v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = static_cast<std::int64_t>(v.get_uint64());
        return;
      }
      c.fail("integer out of range");
    case json::kind::double_: {
      // 2.0 is an integer written as a double; 2.5 is not.
      const double d = v.get_double();
      if (std::trunc(d) == d && d >= -9.2e18 && d <= 9.2e18) {
        out = static_cast<std::int64_t>(d);
        return;
      }
      char buf[32];
      const auto printed = std::to_chars(buf, buf + sizeof buf, d);
      c.fail("expected an integer, got " + std::string(buf, printed.ptr));
    }
    default: c.fail_expected("an integer", v);
  }
}

void read(Ctx& c, const json::value& v, int& out) {
  std::int64_t wide = 0;
  read(c, v, wide);
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
    c.fail("integer out of range");
  out = static_cast<int>(wide);
}

void read(Ctx& c, const json::value& v, std::chrono::minutes& out) {
  std::int64_t n = 0;
  read(c, v, n);
  out = std::chrono::minutes{n};
}

template <class Parse>
auto parse_text(Ctx& c, const json::value& v, const char* expected, Parse parse) {
  if (!v.is_string()) c.fail_expected(expected, v);
  try {
    return parse(text_of(c, v));
  } catch (const std::invalid_argument& e) {
    c.fail(e.what());
  }
}

void read(Ctx& c, const json::value& v, Timestamp& out) {
  out = parse_text(c, v, "a string", [](std::string_view s) { return parse_timestamp(s); });
}
void read(Ctx& c, const json::value& v, LocalDateTime& out) {
  out = parse_text(c, v, "a string", [](std::string_view s) { return parse_local_datetime(s); });
}
void read(Ctx& c, const json::value& v, Date& out) {
  out = parse_text(c, v, "a string", [](std::string_view s) { return parse_date(s); });
}

void read(Ctx& c, const json::value& v, json::object& out) {
  const json::object* o = v.if_object();
  if (!o) c.fail_expected("an object", v);
  out = *o;
}

void read(Ctx& c, const json::value& v, json::array& out) {
  const json::array* a = v.if_array();
  if (!a) c.fail_expected("an array", v);
  out = *a;
}

template <class Tag>
void read(Ctx& c, const json::value& v, Id<Tag>& out) {
  const std::string_view s = text_of(c, v);
  if (!is_valid_id(s)) c.fail("invalid Wrike ID " + quoted(s) + " (expected 1-256 of [A-Za-z0-9-_:.=])");
  out = Id<Tag>{std::string(s)};
}

template <class E>
void read(Ctx& c, const json::value& v, OpenEnum<E>& out) {
  out = OpenEnum<E>{text_of(c, v)};
}

// JSON null on an optional field means "absent".
template <class X>
void read(Ctx& c, const json::value& v, std::optional<X>& out) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  read(c, v, out.emplace());
}

template <class X>
void read(Ctx& c, const json::value& v, std::vector<X>& out) {
  const json::array* a = v.if_array();
  if (!a) c.fail_expected("an array", v);
  out.clear();
  out.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    c.push(i);
    read(c, (*a)[i], out.emplace_back());
    c.pop();
  }
}

// ---- writers -------------------------------------------------------------------------------

void set_string(json::value& out, std::string_view s) { out.emplace_string().assign(s.data(), s.size()); }

void write(json::value& out, const std::string& s) { set_string(out, s); }
void write(json::value& out, bool b) { out = b; }
void write(json::value& out, std::int64_t n) { out = n; }
void write(json::value& out, int n) { out = static_cast<std::int64_t>(n); }
void write(json::value& out, std::chrono::minutes m) { out = static_cast<std::int64_t>(m.count()); }
void write(json::value& out, Timestamp t) { set_string(out, format_timestamp(t)); }
void write(json::value& out, LocalDateTime t) { set_string(out, format_local_datetime(t)); }
void write(json::value& out, Date d) { set_string(out, format_date(d)); }
void write(json::value& out, const json::object& o) { out.emplace_object() = o; }
void write(json::value& out, const json::array& a) { out.emplace_array() = a; }
template <class Tag>
void write(json::value& out, const Id<Tag>& id) {
  set_string(out, id.str());
}
template <class E>
void write(json::value& out, const OpenEnum<E>& e) {
  set_string(out, e.str());
}
template <class X>
void write(json::value& out, const std::vector<X>& xs);
void write(json::value& out, const Metadata& x);
void write(json::value& out, const CustomFieldValue& x);
void write(json::value& out, const ContactProfile& x);
void write(json::value& out, const Contact& x);
void write(json::value& out, const Space& x);
void write(json::value& out, const ProjectInfo& x);
void write(json::value& out, const FolderTreeEntry& x);
void write(json::value& out, const Folder& x);
void write(json::value& out, const TaskDates& x);
void write(json::value& out, const Task& x);
void write(json::value& out, const CustomFieldOption& x);
void write(json::value& out, const CustomFieldSettings& x);
void write(json::value& out, const CustomField& x);
void write(json::value& out, const CustomStatus& x);
void write(json::value& out, const Workflow& x);

template <class X>
void write(json::value& out, const std::vector<X>& xs) {
  json::array& a = out.emplace_array();
  a.reserve(xs.size());
  for (const X& x : xs) write(a.emplace_back(nullptr), x);
}

// ---- field tables --------------------------------------------------------------------------

template <class T>
struct Field {
  std::string_view name;
  bool required;
  void (*decode)(Ctx&, const json::value&, T&);
  void (*encode)(json::object&, std::string_view, const T&);
};

template <auto M>
struct member_of;
template <class T, class V, V T::*M>
struct member_of<M> {
  using owner = T;
  using type = V;
};

template <class V>
inline constexpr bool is_optional_v = false;
template <class X>
inline constexpr bool is_optional_v<std::optional<X>> = true;

json::value& put(json::object& o, std::string_view key) { return o.emplace(key, nullptr).first->value(); }

// field<&Task::account_id>("accountId"): required unless the member is a std::optional.
template <auto M>
constexpr Field<typename member_of<M>::owner> field(std::string_view name) {
  using T = typename member_of<M>::owner;
  using V = typename member_of<M>::type;
  return {name, !is_optional_v<V>,
          [](Ctx& c, const json::value& v, T& out) { read(c, v, out.*M); },
          [](json::object& o, std::string_view key, const T& in) {
            if constexpr (is_optional_v<V>) {
              if (in.*M) write(put(o, key), *(in.*M));
            } else {
              write(put(o, key), in.*M);
            }
          }};
}

// Wire order follows what Wrike sends, which makes the lookup below hit on its first try.
template <class T>
struct Model;

template <>
struct Model<Metadata> {
  static constexpr std::string_view name = "Metadata";
  static constexpr std::array fields{
      field<&Metadata::key>("key"),
      field<&Metadata::value>("value"),
  };
};

template <>
struct Model<CustomFieldValue> {
  static constexpr std::string_view name = "CustomFieldValue";
  static constexpr std::array fields{
      field<&CustomFieldValue::id>("id"),
      field<&CustomFieldValue::value>("value"),
  };
};

template <>
struct Model<ContactProfile> {
  static constexpr std::string_view name = "ContactProfile";
  static constexpr std::array fields{
      field<&ContactProfile::account_id>("accountId"),
      field<&ContactProfile::email>("email"),
      field<&ContactProfile::role>("role"),
      field<&ContactProfile::external>("external"),
      field<&ContactProfile::admin>("admin"),
      field<&ContactProfile::owner>("owner"),
      field<&ContactProfile::active>("active"),
  };
};

template <>
struct Model<Contact> {
  static constexpr std::string_view name = "Contact";
  static constexpr std::array fields{
      field<&Contact::id>("id"),
      field<&Contact::first_name>("firstName"),
      field<&Contact::last_name>("lastName"),
      field<&Contact::type>("type"),
      field<&Contact::profiles>("profiles"),
      field<&Contact::avatar_url>("avatarUrl"),
      field<&Contact::timezone>("timezone"),
      field<&Contact::locale>("locale"),
      field<&Contact::deleted>("deleted"),
      field<&Contact::me>("me"),
      field<&Contact::member_ids>("memberIds"),
      field<&Contact::my_team>("myTeam"),
      field<&Contact::metadata>("metadata"),
      field<&Contact::title>("title"),
      field<&Contact::company_name>("companyName"),
      field<&Contact::phone>("phone"),
      field<&Contact::location>("location"),
      field<&Contact::primary_email>("primaryEmail"),
      field<&Contact::work_schedule_id>("workScheduleId"),
      field<&Contact::job_role_id>("jobRoleId"),
      field<&Contact::custom_fields>("customFields"),
  };
};

template <>
struct Model<Space> {
  static constexpr std::string_view name = "Space";
  static constexpr std::array fields{
      field<&Space::id>("id"),
      field<&Space::title>("title"),
      field<&Space::avatar_url>("avatarUrl"),
      field<&Space::access_type>("accessType"),
      field<&Space::archived>("archived"),
      field<&Space::description>("description"),
      field<&Space::members>("members"),
      field<&Space::guest_role_id>("guestRoleId"),
      field<&Space::default_project_workflow_id>("defaultProjectWorkflowId"),
      field<&Space::default_task_workflow_id>("defaultTaskWorkflowId"),
      field<&Space::suggested_project_workflow_ids>("suggestedProjectWorkflowIds"),
      field<&Space::suggested_task_workflow_ids>("suggestedTaskWorkflowIds"),
      field<&Space::work_schedule_id>("workScheduleId"),
  };
};

template <>
struct Model<ProjectInfo> {
  static constexpr std::string_view name = "ProjectInfo";
  static constexpr std::array fields{
      field<&ProjectInfo::author_id>("authorId"),
      field<&ProjectInfo::owner_ids>("ownerIds"),
      field<&ProjectInfo::status>("status"),
      field<&ProjectInfo::custom_status_id>("customStatusId"),
      field<&ProjectInfo::start_date>("startDate"),
      field<&ProjectInfo::end_date>("endDate"),
      field<&ProjectInfo::created_date>("createdDate"),
      field<&ProjectInfo::completed_date>("completedDate"),
      field<&ProjectInfo::contract_type>("contractType"),
  };
};

template <>
struct Model<FolderTreeEntry> {
  static constexpr std::string_view name = "FolderTreeEntry";
  static constexpr std::array fields{
      field<&FolderTreeEntry::id>("id"),
      field<&FolderTreeEntry::title>("title"),
      field<&FolderTreeEntry::color>("color"),
      field<&FolderTreeEntry::child_ids>("childIds"),
      field<&FolderTreeEntry::scope>("scope"),
      field<&FolderTreeEntry::project>("project"),
      field<&FolderTreeEntry::space>("space"),
      field<&FolderTreeEntry::custom_item_type_id>("customItemTypeId"),
  };
};

template <>
struct Model<Folder> {
  static constexpr std::string_view name = "Folder";
  static constexpr std::array fields{
      field<&Folder::id>("id"),
      field<&Folder::account_id>("accountId"),
      field<&Folder::title>("title"),
      field<&Folder::created_date>("createdDate"),
      field<&Folder::updated_date>("updatedDate"),
      field<&Folder::brief_description>("briefDescription"),
      field<&Folder::description>("description"),
      field<&Folder::color>("color"),
      field<&Folder::shared_ids>("sharedIds"),
      field<&Folder::parent_ids>("parentIds"),
      field<&Folder::child_ids>("childIds"),
      field<&Folder::super_parent_ids>("superParentIds"),
      field<&Folder::scope>("scope"),
      field<&Folder::has_attachments>("hasAttachments"),
      field<&Folder::attachment_count>("attachmentCount"),
      field<&Folder::permalink>("permalink"),
      field<&Folder::workflow_id>("workflowId"),
      field<&Folder::metadata>("metadata"),
      field<&Folder::custom_fields>("customFields"),
      field<&Folder::custom_column_ids>("customColumnIds"),
      field<&Folder::project>("project"),
      field<&Folder::space>("space"),
      field<&Folder::contract_type>("contractType"),
      field<&Folder::custom_item_type_id>("customItemTypeId"),
  };
};

template <>
struct Model<TaskDates> {
  static constexpr std::string_view name = "TaskDates";
  static constexpr std::array fields{
      field<&TaskDates::type>("type"),
      field<&TaskDates::duration>("duration"),
      field<&TaskDates::start>("start"),
      field<&TaskDates::due>("due"),
      field<&TaskDates::work_on_weekends>("workOnWeekends"),
  };
};

template <>
struct Model<Task> {
  static constexpr std::string_view name = "Task";
  static constexpr std::array fields{
      field<&Task::id>("id"),
      field<&Task::account_id>("accountId"),
      field<&Task::title>("title"),
      field<&Task::description>("description"),
      field<&Task::brief_description>("briefDescription"),
      field<&Task::parent_ids>("parentIds"),
      field<&Task::super_parent_ids>("superParentIds"),
      field<&Task::shared_ids>("sharedIds"),
      field<&Task::responsible_ids>("responsibleIds"),
      field<&Task::responsible_placeholder_ids>("responsiblePlaceholderIds"),
      field<&Task::status>("status"),
      field<&Task::importance>("importance"),
      field<&Task::created_date>("createdDate"),
      field<&Task::updated_date>("updatedDate"),
      field<&Task::completed_date>("completedDate"),
      field<&Task::dates>("dates"),
      field<&Task::scope>("scope"),
      field<&Task::author_ids>("authorIds"),
      field<&Task::custom_status_id>("customStatusId"),
      field<&Task::has_attachments>("hasAttachments"),
      field<&Task::attachment_count>("attachmentCount"),
      field<&Task::permalink>("permalink"),
      field<&Task::priority>("priority"),
      field<&Task::followed_by_me>("followedByMe"),
      field<&Task::follower_ids>("followerIds"),
      field<&Task::recurrent>("recurrent"),
      field<&Task::super_task_ids>("superTaskIds"),
      field<&Task::sub_task_ids>("subTaskIds"),
      field<&Task::dependency_ids>("dependencyIds"),
      field<&Task::metadata>("metadata"),
      field<&Task::custom_fields>("customFields"),
      field<&Task::billing_type>("billingType"),
      field<&Task::custom_item_type_id>("customItemTypeId"),
      field<&Task::work_schedule_id>("workScheduleId"),
      field<&Task::effort_allocation>("effortAllocation"),
  };
};

template <>
struct Model<CustomFieldOption> {
  static constexpr std::string_view name = "CustomFieldOption";
  static constexpr std::array fields{
      field<&CustomFieldOption::value>("value"),
      field<&CustomFieldOption::color>("color"),
  };
};

template <>
struct Model<CustomFieldSettings> {
  static constexpr std::string_view name = "CustomFieldSettings";
  static constexpr std::array fields{
      field<&CustomFieldSettings::inheritance_type>("inheritanceType"),
      field<&CustomFieldSettings::applicable_entity_types>("applicableEntityTypes"),
      field<&CustomFieldSettings::decimal_places>("decimalPlaces"),
      field<&CustomFieldSettings::use_thousands_separator>("useThousandsSeparator"),
      field<&CustomFieldSettings::currency>("currency"),
      field<&CustomFieldSettings::aggregation>("aggregation"),
      field<&CustomFieldSettings::values>("values"),
      field<&CustomFieldSettings::options>("options"),
      field<&CustomFieldSettings::option_colors_enabled>("optionColorsEnabled"),
      field<&CustomFieldSettings::allow_other_values>("allowOtherValues"),
      field<&CustomFieldSettings::contacts>("contacts"),
      field<&CustomFieldSettings::read_only>("readOnly"),
      field<&CustomFieldSettings::allow_time>("allowTime"),
  };
};

template <>
struct Model<CustomField> {
  static constexpr std::string_view name = "CustomField";
  static constexpr std::array fields{
      field<&CustomField::id>("id"),
      field<&CustomField::account_id>("accountId"),
      field<&CustomField::title>("title"),
      field<&CustomField::type>("type"),
      field<&CustomField::space_id>("spaceId"),
      field<&CustomField::shared_ids>("sharedIds"),
      field<&CustomField::sharing>("sharing"),
      field<&CustomField::description>("description"),
      field<&CustomField::archived>("archived"),
      field<&CustomField::settings>("settings"),
  };
};

template <>
struct Model<CustomStatus> {
  static constexpr std::string_view name = "CustomStatus";
  static constexpr std::array fields{
      field<&CustomStatus::id>("id"),
      field<&CustomStatus::name>("name"),
      field<&CustomStatus::standard_name>("standardName"),
      field<&CustomStatus::color>("color"),
      field<&CustomStatus::standard>("standard"),
      field<&CustomStatus::group>("group"),
      field<&CustomStatus::hidden>("hidden"),
  };
};

template <>
struct Model<Workflow> {
  static constexpr std::string_view name = "Workflow";
  static constexpr std::array fields{
      field<&Workflow::id>("id"),
      field<&Workflow::space_id>("spaceId"),
      field<&Workflow::name>("name"),
      field<&Workflow::standard>("standard"),
      field<&Workflow::hidden>("hidden"),
      field<&Workflow::custom_statuses>("customStatuses"),
      field<&Workflow::description>("description"),
  };
};

// ---- generic object reader / writer --------------------------------------------------------

template <class F, std::size_t N>
std::size_t find_field(const std::array<F, N>& fields, std::string_view key, std::size_t hint) noexcept {
  for (std::size_t k = 0; k < N; ++k) {
    std::size_t i = hint + k;
    if (i >= N) i -= N;
    if (fields[i].name == key) return i;
  }
  return N;
}

template <class T>
void read_struct(Ctx& c, const json::value& v, T& out) {
  const json::object* obj = v.if_object();
  if (!obj) c.fail_expected("an object", v);
  constexpr auto& fields = Model<T>::fields;
  constexpr std::size_t n = fields.size();
  static_assert(n <= 64, "the seen-mask is 64 bits");
  std::uint64_t seen = 0;
  std::size_t hint = 0;
  for (const json::key_value_pair& kv : *obj) {
    const std::string_view key = kv.key();
    const std::size_t i = find_field(fields, key, hint);
    if (i == n) {
      out.extra.emplace(key, kv.value());
      continue;
    }
    hint = i + 1;
    seen |= std::uint64_t{1} << i;
    c.push(key);
    fields[i].decode(c, kv.value(), out);
    c.pop();
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (fields[i].required && !(seen & (std::uint64_t{1} << i))) {
      c.push(fields[i].name);
      c.fail("missing");
    }
  }
}

template <class T>
void write_struct(json::object& o, const T& in) {
  constexpr auto& fields = Model<T>::fields;
  o.reserve(o.size() + fields.size() + in.extra.size());
  for (const auto& f : fields) f.encode(o, f.name, in);
  for (const json::key_value_pair& kv : in.extra) o.emplace(kv.key(), kv.value());  // never replaces
}

#define WRIKE_STRUCT_IO(T)                                                              \
  void read(Ctx& c, const json::value& v, T& out) { read_struct(c, v, out); }           \
  void write(json::value& out, const T& x) { write_struct(out.emplace_object(), x); }
WRIKE_STRUCT_IO(Metadata)
WRIKE_STRUCT_IO(CustomFieldValue)
WRIKE_STRUCT_IO(ContactProfile)
WRIKE_STRUCT_IO(Contact)
WRIKE_STRUCT_IO(Space)
WRIKE_STRUCT_IO(ProjectInfo)
WRIKE_STRUCT_IO(FolderTreeEntry)
WRIKE_STRUCT_IO(Folder)
WRIKE_STRUCT_IO(TaskDates)
WRIKE_STRUCT_IO(Task)
WRIKE_STRUCT_IO(CustomFieldOption)
WRIKE_STRUCT_IO(CustomFieldSettings)
WRIKE_STRUCT_IO(CustomField)
WRIKE_STRUCT_IO(CustomStatus)
WRIKE_STRUCT_IO(Workflow)
#undef WRIKE_STRUCT_IO

template <class T>
T decode_model(const json::value& v) {
  Ctx c(Model<T>::name);
  T out;
  read(c, v, out);
  return out;
}

// A Wrike error body ({"error": "...", "errorDescription": "..."}) instead of an envelope.
std::string describe_error_body(const json::object& o) {
  const json::value* err = o.if_contains("error");
  if (!err || !err->is_string()) return {};
  std::string out = "; the body is a Wrike error response: ";
  out.append(err->get_string().data(), err->get_string().size());
  if (const json::value* d = o.if_contains("errorDescription"); d && d->is_string()) {
    out += " (";
    out.append(d->get_string().data(), d->get_string().size());
    out += ')';
  }
  return out;
}

}  // namespace

// ---- public: enum names --------------------------------------------------------------------

#define WRIKE_DEFINE_ENUM_NAMES(E)                                                            \
  const std::string& wire_name(E value) noexcept { return enum_name(value); }                 \
  bool parse_wire_name(std::string_view text, E& out) noexcept { return enum_parse(text, out); }
WRIKE_DEFINE_ENUM_NAMES(TaskStatus)
WRIKE_DEFINE_ENUM_NAMES(Importance)
WRIKE_DEFINE_ENUM_NAMES(TaskDatesType)
WRIKE_DEFINE_ENUM_NAMES(Scope)
WRIKE_DEFINE_ENUM_NAMES(ProjectStatus)
WRIKE_DEFINE_ENUM_NAMES(ContactType)
WRIKE_DEFINE_ENUM_NAMES(CustomFieldType)
#undef WRIKE_DEFINE_ENUM_NAMES

// ---- public: Boost.JSON conversions --------------------------------------------------------

#define WRIKE_DEFINE_JSON_CONVERSIONS(T)                                                      \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v) { return decode_model<T>(v); } \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x) { write(v, x); }
WRIKE_DEFINE_JSON_CONVERSIONS(Metadata)
WRIKE_DEFINE_JSON_CONVERSIONS(CustomFieldValue)
WRIKE_DEFINE_JSON_CONVERSIONS(ContactProfile)
WRIKE_DEFINE_JSON_CONVERSIONS(Contact)
WRIKE_DEFINE_JSON_CONVERSIONS(Space)
WRIKE_DEFINE_JSON_CONVERSIONS(ProjectInfo)
WRIKE_DEFINE_JSON_CONVERSIONS(FolderTreeEntry)
WRIKE_DEFINE_JSON_CONVERSIONS(Folder)
WRIKE_DEFINE_JSON_CONVERSIONS(TaskDates)
WRIKE_DEFINE_JSON_CONVERSIONS(Task)
WRIKE_DEFINE_JSON_CONVERSIONS(CustomFieldOption)
WRIKE_DEFINE_JSON_CONVERSIONS(CustomFieldSettings)
WRIKE_DEFINE_JSON_CONVERSIONS(CustomField)
WRIKE_DEFINE_JSON_CONVERSIONS(CustomStatus)
WRIKE_DEFINE_JSON_CONVERSIONS(Workflow)
#undef WRIKE_DEFINE_JSON_CONVERSIONS

namespace detail {

std::string json_to_id_string(const boost::json::value& v) {
  Ctx c("id");
  const std::string_view s = text_of(c, v);
  if (!is_valid_id(s)) c.fail("invalid Wrike ID " + quoted(s) + " (expected 1-256 of [A-Za-z0-9-_:.=])");
  return std::string(s);
}

std::string json_to_string(const boost::json::value& v) {
  Ctx c("value");
  return std::string(text_of(c, v));
}

}  // namespace detail

// ---- public: envelope ----------------------------------------------------------------------

template <class T>
Envelope<T> decode_envelope(const boost::json::value& body) {
  Ctx c("body");
  const json::object* obj = body.if_object();
  if (!obj) c.fail_expected("an envelope object {\"kind\", \"data\": [...]}", body);

  Envelope<T> env;
  if (const json::value* kind = obj->if_contains("kind")) {
    c.push("kind");
    read(c, *kind, env.kind);
    c.pop();
  }
  if (const json::value* token = obj->if_contains("nextPageToken")) {
    c.push("nextPageToken");
    read(c, *token, env.next_page_token);
    c.pop();
  }
  if (const json::value* size = obj->if_contains("responseSize")) {
    c.push("responseSize");
    read(c, *size, env.response_size);
    c.pop();
  }
  const json::value* data = obj->if_contains("data");
  c.push("data");
  if (!data) c.fail("missing" + describe_error_body(*obj));
  read(c, *data, env.data);
  c.pop();
  return env;
}

template Envelope<Contact> decode_envelope<Contact>(const boost::json::value&);
template Envelope<Space> decode_envelope<Space>(const boost::json::value&);
template Envelope<FolderTreeEntry> decode_envelope<FolderTreeEntry>(const boost::json::value&);
template Envelope<Folder> decode_envelope<Folder>(const boost::json::value&);
template Envelope<Task> decode_envelope<Task>(const boost::json::value&);
template Envelope<CustomField> decode_envelope<CustomField>(const boost::json::value&);
template Envelope<Workflow> decode_envelope<Workflow>(const boost::json::value&);

}  // namespace wrike
