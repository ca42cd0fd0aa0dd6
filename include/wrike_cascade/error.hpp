// Errors shared by every wrike-cascade component.
//
// Every failure is a boost::system::error_code in the wrike_cascade category, and where the
// caller needs more (HTTP status, the API's own error code and text, Retry-After, the request
// id, how many attempts were made) a wrike_cascade::Error exception carries both. Asynchronous
// operations complete with std::exception_ptr holding such an Error, so `use_awaitable` and
// `use_future` rethrow it and callbacks can rethrow and catch it.
//
// No error text ever contains an access token or a secret: URLs are stored redacted.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace wrike_cascade {

enum class errc {
  success = 0,
  bad_request = 1,         // HTTP 400 (Wrike: invalid_request, invalid_parameter, parameter_required)
  unauthorized,            // HTTP 401 (not_authorized)
  forbidden,               // HTTP 403 (access_forbidden, not_allowed)
  not_found,               // HTTP 404 (resource_not_found, method_not_found)
  conflict,                // HTTP 409
  unprocessable,           // HTTP 422
  rate_limited,            // HTTP 429 (too_many_requests, rate_limit_exceeded)
  server_error,            // HTTP 5xx
  wrong_host,              // HTTP 300 from Wrike: the account lives on another host
  http_status,             // any other unexpected HTTP status
  invalid_response,        // body is not JSON, truncated, or not the documented envelope
  decode_error,            // JSON did not match the typed model
  timeout,                 // connect or whole-request deadline passed
  tls_error,               // handshake failed: certificate, host name, protocol
  connection_error,        // resolve/connect/read/write failed
  cancelled,               // the caller cancelled the operation
  invalid_argument,        // the caller passed something the API cannot take
  body_too_large,          // a response or request body exceeded its bound
  config_error,            // bad configuration (environment, files)
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// Maps an HTTP status to the errc a caller would branch on.
errc errc_from_http_status(int status) noexcept;

// Whatever is known about a failed request beyond the error code.
struct ErrorDetail {
  int http_status = 0;             // 0 when no response arrived
  std::string api_error;           // the service's own error code, e.g. Wrike "invalid_request"
  std::string api_description;     // the service's own error text ("errorDescription")
  std::optional<std::chrono::milliseconds> retry_after;  // from Retry-After, when sent
  std::string request_id;          // from a request-id response header, when sent
  std::string method;              // e.g. "GET"
  std::string url;                 // redacted: no credentials, no access_token parameter
  int attempts = 0;                // how many times the request was sent
  std::string context;             // free text: what was being done, which field was wrong
};

class Error : public boost::system::system_error {
 public:
  Error(boost::system::error_code ec, ErrorDetail detail);
  Error(errc e, std::string context);

  const ErrorDetail& detail() const noexcept { return detail_; }
  errc condition() const noexcept { return static_cast<errc>(code().value()); }

 private:
  static std::string format(const boost::system::error_code& ec, const ErrorDetail& d);
  ErrorDetail detail_;
};

// Removes userinfo and any access_token/token/secret/code/refresh_token/client_secret query
// parameter values from a URL so it can go into logs and error text.
std::string redact_url(std::string_view url);

}  // namespace wrike_cascade

namespace boost::system {
template <>
struct is_error_code_enum<wrike_cascade::errc> : std::true_type {};
}  // namespace boost::system
