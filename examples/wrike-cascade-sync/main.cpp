// wrike-cascade-sync: the sync app users run. See README.md ("The sync app").
#include "commands.hpp"

#include <wrike_cascade/error.hpp>
#include <wrike_cascade/mapping/jsonc.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <exception>
#include <iostream>

namespace {

constexpr const char* kUsage =
    "usage: wrike-cascade-sync <area> <command> [options]\n"
    "\n"
    "Areas:\n"
    "  wrike     read a Wrike account (spaces, folders, projects, tasks, customfields, workflows, contacts),\n"
    "            log in with OAuth, manage and receive webhooks\n"
    "  cascade   read Cascade: Classic (goals, tasks, issues, updates) and the new platform\n"
    "            (workspaces, plans, measures, actions)\n"
    "  plan      map Wrike onto Cascade with a mapping config and print the plan (writes nothing)\n"
    "\n"
    "Run 'wrike-cascade-sync <area> --help' for the commands of an area.\n"
    "Exit codes: 0 success, 1 the operation failed, 2 bad usage or configuration.\n";

int run_command(std::vector<std::string> rest, const std::string& name, const char* usage);

int run(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty() || a[0] == "--help" || a[0] == "-h" || a[0] == "help") {
    std::cout << kUsage;
    return a.empty() ? 2 : 0;
  }
  const std::string area = a[0];
  if (area == "plan") return run_command(std::vector<std::string>(a.begin() + 1, a.end()), area, app::plan_usage());
  if (area != "wrike" && area != "cascade") {
    std::cerr << "unknown area '" << area << "'\n" << kUsage;
    return 2;
  }
  const char* usage = area == "wrike" ? app::wrike_usage() : app::cascade_usage();
  if (a.size() < 2 || a[1] == "--help" || a[1] == "-h") {
    std::cout << usage;
    return a.size() < 2 ? 2 : 0;
  }
  return run_command(std::vector<std::string>(a.begin() + 2, a.end()), area + " " + a[1], usage);
}

// Runs one command ("wrike spaces", "plan", ...) with its arguments on an io_context.
int run_command(std::vector<std::string> rest, const std::string& name, const char* usage) {
  cli::Args args(std::move(rest), {"json", "verbose", "help", "recursive", "show-noop"});
  if (args.flag("help")) {
    std::cout << usage;
    return 0;
  }
  cli::Context ctx{std::cout, std::cerr, args.flag("json"), args.flag("verbose")};
  const auto space = name.find(' ');
  const std::string area = name.substr(0, space);
  const std::string command = space == std::string::npos ? std::string() : name.substr(space + 1);

  boost::asio::io_context io;
  int code = 1;
  std::exception_ptr failure;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto ec, int) {
    if (!ec) {
      std::cerr << "interrupted\n";
      io.stop();
      code = 130;
    }
  });
  auto job = area == "plan"    ? app::run_plan(args, ctx)
             : area == "wrike" ? app::run_wrike(command, args, ctx)
                               : app::run_cascade(command, args, ctx);
  boost::asio::co_spawn(io, std::move(job), [&](std::exception_ptr e, int rc) {
    failure = e;
    code = rc;
    signals.cancel();
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const cli::UsageError& e) {
    std::cerr << "wrike-cascade-sync: " << e.what() << "\n";
    return 2;
  } catch (const wrike_cascade::mapping::ConfigError& e) {
    std::cerr << "wrike-cascade-sync: the mapping config has " << e.issues().size() << " problem(s):\n"
              << e.what() << "\n";
    return 2;
  } catch (const wrike_cascade::Error& e) {
    std::cerr << "wrike-cascade-sync: " << e.what() << "\n";
    return e.condition() == wrike_cascade::errc::config_error ||
                   e.condition() == wrike_cascade::errc::invalid_argument
               ? 2
               : 1;
  } catch (const std::exception& e) {
    std::cerr << "wrike-cascade-sync: " << e.what() << "\n";
    return 1;
  }
}
