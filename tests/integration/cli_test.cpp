// wrike-cascade-sync's read commands, run as a user would, against the emulator over HTTPS.
#include "process.hpp"

#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace emu = wrike_cascade::emulator;

namespace {

using wc_test::json_lines;

wc_test::ProcessResult run_app(const std::string& args, const std::map<std::string, std::string>& env) {
  return wc_test::run_shell(wc_test::shell_quote(SYNC_APP_EXE) + " " + args, env);
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    emu::WrikeEmulatorOptions o;
    o.generator.seed = 5;
    o.generator.spaces = 2;
    o.generator.projects_per_space = 2;
    o.generator.tasks_per_project = 600;  // > 1000 tasks in the account: paging is exercised
    o.generator.subtasks_per_task = 0;
    o.tokens = {"cli-secret-token-777"};
    emulator = std::make_unique<emu::WrikeEmulator>(o);
    emulator->start();
    ca = std::filesystem::temp_directory_path() / ("wc-cli-ca-" + std::to_string(::getpid()) + ".pem");
    emulator->write_ca_file(ca);
    env = {{"WRIKE_API_URL", emulator->api_url()}, {"WRIKE_TOKEN", "cli-secret-token-777"},
           {"WRIKE_CA_FILE", ca.string()}};
  }
  void TearDown() override { emulator->stop(); }

  std::unique_ptr<emu::WrikeEmulator> emulator;
  std::filesystem::path ca;
  std::map<std::string, std::string> env;
};

}  // namespace

TEST_F(Cli, TasksWithoutScopeReadsTheWholeAccount) {
  auto r = run_app("wrike tasks --json", env);
  ASSERT_EQ(r.code, 0) << r.err;
  std::size_t ws = 0;
  emulator->store().read([&](const emu::WrikeData& d) {
    for (const auto& t : d.tasks) ws += t.at("scope").as_string() == "WsTask";
  });
  auto lines = json_lines(r.out);
  EXPECT_EQ(lines.size(), ws);
  ASSERT_FALSE(lines.empty());
  // Wrike's own field names, from the typed model.
  const auto& first = lines.front().as_object();
  EXPECT_TRUE(first.contains("id"));
  EXPECT_TRUE(first.contains("parentIds"));
  EXPECT_TRUE(first.contains("updatedDate"));
  EXPECT_NE(r.err.find(std::to_string(ws) + " tasks"), std::string::npos) << r.err;
}

TEST_F(Cli, TableOutputAndScopes) {
  auto spaces = run_app("wrike spaces --json", env);
  ASSERT_EQ(spaces.code, 0) << spaces.err;
  auto list = json_lines(spaces.out);
  ASSERT_EQ(list.size(), 2u);
  const std::string space_id(list[0].at("id").as_string());

  auto projects = run_app("wrike projects --space " + space_id, env);
  ASSERT_EQ(projects.code, 0) << projects.err;
  EXPECT_EQ(projects.out.rfind("ID", 0), 0u) << projects.out;  // a table with a header
  EXPECT_NE(projects.err.find("2 projects"), std::string::npos) << projects.err;

  for (const char* cmd : {"wrike folders", "wrike customfields", "wrike workflows", "wrike contacts"}) {
    auto r = run_app(cmd, env);
    EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << cmd;
  }
}

TEST_F(Cli, UpdatedSinceAndIds) {
  auto ids = emulator->store().task_ids();
  emulator->store().touch_task(ids[7], "2031-05-05T10:00:00Z");
  auto r = run_app("wrike tasks --json --updated-since 2031-01-01", env);
  ASSERT_EQ(r.code, 0) << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("id").as_string(), ids[7]);

  auto by_ids = run_app("wrike tasks --json --ids " + ids[1] + "," + ids[2], env);
  ASSERT_EQ(by_ids.code, 0) << by_ids.err;
  EXPECT_EQ(json_lines(by_ids.out).size(), 2u);
}

TEST_F(Cli, UsageErrorsExitWith2AndNameTheProblem) {
  auto bad_opt = run_app("wrike spaces --space X", env);
  EXPECT_EQ(bad_opt.code, 2);
  EXPECT_NE(bad_opt.err.find("--space"), std::string::npos) << bad_opt.err;

  auto bad_date = run_app("wrike tasks --updated-since yesterday", env);
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_NE(bad_date.err.find("--updated-since 'yesterday'"), std::string::npos) << bad_date.err;

  auto bad_cmd = run_app("wrike nope", env);
  EXPECT_EQ(bad_cmd.code, 2);

  auto no_token = run_app("wrike spaces", {{"WRIKE_API_URL", env["WRIKE_API_URL"]}, {"WRIKE_CA_FILE", env["WRIKE_CA_FILE"]}});
  EXPECT_EQ(no_token.code, 2);
  EXPECT_NE(no_token.err.find("WRIKE_TOKEN"), std::string::npos) << no_token.err;
}

TEST_F(Cli, ApiErrorsExitWith1WithStatusAndCodeButNoToken) {
  auto e = env;
  e["WRIKE_TOKEN"] = "wrong-secret-token-999";
  auto r = run_app("wrike spaces --verbose", e);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 401 not_authorized"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong-secret-token-999"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("wrong-secret-token-999"), std::string::npos);

  auto tls = run_app("wrike spaces", {{"WRIKE_API_URL", env["WRIKE_API_URL"]}, {"WRIKE_TOKEN", env["WRIKE_TOKEN"]}});
  EXPECT_EQ(tls.code, 1);
  EXPECT_NE(tls.err.find("certificate verify failed"), std::string::npos) << tls.err;
}

// ---- wrike login --------------------------------------------------------------------------

#include "../emulator/raw_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <sys/stat.h>

namespace {

std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

struct Login {
  FILE* pipe = nullptr;
  std::string url;
};

Login start_login(const std::string& args, const std::map<std::string, std::string>& env, const std::string& err_file) {
  std::string cmd;
  for (const auto& [k, v] : env) cmd += k + "='" + v + "' ";
  cmd += std::string("'") + SYNC_APP_EXE + "' wrike login " + args + " 2>'" + err_file + "'";
  Login l;
  l.pipe = ::popen(cmd.c_str(), "r");
  char line[4096];
  if (std::fgets(line, sizeof line, l.pipe)) l.url = line;
  while (!l.url.empty() && (l.url.back() == '\n' || l.url.back() == '\r')) l.url.pop_back();
  return l;
}

int finish(Login& l) {
  const int status = ::pclose(l.pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(CliLogin, LoginStoresTokensAndOtherCommandsUseThem) {
  const auto port = free_port();
  const std::string redirect = "http://127.0.0.1:" + std::to_string(port) + "/wrike/callback";
  emu::WrikeEmulatorOptions o;
  o.generator.seed = 3;
  o.oauth.clients = {{"cli-app", "cli-secret", {redirect}}};
  emu::WrikeEmulator emulator(o);
  emulator.start();
  const auto dir = std::filesystem::temp_directory_path() / ("wc-login-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto ca = dir / "ca.pem";
  emulator.write_ca_file(ca);
  const auto token_file = dir / "tokens.json";
  std::filesystem::remove(token_file);
  const std::map<std::string, std::string> env{{"WRIKE_CLIENT_ID", "cli-app"},
                                               {"WRIKE_CLIENT_SECRET", "cli-secret"},
                                               {"WRIKE_OAUTH_URL", emulator.oauth_url()},
                                               {"WRIKE_CA_FILE", ca.string()}};
  const auto err = (dir / "login.err").string();
  auto login = start_login("--redirect-uri " + redirect + " --token-file '" + token_file.string() + "' --timeout 30",
                           env, err);
  ASSERT_EQ(login.url.rfind(emulator.oauth_url() + "/authorize/v4?", 0), 0u) << login.url;
  EXPECT_NE(login.url.find("state="), std::string::npos);

  // The browser: the authorize page redirects to the app's loopback listener.
  emutest::RawClient wrike_side(emulator.https_url(), {.ca_pem = emulator.ca_cert_pem()});
  auto authorized = wrike_side.get(login.url.substr(emulator.https_url().size()));
  ASSERT_EQ(authorized.status, 302);
  const auto location = authorized.header("Location").value_or("");
  ASSERT_EQ(location.rfind(redirect, 0), 0u) << location;
  emutest::RawClient app_side("http://127.0.0.1:" + std::to_string(port));
  auto landed = app_side.get(location.substr(("http://127.0.0.1:" + std::to_string(port)).size()));
  EXPECT_EQ(landed.status, 200);
  EXPECT_EQ(finish(login), 0) << slurp(err);
  EXPECT_NE(slurp(err).find("Logged in"), std::string::npos) << slurp(err);

  struct stat st {};
  ASSERT_EQ(::stat(token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const auto saved = boost::json::parse(slurp(token_file.string())).as_object();
  EXPECT_EQ(saved.at("host").as_string(), "127.0.0.1:" + std::to_string(emulator.server().https_port()));

  // Without WRIKE_TOKEN and WRIKE_API_URL, the stored credential and its host are used.
  auto r = run_app("wrike spaces --json --token-file '" + token_file.string() + "'", env);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json_lines(r.out).size(), 2u);
  EXPECT_EQ(r.err.find(saved.at("access_token").as_string().c_str()), std::string::npos);
  emulator.stop();
}

TEST(CliLogin, AWrongStateIsRefusedAndNothingIsStored) {
  const auto port = free_port();
  const std::string redirect = "http://127.0.0.1:" + std::to_string(port) + "/wrike/callback";
  emu::WrikeEmulatorOptions o;
  o.oauth.clients = {{"cli-app", "cli-secret", {redirect}}};
  emu::WrikeEmulator emulator(o);
  emulator.start();
  const auto dir = std::filesystem::temp_directory_path() / ("wc-login2-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto token_file = dir / "tokens.json";
  std::filesystem::remove(token_file);
  const std::map<std::string, std::string> env{{"WRIKE_CLIENT_ID", "cli-app"},
                                               {"WRIKE_CLIENT_SECRET", "cli-secret"},
                                               {"WRIKE_OAUTH_URL", emulator.oauth_url()}};
  const auto err = (dir / "login.err").string();
  auto login = start_login("--redirect-uri " + redirect + " --token-file '" + token_file.string() + "' --timeout 30",
                           env, err);
  ASSERT_FALSE(login.url.empty());
  emutest::RawClient app_side("http://127.0.0.1:" + std::to_string(port));
  app_side.get("/wrike/callback?code=forged&state=not-the-one-sent");
  EXPECT_NE(finish(login), 0);
  EXPECT_NE(slurp(err).find("state does not match"), std::string::npos) << slurp(err);
  EXPECT_FALSE(std::filesystem::exists(token_file));
  EXPECT_EQ(emulator.oauth_counters().code_exchanges, 0u);
  emulator.stop();
}
