// Builders shared by the mapping tests: Wrike models made directly in C++, a custom field
// index, and configs parsed from small JSONC strings and resolved against that index.
#pragma once

#include <wrike_cascade/mapping.hpp>

#include <wrike/custom_field_value.hpp>
#include <wrike/model.hpp>
#include <wrike/time.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mapping_test {

namespace m = wrike_cascade::mapping;

// ---- IDs (upper-case letters and digits, as the config requires) ----
inline const std::string kSpace1 = "IEAAAAAQSPACE001";
inline const std::string kSpace2 = "IEAAAAAQSPACE002";
inline const std::string kP1 = "IEAAAAAQPROJ0001";
inline const std::string kP2 = "IEAAAAAQPROJ0002";
inline const std::string kP3 = "IEAAAAAQPROJ0003";
inline const std::string kP4 = "IEAAAAAQPROJ0004";
inline const std::string kFolder1 = "IEAAAAAQFOLD0001";
inline const std::string kT1 = "IEAAAAAQTASK0001";
inline const std::string kT2 = "IEAAAAAQTASK0002";
inline const std::string kT3 = "IEAAAAAQTASK0003";
inline const std::string kT4 = "IEAAAAAQTASK0004";
inline const std::string kT5 = "IEAAAAAQTASK0005";
inline const std::string kC1 = "KUAAAAAACONTACT1";  // ann@example.com (primary email)
inline const std::string kC2 = "KUAAAAAACONTACT2";  // Bob@Example.com (profile email)
inline const std::string kC3 = "KUAAAAAACONTACT3";  // overridden by contact ID
inline const std::string kC4 = "KUAAAAAACONTACT4";  // dan@example.com, overridden by email
inline const std::string kC5 = "KUAAAAAACONTACT5";  // eve@example.com, matches nothing
inline const std::string kC6 = "KUAAAAAACONTACT6";  // no email, matches nothing
inline const std::string kC7 = "KUAAAAAACONTACT7";  // uma@example.com -> a platform user
// Custom fields, one per type.
inline const std::string kFText = "IEAAAAAQJUAAAT01";      // "Notes"        Text
inline const std::string kFDrop = "IEAAAAAQJUAAAD01";      // "Team"         DropDown
inline const std::string kFNum = "IEAAAAAQJUAAAN01";       // "Story Points" Numeric
inline const std::string kFCur = "IEAAAAAQJUAAAC01";       // "Budget"       Currency
inline const std::string kFPct = "IEAAAAAQJUAAAP01";       // "Done %"       Percentage
inline const std::string kFDate = "IEAAAAAQJUAAADT1";      // "Review Date"  Date
inline const std::string kFDur = "IEAAAAAQJUAAADU1";       // "Effort"       Duration
inline const std::string kFCheck = "IEAAAAAQJUAAACK1";     // "Approved"     Checkbox
inline const std::string kFPeople = "IEAAAAAQJUAAACT1";    // "Reviewers"    Contacts
inline const std::string kFMulti = "IEAAAAAQJUAAAM01";     // "Tags"         Multiple
inline const std::string kFCalc = "IEAAAAAQJUAAACN1";      // "Score"        CalculatedNumeric
inline const std::string kFLink = "IEAAAAAQJUAAALD1";      // "Lookup"       LinkToDatabase
inline const std::string kFCascade = "IEAAAAAQJUAAACI1";   // "Cascade ID"   Text
inline const std::string kFRevenue = "IEAAAAAQJUAAARV1";   // "Revenue"      Numeric
inline const std::string kFTarget = "IEAAAAAQJUAAATG1";    // "Target"       Numeric
inline const std::string kFBaseline = "IEAAAAAQJUAAABL1";  // "Baseline"     Numeric
inline const std::string kFRegionA = "IEAAAAAQJUAAARG1";   // "Region"       Text
inline const std::string kFRegionB = "IEAAAAAQJUAAARG2";   // "Region"       DropDown (same title)
// Custom statuses.
inline const std::string kStReview = "IEAAAAAQJMAAAR01";   // "In Review" (task workflow)
inline const std::string kStBlocked = "IEAAAAAQJMAAAB01";  // "Blocked" (project workflow)
inline const std::string kStStrange = "IEAAAAAQJMAAAX01";  // in no config table

inline wrike::CustomField field_def(const std::string& id, const std::string& title, wrike::CustomFieldType type) {
  wrike::CustomField f;
  f.id = wrike::CustomFieldId{id};
  f.title = title;
  f.type = type;
  return f;
}

inline wrike::CustomFieldIndex field_index() {
  using T = wrike::CustomFieldType;
  return wrike::CustomFieldIndex({
      field_def(kFText, "Notes", T::Text),
      field_def(kFDrop, "Team", T::DropDown),
      field_def(kFNum, "Story Points", T::Numeric),
      field_def(kFCur, "Budget", T::Currency),
      field_def(kFPct, "Done %", T::Percentage),
      field_def(kFDate, "Review Date", T::Date),
      field_def(kFDur, "Effort", T::Duration),
      field_def(kFCheck, "Approved", T::Checkbox),
      field_def(kFPeople, "Reviewers", T::Contacts),
      field_def(kFMulti, "Tags", T::Multiple),
      field_def(kFCalc, "Score", T::CalculatedNumeric),
      field_def(kFLink, "Lookup", T::LinkToDatabase),
      field_def(kFCascade, "Cascade ID", T::Text),
      field_def(kFRevenue, "Revenue", T::Numeric),
      field_def(kFTarget, "Target", T::Numeric),
      field_def(kFBaseline, "Baseline", T::Numeric),
      field_def(kFRegionA, "Region", T::Text),
      field_def(kFRegionB, "Region", T::DropDown),
  });
}

inline wrike::CustomStatus custom_status(const std::string& id, const std::string& name, wrike::TaskStatus group) {
  wrike::CustomStatus s;
  s.id = wrike::CustomStatusId{id};
  s.name = name;
  s.group = wrike::OpenEnum<wrike::TaskStatus>(group);
  return s;
}

inline std::vector<wrike::Workflow> workflows() {
  wrike::Workflow w;
  w.id = wrike::WorkflowId{"IEAAAAAQK4AAAAA1"};
  w.name = "Default Workflow";
  w.custom_statuses = std::vector<wrike::CustomStatus>{
      custom_status(kStReview, "In Review", wrike::TaskStatus::Active),
      custom_status(kStBlocked, "Blocked", wrike::TaskStatus::Active),
      custom_status(kStStrange, "Strange", wrike::TaskStatus::Active),
  };
  return {w};
}

inline wrike::CustomFieldValue cf(const std::string& id, std::string raw) {
  wrike::CustomFieldValue v;
  v.id = wrike::CustomFieldId{id};
  v.value = std::move(raw);
  return v;
}

inline wrike::Contact contact(const std::string& id, std::optional<std::string> primary_email,
                              std::optional<std::string> profile_email = std::nullopt) {
  wrike::Contact c;
  c.id = wrike::ContactId{id};
  c.type = wrike::ContactType::Person;
  c.primary_email = std::move(primary_email);
  if (profile_email) {
    wrike::ContactProfile p;
    p.email = profile_email;
    c.profiles = std::vector<wrike::ContactProfile>{p};
  }
  return c;
}

inline std::vector<wrike::Contact> contacts() {
  return {contact(kC1, "ann@example.com"),         contact(kC2, std::nullopt, "Bob@Example.com"),
          contact(kC3, "carl@example.com"),        contact(kC4, "dan@example.com"),
          contact(kC5, "eve@example.com"),         contact(kC6, std::nullopt),
          contact(kC7, "uma@example.com")};
}

inline m::ProjectInput project(const std::string& id, const std::string& title, const std::string& space = kSpace1,
                               wrike::ProjectStatus status = wrike::ProjectStatus::Green) {
  m::ProjectInput p;
  p.folder.id = wrike::FolderId{id};
  p.folder.title = title;
  p.folder.project = wrike::ProjectInfo{};
  p.folder.project->status = wrike::OpenEnum<wrike::ProjectStatus>(status);
  p.folder.project->start_date = wrike::parse_date("2024-01-01");
  p.folder.project->end_date = wrike::parse_date("2024-03-31");
  p.space = wrike::SpaceId{space};
  return p;
}

inline wrike::Task task(const std::string& id, const std::string& title, const std::string& folder = kP1,
                        wrike::TaskStatus status = wrike::TaskStatus::Active) {
  wrike::Task t;
  t.id = wrike::TaskId{id};
  t.title = title;
  if (!folder.empty()) t.parent_ids = std::vector<wrike::FolderId>{wrike::FolderId{folder}};
  t.status = wrike::OpenEnum<wrike::TaskStatus>(status);
  return t;
}

inline wrike::TaskDates planned(const std::string& start, const std::string& due) {
  wrike::TaskDates d;
  d.type = wrike::TaskDatesType::Planned;
  if (!start.empty()) d.start = wrike::parse_local_datetime(start);
  if (!due.empty()) d.due = wrike::parse_local_datetime(due);
  return d;
}

// {"wrike": ..., "cascade": {"target": "classic"}, <extra>}
inline std::string classic_config(const std::string& extra = {}) {
  std::string s = "{\n  \"wrike\": {\"spaces\": [\"" + kSpace1 + "\", \"" + kSpace2 +
                  "\"], \"cascade_id_field\": \"Cascade ID\"},\n  \"cascade\": {\"target\": \"classic\"}";
  if (!extra.empty()) s += ",\n  " + extra;
  return s + "\n}\n";
}
inline std::string platform_config(const std::string& extra = {}) {
  std::string s = "{\n  \"wrike\": {\"spaces\": [\"" + kSpace1 +
                  "\"], \"cascade_id_field\": \"Cascade ID\"},\n"
                  "  \"cascade\": {\"target\": \"platform\", \"workspace\": \"ws-1\", \"plan\": \"plan-1\"}";
  if (!extra.empty()) s += ",\n  " + extra;
  return s + "\n}\n";
}

// The owner directory most tests use (see the contacts above).
inline const std::string kOwners = R"("owners": {
    "directory": {"ann@example.com": {"role": 11}, "Bob@Example.com": {"role": 12},
                  "dan@example.com": {"role": 99}, "uma@example.com": {"user": "u-7"}},
    "overrides": {")" + kC3 + R"(": {"role": 33}, "DAN@example.com": {"role": 44}}
  })";

// Parses and resolves; a ConfigError fails the test with its full text.
inline m::MappingConfig resolved_config(const std::string& text, const wrike::CustomFieldIndex& index) {
  try {
    auto c = m::MappingConfig::parse(text, "test.jsonc");
    c.resolve(index, workflows());
    return c;
  } catch (const m::ConfigError& e) {
    ADD_FAILURE() << "config error:\n" << e.what() << "\nin:\n" << text;
    throw;
  }
}

inline boost::json::value json(std::string_view text) { return boost::json::parse(text); }
inline std::string str(const boost::json::value& v) { return boost::json::serialize(v); }

inline const m::DesiredItem* find_item(const m::DesiredState& s, const std::string& key) {
  for (const auto& i : s.items)
    if (i.key == key) return &i;
  return nullptr;
}

}  // namespace mapping_test
