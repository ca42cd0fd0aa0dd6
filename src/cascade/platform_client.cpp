#include <cascade/platform_client.hpp>
#include <wrike_cascade/ascii.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace cascade::platform {
namespace {

using wrike_cascade::errc;
using wrike_cascade::Error;
namespace asio = boost::asio;
namespace json = boost::json;

std::string getenv_str(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

using wrike_cascade::ascii_lower;

// The host of an http(s) URL, or an error naming `what`.
std::string url_host(const std::string& url, std::string_view what) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") || parsed->encoded_host().empty()) {
    throw Error(errc::config_error,
                std::string(what) + "='" + wrike_cascade::redact_url(url) + "' is not an http(s) URL");
  }
  std::string host(parsed->encoded_host());
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  return ascii_lower(host);
}

}  // namespace

std::string path_segment(std::string_view id, std::string_view what) {
  if (id.empty()) throw Error(errc::invalid_argument, std::string(what) + " is empty");
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(id.size());
  for (unsigned char c : id) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (out == "." || out == "..") out = out == "." ? "%2E" : "%2E%2E";  // never a dot segment
  return out;
}

// ---- OAuth and configuration ------------------------------------------------------------------

oauth::Config oauth_config(std::string client_id, std::string client_secret, std::string redirect_uri,
                           std::string oauth_url) {
  oauth::Config c;
  if (oauth_url.empty()) {
    c.authorize_url = std::string(kAuthorizeUrl);
    c.token_url = std::string(kTokenUrl);
  } else {
    while (!oauth_url.empty() && oauth_url.back() == '/') oauth_url.pop_back();
    c.authorize_url = oauth_url + "/authorize";
    c.token_url = oauth_url + "/oauth/token";
  }
  c.client_id = std::move(client_id);
  c.client_secret = std::move(client_secret);
  c.redirect_uri = std::move(redirect_uri);
  c.scopes = {"openid", "profile", "email", "offline_access"};
  c.scope_separator = " ";
  return c;
}

oauth::Config oauth_config_from_env(std::string redirect_uri) {
  std::string url = getenv_str("CASCADE_OAUTH_URL");
  if (!url.empty()) (void)url_host(url, "CASCADE_OAUTH_URL");
  auto id = getenv_str("CASCADE_CLIENT_ID");
  auto secret = getenv_str("CASCADE_CLIENT_SECRET");
  if (id.empty()) {
    throw Error(errc::config_error, "CASCADE_CLIENT_ID is not set (the OAuth client ID Cascade registered for you)");
  }
  if (secret.empty()) {
    throw Error(errc::config_error, "CASCADE_CLIENT_SECRET is not set (the OAuth client secret Cascade registered for you)");
  }
  auto c = oauth_config(std::move(id), std::move(secret), std::move(redirect_uri), std::move(url));
  if (auto ca = getenv_str("CASCADE_CA_FILE"); !ca.empty()) c.ca_file = ca;
  return c;
}

std::filesystem::path ClientConfig::default_token_file() {
  return oauth::FileTokenStore::default_path("cascade-tokens.json");
}

ClientConfig ClientConfig::from_env(std::optional<std::filesystem::path> token_file) {
  ClientConfig c;
  if (auto url = getenv_str("CASCADE_PLATFORM_API_URL"); !url.empty()) {
    (void)url_host(url, "CASCADE_PLATFORM_API_URL");
    c.api_url = url;
  }
  if (auto ca = getenv_str("CASCADE_CA_FILE"); !ca.empty()) {
    if (!std::ifstream(ca)) throw Error(errc::config_error, "CASCADE_CA_FILE='" + ca + "' cannot be read");
    c.ca_file = ca;
  }
  const auto path = token_file.value_or(default_token_file());
  if (!std::filesystem::exists(path)) {
    throw Error(errc::config_error,
                "no Cascade OAuth tokens: '" + path.string() +
                    "' does not exist (log in first with the authorization-code flow; see cascade::platform::oauth_config)");
  }
  c.oauth = OAuthSettings{oauth_config_from_env(), std::make_shared<oauth::FileTokenStore>(path)};
  return c;
}

// ---- Client -------------------------------------------------------------------------------

Client::Client(asio::any_io_executor ex, ClientConfig config) : config_(std::move(config)) {
  net::ClientOptions o;
  o.base_url = config_.api_url;
  const std::string base_host = url_host(config_.api_url, "cascade::platform::ClientConfig.api_url");
  o.ca_file = config_.ca_file;
  o.retry = config_.retry;
  o.max_connections_per_host = config_.max_connections;
  o.request_timeout = config_.request_timeout;
  o.log = config_.log;
  o.user_agent = "wrike-cascade/0.1 (cascade-platform)";
  o.error_decoder = decode_error_body;
  o.max_redirects = config_.max_redirects;
  // The region-redirect host sends requests on to regional *.cascade.app hosts: the token may
  // follow there (and to the configured host itself, e.g. an emulator), nowhere else.
  o.keep_authorization_on_redirect = [base_host](std::string_view host) {
    return is_cascade_host(host) || ascii_lower(host) == base_host;
  };
  if (config_.auth) {
    o.auth = config_.auth;
  } else if (config_.oauth) {
    if (!config_.oauth->store) throw Error(errc::config_error, "cascade::platform::OAuthSettings.store is not set");
    if (!config_.oauth->config.ca_file) config_.oauth->config.ca_file = config_.ca_file;
    oauth_ = std::make_shared<oauth::RefreshingAuth>(ex, config_.oauth->config, config_.oauth->store);
    (void)oauth_->current();  // fails clearly when nobody logged in
    o.auth = oauth_;
  } else {
    throw Error(errc::config_error,
                "no Cascade platform credential: set ClientConfig.oauth (OAuth tokens) or ClientConfig.auth");
  }
  if (config_.rate_limit_enabled) {
    o.rate_limiter = net::RateLimiter::for_key("cascade-platform:" + o.auth->key(), config_.rate_limit);
  }
  http_ = std::make_unique<net::HttpClient>(std::move(ex), std::move(o));
}

Client::~Client() = default;

asio::any_io_executor Client::get_executor() const noexcept { return http_->get_executor(); }

template <class T>
void Client::spawn(asio::awaitable<T> op, wrike_cascade::Handler<T> handler) {
  asio::co_spawn(http_->get_executor(), std::move(op), std::move(handler));
}

namespace {

template <class F>
auto decoded(const std::string& what, F&& decode) {
  try {
    return decode();
  } catch (const Error& e) {
    auto d = e.detail();
    d.context = "response of " + what + ": " + d.context;
    throw Error(e.code(), std::move(d));
  }
}

}  // namespace

template <class T>
asio::awaitable<std::vector<T>> Client::list(std::string path, net::Params query) {
  auto req = net::Request::get(std::move(path), std::move(query));
  const std::string what = "GET " + req.path;
  auto resp = co_await http_->request(std::move(req));
  co_return decoded(what, [&] { return decode_listing<T>(resp.body).items; });
}

asio::awaitable<WriteResult> Client::put(std::string path, json::object body) {
  net::Request req;
  req.method = "PUT";
  req.path = std::move(path);
  req.body = json::serialize(body);
  req.content_type = "application/json";
  const std::string what = "PUT " + req.path;
  auto resp = co_await http_->request(std::move(req));
  co_return decoded(what, [&] { return decode_write_result(resp.body); });
}

asio::awaitable<std::vector<Workspace>> Client::get_workspaces() {
  co_return co_await list<Workspace>("/v2/users/me/workspaces", net::Params());
}

asio::awaitable<std::vector<Plan>> Client::get_plans(WorkspaceId workspace) {
  auto path = "/v2/workspaces/" + path_segment(workspace.str(), "workspace ID") + "/plans";
  co_return co_await list<Plan>(std::move(path), net::Params());
}

asio::awaitable<std::vector<Measure>> Client::get_measures(WorkspaceId workspace, PlanId plan) {
  if (workspace.empty()) throw Error(errc::invalid_argument, "workspace ID is empty");
  auto path = "/v2/plans/" + path_segment(plan.str(), "plan ID") + "/measures";
  net::Params q;
  q.add("workspace_id", workspace.str());
  co_return co_await list<Measure>(std::move(path), std::move(q));
}

asio::awaitable<std::vector<Action>> Client::get_actions(WorkspaceId workspace, PlanId plan) {
  if (workspace.empty()) throw Error(errc::invalid_argument, "workspace ID is empty");
  auto path = "/v2/plans/" + path_segment(plan.str(), "plan ID") + "/actions";
  net::Params q;
  q.add("workspace_id", workspace.str());
  co_return co_await list<Action>(std::move(path), std::move(q));
}

asio::awaitable<WriteResult> Client::set_measure_value(MeasureId measure, MeasureValue value) {
  auto path = "/v2/measures/" + path_segment(measure.str(), "measure ID");
  auto body = to_json(value);
  co_return co_await put(std::move(path), std::move(body));
}

asio::awaitable<WriteResult> Client::set_measure_history(MeasureId measure, MeasureHistory history) {
  auto path = "/v2/measures/historical/" + path_segment(measure.str(), "measure ID");
  auto body = to_json(history);
  co_return co_await put(std::move(path), std::move(body));
}

asio::awaitable<WriteResult> Client::set_action_progress(ActionId action, ActionProgress progress) {
  auto path = "/v2/actions/" + path_segment(action.str(), "action ID");
  auto body = to_json(progress);
  co_return co_await put(std::move(path), std::move(body));
}

template void Client::spawn(asio::awaitable<std::vector<Workspace>>, wrike_cascade::Handler<std::vector<Workspace>>);
template void Client::spawn(asio::awaitable<std::vector<Plan>>, wrike_cascade::Handler<std::vector<Plan>>);
template void Client::spawn(asio::awaitable<std::vector<Measure>>, wrike_cascade::Handler<std::vector<Measure>>);
template void Client::spawn(asio::awaitable<std::vector<Action>>, wrike_cascade::Handler<std::vector<Action>>);
template void Client::spawn(asio::awaitable<WriteResult>, wrike_cascade::Handler<WriteResult>);

}  // namespace cascade::platform
