// Internal: the state behind emulator::Server, split so that only server_net.cpp sees Asio and
// Beast. server.cpp holds routing, faults, the rate limiter and the request log.
#pragma once

#include <wrike_cascade/emulator/server.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace wrike_cascade::emulator {

// What the network layer must do with a request.
struct Outcome {
  enum class Action {
    respond,          // write `response`
    reset_mid_body,   // write head + part of the body, then RST
    truncated_body,   // write head + part of the body, then FIN
    stall,            // write nothing, close after `delay`
  };
  Action action = Action::respond;
  Response response;
  std::chrono::milliseconds delay{0};
  bool close = false;  // close the connection after this response
};

struct Runtime;  // server_net.cpp
struct RuntimeDeleter {
  void operator()(Runtime* rt) const noexcept;  // stops and joins first
};
using RuntimePtr = std::unique_ptr<Runtime, RuntimeDeleter>;

struct Server::Impl {
  explicit Impl(ServerOptions o);
  ~Impl();

  // The whole request pipeline except the network; thread-safe.
  Outcome dispatch(Request& req);
  // Response for a body over the limit (413); logs it.
  Outcome too_large(Request& req);

  // ---- routing ----
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" for params
    int literals = 0;
    Handler handler;
  };
  mutable std::shared_mutex routes_mutex;
  std::vector<Route> routes;
  ErrorFormatter error_formatter;

  Response make_error(int status, std::string_view code, std::string_view description) const;

  // ---- faults ----
  struct ActiveFault {
    FaultId id;
    FaultRule rule;
  };
  mutable std::mutex faults_mutex;
  std::vector<ActiveFault> faults;
  FaultId next_fault_id = 1;
  std::chrono::milliseconds default_latency{0};

  // ---- rate limit ----
  mutable std::mutex rate_mutex;
  RateLimitOptions rate;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> rate_hits;

  // ---- log ----
  mutable std::mutex log_mutex;
  std::deque<RequestRecord> log;
  std::uint64_t log_sequence = 0;
  void record(const Request& req, std::chrono::system_clock::time_point t, int status,
              std::string_view fault);

  // ---- network ----
  ServerOptions options;
  RuntimePtr runtime;  // non-null while running
  std::string ca_pem;
  std::uint16_t http_port = 0;
  std::uint16_t https_port = 0;
};

// server_net.cpp
RuntimePtr start_runtime(Server::Impl& impl);  // fills ports and ca_pem

}  // namespace wrike_cascade::emulator
