// Creating and then updating Classic tasks through the Cascade emulator with added latency.
//
// The emulator runs in this process (its own I/O threads) so the store can be inspected
// afterwards: every created task must be there exactly once (no duplicates, none missing).
// The client runs on one thread; creates and updates go out concurrently with a bounded number
// in flight (worker coroutines pulling the next index), each worker on its own keep-alive
// connection.
//
// Usage: cascade_bench [--tasks N] [--goals N] [--latency-ms N] [--concurrency N] [--no-sweep]
//                      [--http]
#include <cascade/classic_client.hpp>
#include <wrike_cascade/emulator/cascade_emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace asio = boost::asio;
namespace emu = wrike_cascade::emulator;
namespace classic = cascade::classic;
using clock_type = std::chrono::steady_clock;

namespace {

struct Options {
  int tasks = 5000;
  int goals = 50;
  int latency_ms = 30;
  int concurrency = 8;
  bool sweep = true;
  bool tls = true;
};

struct PhaseResult {
  std::string name;
  int concurrency = 0;
  std::size_t ok = 0, errors = 0;
  double wall_s = 0;
  std::vector<double> latencies_ms;
  std::uint64_t attempts = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Runs op(i) for i in [0, n) with at most `concurrency` in flight.
template <class Op>
PhaseResult run_phase(std::string name, classic::Client& client, asio::io_context& io, int n, int concurrency, Op op) {
  PhaseResult r;
  r.name = std::move(name);
  r.concurrency = concurrency;
  r.latencies_ms.reserve(static_cast<std::size_t>(n));
  const auto before = client.http().stats().requests;
  int next = 0;
  const auto start = clock_type::now();
  for (int w = 0; w < concurrency; ++w) {
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      while (next < n) {
        const int i = next++;
        const auto t0 = clock_type::now();
        try {
          co_await op(i);
          ++r.ok;
        } catch (const std::exception& e) {
          if (r.errors++ < 3) std::cerr << r.name << " #" << i << ": " << e.what() << "\n";
        }
        r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
      }
    }, asio::detached);
  }
  io.restart();
  io.run();
  r.wall_s = std::chrono::duration<double>(clock_type::now() - start).count();
  r.attempts = client.http().stats().requests - before;
  return r;
}

void print_header() {
  std::printf("%-28s %6s %8s %7s %7s %9s %9s %8s %8s\n", "phase", "in-fl.", "requests", "ok", "errors", "wall s",
              "req/s", "p50 ms", "p99 ms");
}

void print_row(const PhaseResult& r) {
  std::printf("%-28s %6d %8llu %7zu %7zu %9.2f %9.1f %8.1f %8.1f\n", r.name.c_str(), r.concurrency,
              static_cast<unsigned long long>(r.attempts), r.ok, r.errors, r.wall_s,
              r.wall_s > 0 ? static_cast<double>(r.attempts) / r.wall_s : 0.0, percentile(r.latencies_ms, 0.5),
              percentile(r.latencies_ms, 0.99));
}

classic::ClientConfig client_config(const emu::CascadeEmulator& e, const std::string& ca, bool tls, int concurrency) {
  classic::ClientConfig c;
  c.api_url = e.classic_api_url(tls);
  c.token = e.classic_token();
  c.ca_file = ca;
  // One keep-alive connection per worker. The client's default rate limiter (6.5 requests/s,
  // Wrike's published rate) would be the bottleneck, not latency: it is measured separately.
  c.max_connections = static_cast<std::size_t>(concurrency);
  c.rate_limit_enabled = false;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto num = [&]() {
      if (i + 1 >= argc) throw std::runtime_error(a + ": missing value");
      return std::stoi(argv[++i]);
    };
    if (a == "--tasks") o.tasks = num();
    else if (a == "--goals") o.goals = num();
    else if (a == "--latency-ms") o.latency_ms = num();
    else if (a == "--concurrency") o.concurrency = num();
    else if (a == "--no-sweep") o.sweep = false;
    else if (a == "--http") o.tls = false;
    else {
      std::cerr << "usage: cascade_bench [--tasks N] [--goals N] [--latency-ms N] [--concurrency N] [--no-sweep] [--http]\n";
      return 2;
    }
  }
  if (o.tasks < 1 || o.goals < 1 || o.concurrency < 1) {
    std::cerr << "cascade_bench: --tasks, --goals and --concurrency must be at least 1\n";
    return 2;
  }

  emu::CascadeEmulatorOptions eo;
  eo.generator.goals = o.goals;
  eo.generator.child_goals_per_goal = 0;
  eo.generator.tasks_per_goal = 0;
  eo.generator.issues_per_goal = 0;
  eo.generator.updates_per_goal = 0;
  eo.server.default_latency = std::chrono::milliseconds(o.latency_ms);
  eo.body_log_capacity = 0;
  emu::CascadeEmulator e(eo);
  e.start();
  const auto ca = (std::filesystem::temp_directory_path() / ("cascade-bench-ca-" + std::to_string(::getpid()) + ".pem")).string();
  e.write_ca_file(ca);
  const auto goal_ids = e.store().ids(emu::ClassicKind::goal);

  std::printf("Cascade Classic through the emulator: %d tasks under %zu goals, %d ms added latency per request, %s\n",
              o.tasks, goal_ids.size(), o.latency_ms, o.tls ? "HTTPS, keep-alive" : "HTTP, keep-alive");

  asio::io_context io;
  std::vector<PhaseResult> rows;
  std::vector<std::int64_t> created(static_cast<std::size_t>(o.tasks), 0);
  {
    classic::Client client(io.get_executor(), client_config(e, ca, o.tls, o.concurrency));
    rows.push_back(run_phase("create (POST /tasks)", client, io, o.tasks, o.concurrency, [&](int i) -> asio::awaitable<void> {
      classic::TaskCreate t;
      t.task = "bench task " + std::to_string(i);
      t.goal_id = classic::GoalId(goal_ids[static_cast<std::size_t>(i) % goal_ids.size()]);
      t.due_date = cascade::DateTime(std::chrono::year{2025} / 12 / 31);
      auto task = co_await client.create_task(std::move(t));
      created[static_cast<std::size_t>(i)] = task.id.value();
    }));
    rows.push_back(run_phase("update (PUT /tasks/{id})", client, io, o.tasks, o.concurrency, [&](int i) -> asio::awaitable<void> {
      const auto id = created[static_cast<std::size_t>(i)];
      if (id == 0) throw std::runtime_error("not created");
      classic::TaskUpdate u;
      u.is_complete = true;
      u.comment = "updated by the benchmark";
      (void)co_await client.update_task(classic::TaskId(id), std::move(u));
    }));
    std::size_t listed = 0;
    rows.push_back(run_phase("read back (GET /tasks, 500)", client, io, 1, 1, [&](int) -> asio::awaitable<void> {
      classic::TasksQuery q;
      q.limit = 500;
      listed = (co_await client.get_tasks(q)).size();
    }));
    std::printf("\n");
    print_header();
    for (const auto& r : rows) print_row(r);
    std::printf("\nconnections opened by the client: %llu; tasks listed back: %zu\n",
                static_cast<unsigned long long>(client.http().stats().connections_opened), listed);
  }

  // The emulator's store: every created task exactly once.
  std::map<std::string, int> titles;
  std::size_t complete = 0;
  e.store().read([&](const emu::CascadeData& d) {
    for (const auto& t : d.tasks) {
      const auto& title = t.at("task");
      if (title.is_string() && std::string_view(title.as_string()).starts_with("bench task ")) {
        ++titles[std::string(title.as_string())];
        complete += t.at("is_complete") == boost::json::value(1);
      }
    }
  });
  std::size_t duplicates = 0, stored = 0;
  for (const auto& [k, n] : titles) {
    stored += static_cast<std::size_t>(n);
    duplicates += static_cast<std::size_t>(n - 1);
  }
  const std::size_t missing = static_cast<std::size_t>(o.tasks) - titles.size();
  std::printf("emulator store: %zu bench tasks, %zu distinct, %zu duplicates, %zu missing, %zu complete; "
              "server saw %zu POST /tasks, %zu PUT /tasks\n",
              stored, titles.size(), duplicates, missing, complete, e.server().count("POST", "/api/v2/tasks"),
              e.server().count("PUT", "/api/v2/tasks/"));

  if (o.sweep) {
    // How the create rate scales with the number in flight (500 creates each), and what the
    // client's default rate limiter does to it.
    const int n = std::min(o.tasks, 500);
    std::printf("\nconcurrency sweep: %d creates each\n", n);
    print_header();
    for (int c : {1, 4, 8, 16, 32}) {
      classic::Client client(io.get_executor(), client_config(e, ca, o.tls, c));
      auto r = run_phase("create", client, io, n, c, [&](int i) -> asio::awaitable<void> {
        classic::TaskCreate t;
        t.task = "sweep task " + std::to_string(c) + "/" + std::to_string(i);
        t.goal_id = classic::GoalId(goal_ids[static_cast<std::size_t>(i) % goal_ids.size()]);
        (void)co_await client.create_task(std::move(t));
      });
      print_row(r);
    }
    auto limited = client_config(e, ca, o.tls, o.concurrency);
    limited.rate_limit_enabled = true;  // the client's default: 6.5 requests/s, burst 10
    classic::Client client(io.get_executor(), limited);
    const int m = std::min(n, 60);
    auto r = run_phase("create, default rate limit", client, io, m, o.concurrency, [&](int i) -> asio::awaitable<void> {
      classic::TaskCreate t;
      t.task = "limited task " + std::to_string(i);
      t.goal_id = classic::GoalId(goal_ids[static_cast<std::size_t>(i) % goal_ids.size()]);
      (void)co_await client.create_task(std::move(t));
    });
    print_row(r);
  }

  e.stop();
  std::filesystem::remove(ca);
  return duplicates == 0 && missing == 0 ? 0 : 1;
}
