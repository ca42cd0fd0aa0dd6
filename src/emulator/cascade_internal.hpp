// Internals of the Cascade emulator, shared by cascade_*.cpp (not installed).
#pragma once

#include "oauth_common.hpp"

#include <wrike_cascade/ascii.hpp>
#include <wrike_cascade/emulator/cascade_emulator.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wrike_cascade::emulator::cascade_detail {

namespace json = boost::json;

// ---- time ---------------------------------------------------------------------------------

// A Classic date or instant: Unix seconds (UTC) and whether it was given as a date.
struct Instant {
  std::int64_t secs = 0;
  bool date_only = false;
};

// Unix seconds ("1714557600", optional sign), "YYYY-MM-DD", or
// "YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]" (no zone: UTC). nullopt otherwise.
std::optional<Instant> parse_instant(std::string_view text);
// "YYYY-MM-DD" exactly, a real date -> days since the epoch.
std::optional<std::int64_t> parse_ymd(std::string_view text);
std::string format_canonical(const Instant& t);           // "YYYY-MM-DD" or "...THH:MM:SSZ"
std::string format_iso(std::int64_t secs);                // "YYYY-MM-DDTHH:MM:SSZ"
std::string format_ymd(std::int64_t secs);                // "YYYY-MM-DD"
std::string format_sql(std::int64_t secs);                // "YYYY-MM-DD HH:MM:SS"
std::string format_with_offset(std::int64_t secs, int offset_minutes);  // "...T..+02:00"
std::string format_time_point(std::chrono::system_clock::time_point t);   // format_iso

// ---- misc ---------------------------------------------------------------------------------

using shared::random_token;  // [A-Za-z0-9], CSPRNG
std::size_t code_points(std::string_view s) noexcept;
// Deterministic 64-bit mixing (splitmix64 finaliser).
std::uint64_t mix(std::uint64_t x) noexcept;

// ---- Classic records ----------------------------------------------------------------------

// A new record in canonical form: every stored key present (null when unset), the defaults
// the API applies (goal: status DRAFT, completion_criteria TARGET-REACHED, target_flow OVER,
// tracking_type MANUAL, weight 3, is_private 0, initial/progress 0; task: is_complete 0;
// issue: is_critical/is_resolved 0; update: type "comment", deleted 0), created_at and
// updated_at = now, custom_attributes {}.
json::object new_classic_record(ClassicKind k, std::int64_t id, const std::string& now);
// The keys of each stored record, in order.
const std::vector<std::string_view>& classic_keys(ClassicKind k);
// Which stored keys hold what (for normalising and rendering).
enum class FieldKind { id, id_list, boolean, number, integer, date, text, object, other };
FieldKind classic_field_kind(std::string_view key);

// ---- errors -------------------------------------------------------------------------------

using FieldErrors = std::vector<std::pair<std::string, std::string>>;  // field -> problem

// {"message", "code", "status", "errors"?}
Response classic_error(int status, std::string_view message, const FieldErrors& errors = {});
// {"statusCode", "message", "error"}
Response platform_error(int status, std::string_view message);
std::string_view classic_status_text(int status) noexcept;  // "bad_request", ...
std::string_view reason_phrase(int status) noexcept;        // "Bad Request", ...

Response json_response(int status, const json::value& v);

// ---- OAuth --------------------------------------------------------------------------------

class OAuth {
 public:
  explicit OAuth(CascadeOAuthOptions options);
  void install(Server& server);

  enum class Check { ok, unknown, expired };
  Check check(std::string_view access_token);

  void add_client(CascadeOAuthClient c);
  void set_deny(bool deny);
  void set_access_token_ttl(std::chrono::seconds ttl);
  void expire_access_tokens();
  CascadeOAuthCounters counters() const;
  void reset_counters();

 private:
  using Clock = std::chrono::steady_clock;
  struct Code {
    std::string client_id;
    std::optional<std::string> redirect_uri;
    std::string scope;
    Clock::time_point expires;
    bool used = false;
  };
  struct Refresh {
    std::string client_id;
    std::string scope;
    bool rotated = false;
  };
  Response authorize(const Request& r);
  Response token(const Request& r);
  Response issue(const std::string& client_id, const std::string& scope);  // mutex held
  const CascadeOAuthClient* client(std::string_view id) const;             // mutex held

  mutable std::mutex mutex_;
  CascadeOAuthOptions options_;
  std::unordered_map<std::string, Code> codes_;
  std::unordered_map<std::string, Refresh> refresh_;
  std::unordered_map<std::string, Clock::time_point> access_;
  CascadeOAuthCounters counters_;
};

// ---- the state the routes share -----------------------------------------------------------

struct Settings {
  ClassicDialect dialect = ClassicDialect::canonical;
  ClassicOffsetMode offset_mode = ClassicOffsetMode::page_number;
  int default_limit = 100;
  int max_limit = 0;
  bool allow_fractional_history = false;
  bool platform_state_in_reads = true;
};

class Service {
 public:
  Service(CascadeStore& store, OAuth& oauth, const CascadeEmulatorOptions& o);

  CascadeStore& store;
  OAuth& oauth;

  Settings settings() const;
  void update_settings(const std::function<void(Settings&)>& f);

  std::optional<ClassicToken> classic_token(std::string_view token) const;
  void set_classic_tokens(std::vector<ClassicToken> t);
  void add_classic_token(ClassicToken t);
  bool revoke_classic_token(std::string_view t);
  std::string first_classic_token() const;

  // ok, unknown or expired (OAuth tokens expire; static ones do not).
  OAuth::Check check_platform_token(std::string_view token) const;
  void set_platform_tokens(std::vector<std::string> t);
  std::string first_platform_token() const;

  // Wraps a handler so requests with a body (and DELETEs) land in the body log.
  Handler recorded(std::string server_name, Handler h);
  std::vector<CascadeBodyRecord> bodies() const;
  void clear_bodies();

  // The 307 target: set once the regional server listens.
  void set_regional(std::string http_base, std::string https_base);
  std::string regional_base(bool tls) const;

 private:
  mutable std::shared_mutex mutex_;
  Settings settings_;
  std::vector<ClassicToken> classic_tokens_;
  std::vector<std::string> platform_tokens_;
  std::string regional_http_, regional_https_;

  mutable std::mutex bodies_mutex_;
  std::deque<CascadeBodyRecord> bodies_;
  std::size_t body_capacity_;
};

void install_classic_routes(Server& server, Service& service);
// entry = true: the region-redirect entry point (307 to the regional base after the token
// check); false: the API itself.
void install_platform_routes(Server& server, Service& service, bool entry);

}  // namespace wrike_cascade::emulator::cascade_detail
