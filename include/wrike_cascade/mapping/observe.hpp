// What Cascade holds now, in the mapping's normal form (see state.hpp), so the planner can
// diff desired against actual field by field.
#pragma once

#include <wrike_cascade/mapping/state.hpp>

#include <cascade/classic_model.hpp>
#include <cascade/platform_model.hpp>

#include <string>
#include <vector>

namespace wrike_cascade::mapping {

namespace observe_detail {
inline boost::json::value date_of(const cascade::DateTime& t) { return boost::json::value(cascade::format_date(t.date())); }
}  // namespace observe_detail

// A Classic goal, with the fields of both an objective and a measure (the planner compares only
// the fields the desired item has).
inline ObservedItem observe(const cascade::classic::Goal& g) {
  using observe_detail::date_of;
  ObservedItem o;
  if (g.aligned_to_ids && !g.aligned_to_ids->empty())
    o.parent = "goal:" + g.aligned_to_ids->front().str();
  else if (g.direct_focus_area_ids && !g.direct_focus_area_ids->empty())
    o.parent = "focus_area:" + g.direct_focus_area_ids->front().str();
  auto& f = o.fields;
  if (g.action) f.set(field::action, boost::json::value(*g.action));
  if (g.details) f.set(field::details, boost::json::value(*g.details));
  if (g.start_time) f.set(field::start, date_of(*g.start_time));
  if (g.end_time) f.set(field::end, date_of(*g.end_time));
  if (g.role_id) f.set(field::owner, boost::json::value("role:" + g.role_id->str()));
  if (g.status) f.set(field::status, boost::json::value(g.status->str()));
  if (g.progress) {
    f.set(field::progress, boost::json::value(*g.progress));
    f.set(field::value, boost::json::value(*g.progress));
  }
  if (g.initial) f.set(field::initial, boost::json::value(*g.initial));
  if (g.target) f.set(field::target, boost::json::value(*g.target));
  if (g.target_flow) f.set(field::direction, boost::json::value(g.target_flow->str()));
  if (g.tracking_type) f.set(field::tracking, boost::json::value(g.tracking_type->str()));
  if (g.weight_id) f.set(field::weight, boost::json::value(static_cast<double>(*g.weight_id)));
  if (g.custom_attributes && !g.custom_attributes->empty()) {
    boost::json::object cf;
    for (const auto& [k, v] : *g.custom_attributes) cf[k] = v;
    f.set(field::custom_fields, boost::json::value(std::move(cf)));
  }
  return o;
}

inline ObservedItem observe(const cascade::classic::Task& t) {
  using observe_detail::date_of;
  ObservedItem o;
  if (t.goal_id) o.parent = "goal:" + t.goal_id->str();
  auto& f = o.fields;
  if (t.task) f.set(field::name, boost::json::value(*t.task));
  if (t.comment) f.set(field::description, boost::json::value(*t.comment));
  if (t.start_date) f.set(field::start, date_of(*t.start_date));
  if (t.due_date) f.set(field::due, date_of(*t.due_date));
  if (t.role_id) f.set(field::owner, boost::json::value("role:" + t.role_id->str()));
  if (t.is_complete) f.set(field::complete, boost::json::value(*t.is_complete));
  if (t.weight_id) f.set(field::weight, boost::json::value(static_cast<double>(*t.weight_id)));
  return o;
}

// Every Classic goal and task, listed in full (so a linked item missing from them was deleted).
inline ObservedState observe_classic(const std::vector<cascade::classic::Goal>& goals,
                                     const std::vector<cascade::classic::Task>& tasks) {
  ObservedState s;
  s.complete = true;
  for (const auto& g : goals) s.items["goal:" + g.id.str()] = observe(g);
  for (const auto& t : tasks) s.items["task:" + t.id.str()] = observe(t);
  return s;
}

// The new platform lists a plan's measures and actions by ID and name only: their values are
// unknown, so the planner falls back on fingerprints, but a linked ID missing from the plan is
// reported.
inline ObservedState observe_platform(const std::string& plan_id, const std::vector<cascade::platform::Measure>& measures,
                                      const std::vector<cascade::platform::Action>& actions) {
  ObservedState s;
  s.complete = true;
  for (const auto& m : measures) s.items["measure:" + m.id.str()] = ObservedItem{"plan:" + plan_id, {}};
  for (const auto& a : actions) s.items["action:" + a.id.str()] = ObservedItem{"plan:" + plan_id, {}};
  return s;
}

}  // namespace wrike_cascade::mapping
