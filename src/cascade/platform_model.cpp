// New-platform (integrations API) models: field tables, wrapped lists, write bodies.

#include "json_io.hpp"

#include <cascade/platform_model.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cascade::io {

using namespace cascade::platform;

template <>
struct Model<Workspace> {
  static constexpr std::string_view name = "Workspace";
  static constexpr std::array fields{
      field<&Workspace::id>("id"),
      field<&Workspace::display_name>("displayName"),
  };
};

template <>
struct Model<Plan> {
  static constexpr std::string_view name = "Plan";
  static constexpr std::array fields{
      field<&Plan::id>("id"),
      field<&Plan::name>("name"),
      field<&Plan::workspace_id>("workspaceId"),
      field<&Plan::owner>("owner"),
      field<&Plan::collaborators>("collaborators"),
      field<&Plan::team>("team"),
  };
};

template <>
struct Model<Measure> {
  static constexpr std::string_view name = "Measure";
  static constexpr std::array fields{
      field<&Measure::id>("id"),
      field<&Measure::name>("name"),
      field<&Measure::workspace_id>("workspaceId"),
  };
};

template <>
struct Model<Action> {
  static constexpr std::string_view name = "Action";
  static constexpr std::array fields{
      field<&Action::id>("id"),
      field<&Action::workspace_id>("workspaceId"),
      field<&Action::name>("name"),
  };
};

template <>
struct Model<WriteResult> {
  static constexpr std::string_view name = "WriteResult";
  static constexpr std::array fields{
      field<&WriteResult::message>("message"),
  };
};

}  // namespace cascade::io

namespace cascade::platform {

using wrike_cascade::errc;
using wrike_cascade::Error;
namespace json = boost::json;

#define CASCADE_DEFINE_JSON_CONVERSIONS(T)                                                       \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v) { return io::decode_model<T>(v); } \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x) {             \
    io::write_struct(v.emplace_object(), x);                                                    \
  }
CASCADE_DEFINE_JSON_CONVERSIONS(Workspace)
CASCADE_DEFINE_JSON_CONVERSIONS(Plan)
CASCADE_DEFINE_JSON_CONVERSIONS(Measure)
CASCADE_DEFINE_JSON_CONVERSIONS(Action)
CASCADE_DEFINE_JSON_CONVERSIONS(WriteResult)
#undef CASCADE_DEFINE_JSON_CONVERSIONS

template <class T>
Listing<T> decode_listing(const boost::json::value& body) {
  return io::decode_listing<T>(body, WireKeys<T>::singular, WireKeys<T>::plural);
}
template Listing<Workspace> decode_listing<Workspace>(const boost::json::value&);
template Listing<Plan> decode_listing<Plan>(const boost::json::value&);
template Listing<Measure> decode_listing<Measure>(const boost::json::value&);
template Listing<Action> decode_listing<Action>(const boost::json::value&);

WriteResult decode_write_result(const boost::json::value& body) {
  if (body.is_null()) return {};
  return io::decode_model<WriteResult>(body);
}

namespace {

[[noreturn]] void invalid(std::string_view field, std::string_view what) {
  throw Error(errc::invalid_argument, std::string(field) + ": " + std::string(what));
}

template <class Tag>
void put_id(json::object& o, std::string_view name, std::string_view key, const StringId<Tag>& id) {
  if (id.empty()) invalid(std::string(name) + "." + std::string(key), "is required and cannot be empty");
  o[key] = id.str();
}

void put_number(json::object& o, std::string_view name, std::string_view key, double v) {
  if (!std::isfinite(v)) invalid(std::string(name) + "." + std::string(key), "must be a finite number");
  o[key] = io::json_number(v);
}

}  // namespace

boost::json::object to_json(const MeasureValue& m) {
  json::object o;
  put_id(o, "MeasureValue", "workspace_id", m.workspace_id);
  put_id(o, "MeasureValue", "plan_id", m.plan_id);
  put_number(o, "MeasureValue", "measure_value", m.measure_value);
  return o;
}

boost::json::object to_json(const MeasureHistory& m) {
  json::object o;
  put_id(o, "MeasureHistory", "workspace_id", m.workspace_id);
  put_id(o, "MeasureHistory", "plan_id", m.plan_id);
  if (m.historical_data.empty()) invalid("MeasureHistory.historical_data", "is empty: nothing to send");
  json::array points;
  points.reserve(m.historical_data.size());
  for (std::size_t i = 0; i < m.historical_data.size(); ++i) {
    const auto& p = m.historical_data[i];
    const std::string at = "MeasureHistory.historical_data[" + std::to_string(i) + "]";
    json::object point;
    try {
      point["date"] = format_date(p.date);
    } catch (const std::invalid_argument&) {
      invalid(at + ".date", "is not a valid calendar date in 0000..9999");
    }
    if (!std::isfinite(p.value)) invalid(at + ".value", "must be a finite number");
    const bool whole = std::trunc(p.value) == p.value && p.value >= std::numeric_limits<std::int32_t>::min() &&
                       p.value <= std::numeric_limits<std::int32_t>::max();
    if (whole) {
      point["value"] = static_cast<std::int64_t>(p.value);
    } else if (m.allow_fractional_values && std::abs(p.value) < 1e300) {
      point["value"] = p.value;
    } else {
      invalid(at + ".value", "the API takes whole numbers in int32 range (set allow_fractional_values to send " +
                                 std::to_string(p.value) + " anyway)");
    }
    points.push_back(std::move(point));
  }
  o["historical_data"] = std::move(points);
  return o;
}

boost::json::object to_json(const ActionProgress& a) {
  json::object o;
  put_id(o, "ActionProgress", "workspace_id", a.workspace_id);
  put_id(o, "ActionProgress", "plan_id", a.plan_id);
  put_number(o, "ActionProgress", "action_value", a.action_value);
  return o;
}

}  // namespace cascade::platform
