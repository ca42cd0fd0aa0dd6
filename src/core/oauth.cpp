#include <wrike_cascade/oauth.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wrike_cascade::oauth {
namespace {

namespace asio = boost::asio;
using clock_type = std::chrono::system_clock;

std::string str_of(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->get_string());
  return {};
}

struct Origin {
  std::string base;  // scheme://host:port
  std::string path;  // /oauth2/token
};

Origin split_url(const std::string& url, std::string_view what) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->encoded_host().empty()) {
    throw Error(errc::config_error, std::string(what) + " '" + redact_url(url) + "' is not a URL");
  }
  Origin o;
  o.base = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_authority());
  o.path = std::string(parsed->encoded_path());
  return o;
}

void decode_oauth_error(const boost::json::value& body, ErrorDetail& d) {
  net::decode_common_error_body(body, d);
  if (const auto* o = body.if_object()) {
    if (auto desc = str_of(*o, "error_description"); !desc.empty()) d.api_description = desc.substr(0, 300);
  }
}

asio::awaitable<Tokens> token_request(asio::any_io_executor ex, Config cfg, net::Params form,
                                      std::string what) {
  if (cfg.client_id.empty()) throw Error(errc::config_error, "OAuth client ID is not set");
  if (cfg.client_secret.empty()) throw Error(errc::config_error, "OAuth client secret is not set");
  const auto origin = split_url(cfg.token_url, "OAuth token URL");
  net::ClientOptions o;
  o.base_url = origin.base;
  o.ca_file = cfg.ca_file;
  o.request_timeout = cfg.timeout;
  o.retry = net::RetryPolicy::none();
  o.error_decoder = decode_oauth_error;
  o.user_agent = "wrike-cascade/0.1 (oauth)";
  net::HttpClient http(ex, std::move(o));
  auto req = net::Request::form("POST", origin.path, form);
  req.authenticate = false;
  try {
    auto resp = co_await http.request(std::move(req));
    co_return tokens_from_response(resp.body, clock_type::now());
  } catch (const Error& e) {
    auto d = e.detail();
    d.context = std::string(what) + (d.context.empty() ? "" : ": " + d.context);
    throw Error(e.code(), std::move(d));
  }
}

}  // namespace

bool Tokens::expires_within(std::chrono::seconds margin) const {
  return expires_at && clock_type::now() + margin >= *expires_at;
}

bool Tokens::needs_refresh(std::chrono::seconds margin) const {
  if (!expires_at) return false;
  // At most half the token's lifetime, in the clock's own precision: cut to whole seconds, a
  // 3 s token got a 1 s margin instead of 1.5 s, and whether it was refreshed depended on the
  // fraction of the second it was issued in.
  clock_type::duration m = margin;
  if (issued_at && *expires_at > *issued_at) m = std::min<clock_type::duration>(m, (*expires_at - *issued_at) / 2);
  return clock_type::now() + m >= *expires_at;
}

boost::json::object to_json(const Tokens& t) {
  boost::json::object o = t.extra;
  o["access_token"] = t.access_token;
  o["refresh_token"] = t.refresh_token;
  o["token_type"] = t.token_type;
  if (t.expires_at) {
    o["expires_at"] = std::chrono::duration_cast<std::chrono::seconds>(t.expires_at->time_since_epoch()).count();
  }
  if (t.issued_at) {
    o["issued_at"] = std::chrono::duration_cast<std::chrono::seconds>(t.issued_at->time_since_epoch()).count();
  }
  if (!t.host.empty()) o["host"] = t.host;
  if (!t.scope.empty()) o["scope"] = t.scope;
  return o;
}

Tokens tokens_from_json(const boost::json::object& o) {
  Tokens t;
  for (const auto& [k, v] : o) {
    if (k == "access_token") t.access_token = str_of(o, k);
    else if (k == "refresh_token") t.refresh_token = str_of(o, k);
    else if (k == "token_type") t.token_type = str_of(o, k);
    else if (k == "host") t.host = str_of(o, k);
    else if (k == "scope") t.scope = str_of(o, k);
    else if (k == "expires_at" && v.is_int64()) t.expires_at = clock_type::time_point(std::chrono::seconds(v.get_int64()));
    else if (k == "issued_at" && v.is_int64()) t.issued_at = clock_type::time_point(std::chrono::seconds(v.get_int64()));
    else t.extra[k] = v;
  }
  return t;
}

Tokens tokens_from_response(const boost::json::value& body, clock_type::time_point received_at) {
  const auto* o = body.if_object();
  if (!o) throw Error(errc::invalid_response, "token response is not a JSON object");
  Tokens t;
  for (const auto& [k, v] : *o) {
    if (k == "access_token") t.access_token = str_of(*o, k);
    else if (k == "refresh_token") t.refresh_token = str_of(*o, k);
    else if (k == "token_type") t.token_type = str_of(*o, k);
    else if (k == "host") t.host = str_of(*o, k);
    else if (k == "scope") t.scope = str_of(*o, k);
    else if (k == "expires_in") {
      if (v.is_int64()) t.expires_at = received_at + std::chrono::seconds(v.get_int64());
      else if (v.is_string()) t.expires_at = received_at + std::chrono::seconds(std::atoll(v.get_string().c_str()));
    } else {
      t.extra[k] = v;
    }
  }
  if (t.access_token.empty()) throw Error(errc::invalid_response, "token response has no access_token");
  t.issued_at = received_at;
  if (t.token_type.empty()) t.token_type = "bearer";
  return t;
}

std::string generate_state() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error(errc::config_error, "the system random generator failed");
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      out += alphabet[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
  return out;
}

std::string authorize_url(const Config& cfg, std::string_view state) {
  if (cfg.client_id.empty()) throw Error(errc::config_error, "OAuth client ID is not set");
  auto parsed = boost::urls::parse_uri(cfg.authorize_url);
  if (!parsed) throw Error(errc::config_error, "OAuth authorize URL '" + cfg.authorize_url + "' is not a URL");
  boost::urls::url u(*parsed);
  u.params().append({"client_id", cfg.client_id});
  u.params().append({"response_type", "code"});
  if (!cfg.redirect_uri.empty()) u.params().append({"redirect_uri", cfg.redirect_uri});
  u.params().append({"state", state});
  if (!cfg.scopes.empty()) {
    std::string joined;
    for (const auto& s : cfg.scopes) joined += (joined.empty() ? "" : cfg.scope_separator) + s;
    u.params().append({"scope", joined});
  }
  return std::string(u.buffer());
}

std::string parse_callback(std::string_view callback, std::string_view expected_state) {
  std::string target(callback);
  if (auto q = target.find('?'); q != std::string::npos) target = target.substr(q + 1);
  if (auto h = target.find('#'); h != std::string::npos) target.resize(h);
  boost::urls::url query_holder;
  try {
    query_holder.set_encoded_query(target);
  } catch (const std::exception&) {
    throw Error(errc::invalid_argument, "the OAuth callback query cannot be parsed");
  }
  std::optional<std::string> code, state, error, description;
  for (auto p : query_holder.params()) {
    if (p.key == "code") code = std::string(p.value);
    else if (p.key == "state") state = std::string(p.value);
    else if (p.key == "error") error = std::string(p.value);
    else if (p.key == "error_description") description = std::string(p.value);
  }
  // The state is checked first: an error redirect with a foreign state is not ours to report.
  if (!state) throw Error(errc::invalid_argument, "the OAuth callback has no state parameter; not accepting it");
  if (state->size() != expected_state.size() ||
      CRYPTO_memcmp(state->data(), expected_state.data(), state->size()) != 0) {
    throw Error(errc::invalid_argument,
                "the OAuth callback's state does not match the one this login sent; not accepting it");
  }
  if (error) {
    ErrorDetail d;
    d.api_error = *error;
    d.api_description = description.value_or("");
    d.context = *error == "access_denied" ? "the user denied access (error=access_denied)"
                                          : "the authorization server returned error=" + *error;
    throw Error(make_error_code(errc::unauthorized), std::move(d));
  }
  if (!code || code->empty()) throw Error(errc::invalid_argument, "the OAuth callback has no code");
  return *code;
}

namespace {
// The coroutines behind exchange_code/refresh; the public functions are plain so that GCC 12
// never initialises a coroutine parameter from a converted temporary (it corrupts those).
asio::awaitable<Tokens> exchange_code_impl(asio::any_io_executor ex, Config cfg, std::string code) {
  net::Params form{{"client_id", cfg.client_id}, {"client_secret", cfg.client_secret},
                   {"grant_type", "authorization_code"}, {"code", std::move(code)}};
  if (!cfg.redirect_uri.empty()) form.add("redirect_uri", cfg.redirect_uri);
  co_return co_await token_request(ex, std::move(cfg), std::move(form), std::string("exchanging the authorization code"));
}

asio::awaitable<Tokens> refresh_impl(asio::any_io_executor ex, Config cfg, std::string refresh_token) {
  net::Params form{{"client_id", cfg.client_id}, {"client_secret", cfg.client_secret},
                   {"grant_type", "refresh_token"}, {"refresh_token", std::move(refresh_token)}};
  co_return co_await token_request(ex, std::move(cfg), std::move(form), std::string("refreshing the access token"));
}
}  // namespace

asio::awaitable<Tokens> exchange_code(asio::any_io_executor ex, Config cfg, std::string code) {
  return exchange_code_impl(std::move(ex), std::move(cfg), std::move(code));
}

asio::awaitable<Tokens> refresh(asio::any_io_executor ex, Config cfg, std::string refresh_token) {
  return refresh_impl(std::move(ex), std::move(cfg), std::move(refresh_token));
}

// ---- stores -------------------------------------------------------------------------------

std::optional<Tokens> MemoryTokenStore::load() {
  std::lock_guard lock(mutex_);
  return tokens_;
}

void MemoryTokenStore::save(const Tokens& tokens) {
  std::lock_guard lock(mutex_);
  tokens_ = tokens;
}

FileTokenStore::FileTokenStore(std::filesystem::path path) : path_(std::move(path)) {}

std::filesystem::path FileTokenStore::default_path(std::string_view name) {
  std::filesystem::path base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::filesystem::path(h) / ".config";
  else base = ".";
  return base / "wrike-cascade" / name;
}

std::optional<Tokens> FileTokenStore::load() {
  std::ifstream in(path_);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) {
    throw Error(errc::config_error, "token file '" + path_.string() + "' is not valid JSON; log in again");
  }
  return tokens_from_json(v.get_object());
}

void FileTokenStore::save(const Tokens& tokens) {
  const auto dir = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
  std::error_code fec;
  std::filesystem::create_directories(dir, fec);
  if (fec) throw Error(errc::config_error, "cannot create '" + dir.string() + "': " + fec.message());
  std::string tmpl = (dir / ("." + path_.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());  // created with mode 0600
  if (fd < 0) throw Error(errc::config_error, "cannot write a token file in '" + dir.string() + "': " + std::strerror(errno));
  const std::string body = boost::json::serialize(to_json(tokens)) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t off = 0; ok && off < body.size();) {
    const auto n = ::write(fd, body.data() + off, body.size() - off);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    off += n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(tmpl.c_str(), path_.c_str()) != 0) {
    const int err = ok ? errno : saved_errno;
    ::unlink(tmpl.c_str());
    throw Error(errc::config_error, "cannot save tokens to '" + path_.string() + "': " + std::strerror(err) +
                                        " (the previous file is unchanged)");
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    ::fsync(dfd);  // make the rename itself durable
    ::close(dfd);
  }
}

namespace {
class FlockLock final : public TokenStore::Lock {
 public:
  explicit FlockLock(int fd) : fd_(fd) {}
  ~FlockLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};
}  // namespace

std::unique_ptr<TokenStore::Lock> FileTokenStore::try_lock() {
  const auto dir = path_.parent_path().empty() ? std::filesystem::path(".") : path_.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string lock_path = path_.string() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(errc::config_error, "cannot open '" + lock_path + "': " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<FlockLock>(fd);
}

// ---- RefreshingAuth -----------------------------------------------------------------------

struct RefreshingAuth::State {
  State(asio::any_io_executor e, Config c, std::shared_ptr<TokenStore> s)
      : ex(e), strand(asio::make_strand(e)), cfg(std::move(c)), store(std::move(s)) {}
  asio::any_io_executor ex;
  asio::strand<asio::any_io_executor> strand;
  Config cfg;
  std::shared_ptr<TokenStore> store;
  std::mutex mutex;  // guards tokens and on_refresh for readers outside the strand
  std::optional<Tokens> tokens;
  std::function<void(const Tokens&)> on_refresh;
  bool refreshing = false;              // strand only
  std::vector<asio::steady_timer*> waiters;  // strand only
  std::atomic<std::size_t> refreshes{0};

  Tokens snapshot() {
    std::lock_guard lock(mutex);
    if (!tokens) {
      tokens = store->load();
      if (!tokens) {
        throw Error(errc::unauthorized, "no OAuth tokens in " + store->identity() + ": log in first");
      }
    }
    return *tokens;
  }
};

RefreshingAuth::RefreshingAuth(asio::any_io_executor ex, Config cfg, std::shared_ptr<TokenStore> store)
    : state_(std::make_shared<State>(std::move(ex), std::move(cfg), std::move(store))) {}

RefreshingAuth::~RefreshingAuth() = default;

std::string RefreshingAuth::key() const { return net::credential_key("oauth:" + state_->store->identity()); }

void RefreshingAuth::on_refresh(std::function<void(const Tokens&)> f) {
  std::lock_guard lock(state_->mutex);
  state_->on_refresh = std::move(f);
}

Tokens RefreshingAuth::current() { return state_->snapshot(); }

std::size_t RefreshingAuth::refresh_count() const { return state_->refreshes.load(); }

asio::awaitable<std::string> RefreshingAuth::authorization() {
  auto t = state_->snapshot();
  if (t.needs_refresh(state_->cfg.refresh_margin)) {
    co_await refresh_now(t.access_token);
    t = state_->snapshot();
  }
  co_return t.token_type.empty() ? "bearer " + t.access_token : "bearer " + t.access_token;
}

asio::awaitable<bool> RefreshingAuth::refresh_after_unauthorized(std::string failed) {
  const std::string prefix = "bearer ";
  std::string stale = failed.size() > prefix.size() ? failed.substr(prefix.size()) : failed;
  co_await refresh_now(std::move(stale));
  co_return true;
}

// Runs on the state's strand. A named coroutine, not a capturing lambda: GCC 12 destroys a
// lambda coroutine's captures twice.
asio::awaitable<void> refresh_on_strand(std::shared_ptr<RefreshingAuth::State> st, std::string stale) {
  // One refresh at a time in this process; the others wait for it and use its result.
  while (st->refreshing) {
    asio::steady_timer wait(st->strand, asio::steady_timer::time_point::max());
    st->waiters.push_back(&wait);
    co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    std::erase(st->waiters, &wait);
  }
  if (st->snapshot().access_token != stale) co_return;  // already refreshed meanwhile
  st->refreshing = true;
  auto done = [st] {
    st->refreshing = false;
    for (auto* w : st->waiters) w->cancel();
  };
  try {
    // Across processes: the store's lock, polled so this thread keeps serving others.
    std::unique_ptr<TokenStore::Lock> lock;
    const auto give_up = std::chrono::steady_clock::now() + st->cfg.timeout;
    while (!(lock = st->store->try_lock())) {
      if (std::chrono::steady_clock::now() > give_up) {
        throw Error(errc::timeout, "another process holds the token lock of " + st->store->identity());
      }
      asio::steady_timer poll(st->strand, std::chrono::milliseconds(20));
      co_await poll.async_wait(asio::use_awaitable);
    }
    auto stored = st->store->load();
    Tokens fresh;
    if (stored && stored->access_token != stale && !stored->needs_refresh(st->cfg.refresh_margin)) {
      fresh = *stored;  // another process rotated the pair already
    } else {
      const std::string rt = stored ? stored->refresh_token : st->snapshot().refresh_token;
      if (rt.empty()) throw Error(errc::unauthorized, "the access token expired and there is no refresh token: log in again");
      std::string old_host = stored ? stored->host : st->snapshot().host;
      try {
        fresh = co_await refresh(st->ex, st->cfg, rt);
      } catch (const Error& e) {
        if (e.detail().http_status == 400 || e.detail().http_status == 401 || e.detail().http_status == 403) {
          auto d = e.detail();
          d.context += "; the refresh token was refused: log in again";
          throw Error(make_error_code(errc::unauthorized), std::move(d));
        }
        throw;
      }
      if (fresh.refresh_token.empty()) fresh.refresh_token = rt;  // no rotation this time
      if (fresh.host.empty()) fresh.host = old_host;
      st->store->save(fresh);  // persisted before it is used
      ++st->refreshes;
    }
    std::function<void(const Tokens&)> notify;
    {
      std::lock_guard guard(st->mutex);
      st->tokens = fresh;
      notify = st->on_refresh;
    }
    if (notify) notify(fresh);
  } catch (...) {
    done();
    throw;
  }
  done();
}

asio::awaitable<void> RefreshingAuth::refresh_now(std::string stale_access_token) {
  co_await asio::co_spawn(state_->strand, refresh_on_strand(state_, std::move(stale_access_token)),
                          asio::use_awaitable);
}

}  // namespace wrike_cascade::oauth
