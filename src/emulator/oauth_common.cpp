// See oauth_common.hpp.
#include "oauth_common.hpp"
#include <wrike_cascade/ascii.hpp>

#include <boost/json.hpp>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace wrike_cascade::emulator::shared {

namespace json = boost::json;

std::string random_token(std::size_t length) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  unsigned char buf[64];
  while (out.size() < length) {
    if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("emulator: RAND_bytes failed");
    for (unsigned char b : buf)
      if (b < 248 && out.size() < length) out += alphabet[b % 62];  // 248 = 4 * 62: unbiased
  }
  return out;
}

Response oauth_error(int status, std::string_view code, std::string_view description) {
  json::object o;
  o["error"] = code;
  o["error_description"] = description;
  Response r = Response::json(status, json::serialize(o));
  r.with_header("Cache-Control", "no-store");
  return r;
}

Response auth_page(std::string_view title, int status, std::string_view message) {
  std::string html = "<!DOCTYPE html><html><head><title>";
  html += title;
  html += "</title></head><body><h1>";
  html += std::to_string(status) + "</h1><p>";
  for (char c : message) {
    if (c == '<') html += "&lt;";
    else if (c == '>') html += "&gt;";
    else if (c == '&') html += "&amp;";
    else html += c;
  }
  html += "</p></body></html>\n";
  Response r = Response::text(status, std::move(html));
  r.content_type = "text/html; charset=utf-8";
  return r;
}

std::string with_query(std::string uri, const ParamList& params) {
  if (auto hash = uri.find('#'); hash != std::string::npos) uri.resize(hash);  // fragments are dropped
  char sep = uri.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    uri += sep;
    uri += percent_encode(k) + "=" + percent_encode(v);
    sep = '&';
  }
  return uri;
}

bool is_http_url(std::string_view u) { return u.starts_with("https://") || u.starts_with("http://"); }

std::optional<std::pair<std::string, std::string>> basic_auth(const Request& r) {
  auto h = r.header("Authorization");
  if (!h || h->size() < 6) return std::nullopt;
  std::string_view v = *h;
  if (!wrike_cascade::ascii_iequals(v.substr(0, 6), "basic ")) return std::nullopt;
  v.remove_prefix(6);
  static constexpr std::string_view b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string decoded;
  unsigned acc = 0;
  int bits = 0;
  for (char c : v) {
    if (c == '=' || c == ' ') continue;
    auto pos = b64.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      decoded += static_cast<char>((acc >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::pair{percent_decode(decoded.substr(0, colon), true), percent_decode(decoded.substr(colon + 1), true)};
}

}  // namespace wrike_cascade::emulator::shared
