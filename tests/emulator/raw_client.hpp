// A deliberately small HTTP/1.1 client for the emulator tests, on raw Beast (not the SDK's
// client): plain HTTP or HTTPS with peer and host-name verification against a given CA,
// keep-alive, and a per-request timeout. The Beast code lives in raw_client.cpp only.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/system/error_code.hpp>

namespace emutest {

struct RawResponse {
  int status = 0;                                           // 0 when no header arrived
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                                         // what arrived (maybe partial)
  boost::system::error_code error;                          // transport/TLS/parse error
  std::chrono::milliseconds elapsed{0};

  std::optional<std::string> header(std::string_view name) const;
  boost::json::value json() const;  // throws when the body is not JSON
  bool ok() const { return !error && status == 200; }
};

struct RawClientOptions {
  std::string ca_pem;                                // trust anchor for https
  std::string verify_host;                           // default: the URL's host
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

class RawClient {
 public:
  // base_url: "http://127.0.0.1:PORT" or "https://host:PORT"
  explicit RawClient(std::string base_url, RawClientOptions options = {});
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // GET with "Authorization: bearer <token>" when token is non-empty.
  RawResponse get(std::string_view target, std::string_view token = {});
  RawResponse request(std::string_view method, std::string_view target,
                      std::vector<std::pair<std::string, std::string>> headers = {},
                      std::string body = {});
  std::size_t connections_opened() const;
  void set_timeout(std::chrono::milliseconds t);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Beast's error codes, so tests need not include Beast.
boost::system::error_code timeout_error();          // beast::error::timeout
boost::system::error_code partial_message_error();  // beast::http::error::partial_message

// URL-encodes a query value (JSON text for Wrike params).
std::string enc(std::string_view s);

}  // namespace emutest
