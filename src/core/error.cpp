#include <wrike_cascade/error.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <string>

namespace wrike_cascade {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "wrike_cascade"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::success: return "success";
      case errc::bad_request: return "bad request";
      case errc::unauthorized: return "not authorized";
      case errc::forbidden: return "forbidden";
      case errc::not_found: return "not found";
      case errc::conflict: return "conflict";
      case errc::unprocessable: return "unprocessable entity";
      case errc::rate_limited: return "rate limited";
      case errc::server_error: return "server error";
      case errc::wrong_host: return "wrong API host for this account";
      case errc::http_status: return "unexpected HTTP status";
      case errc::invalid_response: return "invalid response body";
      case errc::decode_error: return "response does not match the model";
      case errc::timeout: return "timed out";
      case errc::tls_error: return "TLS error";
      case errc::connection_error: return "connection error";
      case errc::cancelled: return "cancelled";
      case errc::invalid_argument: return "invalid argument";
      case errc::body_too_large: return "body too large";
      case errc::config_error: return "configuration error";
    }
    return "unknown wrike_cascade error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

errc errc_from_http_status(int status) noexcept {
  switch (status) {
    case 300: return errc::wrong_host;
    case 400: return errc::bad_request;
    case 401: return errc::unauthorized;
    case 403: return errc::forbidden;
    case 404: return errc::not_found;
    case 409: return errc::conflict;
    case 413: return errc::body_too_large;
    case 422: return errc::unprocessable;
    case 429: return errc::rate_limited;
    default: break;
  }
  if (status >= 500 && status <= 599) return errc::server_error;
  return errc::http_status;
}

Error::Error(boost::system::error_code ec, ErrorDetail detail)
    : boost::system::system_error(ec, format(ec, detail)), detail_(std::move(detail)) {}

Error::Error(errc e, std::string context)
    : Error(make_error_code(e), ErrorDetail{.context = std::move(context)}) {}

std::string Error::format(const boost::system::error_code& ec, const ErrorDetail& d) {
  // what() of system_error appends ": <message>"; we build the part before it.
  std::string out;
  if (!d.method.empty() || !d.url.empty()) {
    out += d.method;
    if (!d.method.empty() && !d.url.empty()) out += ' ';
    out += d.url;
  }
  if (d.http_status != 0 || !d.api_error.empty() || !d.api_description.empty()) {
    if (!out.empty()) out += ": ";
    std::string part;
    if (d.http_status != 0) part = "HTTP " + std::to_string(d.http_status);
    if (!d.api_error.empty()) part += (part.empty() ? "" : " ") + d.api_error;
    if (!d.api_description.empty()) part += (part.empty() ? "" : " ") + ("(" + d.api_description + ")");
    out += part;
  }
  if (!d.context.empty()) {
    if (!out.empty()) out += ": ";
    out += d.context;
  }
  if (d.attempts > 1) out += " [after " + std::to_string(d.attempts) + " attempts]";
  if (d.retry_after) out += " [retry after " + std::to_string(d.retry_after->count()) + " ms]";
  if (!d.request_id.empty()) out += " [request id " + d.request_id + "]";
  (void)ec;
  return out;
}

std::string redact_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return std::string(url.substr(0, url.find('?')));
  boost::urls::url u(*parsed);
  if (u.has_userinfo()) u.remove_userinfo();
  static constexpr std::array<std::string_view, 8> secret_keys{
      "access_token", "token", "secret", "code", "refresh_token", "client_secret",
      "password", "api_key"};
  for (auto it = u.params().begin(); it != u.params().end(); ++it) {
    auto p = *it;
    for (auto k : secret_keys) {
      if (p.key == k) {
        it = u.params().replace(it, {p.key, "REDACTED"});
        break;
      }
    }
  }
  return std::string(u.buffer());
}

}  // namespace wrike_cascade
