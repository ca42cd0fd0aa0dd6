// Full read of a large Wrike account from the emulator, with added latency per request.
//
// The emulator runs as a separate process (`wrike-emulator`), so the peak memory reported is
// the client's alone. Two query strategies are compared:
//   account: GET /tasks?pageSize=1000&subTasks=true&fields=[...]   -> ceil(N / 1000) requests
//   project: GET /folders/{id}/tasks per project (after one GET /folders?project=true)
// Usage: read_bench [--tasks-per-project N] [--projects N] [--latency-ms N] [--emulator PATH]
#include <wrike/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;

namespace {

struct Emulator {
  pid_t pid = -1;
  std::string https_url, ca_file, token;
  ~Emulator() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

void start_emulator(Emulator& emu, const std::string& exe, const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  emu.pid = fork();
  if (emu.pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  if (line.empty()) throw std::runtime_error("the emulator did not start: " + exe);
  auto v = boost::json::parse(line).as_object();
  emu.https_url = std::string(v.at("https_url").as_string());
  emu.ca_file = std::string(v.at("ca_file").as_string());
  emu.token = std::string(v.at("token").as_string());
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

struct Result {
  std::size_t tasks = 0;
  std::uint64_t requests = 0, retries = 0, throttled = 0, connections = 0;
  double seconds = 0;
  std::uint64_t bytes = 0;
};

Result run_strategy(const Emulator& emu, bool per_project) {
  asio::io_context io;
  wrike::ClientConfig cfg;
  cfg.api_url = emu.https_url + "/api/v4";
  cfg.token = emu.token;
  cfg.ca_file = emu.ca_file;
  wrike::Client client(io.get_executor(), cfg);
  Result r;
  const auto t0 = std::chrono::steady_clock::now();
  auto fut = asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    wrike::TasksQuery q;
    q.sub_tasks = true;
    q.fields = wrike::sync_task_fields();
    if (!per_project) {
      auto pager = client.tasks(wrike::WholeAccount{}, q);
      while (auto page = co_await pager.next()) r.tasks += page->items.size();
      co_return;
    }
    wrike::FoldersQuery fq;
    fq.project = true;
    auto projects = co_await client.get_folders(wrike::WholeAccount{}, fq);
    for (const auto& p : projects) {
      auto pager = client.tasks(p.id, q);
      while (auto page = co_await pager.next()) r.tasks += page->items.size();
    }
  }, asio::use_future);
  io.run();
  fut.get();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto s = client.http().stats();
  r.requests = s.requests;
  r.retries = s.retries;
  r.throttled = s.throttled;
  r.connections = s.connections_opened;
  r.bytes = s.bytes_received;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int projects = 100, per_project = 200, latency = 30;
  std::string exe = WRIKE_EMULATOR_EXE;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--projects") projects = std::stoi(argv[i + 1]);
    else if (k == "--tasks-per-project") per_project = std::stoi(argv[i + 1]);
    else if (k == "--latency-ms") latency = std::stoi(argv[i + 1]);
    else if (k == "--emulator") exe = argv[i + 1];
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  Emulator emu;
  start_emulator(emu, exe,
                 {"--seed", "7", "--spaces", "4", "--projects-per-space", std::to_string(projects / 4),
                  "--folders-per-space", "0", "--tasks-per-project", std::to_string(per_project),
                  "--subtasks-per-task", "0", "--contacts", "50", "--latency-ms", std::to_string(latency),
                  "--rate-limit", "400"});
  const long rss_before = peak_rss_kib();
  const std::size_t total = static_cast<std::size_t>(projects) * per_project;
  std::printf("full read of %zu tasks in %d projects, %d ms added latency per request\n", total, projects, latency);
  std::printf("%-8s %8s %9s %8s %6s %8s %10s %10s\n", "strategy", "tasks", "requests", "minimum", "429s",
              "retries", "wall s", "MB read");
  for (bool pp : {false, true}) {
    auto r = run_strategy(emu, pp);
    const std::size_t minimum = pp ? 1 + projects : (total + 999) / 1000;
    std::printf("%-8s %8zu %9llu %8zu %6llu %8llu %10.2f %10.1f\n", pp ? "project" : "account", r.tasks,
                (unsigned long long)r.requests, minimum, (unsigned long long)r.throttled,
                (unsigned long long)r.retries, r.seconds, r.bytes / 1e6);
    if (r.tasks != total) {
      std::fprintf(stderr, "expected %zu tasks, read %zu\n", total, r.tasks);
      return 1;
    }
  }
  std::printf("client peak RSS: %.1f MiB (%.1f MiB before the reads)\n", peak_rss_kib() / 1024.0,
              rss_before / 1024.0);
  return 0;
}
