// OAuth 2.0 authorization-code flow with rotating refresh tokens: one implementation, used by
// the Wrike client and the Cascade new-platform client.
//
//   oauth::Config cfg{...};                        // endpoints, client id/secret, redirect URI
//   auto state = oauth::generate_state();
//   std::cout << oauth::authorize_url(cfg, state);  // the user opens this
//   auto code = oauth::parse_callback(callback_target, state);   // rejects a wrong state
//   auto tokens = co_await oauth::exchange_code(http, cfg, code);
//   store->save(tokens);
//   auto auth = std::make_shared<oauth::RefreshingAuth>(ex, cfg, store);  // an AuthProvider
//
// Refresh tokens rotate (each refresh invalidates the old one), so RefreshingAuth serialises
// refreshes of one credential (in the process, and across processes through the store's lock),
// re-reads the store before refreshing (another process may have rotated it already), and
// persists the new pair atomically before using it.
#pragma once

#include <wrike_cascade/error.hpp>
#include <wrike_cascade/net/http.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wrike_cascade::oauth {

struct Config {
  std::string authorize_url;   // e.g. https://login.wrike.com/oauth2/authorize/v4
  std::string token_url;       // e.g. https://login.wrike.com/oauth2/token
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;    // optional for Wrike; must match the app's registration
  std::vector<std::string> scopes;
  std::string scope_separator = ",";   // Wrike joins scopes with commas
  std::optional<std::string> ca_file;  // extra trust anchors for the token endpoint
  std::chrono::seconds refresh_margin{120};  // refresh this long before expiry
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct Tokens {
  std::string access_token;
  std::string refresh_token;
  std::string token_type = "bearer";
  std::optional<std::chrono::system_clock::time_point> expires_at;
  std::optional<std::chrono::system_clock::time_point> issued_at;  // when the pair was received
  std::string host;            // Wrike: the account's API host ("www.wrike.com", "app-eu.wrike.com")
  std::string scope;
  boost::json::object extra;   // other fields of the token response, kept

  bool expires_within(std::chrono::seconds margin) const;
  // Whether to refresh before using the access token: it expires within `margin`, capped at
  // half its lifetime (so a short-lived token is not refreshed on every request).
  bool needs_refresh(std::chrono::seconds margin) const;
};

// JSON form used by the token stores (never logged).
boost::json::object to_json(const Tokens& t);
Tokens tokens_from_json(const boost::json::object& o);
// Reads a token endpoint response; `received_at` turns expires_in into expires_at.
Tokens tokens_from_response(const boost::json::value& body, std::chrono::system_clock::time_point received_at);

// 32 random bytes from OpenSSL's CSPRNG, base64url without padding.
std::string generate_state();

std::string authorize_url(const Config& cfg, std::string_view state);

// Reads the redirect the browser came back with (a full URL or just its target/query).
// Returns the authorization code. Throws Error(errc::unauthorized) when the user denied access
// (error=access_denied, with error_description when given), and Error(errc::invalid_argument)
// when state is missing or wrong, or no code came back.
std::string parse_callback(std::string_view callback, std::string_view expected_state);

// POSTs to cfg.token_url (form-encoded); never retried blindly: a refresh that reached the
// server has already rotated the token. (Arguments by value: the coroutines start lazily.)
boost::asio::awaitable<Tokens> exchange_code(boost::asio::any_io_executor ex, Config cfg, std::string code);
boost::asio::awaitable<Tokens> refresh(boost::asio::any_io_executor ex, Config cfg, std::string refresh_token);

// Where tokens live between runs.
class TokenStore {
 public:
  virtual ~TokenStore() = default;
  virtual std::optional<Tokens> load() = 0;
  // Atomic: a reader sees the old pair or the new pair, never a mix or a partial file.
  virtual void save(const Tokens& tokens) = 0;
  // Cross-process exclusion around a refresh. try_lock() returns null while another holder
  // has it (callers poll without blocking their thread); the default always succeeds.
  class Lock {
   public:
    virtual ~Lock() = default;
  };
  virtual std::unique_ptr<Lock> try_lock() { return std::make_unique<Lock>(); }
  // A stable, non-secret identity (for rate limiting and messages).
  virtual std::string identity() const = 0;
};

class MemoryTokenStore final : public TokenStore {
 public:
  explicit MemoryTokenStore(std::optional<Tokens> initial = {}) : tokens_(std::move(initial)) {}
  std::optional<Tokens> load() override;
  void save(const Tokens& tokens) override;
  std::string identity() const override { return "memory"; }

 private:
  std::mutex mutex_;
  std::optional<Tokens> tokens_;
};

// A JSON file, mode 0600, written to a temporary file in the same folder, fsynced and renamed
// over the old one. try_lock() takes an exclusive flock on "<file>.lock".
class FileTokenStore final : public TokenStore {
 public:
  explicit FileTokenStore(std::filesystem::path path);
  std::optional<Tokens> load() override;
  void save(const Tokens& tokens) override;
  std::unique_ptr<Lock> try_lock() override;
  std::string identity() const override { return path_.string(); }
  const std::filesystem::path& path() const noexcept { return path_; }

  // The default location: $XDG_CONFIG_HOME/wrike-cascade/<name> (~/.config when unset).
  static std::filesystem::path default_path(std::string_view name);

 private:
  std::filesystem::path path_;
};

// An AuthProvider that refreshes before expiry and once after a 401.
class RefreshingAuth final : public net::AuthProvider {
 public:
  RefreshingAuth(boost::asio::any_io_executor ex, Config cfg, std::shared_ptr<TokenStore> store);
  ~RefreshingAuth() override;

  boost::asio::awaitable<std::string> authorization() override;
  boost::asio::awaitable<bool> refresh_after_unauthorized(std::string failed) override;
  std::string key() const override;

  // Called with the new tokens after every refresh (e.g. to follow Wrike's `host`).
  void on_refresh(std::function<void(const Tokens&)> f);
  // The tokens in use (loads the store the first time). Throws when there are none.
  Tokens current();
  std::size_t refresh_count() const;

 private:
  boost::asio::awaitable<void> refresh_now(std::string stale_access_token);

 public:
  struct State;  // (public only so the refresh coroutine in oauth.cpp can name it)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace wrike_cascade::oauth
