// Helpers for the tests that run the Cascade clients against the Cascade emulator.
#pragma once

#include "openapi_validator.hpp"

#include <cascade/classic_client.hpp>
#include <cascade/platform_client.hpp>
#include <wrike_cascade/emulator/cascade_emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>

namespace cascade_emu_test {

namespace asio = boost::asio;
namespace json = boost::json;
namespace emu = wrike_cascade::emulator;
namespace classic = cascade::classic;
namespace platform = cascade::platform;
namespace openapi = wrike_cascade::testing::openapi;
using namespace std::chrono_literals;

// Runs the coroutine make(io) to completion on a fresh io_context; rethrows its exception.
template <class F>
auto run_sync(F&& make) {
  asio::io_context io;
  auto fut = asio::co_spawn(io, make(io), asio::use_future);
  io.run();
  return fut.get();
}

inline std::filesystem::path temp_file(const std::string& stem) {
  static std::atomic<int> n{0};
  return std::filesystem::temp_directory_path() /
         (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".pem");
}

inline const std::optional<openapi::Spec>& classic_spec() {
  static const std::optional<openapi::Spec> s = [] {
    auto f = openapi::reference_file("cascade-openapi-classic-v2.json");
    return f ? std::optional<openapi::Spec>(openapi::Spec::load(*f)) : std::nullopt;
  }();
  return s;
}

inline const std::optional<openapi::Spec>& platform_spec() {
  static const std::optional<openapi::Spec> s = [] {
    auto f = openapi::reference_file("cascade-openapi-nextgen-v4.json");
    return f ? std::optional<openapi::Spec>(openapi::Spec::load(*f)) : std::nullopt;
  }();
  return s;
}

// Validates every request body the emulator received against the operation of the matching
// spec file (Classic for /api/v2, the new platform for /v2), only declared fields allowed.
// Returns how many bodies were checked (0 when the spec files are absent).
// `skip` leaves out bodies a test sends off-spec on purpose.
inline std::size_t expect_bodies_conform(const emu::CascadeEmulator& e,
                                         const std::function<bool(const emu::CascadeBodyRecord&)>& skip = {}) {
  std::size_t checked = 0;
  for (const auto& rec : e.request_bodies()) {
    if (rec.body.empty() || (skip && skip(rec))) continue;
    const bool is_classic = rec.path.starts_with("/api/v2/");
    const auto& spec = is_classic ? classic_spec() : platform_spec();
    if (!spec) continue;
    auto op = spec->match(rec.method, rec.path);
    EXPECT_TRUE(op) << "no operation for " << rec.method << " " << rec.path;
    if (!op) continue;
    boost::system::error_code ec;
    auto body = json::parse(rec.body, ec);
    EXPECT_FALSE(ec) << rec.method << " " << rec.path << ": not JSON: " << rec.body;
    if (ec) continue;
    const auto errors = spec->validate_request_body(op->operation_id, body, {.forbid_undeclared = true});
    EXPECT_TRUE(errors.empty()) << op->operation_id << " " << rec.body << "\n  " << openapi::join(errors);
    ++checked;
  }
  return checked;
}

// An emulator on ephemeral ports with its CA written to a temporary file.
class Emulator {
 public:
  explicit Emulator(emu::CascadeEmulatorOptions o = small_options()) : e(std::move(o)) {
    e.start();
    ca_file = temp_file("cascade-emu-ca");
    e.write_ca_file(ca_file);
  }
  ~Emulator() {
    e.stop();
    std::error_code ec;
    std::filesystem::remove(ca_file, ec);
  }

  static emu::CascadeEmulatorOptions small_options() {
    emu::CascadeEmulatorOptions o;
    o.generator.seed = 7;
    return o;
  }

  classic::ClientConfig classic_config(bool tls = true) const {
    classic::ClientConfig c;
    c.api_url = e.classic_api_url(tls);
    c.token = e.classic_token();
    c.ca_file = ca_file.string();
    c.retry.initial_backoff = 5ms;
    c.retry.max_backoff = 20ms;
    c.rate_limit_enabled = false;
    return c;
  }

  platform::ClientConfig platform_config(bool tls = true) const {
    platform::ClientConfig c;
    c.api_url = e.platform_api_url(tls);
    c.auth = std::make_shared<wrike_cascade::net::StaticBearer>(e.platform_token(),
                                                                "Bearer");
    c.ca_file = ca_file.string();
    c.retry.initial_backoff = 5ms;
    c.retry.max_backoff = 20ms;
    c.rate_limit_enabled = false;
    return c;
  }

  emu::CascadeEmulator e;
  std::filesystem::path ca_file;
};

}  // namespace cascade_emu_test
