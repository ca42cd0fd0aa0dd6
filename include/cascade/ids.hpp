// Strong identifiers for Cascade records.
//
// - Classic (`{instance}.executestrategy.net/api/v2`): integer IDs (`int32` in the Swagger file).
//   Some responses send them as numeric strings ("123"); the decoders accept both and an IntId
//   always holds the number. 0 means "not set" (valid() is false); Classic IDs are positive.
// - New platform (integrations API): opaque strings (format undocumented).
//
// A tag keeps a GoalId from being passed where a TaskId is expected. Constructing an ID in code
// validates nothing; the JSON decoders (classic_model.hpp, platform_model.hpp) and the clients
// (before putting an ID into a URL) do.
#pragma once

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace cascade {

template <class Tag>
class IntId {
 public:
  constexpr IntId() noexcept = default;
  constexpr explicit IntId(std::int64_t value) noexcept : value_(value) {}

  constexpr std::int64_t value() const noexcept { return value_; }
  constexpr bool valid() const noexcept { return value_ > 0; }
  std::string str() const { return std::to_string(value_); }

  friend constexpr bool operator==(IntId, IntId) noexcept = default;
  friend constexpr auto operator<=>(IntId, IntId) noexcept = default;
  friend std::ostream& operator<<(std::ostream& os, IntId id) { return os << id.value_; }

 private:
  std::int64_t value_ = 0;
};

template <class Tag>
class StringId {
 public:
  StringId() = default;
  explicit StringId(std::string value) noexcept : value_(std::move(value)) {}

  const std::string& str() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

  friend bool operator==(const StringId&, const StringId&) = default;
  friend std::strong_ordering operator<=>(const StringId& a, const StringId& b) noexcept {
    return a.value_.compare(b.value_) <=> 0;
  }
  friend std::ostream& operator<<(std::ostream& os, const StringId& id) { return os << id.value_; }

 private:
  std::string value_;
};

namespace classic {
namespace id_tag {
struct Goal;
struct Task;
struct Issue;
struct Update;
struct Role;
struct User;
struct FocusArea;
struct Template;
}  // namespace id_tag

using GoalId = IntId<id_tag::Goal>;
using TaskId = IntId<id_tag::Task>;
using IssueId = IntId<id_tag::Issue>;          // a risk ("issue" on the wire)
using UpdateId = IntId<id_tag::Update>;
using RoleId = IntId<id_tag::Role>;            // Classic attaches goals to roles, not users
using UserId = IntId<id_tag::User>;
using FocusAreaId = IntId<id_tag::FocusArea>;
using TemplateId = IntId<id_tag::Template>;    // entity_template_id
}  // namespace classic

namespace platform {
namespace id_tag {
struct Workspace;
struct Plan;
struct Measure;
struct Action;
}  // namespace id_tag

using WorkspaceId = StringId<id_tag::Workspace>;
using PlanId = StringId<id_tag::Plan>;
using MeasureId = StringId<id_tag::Measure>;
using ActionId = StringId<id_tag::Action>;
}  // namespace platform

// ---- Boost.JSON conversions (lenient decoding, see the models) ------------------------------

namespace detail {
// A positive integer ID from a number or a numeric string; throws decode_error otherwise.
std::int64_t json_to_int_id(const boost::json::value& v);
// A non-empty string ID from a string (or an integer, as its decimal text).
std::string json_to_string_id(const boost::json::value& v);
}  // namespace detail

template <class Tag>
IntId<Tag> tag_invoke(boost::json::value_to_tag<IntId<Tag>>, const boost::json::value& v) {
  return IntId<Tag>{detail::json_to_int_id(v)};
}
template <class Tag>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, IntId<Tag> id) {
  v = id.value();
}
template <class Tag>
StringId<Tag> tag_invoke(boost::json::value_to_tag<StringId<Tag>>, const boost::json::value& v) {
  return StringId<Tag>{detail::json_to_string_id(v)};
}
template <class Tag>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const StringId<Tag>& id) {
  v.emplace_string() = id.str();
}

}  // namespace cascade

template <class Tag>
struct std::hash<cascade::IntId<Tag>> {
  std::size_t operator()(cascade::IntId<Tag> id) const noexcept { return std::hash<std::int64_t>{}(id.value()); }
};
template <class Tag>
struct std::hash<cascade::StringId<Tag>> {
  std::size_t operator()(const cascade::StringId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
