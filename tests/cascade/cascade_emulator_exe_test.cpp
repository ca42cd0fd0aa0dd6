// The cascade-emulator program: flags, the ready line, serving both APIs, --dump-data, and a
// clean exit on SIGTERM/SIGINT.
#include "cascade_emu_util.hpp"

#include "../emulator/raw_client.hpp"

#include <csignal>
#include <thread>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace cascade_emu_test;

struct Child {
  pid_t pid = -1;
  int out = -1;
  int err = -1;

  explicit Child(const std::vector<std::string>& args) {
    int o[2], e[2];
    if (::pipe(o) != 0 || ::pipe(e) != 0) throw std::runtime_error("pipe");
    pid = ::fork();
    if (pid == 0) {
      ::dup2(o[1], 1);
      ::dup2(e[1], 2);
      ::close(o[0]), ::close(e[0]), ::close(o[1]), ::close(e[1]);
      std::vector<char*> argv{const_cast<char*>(CASCADE_EMULATOR_EXE)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(CASCADE_EMULATOR_EXE, argv.data());
      ::_exit(127);
    }
    ::close(o[1]), ::close(e[1]);
    out = o[0], err = e[0];
  }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    ::close(out), ::close(err);
  }
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char c;
      if (::read(out, &c, 1) != 1) return line;
      if (c == '\n') return line;
      line += c;
    }
    return {};
  }
  std::string read_err() {
    std::string all;
    char buf[4096];
    pollfd p{err, POLLIN, 0};
    while (::poll(&p, 1, 2000) > 0) {
      const auto n = ::read(err, buf, sizeof buf);
      if (n <= 0) break;
      all.append(buf, static_cast<std::size_t>(n));
    }
    return all;
  }
  int wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      if (::waitpid(pid, &st, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
};

}  // namespace

TEST(CascadeEmulatorExe, ReadyLineServesBothApisAndStopsOnSignal) {
  for (int sig : {SIGTERM, SIGINT}) {
    const auto ca = temp_file("cascade-exe-ca");
    Child c({"--seed", "3", "--goals", "2", "--tasks-per-goal", "4", "--token", "tok-a:2:Goals,Tasks", "--platform-token",
             "ptok", "--ca-file", ca.string(), "--dialect", "mixed", "--latency-ms", "1"});
    const auto line = c.read_line(20s);
    ASSERT_FALSE(line.empty()) << c.read_err();
    const auto ready = json::parse(line).as_object();
    for (const char* k : {"http_url", "https_url", "classic_api_url", "platform_api_url", "regional_url", "oauth_url",
                          "ca_file", "token", "platform_token"})
      EXPECT_TRUE(ready.contains(k)) << k;
    EXPECT_EQ(ready.at("token"), json::value("tok-a"));
    EXPECT_EQ(ready.at("platform_token"), json::value("ptok"));
    EXPECT_EQ(ready.at("ca_file"), json::value(std::filesystem::absolute(ca).string()));
    const std::string https(ready.at("https_url").as_string());
    EXPECT_EQ(ready.at("classic_api_url"), json::value(https + "/api/v2"));

    std::ifstream in(ca);
    std::stringstream pem;
    pem << in.rdbuf();
    emutest::RawClient raw(https, {.ca_pem = pem.str()});
    auto r = raw.request("GET", "/api/v2/goals", {{"Authorization", "Bearer tok-a"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json().as_object().contains("meta")) << "the mixed dialect";
    EXPECT_EQ(raw.request("GET", "/api/v2/issues", {{"Authorization", "Bearer tok-a"}}).status, 403) << "no Issues scope";
    r = raw.request("GET", "/v2/users/me/workspaces", {{"Authorization", "Bearer ptok"}});
    EXPECT_EQ(r.status, 307);
    const std::string regional(ready.at("regional_url").as_string());
    EXPECT_EQ(r.header("Location").value_or(""), regional + "/v2/users/me/workspaces");
    emutest::RawClient rr(regional, {.ca_pem = pem.str()});
    EXPECT_EQ(rr.request("GET", "/v2/users/me/workspaces", {{"Authorization", "Bearer ptok"}}).status, 200);

    ::kill(c.pid, sig);
    EXPECT_EQ(c.wait_exit(10s), 0);
    std::filesystem::remove(ca);
  }
}

TEST(CascadeEmulatorExe, DumpDataAndFlagsErrors) {
  const auto file = temp_file("cascade-dump");
  {
    Child c({"--seed", "9", "--goals", "3", "--child-goals-per-goal", "0", "--dump-data", file.string()});
    EXPECT_EQ(c.wait_exit(20s), 0);
  }
  emu::CascadeStore s;
  s.load(file);
  EXPECT_EQ(s.count(emu::ClassicKind::goal), 3u);
  {
    // The dump loads back with --data.
    Child c({"--data", file.string(), "--no-region-redirect"});
    const auto line = c.read_line(20s);
    ASSERT_FALSE(line.empty()) << c.read_err();
    const auto ready = json::parse(line).as_object();
    EXPECT_EQ(ready.at("regional_url"), ready.at("https_url"));
    ::kill(c.pid, SIGTERM);
    EXPECT_EQ(c.wait_exit(10s), 0);
  }
  std::filesystem::remove(file);
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--bogus"}, {"--goals", "x"}, {"--dialect", "weird"}, {"--token", "t:0"}, {"--token", "t:1:Milestones"},
           {"--offset-mode", "cursor"}, {"--data", "/nonexistent/cascade.json"}, {"--threads", "0"}}) {
    Child c(bad);
    EXPECT_EQ(c.wait_exit(10s), 2) << bad.front();
  }
  Child help({"--help"});
  EXPECT_EQ(help.wait_exit(10s), 0);
}
