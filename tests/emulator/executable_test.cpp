// The wrike-emulator program: flags, the ready line, serving, clean exit on SIGTERM/SIGINT.
#include "raw_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;  // stdout pipe
  int err = -1;  // stderr pipe

  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      int st = 0;
      ::waitpid(pid, &st, 0);
    }
    if (out >= 0) ::close(out);
    if (err >= 0) ::close(err);
  }

  // Reads until a newline or the deadline; "" on timeout/EOF.
  std::string read_line(int fd, std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return {};
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
      char c;
      if (::read(fd, &c, 1) != 1) return line;
      if (c == '\n') return line;
      line += c;
    }
  }

  // Reads until EOF or until nothing arrives for `timeout`.
  std::string read_all(int fd, std::chrono::milliseconds timeout) {
    std::string all;
    char buf[4096];
    while (true) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return all;
      const auto n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return all;
      all.append(buf, static_cast<std::size_t>(n));
    }
  }

  int wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) {
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
};

std::unique_ptr<Child> spawn(std::vector<std::string> args) {
  auto c = std::make_unique<Child>();
  int out[2], err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0) return nullptr;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  posix_spawn_file_actions_addclose(&fa, err[0]);
  args.insert(args.begin(), WRIKE_EMULATOR_EXE);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&c->pid, WRIKE_EMULATOR_EXE, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  ::close(err[1]);
  c->out = out[0];
  c->err = err[0];
  if (rc != 0) {
    c->pid = -1;
    return nullptr;
  }
  return c;
}

}  // namespace

TEST(WrikeEmulatorExecutable, ServesAndStopsOnSigterm) {
  const auto ca = std::filesystem::temp_directory_path() /
                  ("wrike-emulator-exe-test-" + std::to_string(::getpid()) + ".pem");
  auto child = spawn({"--seed", "5", "--spaces", "1", "--projects-per-space", "2",
                      "--tasks-per-project", "4", "--token", "t-one", "--token", "t-two",
                      "--ca-file", ca.string(), "--rate-limit", "0"});
  ASSERT_TRUE(child);
  const auto line = child->read_line(child->out, 20s);
  ASSERT_FALSE(line.empty()) << child->read_all(child->err, 1s);
  auto ready = json::parse(line).as_object();
  EXPECT_EQ(ready.size(), 6u);
  EXPECT_EQ(ready["api_url"], json::value(std::string(ready["https_url"].as_string()) + "/api/v4"));
  EXPECT_EQ(ready["oauth_url"], json::value(std::string(ready["https_url"].as_string()) + "/oauth2"));
  EXPECT_EQ(ready["token"], "t-one");
  EXPECT_EQ(ready["ca_file"], json::value(std::filesystem::absolute(ca).string()));
  const std::string https(ready["https_url"].as_string());
  const std::string http(ready["http_url"].as_string());
  EXPECT_TRUE(https.starts_with("https://127.0.0.1:"));
  EXPECT_TRUE(http.starts_with("http://127.0.0.1:"));

  std::ifstream f(ca);
  std::string pem((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  emutest::RawClient c(https, emutest::RawClientOptions{pem, {}, 10s});
  auto r = c.get("/api/v4/tasks", "t-two");
  ASSERT_TRUE(r.ok()) << r.error.message() << " " << r.body;
  // 1 space x (2 projects x 4 tasks + 1 plain folder x 2 tasks)
  EXPECT_EQ(r.json().at("data").as_array().size(), 10u);
  EXPECT_EQ(c.get("/api/v4/tasks", "emulator-token").status, 401);  // replaced by --token

  ::kill(child->pid, SIGTERM);
  EXPECT_EQ(child->wait_exit(10s), 0);
  std::filesystem::remove(ca);
}

TEST(WrikeEmulatorExecutable, SigintAndTemporaryCaFile) {
  auto child = spawn({"--latency-ms", "1"});
  ASSERT_TRUE(child);
  const auto line = child->read_line(child->out, 20s);
  ASSERT_FALSE(line.empty());
  auto ready = json::parse(line).as_object();
  const std::string ca(ready["ca_file"].as_string());
  EXPECT_TRUE(std::filesystem::exists(ca));
  EXPECT_EQ(ready["token"], "emulator-token");
  ::kill(child->pid, SIGINT);
  EXPECT_EQ(child->wait_exit(10s), 0);
  EXPECT_FALSE(std::filesystem::exists(ca));  // the temporary CA file is cleaned up
}

TEST(WrikeEmulatorExecutable, BadFlagsExit2NamingTheFlag) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--seed", "abc"}, {"--http-port", "70000"}, {"--frobnicate"}, {"--tasks-per-project"},
           {"--data", "/nonexistent/dir"}, {"--oauth-client", "no-secret"}, {"--oauth-client", "id:sec:ftp://x"},
           {"--access-token-ttl", "0"}, {"--webhook-ca-file", "/nonexistent.pem"}, {"--webhook-retries", "x"}}) {
    auto child = spawn(args);
    ASSERT_TRUE(child);
    EXPECT_EQ(child->wait_exit(10s), 2) << args[0];
    const auto err = child->read_all(child->err, 2s);
    EXPECT_NE(err.find(args[0]), std::string::npos) << err;
  }
}

TEST(WrikeEmulatorExecutable, Help) {
  auto child = spawn({"--help"});
  ASSERT_TRUE(child);
  EXPECT_EQ(child->wait_exit(10s), 0);
  const auto out = child->read_all(child->out, 2s);
  for (auto flag : {"--seed", "--spaces", "--projects-per-space", "--folders-per-space",
                    "--tasks-per-project", "--subtasks-per-task", "--contacts", "--data", "--token",
                    "--http-port", "--https-port", "--latency-ms", "--rate-limit", "--ca-file",
                    "--oauth-client", "--access-token-ttl", "--oauth-deny", "--webhook-ca-file",
                    "--webhook-batch-ms", "--webhook-retries", "--webhook-suspend-after", "--webhook-timeout-ms"})
    EXPECT_NE(out.find(flag), std::string::npos) << flag;
}

TEST(WrikeEmulatorExecutable, OAuthFlags) {
  auto child = spawn({"--spaces", "0", "--oauth-client", "app:s3cret:http://127.0.0.1:8976/wrike/callback",
                      "--access-token-ttl", "2", "--rate-limit", "0"});
  ASSERT_TRUE(child);
  const auto line = child->read_line(child->out, 20s);
  ASSERT_FALSE(line.empty()) << child->read_all(child->err, 1s);
  auto ready = json::parse(line).as_object();
  emutest::RawClient c(std::string(ready["http_url"].as_string()));
  auto r = c.get("/oauth2/authorize/v4?client_id=app&response_type=code&state=s");
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = r.header("Location").value_or("");
  EXPECT_TRUE(location.starts_with("http://127.0.0.1:8976/wrike/callback?code=")) << location;
  const std::string code = location.substr(location.find("code=") + 5, location.find('&') - location.find("code=") - 5);
  auto t = c.request("POST", "/oauth2/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                     "grant_type=authorization_code&client_id=app&client_secret=s3cret&code=" + code);
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json().at("expires_in"), 2);
  EXPECT_EQ(c.get("/api/v4/account", std::string(t.json().at("access_token").as_string())).status, 200);
  ::kill(child->pid, SIGTERM);
  EXPECT_EQ(child->wait_exit(10s), 0);

  auto deny = spawn({"--spaces", "0", "--oauth-client", "app:s3cret", "--oauth-deny"});
  ASSERT_TRUE(deny);
  const auto line2 = deny->read_line(deny->out, 20s);
  ASSERT_FALSE(line2.empty()) << deny->read_all(deny->err, 1s);
  emutest::RawClient d(std::string(json::parse(line2).at("http_url").as_string()));
  r = d.get("/oauth2/authorize/v4?client_id=app&response_type=code&redirect_uri=" + emutest::enc("http://localhost/cb"));
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_NE(r.header("Location").value_or("").find("error=access_denied"), std::string::npos);
  ::kill(deny->pid, SIGTERM);
  EXPECT_EQ(deny->wait_exit(10s), 0);
}
