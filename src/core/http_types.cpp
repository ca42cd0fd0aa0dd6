#include <wrike_cascade/net/http.hpp>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <strings.h>

namespace wrike_cascade::net {

std::string Params::encode() const {
  std::string out;
  // Form encoding: unreserved characters pass, everything else is %-encoded.
  boost::urls::encoding_opts opts;
  opts.space_as_plus = false;
  for (const auto& [k, v] : items_) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(k, boost::urls::unreserved_chars, opts);
    out += '=';
    out += boost::urls::encode(v, boost::urls::unreserved_chars, opts);
  }
  return out;
}

bool Request::is_idempotent() const noexcept {
  if (idempotent) return *idempotent;
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

const std::string* Response::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && ::strncasecmp(k.data(), name.data(), k.size()) == 0) return &v;
  }
  return nullptr;
}

std::chrono::milliseconds RetryPolicy::backoff(int attempt, double unit_random) const noexcept {
  // attempt 2 waits up to initial_backoff, attempt 3 up to initial*multiplier, ...
  const double exp = std::pow(multiplier, std::max(0, attempt - 2));
  const double cap = std::min<double>(static_cast<double>(max_backoff.count()),
                                      static_cast<double>(initial_backoff.count()) * exp);
  // "Equal jitter": half fixed, half random, so waits never collapse to zero.
  const double wait = cap / 2 + (cap / 2) * std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(wait));
}

void decode_common_error_body(const boost::json::value& body, ErrorDetail& detail) {
  const auto* obj = body.if_object();
  if (!obj) return;
  auto str = [](const boost::json::value* v) -> std::string {
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    return {};
  };
  if (const auto* err = obj->if_contains("error")) {
    if (err->is_string()) {
      detail.api_error = std::string(err->get_string());
    } else if (const auto* eo = err->if_object()) {
      detail.api_error = str(eo->if_contains("code"));
      detail.api_description = str(eo->if_contains("message"));
    }
  }
  if (detail.api_description.empty()) detail.api_description = str(obj->if_contains("errorDescription"));
  if (detail.api_description.empty()) detail.api_description = str(obj->if_contains("message"));
  if (detail.api_description.empty()) {
    if (const auto* errs = obj->if_contains("errors"); errs && errs->is_array()) {
      std::string joined;
      for (const auto& e : errs->get_array()) {
        std::string m = e.is_string() ? std::string(e.get_string())
                        : e.is_object() ? str(e.get_object().if_contains("message"))
                                        : std::string{};
        if (m.empty()) continue;
        if (!joined.empty()) joined += "; ";
        joined += m;
      }
      detail.api_description = joined;
    }
  }
  // Keep error text bounded: a hostile or broken server must not flood logs.
  if (detail.api_description.size() > 500) {
    detail.api_description.resize(500);
    detail.api_description += "...";
  }
}

std::string credential_key(std::string_view secret) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(secret.data(), secret.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < 8 && i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

StaticBearer::StaticBearer(std::string token, std::string scheme)
    : header_(scheme + " " + token), key_(credential_key(token)) {}

boost::asio::awaitable<std::string> StaticBearer::authorization() { co_return header_; }

}  // namespace wrike_cascade::net
