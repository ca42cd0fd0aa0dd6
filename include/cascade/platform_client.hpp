// The typed, asynchronous client of the new Cascade platform's integrations API
// (https://integrations-region-redirect.go.cascade.app, OAuth 2.0; cascade-api.md §4): list
// workspaces, a workspace's plans, a plan's measures and actions; set a measure's value, a
// measure's history, an action's progress.
//
//   auto cfg = cascade::platform::ClientConfig::from_env();   // OAuth tokens from a token file
//   cascade::platform::Client client(io.get_executor(), std::move(cfg));
//   for (const auto& ws : co_await client.get_workspaces())
//     for (const auto& plan : co_await client.get_plans(ws.id)) { ... }
//   co_await client.set_measure_value(measure.id, {.workspace_id = ws.id, .plan_id = plan.id,
//                                                  .measure_value = 42.5});
//
// The spec has no paging parameters: each list call returns everything.
//
// Redirects: the region-redirect host answers with HTTP redirects to the workspace's regional
// host. The client follows up to `max_redirects` of them and lets the Authorization header
// follow only to Cascade hosts (is_cascade_host: cascade.app and *.cascade.app) or to the host
// of `api_url` itself; https -> http redirects are refused by the transport.
#pragma once

#include <cascade/platform_model.hpp>
#include <wrike_cascade/async.hpp>
#include <wrike_cascade/net/http.hpp>
#include <wrike_cascade/oauth.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cascade::platform {

namespace net = wrike_cascade::net;
namespace oauth = wrike_cascade::oauth;

inline constexpr std::string_view kDefaultApiUrl = "https://integrations-region-redirect.go.cascade.app";
// From the spec's securityDefinitions (oauth2-auth, accessCode flow).
inline constexpr std::string_view kAuthorizeUrl = "https://integrations-router.go.cascade.app/authorize";
inline constexpr std::string_view kTokenUrl = "https://auth.go.cascade.app/oauth/token";
inline constexpr std::string_view kScopes = "openid profile email offline_access";

// The OAuth endpoints: the spec's, or, with `oauth_url`, {oauth_url}/authorize and
// {oauth_url}/oauth/token (an emulator or a proxy). Scopes "openid profile email
// offline_access" (space-separated; offline_access brings the refresh token).
oauth::Config oauth_config(std::string client_id, std::string client_secret, std::string redirect_uri = {},
                           std::string oauth_url = {});
// CASCADE_CLIENT_ID, CASCADE_CLIENT_SECRET (required), CASCADE_OAUTH_URL (optional override),
// CASCADE_CA_FILE. Throws Error(config_error) naming the variable.
oauth::Config oauth_config_from_env(std::string redirect_uri = {});

struct OAuthSettings {
  oauth::Config config;
  std::shared_ptr<oauth::TokenStore> store;
};

struct ClientConfig {
  std::string api_url = std::string(kDefaultApiUrl);
  // OAuth 2.0 with refresh (the normal way). Ignored when `auth` is set.
  std::optional<OAuthSettings> oauth;
  std::shared_ptr<net::AuthProvider> auth;   // e.g. a net::StaticBearer in tests
  std::optional<std::string> ca_file;
  net::RetryPolicy retry;
  net::RateLimiter::Options rate_limit;      // shared per credential within the process
  bool rate_limit_enabled = true;
  std::size_t max_connections = 4;
  std::chrono::milliseconds request_timeout = std::chrono::seconds(90);
  int max_redirects = 5;
  std::function<void(const net::LogRecord&)> log;

  // CASCADE_PLATFORM_API_URL (default kDefaultApiUrl), CASCADE_CA_FILE, and OAuth: the tokens in
  // `token_file` (default default_token_file()) with oauth_config_from_env(). Throws
  // Error(config_error) naming what is missing.
  static ClientConfig from_env(std::optional<std::filesystem::path> token_file = {});
  // $XDG_CONFIG_HOME/wrike-cascade/cascade-tokens.json
  static std::filesystem::path default_token_file();
};

class Client {
 public:
  Client(boost::asio::any_io_executor ex, ClientConfig config);
  ~Client();

  net::HttpClient& http() noexcept { return *http_; }
  const ClientConfig& config() const noexcept { return config_; }
  // The OAuth provider when the client uses OAuth (null otherwise).
  std::shared_ptr<oauth::RefreshingAuth> oauth() const noexcept { return oauth_; }
  boost::asio::any_io_executor get_executor() const noexcept;

  // ---- coroutine interface ----
  boost::asio::awaitable<std::vector<Workspace>> get_workspaces();                        // GetWorkspaces2
  boost::asio::awaitable<std::vector<Plan>> get_plans(WorkspaceId workspace);             // GetPlansByWorkspace2
  boost::asio::awaitable<std::vector<Measure>> get_measures(WorkspaceId workspace, PlanId plan);  // GetMeasuresByPlan2
  boost::asio::awaitable<std::vector<Action>> get_actions(WorkspaceId workspace, PlanId plan);    // GetActionsByPlan2
  boost::asio::awaitable<WriteResult> set_measure_value(MeasureId measure, MeasureValue value);   // UpdateMeasure2
  boost::asio::awaitable<WriteResult> set_measure_history(MeasureId measure, MeasureHistory history);  // UpdateMeasureHistoricalValue2
  boost::asio::awaitable<WriteResult> set_action_progress(ActionId action, ActionProgress progress);   // UpdateAction2

  // ---- completion-token interface ----
  template <class Token>
  auto async_get_workspaces(Token&& token) {
    return run<std::vector<Workspace>>(std::forward<Token>(token), get_workspaces());
  }
  template <class Token>
  auto async_get_plans(WorkspaceId workspace, Token&& token) {
    return run<std::vector<Plan>>(std::forward<Token>(token), get_plans(std::move(workspace)));
  }
  template <class Token>
  auto async_get_measures(WorkspaceId workspace, PlanId plan, Token&& token) {
    return run<std::vector<Measure>>(std::forward<Token>(token), get_measures(std::move(workspace), std::move(plan)));
  }
  template <class Token>
  auto async_get_actions(WorkspaceId workspace, PlanId plan, Token&& token) {
    return run<std::vector<Action>>(std::forward<Token>(token), get_actions(std::move(workspace), std::move(plan)));
  }
  template <class Token>
  auto async_set_measure_value(MeasureId measure, MeasureValue value, Token&& token) {
    return run<WriteResult>(std::forward<Token>(token), set_measure_value(std::move(measure), std::move(value)));
  }
  template <class Token>
  auto async_set_measure_history(MeasureId measure, MeasureHistory history, Token&& token) {
    return run<WriteResult>(std::forward<Token>(token), set_measure_history(std::move(measure), std::move(history)));
  }
  template <class Token>
  auto async_set_action_progress(ActionId action, ActionProgress progress, Token&& token) {
    return run<WriteResult>(std::forward<Token>(token), set_action_progress(std::move(action), std::move(progress)));
  }

 private:
  template <class T, class Token>
  auto run(Token&& token, boost::asio::awaitable<T> op) {
    return wrike_cascade::detail::initiate<T>(
        std::forward<Token>(token), [this, op = std::move(op)](wrike_cascade::Handler<T> h) mutable {
          spawn(std::move(op), std::move(h));
        });
  }
  // Defined in platform_client.cpp and explicitly instantiated for every result type above.
  template <class T>
  void spawn(boost::asio::awaitable<T> op, wrike_cascade::Handler<T> handler);

  template <class T>
  boost::asio::awaitable<std::vector<T>> list(std::string path, net::Params query);
  boost::asio::awaitable<WriteResult> put(std::string path, boost::json::object body);

  ClientConfig config_;
  std::shared_ptr<oauth::RefreshingAuth> oauth_;
  std::unique_ptr<net::HttpClient> http_;
};

// The percent-encoded form of an ID as one URL path segment (the spec's x-ms-url-encoding
// "single"); throws Error(invalid_argument) for an empty ID.
std::string path_segment(std::string_view id, std::string_view what);

}  // namespace cascade::platform
