// The Wrike API v4 emulator: an emulator::Server with Wrike's routes under /api/v4 (reads,
// task/folder writes, webhooks) and an OAuth 2.0 server under /oauth2, over a WrikeStore.
//
//   WrikeEmulatorOptions o;                 // token "emulator-token", generated data
//   o.generator.tasks_per_project = 50;
//   WrikeEmulator wrike(o);
//   wrike.start();
//   wrike.api_url();                        // "https://127.0.0.1:PORT/api/v4"
//   wrike.write_ca_file("ca.pem");          // trust this CA; the cert is for 127.0.0.1/localhost
//   wrike.server().add_fault(FaultRule::too_many_requests().on("GET", "/api/v4/tasks"));
//   wrike.store().touch_task(id);
//   wrike.wait_for_idle(2s);                // webhook deliveries done
//   wrike.stop();
//
// Every success body is {"kind":..,"data":[..]}, every error body {"errorDescription":..,
// "error":..}; parameters an endpoint does not declare give 400 invalid_request "Parameter 'x'
// is not allowed"; access_token, state and method are accepted everywhere (`state` is not
// echoed); a GET with method=POST|PUT|DELETE runs that method's handler (Wrike's override).
// Tokens: the configured ones (never expire) and the access tokens the OAuth server issued
// (until they expire); anything else is 401 not_authorized.
//
// Read routes (GET):
//   /account                     fields
//   /contacts                    me metadata deleted customFields emails active name types fields
//                                (deleted contacts are listed unless deleted=false)
//   /contacts/{ids}              metadata types fields
//   /spaces                      withArchived userIsMember withInvitations title accessTypes fields
//   /spaces/{id}                 withInvitations fields
//   /folders, /folders/{id}/folders, /spaces/{id}/folders
//       without filters: kind "folderTree" (the container itself first, then its descendants,
//       or only its children with descendants=false; /folders lists the whole account with
//       Root and Recycle Bin); pageSize/nextPageToken there -> 400 invalid_request.
//       With any filter (permalink metadata customField customFields updatedDate project
//       deleted contractTypes plainTextCustomFields customItemTypes customStatuses authors
//       owners startDate endDate completedDate title fields): kind "folders", full models of
//       the descendants (not the container; Root/Recycle Bin never), store order, paged by
//       pageSize/nextPageToken (all of them without pageSize). `deleted` is not declared on
//       /folders/{id}/folders.
//   /folders/{ids}               withInvitations plainTextCustomFields fields (<= 100 ids)
//   /tasks, /folders/{id}/tasks, /spaces/{id}/tasks
//       descendants (folder/space forms only; default true; false = only tasks whose
//       parentIds name the container itself) title status importance startDate
//       dueDate scheduledDate createdDate updatedDate completedDate authors responsibles
//       responsiblePlaceholders permalink type limit sortField sortOrder subTasks pageSize
//       nextPageToken metadata customField customFields customStatuses withInvitations
//       billingTypes plainTextCustomFields customItemTypes fields.
//       Only tasks in the workspace (scope WsTask); subtasks only with subTasks=true.
//       Default order: updatedDate descending (what Wrike staff describe); with sortField and
//       no sortOrder: ascending; ties broken by id ascending. Without pageSize: at most the
//       first 1000 (max_unpaged_tasks), no nextPageToken, no responseSize. With pageSize
//       (1..1000): responseSize (all matches) and nextPageToken while more remain; the token
//       is valid only with exactly the same other parameters (400 invalid_parameter else).
//       Range filters are inclusive at both ends; date-only bounds compare the date part;
//       startDate of a Milestone is its due date; Backlog tasks never match a date filter.
//       title/name filters are case-insensitive "contains". Implemented filters: all of the
//       above except responsiblePlaceholders, billingTypes, withInvitations and
//       plainTextCustomFields, which are validated and accepted but do not filter.
//       customFields filters support every comparator of the API (numbers compare
//       numerically; ContainsAll/ContainsAny split Multiple JSON arrays and Contacts lists).
//       The page token is an offset: data changed between pages may shift items.
//   /tasks/{ids}                 withInvitations plainTextCustomFields fields (<= 100 ids;
//                                full model by default; naming a default field -> 400)
//   /customfields                applicableEntityTypes types inheritanceTypes title fields
//   /customfields/{ids}          fields
//   /spaces/{id}/customfields    fields (fields whose spaceId is the space)
//   /workflows                   fields
//   /spaces/{id}/workflows       fields (account-wide workflows and the space's own)
//
// Unknown ids in the by-id forms: see UnknownIdPolicy.
//
// Writes (wrike-api.md §4.3, §4.5). Bodies: application/x-www-form-urlencoded, or a JSON object
// (its non-string members are taken as their JSON text); another content type or a JSON body
// that is not an object is 400 invalid_request. Structured values are JSON text, parsed
// strictly: bad JSON is 400 invalid_parameter naming the parameter. Every parameter is checked
// before anything changes; a write sets updatedDate and raises webhook events.
//   POST /folders/{id}/tasks     title (required: parameter_required) description status
//       importance dates shareds parents responsibles responsiblePlaceholders followers follow
//       priorityBefore priorityAfter superTasks metadata customFields customStatus
//       effortAllocation billingType withInvitations customItemTypeId plainTextCustomFields
//       workScheduleId fields -> the full task (as GET /tasks/{id}; `fields` as there).
//       customStatus (any workflow's) overrides status; status alone picks the folder
//       workflow's first status of that group; Completed sets completedDate. dates: {type?,
//       start?, due?, duration?, workOnWeekends?}: type inferred when absent; dates become
//       09:00/17:00 local times; Planned needs two of start/due/duration (duration = working
//       days x 480 min). IDs (contacts, folders, tasks, custom fields, statuses) must exist.
//       metadata: <= 100 {key,value}, key 1-49 chars [A-Za-z0-9_-], value < 1000 chars.
//       customFields: <= 100 {id,value}; values checked against the field type (numbers,
//       Checkbox true/false, Date yyyy-MM-dd, DropDown/Multiple options unless
//       allowOtherValues, Contacts ids, Text <= 2000 chars). sharedIds = the folder's + shareds
//       + me; followers = me (unless follow=false) + followers. priorityBefore/After put the
//       priority just before/after that task's.
//   PUT /tasks/{id}              title description status importance dates addParents
//       removeParents addShareds removeShareds addResponsibles removeResponsibles
//       addResponsiblePlaceholders removeResponsiblePlaceholders addFollowers follow
//       priorityBefore priorityAfter addSuperTasks removeSuperTasks metadata (null value
//       deletes the key) customFields (null or "" clears) customStatus restore effortAllocation
//       setResponsibleAllocation billingType withInvitations convertToCustomItemType
//       plainTextCustomFields workScheduleId fields -> the full task. A task keeps >= 1 parent;
//       super tasks cannot form cycles; the super tasks' subTaskIds follow. restore=true puts
//       a deleted task back in the folders it was in. Several ids: 400 (no bulk modify).
//   DELETE /tasks/{id}           -> the task in the Recycle Bin (scope RbTask, parentIds
//       [Recycle Bin], superParentIds []); again: the same answer, no change.
//   PUT /folders/{id}            title description addParents removeParents addShareds
//       removeShareds metadata restore customFields customColumns project withInvitations
//       plainTextCustomFields fields -> the full folder. project: {ownersAdd, ownersRemove,
//       status (Green Yellow Red Completed OnHold Cancelled Custom), customStatusId,
//       startDate, endDate (yyyy-MM-dd or null)}; on a plain folder it makes a project; a
//       null project makes it a folder again. Parents' childIds follow; no cycles. Root and
//       Recycle Bin: 403 not_allowed.
//
// Webhooks (wrike-api.md §6):
//   POST /webhooks, /spaces/{id}/webhooks, /folders/{id}/webhooks   hookUrl (required, http(s))
//       secret events ([TaskCreated,TaskDeleted], unquoted; quoted names accepted; unknown
//       names 400) recursive (folder hooks) -> the hook {id, accountId, folderId|spaceId,
//       hookUrl, events?, recursive (folder hooks), status}. With a secret the hook URL is
//       verified during the request: POST {"requestType":"WebHook secret verification"} with
//       X-Hook-Secret: <random alphanumeric challenge> and X-Hook-Signature: hex
//       HMAC-SHA256(secret, body); the answer must be 200 with X-Hook-Secret = hex
//       HMAC-SHA256(secret, challenge), else 400 invalid_parameter ("Webhook secret
//       verification failed: ...") and no hook. https hook URLs are verified against the
//       system store plus WebhookOptions::ca_pem/ca_file.
//   GET /webhooks, GET /webhooks/{ids}, PUT /webhooks/{id} status=Active|Suspended,
//   DELETE /webhooks/{id} -> {"kind":"webhooks","data":[]}.
//   Deliveries: every change of a task or folder (API writes and WrikeStore helpers; see
//   WrikeChange for the events and their fields) goes to each Active hook whose scope covers
//   it (account: all; space: the space's subtree; folder: its direct children and the folder
//   itself, or with recursive=true its whole subtree; a task counts as in its parentIds and
//   superParentIds) and whose events allow it. Events of one hook are batched over
//   WebhookOptions::batch_window into one POST of a JSON array, signed with X-Hook-Signature
//   when the hook has a secret, on the emulator's own threads. See WebhookOptions for retries
//   and suspension.
//
// OAuth 2.0 (wrike-api.md §2), outside /api/v4:
//   GET /oauth2/authorize/v4 client_id response_type=code redirect_uri state scope -> 302 to
//       redirect_uri with code (and state); with deny: error=access_denied (and state);
//       response_type other than code: error=unsupported_response_type. An unknown client, or
//       a redirect_uri that is not registered, gives a 400 HTML page (no redirect).
//   POST /oauth2/token (form; client_id/client_secret in the form or HTTP Basic)
//       grant_type=authorization_code code [redirect_uri: required when authorize had one] or
//       grant_type=refresh_token refresh_token -> {"access_token","refresh_token",
//       "token_type":"bearer","expires_in":N,"host":"127.0.0.1:<https port>"}. Codes are
//       single-use and expire (code_ttl); refresh tokens rotate (a used one is invalid_grant);
//       errors are {"error","error_description"}: invalid_request, invalid_client (401),
//       invalid_grant, unsupported_grant_type. Fault rules apply here as everywhere.
#pragma once

#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/emulator/wrike_store.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wrike_cascade::emulator {

enum class UnknownIdPolicy {
  not_found,  // any unknown id in /tasks/{ids}, /folders/{ids}, ... -> 404 resource_not_found
  omit,       // leave unknown ids out of `data` (404 only when none is known)
};

// ---- OAuth 2.0 (wrike-api.md §2) --------------------------------------------------------------

// A registered API app. With redirect_uris, an authorize request's redirect_uri must be one of
// them (none given: the first is used); without, any http(s) redirect_uri is accepted.
struct OAuthClient {
  std::string id;
  std::string secret;
  std::vector<std::string> redirect_uris;
};

struct OAuthOptions {
  std::vector<OAuthClient> clients;
  bool deny = false;                                  // the "user" refuses: error=access_denied
  std::chrono::seconds access_token_ttl{3600};        // expires_in; then 401 not_authorized
  std::chrono::seconds code_ttl{600};                 // authorization codes (single use)
  std::optional<std::string> host;                    // token responses' "host"; default
                                                      // "127.0.0.1:<https port>"
};

struct OAuthCounters {
  std::size_t authorizations = 0;      // authorize requests answered with a code
  std::size_t denials = 0;             // ... with error=access_denied
  std::size_t code_exchanges = 0;      // successful grant_type=authorization_code
  std::size_t refreshes = 0;           // successful grant_type=refresh_token
  std::size_t tokens_issued = 0;       // access tokens issued (exchanges + refreshes)
  std::size_t refresh_reuse_attempts = 0;  // a rotated (already used) refresh token sent again
  std::size_t invalid_grants = 0;      // every invalid_grant answer (reuse included)
  std::size_t invalid_clients = 0;     // unknown client or wrong secret at the token endpoint
  std::size_t expired_token_rejections = 0;  // API requests refused with an expired token
};

// ---- webhooks (wrike-api.md §6) -----------------------------------------------------------------

struct WebhookOptions {
  // Events of one hook raised within this window after the first are sent as one POST.
  std::chrono::milliseconds batch_window{50};
  std::size_t max_batch_events = 1000;
  // A delivery (one batch) is retried this many times after a failed attempt (non-2xx, no
  // answer, timeout), waiting retry_backoff, then twice that, ... (at most max_backoff).
  int max_retries = 3;
  std::chrono::milliseconds retry_backoff{100};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(5)};
  // This many failed deliveries in a row (each after all its retries) suspend the hook
  // (status Suspended; its events are dropped, not replayed, until PUT status=Active).
  // 0 = never suspend.
  int suspend_after_failures = 5;
  std::chrono::milliseconds delivery_timeout{std::chrono::seconds(5)};  // per POST, and the
                                                                       // handshake
  int delivery_threads = 2;
  // Extra trust anchors (PEM) for https hook URLs, on top of the system store; verification
  // is always on. ca_file is read at construction.
  std::string ca_pem;
  std::optional<std::filesystem::path> ca_file;
};

struct WebhookStats {
  std::string id;
  std::string hook_url;
  std::string status;                 // Active | Suspended
  std::size_t events_queued = 0;      // events matched to this hook while Active
  std::size_t events_delivered = 0;   // in a 2xx-answered POST
  std::size_t events_dropped = 0;     // in a failed delivery, or queued when suspended
  std::size_t attempts = 0;           // POSTs tried (retries included)
  std::size_t successes = 0;          // POSTs answered 2xx (= deliveries succeeded)
  std::size_t failures = 0;           // POSTs that failed
  std::size_t failed_deliveries = 0;  // batches given up after all retries
  int consecutive_failed_deliveries = 0;
  std::size_t suspensions = 0;        // times suspended for failures
};

// One delivery attempt (POST of a batch), as the log keeps it.
struct WebhookDelivery {
  std::string webhook_id;
  std::string hook_url;
  std::chrono::system_clock::time_point time;
  int attempt = 1;                    // 1 = first try, 2 = first retry, ...
  std::size_t events = 0;
  int status = 0;                     // HTTP status; 0 = no answer
  std::string error;                  // transport error or timeout
  bool ok = false;                    // 2xx
  std::string body;                   // the JSON array sent
  std::string signature;              // X-Hook-Signature sent ("" without a secret)
};

struct WrikeEmulatorOptions {
  ServerOptions server{};
  std::vector<std::string> tokens{"emulator-token"};  // accepted bearer tokens (never expire)
  GeneratorOptions generator{};                      // used unless data_path is set
  std::optional<std::filesystem::path> data_path;    // load instead of generating
  UnknownIdPolicy unknown_ids = UnknownIdPolicy::not_found;
  int max_unpaged_tasks = 1000;   // task lists without pageSize stop here
  int max_page_size = 1000;       // pageSize above this -> 400
  int max_ids = 100;              // ids per by-id request
  OAuthOptions oauth{};
  WebhookOptions webhooks{};
};

class WrikeEmulator {
 public:
  explicit WrikeEmulator(WrikeEmulatorOptions options = {});
  ~WrikeEmulator();
  WrikeEmulator(const WrikeEmulator&) = delete;
  WrikeEmulator& operator=(const WrikeEmulator&) = delete;

  void start();  // the server and the webhook delivery threads
  void stop();   // stops deliveries (in-flight POSTs are aborted), then the server

  Server& server();
  WrikeStore& store();

  std::string http_url() const;             // "http://127.0.0.1:PORT"
  std::string https_url() const;            // "https://127.0.0.1:PORT"
  std::string api_url(bool tls = true) const;  // https_url() (or http_url()) + "/api/v4"
  std::string oauth_url(bool tls = true) const;  // https_url() (or http_url()) + "/oauth2"
  std::string ca_cert_pem() const;
  void write_ca_file(const std::filesystem::path& path) const;

  // Accepted tokens (thread-safe; effective immediately).
  void set_tokens(std::vector<std::string> tokens);
  void add_token(std::string token);
  std::vector<std::string> tokens() const;
  std::string token() const;  // the first accepted token ("" when none)

  // ---- OAuth (thread-safe; effective immediately) -------------------------------------------
  void add_oauth_client(OAuthClient client);
  void set_oauth_deny(bool deny);
  void set_access_token_ttl(std::chrono::seconds ttl);  // for tokens issued from now on
  void expire_access_tokens();                          // every issued access token expires now
  OAuthCounters oauth_counters() const;
  void reset_oauth_counters();

  // ---- webhooks -----------------------------------------------------------------------------
  // Waits until no event is queued and no delivery is in flight (or retrying). false on timeout.
  bool wait_for_idle(std::chrono::milliseconds timeout);
  std::vector<WebhookStats> webhook_stats() const;     // every hook, creation order
  std::vector<WebhookDelivery> webhook_deliveries() const;  // attempts, oldest first (<= 10000)
  void reset_webhook_log();                            // clears the deliveries log

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Registers the Wrike routes on `server` (used by WrikeEmulator; exposed so a test can host
// them on a server it configures itself). `store` must outlive the server's use of the routes.
struct WrikeServiceConfig {
  std::function<bool(std::string_view token)> accept_token;
  UnknownIdPolicy unknown_ids = UnknownIdPolicy::not_found;
  int max_unpaged_tasks = 1000;
  int max_page_size = 1000;
  int max_ids = 100;
};
void install_wrike_routes(Server& server, WrikeStore& store, WrikeServiceConfig config);

// {"errorDescription":..,"error":..}
Response wrike_error(int status, std::string_view code, std::string_view description);

}  // namespace wrike_cascade::emulator
