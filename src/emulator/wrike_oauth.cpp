// The Wrike emulator's OAuth 2.0 authorization server (wrike-api.md §2): the authorization-code
// flow with single-use, short-lived codes, expiring access tokens and rotating refresh tokens.
// Errors use OAuth's own shape: {"error":..,"error_description":..}.
#include "oauth_common.hpp"
#include "wrike_internal.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace wrike_cascade::emulator::detail {

namespace json = boost::json;

namespace {

using shared::basic_auth;
using shared::is_http_url;
using shared::oauth_error;
using shared::with_query;

Response page(int status, std::string_view message) {
  return shared::auth_page("Wrike emulator: authorization", status, message);
}

}  // namespace

OAuthService::OAuthService(OAuthOptions options) : options_(std::move(options)) {}

void OAuthService::install(Server& server) {
  server_ = &server;
  server.route("GET", "/oauth2/authorize/v4", [this](const Request& r) { return authorize(r); });
  server.route("POST", "/oauth2/token", [this](const Request& r) { return token(r); });
}

const OAuthClient* OAuthService::client(std::string_view id) const {
  for (const auto& c : options_.clients)
    if (c.id == id) return &c;
  return nullptr;
}

Response OAuthService::authorize(const Request& r) {
  const auto client_id = r.query_param("client_id");
  const auto response_type = r.query_param("response_type");
  const auto redirect = r.query_param("redirect_uri");
  const auto state = r.query_param("state");
  const std::string scope(r.query_param("scope").value_or(""));

  std::lock_guard lock(mutex_);
  if (!client_id || client_id->empty()) return page(400, "client_id is required");
  const OAuthClient* c = client(*client_id);
  if (!c) return page(400, "Unknown client_id '" + std::string(*client_id) + "'");
  // Where to send the user back: never to an unregistered URI (errors before this point are
  // shown as a page, as OAuth requires).
  std::string target;
  if (redirect) {
    if (!is_http_url(*redirect)) return page(400, "redirect_uri must be an http(s) URL");
    if (!c->redirect_uris.empty() &&
        std::find(c->redirect_uris.begin(), c->redirect_uris.end(), *redirect) == c->redirect_uris.end())
      return page(400, "redirect_uri '" + std::string(*redirect) + "' does not match the application's registration");
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
                   {"error_description", "Only response_type=code is supported"}});
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

Response OAuthService::issue(const std::string& client_id, const std::string& scope) {
  const std::string access = random_token(40);
  const std::string refresh = random_token(48);
  access_[access] = Clock::now() + options_.access_token_ttl;
  refresh_[refresh] = Refresh{client_id, scope, false};
  ++counters_.tokens_issued;
  // Forget long-expired access tokens now and then.
  if (access_.size() > 10000) {
    const auto cutoff = Clock::now() - std::chrono::hours(1);
    std::erase_if(access_, [&](const auto& kv) { return kv.second < cutoff; });
  }
  std::string host;
  if (options_.host) {
    host = *options_.host;
  } else if (server_) {
    const auto port = server_->https_port() ? server_->https_port() : server_->http_port();
    host = server_->options().bind_address + ":" + std::to_string(port);
  }
  json::object o;
  o["access_token"] = access;
  o["refresh_token"] = refresh;
  o["token_type"] = "bearer";
  o["expires_in"] = options_.access_token_ttl.count();
  o["host"] = host;
  Response res = Response::json(200, json::serialize(o));
  res.with_header("Cache-Control", "no-store");
  res.with_header("Pragma", "no-cache");
  return res;
}

Response OAuthService::token(const Request& r) {
  auto param = [&](std::string_view n) { return r.param(n); };
  const auto grant = param("grant_type");
  std::string client_id(param("client_id").value_or(""));
  std::string client_secret(param("client_secret").value_or(""));
  if (auto basic = basic_auth(r); basic && client_id.empty()) {
    client_id = basic->first;
    client_secret = basic->second;
  }

  std::lock_guard lock(mutex_);
  if (!grant || grant->empty()) return oauth_error(400, "invalid_request", "grant_type is required");
  if (*grant != "authorization_code" && *grant != "refresh_token")
    return oauth_error(400, "unsupported_grant_type", "grant_type '" + std::string(*grant) + "' is not supported");
  if (client_id.empty()) return oauth_error(400, "invalid_request", "client_id is required");
  const OAuthClient* c = client(client_id);
  if (!c || c->secret != client_secret) {
    ++counters_.invalid_clients;
    return oauth_error(401, "invalid_client", "Unknown client_id or wrong client_secret");
  }
  auto invalid_grant = [&](std::string_view why) {
    ++counters_.invalid_grants;
    return oauth_error(400, "invalid_grant", why);
  };

  if (*grant == "authorization_code") {
    const auto code = param("code");
    if (!code || code->empty()) return oauth_error(400, "invalid_request", "code is required");
    auto it = codes_.find(std::string(*code));
    if (it == codes_.end()) return invalid_grant("The authorization code is unknown");
    Code& k = it->second;
    if (k.used) return invalid_grant("The authorization code has already been used");
    if (Clock::now() >= k.expires) return invalid_grant("The authorization code has expired");
    if (k.client_id != c->id) return invalid_grant("The authorization code was issued to another client");
    const auto redirect = param("redirect_uri");
    if (k.redirect_uri && (!redirect || *redirect != *k.redirect_uri))
      return invalid_grant("redirect_uri does not match the one of the authorization request");
    k.used = true;
    ++counters_.code_exchanges;
    return issue(c->id, k.scope);
  }

  const auto refresh = param("refresh_token");
  if (!refresh || refresh->empty()) return oauth_error(400, "invalid_request", "refresh_token is required");
  auto it = refresh_.find(std::string(*refresh));
  if (it == refresh_.end()) return invalid_grant("The refresh token is unknown");
  if (it->second.rotated) {
    ++counters_.refresh_reuse_attempts;
    return invalid_grant("The refresh token has already been used (refresh tokens rotate)");
  }
  if (it->second.client_id != c->id) return invalid_grant("The refresh token was issued to another client");
  it->second.rotated = true;
  ++counters_.refreshes;
  return issue(c->id, it->second.scope);
}

bool OAuthService::accepts(std::string_view token) {
  std::lock_guard lock(mutex_);
  auto it = access_.find(std::string(token));
  if (it == access_.end()) return false;
  if (Clock::now() < it->second) return true;
  ++counters_.expired_token_rejections;
  return false;
}

void OAuthService::add_client(OAuthClient c) {
  std::lock_guard lock(mutex_);
  std::erase_if(options_.clients, [&](const OAuthClient& x) { return x.id == c.id; });
  options_.clients.push_back(std::move(c));
}

void OAuthService::set_deny(bool deny) {
  std::lock_guard lock(mutex_);
  options_.deny = deny;
}

void OAuthService::set_access_token_ttl(std::chrono::seconds ttl) {
  std::lock_guard lock(mutex_);
  options_.access_token_ttl = ttl;
}

void OAuthService::expire_access_tokens() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto& [k, v] : access_) v = std::min(v, now);
}

OAuthCounters OAuthService::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void OAuthService::reset_counters() {
  std::lock_guard lock(mutex_);
  counters_ = {};
}

}  // namespace wrike_cascade::emulator::detail
