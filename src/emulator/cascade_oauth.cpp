// The new Cascade platform's OAuth 2.0 server, shaped like Auth0 (cascade-api.md §4.1:
// /authorize and /oauth/token, scopes "openid profile email offline_access"): the
// authorization-code flow with single-use codes, expiring access tokens and rotating refresh
// tokens. Same approach as the Wrike emulator's OAuth server, with Auth0's paths, token
// response (id_token, scope, "Bearer") and errors (invalid_grant is 403).
#include "cascade_internal.hpp"

#include <algorithm>
#include <sstream>

namespace wrike_cascade::emulator::cascade_detail {

namespace {

using shared::basic_auth;
using shared::is_http_url;
using shared::oauth_error;
using shared::with_query;

Response page(int status, std::string_view message) {
  return shared::auth_page("Cascade emulator: authorization", status, message);
}

bool has_scope(std::string_view scope, std::string_view want) {
  std::istringstream in{std::string(scope)};
  std::string s;
  while (in >> s)
    if (s == want) return true;
  return false;
}

std::string b64url(std::string_view s) {
  static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (unsigned char c : s) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out += t[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += t[(acc << (6 - bits)) & 63];
  return out;
}

}  // namespace

OAuth::OAuth(CascadeOAuthOptions options) : options_(std::move(options)) {}

void OAuth::install(Server& server) {
  server.route("GET", "/authorize", [this](const Request& r) { return authorize(r); });
  server.route("POST", "/oauth/token", [this](const Request& r) { return token(r); });
}

const CascadeOAuthClient* OAuth::client(std::string_view id) const {
  for (const auto& c : options_.clients)
    if (c.id == id) return &c;
  return nullptr;
}

Response OAuth::authorize(const Request& r) {
  const auto client_id = r.query_param("client_id");
  const auto response_type = r.query_param("response_type");
  const auto redirect = r.query_param("redirect_uri");
  const auto state = r.query_param("state");
  const std::string scope(r.query_param("scope").value_or("openid"));

  std::lock_guard lock(mutex_);
  if (!client_id || client_id->empty()) return page(400, "client_id is required");
  const CascadeOAuthClient* c = client(*client_id);
  if (!c) return page(400, "Unknown client_id '" + std::string(*client_id) + "'");
  std::string target;
  if (redirect) {
    if (!is_http_url(*redirect)) return page(400, "redirect_uri must be an http(s) URL");
    if (!c->redirect_uris.empty() &&
        std::find(c->redirect_uris.begin(), c->redirect_uris.end(), *redirect) == c->redirect_uris.end())
      return page(400, "Callback URL mismatch: '" + std::string(*redirect) + "' is not in the application's Allowed Callback URLs");
    target = std::string(*redirect);
  } else if (!c->redirect_uris.empty()) {
    target = c->redirect_uris.front();
  } else {
    return page(400, "redirect_uri is required: the application has none registered");
  }
  auto finish = [&](ParamList params) {
    if (state) params.emplace_back("state", std::string(*state));
    Response res = page(302, "Redirecting to the application");
    res.with_header("Location", with_query(target, params));
    res.with_header("Cache-Control", "no-store");
    return res;
  };
  if (response_type.value_or("") != "code")
    return finish({{"error", "unsupported_response_type"},
                   {"error_description", "Unsupported response type: only response_type=code is enabled"}});
  if (options_.deny) {
    ++counters_.denials;
    return finish({{"error", "access_denied"}, {"error_description", "The user denied access"}});
  }
  const std::string code = random_token(32);
  codes_[code] = Code{c->id, redirect ? std::optional<std::string>(std::string(*redirect)) : std::nullopt, scope,
                      Clock::now() + options_.code_ttl, false};
  ++counters_.authorizations;
  return finish({{"code", code}});
}

Response OAuth::issue(const std::string& client_id, const std::string& scope) {
  const std::string access = random_token(48);
  access_[access] = Clock::now() + options_.access_token_ttl;
  ++counters_.tokens_issued;
  if (access_.size() > 10000) {
    const auto cutoff = Clock::now() - std::chrono::hours(1);
    std::erase_if(access_, [&](const auto& kv) { return kv.second < cutoff; });
  }
  json::object o;
  o["access_token"] = access;
  if (has_scope(scope, "offline_access")) {
    const std::string refresh = random_token(48);
    refresh_[refresh] = Refresh{client_id, scope, false};
    o["refresh_token"] = refresh;
  }
  if (has_scope(scope, "openid")) {
    // An unsigned, JWT-shaped ID token (the emulator is not an identity provider).
    const std::string header = b64url(R"({"alg":"none","typ":"JWT"})");
    const std::string payload = b64url(R"({"sub":"auth0|cascade-emulator-user","name":"Emulated User","email":"user@example.com"})");
    o["id_token"] = header + "." + payload + ".";
  }
  o["scope"] = scope;
  o["expires_in"] = options_.access_token_ttl.count();
  o["token_type"] = "Bearer";
  Response res = json_response(200, o);
  res.with_header("Cache-Control", "no-store");
  res.with_header("Pragma", "no-cache");
  return res;
}

Response OAuth::token(const Request& r) {
  const auto grant = r.param("grant_type");
  std::string client_id(r.param("client_id").value_or(""));
  std::string client_secret(r.param("client_secret").value_or(""));
  if (auto basic = basic_auth(r); basic && client_id.empty()) {
    client_id = basic->first;
    client_secret = basic->second;
  }
  std::lock_guard lock(mutex_);
  if (!grant || grant->empty()) return oauth_error(400, "invalid_request", "Missing required parameter: grant_type");
  if (*grant != "authorization_code" && *grant != "refresh_token")
    return oauth_error(400, "unsupported_grant_type", "Unsupported grant type: " + std::string(*grant));
  if (client_id.empty()) return oauth_error(401, "access_denied", "Unauthorized: missing client_id");
  const CascadeOAuthClient* c = client(client_id);
  if (!c || c->secret != client_secret) {
    ++counters_.invalid_clients;
    return oauth_error(401, "access_denied", "Unauthorized: unknown client or wrong client_secret");
  }
  auto invalid_grant = [&](std::string_view why) {
    ++counters_.invalid_grants;
    return oauth_error(403, "invalid_grant", why);
  };
  if (*grant == "authorization_code") {
    const auto code = r.param("code");
    if (!code || code->empty()) return oauth_error(400, "invalid_request", "Missing required parameter: code");
    auto it = codes_.find(std::string(*code));
    if (it == codes_.end()) return invalid_grant("Invalid authorization code");
    Code& k = it->second;
    if (k.used) return invalid_grant("Invalid authorization code (already used)");
    if (Clock::now() >= k.expires) return invalid_grant("Invalid authorization code (expired)");
    if (k.client_id != c->id) return invalid_grant("Invalid authorization code (issued to another client)");
    const auto redirect = r.param("redirect_uri");
    if (k.redirect_uri && (!redirect || *redirect != *k.redirect_uri))
      return invalid_grant("redirect_uri does not match the one of the authorization request");
    k.used = true;
    ++counters_.code_exchanges;
    return issue(c->id, k.scope);
  }
  const auto refresh = r.param("refresh_token");
  if (!refresh || refresh->empty()) return oauth_error(400, "invalid_request", "Missing required parameter: refresh_token");
  auto it = refresh_.find(std::string(*refresh));
  if (it == refresh_.end()) return invalid_grant("Unknown or invalid refresh token.");
  if (it->second.rotated) {
    ++counters_.refresh_reuse_attempts;
    return invalid_grant("Unknown or invalid refresh token. (it was rotated: refresh tokens are single-use)");
  }
  if (it->second.client_id != c->id) return invalid_grant("Unknown or invalid refresh token.");
  it->second.rotated = true;
  ++counters_.refreshes;
  return issue(c->id, it->second.scope);
}

OAuth::Check OAuth::check(std::string_view token) {
  std::lock_guard lock(mutex_);
  auto it = access_.find(std::string(token));
  if (it == access_.end()) return Check::unknown;
  if (Clock::now() < it->second) return Check::ok;
  ++counters_.expired_token_rejections;
  return Check::expired;
}

void OAuth::add_client(CascadeOAuthClient c) {
  std::lock_guard lock(mutex_);
  std::erase_if(options_.clients, [&](const CascadeOAuthClient& x) { return x.id == c.id; });
  options_.clients.push_back(std::move(c));
}

void OAuth::set_deny(bool deny) {
  std::lock_guard lock(mutex_);
  options_.deny = deny;
}

void OAuth::set_access_token_ttl(std::chrono::seconds ttl) {
  std::lock_guard lock(mutex_);
  options_.access_token_ttl = ttl;
}

void OAuth::expire_access_tokens() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto& [k, v] : access_) v = std::min(v, now);
}

CascadeOAuthCounters OAuth::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void OAuth::reset_counters() {
  std::lock_guard lock(mutex_);
  counters_ = {};
}

}  // namespace wrike_cascade::emulator::cascade_detail
