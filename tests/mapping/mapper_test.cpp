// Wrike -> Cascade desired state: one table per mapping rule. Each case maps a small Wrike
// input under a small JSONC config and compares the item's fields (exact JSON), parent, kind
// and the warnings.
#include "mapping_test_util.hpp"

#include <wrike_cascade/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace mapping_test;
using m::ItemKind;
using m::Warning;

const wrike::CustomFieldIndex& index() {
  static const wrike::CustomFieldIndex i = field_index();
  return i;
}

// The same input mapped for the config's target (map_to_cascade with its Capabilities) makes
// every item with exactly the fields the target can write, the same parents, hints and
// warnings, and counts each field it left out over the items that had it.
void expect_mapping_for_the_target_agrees(const std::string& config_text, m::WrikeInput in, const m::DesiredState& full) {
  auto cfg = resolved_config(config_text, index());
  in.custom_fields = &index();
  if (in.contacts.empty()) in.contacts = contacts();
  const m::Capabilities caps =
      cfg.target == m::Target::Classic ? m::Capabilities::classic() : m::Capabilities::platform();
  const m::DesiredState lean = m::map_to_cascade(cfg, in, caps);
  EXPECT_EQ(lean.mapped_for, caps.name);
  EXPECT_EQ(lean.warnings, full.warnings);
  ASSERT_EQ(lean.items.size(), full.items.size());
  std::map<std::pair<ItemKind, std::string>, std::size_t> left_out;
  for (std::size_t i = 0; i < full.items.size(); ++i) {
    const auto& f = full.items[i];
    const auto& l = lean.items[i];
    SCOPED_TRACE("item " + f.key);
    EXPECT_EQ(l.key, f.key);
    EXPECT_EQ(l.kind, f.kind);
    EXPECT_EQ(l.title, f.title);
    EXPECT_EQ(l.parent, f.parent);
    EXPECT_EQ(l.cascade_hint, f.cascade_hint);
    EXPECT_EQ(l.depth, f.depth);
    m::Fields writable;
    for (const auto& [name, v] : f.fields) {
      if (caps.can_write(f.kind, name)) writable.set(name, v);
      else ++left_out[{f.kind, name}];
    }
    EXPECT_EQ(l.fields, writable) << "got: " << str(boost::json::value(l.fields.to_json()))
                                  << "\nwant: " << str(boost::json::value(writable.to_json()));
  }
  std::map<std::pair<ItemKind, std::string>, std::size_t> counted;
  for (const auto& lo : lean.left_out) counted[{lo.kind, lo.field}] = lo.items;
  EXPECT_EQ(counted, left_out);
  EXPECT_TRUE(full.left_out.empty());
  EXPECT_EQ(full.mapped_for, "");
}

// Every mapping in these tests is made twice: in full (returned), and for the config's target,
// which must agree with it (above).
m::DesiredState run(const std::string& config_text, m::WrikeInput in) {
  auto cfg = resolved_config(config_text, index());
  in.custom_fields = &index();
  if (in.contacts.empty()) in.contacts = contacts();
  m::DesiredState full = m::map_to_cascade(cfg, in);
  expect_mapping_for_the_target_agrees(config_text, in, full);
  return full;
}

std::string print(const std::vector<Warning>& ws) {
  std::ostringstream os;
  for (const auto& w : ws) os << "  {" << w.key << ", " << w.message << "}\n";
  return os.str();
}

// One item of the mapped result, checked in full.
struct ItemCase {
  std::string name;
  std::string config;
  std::function<void(m::WrikeInput&)> input;
  std::string key;
  std::string fields;  // the exact fields as JSON; "" means the item must not be there
  ItemKind kind = ItemKind::Objective;
  std::string parent = {};
  std::vector<Warning> warnings = {};
  std::string hint = {};
  int depth = -1;  // -1: not checked
};

void check(const ItemCase& c) {
  SCOPED_TRACE(c.name);
  m::WrikeInput in;
  c.input(in);
  m::DesiredState out;
  ASSERT_NO_THROW(out = run(c.config, in));
  const m::DesiredItem* item = find_item(out, c.key);
  if (c.fields.empty()) {
    EXPECT_EQ(item, nullptr) << "unexpected item " << c.key;
  } else {
    ASSERT_NE(item, nullptr) << "no item " << c.key;
    auto got = boost::json::value(item->fields.to_json());
    EXPECT_EQ(got, json(c.fields)) << "got:  " << str(got) << "\nwant: " << c.fields;
    EXPECT_EQ(item->kind, c.kind);
    EXPECT_EQ(item->parent, c.parent);
    EXPECT_EQ(item->cascade_hint, c.hint);
    if (c.depth >= 0) {
      EXPECT_EQ(item->depth, c.depth);
    }
  }
  EXPECT_EQ(out.warnings, c.warnings) << "got:\n" << print(out.warnings) << "want:\n" << print(c.warnings);
}

std::function<void(m::WrikeInput&)> one_project(std::function<void(m::ProjectInput&)> edit) {
  return [edit](m::WrikeInput& in) {
    auto p = project(kP1, "Increase revenue by 10%");
    edit(p);
    in.projects.push_back(std::move(p));
  };
}

std::function<void(m::WrikeInput&)> one_task(std::function<void(wrike::Task&)> edit) {
  return [edit](m::WrikeInput& in) {
    in.projects.push_back(project(kP1, "Launch the app"));
    auto t = task(kT1, "Write the spec");
    edit(t);
    in.tasks.push_back(std::move(t));
  };
}

const std::string kOwnersOnly = classic_config(kOwners + R"(, "objectives": {"fields": ["owners"]})");
const std::string kStatusOnly = R"("objectives": {"fields": ["status"]})";

// ---- project -> objective -------------------------------------------------------------------

TEST(MapProject, TitleDescriptionDatesOwnersStatusWeight) {
  check({.name = "every default rule",
         .config = classic_config(kOwners),
         .input = one_project([](m::ProjectInput& p) {
           p.folder.description = "<p>Grow <b>sales</b> &amp; margin</p>";
           p.folder.project->owner_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC1}, wrike::ContactId{kC2}};
         }),
         .key = kP1,
         .fields = R"({"action": "Increase", "details": "revenue by 10%", "description": "Grow sales & margin",
                      "start": "2024-01-01", "end": "2024-03-31", "owner": "role:11", "collaborators": ["role:12"],
                      "health": "on_track", "weight": 3.0})",
         .depth = 0});
  check({.name = "fields subset, verb and weight from the config",
         .config = classic_config(R"("objectives": {"fields": ["name"], "action_verb": "Achieve", "weight": 1})"),
         .input = [](m::WrikeInput& in) { in.projects.push_back(project(kP1, "Roadmap")); },
         .key = kP1,
         .fields = R"({"action": "Achieve", "details": "Roadmap", "weight": 1.0})"});
  check({.name = "empty description left out",
         .config = classic_config(R"("objectives": {"fields": ["description"]})"),
         .input = one_project([](m::ProjectInput& p) { p.folder.description = ""; }),
         .key = kP1,
         .fields = R"({"weight": 3.0})"});
}

TEST(MapProject, Dates) {
  auto cfg = classic_config(R"("objectives": {"fields": ["dates"]})");
  auto no_dates = [](m::ProjectInput& p) {
    p.folder.project->start_date.reset();
    p.folder.project->end_date.reset();
  };
  std::vector<ItemCase> cases{
      {.name = "both dates",
       .config = cfg,
       .input = one_project([](m::ProjectInput&) {}),
       .key = kP1,
       .fields = R"({"start": "2024-01-01", "end": "2024-03-31", "weight": 3.0})"},
      {.name = "no end: start + default_days",
       .config = cfg,
       .input = one_project([](m::ProjectInput& p) { p.folder.project->end_date.reset(); }),
       .key = kP1,
       .fields = R"({"start": "2024-01-01", "end": "2024-03-31", "weight": 3.0})",
       .warnings = {{kP1, "project has no end date; using 2024-01-01 .. 2024-03-31"}}},
      {.name = "no start: end - default_days",
       .config = cfg,
       .input = one_project([](m::ProjectInput& p) { p.folder.project->start_date.reset(); }),
       .key = kP1,
       .fields = R"({"start": "2024-01-01", "end": "2024-03-31", "weight": 3.0})",
       .warnings = {{kP1, "project has no start date; using 2024-01-01 .. 2024-03-31"}}},
      {.name = "no dates: from the created date",
       .config = cfg,
       .input = one_project([no_dates](m::ProjectInput& p) {
         no_dates(p);
         p.folder.created_date = wrike::parse_timestamp("2024-02-10T23:10:00Z");
       }),
       .key = kP1,
       .fields = R"({"start": "2024-02-10", "end": "2024-05-10", "weight": 3.0})",
       .warnings = {{kP1, "project has no dates; using 2024-02-10 .. 2024-05-10"}}},
      {.name = "no dates and no created date",
       .config = cfg,
       .input = one_project(no_dates),
       .key = kP1,
       .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "project has no dates and no created date; Classic needs start and end dates"}}},
      {.name = "default_days from the config",
       .config = classic_config(R"("objectives": {"fields": ["dates"], "default_days": 30})"),
       .input = one_project([](m::ProjectInput& p) { p.folder.project->end_date.reset(); }),
       .key = kP1,
       .fields = R"({"start": "2024-01-01", "end": "2024-01-31", "weight": 3.0})",
       .warnings = {{kP1, "project has no end date; using 2024-01-01 .. 2024-01-31"}}},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapProject, Owners) {
  auto owners = [](std::vector<std::string> ids) {
    return one_project([ids](m::ProjectInput& p) {
      std::vector<wrike::ContactId> v;
      for (const auto& id : ids) v.emplace_back(id);
      p.folder.project->owner_ids = v;
    });
  };
  const std::string unmatched = " matches no Cascade owner (owners.directory or owners.overrides); left unset on ";
  std::vector<ItemCase> cases{
      {.name = "directory by primary email",
       .config = kOwnersOnly,
       .input = owners({kC1}),
       .key = kP1,
       .fields = R"({"owner": "role:11", "weight": 3.0})"},
      {.name = "directory by profile email, case-insensitive",
       .config = kOwnersOnly,
       .input = owners({kC2}),
       .key = kP1,
       .fields = R"({"owner": "role:12", "weight": 3.0})"},
      {.name = "override by contact ID",
       .config = kOwnersOnly,
       .input = owners({kC3}),
       .key = kP1,
       .fields = R"({"owner": "role:33", "weight": 3.0})"},
      {.name = "override by email beats the directory",
       .config = kOwnersOnly,
       .input = owners({kC4}),
       .key = kP1,
       .fields = R"({"owner": "role:44", "weight": 3.0})"},
      {.name = "first is the owner, the rest collaborators, in order",
       .config = kOwnersOnly,
       .input = owners({kC2, kC1, kC3}),
       .key = kP1,
       .fields = R"({"owner": "role:12", "collaborators": ["role:11", "role:33"], "weight": 3.0})"},
      {.name = "unmatched owner is a warning, the next one owns",
       .config = kOwnersOnly,
       .input = owners({kC5, kC1}),
       .key = kP1,
       .fields = R"({"owner": "role:11", "weight": 3.0})",
       .warnings = {{kP1, "Wrike contact " + kC5 + " (eve@example.com)" + unmatched + "1 item(s)"}}},
      {.name = "unmatched owner without an email",
       .config = kOwnersOnly,
       .input = owners({kC6}),
       .key = kP1,
       .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "Wrike contact " + kC6 + " (no email known)" + unmatched + "1 item(s)"}}},
      {.name = "contact not in the contact list",
       .config = kOwnersOnly,
       .input = owners({"KUAAAAAAUNKNOWN1"}),
       .key = kP1,
       .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "Wrike contact KUAAAAAAUNKNOWN1 (no email known)" + unmatched + "1 item(s)"}}},
      {.name = "Classic cannot take a user owner",
       .config = kOwnersOnly,
       .input = owners({kC7, kC1}),
       .key = kP1,
       .fields = R"({"owner": "role:11", "weight": 3.0})",
       .warnings = {{kP1, "owner " + kC7 + " maps to user:u-7, but Classic assigns goals and tasks to roles"}}},
      {.name = "no directory at all",
       .config = classic_config(R"("objectives": {"fields": ["owners"]})"),
       .input = owners({kC1}),
       .key = kP1,
       .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "Wrike contact " + kC1 + " (ann@example.com)" + unmatched + "1 item(s)"}}},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapProject, UnmatchedOwnerCountedOverItemsOnce) {
  m::WrikeInput in;
  for (const auto& id : {kP1, kP2}) {
    auto p = project(id, "Project " + id);
    p.folder.project->owner_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC5}};
    in.projects.push_back(p);
  }
  auto t = task(kT1, "Task");
  t.responsible_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC5}};
  in.tasks.push_back(t);
  auto out = run(kOwnersOnly, in);
  ASSERT_EQ(out.warnings.size(), 1u) << print(out.warnings);
  EXPECT_EQ(out.warnings[0].key, kP1);
  EXPECT_EQ(out.warnings[0].message, "Wrike contact " + kC5 +
                                         " (eve@example.com) matches no Cascade owner (owners.directory or "
                                         "owners.overrides); left unset on 3 item(s)");
}

// Unmatched contacts are warned once each, in contact ID order whatever the order they come in.
TEST(MapProject, UnmatchedOwnersAreWarnedInContactIdOrder) {
  std::vector<std::string> ids{kC6, "KUAAAAAAUNKNOWN1", kC5, "KUAAAAAAUNKNOWN0"};
  for (int round = 0; round < 2; ++round) {
    m::WrikeInput in;
    auto p = project(kP1, "Project");
    std::vector<wrike::ContactId> owners;
    for (const auto& id : ids) owners.emplace_back(id);
    p.folder.project->owner_ids = owners;
    in.projects.push_back(p);
    auto out = run(kOwnersOnly, in);
    std::vector<std::string> warned;
    for (const auto& w : out.warnings) warned.push_back(w.message.substr(0, w.message.find(' ', 15)));
    std::vector<std::string> want;
    auto sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& id : sorted) want.push_back("Wrike contact " + id);
    EXPECT_EQ(warned, want) << print(out.warnings);
    std::reverse(ids.begin(), ids.end());
  }
}

TEST(MapProject, StatusToGoalStatusProgressHealth) {
  auto status = [](wrike::ProjectStatus s, std::optional<std::string> custom = std::nullopt) {
    return one_project([s, custom](m::ProjectInput& p) {
      p.folder.project->status = wrike::OpenEnum<wrike::ProjectStatus>(s);
      if (custom) p.folder.project->custom_status_id = wrike::CustomStatusId{*custom};
    });
  };
  using PS = wrike::ProjectStatus;
  const auto cfg = classic_config(kStatusOnly);
  const auto custom_cfg = classic_config(
      kStatusOnly + R"(, "status": {"projects": {"custom": {"Blocked": {"health": "off_track", "goal_status": "DRAFT"}},
                                                 "Green": {"progress": 10, "goal_status": "APPRO"}}})");
  std::vector<ItemCase> cases{
      {.name = "Green", .config = cfg, .input = status(PS::Green), .key = kP1,
       .fields = R"({"health": "on_track", "weight": 3.0})"},
      {.name = "Yellow", .config = cfg, .input = status(PS::Yellow), .key = kP1,
       .fields = R"({"health": "at_risk", "weight": 3.0})"},
      {.name = "Red", .config = cfg, .input = status(PS::Red), .key = kP1,
       .fields = R"({"health": "off_track", "weight": 3.0})"},
      {.name = "Completed", .config = cfg, .input = status(PS::Completed), .key = kP1,
       .fields = R"({"progress": 100.0, "health": "on_track", "weight": 3.0})"},
      {.name = "OnHold maps nothing", .config = cfg, .input = status(PS::OnHold), .key = kP1,
       .fields = R"({"weight": 3.0})"},
      {.name = "Cancelled archives", .config = cfg, .input = status(PS::Cancelled), .key = kP1,
       .fields = R"({"status": "ARCHI", "weight": 3.0})"},
      {.name = "a config entry replaces the default", .config = custom_cfg, .input = status(PS::Green), .key = kP1,
       .fields = R"({"progress": 10.0, "status": "APPRO", "weight": 3.0})"},
      {.name = "custom status by name", .config = custom_cfg, .input = status(PS::Custom, kStBlocked), .key = kP1,
       .fields = R"({"status": "DRAFT", "health": "off_track", "weight": 3.0})"},
      {.name = "custom status not in the table: its workflow group (Active -> Green)", .config = cfg,
       .input = status(PS::Custom, kStStrange), .key = kP1, .fields = R"({"health": "on_track", "weight": 3.0})"},
      {.name = "custom status unknown everywhere", .config = cfg, .input = status(PS::Custom, "IEAAAAAQJMAAAZZZ"),
       .key = kP1, .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "project status Custom (IEAAAAAQJMAAAZZZ) has no entry in status.projects; status not mapped"}}},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapProject, ExcludedStatusDropsTheProjectItsTasksAndItsNesting) {
  m::WrikeInput in;
  in.projects.push_back(project(kP1, "Paused work", kSpace1, wrike::ProjectStatus::OnHold));
  auto child = project(kP2, "Child project", kSpace1);
  child.parent_project = wrike::FolderId{kP1};
  in.projects.push_back(child);
  in.tasks.push_back(task(kT1, "Task in the paused project", kP1));
  in.tasks.push_back(task(kT2, "Task in the child", kP2));
  auto out = run(classic_config(R"("placement": {"default": {"focus_area": 5}},
  "status": {"projects": {"OnHold": {"exclude": true}}})"),
                 in);
  EXPECT_EQ(find_item(out, kP1), nullptr);
  EXPECT_EQ(find_item(out, kT1), nullptr);
  ASSERT_NE(find_item(out, kP2), nullptr);
  EXPECT_EQ(find_item(out, kP2)->parent, "focus_area:5");  // not nested under the excluded project
  ASSERT_NE(find_item(out, kT2), nullptr);
  EXPECT_EQ(find_item(out, kT2)->parent, "wrike:" + kP2);
  EXPECT_EQ(out.items.size(), 2u);
  // The dropped task is counted, not silently lost.
  ASSERT_EQ(out.warnings.size(), 1u) << print(out.warnings);
  EXPECT_EQ(out.warnings[0].message, "1 task(s) are in projects whose status the status table excludes; not mapped");
}

TEST(MapProject, CustomFields) {
  check({.name = "mapped fields only, typed",
         .config = classic_config(
             R"("objectives": {"fields": ["custom_fields"], "custom_fields": {"Budget": "budget", "Team": "team", "Notes": "notes", "Tags": "tags"}})"),
         .input = one_project([](m::ProjectInput& p) {
           p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{
               cf(kFCur, "5000"), cf(kFDrop, "Blue"), cf(kFText, "<b>hi</b>"), cf(kFRevenue, "7"), cf(kFMulti, "")};
         }),
         .key = kP1,
         .fields = R"({"custom_fields": {"budget": 5000.0, "team": "Blue", "notes": "hi"}, "weight": 3.0})"});
  check({.name = "no mapped value: no custom_fields",
         .config = classic_config(R"("objectives": {"fields": ["custom_fields"], "custom_fields": {"Budget": "budget"}})"),
         .input = one_project([](m::ProjectInput& p) {
           p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFRevenue, "7")};
         }),
         .key = kP1,
         .fields = R"({"weight": 3.0})"});
  check({.name = "custom_fields not in the field list",
         .config = classic_config(R"("objectives": {"fields": ["name"], "custom_fields": {"Budget": "budget"}})"),
         .input = one_project([](m::ProjectInput& p) {
           p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFCur, "1")};
         }),
         .key = kP1,
         .fields = R"({"action": "Increase", "details": "revenue by 10%", "weight": 3.0})"});
}

TEST(MapProject, PlacementPrecedence) {
  const std::string placement = R"("placement": {
    "default": {"focus_area": 1},
    "spaces": {")" + kSpace2 + R"(": {"focus_area": 2}},
    "projects": {")" + kP4 + R"(": {"parent_objective": 77}}})";
  auto input = [](m::WrikeInput& in) {
    in.projects.push_back(project(kP1, "In space 1", kSpace1));
    in.projects.push_back(project(kP2, "In space 2", kSpace2));
    auto p3 = project(kP3, "Nested in P2", kSpace2);
    p3.parent_project = wrike::FolderId{kP2};
    in.projects.push_back(p3);
    auto p4 = project(kP4, "Nested in P2 but placed", kSpace2);
    p4.parent_project = wrike::FolderId{kP2};
    in.projects.push_back(p4);
    auto p5 = project("IEAAAAAQPROJ0005", "Parent not mapped", kSpace1);
    p5.parent_project = wrike::FolderId{"IEAAAAAQPROJ0099"};
    in.projects.push_back(p5);
  };
  struct Want {
    std::string key, parent;
    int depth;
  };
  auto expect = [&](const std::string& cfg, const std::vector<Want>& wants) {
    m::WrikeInput in;
    input(in);
    auto out = run(cfg, in);
    for (const auto& w : wants) {
      SCOPED_TRACE(w.key);
      auto* item = find_item(out, w.key);
      ASSERT_NE(item, nullptr);
      EXPECT_EQ(item->parent, w.parent);
      EXPECT_EQ(item->depth, w.depth);
    }
  };
  {
    SCOPED_TRACE("nesting on");
    expect(classic_config(placement), {{kP1, "focus_area:1", 0},
                                       {kP2, "focus_area:2", 0},
                                       {kP3, "wrike:" + kP2, 1},
                                       {kP4, "goal:77", 0},
                                       {"IEAAAAAQPROJ0005", "focus_area:1", 0}});
  }
  {
    SCOPED_TRACE("nesting off");
    std::string p = placement;
    p.insert(p.rfind('}'), ", \"nest_subprojects\": false");
    expect(classic_config(p), {{kP3, "focus_area:2", 0}, {kP4, "goal:77", 0}});
  }
  {
    SCOPED_TRACE("no placement at all");
    expect(classic_config(), {{kP1, "", 0}, {kP3, "wrike:" + kP2, 1}});
  }
}

TEST(MapProject, FolderWithoutProjectIsSkippedWithAWarning) {
  m::WrikeInput in;
  auto f = project(kFolder1, "Just a folder");
  f.folder.project.reset();
  in.projects.push_back(f);
  auto out = run(classic_config(), in);
  EXPECT_TRUE(out.items.empty());
  EXPECT_EQ(out.warnings, (std::vector<Warning>{{kFolder1, "\"Just a folder\" is a folder, not a project; skipped"}}));
}

TEST(MapProject, RequiresAResolvedConfig) {
  auto cfg = m::MappingConfig::parse(classic_config());
  m::WrikeInput in;
  EXPECT_THROW(m::map_to_cascade(cfg, in), std::logic_error);
}

// ---- task -> action -------------------------------------------------------------------------

const std::string kTaskCfg = classic_config(
    kOwners + R"(, "status": {"tasks": {"custom": {"In Review": {"progress": 50, "complete": false}}}})");

TEST(MapTask, Actions) {
  auto with = [](std::function<void(wrike::Task&)> edit) { return one_task(std::move(edit)); };
  const std::string parent = "wrike:" + kP1;
  std::vector<ItemCase> cases{
      {.name = "every default rule",
       .config = kTaskCfg,
       .input = with([](wrike::Task& t) {
         t.description = "<p>Hello&nbsp;<b>world</b></p>";
         t.dates = planned("2024-02-01T09:00:00", "2024-02-05T17:00:00");
         t.responsible_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC1}, wrike::ContactId{kC2}};
       }),
       .key = kT1,
       .fields = R"({"name": "Write the spec", "description": "Hello world", "start": "2024-02-01",
                    "due": "2024-02-05", "owner": "role:11", "collaborators": ["role:12"], "complete": false})",
       .kind = ItemKind::Action,
       .parent = parent,
       .depth = 1},
      {.name = "description kept as HTML",
       .config = classic_config(R"("actions": {"description": "html", "fields": ["description"]})"),
       .input = with([](wrike::Task& t) { t.description = "<p>Hello&nbsp;<b>world</b></p>"; }),
       .key = kT1,
       .fields = R"({"description": "<p>Hello&nbsp;<b>world</b></p>"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "description left out",
       .config = classic_config(R"("actions": {"description": "none", "fields": ["name", "description"]})"),
       .input = with([](wrike::Task& t) { t.description = "<p>x</p>"; }),
       .key = kT1,
       .fields = R"({"name": "Write the spec"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "milestone with a due date only: start = due",
       .config = classic_config(R"("actions": {"fields": ["dates", "milestones"]})"),
       .input = with([](wrike::Task& t) {
         t.dates = planned("", "2024-03-01T17:00:00");
         t.dates->type = wrike::TaskDatesType::Milestone;
       }),
       .key = kT1,
       .fields = R"({"start": "2024-03-01", "due": "2024-03-01", "milestone": true})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "milestone without the milestones field",
       .config = classic_config(R"("actions": {"fields": ["dates"]})"),
       .input = with([](wrike::Task& t) {
         t.dates = planned("2024-03-01T09:00:00", "2024-03-01T17:00:00");
         t.dates->type = wrike::TaskDatesType::Milestone;
       }),
       .key = kT1,
       .fields = R"({"start": "2024-03-01", "due": "2024-03-01"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "zone-less late-night dates stay on their calendar day",
       .config = classic_config(R"("actions": {"fields": ["dates"]})"),
       .input = with([](wrike::Task& t) { t.dates = planned("2024-12-31T00:00:00", "2024-12-31T23:59:59"); }),
       .key = kT1,
       .fields = R"({"start": "2024-12-31", "due": "2024-12-31"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "backlog task has no dates",
       .config = classic_config(R"("actions": {"fields": ["dates"]})"),
       .input = with([](wrike::Task& t) {
         t.dates = wrike::TaskDates{};
         t.dates->type = wrike::TaskDatesType::Backlog;
       }),
       .key = kT1,
       .fields = R"({})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "Completed",
       .config = classic_config(R"("actions": {"fields": ["status"]})"),
       .input = with([](wrike::Task& t) { t.status = wrike::OpenEnum<wrike::TaskStatus>(wrike::TaskStatus::Completed); }),
       .key = kT1,
       .fields = R"({"complete": true, "progress": 100.0})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "Deferred",
       .config = classic_config(R"("actions": {"fields": ["status"]})"),
       .input = with([](wrike::Task& t) { t.status = wrike::OpenEnum<wrike::TaskStatus>(wrike::TaskStatus::Deferred); }),
       .key = kT1,
       .fields = R"({"complete": false})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "custom status from the config",
       .config = kTaskCfg,
       .input = with([](wrike::Task& t) { t.custom_status_id = wrike::CustomStatusId{kStReview}; }),
       .key = kT1,
       .fields = R"({"name": "Write the spec", "complete": false, "progress": 50.0})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "status with no table entry",
       .config = classic_config(R"("actions": {"fields": ["status"]})"),
       .input = with([](wrike::Task& t) { t.status = wrike::OpenEnum<wrike::TaskStatus>("Paused"); }),
       .key = kT1,
       .fields = R"({})",
       .kind = ItemKind::Action,
       .parent = parent,
       .warnings = {{kT1, "task status Paused has no entry in status.tasks; status not mapped"}}},
      {.name = "Cancelled is excluded by default",
       .config = kTaskCfg,
       .input = with([](wrike::Task& t) { t.status = wrike::OpenEnum<wrike::TaskStatus>(wrike::TaskStatus::Cancelled); }),
       .key = kT1,
       .fields = "",
       .warnings = {{"", "1 task(s) have a status the status table excludes; not mapped"}}},
      {.name = "Cancelled mapped when the config says so",
       .config = classic_config(R"("actions": {"fields": ["status"]}, "status": {"tasks": {"Cancelled": {"complete": true}}})"),
       .input = with([](wrike::Task& t) { t.status = wrike::OpenEnum<wrike::TaskStatus>(wrike::TaskStatus::Cancelled); }),
       .key = kT1,
       .fields = R"({"complete": true})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "custom fields",
       .config = classic_config(R"("actions": {"fields": ["custom_fields"], "custom_fields": {"Story Points": "points", "Team": "team"}})"),
       .input = with([](wrike::Task& t) {
         t.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFNum, "8"), cf(kFCur, "3")};
       }),
       .key = kT1,
       .fields = R"({"custom_fields": {"points": 8.0}})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "in a plain folder inside the project",
       .config = classic_config(R"("actions": {"fields": ["name"]})"),
       .input = [](m::WrikeInput& in) {
         in.projects.push_back(project(kP1, "Launch the app"));
         in.tasks.push_back(task(kT1, "In a folder", kFolder1));
         in.folder_to_project[kFolder1] = kP1;
       },
       .key = kT1,
       .fields = R"({"name": "In a folder"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "project only among the super parents",
       .config = classic_config(R"("actions": {"fields": ["name"]})"),
       .input = [](m::WrikeInput& in) {
         in.projects.push_back(project(kP1, "Launch the app"));
         auto t = task(kT1, "Deep", "IEAAAAAQUNMAPPED");
         t.super_parent_ids = std::vector<wrike::FolderId>{wrike::FolderId{kP1}};
         in.tasks.push_back(t);
       },
       .key = kT1,
       .fields = R"({"name": "Deep"})",
       .kind = ItemKind::Action,
       .parent = parent},
      {.name = "nested project: one deeper",
       .config = classic_config(R"("actions": {"fields": ["name"]})"),
       .input = [](m::WrikeInput& in) {
         in.projects.push_back(project(kP1, "Parent"));
         auto p2 = project(kP2, "Child");
         p2.parent_project = wrike::FolderId{kP1};
         in.projects.push_back(p2);
         in.tasks.push_back(task(kT1, "In the child", kP2));
       },
       .key = kT1,
       .fields = R"({"name": "In the child"})",
       .kind = ItemKind::Action,
       .parent = "wrike:" + kP2,
       .depth = 2},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapTask, TasksOutsideAnyProjectAreCounted) {
  m::WrikeInput in;
  in.projects.push_back(project(kP1, "P"));
  in.tasks.push_back(task(kT1, "In", kP1));
  in.tasks.push_back(task(kT2, "Elsewhere", "IEAAAAAQOTHER001"));
  in.tasks.push_back(task(kT3, "Nowhere", ""));
  auto out = run(classic_config(), in);
  EXPECT_NE(find_item(out, kT1), nullptr);
  EXPECT_EQ(find_item(out, kT2), nullptr);
  EXPECT_EQ(find_item(out, kT3), nullptr);
  EXPECT_EQ(out.warnings, (std::vector<Warning>{{"", "2 task(s) are not inside a mapped project; not mapped"}}))
      << print(out.warnings);
}

std::vector<const m::DesiredItem*> actions(const m::DesiredState& s) {
  std::vector<const m::DesiredItem*> v;
  for (const auto& i : s.items)
    if (i.kind == ItemKind::Action) v.push_back(&i);
  return v;
}

TEST(MapTask, Subtasks) {
  // T1 has subtasks T2 (active) and T3 (completed), listed by Wrike as [T3, T2]; T4 is a
  // subtask of T3. Subtasks have no folder of their own.
  auto input = [](m::WrikeInput& in) {
    in.projects.push_back(project(kP1, "P"));
    auto t1 = task(kT1, "Parent");
    t1.sub_task_ids = std::vector<wrike::TaskId>{wrike::TaskId{kT3}, wrike::TaskId{kT2}};
    in.tasks.push_back(t1);
    auto t2 = task(kT2, "Sub two", "");
    t2.super_task_ids = std::vector<wrike::TaskId>{wrike::TaskId{kT1}};
    in.tasks.push_back(t2);
    auto t3 = task(kT3, "Sub three", "", wrike::TaskStatus::Completed);
    t3.super_task_ids = std::vector<wrike::TaskId>{wrike::TaskId{kT1}};
    in.tasks.push_back(t3);
  };
  {
    SCOPED_TRACE("as actions");
    m::WrikeInput in;
    input(in);
    auto out = run(classic_config(R"("actions": {"fields": ["name", "checks"]})"), in);
    ASSERT_EQ(actions(out).size(), 3u);
    for (const auto& k : {kT1, kT2, kT3}) {
      auto* i = find_item(out, k);
      ASSERT_NE(i, nullptr) << k;
      EXPECT_EQ(i->parent, "wrike:" + kP1);
      EXPECT_EQ(i->kind, ItemKind::Action);
      EXPECT_EQ(i->fields.get("checks"), nullptr);
    }
  }
  {
    SCOPED_TRACE("as checks, in the parent's subtask order");
    m::WrikeInput in;
    input(in);
    auto out = run(classic_config(R"("actions": {"subtasks": "checks", "fields": ["name", "checks"]})"), in);
    ASSERT_EQ(actions(out).size(), 1u);
    EXPECT_EQ(boost::json::value(actions(out)[0]->fields.to_json()),
              json(R"({"name": "Parent", "checks": [{"name": "Sub three", "done": true, "wrike_id": ")" + kT3 +
                   R"("}, {"name": "Sub two", "done": false, "wrike_id": ")" + kT2 + R"("}]})"))
        << str(boost::json::value(actions(out)[0]->fields.to_json()));
  }
  {
    SCOPED_TRACE("as checks, but checks not in the field list");
    m::WrikeInput in;
    input(in);
    auto out = run(classic_config(R"("actions": {"subtasks": "checks", "fields": ["name"]})"), in);
    ASSERT_EQ(actions(out).size(), 1u);
    EXPECT_EQ(actions(out)[0]->fields.get("checks"), nullptr);
  }
  {
    SCOPED_TRACE("skipped");
    m::WrikeInput in;
    input(in);
    auto out = run(classic_config(R"("actions": {"subtasks": "skip"})"), in);
    ASSERT_EQ(actions(out).size(), 1u);
    EXPECT_EQ(actions(out)[0]->key, kT1);
    EXPECT_EQ(actions(out)[0]->fields.get("checks"), nullptr);
    EXPECT_TRUE(out.warnings.empty()) << print(out.warnings);
  }
}

// ---- measures -------------------------------------------------------------------------------

TEST(MapMeasure, FromTasks) {
  const std::string rule =
      R"("measures": [{"name": "Rev", "from": "tasks", "value_field": "Revenue", "target_field": "Target", "initial": 0,
                       "direction": "down", "action_verb": "Grow"},
                      {"from": "tasks", "value_field": "Score", "target": 100, "initial_field": "Baseline"}])";
  auto with = [](std::vector<wrike::CustomFieldValue> values) {
    return one_task([values](wrike::Task& t) {
      t.title = "Q2 sales";
      t.custom_fields = values;
      t.updated_date = wrike::parse_timestamp("2024-04-02T22:00:00Z");
      t.dates = planned("2024-04-01T08:00:00", "2024-06-30T18:00:00");
      t.responsible_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC1}};
    });
  };
  const std::string parent = "wrike:" + kP1;
  std::vector<ItemCase> cases{
      {.name = "value, target from a field, initial constant, direction, verb, history",
       .config = classic_config(kOwners + ", " + rule),
       .input = with({cf(kFRevenue, "1200"), cf(kFTarget, "5000")}),
       .key = kT1,
       .fields = R"({"action": "Grow", "details": "Rev: Q2 sales", "tracking": "MANUAL", "direction": "UNDER",
                    "weight": 3.0, "value": 1200.0, "target": 5000.0, "initial": 0.0,
                    "history": [{"date": "2024-04-02", "value": 1200.0}],
                    "start": "2024-04-01", "end": "2024-06-30", "owner": "role:11"})",
       .kind = ItemKind::Measure,
       .parent = parent,
       .depth = 1},
      {.name = "no value in the target field: a warning",
       .config = classic_config(rule),
       .input = with({cf(kFRevenue, "5")}),
       .key = kT1,
       .fields = R"({"action": "Grow", "details": "Rev: Q2 sales", "tracking": "MANUAL", "direction": "UNDER",
                    "weight": 3.0, "value": 5.0, "initial": 0.0, "history": [{"date": "2024-04-02", "value": 5.0}],
                    "start": "2024-04-01", "end": "2024-06-30"})",
       .kind = ItemKind::Measure,
       .parent = parent,
       .warnings = {{kT1, "measure has no value in its target field; target not set"},
                    {kT1, "Wrike contact " + kC1 +
                              " (ann@example.com) matches no Cascade owner (owners.directory or owners.overrides); "
                              "left unset on 1 item(s)"}}},
      {.name = "second rule: calculated value, constant target, initial from a field, defaults",
       .config = classic_config(rule),
       .input = with({cf(kFCalc, "12.5"), cf(kFBaseline, "10")}),
       .key = kT1,
       .fields = R"({"action": "Track", "details": "Q2 sales", "tracking": "MANUAL", "direction": "OVER",
                    "weight": 3.0, "value": 12.5, "target": 100.0, "initial": 10.0,
                    "history": [{"date": "2024-04-02", "value": 12.5}], "start": "2024-04-01", "end": "2024-06-30"})",
       .kind = ItemKind::Measure,
       .parent = parent,
       .warnings = {{kT1, "Wrike contact " + kC1 +
                              " (ann@example.com) matches no Cascade owner (owners.directory or owners.overrides); "
                              "left unset on 1 item(s)"}}},
      {.name = "an empty value is no value: an action",
       .config = classic_config(kOwners + ", " + rule + R"(, "actions": {"fields": ["name"]})"),
       .input = with({cf(kFRevenue, "")}),
       .key = kT1,
       .fields = R"({"name": "Q2 sales"})",
       .kind = ItemKind::Action,
       .parent = parent},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapMeasure, FromProjects) {
  const std::string rule =
      R"("measures": [{"from": "projects", "value_field": "Budget", "action_verb": "Spend", "target": 10000}])";
  auto input = one_project([](m::ProjectInput& p) {
    p.folder.title = "Website relaunch";
    p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFCur, "2500")};
    p.folder.updated_date = wrike::parse_timestamp("2024-05-05T00:00:00Z");
  });
  const std::string key = kP1 + "/" + kFCur;
  check({.name = "classic",
         .config = classic_config(rule),
         .input = input,
         .key = key,
         .fields = R"({"action": "Spend", "details": "Budget: Website relaunch", "tracking": "MANUAL",
                      "direction": "OVER", "weight": 3.0, "value": 2500.0, "target": 10000.0,
                      "history": [{"date": "2024-05-05", "value": 2500.0}], "start": "2024-01-01", "end": "2024-03-31"})",
         .kind = ItemKind::Measure,
         .parent = "wrike:" + kP1,
         .depth = 1});
  check({.name = "linked by hand in the config",
         .config = classic_config(rule + R"(, "links": {")" + key + R"(": 901}, "objectives": {"fields": []})"),
         .input = input,
         .key = key,
         .fields = R"({"action": "Spend", "details": "Budget: Website relaunch", "tracking": "MANUAL",
                      "direction": "OVER", "weight": 3.0, "value": 2500.0, "target": 10000.0,
                      "history": [{"date": "2024-05-05", "value": 2500.0}]})",
         .kind = ItemKind::Measure,
         .parent = "wrike:" + kP1,
         .hint = "goal:901"});
  check({.name = "platform: value, target and history under the plan",
         .config = platform_config(rule),
         .input = input,
         .key = key,
         .fields = R"({"value": 2500.0, "target": 10000.0, "history": [{"date": "2024-05-05", "value": 2500.0}]})",
         .kind = ItemKind::Measure,
         .parent = "plan:plan-1",
         .warnings = {{"", "the platform API cannot create or change objectives: projects only group their tasks here"}}});
  check({.name = "no value: no measure",
         .config = classic_config(rule),
         .input = one_project([](m::ProjectInput&) {}),
         .key = key,
         .fields = ""});
}

// ---- every custom field type ----------------------------------------------------------------

TEST(MapCustomFields, EveryType) {
  struct Case {
    std::string type, field, raw, want;
  };
  const std::vector<Case> cases{
      {"Text (HTML reduced)", "Notes", "<p>a &amp; b</p>", R"("a & b")"},
      {"DropDown", "Team", "Blue", R"("Blue")"},
      {"Numeric", "Story Points", "8", "8.0"},
      {"Currency", "Budget", "5000.5", "5000.5"},
      {"Percentage", "Done %", "79", "79.0"},
      {"Date", "Review Date", "2024-05-01", R"("2024-05-01")"},
      {"Date with a time (the date)", "Review Date", "2024-05-01T10:30:00", R"("2024-05-01")"},
      {"Duration (minutes)", "Effort", "02:25", "145.0"},
      {"Checkbox true", "Approved", "true", "true"},
      {"Checkbox false", "Approved", "false", "false"},
      {"Contacts (emails where known)", "Reviewers", kC1 + "," + kC6, R"(["ann@example.com", ")" + kC6 + R"("])"},
      {"Contacts with blanks", "Reviewers", " " + kC6 + " , " + kC1, R"([")" + kC6 + R"(", "ann@example.com"])"},
      {"Multiple", "Tags", R"(["one","three"])", R"(["one", "three"])"},
      {"CalculatedNumeric (a number, as measures read it)", "Score", "12.5", "12.5"},
      {"LinkToDatabase (raw text)", "Lookup", "row-7", R"("row-7")"},
      {"empty value left out", "Budget", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    const auto* def = index().find_by_title(c.field).front();
    m::WrikeInput in;
    in.projects.push_back(project(kP1, "P"));
    auto t = task(kT1, "T");
    t.custom_fields = std::vector<wrike::CustomFieldValue>{cf(def->id.str(), c.raw)};
    in.tasks.push_back(t);
    auto out = run(classic_config(R"("actions": {"fields": ["custom_fields"], "custom_fields": {")" + c.field +
                                  R"(": "x"}})"),
                   in);
    auto* item = find_item(out, kT1);
    ASSERT_NE(item, nullptr);
    if (c.want.empty()) {
      EXPECT_EQ(item->fields.get("custom_fields"), nullptr);
    } else {
      ASSERT_NE(item->fields.get("custom_fields"), nullptr);
      EXPECT_EQ(*item->fields.get("custom_fields"), json(R"({"x": )" + c.want + "}"))
          << str(*item->fields.get("custom_fields"));
    }
  }
}

// A value that does not fit its field's type stops the mapping with an error that names the
// field, its type and the value (numbers, checkboxes, dates and contacts take a shorter path than
// other types: the same values are refused); of two values of one field the first is mapped.
TEST(MapCustomFields, AValueThatDoesNotFitItsTypeIsAnErrorAndTheFirstOfTwoValuesWins) {
  const std::string config = classic_config(
      R"("actions": {"fields": ["custom_fields"], "custom_fields": {"Story Points": "sp", "Approved": "ok", )"
      R"("Review Date": "when", "Reviewers": "who"}})");
  const auto* points = index().find_by_title("Story Points").front();
  const auto* approved = index().find_by_title("Approved").front();
  const auto* when = index().find_by_title("Review Date").front();
  const auto* who = index().find_by_title("Reviewers").front();
  auto input_with = [&](std::vector<wrike::CustomFieldValue> values) {
    m::WrikeInput in;
    in.projects.push_back(project(kP1, "P"));
    auto t = task(kT1, "T");
    t.custom_fields = std::move(values);
    in.tasks.push_back(t);
    return in;
  };
  const std::vector<std::pair<const wrike::CustomField*, std::string>> bad{
      {points, "8x"}, {points, " 8"}, {points, "inf"}, {points, "1e999"}, {approved, "yes"}, {approved, "True"},
      {when, "2024-13-01"}, {when, "2024-02-30"}, {when, "2024-5-01"}, {when, "01.05.2024"},
      {who, kC1 + ",,"+ kC6}, {who, "not an id!"}};
  for (const auto& [def, raw] : bad) {
    SCOPED_TRACE(raw);
    try {
      run(config, input_with({cf(def->id.str(), raw)}));
      ADD_FAILURE() << "no error for " << raw;
    } catch (const wrike_cascade::Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(def->id.str()), std::string::npos) << what;
      EXPECT_NE(what.find("\"" + def->title + "\""), std::string::npos) << what;
      EXPECT_NE(what.find("got \"" + raw + "\""), std::string::npos) << what;
    }
    // Mapped for Classic, which cannot take custom fields, the value is never read: no error,
    // only the count of what was left out.
    auto cfg = resolved_config(config, index());
    auto in = input_with({cf(def->id.str(), raw)});
    in.custom_fields = &index();
    m::DesiredState lean;
    ASSERT_NO_THROW(lean = m::map_to_cascade(cfg, in, m::Capabilities::classic()));
    EXPECT_NE(std::find(lean.left_out.begin(), lean.left_out.end(),
                        m::DesiredState::LeftOut{ItemKind::Action, "custom_fields", 1}),
              lean.left_out.end());
  }
  auto out = run(config, input_with({cf(points->id.str(), "3"), cf(approved->id.str(), "false"),
                                     cf(points->id.str(), "5"), cf(approved->id.str(), "true")}));
  const auto* item = find_item(out, kT1);
  ASSERT_NE(item, nullptr);
  ASSERT_NE(item->fields.get("custom_fields"), nullptr);
  EXPECT_EQ(*item->fields.get("custom_fields"), json(R"({"sp": 3.0, "ok": false})"));
}

// ---- cascade hints --------------------------------------------------------------------------

TEST(MapHints, FromTheCascadeIdFieldAndTheLinks) {
  auto project_with = [](std::string value) {
    return one_project([value](m::ProjectInput& p) {
      p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFCascade, value)};
    });
  };
  auto task_with = [](std::string value) {
    return one_task([value](wrike::Task& t) {
      t.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFCascade, value)};
    });
  };
  const std::string obj = R"("objectives": {"fields": []})";
  const std::string act = R"("actions": {"fields": []})";
  std::vector<ItemCase> cases{
      {.name = "bare ID", .config = classic_config(obj), .input = project_with("123"), .key = kP1,
       .fields = R"({"weight": 3.0})", .hint = "goal:123"},
      {.name = "URL", .config = classic_config(obj), .input = project_with("https://acme.cascade.app/goals/321?tab=1"),
       .key = kP1, .fields = R"({"weight": 3.0})", .hint = "goal:321"},
      {.name = "URL with a trailing slash, in HTML", .config = classic_config(act),
       .input = task_with("<p>https://acme.cascade.app/tasks/456/</p>"), .key = kT1, .fields = "{}",
       .kind = ItemKind::Action, .parent = "wrike:" + kP1, .hint = "task:456"},
      {.name = "not a Classic ID: ignored with a warning", .config = classic_config(obj), .input = project_with("abc-1"),
       .key = kP1, .fields = R"({"weight": 3.0})",
       .warnings = {{kP1, "the Cascade ID \"abc-1\" stored for this item is not a Classic ID (digits); ignored"}}},
      {.name = "empty field: no hint", .config = classic_config(obj), .input = project_with(""), .key = kP1,
       .fields = R"({"weight": 3.0})"},
      {.name = "the field twice: the first value, as for every field", .config = classic_config(obj),
       .input = one_project([](m::ProjectInput& p) {
         p.folder.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFCascade, "123"), cf(kFCascade, "456")};
       }),
       .key = kP1, .fields = R"({"weight": 3.0})", .hint = "goal:123"},
      {.name = "the links table wins over the field",
       .config = classic_config(obj + R"(, "links": {")" + kP1 + R"(": 555})"), .input = project_with("123"),
       .key = kP1, .fields = R"({"weight": 3.0})", .hint = "goal:555"},
      {.name = "links for a task",
       .config = classic_config(act + R"(, "links": {")" + kT1 + R"(": "77"})"), .input = task_with(""), .key = kT1,
       .fields = "{}", .kind = ItemKind::Action, .parent = "wrike:" + kP1, .hint = "task:77"},
      {.name = "platform: any ID, action family", .config = platform_config(act), .input = task_with("act-9"),
       .key = kT1, .fields = "{}", .kind = ItemKind::Action, .parent = "plan:plan-1",
       .warnings = {{"", "the platform API cannot create or change objectives: projects only group their tasks here"}},
       .hint = "action:act-9"},
  };
  for (const auto& c : cases) check(c);
}

TEST(MapHints, MeasureFamilies) {
  const std::string rule = R"("measures": [{"from": "tasks", "value_field": "Revenue"}])";
  auto input = one_task([](wrike::Task& t) {
    t.custom_fields = std::vector<wrike::CustomFieldValue>{cf(kFRevenue, "3"), cf(kFCascade, "88")};
  });
  m::WrikeInput in;
  input(in);
  auto classic = run(classic_config(rule), in);
  ASSERT_NE(find_item(classic, kT1), nullptr);
  EXPECT_EQ(find_item(classic, kT1)->kind, ItemKind::Measure);
  EXPECT_EQ(find_item(classic, kT1)->cascade_hint, "goal:88");
  auto platform = run(platform_config(rule), in);
  ASSERT_NE(find_item(platform, kT1), nullptr);
  EXPECT_EQ(find_item(platform, kT1)->cascade_hint, "measure:88");
  EXPECT_EQ(find_item(platform, kT1)->parent, "plan:plan-1");
}

// ---- the platform target --------------------------------------------------------------------

TEST(MapPlatform, NoObjectivesActionsUnderThePlanNoOwners) {
  m::WrikeInput in;
  auto p = project(kP1, "Increase revenue");
  p.folder.project->owner_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC7}};
  in.projects.push_back(p);
  auto t = task(kT1, "Ship it", kP1, wrike::TaskStatus::Completed);
  t.responsible_ids = std::vector<wrike::ContactId>{wrike::ContactId{kC7}};
  in.tasks.push_back(t);
  auto out = run(platform_config(kOwners), in);
  ASSERT_EQ(out.items.size(), 1u);
  const auto& a = out.items[0];
  EXPECT_EQ(a.key, kT1);
  EXPECT_EQ(a.kind, ItemKind::Action);
  EXPECT_EQ(a.parent, "plan:plan-1");
  EXPECT_EQ(a.depth, 1);
  EXPECT_EQ(boost::json::value(a.fields.to_json()),
            json(R"({"name": "Ship it", "complete": true, "progress": 100.0})"))
      << str(boost::json::value(a.fields.to_json()));
  EXPECT_EQ(out.warnings, (std::vector<Warning>{
                              {"", "the platform API cannot create or change objectives: projects only group their tasks here"}}))
      << print(out.warnings);
}

}  // namespace
