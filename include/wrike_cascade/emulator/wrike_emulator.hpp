// The Wrike API v4 emulator (read surface): an emulator::Server with Wrike's GET routes under
// /api/v4, over a WrikeStore.
//
//   WrikeEmulatorOptions o;                 // token "emulator-token", generated data
//   o.generator.tasks_per_project = 50;
//   WrikeEmulator wrike(o);
//   wrike.start();
//   wrike.api_url();                        // "https://127.0.0.1:PORT/api/v4"
//   wrike.write_ca_file("ca.pem");          // trust this CA; the cert is for 127.0.0.1/localhost
//   wrike.server().add_fault(FaultRule::too_many_requests().on("GET", "/api/v4/tasks"));
//   wrike.store().touch_task(id);
//   wrike.stop();
//
// Routes (all GET; every success body is {"kind":..,"data":[..]}, every error body
// {"errorDescription":..,"error":..}; parameters an endpoint does not declare give
// 400 invalid_request "Parameter 'x' is not allowed"; access_token, state and method are
// accepted everywhere; `state` is accepted but not echoed):
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
#pragma once

#include <wrike_cascade/emulator/server.hpp>
#include <wrike_cascade/emulator/wrike_store.hpp>

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

struct WrikeEmulatorOptions {
  ServerOptions server{};
  std::vector<std::string> tokens{"emulator-token"};  // accepted bearer tokens
  GeneratorOptions generator{};                      // used unless data_path is set
  std::optional<std::filesystem::path> data_path;    // load instead of generating
  UnknownIdPolicy unknown_ids = UnknownIdPolicy::not_found;
  int max_unpaged_tasks = 1000;   // task lists without pageSize stop here
  int max_page_size = 1000;       // pageSize above this -> 400
  int max_ids = 100;              // ids per by-id request
};

class WrikeEmulator {
 public:
  explicit WrikeEmulator(WrikeEmulatorOptions options = {});
  ~WrikeEmulator();
  WrikeEmulator(const WrikeEmulator&) = delete;
  WrikeEmulator& operator=(const WrikeEmulator&) = delete;

  void start();
  void stop();

  Server& server();
  WrikeStore& store();

  std::string http_url() const;             // "http://127.0.0.1:PORT"
  std::string https_url() const;            // "https://127.0.0.1:PORT"
  std::string api_url(bool tls = true) const;  // https_url() (or http_url()) + "/api/v4"
  std::string ca_cert_pem() const;
  void write_ca_file(const std::filesystem::path& path) const;

  // Accepted tokens (thread-safe; effective immediately).
  void set_tokens(std::vector<std::string> tokens);
  void add_token(std::string token);
  std::vector<std::string> tokens() const;
  std::string token() const;  // the first accepted token ("" when none)

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
