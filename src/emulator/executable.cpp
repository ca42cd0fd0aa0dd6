#include "executable.hpp"

#include <boost/json/serialize.hpp>

#include <csignal>
#include <iostream>
#include <limits>
#include <pthread.h>
#include <system_error>
#include <unistd.h>

namespace wrike_cascade::emulator {
namespace {
sigset_t stop_set() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}
}  // namespace

void block_stop_signals() {
  const sigset_t s = stop_set();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}

int run_until_signal(const Executable& e) {
  std::filesystem::path ca_file;
  bool remove_ca = false;
  auto cleanup = [&] {
    if (!remove_ca) return;
    std::error_code ec;
    std::filesystem::remove(ca_file, ec);
  };
  try {
    e.start();
    if (e.ca_file) {
      ca_file = *e.ca_file;
    } else {
      ca_file = std::filesystem::temp_directory_path() / (e.name + "-" + std::to_string(::getpid()) + "-ca.pem");
      remove_ca = true;
    }
    e.write_ca_file(ca_file);
    boost::json::object ready = e.ready_fields();
    ready["ca_file"] = std::filesystem::absolute(ca_file).string();
    std::cout << boost::json::serialize(ready) << std::endl;  // flushes
    const sigset_t s = stop_set();
    int sig = 0;
    sigwait(&s, &sig);
    e.stop();
  } catch (const std::exception& ex) {
    std::cerr << e.name << ": " << ex.what() << "\n";
    cleanup();
    return 1;
  }
  cleanup();
  return 0;
}

std::uint64_t parse_uint(std::string_view flag, std::string_view v, std::uint64_t max) {
  if (v.empty() || v.size() > 20) throw UsageError{std::string(flag) + ": expected a number, got '" + std::string(v) + "'"};
  std::uint64_t x = 0;
  for (char c : v) {
    if (c < '0' || c > '9')
      throw UsageError{std::string(flag) + ": expected a non-negative integer, got '" + std::string(v) + "'"};
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (x > (std::numeric_limits<std::uint64_t>::max() - d) / 10) throw UsageError{std::string(flag) + ": number too large"};
    x = x * 10 + d;
  }
  if (x > max) throw UsageError{std::string(flag) + ": must be at most " + std::to_string(max)};
  return x;
}

}  // namespace wrike_cascade::emulator
