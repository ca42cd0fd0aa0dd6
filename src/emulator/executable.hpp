// Private: what every emulator executable does after parsing its flags, written once.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wrike_cascade::emulator {

// A mistake on an emulator's command line: printed with the usage, exit code 2.
struct UsageError {
  std::string message;
};

// A flag's value as a non-negative integer at most `max`; UsageError naming the flag otherwise.
std::uint64_t parse_uint(std::string_view flag, std::string_view v, std::uint64_t max);

// Blocks SIGINT and SIGTERM in this thread (and in every thread started after), so that only
// run_until_signal() sees them. Call first thing in main(), before any emulator exists.
void block_stop_signals();

struct Executable {
  std::string name;                                  // for messages, e.g. "wrike-emulator"
  std::optional<std::filesystem::path> ca_file;      // where to write the CA; a temp file if unset
  std::function<void()> start;
  std::function<void(const std::filesystem::path&)> write_ca_file;
  std::function<boost::json::object()> ready_fields; // printed with "ca_file" as one JSON line
  std::function<void()> stop;
};

// Starts, writes the CA file, prints the ready line, waits for SIGINT/SIGTERM, stops and
// removes a temporary CA file. Returns the exit code (1 when starting failed, with a message).
int run_until_signal(const Executable& e);

}  // namespace wrike_cascade::emulator
