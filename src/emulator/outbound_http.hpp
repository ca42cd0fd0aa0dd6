// Internal: a small outbound HTTP(S) client for the emulators (webhook handshakes and
// deliveries). One request per connection, a whole-request timeout, TLS with peer and host-name
// verification (the system trust store plus extra PEM anchors). Blocking: post() runs its own
// io_context on the calling thread. Asio and Beast stay inside outbound_http.cpp.
#pragma once

#include <wrike_cascade/emulator/http.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wrike_cascade::emulator::detail {

struct OutboundResult {
  int status = 0;        // 0: no response (see error)
  ParamList headers;
  std::string body;      // at most OutboundOptions::max_response_bytes
  std::string error;     // transport/TLS/timeout error; empty when a response arrived
  std::chrono::milliseconds elapsed{0};

  std::optional<std::string_view> header(std::string_view name) const;
};

struct OutboundOptions {
  std::string ca_pem;                                      // extra trust anchors (PEM)
  std::chrono::milliseconds timeout{std::chrono::seconds(5)};  // connect + TLS + write + read
  std::size_t max_response_bytes = 64 * 1024;
  std::string user_agent = "wrike-cascade-emulator";
};

class OutboundHttp {
 public:
  explicit OutboundHttp(OutboundOptions options);
  ~OutboundHttp();
  OutboundHttp(const OutboundHttp&) = delete;
  OutboundHttp& operator=(const OutboundHttp&) = delete;

  // POSTs `body` to an http:// or https:// URL. Never throws for network errors (see error).
  OutboundResult post(std::string_view url, const ParamList& headers, std::string body,
                      std::string_view content_type = "application/json");
  // Thread-safe: aborts the request in progress and makes later ones fail at once.
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::emulator::detail
