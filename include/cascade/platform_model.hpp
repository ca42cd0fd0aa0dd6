// Typed models of the new Cascade platform's integrations API (the "Cascade Strategy New" v4.0
// OpenAPI file, cascade-api.md §4): workspaces, plans, measures, actions, and the bodies of the
// three writes (a measure's value, a measure's history, an action's progress).
//
// The conventions of classic_model.hpp apply: wire names as members (`displayName` ->
// `display_name`, `workspaceId` -> `workspace_id`), `id` required and everything else
// std::optional, unknown keys kept in `extra`, decode errors naming the JSON path
// ("plans[1].workspaceId: expected a string, got object"). IDs are opaque strings; an integer
// where an ID or a text is expected is taken as its decimal text. List bodies are wrapped
// ({"plans": [...]}); the singular key or a single object is accepted too.
//
// The write bodies are exactly the spec's: {"workspace_id", "plan_id", "measure_value"},
// {"workspace_id", "plan_id", "historical_data": [{"date": "YYYY-MM-DD", "value": int}]},
// {"workspace_id", "plan_id", "action_value"}.
#pragma once

#include <cascade/common.hpp>
#include <cascade/ids.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cascade::platform {

// GET /v2/users/me/workspaces -> {"workspaces": [...]}
struct Workspace {
  WorkspaceId id;
  std::optional<std::string> display_name;
  boost::json::object extra;
  friend bool operator==(const Workspace&, const Workspace&) = default;
};

// GET /v2/workspaces/{id}/plans -> {"plans": [...]}
struct Plan {
  PlanId id;
  std::optional<std::string> name;
  std::optional<WorkspaceId> workspace_id;
  std::optional<std::string> owner;                     // a user ID or name: not documented
  std::optional<boost::json::array> collaborators;      // item type not documented: raw JSON
  std::optional<std::string> team;
  boost::json::object extra;
  friend bool operator==(const Plan&, const Plan&) = default;
};

// GET /v2/plans/{id}/measures?workspace_id= -> {"measures": [...]}
struct Measure {
  MeasureId id;
  std::optional<std::string> name;
  std::optional<WorkspaceId> workspace_id;
  boost::json::object extra;
  friend bool operator==(const Measure&, const Measure&) = default;
};

// GET /v2/plans/{id}/actions?workspace_id= -> {"actions": [...]}
struct Action {
  ActionId id;
  std::optional<WorkspaceId> workspace_id;
  std::optional<std::string> name;
  boost::json::object extra;
  friend bool operator==(const Action&, const Action&) = default;
};

// What the three writes answer: {"message": "..."}.
struct WriteResult {
  std::optional<std::string> message;
  boost::json::object extra;
  friend bool operator==(const WriteResult&, const WriteResult&) = default;
};

#define CASCADE_DECLARE_JSON_CONVERSIONS(T)                                      \
  T tag_invoke(boost::json::value_to_tag<T>, const boost::json::value& v);       \
  void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const T& x);
CASCADE_DECLARE_JSON_CONVERSIONS(Workspace)
CASCADE_DECLARE_JSON_CONVERSIONS(Plan)
CASCADE_DECLARE_JSON_CONVERSIONS(Measure)
CASCADE_DECLARE_JSON_CONVERSIONS(Action)
CASCADE_DECLARE_JSON_CONVERSIONS(WriteResult)
#undef CASCADE_DECLARE_JSON_CONVERSIONS

template <class T>
struct WireKeys;
template <> struct WireKeys<Workspace> { static constexpr std::string_view singular = "workspace", plural = "workspaces"; };
template <> struct WireKeys<Plan> { static constexpr std::string_view singular = "plan", plural = "plans"; };
template <> struct WireKeys<Measure> { static constexpr std::string_view singular = "measure", plural = "measures"; };
template <> struct WireKeys<Action> { static constexpr std::string_view singular = "action", plural = "actions"; };

template <class T>
Listing<T> decode_listing(const boost::json::value& body);
extern template Listing<Workspace> decode_listing<Workspace>(const boost::json::value&);
extern template Listing<Plan> decode_listing<Plan>(const boost::json::value&);
extern template Listing<Measure> decode_listing<Measure>(const boost::json::value&);
extern template Listing<Action> decode_listing<Action>(const boost::json::value&);

// A write's response; an empty body (null) gives an empty WriteResult.
WriteResult decode_write_result(const boost::json::value& body);

// ---- write bodies ---------------------------------------------------------------------------

// PUT /v2/measures/{measureId} (UpdateMeasure2): the measure's current value.
struct MeasureValue {
  WorkspaceId workspace_id;
  PlanId plan_id;
  double measure_value = 0;
};

// One point of a measure's history.
struct HistoryPoint {
  std::chrono::year_month_day date;
  double value = 0;
};

// PUT /v2/measures/historical/{measureId} (UpdateMeasureHistoricalValue2).
struct MeasureHistory {
  WorkspaceId workspace_id;
  PlanId plan_id;
  std::vector<HistoryPoint> historical_data;
  // The spec types `value` as int32: values must be whole numbers in int32 range unless this is
  // set, and then fractions are sent as JSON doubles (off-spec; cascade-api.md expects them to
  // work, unverified).
  bool allow_fractional_values = false;
};

// PUT /v2/actions/{actionId} (UpdateAction2): the action's progress.
struct ActionProgress {
  WorkspaceId workspace_id;
  PlanId plan_id;
  double action_value = 0;   // the progress (a percentage for manually tracked actions, unverified)
};

// The JSON bodies, exactly as the spec declares them. Throw Error(errc::invalid_argument)
// naming the field for an empty ID, a non-finite number or (history) a non-integral value.
boost::json::object to_json(const MeasureValue& m);
boost::json::object to_json(const MeasureHistory& m);
boost::json::object to_json(const ActionProgress& a);

}  // namespace cascade::platform
