// WrikeEmulator: a Server, a WrikeStore and the Wrike routes, with a mutable token set.
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace wrike_cascade::emulator {

struct WrikeEmulator::Impl {
  explicit Impl(WrikeEmulatorOptions o) : options(std::move(o)), server(options.server) {
    if (options.data_path)
      store.load(*options.data_path);
    else
      store.generate(options.generator);
    tokens = options.tokens;
    WrikeServiceConfig cfg;
    cfg.accept_token = [this](std::string_view t) {
      if (t.empty()) return false;
      std::shared_lock lock(tokens_mutex);
      return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
    };
    cfg.unknown_ids = options.unknown_ids;
    cfg.max_unpaged_tasks = options.max_unpaged_tasks;
    cfg.max_page_size = options.max_page_size;
    cfg.max_ids = options.max_ids;
    install_wrike_routes(server, store, std::move(cfg));
  }

  WrikeEmulatorOptions options;
  WrikeStore store;  // declared before the server: routes refer to it
  mutable std::shared_mutex tokens_mutex;
  std::vector<std::string> tokens;
  Server server;
};

WrikeEmulator::WrikeEmulator(WrikeEmulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

WrikeEmulator::~WrikeEmulator() { stop(); }

void WrikeEmulator::start() { impl_->server.start(); }
void WrikeEmulator::stop() {
  if (impl_) impl_->server.stop();
}

Server& WrikeEmulator::server() { return impl_->server; }
WrikeStore& WrikeEmulator::store() { return impl_->store; }

std::string WrikeEmulator::http_url() const { return impl_->server.http_url(); }
std::string WrikeEmulator::https_url() const { return impl_->server.https_url(); }
std::string WrikeEmulator::api_url(bool tls) const {
  return (tls ? https_url() : http_url()) + "/api/v4";
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

}  // namespace wrike_cascade::emulator
