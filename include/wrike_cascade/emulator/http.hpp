// The request and response types of the emulator framework, and its routing hooks.
//
// Handlers are plain synchronous functions `Response(const Request&)`. They run on one of the
// server's I/O threads, so they must be thread-safe and quick (no blocking I/O): latency,
// stalls and broken connections are injected by the framework (faults.hpp), never by handlers.
//
// Nothing here includes Asio or Beast; the network code lives in one translation unit.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wrike_cascade::emulator {

// An ordered list of (name, value) pairs: query parameters, form parameters, headers.
using ParamList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;             // "GET", "POST", ...
  std::string target;             // raw request target, e.g. "/api/v4/tasks?pageSize=10"
  std::string path;               // percent-decoded path, no query, e.g. "/api/v4/tasks"
  std::string query;              // raw query string without '?', still encoded
  ParamList query_params;         // decoded query parameters, in request order
  ParamList form_params;          // decoded body parameters: x-www-form-urlencoded, or the
                                  // members of a JSON object body (strings as-is, any other
                                  // JSON value as its serialized text)
  ParamList headers;              // as received; look up with header() (case-insensitive)
  ParamList path_params;          // values of the route's {param} segments, percent-decoded
  std::string body;               // raw body
  std::string bearer_token;       // from "Authorization: Bearer <t>" (scheme case-insensitive)
                                  // or else from an access_token query/form parameter
  std::string token_label;        // Server::token_label(bearer_token); empty without a token
  std::string remote_address;     // client IP address
  bool tls = false;               // arrived on the HTTPS listener

  // First value of a header, case-insensitive name.
  std::optional<std::string_view> header(std::string_view name) const;
  // First value of a query parameter.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // First value of a parameter from the query, else from the body.
  std::optional<std::string_view> param(std::string_view name) const;
  // Value of a {param} path segment ("" when the route has no such segment).
  std::string_view path_param(std::string_view name) const;
  // Every parameter, query first then body, in order.
  ParamList all_params() const;
};

struct Response {
  int status = 200;
  ParamList headers;  // extra headers; Content-Type/Content-Length are set by the server
  std::string content_type = "application/json; charset=utf-8";
  std::string body;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
  Response& with_header(std::string name, std::string value);
};

using Handler = std::function<Response(const Request&)>;

// Builds the body of every error the framework itself produces: unknown route (404,
// code "method_not_found"), body too large (413, "request_too_large"), rate limit (429,
// "too_many_requests"), a handler that threw (500, "server_error") and error faults. A service
// installs its own so the errors look like that service's (Wrike and Cascade differ).
using ErrorFormatter =
    std::function<Response(int status, std::string_view code, std::string_view description)>;

// Default: {"errorDescription":"...","error":"<code>"} (Wrike's shape).
Response default_error_response(int status, std::string_view code, std::string_view description);

// Percent-decodes; when plus_as_space, '+' becomes ' ' (form/query encoding). Invalid escapes
// are kept literally.
std::string percent_decode(std::string_view s, bool plus_as_space);
// Encodes everything except unreserved characters (RFC 3986).
std::string percent_encode(std::string_view s);
// Parses "a=1&b=x%20y" into decoded pairs ('+' is a space).
ParamList parse_urlencoded(std::string_view s);

}  // namespace wrike_cascade::emulator
