// The Cascade emulator: both Cascade APIs (cascade-api.md §3 Classic /api/v2, §4 the new
// platform's integrations API) and the new platform's OAuth 2.0 server, over a CascadeStore,
// on the emulator framework's Server (faults, request log, rate limit, generated CA).
//
//   CascadeEmulator cascade;                      // generated data, default tokens
//   cascade.start();
//   cascade.classic_api_url();                    // "https://127.0.0.1:P1/api/v2"
//   cascade.platform_api_url();                   // "https://127.0.0.1:P1" (the region-redirect entry)
//   cascade.oauth_url();                          // "https://127.0.0.1:P1" (/authorize, /oauth/token)
//   cascade.write_ca_file("ca.pem");              // both servers' CAs, one PEM file
//   cascade.server().add_fault(FaultRule::http_status(503).on("GET", "/api/v2/tasks"));
//   cascade.store().count(ClassicKind::task);
//   cascade.stop();
//
// Two servers:
//   server()           Classic under /api/v2, the platform's entry point under /v2 and OAuth at
//                      /authorize and /oauth/token.
//   regional_server()  the platform's "regional" host: the entry point checks the token, then
//                      answers every /v2 request with 307 Temporary Redirect to the same path
//                      and query on http(s)://<regional_host>:<regional port> (cascade-api.md §2:
//                      integrations-region-redirect). With region_redirect = false the entry
//                      point serves the platform API itself and the regional server is not started.
// Each server has its own request log, faults and rate limit; both log every request.
//
// ---- Classic (/api/v2; `Authorization: Bearer <token>` only, no query-string token) ----------
//   GET    /goals   /tasks   /issues   /updates        list (see paging and filters below)
//   POST   /goals   /tasks   /issues   /updates        create -> 201 (tasks: 201; swagger dialect 200)
//   GET    /{kind}s/{id}                                one record
//   PUT    /{kind}s/{id}                                partial update -> 200 (issues: 201 in the
//                                                       swagger dialect, as the Swagger draws it)
//   DELETE /{kind}s/{id}                                204 (swagger/mixed dialects: 200 with
//                                                       {"message","code","status"}); deleting a
//                                                       goal deletes its tasks, issues, updates
// Request bodies must be exactly the Swagger's: {"goal": {...}} etc. (400 naming the field for
// an unwrapped body, a missing required field, an undeclared field, a wrong JSON type, an
// enum value not in the list, 0/1 fields other than 0/1, dates that are neither Unix seconds
// nor ISO 8601, action > 25 or details > 300 characters, an empty title). 422 for references
// that do not resolve (goal_id, role_id, creator_id, focus areas, aligned goals), an alignment
// cycle, direct focus areas on a non-top-level goal, an end before the start. 404 for an
// unknown record in the path. 401 for a missing/unknown token, 403 for a token without the
// scope of the resource (ClassicToken::scopes, the labels of cascade-api.md §3.1).
// Error bodies: {"message": "...", "code": <status>, "status": "bad_request"|"unauthorized"|
// "forbidden"|"not_found"|"unprocessable_entity"|"too_many_requests"|..., "errors":
// {"goal.action": ["is required"]}} (errors only for 400/422 about fields).
//
// Paging (cascade-api.md §3.2, S4): `offset` and `limit`. By default `offset` is a 1-based PAGE
// NUMBER (offset=1 is the first `limit` records, offset=2 the next, ...; the documented default
// 1), which is what cascade::classic::Client assumes by default (OffsetMode::page_number);
// ClassicOffsetMode::row_offset makes it a 0-based row offset instead. `limit` defaults to
// default_limit; above max_limit (when set) -> 400. Records come in ID order. No total, no
// links: a client pages until a short page.
// Filters (400 for any other query parameter, or a malformed value):
//   all lists   id=1,2,3 (comma-separated IDs), offset, limit
//   /goals      role_id, creator_id, status (APPRO|DRAFT|ARCHI), completion_criteria,
//               target_flow, action (<= 25 chars), detail (<= 300 chars; S4's spelling)
//               action/detail match case-insensitive substrings of action/details. No status
//               filter means every status (S4's "Default: DRAFT" is not applied).
//   /tasks      goal_id, role_id, is_complete (0|1)      (undocumented; what a sync needs)
//   /issues     goal_id, role_id, is_critical, is_resolved (0|1)
//   /updates    goal_id
//
// Response forms (ClassicDialect; switchable at run time):
//   canonical  lists {"goals": [...]}, records {"goal": {...}}, integer IDs, 0/1, ISO 8601.
//   swagger    the shapes the Swagger file draws: lists under the SINGULAR key holding an
//              array (goals, issues, updates; tasks under "tasks"), POST /tasks answers 200
//              {"tasks": {...}}, POST /issues and /updates answer "id" as a string, PUT /issues
//              answers 201 without "id", dates "YYYY-MM-DD HH:MM:SS".
//   mixed      varies per record and field (deterministically, by ID): IDs as numbers or
//              numeric strings, booleans 0/1, "0"/"1", true/false, "true"/"false", numbers
//              as numbers or strings, dates as ISO 8601, "...+02:00", Unix seconds (number or
//              string) or "YYYY-MM-DD HH:MM:SS", unset values null or "", an empty
//              custom_attributes as [], lists under the plural or the singular key, paging
//              metadata in an extra "meta" key, records under the plural key.
//
// ---- New platform (/v2; Bearer: an OAuth access token from /oauth/token, or a static
//      platform token) ------------------------------------------------------------------------
//   GET /v2/users/me/workspaces                    {"workspaces": [{"id","displayName"}]}
//   GET /v2/workspaces/{id}/plans                  {"plans": [...]}        (403 not a member)
//   GET /v2/plans/{id}/measures?workspace_id=W     {"measures": [...]}     (workspace_id required)
//   GET /v2/plans/{id}/actions?workspace_id=W      {"actions": [...]}
//   PUT /v2/measures/{id}             {"workspace_id","plan_id","measure_value"}     all required
//   PUT /v2/measures/historical/{id}  {"workspace_id","plan_id","historical_data":[{"date":
//                                     "YYYY-MM-DD","value": int32}]}  (fractions: 400 unless
//                                     allow_fractional_history)
//   PUT /v2/actions/{id}              {"workspace_id","plan_id","action_value"}      all required
//   -> {"message": "..."}. 400 for undeclared keys, missing or mistyped fields, 404 unknown
//   record, 422 a body whose workspace_id/plan_id do not hold the record, 403 a workspace the
//   user is not a member of. Writes show in later reads: measures carry "planId",
//   "currentValue" and "historicalData" (sorted by date; a date sent again replaces its
//   value), actions "planId" and "progress" (emulator additions, dropped with
//   platform_state_in_reads = false). Error bodies: {"statusCode": 400, "message": "...",
//   "error": "Bad Request"}.
//   The mixed dialect lists measures and actions under the singular key.
//
// ---- OAuth 2.0 (Auth0-like; cascade-api.md §4.1) --------------------------------------------
//   GET  /authorize?response_type=code&client_id&redirect_uri&scope&state -> 302 redirect_uri?code&state
//   POST /oauth/token  (form or JSON; client credentials in the body or HTTP Basic)
//        grant_type=authorization_code (code, redirect_uri) | refresh_token (refresh_token)
//        -> {"access_token","refresh_token","id_token","scope","expires_in","token_type":"Bearer"}
//   A refresh token is issued only when the scope holds offline_access; refresh tokens rotate
//   (the old one is dead after use; using it again is invalid_grant). Errors: {"error",
//   "error_description"}; invalid_grant is 403 (as Auth0 answers), others 400/401.
#pragma once

#include <wrike_cascade/emulator/cascade_store.hpp>
#include <wrike_cascade/emulator/server.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wrike_cascade::emulator {

enum class ClassicDialect { canonical, swagger, mixed };
std::string_view to_string(ClassicDialect d) noexcept;
std::optional<ClassicDialect> parse_classic_dialect(std::string_view s) noexcept;

enum class ClassicOffsetMode { page_number, row_offset };

// A Classic API token (cascade-api.md §3.1): it acts as its user and sees the resources of its
// scopes ("Goals", "Tasks", "Issues", "Updates"; other labels are accepted and ignored).
struct ClassicToken {
  std::string token;
  std::int64_t user_id = 1;
  std::vector<std::string> scopes{"Goals", "Tasks", "Issues", "Updates"};
};

struct CascadeOAuthClient {
  std::string id;
  std::string secret;
  std::vector<std::string> redirect_uris;  // empty: any http(s) redirect_uri
};

struct CascadeOAuthOptions {
  std::vector<CascadeOAuthClient> clients;
  bool deny = false;                                   // the user refuses: error=access_denied
  std::chrono::seconds access_token_ttl{86400};        // Auth0's default
  std::chrono::seconds code_ttl{60};
};

struct CascadeOAuthCounters {
  std::size_t authorizations = 0;           // codes issued
  std::size_t denials = 0;
  std::size_t code_exchanges = 0;
  std::size_t refreshes = 0;
  std::size_t tokens_issued = 0;
  std::size_t refresh_reuse_attempts = 0;   // a rotated refresh token sent again
  std::size_t invalid_grants = 0;
  std::size_t invalid_clients = 0;
  std::size_t expired_token_rejections = 0; // platform requests refused with an expired token
};

// A request that carried a body (or was a DELETE), kept with what it was answered.
struct CascadeBodyRecord {
  std::string server;   // "main" or "regional"
  std::string method;
  std::string path;
  std::string query;
  std::string body;
  int status = 0;
};

ServerOptions cascade_default_server_options();  // ServerOptions with the rate limit off

struct CascadeEmulatorOptions {
  ServerOptions server = cascade_default_server_options();
  // The regional server (ports; everything else comes from `server`).
  bool region_redirect = true;
  std::string regional_host = "127.0.0.1";  // the host name in the 307 Location; another name
                                            // than the entry point's lets a test check that the
                                            // client drops Authorization there
  std::uint16_t regional_http_port = 0;
  std::uint16_t regional_https_port = 0;

  std::vector<ClassicToken> classic_tokens{ClassicToken{"cascade-classic-token"}};
  std::vector<std::string> platform_tokens{"cascade-platform-token"};  // static bearer tokens

  CascadeGeneratorOptions generator{};
  std::optional<std::filesystem::path> data_path;  // load instead of generating

  ClassicDialect dialect = ClassicDialect::canonical;
  ClassicOffsetMode offset_mode = ClassicOffsetMode::page_number;
  int default_limit = 100;  // `limit` when a list request sends none
  int max_limit = 0;        // 0 = no maximum
  bool allow_fractional_history = false;
  bool platform_state_in_reads = true;

  CascadeOAuthOptions oauth{};
  std::size_t body_log_capacity = 20000;  // CascadeBodyRecords kept (oldest dropped)
};

class CascadeEmulator {
 public:
  explicit CascadeEmulator(CascadeEmulatorOptions options = {});
  ~CascadeEmulator();
  CascadeEmulator(const CascadeEmulator&) = delete;
  CascadeEmulator& operator=(const CascadeEmulator&) = delete;

  void start();  // both servers; throws when a port cannot be bound
  void stop();

  Server& server();
  Server& regional_server();
  CascadeStore& store();
  const CascadeEmulatorOptions& options() const;

  std::string http_url() const;                        // "http://127.0.0.1:P"
  std::string https_url() const;                       // "https://127.0.0.1:P"
  std::string classic_api_url(bool tls = true) const;  // + "/api/v2"
  std::string platform_api_url(bool tls = true) const; // the entry point (paths start /v2)
  std::string regional_url(bool tls = true) const;     // "https://<regional_host>:P2"
  std::string oauth_url(bool tls = true) const;        // base of /authorize and /oauth/token
  std::string ca_cert_pem() const;                     // both servers' CA certificates
  void write_ca_file(const std::filesystem::path& path) const;

  // ---- Classic tokens (thread-safe, effective immediately) ----------------------------------
  void set_classic_tokens(std::vector<ClassicToken> tokens);
  void add_classic_token(ClassicToken token);
  bool revoke_classic_token(std::string_view token);
  std::string classic_token() const;   // the first one ("" when none)

  // ---- platform static tokens ---------------------------------------------------------------
  void set_platform_tokens(std::vector<std::string> tokens);
  std::string platform_token() const;  // the first one ("" when none)

  // ---- behaviour switches -------------------------------------------------------------------
  void set_dialect(ClassicDialect d);
  ClassicDialect dialect() const;
  void set_offset_mode(ClassicOffsetMode m);
  void set_limits(int default_limit, int max_limit);

  // ---- OAuth --------------------------------------------------------------------------------
  void add_oauth_client(CascadeOAuthClient client);
  void set_oauth_deny(bool deny);
  void set_access_token_ttl(std::chrono::seconds ttl);  // for tokens issued from now on
  void expire_access_tokens();                          // every issued access token expires now
  CascadeOAuthCounters oauth_counters() const;
  void reset_oauth_counters();

  // ---- request bodies -----------------------------------------------------------------------
  std::vector<CascadeBodyRecord> request_bodies() const;
  void clear_request_bodies();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wrike_cascade::emulator
