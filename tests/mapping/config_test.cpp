// The mapping config: JSONC syntax, every kind of schema mistake (reported together, each with
// line:column, the path in the file and the nearest valid name), and resolve() of custom field
// titles and custom status names against the account.
#include "mapping_test_util.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace mapping_test;
using m::ConfigError;
using m::ConfigIssue;
using m::MappingConfig;
using m::SourcePos;

// The 1-based line and column (in characters) of byte `offset` of `text`.
SourcePos pos_at(std::string_view text, std::size_t offset) {
  SourcePos p{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

std::size_t find_nth(std::string_view text, std::string_view needle, std::size_t nth) {
  std::size_t at = text.find(needle);
  for (std::size_t k = 0; k < nth && at != std::string_view::npos; ++k) at = text.find(needle, at + 1);
  return at;
}

// Where `needle` (its nth occurrence) starts in `text`.
SourcePos pos_of(std::string_view text, std::string_view needle, std::size_t nth = 0) {
  std::size_t at = find_nth(text, needle, nth);
  if (at == std::string_view::npos) {
    ADD_FAILURE() << "needle not in text: " << needle;
    return {};
  }
  return pos_at(text, at);
}

// Where the value of the member `"key"` (its nth occurrence) starts.
SourcePos value_pos(std::string_view text, std::string_view quoted_key, std::size_t nth = 0) {
  std::size_t at = find_nth(text, quoted_key, nth);
  if (at == std::string_view::npos) {
    ADD_FAILURE() << "key not in text: " << quoted_key;
    return {};
  }
  at = text.find(':', at + quoted_key.size()) + 1;
  while (text[at] == ' ' || text[at] == '\n') ++at;
  return pos_at(text, at);
}

std::vector<ConfigIssue> parse_issues(const std::string& text) {
  try {
    MappingConfig::parse(text, "m.jsonc");
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "m.jsonc");
    return e.issues();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << text;
  return {};
}

std::vector<ConfigIssue> resolve_issues(const std::string& text) {
  auto cfg = MappingConfig::parse(text, "m.jsonc");
  try {
    cfg.resolve(field_index(), workflows());
  } catch (const ConfigError& e) {
    EXPECT_FALSE(cfg.resolved);
    return e.issues();
  }
  ADD_FAILURE() << "no ConfigError from resolve() for:\n" << text;
  return {};
}

std::string print(const SourcePos& p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// ---- JSONC syntax ---------------------------------------------------------------------------

TEST(ConfigJsonc, CommentsAndTrailingCommasParseAndEveryValueIsRead) {
  const std::string text = R"(// Mapping for the ACME account
{
  /* what to read */
  "wrike": {
    "spaces": ["IEAAAAAQSPACE001",],  // a trailing comma in an array
    "projects": ["IEAAAAAQPROJ0001"],
    "cascade_id_field": "Cascade ID",
  },
  "cascade": {"target": "classic"},
  "placement": {
    "default": {"focus_area": 4},
    "spaces": {"IEAAAAAQSPACE002": {"parent_objective": 17}},
    "projects": {"IEAAAAAQPROJ0002": {"parent_objective": "88"}},
    "nest_subprojects": false,
  },
  "objectives": {"fields": ["name", "dates"], "action_verb": "Achieve", "weight": 2, "default_days": 30,
                 "custom_fields": {"Budget": "budget"}},
  "actions": {"description": "html", "subtasks": "checks", "fields": ["name", "checks"],
              "custom_fields": {"Story Points": "points"}},
  "status": {
    "projects": {"OnHold": {"exclude": true}, "custom": {"Blocked": {"health": "off_track", "goal_status": "DRAFT"}}},
    "tasks": {"Completed": {"complete": true}},
  },
  "measures": [
    {"name": "Revenue", "from": "projects", "value_field": "Revenue", "target": 1000,
     "initial_field": "Baseline", "direction": "down", "action_verb": "Grow"},
    {"from": "tasks", "value_field": "Story Points"},
  ],
  "owners": {
    "directory": {"Ann@Example.com": {"role": 11}, "uma@example.com": {"user": "u-7"}},
    "overrides": {"KUAAAAAACONTACT3": {"role": 33}, "DAN@example.com": {"user": 12345}},
  },
  "links": {"IEAAAAAQPROJ0003": 42, "IEAAAAAQPROJ0001/IEAAAAAQJUAAARV1": "abc"},
  "orphans": "delete", // the last member, with a trailing comma
}
)";
  MappingConfig c = MappingConfig::parse(text, "acme.jsonc");
  EXPECT_EQ(c.file, "acme.jsonc");
  ASSERT_EQ(c.spaces.size(), 1u);
  EXPECT_EQ(c.spaces[0].str(), "IEAAAAAQSPACE001");
  ASSERT_EQ(c.projects.size(), 1u);
  EXPECT_EQ(c.projects[0].str(), "IEAAAAAQPROJ0001");
  ASSERT_TRUE(c.cascade_id_field);
  EXPECT_EQ(c.cascade_id_field->text, "Cascade ID");
  EXPECT_EQ(c.cascade_id_field->path, "wrike.cascade_id_field");
  EXPECT_EQ(c.cascade_id_field->pos, (SourcePos{7, 25}));
  EXPECT_EQ(c.target, m::Target::Classic);

  EXPECT_EQ(c.default_placement.focus_area, 4);
  EXPECT_FALSE(c.default_placement.parent_objective);
  ASSERT_EQ(c.space_placement.count("IEAAAAAQSPACE002"), 1u);
  EXPECT_EQ(c.space_placement["IEAAAAAQSPACE002"].parent_objective, "17");  // a number becomes the ID text
  EXPECT_EQ(c.project_placement["IEAAAAAQPROJ0002"].parent_objective, "88");
  EXPECT_FALSE(c.nest_subprojects);

  EXPECT_EQ(c.objectives.fields, (std::set<std::string, std::less<>>{"name", "dates"}));
  EXPECT_EQ(c.objectives.action_verb, "Achieve");
  EXPECT_EQ(c.objectives.weight, 2);
  EXPECT_EQ(c.objectives.default_days, 30);
  ASSERT_EQ(c.objectives.custom_fields.size(), 1u);
  EXPECT_EQ(c.objectives.custom_fields[0].wrike_field.text, "Budget");
  EXPECT_EQ(c.objectives.custom_fields[0].cascade_field, "budget");
  EXPECT_EQ(c.objectives.custom_fields[0].wrike_field.path, "objectives.custom_fields.Budget");

  EXPECT_EQ(c.actions.description, m::DescriptionMode::Html);
  EXPECT_EQ(c.actions.subtasks, m::SubtaskMode::Checks);
  EXPECT_EQ(c.actions.fields, (std::set<std::string, std::less<>>{"name", "checks"}));
  ASSERT_EQ(c.actions.custom_fields.size(), 1u);
  EXPECT_EQ(c.actions.custom_fields[0].wrike_field.path, "actions.custom_fields[\"Story Points\"]");

  // A config entry replaces the default entry it names; the others stay.
  EXPECT_TRUE(c.project_status.groups["OnHold"].exclude);
  EXPECT_EQ(c.project_status.groups["Cancelled"].goal_status, "ARCHI");
  EXPECT_EQ(c.project_status.groups["Green"].health, "on_track");
  ASSERT_EQ(c.project_status.custom.size(), 1u);
  EXPECT_EQ(c.project_status.custom[0].first.text, "Blocked");
  EXPECT_EQ(c.project_status.custom[0].first.path, "status.projects.custom.Blocked");
  EXPECT_EQ(c.project_status.custom[0].second.health, "off_track");
  EXPECT_EQ(c.project_status.custom[0].second.goal_status, "DRAFT");
  EXPECT_EQ(c.task_status.groups["Completed"].complete, true);
  EXPECT_FALSE(c.task_status.groups["Completed"].progress);  // replaced, not merged
  EXPECT_TRUE(c.task_status.groups["Cancelled"].exclude);

  ASSERT_EQ(c.measures.size(), 2u);
  const auto& r = c.measures[0];
  EXPECT_EQ(r.name, "Revenue");
  EXPECT_EQ(r.from, m::MeasureSource::Projects);
  EXPECT_EQ(r.value_field.text, "Revenue");
  EXPECT_EQ(r.target, 1000.0);
  EXPECT_FALSE(r.target_field);
  ASSERT_TRUE(r.initial_field);
  EXPECT_EQ(r.initial_field->text, "Baseline");
  EXPECT_EQ(r.direction, "UNDER");
  EXPECT_EQ(r.action_verb, "Grow");
  EXPECT_EQ(c.measures[1].from, m::MeasureSource::Tasks);
  EXPECT_EQ(c.measures[1].direction, "OVER");
  EXPECT_EQ(c.measures[1].action_verb, "Track");

  EXPECT_EQ(c.owner_directory.size(), 2u);
  EXPECT_EQ(c.owner_directory["ann@example.com"], (m::Owner{11, std::nullopt}));  // lower-cased
  EXPECT_EQ(c.owner_directory["uma@example.com"].str(), "user:u-7");
  EXPECT_EQ(c.owner_overrides["KUAAAAAACONTACT3"].str(), "role:33");
  EXPECT_EQ(c.owner_overrides["dan@example.com"].str(), "user:12345");

  EXPECT_EQ(c.links, (std::map<std::string, std::string>{{"IEAAAAAQPROJ0003", "42"},
                                                          {"IEAAAAAQPROJ0001/IEAAAAAQJUAAARV1", "abc"}}));
  EXPECT_EQ(c.orphans, m::OrphanPolicy::Delete);
  EXPECT_FALSE(c.resolved);
}

TEST(ConfigJsonc, DefaultsOfAMinimalConfig) {
  auto c = MappingConfig::parse(R"({"wrike": {"projects": ["IEAAAAAQPROJ0001"]}, "cascade": {"target": "classic"}})");
  EXPECT_EQ(c.target, m::Target::Classic);
  EXPECT_TRUE(c.default_placement.empty());
  EXPECT_TRUE(c.nest_subprojects);
  EXPECT_EQ(c.objectives.fields.size(), m::objective_field_names().size());
  EXPECT_EQ(c.actions.fields.size(), m::action_field_names().size());
  EXPECT_EQ(c.objectives.action_verb, "Deliver");
  EXPECT_EQ(c.objectives.weight, 3);
  EXPECT_EQ(c.objectives.default_days, 90);
  EXPECT_EQ(c.actions.description, m::DescriptionMode::Text);
  EXPECT_EQ(c.actions.subtasks, m::SubtaskMode::Actions);
  EXPECT_EQ(c.orphans, m::OrphanPolicy::Keep);
  EXPECT_TRUE(c.measures.empty());
  EXPECT_FALSE(c.cascade_id_field);
  // Default status tables.
  EXPECT_EQ(c.project_status.groups["Yellow"].health, "at_risk");
  EXPECT_EQ(c.project_status.groups["Red"].health, "off_track");
  EXPECT_EQ(c.project_status.groups["Completed"].progress, 100.0);
  EXPECT_EQ(c.task_status.groups["Completed"].complete, true);
  EXPECT_EQ(c.task_status.groups["Completed"].progress, 100.0);
  EXPECT_EQ(c.task_status.groups["Active"].complete, false);
  EXPECT_TRUE(c.task_status.groups["Cancelled"].exclude);
  EXPECT_FALSE(c.task_status.groups["Deferred"].exclude);
}

TEST(ConfigJsonc, PlatformTargetReadsWorkspaceAndPlan) {
  auto c = MappingConfig::parse(platform_config(R"("placement": {"default": {"plan": "plan-9"}})"));
  EXPECT_EQ(c.target, m::Target::Platform);
  EXPECT_EQ(c.workspace, "ws-1");
  EXPECT_EQ(c.plan, "plan-1");
  EXPECT_EQ(c.default_placement.plan, "plan-9");
}

TEST(ConfigJsonc, SyntaxErrorsPointAtLineAndColumn) {
  struct Case {
    std::string name, text;
    SourcePos pos;
    std::string detail;  // the parser's words, then where (up to 20 characters of the line)
  };
  const std::vector<Case> cases{
      {"missing value", "{\n  \"wrike\": {},\n  \"cascade\": ]\n}", {3, 14}, "syntax error at \"]\""},
      {"bad literal", "{\n \"orphans\": tru\n}", {2, 13}, "syntax error at \"tru\""},
      {"double comma", "{\"a\": 1,,}", {1, 9}, "syntax error at \",}\""},
      {"unterminated", "{\n  \"a\": 1\n", {3, 1}, "incomplete JSON at the end of the text"},
      {"garbage after a comment", "// c\n/* x */ {\"a\": 1 x}", {2, 17}, "syntax error at \"x}\""},
      {"long line is cut", "{\"a\": 1 abcdefghijklmnopqrstuvwxyz}", {1, 9}, "syntax error at \"abcdefghijklmnopqrst\""},
      // Columns count characters: "é" and "→" are one column each.
      {"after UTF-8", "{\n  \"é→\": 1 2\n}", {2, 11}, "syntax error at \"2\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    try {
      MappingConfig::parse(c.text, "bad.jsonc");
      ADD_FAILURE() << "parsed";
    } catch (const ConfigError& e) {
      ASSERT_EQ(e.issues().size(), 1u);
      const auto& i = e.issues()[0];
      EXPECT_EQ(print(i.pos), print(c.pos));
      EXPECT_EQ(i.path, "");
      EXPECT_EQ(i.message, "not valid JSON (comments and trailing commas are allowed): " + c.detail);
      EXPECT_EQ(std::string(e.what()), "bad.jsonc:" + print(c.pos) + ": " + i.message);
    }
  }
}

// ---- schema mistakes ------------------------------------------------------------------------

struct SchemaCase {
  std::string name;
  std::string text;
  std::string path;
  std::string message;
  std::string suggestion;
  // Where the issue must point: the value of this quoted key (its `nth` occurrence), or, when
  // `key` is empty, the start of `literal`; with `at_key`, the key itself.
  std::string key;
  std::string literal = {};
  bool at_key = false;
  std::size_t nth = 0;
};

const std::string kSpace1Q = "\"IEAAAAAQSPACE001\"";

std::vector<SchemaCase> schema_cases() {
  return {
      {"unknown top-level key", classic_config(R"("orphan": "keep")"), "orphan", "unknown key \"orphan\"", "orphans",
       "\"orphan\"", "", true},
      {"unknown nested key", classic_config(R"("objectives": {"wieght": 2})"), "objectives.wieght",
       "unknown key \"wieght\"", "weight", "\"wieght\"", "", true},
      {"unknown key nothing close", classic_config(R"("actions": {"colour": "red"})"), "actions.colour",
       "unknown key \"colour\"", "", "\"colour\"", "", true},
      {"wrong type: string for a whole number", classic_config(R"("objectives": {"weight": "high"})"),
       "objectives.weight", "expected a whole number, found a string", "", "\"weight\""},
      {"wrong type: fraction for a whole number", classic_config(R"("objectives": {"weight": 2.5})"),
       "objectives.weight", "expected a whole number, found a number", "", "\"weight\""},
      {"wrong type: string for a boolean", classic_config(R"("placement": {"nest_subprojects": "yes"})"),
       "placement.nest_subprojects", "expected true or false, found a string", "", "\"nest_subprojects\""},
      {"wrong type: object for an array", classic_config(R"("measures": {"from": "tasks"})"), "measures",
       "expected an array, found an object", "", "\"measures\""},
      {"wrong type: array for an object", classic_config(R"("owners": [1, 2])"), "owners",
       "expected an object, found an array", "", "\"owners\""},
      {"wrong type: number for a string", classic_config(R"("objectives": {"action_verb": 12})"),
       "objectives.action_verb", "expected a string, found a number", "", "\"action_verb\""},
      {"empty string", classic_config(R"("objectives": {"action_verb": ""})"), "objectives.action_verb",
       "must not be empty", "", "\"action_verb\""},
      {"out of range: weight", classic_config(R"("objectives": {"weight": 7})"), "objectives.weight",
       "must be between 1 and 4", "", "\"weight\""},
      {"out of range: default_days", classic_config(R"("objectives": {"default_days": 0})"),
       "objectives.default_days", "must be between 1 and 3660", "", "\"default_days\""},
      {"out of range: progress", classic_config(R"("status": {"tasks": {"Active": {"progress": 150}}})"),
       "status.tasks.Active.progress", "must be between 0 and 100, found 150", "", "\"progress\""},
      {"out of range: focus area", classic_config(R"("placement": {"default": {"focus_area": 0}})"),
       "placement.default.focus_area", "must be between 1 and 9223372036854775807", "", "\"focus_area\""},
      {"bad enum with suggestion", classic_config(R"("actions": {"subtasks": "check"})"), "actions.subtasks",
       "\"check\" is not one of actions, checks, skip", "checks", "\"subtasks\""},
      {"bad enum without suggestion", classic_config(R"("orphans": "remove")"), "orphans",
       "\"remove\" is not one of keep, delete", "", "\"orphans\""},
      {"bad enum in an array", classic_config(R"("objectives": {"fields": ["name", "owner"]})"),
       "objectives.fields[1]", "\"owner\" is not one of name, description, dates, owners, status, custom_fields",
       "owners", "", "\"owner\""},
      {"bad enum: target", classic_config(R"("actions": {"description": "htm"})"), "actions.description",
       "\"htm\" is not one of text, html, none", "html", "\"description\""},
      {"bad enum: health", classic_config(R"("status": {"projects": {"Red": {"health": "offtrack"}}})"),
       "status.projects.Red.health", "\"offtrack\" is not one of on_track, at_risk, off_track", "off_track",
       "\"health\""},
      {"bad enum: goal status", classic_config(R"("status": {"projects": {"Red": {"goal_status": "APRO"}}})"),
       "status.projects.Red.goal_status", "\"APRO\" is not one of APPRO, DRAFT, ARCHI", "APPRO", "\"goal_status\""},
      {"bad enum: direction", classic_config(R"("measures": [{"from": "tasks", "value_field": "Revenue", "direction": "dwn"}])"),
       "measures[0].direction", "\"dwn\" is not one of up, down, none", "down", "\"direction\""},
      {"unknown status group", classic_config(R"("status": {"projects": {"Gren": {"health": "on_track"}}})"),
       "status.projects.Gren", "unknown key \"Gren\"", "Green", "\"Gren\"", "", true},
      {"unknown task status group", classic_config(R"("status": {"tasks": {"Canceled": {"exclude": false}}})"),
       "status.tasks.Canceled", "unknown key \"Canceled\"", "Cancelled", "\"Canceled\"", "", true},
      {"bad Wrike space ID",
       R"({"wrike": {"spaces": ["IEAAAAAQSPACE001", "IEAAAAAQ.SPACE2"]}, "cascade": {"target": "classic"}})",
       "wrike.spaces[1]",
       "\"IEAAAAAQ.SPACE2\" is not a Wrike space ID (8 to 32 letters, digits, '-' or '_', such as IEAAAAAQI4AB5BGU)",
       "", "", "\"IEAAAAAQ.SPACE2\""},
      {"bad Wrike project ID", R"({"wrike": {"projects": ["ABC"]}, "cascade": {"target": "classic"}})",
       "wrike.projects[0]",
       "\"ABC\" is not a Wrike project ID (8 to 32 letters, digits, '-' or '_', such as IEAAAAAQI4AB5BGU)", "", "",
       "\"ABC\""},
      {"bad Wrike ID as a placement key", classic_config(R"("placement": {"spaces": {"space 1": {"focus_area": 2}}})"),
       "placement.spaces[\"space 1\"]", "\"space 1\" is not a Wrike ID", "", "\"space 1\"", "", true},
      {"focus_area and parent_objective", classic_config(R"("placement": {"default": {"focus_area": 4, "parent_objective": 17}})"),
       "placement.default", "give either focus_area or parent_objective, not both", "", "\"default\""},
      {"platform placement by focus area",
       platform_config(R"("placement": {"projects": {"IEAAAAAQPROJ0001": {"focus_area": 4}}})"),
       "placement.projects.IEAAAAAQPROJ0001",
       "the new platform's API cannot place objectives: only \"plan\" applies there", "", "\"IEAAAAAQPROJ0001\""},
      {"classic placement by plan", classic_config(R"("placement": {"default": {"plan": "p1"}})"),
       "placement.default.plan", "Classic has no plans: place objectives with focus_area or parent_objective", "",
       "\"plan\""},
      {"missing target", R"({"wrike": {"spaces": ["IEAAAAAQSPACE001"]}, "cascade": {}})", "cascade",
       "missing \"target\": \"classic\" or \"platform\"", "", "\"cascade\""},
      {"platform without workspace and plan",
       R"({"wrike": {"spaces": ["IEAAAAAQSPACE001"]}, "cascade": {"target": "platform"}})", "cascade",
       "the platform target needs \"workspace\" and \"plan\"", "", "\"cascade\""},
      {"platform without plan",
       R"({"wrike": {"spaces": ["IEAAAAAQSPACE001"]}, "cascade": {"target": "platform", "workspace": "w"}})",
       "cascade", "the platform target needs \"plan\"", "", "\"cascade\""},
      {"classic with plan",
       R"({"wrike": {"spaces": ["IEAAAAAQSPACE001"]}, "cascade": {"target": "classic", "plan": "p-1"}})",
       "cascade.plan", "\"workspace\" and \"plan\" belong to the platform target; Classic has neither", "",
       "\"plan\""},
      {"classic with workspace",
       R"({"wrike": {"spaces": ["IEAAAAAQSPACE001"]}, "cascade": {"target": "classic", "workspace": "w"}})",
       "cascade.workspace", "\"workspace\" and \"plan\" belong to the platform target; Classic has neither", "",
       "\"workspace\""},
      {"measure without from", classic_config(R"("measures": [{"value_field": "Revenue"}])"), "measures[0]",
       "missing \"from\": \"projects\" or \"tasks\"", "", "", "{\"value_field\""},
      {"measure without value_field", classic_config(R"("measures": [{"from": "tasks", "value_field": "Revenue"}, {"from": "tasks"}])"),
       "measures[1]", "missing \"value_field\": the numeric Wrike custom field that holds the value", "", "",
       "{\"from\"", false, 1},
      {"measure with target and target_field",
       classic_config(R"("measures": [{"from": "tasks", "value_field": "Revenue", "target": 10, "target_field": "Target"}])"),
       "measures[0]", "give either target or target_field, not both", "", "", "{\"from\""},
      {"measure with initial and initial_field",
       classic_config(R"("measures": [{"from": "tasks", "value_field": "Revenue", "initial": 1, "initial_field": "Baseline"}])"),
       "measures[0]", "give either initial or initial_field, not both", "", "", "{\"from\""},
      {"measure unknown key", classic_config(R"("measures": [{"from": "tasks", "value_field": "Revenue", "goal": 5}])"),
       "measures[0].goal", "unknown key \"goal\"", "", "\"goal\"", "", true},
      {"objective verb of two words", classic_config(R"("objectives": {"action_verb": "Make sure"})"),
       "objectives.action_verb", "must be one word of at most 25 characters (Classic's goal `action`)", "",
       "\"action_verb\""},
      {"owner directory key not an email", classic_config(R"("owners": {"directory": {"bob": {"role": 3}}})"),
       "owners.directory.bob", "\"bob\" is not an email address", "", "\"bob\"", "", true},
      {"owner override key neither", classic_config(R"("owners": {"overrides": {"bob": {"role": 3}}})"),
       "owners.overrides.bob", "\"bob\" is neither an email address nor a Wrike contact ID", "", "\"bob\"", "", true},
      {"owner with role and user", classic_config(R"("owners": {"directory": {"a@b.c": {"role": 3, "user": "u"}}})"),
       "owners.directory[\"a@b.c\"]", "give either role or user, not both", "", "\"a@b.c\""},
      {"owner with neither", classic_config(R"("owners": {"directory": {"a@b.c": {}}})"),
       "owners.directory[\"a@b.c\"]", "give a role or a user", "", "\"a@b.c\""},
      {"owner unknown key", classic_config(R"("owners": {"directory": {"a@b.c": {"rol": 3}}})"),
       "owners.directory[\"a@b.c\"].rol", "unknown key \"rol\"", "role", "\"rol\"", "", true},
      {"links key not a Wrike ID", classic_config(R"("links": {"abc": 17})"), "links.abc",
       "\"abc\" is not a Wrike ID (or PROJECT_ID/FIELD_ID for a project measure)", "", "\"abc\"", "", true},
      {"links key with a bad field part", classic_config(R"("links": {"IEAAAAAQPROJ0001/x": 17})"),
       "links[\"IEAAAAAQPROJ0001/x\"]",
       "\"IEAAAAAQPROJ0001/x\" is not a Wrike ID (or PROJECT_ID/FIELD_ID for a project measure)", "",
       "\"IEAAAAAQPROJ0001/x\"", "", true},
      {"links value not a Cascade ID", classic_config(R"("links": {"IEAAAAAQPROJ0001": -3})"),
       "links.IEAAAAAQPROJ0001", "expected a Cascade ID (a positive number or a non-empty string), found a number", "",
       "\"IEAAAAAQPROJ0001\""},
      {"empty custom field name", classic_config(R"("objectives": {"custom_fields": {"": "x"}})"),
       "objectives.custom_fields[\"\"]", "a Wrike custom field title or ID must not be empty", "", "\"\"", "", true},
      {"missing wrike", R"({"cascade": {"target": "classic"}})", "", "missing \"wrike\": say which spaces or projects to read",
       "", "", "{\"cascade\""},
      {"missing cascade", R"(  {"wrike": {"spaces": ["IEAAAAAQSPACE001"]}})", "",
       "missing \"cascade\": say which Cascade to write to (\"target\")", "", "", "{\"wrike\""},
      {"wrike says nothing to read", R"({"wrike": {}, "cascade": {"target": "classic"}})", "wrike",
       "say what to read: \"spaces\" (space IDs) or \"projects\" (project IDs)", "", "\"wrike\""},
      {"root not an object", "\n  [1]", "", "expected an object, found an array", "", "", "[1]"},
  };
}

TEST(ConfigSchema, EachMistakeIsOneIssueWithPathPositionAndSuggestion) {
  for (const auto& c : schema_cases()) {
    SCOPED_TRACE(c.name + "\n" + c.text);
    auto issues = parse_issues(c.text);
    ASSERT_EQ(issues.size(), 1u) << (issues.size() > 1 ? issues[1].path + ": " + issues[1].message : "");
    const auto& i = issues[0];
    EXPECT_EQ(i.path, c.path);
    EXPECT_EQ(i.message, c.message);
    EXPECT_EQ(i.suggestion, c.suggestion);
    SourcePos want = c.key.empty() ? pos_of(c.text, c.literal, c.nth)
                     : c.at_key    ? pos_of(c.text, c.key, c.nth)
                                   : value_pos(c.text, c.key, c.nth);
    EXPECT_EQ(print(i.pos), print(want));
    EXPECT_TRUE(i.pos.known());
  }
}

TEST(ConfigSchema, PositionsAreExactLineAndColumn) {
  // Hand-counted, independent of the helpers above.
  const std::string text =
      "{\n"
      "  \"wrike\": {\"spaces\": [\"IEAAAAAQSPACE001\"]},\n"
      "  \"cascade\": {\"target\": \"classic\"},\n"
      "  /* a comment */ \"objectives\": {\"weight\": 5},\n"
      "  \"actions\": {\"description\": \"Déjà\", \"subtasks\": \"none\"}\n"
      "}\n";
  auto issues = parse_issues(text);
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].path, "objectives.weight");
  EXPECT_EQ(print(issues[0].pos), "4:44");
  EXPECT_EQ(issues[1].path, "actions.description");
  EXPECT_EQ(print(issues[1].pos), "5:30");
  EXPECT_EQ(issues[1].message, "\"Déjà\" is not one of text, html, none");
  // After "Déjà": the two accented letters count one column each.
  EXPECT_EQ(issues[2].path, "actions.subtasks");
  EXPECT_EQ(print(issues[2].pos), "5:50");
  EXPECT_EQ(issues[2].message, "\"none\" is not one of actions, checks, skip");
  EXPECT_EQ(issues[2].suggestion, "");
}

TEST(ConfigSchema, EveryErrorAtOnceSortedByPositionAndFormatted) {
  // The reader visits wrike, cascade, objectives, ..., orphans; the report is in file order.
  const std::string text =
      "{\n"
      "  \"orphans\": \"sometimes\",\n"
      "  \"wrike\": {\"spaces\": [\"bad\"]},\n"
      "  \"cascade\": {\"target\": \"clasic\"},\n"
      "  \"objectives\": {\"weight\": 9, \"wieght\": 1}\n"
      "}\n";
  try {
    MappingConfig::parse(text, "m.jsonc");
    FAIL() << "parsed";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.issues().size(), 5u);
    const std::string want =
        "m.jsonc:2:14: orphans: \"sometimes\" is not one of keep, delete\n"
        "m.jsonc:3:24: wrike.spaces[0]: \"bad\" is not a Wrike space ID (8 to 32 letters, digits, '-' or '_', "
        "such as IEAAAAAQI4AB5BGU)\n"
        "m.jsonc:4:25: cascade.target: \"clasic\" is not one of classic, platform (did you mean \"classic\"?)\n"
        "m.jsonc:5:28: objectives.weight: must be between 1 and 4\n"
        "m.jsonc:5:31: objectives.wieght: unknown key \"wieght\" (did you mean \"weight\"?)";
    EXPECT_EQ(std::string(e.what()), want);
    for (std::size_t k = 1; k < e.issues().size(); ++k) {
      const auto& a = e.issues()[k - 1].pos;
      const auto& b = e.issues()[k].pos;
      EXPECT_TRUE(a.line < b.line || (a.line == b.line && a.column < b.column)) << k;
    }
  }
}

TEST(ConfigError, FormatOfEachPart) {
  EXPECT_EQ(m::format_issue("f.jsonc", {"a.b", {3, 7}, "bad", "good"}), "f.jsonc:3:7: a.b: bad (did you mean \"good\"?)");
  EXPECT_EQ(m::format_issue("f.jsonc", {"a.b", {3, 7}, "bad", ""}), "f.jsonc:3:7: a.b: bad");
  EXPECT_EQ(m::format_issue("f.jsonc", {"", {3, 7}, "bad", ""}), "f.jsonc:3:7: bad");
  EXPECT_EQ(m::format_issue("f.jsonc", {"", {}, "bad", ""}), "f.jsonc: bad");
  EXPECT_EQ(m::format_issue("", {"x", {1, 1}, "bad", ""}), "config:1:1: x: bad");
  ConfigError e("f.jsonc", {{"a", {1, 2}, "one", ""}, {"b", {2, 1}, "two", "three"}});
  EXPECT_EQ(std::string(e.what()), "f.jsonc:1:2: a: one\nf.jsonc:2:1: b: two (did you mean \"three\"?)");
  EXPECT_EQ(e.file(), "f.jsonc");
  EXPECT_EQ(e.issues().size(), 2u);
}

TEST(ConfigError, LoadNamesTheFile) {
  try {
    MappingConfig::load("/nonexistent/dir/mapping.jsonc");
    FAIL() << "loaded";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/dir/mapping.jsonc: cannot open the file");
  }
  std::string path = ::testing::TempDir() + "mapping_config_test.jsonc";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\n  \"wrike\": {\"spaces\": []},\n  \"cascade\": {\"target\": \"classic\"},\n  \"orphans\": 1\n}\n";
  }
  try {
    MappingConfig::load(path);
    FAIL() << "loaded";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":4:14: orphans: expected a string, found a number");
  }
  std::remove(path.c_str());
}

TEST(ConfigSuggest, NearestNameOnlyWhenClose) {
  const std::vector<std::string> names{"weight", "action_verb", "default_days"};
  EXPECT_EQ(m::nearest_name("wieght", names), "weight");
  EXPECT_EQ(m::nearest_name("WEIGHT", names), "weight");  // case-insensitive
  EXPECT_EQ(m::nearest_name("actionverb", names), "action_verb");
  EXPECT_EQ(m::nearest_name("colour", names), "");
  EXPECT_EQ(m::nearest_name("x", std::vector<std::string>{}), "");
  EXPECT_EQ(m::edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(m::edit_distance("", "abc"), 3u);
}

// ---- resolve() ------------------------------------------------------------------------------

TEST(ConfigResolve, FieldsByTitleAndByIdAndStatusesByNameAndById) {
  const std::string text = classic_config(R"("objectives": {"custom_fields": {"Budget": "budget", "IEAAAAAQJUAAAD01": "team"}},
  "actions": {"custom_fields": {"Story Points": "points", "Region": "region_is_ambiguous_but_unused_here"}},
  "status": {"tasks": {"custom": {"In Review": {"progress": 50}, "IEAAAAAQJMAAAB01": {"complete": false}}},
             "projects": {"custom": {"Blocked": {"health": "off_track"}}}},
  "measures": [{"from": "tasks", "value_field": "Revenue", "target_field": "Target", "initial_field": "IEAAAAAQJUAAABL1"},
               {"from": "projects", "value_field": "Done %"}])");
  // "Region" is ambiguous; drop it for this test and keep the rest.
  std::string ok = text;
  ok.replace(ok.find(R"(, "Region": "region_is_ambiguous_but_unused_here")"),
             std::string(R"(, "Region": "region_is_ambiguous_but_unused_here")").size(), "");
  auto c = MappingConfig::parse(ok, "m.jsonc");
  c.resolve(field_index(), workflows());
  EXPECT_TRUE(c.resolved);
  EXPECT_EQ(c.cascade_id_field_id, wrike::CustomFieldId{kFCascade});
  ASSERT_EQ(c.objectives.custom_fields.size(), 2u);
  EXPECT_EQ(c.objectives.custom_fields[0].id.str(), kFCur);
  EXPECT_EQ(c.objectives.custom_fields[1].id.str(), kFDrop);
  ASSERT_EQ(c.actions.custom_fields.size(), 1u);
  EXPECT_EQ(c.actions.custom_fields[0].id.str(), kFNum);
  ASSERT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.measures[0].value_id.str(), kFRevenue);
  EXPECT_EQ(c.measures[0].target_id, wrike::CustomFieldId{kFTarget});
  EXPECT_EQ(c.measures[0].initial_id, wrike::CustomFieldId{kFBaseline});
  EXPECT_EQ(c.measures[1].value_id.str(), kFPct);  // Percentage is numeric
  EXPECT_FALSE(c.measures[1].target_id);
  ASSERT_EQ(c.task_status.custom_by_id.size(), 2u);
  EXPECT_EQ(c.task_status.custom_by_id.at(kStReview).progress, 50.0);
  EXPECT_EQ(c.task_status.custom_by_id.at(kStBlocked).complete, false);
  ASSERT_EQ(c.project_status.custom_by_id.size(), 1u);
  EXPECT_EQ(c.project_status.custom_by_id.at(kStBlocked).health, "off_track");
}

TEST(ConfigResolve, EveryUnknownOrAmbiguousNameAtOnceWithPositions) {
  const std::string text =
      "{\n"
      "  \"wrike\": {\"spaces\": [\"IEAAAAAQSPACE001\"], \"cascade_id_field\": \"Cascade Id \"},\n"
      "  \"cascade\": {\"target\": \"classic\"},\n"
      "  \"measures\": [{\"from\": \"tasks\", \"value_field\": \"Team\"}],\n"
      "  \"objectives\": {\"custom_fields\": {\"Budgte\": \"budget\", \"Region\": \"region\"}},\n"
      "  \"status\": {\"tasks\": {\"custom\": {\"In Reveiw\": {\"progress\": 50}, \"Gone\": {}}}}\n"
      "}\n";
  auto issues = resolve_issues(text);
  ASSERT_EQ(issues.size(), 6u);
  // Sorted by position (resolve() visits measures after custom fields, statuses last).
  EXPECT_EQ(issues[0].path, "wrike.cascade_id_field");
  EXPECT_EQ(print(issues[0].pos), "2:65");  // the value
  EXPECT_EQ(issues[0].message, "no Wrike custom field has the ID or title \"Cascade Id \"");
  EXPECT_EQ(issues[0].suggestion, "Cascade ID");

  EXPECT_EQ(issues[1].path, "measures[0].value_field");
  EXPECT_EQ(print(issues[1].pos), "4:49");
  EXPECT_EQ(issues[1].message,
            "\"Team\" is a DropDown field; a measure needs a Numeric, Currency, Percentage or CalculatedNumeric field");
  EXPECT_EQ(issues[1].suggestion, "");

  EXPECT_EQ(issues[2].path, "objectives.custom_fields.Budgte");
  EXPECT_EQ(print(issues[2].pos), "5:36");  // a title written as a key: the key
  EXPECT_EQ(issues[2].message, "no Wrike custom field has the ID or title \"Budgte\"");
  EXPECT_EQ(issues[2].suggestion, "Budget");

  EXPECT_EQ(issues[3].path, "objectives.custom_fields.Region");
  EXPECT_EQ(print(issues[3].pos), "5:56");
  EXPECT_EQ(issues[3].message,
            "\"Region\" is the title of 2 custom fields (IEAAAAAQJUAAARG1, IEAAAAAQJUAAARG2); name one by its ID");

  EXPECT_EQ(issues[4].path, "status.tasks.custom[\"In Reveiw\"]");
  EXPECT_EQ(print(issues[4].pos), "6:35");
  EXPECT_EQ(issues[4].message, "no Wrike workflow has a custom status with the ID or name \"In Reveiw\"");
  EXPECT_EQ(issues[4].suggestion, "In Review");

  EXPECT_EQ(issues[5].path, "status.tasks.custom.Gone");
  EXPECT_EQ(issues[5].message, "no Wrike workflow has a custom status with the ID or name \"Gone\"");
  EXPECT_EQ(issues[5].suggestion, "");
  EXPECT_EQ(print(issues[5].pos), print(pos_of(text, "\"Gone\"")));
}

TEST(ConfigResolve, AmbiguousTitleIsFineWhenNamedById) {
  auto c = MappingConfig::parse(classic_config(R"("objectives": {"custom_fields": {"IEAAAAAQJUAAARG2": "region"}})"));
  c.resolve(field_index(), workflows());
  ASSERT_EQ(c.objectives.custom_fields.size(), 1u);
  EXPECT_EQ(c.objectives.custom_fields[0].id.str(), kFRegionB);
}

TEST(ConfigResolve, MeasureFieldTypes) {
  struct Case {
    std::string field;
    bool ok;
  };
  const std::vector<Case> cases{{"Story Points", true}, {"Budget", true},      {"Done %", true},
                                {"Score", true},        {"Notes", false},      {"Review Date", false},
                                {"Effort", false},      {"Approved", false},   {"Tags", false},
                                {"Reviewers", false},   {"Lookup", false}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    auto cfg = MappingConfig::parse(
        classic_config(R"("measures": [{"from": "projects", "value_field": ")" + c.field + R"("}])"));
    if (c.ok) {
      EXPECT_NO_THROW(cfg.resolve(field_index(), workflows()));
      EXPECT_TRUE(cfg.resolved);
    } else {
      try {
        cfg.resolve(field_index(), workflows());
        ADD_FAILURE() << "resolved";
      } catch (const ConfigError& e) {
        ASSERT_EQ(e.issues().size(), 1u);
        EXPECT_EQ(e.issues()[0].path, "measures[0].value_field");
        EXPECT_NE(e.issues()[0].message.find("\"" + c.field + "\" is a "), std::string::npos) << e.what();
      }
    }
  }
}

}  // namespace

// The commented example the README points users at must stay a valid config.
TEST(ConfigExample, ExamplesMappingJsoncIsValid) {
  const std::string path = std::string(WRIKE_CASCADE_SOURCE_DIR) + "/examples/mapping.jsonc";
  auto c = m::MappingConfig::load(path);
  EXPECT_EQ(c.target, m::Target::Classic);
  ASSERT_EQ(c.spaces.size(), 1u);
  EXPECT_EQ(c.spaces[0].str(), "IEAAAAAQI4AB5BGU");
  EXPECT_EQ(c.measures.size(), 2u);
  EXPECT_EQ(c.space_placement.at("IEAAAAAQI4AB5BGU").focus_area, 4);
  EXPECT_EQ(c.project_placement.at("IEAAAAAQI4AB5BGV").parent_objective, "17");
  EXPECT_EQ(c.task_status.custom.size(), 1u);
  EXPECT_EQ(c.owner_directory.at("ana@example.com").role, 12);
}

TEST(ConfigSchema, ActionVerbLimitCountsCharactersNotBytes) {
  // 16 Cyrillic letters are 32 bytes: still one word of at most 25 characters.
  auto c = m::MappingConfig::parse(R"({"wrike": {"spaces": ["IEAAAAAQI4AB5BGU"]}, "cascade": {"target": "classic"},
    "objectives": {"action_verb": "Переосмыслитьвсё"}})");
  EXPECT_EQ(c.objectives.action_verb, "Переосмыслитьвсё");
}
