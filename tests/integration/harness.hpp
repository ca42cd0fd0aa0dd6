// Helpers for tests that talk to the emulator through the real network path.
#pragma once

#include <wrike/client.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace wrike_cascade::testing {

namespace emu = wrike_cascade::emulator;

inline std::filesystem::path temp_file(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("wc-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

// Runs one coroutine to completion on a fresh io_context and returns its result.
template <class F>
auto run_sync(F&& make) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(io, make(io), boost::asio::use_future);
  io.run();
  return fut.get();
}

struct EmulatorFixture {
  explicit EmulatorFixture(emu::WrikeEmulatorOptions o = small_options()) : emulator(std::move(o)) {
    emulator.start();
    ca_file = temp_file("ca-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".pem").string();
    emulator.write_ca_file(ca_file);
  }
  ~EmulatorFixture() { emulator.stop(); }

  static emu::WrikeEmulatorOptions small_options() {
    emu::WrikeEmulatorOptions o;
    o.generator.seed = 11;
    o.generator.spaces = 2;
    o.generator.projects_per_space = 3;
    o.generator.tasks_per_project = 6;
    o.generator.subtasks_per_task = 1;
    o.generator.contacts = 10;
    o.server.rate_limit.max_requests = 0;  // tests of the limiter turn it on themselves
    return o;
  }

  wrike::ClientConfig config(bool tls = true) const {
    wrike::ClientConfig c;
    c.api_url = emulator.api_url(tls);
    c.token = emulator.token();
    c.ca_file = ca_file;
    c.retry.initial_backoff = std::chrono::milliseconds(20);
    c.retry.max_backoff = std::chrono::milliseconds(200);
    c.rate_limit_enabled = false;
    c.log = [this](const net::LogRecord& r) {
      std::lock_guard lock(log_mutex);
      log_lines.push_back(r.method + " " + r.url + " " + std::to_string(r.status) + " " + r.note);
    };
    return c;
  }

  emu::WrikeEmulator emulator;
  std::string ca_file;
  mutable std::mutex log_mutex;
  mutable std::vector<std::string> log_lines;
};

}  // namespace wrike_cascade::testing
