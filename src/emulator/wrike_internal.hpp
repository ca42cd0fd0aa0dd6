// Internal: the Wrike emulator's OAuth 2.0 server (wrike_oauth.cpp) and webhook machinery
// (wrike_webhooks.cpp), owned by WrikeEmulator.
#pragma once

#include "oauth_common.hpp"

#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/emulator/wrike_emulator.hpp>
#include <wrike_cascade/emulator/wrike_store.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace wrike_cascade::emulator::detail {

class ApiRoutes;

// Random text of [A-Za-z0-9] from OpenSSL's CSPRNG.
using shared::random_token;

// ---- OAuth 2.0 ------------------------------------------------------------------------------
//   GET  /oauth2/authorize/v4  -> 302 to redirect_uri with code & state (or error=access_denied)
//   POST /oauth2/token         -> {"access_token","refresh_token","token_type","expires_in","host"}
class OAuthService {
 public:
  explicit OAuthService(OAuthOptions options);
  void install(Server& server);  // `server` gives the host:port of the token responses

  // An issued access token that has not expired. Counts refusals of expired ones.
  bool accepts(std::string_view token);

  void add_client(OAuthClient c);
  void set_deny(bool deny);
  void set_access_token_ttl(std::chrono::seconds ttl);
  void expire_access_tokens();
  OAuthCounters counters() const;
  void reset_counters();

 private:
  using Clock = std::chrono::steady_clock;
  struct Code {
    std::string client_id;
    std::optional<std::string> redirect_uri;  // as sent to authorize (must be repeated)
    std::string scope;
    Clock::time_point expires;
    bool used = false;
  };
  struct Refresh {
    std::string client_id;
    std::string scope;
    bool rotated = false;  // used once already
  };

  Response authorize(const Request& r);
  Response token(const Request& r);
  Response issue(const std::string& client_id, const std::string& scope);  // mutex held
  const OAuthClient* client(std::string_view id) const;                    // mutex held

  mutable std::mutex mutex_;
  OAuthOptions options_;
  Server* server_ = nullptr;
  std::unordered_map<std::string, Code> codes_;
  std::unordered_map<std::string, Refresh> refresh_;
  std::unordered_map<std::string, Clock::time_point> access_;
  OAuthCounters counters_;
};

// ---- webhooks -------------------------------------------------------------------------------
class WebhookHub {
 public:
  WebhookHub(WrikeStore& store, WebhookOptions options);
  ~WebhookHub();
  WebhookHub(const WebhookHub&) = delete;
  WebhookHub& operator=(const WebhookHub&) = delete;

  void start();  // delivery threads
  void stop();   // aborts deliveries in flight, joins

  // The store's change listener: queues events for the hooks whose scope and filter match.
  void on_changes(const std::vector<WrikeChange>& changes);

  // POST /webhooks, /spaces/{id}/webhooks, /folders/{id}/webhooks; GET /webhooks[/{ids}];
  // PUT and DELETE /webhooks/{id}.
  void add_routes(ApiRoutes& routes, const WrikeServiceConfig& cfg);

  bool wait_for_idle(std::chrono::milliseconds timeout);
  std::vector<WebhookStats> stats() const;
  std::vector<WebhookDelivery> deliveries() const;
  void reset_log();

  struct Hook;  // wrike_webhooks.cpp

 private:
  struct Api;
  void worker(std::size_t index);
  void deliver(const std::shared_ptr<Hook>& hook, std::vector<std::string> events, std::size_t index);
  bool idle_locked() const;

  WrikeStore& store_;
  WebhookOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<Hook>> hooks_;  // creation order
  std::uint64_t next_id_ = 0;
  std::size_t busy_ = 0;                      // deliveries in flight
  bool stopping_ = false;
  bool started_ = false;
  std::vector<std::thread> threads_;
  struct Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::deque<WebhookDelivery> log_;
};

}  // namespace wrike_cascade::emulator::detail
