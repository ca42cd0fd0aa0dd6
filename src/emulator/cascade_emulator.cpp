// CascadeEmulator: two emulator::Servers (the main one: Classic, the platform entry point,
// OAuth; the regional one: the platform API behind the 307), a CascadeStore and the routes.
#include <wrike_cascade/emulator/cascade_emulator.hpp>

#include "cascade_internal.hpp"

#include <fstream>
#include <stdexcept>

namespace wrike_cascade::emulator {

using namespace cascade_detail;

namespace {

ServerOptions regional_options(const CascadeEmulatorOptions& o) {
  ServerOptions r = o.server;
  r.http_port = o.regional_http_port;
  r.https_port = o.regional_https_port;
  if (std::find(r.cert_hostnames.begin(), r.cert_hostnames.end(), o.regional_host) == r.cert_hostnames.end())
    r.cert_hostnames.push_back(o.regional_host);
  return r;
}

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

}  // namespace

struct CascadeEmulator::Impl {
  explicit Impl(CascadeEmulatorOptions o)
      : options(std::move(o)),
        oauth(options.oauth),
        service(store, oauth, options),
        server(options.server),
        regional(regional_options(options)) {
    if (options.data_path)
      store.load(*options.data_path);
    else
      store.generate(options.generator);
    server.set_error_formatter([](int status, std::string_view code, std::string_view description) {
      (void)code;
      return classic_error(status, description);
    });
    regional.set_error_formatter([](int status, std::string_view, std::string_view description) {
      return platform_error(status, description);
    });
    install_classic_routes(server, service);
    install_platform_routes(server, service, options.region_redirect);
    if (options.region_redirect) install_platform_routes(regional, service, false);
    oauth.install(server);
  }

  ~Impl() {
    server.stop();
    regional.stop();
  }

  CascadeEmulatorOptions options;
  CascadeStore store;  // before the servers: routes refer to it
  OAuth oauth;
  Service service;
  Server server;
  Server regional;
};

CascadeEmulator::CascadeEmulator(CascadeEmulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

CascadeEmulator::~CascadeEmulator() { stop(); }

void CascadeEmulator::start() {
  impl_->server.start();
  if (impl_->options.region_redirect) {
    impl_->regional.start();
    const std::string host = host_for_url(impl_->options.regional_host);
    const auto hp = impl_->regional.http_port();
    const auto sp = impl_->regional.https_port();
    impl_->service.set_regional(hp ? "http://" + host + ":" + std::to_string(hp) : std::string(),
                                sp ? "https://" + host + ":" + std::to_string(sp) : std::string());
  }
}

void CascadeEmulator::stop() {
  if (!impl_) return;
  impl_->server.stop();
  impl_->regional.stop();
}

Server& CascadeEmulator::server() { return impl_->server; }
Server& CascadeEmulator::regional_server() { return impl_->regional; }
CascadeStore& CascadeEmulator::store() { return impl_->store; }
const CascadeEmulatorOptions& CascadeEmulator::options() const { return impl_->options; }

std::string CascadeEmulator::http_url() const { return impl_->server.http_url(); }
std::string CascadeEmulator::https_url() const { return impl_->server.https_url(); }
std::string CascadeEmulator::classic_api_url(bool tls) const { return (tls ? https_url() : http_url()) + "/api/v2"; }
std::string CascadeEmulator::platform_api_url(bool tls) const { return tls ? https_url() : http_url(); }
std::string CascadeEmulator::regional_url(bool tls) const {
  if (!impl_->options.region_redirect) return platform_api_url(tls);
  return impl_->service.regional_base(tls);
}
std::string CascadeEmulator::oauth_url(bool tls) const { return tls ? https_url() : http_url(); }

std::string CascadeEmulator::ca_cert_pem() const {
  std::string pem = impl_->server.ca_cert_pem();
  if (impl_->options.region_redirect && impl_->regional.running()) pem += impl_->regional.ca_cert_pem();
  return pem;
}

void CascadeEmulator::write_ca_file(const std::filesystem::path& path) const {
  const std::string pem = ca_cert_pem();
  if (pem.empty()) throw std::logic_error("cascade emulator: no certificate before start()");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << pem;
  if (!out) throw std::runtime_error("cascade emulator: cannot write " + path.string());
}

void CascadeEmulator::set_classic_tokens(std::vector<ClassicToken> tokens) { impl_->service.set_classic_tokens(std::move(tokens)); }
void CascadeEmulator::add_classic_token(ClassicToken token) { impl_->service.add_classic_token(std::move(token)); }
bool CascadeEmulator::revoke_classic_token(std::string_view token) { return impl_->service.revoke_classic_token(token); }
std::string CascadeEmulator::classic_token() const { return impl_->service.first_classic_token(); }

void CascadeEmulator::set_platform_tokens(std::vector<std::string> tokens) { impl_->service.set_platform_tokens(std::move(tokens)); }
std::string CascadeEmulator::platform_token() const { return impl_->service.first_platform_token(); }

void CascadeEmulator::set_dialect(ClassicDialect d) {
  impl_->service.update_settings([&](Settings& s) { s.dialect = d; });
}
ClassicDialect CascadeEmulator::dialect() const { return impl_->service.settings().dialect; }
void CascadeEmulator::set_offset_mode(ClassicOffsetMode m) {
  impl_->service.update_settings([&](Settings& s) { s.offset_mode = m; });
}
void CascadeEmulator::set_limits(int default_limit, int max_limit) {
  if (default_limit < 1 || max_limit < 0) throw std::invalid_argument("cascade emulator: bad limits");
  impl_->service.update_settings([&](Settings& s) {
    s.default_limit = default_limit;
    s.max_limit = max_limit;
  });
}

void CascadeEmulator::add_oauth_client(CascadeOAuthClient client) { impl_->oauth.add_client(std::move(client)); }
void CascadeEmulator::set_oauth_deny(bool deny) { impl_->oauth.set_deny(deny); }
void CascadeEmulator::set_access_token_ttl(std::chrono::seconds ttl) { impl_->oauth.set_access_token_ttl(ttl); }
void CascadeEmulator::expire_access_tokens() { impl_->oauth.expire_access_tokens(); }
CascadeOAuthCounters CascadeEmulator::oauth_counters() const { return impl_->oauth.counters(); }
void CascadeEmulator::reset_oauth_counters() { impl_->oauth.reset_counters(); }

std::vector<CascadeBodyRecord> CascadeEmulator::request_bodies() const { return impl_->service.bodies(); }
void CascadeEmulator::clear_request_bodies() { impl_->service.clear_bodies(); }

}  // namespace wrike_cascade::emulator
