// The `cascade` area of wrike-cascade-sync, with main()'s argument handling and exit codes
// (examples/wrike-cascade-sync/main.cpp), so the CLI test runs the commands as a user would
// whether or not the app's main() has the area wired in yet.
#include "cli.hpp"

#include <wrike_cascade/error.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

namespace app {
const char* cascade_usage();
boost::asio::awaitable<int> run_cascade(const std::string& command, const cli::Args& args, cli::Context& ctx);
}  // namespace app

namespace {

int run(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty() || a[0] != "cascade") {
    std::cerr << "usage: cascade-cli-driver cascade <command> [options]\n";
    return 2;
  }
  if (a.size() < 2 || a[1] == "--help" || a[1] == "-h") {
    std::cout << app::cascade_usage();
    return a.size() < 2 ? 2 : 0;
  }
  const std::string command = a[1];
  cli::Args args(std::vector<std::string>(a.begin() + 2, a.end()), {"json", "verbose", "help", "recursive"});
  if (args.flag("help")) {
    std::cout << app::cascade_usage();
    return 0;
  }
  cli::Context ctx{std::cout, std::cerr, args.flag("json"), args.flag("verbose")};
  boost::asio::io_context io;
  int code = 1;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, app::run_cascade(command, args, ctx), [&](std::exception_ptr e, int rc) {
    failure = e;
    code = rc;
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
  } catch (const wrike_cascade::Error& e) {
    std::cerr << "wrike-cascade-sync: " << e.what() << "\n";
    return e.condition() == wrike_cascade::errc::config_error || e.condition() == wrike_cascade::errc::invalid_argument ? 2
                                                                                                                          : 1;
  } catch (const std::exception& e) {
    std::cerr << "wrike-cascade-sync: " << e.what() << "\n";
    return 1;
  }
}
