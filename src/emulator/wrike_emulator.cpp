// WrikeEmulator: a Server, a WrikeStore, the Wrike routes (reads, writes, webhooks), the OAuth
// server and the webhook deliveries, with a mutable token set.
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include "wrike_api.hpp"
#include "wrike_internal.hpp"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace wrike_cascade::emulator {

struct WrikeEmulator::Impl {
  explicit Impl(WrikeEmulatorOptions o)
      : options(std::move(o)), oauth(options.oauth), hub(store, options.webhooks), server(options.server) {
    if (options.data_path)
      store.load(*options.data_path);
    else
      store.generate(options.generator);
    tokens = options.tokens;
    WrikeServiceConfig cfg;
    cfg.accept_token = [this](std::string_view t) {
      if (t.empty()) return false;
      {
        std::shared_lock lock(tokens_mutex);
        if (std::find(tokens.begin(), tokens.end(), t) != tokens.end()) return true;
      }
      return oauth.accepts(t);
    };
    cfg.unknown_ids = options.unknown_ids;
    cfg.max_unpaged_tasks = options.max_unpaged_tasks;
    cfg.max_page_size = options.max_page_size;
    cfg.max_ids = options.max_ids;
    detail::install_wrike_api(server, store, cfg, [&](detail::ApiRoutes& routes) { hub.add_routes(routes, cfg); });
    oauth.install(server);
    store.set_change_listener([this](const std::vector<WrikeChange>& c) { hub.on_changes(c); });
  }

  ~Impl() {
    store.set_change_listener({});
    hub.stop();
    server.stop();
  }

  WrikeEmulatorOptions options;
  WrikeStore store;  // declared before the server: routes refer to it
  detail::OAuthService oauth;
  detail::WebhookHub hub;
  mutable std::shared_mutex tokens_mutex;
  std::vector<std::string> tokens;
  Server server;
};

WrikeEmulator::WrikeEmulator(WrikeEmulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

WrikeEmulator::~WrikeEmulator() { stop(); }

void WrikeEmulator::start() {
  impl_->server.start();
  impl_->hub.start();
}

void WrikeEmulator::stop() {
  if (!impl_) return;
  impl_->hub.stop();
  impl_->server.stop();
}

Server& WrikeEmulator::server() { return impl_->server; }
WrikeStore& WrikeEmulator::store() { return impl_->store; }

std::string WrikeEmulator::http_url() const { return impl_->server.http_url(); }
std::string WrikeEmulator::https_url() const { return impl_->server.https_url(); }
std::string WrikeEmulator::api_url(bool tls) const {
  return (tls ? https_url() : http_url()) + "/api/v4";
}
std::string WrikeEmulator::oauth_url(bool tls) const {
  return (tls ? https_url() : http_url()) + "/oauth2";
}
std::string WrikeEmulator::ca_cert_pem() const { return impl_->server.ca_cert_pem(); }
void WrikeEmulator::write_ca_file(const std::filesystem::path& path) const {
  impl_->server.write_ca_file(path);
}

void WrikeEmulator::set_tokens(std::vector<std::string> tokens) {
  std::unique_lock lock(impl_->tokens_mutex);
  impl_->tokens = std::move(tokens);
}

void WrikeEmulator::add_token(std::string token) {
  std::unique_lock lock(impl_->tokens_mutex);
  impl_->tokens.push_back(std::move(token));
}

std::vector<std::string> WrikeEmulator::tokens() const {
  std::shared_lock lock(impl_->tokens_mutex);
  return impl_->tokens;
}

std::string WrikeEmulator::token() const {
  std::shared_lock lock(impl_->tokens_mutex);
  return impl_->tokens.empty() ? std::string() : impl_->tokens.front();
}

void WrikeEmulator::add_oauth_client(OAuthClient client) { impl_->oauth.add_client(std::move(client)); }
void WrikeEmulator::set_oauth_deny(bool deny) { impl_->oauth.set_deny(deny); }
void WrikeEmulator::set_access_token_ttl(std::chrono::seconds ttl) { impl_->oauth.set_access_token_ttl(ttl); }
void WrikeEmulator::expire_access_tokens() { impl_->oauth.expire_access_tokens(); }
OAuthCounters WrikeEmulator::oauth_counters() const { return impl_->oauth.counters(); }
void WrikeEmulator::reset_oauth_counters() { impl_->oauth.reset_counters(); }

bool WrikeEmulator::wait_for_idle(std::chrono::milliseconds timeout) { return impl_->hub.wait_for_idle(timeout); }
std::vector<WebhookStats> WrikeEmulator::webhook_stats() const { return impl_->hub.stats(); }
std::vector<WebhookDelivery> WrikeEmulator::webhook_deliveries() const { return impl_->hub.deliveries(); }
void WrikeEmulator::reset_webhook_log() { impl_->hub.reset_log(); }

}  // namespace wrike_cascade::emulator
