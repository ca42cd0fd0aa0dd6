// `wrike-cascade-sync cascade ...` read commands, run as a user would (a child process with a
// clean environment), against the Cascade emulator over HTTPS: exit codes, tables, --json
// lines of the decoded models.
#include "cascade_emu_util.hpp"
#include "process.hpp"

#include <boost/json/parse.hpp>

#include <map>

namespace {

using namespace cascade_emu_test;

using Result = wc_test::ProcessResult;
using wc_test::json_lines;

class CascadeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    exe = SYNC_APP_EXE;
    classic_env = {{"CASCADE_API_URL", emu.e.classic_api_url()},
                   {"CASCADE_TOKEN", emu.e.classic_token()},
                   {"CASCADE_CA_FILE", emu.ca_file.string()}};
    platform_env = {{"CASCADE_PLATFORM_API_URL", emu.e.platform_api_url()},
                    {"CASCADE_PLATFORM_TOKEN", emu.e.platform_token()},
                    {"CASCADE_CA_FILE", emu.ca_file.string()}};
  }
  Result run(const std::string& args, const std::map<std::string, std::string>& env) {
    return wc_test::run_shell(wc_test::shell_quote(exe) + " " + args, env, /*clean_env=*/true);
  }

  Emulator emu;
  std::string exe;
  std::map<std::string, std::string> classic_env, platform_env;
};

}  // namespace

TEST_F(CascadeCli, ClassicListsAsJsonLinesAndTables) {
  auto r = run("cascade goals --json --limit 5", classic_env);  // several pages
  ASSERT_EQ(r.code, 0) << r.err;
  const auto goals = json_lines(r.out);
  ASSERT_EQ(goals.size(), emu.e.store().count(emu::ClassicKind::goal));
  const auto& g = goals.front().as_object();
  EXPECT_EQ(g.at("id"), json::value(emu.e.store().ids(emu::ClassicKind::goal).front()));
  EXPECT_TRUE(g.contains("action"));
  EXPECT_TRUE(g.contains("start_time"));
  EXPECT_EQ(g.at("is_private").kind(), json::kind::int64);  // the model's encoding: 0/1
  EXPECT_NE(r.err.find(std::to_string(goals.size()) + " goals"), std::string::npos) << r.err;

  // The same through the mixed dialect: the decoded models print the same.
  emu.e.set_dialect(emu::ClassicDialect::mixed);
  auto mixed = run("cascade goals --json --limit 5", classic_env);
  ASSERT_EQ(mixed.code, 0) << mixed.err;
  EXPECT_EQ(json_lines(mixed.out).size(), goals.size());
  emu.e.set_dialect(emu::ClassicDialect::canonical);

  const auto goal = std::to_string(emu.e.store().ids(emu::ClassicKind::goal).front());
  r = run("cascade tasks --json --goal " + goal, classic_env);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto tasks = json_lines(r.out);
  ASSERT_EQ(tasks.size(), 3u);
  for (const auto& t : tasks) EXPECT_EQ(t.at("goal_id"), json::value(std::stoll(goal)));

  r = run("cascade tasks", classic_env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID", 0), 0u) << r.out;  // a table with a header
  EXPECT_NE(r.out.find("TASK"), std::string::npos);
  for (const char* cmd : {"cascade issues", "cascade updates --goal " /* + goal */}) {
    const std::string full = std::string(cmd) + (std::string(cmd).ends_with(" ") ? goal : "");
    auto x = run(full, classic_env);
    EXPECT_EQ(x.code, 0) << full << ": " << x.err;
    EXPECT_FALSE(x.out.empty()) << full;
  }
  r = run("cascade goals --ids " + goal + " --status APPRO --json", classic_env);
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CascadeCli, PlatformCommands) {
  auto r = run("cascade workspaces --json", platform_env);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto ws = json_lines(r.out);
  ASSERT_EQ(ws.size(), 2u);
  const std::string ws_id(ws[0].at("id").as_string());
  EXPECT_TRUE(ws[0].as_object().contains("displayName"));

  r = run("cascade plans --workspace " + ws_id + " --json", platform_env);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto plans = json_lines(r.out);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].at("workspaceId"), json::value(ws_id));
  const std::string plan_id(plans[0].at("id").as_string());

  r = run("cascade measures --workspace " + ws_id + " --plan " + plan_id + " --json", platform_env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json_lines(r.out).size(), 3u);
  r = run("cascade actions --workspace " + ws_id + " --plan " + plan_id, platform_env);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID", 0), 0u) << r.out;
  EXPECT_NE(r.err.find("3 actions"), std::string::npos) << r.err;
  EXPECT_GE(emu.e.server().count_status(307), 4u) << "the commands followed the region redirect";
}

TEST_F(CascadeCli, ExitCodes) {
  // Usage errors: 2.
  EXPECT_EQ(run("cascade frobnicate", classic_env).code, 2);
  EXPECT_EQ(run("cascade plans", platform_env).code, 2) << "--workspace is required";
  EXPECT_EQ(run("cascade measures --workspace w", platform_env).code, 2) << "--plan is required";
  EXPECT_EQ(run("cascade goals --goal 1", classic_env).code, 2) << "not an option of goals";
  EXPECT_EQ(run("cascade tasks --ids x", classic_env).code, 2);
  EXPECT_EQ(run("cascade goals --status ACTIVE", classic_env).code, 2);
  // Configuration errors: 2, naming the variable.
  auto r = run("cascade goals", {{"CASCADE_API_URL", emu.e.classic_api_url()}});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("CASCADE_TOKEN"), std::string::npos) << r.err;
  r = run("cascade workspaces", {});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("cascade-tokens.json"), std::string::npos) << r.err;
  // API errors: 1, with the status and the message.
  auto bad = classic_env;
  bad["CASCADE_TOKEN"] = "wrong";
  r = run("cascade goals", bad);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong"), std::string::npos) << "the token leaked: " << r.err;
  const auto foreign = emu.e.store().workspace_ids(false).back();
  r = run("cascade plans --workspace " + foreign, platform_env);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 403"), std::string::npos) << r.err;
  EXPECT_EQ(run("cascade --help", {}).code, 0);
}


