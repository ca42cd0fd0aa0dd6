// `wrike-cascade-sync plan`, run as a user would, against both emulators over HTTPS, seeded by
// scripts/demo_seed.py (the demo's workspace: a Wrike account and a matching Cascade).
#include "process.hpp"

#include <wrike/client.hpp>
#include <wrike_cascade/emulator/cascade_emulator.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace emu = wrike_cascade::emulator;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using Run = wc_test::ProcessResult;

Run run(const std::string& cmd_line, const std::map<std::string, std::string>& env) {
  return wc_test::run_shell(cmd_line, env);
}

std::string app() { return std::string("'") + SYNC_APP_EXE + "'"; }

// The op whose Cascade reference is `ref`, or null.
const json::object* op_for_ref(const json::value& plan, std::string_view ref) {
  for (const auto& op : plan.at("ops").as_array())
    if (op.at("cascade").is_string() && op.at("cascade").as_string() == ref) return &op.as_object();
  return nullptr;
}
const json::object* change(const json::object& op, std::string_view field) {
  for (const auto& c : op.at("changes").as_array())
    if (c.at("field").as_string() == field) return &c.as_object();
  return nullptr;
}

class PlanCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("wc-plan-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto gen = run(std::string("'") + WRIKE_EMULATOR_EXE +
                       "' --seed 42 --spaces 2 --projects-per-space 4 --folders-per-space 1 --tasks-per-project 8 "
                       "--subtasks-per-task 1 --contacts 12 --dump-data '" + (dir / "generated.json").string() + "'",
                   {});
    ASSERT_EQ(gen.code, 0) << gen.err;
    auto seed = run("python3 '" + std::string(WRIKE_CASCADE_SOURCE_DIR) + "/scripts/demo_seed.py' '" +
                        (dir / "generated.json").string() + "' '" + dir.string() + "'",
                    {});
    ASSERT_EQ(seed.code, 0) << seed.err;
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }

  void SetUp() override {
    emu::WrikeEmulatorOptions wo;
    wo.data_path = dir / "wrike.json";
    wo.tokens = {"plan-wrike-token"};
    wrike = std::make_unique<emu::WrikeEmulator>(wo);
    wrike->start();
    emu::CascadeEmulatorOptions co;
    co.data_path = dir / "cascade.json";
    cascade = std::make_unique<emu::CascadeEmulator>(co);
    cascade->start();
    wrike->write_ca_file(dir / "wrike-ca.pem");
    cascade->write_ca_file(dir / "cascade-ca.pem");
    env = {{"WRIKE_API_URL", wrike->api_url()},
           {"WRIKE_TOKEN", "plan-wrike-token"},
           {"WRIKE_CA_FILE", (dir / "wrike-ca.pem").string()},
           {"CASCADE_API_URL", cascade->classic_api_url()},
           {"CASCADE_TOKEN", cascade->classic_token()},
           {"CASCADE_PLATFORM_API_URL", cascade->platform_api_url()},
           {"CASCADE_PLATFORM_TOKEN", cascade->platform_token()},
           {"CASCADE_CA_FILE", (dir / "cascade-ca.pem").string()}};
  }
  void TearDown() override {
    wrike->stop();
    cascade->stop();
  }

  json::value plan(const std::string& config) {
    auto r = run(app() + " plan --json --config '" + (dir / config).string() + "'", env);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? json::parse(r.out) : json::value();
  }

  // Edits a Wrike project through the SDK's client (as a user would in Wrike).
  void update_project(const std::string& id, wrike::FolderUpdate u) {
    boost::asio::io_context io;
    wrike::ClientConfig cfg;
    cfg.api_url = wrike->api_url();
    cfg.token = "plan-wrike-token";
    cfg.ca_file = (dir / "wrike-ca.pem").string();
    wrike::Client c(io.get_executor(), cfg);
    auto f = c.async_update_folder(wrike::FolderId{id}, std::move(u), boost::asio::use_future);
    io.run();
    f.get();
  }

  static inline fs::path dir;
  std::unique_ptr<emu::WrikeEmulator> wrike;
  std::unique_ptr<emu::CascadeEmulator> cascade;
  std::map<std::string, std::string> env;
};

}  // namespace

TEST_F(PlanCli, ClassicPlanFollowsTheLinksTheWrikeItemsCarry) {
  auto p = plan("classic.jsonc");
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p.at("target").as_string(), "Cascade Classic");

  // Goal 5001 was made from the first project: matched by the Cascade ID field, never created.
  auto* g1 = op_for_ref(p, "goal:5001");
  ASSERT_NE(g1, nullptr);
  EXPECT_EQ(g1->at("kind").as_string(), "objective");
  // The seed made it exactly as the mapping would: nothing to do.
  EXPECT_EQ(g1->at("op").as_string(), "no-op") << json::serialize(*g1);
  EXPECT_TRUE(g1->at("changes").as_array().empty());

  // Goal 5002 (linked by a Cascade URL in the field) has an old title and sits under the other
  // space's focus area: a move with a details change, not a create.
  auto* g2 = op_for_ref(p, "goal:5002");
  ASSERT_NE(g2, nullptr);
  EXPECT_EQ(g2->at("op").as_string(), "move");
  auto* parent = change(*g2, "parent");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->at("old").as_string(), "focus_area:12");
  EXPECT_EQ(parent->at("new").as_string(), "focus_area:11");
  auto* details = change(*g2, "details");
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->at("old").as_string(), "(old title)");

  // The linked tasks: task 60002's name differs in Cascade, task 60001 matches.
  auto* t1 = op_for_ref(p, "task:60001");
  auto* t2 = op_for_ref(p, "task:60002");
  ASSERT_NE(t1, nullptr);
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t1->at("op").as_string(), "no-op") << json::serialize(*t1);
  ASSERT_NE(change(*t2, "name"), nullptr);
  EXPECT_EQ(t2->at("op").as_string(), "update");

  // Everything else is a create; the two KPI tasks are measures; children of created
  // objectives point at them ("new:KEY").
  std::size_t creates = 0, measures = 0, under_new = 0;
  for (const auto& v : p.at("ops").as_array()) {
    const auto& op = v.as_object();
    if (op.at("op").as_string() == "create") {
      ++creates;
      EXPECT_TRUE(op.at("cascade").is_null());
      if (op.contains("parent") && op.at("parent").as_string().starts_with("new:")) ++under_new;
    }
    if (op.at("kind").as_string() == "measure") ++measures;
  }
  EXPECT_EQ(p.at("summary").at("create").as_int64(), static_cast<std::int64_t>(creates));
  EXPECT_EQ(measures, 2u);
  EXPECT_GT(under_new, 10u);
  EXPECT_EQ(p.at("summary").at("move").as_int64(), 1);
  EXPECT_EQ(p.at("summary").at("orphan").as_int64(), 0);

  // What Classic cannot take is said, not dropped silently.
  bool custom_fields_listed = false;
  for (const auto& l : p.at("cannot_take").as_array())
    if (l.at("field").as_string() == "custom_fields") custom_fields_listed = true;
  EXPECT_TRUE(custom_fields_listed);
}

TEST_F(PlanCli, PlanWritesNothing) {
  wrike->server().reset_log();
  std::uint64_t before = 0, after = 0;
  wrike->store().read([&](const emu::WrikeData& d) { before = d.generation; });
  auto r = run(app() + " plan --config '" + (dir / "classic.jsonc").string() + "'", env);
  ASSERT_EQ(r.code, 0) << r.err;
  wrike->store().read([&](const emu::WrikeData& d) { after = d.generation; });
  EXPECT_EQ(before, after);
  auto requests = wrike->server().requests();
  EXPECT_GT(requests.size(), 3u);
  for (const auto& q : requests) EXPECT_EQ(q.method, "GET") << q.path;
  EXPECT_TRUE(cascade->request_bodies().empty());
  EXPECT_EQ(cascade->store().count(emu::ClassicKind::goal), 2u);
  EXPECT_EQ(cascade->store().count(emu::ClassicKind::task), 2u);
  // The readable table: rows, what cannot be sent, and the summary line.
  EXPECT_NE(r.out.find("OP "), std::string::npos);
  EXPECT_NE(r.out.find("move "), std::string::npos);
  EXPECT_NE(r.out.find("Not sent (Cascade Classic cannot take them)"), std::string::npos);
  EXPECT_NE(r.out.find("Plan for Cascade Classic: "), std::string::npos);
  EXPECT_NE(r.err.find("Cascade Classic: 2 goals, 2 tasks"), std::string::npos) << r.err;
}

TEST_F(PlanCli, RenameInWrikeIsOneUpdateAndAMoveBetweenSpacesIsAMove) {
  auto p = plan("classic.jsonc");
  auto* g1 = op_for_ref(p, "goal:5001");
  ASSERT_NE(g1, nullptr);
  const std::string project = std::string(g1->at("wrike_id").as_string());
  const auto creates_before = p.at("summary").at("create").as_int64();

  wrike::FolderUpdate rename;
  rename.title = "Relaunch the website for 2027";
  update_project(project, rename);
  auto q = plan("classic.jsonc");
  auto* r1 = op_for_ref(q, "goal:5001");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->at("wrike_id").as_string(), project);
  EXPECT_EQ(r1->at("op").as_string(), "update");
  auto* d = change(*r1, "details");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->at("new").as_string(), "the website for 2027");
  auto* a = change(*r1, "action");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->at("new").as_string(), "Relaunch");
  EXPECT_EQ(q.at("summary").at("create").as_int64(), creates_before);

  // Move the first project into the second space: its objective moves to focus area 12.
  std::vector<std::string> spaces;
  wrike->store().read([&](const emu::WrikeData& data) {
    for (const auto& sp : data.spaces) spaces.emplace_back(sp.at("id").as_string());
  });
  ASSERT_EQ(spaces.size(), 2u);
  const std::string second_space = spaces[1];
  ASSERT_FALSE(second_space.empty());
  std::string old_parent;
  wrike->store().read([&](const emu::WrikeData& data) {
    for (const auto& f : data.folders)
      if (f.at("id").as_string() == project) old_parent = std::string(f.at("parentIds").as_array().at(0).as_string());
  });
  ASSERT_FALSE(old_parent.empty());
  wrike::FolderUpdate move;
  move.add_parents = {wrike::FolderId{second_space}};
  move.remove_parents = {wrike::FolderId{old_parent}};
  update_project(project, move);
  auto m = plan("classic.jsonc");
  auto* m1 = op_for_ref(m, "goal:5001");
  ASSERT_NE(m1, nullptr);
  EXPECT_EQ(m1->at("op").as_string(), "move");
  auto* parent = change(*m1, "parent");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->at("old").as_string(), "focus_area:11");
  EXPECT_EQ(parent->at("new").as_string(), "focus_area:12");
  EXPECT_EQ(m.at("summary").at("create").as_int64(), creates_before);
}

TEST_F(PlanCli, PlatformPlanUpdatesOnlyLinkedItemsAndSaysWhatItCannotDo) {
  auto p = plan("platform.jsonc");
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p.at("target").as_string(), "Cascade platform");
  for (auto ref : {"action:action-1", "action:action-2", "measure:measure-kpi-1"}) {
    auto* op = op_for_ref(p, ref);
    ASSERT_NE(op, nullptr) << ref;
    EXPECT_EQ(op->at("op").as_string(), "update") << ref;
  }
  auto* m = op_for_ref(p, "measure:measure-kpi-1");
  ASSERT_NE(change(*m, "value"), nullptr);
  EXPECT_EQ(change(*m, "value")->at("old").as_string(), "(unknown)");
  std::size_t blocked = 0;
  for (const auto& v : p.at("ops").as_array()) {
    const auto& op = v.as_object();
    EXPECT_NE(op.at("op").as_string(), "create");
    if (op.at("op").as_string() == "blocked") {
      ++blocked;
      EXPECT_NE(std::string(op.at("note").as_string()).find("cannot create"), std::string::npos);
    }
  }
  EXPECT_EQ(p.at("summary").at("blocked").as_int64(), static_cast<std::int64_t>(blocked));
  EXPECT_GT(blocked, 5u);
  EXPECT_TRUE(cascade->request_bodies().empty());
}

TEST_F(PlanCli, ConfigMistakesAreAllReportedWithPositionsBeforeAnyRequest) {
  const auto file = dir / "broken.jsonc";
  std::ofstream(file) << "{\n"
                         "  \"wrike\": {\"spaces\": [\"IEAAAAAQI4AB5BGU\"]},\n"
                         "  \"cascade\": {\"target\": \"clasic\"},\n"
                         "  // a comment\n"
                         "  \"actionz\": {},\n"
                         "}\n";
  wrike->server().reset_log();
  auto r = run(app() + " plan --config '" + file.string() + "'", env);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file.string() + ":3:25: cascade.target: \"clasic\" is not one of classic, platform (did you mean "
                                       "\"classic\"?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file.string() + ":5:3: actionz: unknown key \"actionz\" (did you mean \"actions\"?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("2 problem(s)"), std::string::npos) << r.err;
  EXPECT_TRUE(wrike->server().requests().empty());
}

TEST_F(PlanCli, UnknownCustomFieldTitleIsResolvedAgainstWrikeWithASuggestion) {
  std::ifstream in(dir / "classic.jsonc");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto at = text.find("\"Story Points\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 14, "\"Story Pionts\"");
  std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const auto file = dir / "typo.jsonc";
  std::ofstream(file) << text;
  auto r = run(app() + " plan --config '" + file.string() + "'", env);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(file.string() + ":" + std::to_string(line) + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no Wrike custom field has the ID or title \"Story Pionts\" (did you mean \"Story Points\"?)"),
            std::string::npos)
      << r.err;
}

TEST_F(PlanCli, UsageErrors) {
  auto r = run(app() + " plan", env);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("needs --config FILE"), std::string::npos) << r.err;
  r = run(app() + " plan --config /nonexistent/mapping.jsonc", env);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/mapping.jsonc: cannot open the file"), std::string::npos) << r.err;
  r = run(app() + " plan --config x --colour", env);
  EXPECT_EQ(r.code, 2);
  r = run(app() + " plan --help", env);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("usage: wrike-cascade-sync plan --config FILE"), std::string::npos);
}
