// Fault injection for the emulator framework.
//
// A Server holds an ordered list of FaultRule. For each request the rules are checked in the
// order they were added; a rule matches when its method (if any) equals the request method and
// the request path starts with its path_prefix (if any), and it still has uses left:
//   * every matching `latency` rule adds its delay (and uses one of its `times`);
//   * the first matching rule of any other kind decides the outcome (and uses one of its
//     `times`); later rules are not consulted.
// A rule with times == FaultRule::unlimited never runs out. Rules are thread-safe to add and
// remove while the server runs. Faulted requests are recorded in the request log (with the
// fault's name) and do not count against the rate limit.
//
// Kinds:
//   latency         - delay the (otherwise normal) response by `delay`
//   http_status     - answer `status` with `body` (empty: the service's error body for that
//                     status) and `Retry-After: retry_after` when set
//   too_many_requests - answer 429 too_many_requests, with Retry-After only when retry_after
//                     is set (the real Wrike sends none)
//   reset_mid_body  - run the handler, send the status line, headers and about half of the
//                     body, then reset the TCP connection (RST, SO_LINGER 0)
//   truncated_body  - like reset_mid_body but the connection is closed gracefully (FIN): the
//                     Content-Length promised more than was sent
//   malformed_body  - answer 200 with a body that is not valid JSON
//   stall           - send nothing for `delay`, then close the connection without a response
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wrike_cascade::emulator {

enum class FaultKind {
  latency,
  http_status,
  too_many_requests,
  reset_mid_body,
  truncated_body,
  malformed_body,
  stall,
};

std::string_view to_string(FaultKind k) noexcept;

struct FaultRule {
  static constexpr int unlimited = -1;

  FaultKind kind = FaultKind::http_status;
  std::optional<std::string> method;      // e.g. "GET"; nullopt = any method
  std::string path_prefix;                // e.g. "/api/v4/tasks"; empty = any path
  int times = 1;                          // matching requests affected; unlimited = forever
  std::chrono::milliseconds delay{0};     // latency and stall
  int status = 500;                       // http_status
  std::string body;                       // http_status; empty = the service's error body
  std::optional<std::chrono::seconds> retry_after;  // http_status, too_many_requests

  // Factories.
  static FaultRule latency(std::chrono::milliseconds d);
  static FaultRule http_status(int status, std::string body = {});
  static FaultRule too_many_requests(std::optional<std::chrono::seconds> retry_after = {});
  static FaultRule reset_mid_body();
  static FaultRule truncated_body();
  static FaultRule malformed_body();
  static FaultRule stall(std::chrono::milliseconds d);

  // Chainable refinements: FaultRule::http_status(503).on("GET", "/api/v4/tasks").repeat(2)
  FaultRule& on(std::optional<std::string> method_, std::string path_prefix_);
  FaultRule& repeat(int n);
  FaultRule& forever();
  FaultRule& with_retry_after(std::chrono::seconds s);
};

using FaultId = std::uint64_t;

}  // namespace wrike_cascade::emulator
