// Private: what every emulator executable does after parsing its flags, written once.
#pragma once

#include <wrike_cascade/emulator/server.hpp>

#include <boost/json/object.hpp>

#include <chrono>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
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

// An emulator's command line, one flag at a time: "--name value" or "--name=value" (an empty
// "--name=" is an empty value, not a reason to take the next argument).
class FlagReader {
 public:
  FlagReader(int argc, char** argv) : argc_(argc), argv_(argv) {}
  bool next();                               // to the next argument; false after the last
  std::string_view flag() const { return flag_; }  // "--name", without "=value"
  std::string_view arg() const { return argv_[i_]; }  // the argument as given
  std::string_view value();                  // UsageError "--name: missing value"
  std::uint64_t number(std::uint64_t max) { return parse_uint(flag_, value(), max); }
  int count() { return static_cast<int>(number(1'000'000)); }

 private:
  int argc_;
  char** argv_;
  int i_ = 0;
  std::string_view flag_;
  std::string inline_value_;
  bool has_inline_ = false;
};

// "--oauth-client ID:SECRET[:REDIRECT_URI]", for either emulator's OAuth client type.
template <class Client>
Client parse_oauth_client(std::string_view v) {
  const auto c1 = v.find(':');
  if (c1 == std::string_view::npos || c1 == 0 || c1 + 1 >= v.size())
    throw UsageError{"--oauth-client: expected ID:SECRET[:REDIRECT_URI]"};
  Client c;
  c.id = std::string(v.substr(0, c1));
  const auto c2 = v.find(':', c1 + 1);
  c.secret = std::string(v.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1));
  if (c.secret.empty()) throw UsageError{"--oauth-client: empty secret"};
  if (c2 != std::string_view::npos) {
    std::string uri(v.substr(c2 + 1));
    if (!uri.starts_with("http://") && !uri.starts_with("https://"))
      throw UsageError{"--oauth-client: the redirect URI must be an http(s) URL"};
    c.redirect_uris.push_back(std::move(uri));
  }
  return c;
}

// "--access-token-ttl S": at least one second, at most ten years.
std::chrono::seconds access_token_ttl(FlagReader& r);

// What both emulators' command lines share: --help, --dump-data, --ca-file and the server
// flags (--http-port, --https-port, --threads, --latency-ms, --rate-limit, --cert-hostname,
// repeatable).
struct CommonFlags {
  bool help = false;
  std::optional<std::filesystem::path> ca_file;
  std::optional<std::filesystem::path> dump;
  bool hosts_given = false;
};
// Reads the current flag when it is one of the common ones; false otherwise.
bool read_common_flag(FlagReader& r, ServerOptions& server, CommonFlags& common);

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

// The rest of an emulator's main() once its flags are parsed: --help prints `usage`;
// otherwise the emulator is built from `options` and either dumps its data (--dump-data) or
// serves until a signal, printing `ready(emulator)` plus "ca_file" as its ready line.
template <class Emulator, class Options, class Ready>
int serve(const char* name, const char* usage, const CommonFlags& flags, const Options& options, Ready ready) {
  if (flags.help) {
    std::cout << usage;
    return 0;
  }
  block_stop_signals();  // before any emulator thread starts
  try {
    Emulator emulator(options);
    if (flags.dump) {
      emulator.store().save(*flags.dump);
      std::cerr << name << ": data written to " << flags.dump->string() << "\n";
      return 0;
    }
    Executable exe;
    exe.name = name;
    exe.ca_file = flags.ca_file;
    exe.start = [&] { emulator.start(); };
    exe.write_ca_file = [&](const std::filesystem::path& p) { emulator.write_ca_file(p); };
    exe.ready_fields = [&] { return ready(emulator); };
    exe.stop = [&] { emulator.stop(); };
    return run_until_signal(exe);
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace wrike_cascade::emulator
