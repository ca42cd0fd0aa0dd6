// The typed, asynchronous Wrike API v4 client (reads).
//
//   boost::asio::io_context io;
//   wrike::Client client(io.get_executor(), wrike::ClientConfig::from_env());
//   auto spaces = client.async_get_spaces({}, boost::asio::use_future);
//   io.run();
//   for (const auto& s : spaces.get()) std::cout << s.title << "\n";
//
// Every async_* function takes an Asio completion token and completes with
// (std::exception_ptr, T); errors are wrike_cascade::Error. Page tokens are never kept on the
// client: a page carries its own token, and a TaskPager walks pages lazily holding one page.
#pragma once

#include <wrike/model.hpp>
#include <wrike/webhook_event.hpp>
#include <wrike_cascade/async.hpp>
#include <wrike_cascade/net/http.hpp>
#include <wrike_cascade/oauth.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace wrike {

namespace net = wrike_cascade::net;

// OAuth 2.0 for Wrike: the app's credentials and where the tokens live.
struct OAuthSettings {
  wrike_cascade::oauth::Config config;
  std::shared_ptr<wrike_cascade::oauth::TokenStore> store;
};

// Wrike's OAuth endpoints under `oauth_url` (default https://login.wrike.com/oauth2):
// authorize/v4 and token.
wrike_cascade::oauth::Config oauth_config(std::string oauth_url, std::string client_id, std::string client_secret,
                                          std::string redirect_uri = {});
// WRIKE_CLIENT_ID, WRIKE_CLIENT_SECRET, WRIKE_OAUTH_URL, WRIKE_CA_FILE.
wrike_cascade::oauth::Config oauth_config_from_env(std::string redirect_uri = {});
// The API base for an account host from the token response: https://{host}/api/v4.
std::string api_url_for_host(const std::string& host);

struct ClientConfig {
  std::string api_url = "https://www.wrike.com/api/v4";
  bool api_url_explicit = false;   // true: keep api_url even when OAuth names another host
  // A permanent access token. Ignored when `oauth` or `auth` is set.
  std::string token;
  // OAuth 2.0 with refresh; the account host from the tokens becomes the API base.
  std::optional<OAuthSettings> oauth;
  std::shared_ptr<net::AuthProvider> auth;
  std::optional<std::string> ca_file;
  net::RetryPolicy retry;
  net::RateLimiter::Options rate_limit;     // shared per token within the process
  bool rate_limit_enabled = true;
  std::size_t max_connections = 4;
  std::chrono::milliseconds request_timeout = std::chrono::seconds(90);
  std::function<void(const net::LogRecord&)> log;

  // WRIKE_TOKEN, WRIKE_API_URL (default https://www.wrike.com/api/v4), WRIKE_CA_FILE. Without
  // WRIKE_TOKEN, the OAuth tokens in `token_file` (see `wrike login`) with WRIKE_CLIENT_ID and
  // WRIKE_CLIENT_SECRET. Throws wrike_cascade::Error(config_error) naming what is wrong.
  static ClientConfig from_env(std::optional<std::filesystem::path> token_file = {});
  // Where `wrike login` keeps tokens by default: $XDG_CONFIG_HOME/wrike-cascade/wrike-tokens.json.
  static std::filesystem::path default_token_file();
};

// A time range filter (`createdDate`, `updatedDate`, `completedDate`): seconds precision, UTC.
struct TimeRange {
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
};
// A date range filter on task dates (`startDate`, `dueDate`).
struct DateRange {
  std::optional<Date> start;
  std::optional<Date> equal;
  std::optional<Date> end;
};

// Where a task or folder listing reads from.
struct WholeAccount {};
using Location = std::variant<WholeAccount, SpaceId, FolderId>;

struct ContactsQuery {
  std::optional<bool> me, deleted, active;
  std::optional<std::string> name;
  std::vector<std::string> types;    // Person, Group, Asset, Robot
  std::vector<std::string> emails;   // at most 100
  std::vector<std::string> fields;   // metadata, currentCostRate, customFields, ...
};

struct SpacesQuery {
  std::optional<bool> with_archived, user_is_member, with_invitations;
  std::optional<std::string> title;
  std::vector<std::string> access_types;  // Locked, Personal, Private, Public
  std::vector<std::string> fields;        // members, workScheduleId
};

// The filtered (paged, full-model) folder listing. With no filter at all Wrike answers with
// the folderTree shape instead; use async_get_folder_tree for that.
struct FoldersQuery {
  std::optional<bool> descendants, project, deleted, with_invitations, plain_text_custom_fields;
  std::optional<std::string> title, permalink;
  std::optional<TimeRange> updated_date;
  std::optional<Metadata> metadata;
  std::vector<std::string> fields;        // superParentIds, metadata, customFields, description, space, ...
  std::optional<int> page_size;           // set by the all-pages walk when unset
};

struct TasksQuery {
  std::optional<bool> descendants, sub_tasks, with_invitations, plain_text_custom_fields;
  std::optional<std::string> title, permalink, importance, type;
  std::vector<std::string> status;        // status groups: Active, Completed, Deferred, Cancelled
  std::vector<std::string> custom_statuses;
  std::vector<std::string> authors, responsibles;
  std::optional<TimeRange> created_date, updated_date, completed_date;
  std::optional<DateRange> start_date, due_date;
  std::optional<Metadata> metadata;
  std::optional<std::string> sort_field, sort_order;
  std::optional<int> limit;
  std::optional<int> page_size;           // 1..1000; the pager sets 1000 when unset
  std::vector<std::string> fields;        // the list-form enum (responsibleIds, customFields, ...)
};

// ---- writes -------------------------------------------------------------------------------

// Task dates as Wrike takes them on input: dates (yyyy-MM-dd) or zone-less local times.
struct TaskDatesInput {
  std::string type;                       // Backlog | Milestone | Planned
  std::optional<LocalDateTime> start;
  std::optional<LocalDateTime> due;
  std::optional<std::chrono::minutes> duration;
  std::optional<bool> work_on_weekends;
  bool date_only = true;                  // send yyyy-MM-dd rather than yyyy-MM-ddTHH:mm:ss
};

// A custom field value to write; std::nullopt clears the field.
struct CustomFieldWrite {
  CustomFieldId id;
  std::optional<std::string> value;
};
// A metadata entry to write; std::nullopt deletes the key.
struct MetadataWrite {
  std::string key;
  std::optional<std::string> value;
};

struct TaskCreate {
  std::string title;                      // required
  std::optional<std::string> description; // HTML allowed
  std::optional<std::string> status;      // status group; prefer custom_status
  std::optional<CustomStatusId> custom_status;
  std::optional<std::string> importance;  // High | Normal | Low
  std::optional<TaskDatesInput> dates;    // absent: Backlog
  std::vector<ContactId> responsibles;
  std::vector<ContactId> followers;
  std::vector<FolderId> parents;          // extra parents besides the folder it is created in
  std::vector<TaskId> super_tasks;        // make it a subtask
  std::vector<MetadataWrite> metadata;
  std::vector<CustomFieldWrite> custom_fields;
};

struct TaskUpdate {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> status;
  std::optional<CustomStatusId> custom_status;
  std::optional<std::string> importance;
  std::optional<TaskDatesInput> dates;
  std::vector<ContactId> add_responsibles, remove_responsibles;
  std::vector<FolderId> add_parents, remove_parents;
  std::vector<TaskId> add_super_tasks, remove_super_tasks;
  std::vector<MetadataWrite> metadata;
  std::vector<CustomFieldWrite> custom_fields;
  std::optional<bool> restore;            // out of the Recycle Bin
  bool empty() const noexcept;
};

struct ProjectUpdate {
  std::vector<ContactId> owners_add, owners_remove;
  std::optional<std::string> status;      // Green | Yellow | Red | Completed | OnHold | Cancelled | Custom
  std::optional<CustomStatusId> custom_status_id;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
};

struct FolderUpdate {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::vector<FolderId> add_parents, remove_parents;
  std::vector<MetadataWrite> metadata;
  std::vector<CustomFieldWrite> custom_fields;
  std::optional<ProjectUpdate> project;
  bool empty() const noexcept;
};

// A webhook to create (wrike-api.md §6.1). Folder hooks may be recursive; without `events`
// every event is sent. With a `secret` Wrike verifies the hook URL (handshake) and signs
// every delivery.
struct WebhookCreate {
  std::string hook_url;
  std::optional<std::string> secret;
  std::vector<std::string> events;   // e.g. TaskCreated, TaskStatusChanged
  std::optional<bool> recursive;     // folder hooks only
};

// How a create survives a failure that leaves its outcome unknown (a timeout, a reset, a 5xx):
// the task is created with metadata {key: value}; before sending it again the client looks
// for a task carrying that metadata in the folder and returns it instead of creating a twin.
struct CreateKey {
  std::string key = "wrike_cascade_key";  // < 50 chars of [A-Za-z0-9_-]
  std::string value;                      // unique per logical create, e.g. the Cascade ID
};

// Form parameters, exactly as Wrike documents them (JSON text for structured values).
net::Params to_params(const TaskCreate& t);
net::Params to_params(const TaskUpdate& t);
net::Params to_params(const FolderUpdate& f);

// The fields every sync wants on a task listing (on top of Wrike's defaults).
std::vector<std::string> sync_task_fields();

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_page_token;  // absent on the last page
  std::optional<std::int64_t> response_size;   // total matching, when Wrike says
};

class Client;

// Walks a task listing page by page. Holds the query and the current token only.
class TaskPager {
 public:
  TaskPager(Client& client, Location where, TasksQuery query);
  bool done() const noexcept { return done_; }
  std::optional<std::int64_t> response_size() const noexcept { return response_size_; }
  std::size_t pages_read() const noexcept { return pages_; }

  // Completes with the next page, or std::nullopt when the listing is exhausted.
  template <class CompletionToken>
  auto async_next(CompletionToken&& token) {
    return wrike_cascade::detail::initiate<std::optional<Page<Task>>>(
        std::forward<CompletionToken>(token),
        [this](wrike_cascade::Handler<std::optional<Page<Task>>> h) { start_next(std::move(h)); });
  }
  boost::asio::awaitable<std::optional<Page<Task>>> next();

 private:
  void start_next(wrike_cascade::Handler<std::optional<Page<Task>>> h);
  Client* client_;
  Location where_;
  TasksQuery query_;
  std::optional<std::string> token_;
  std::optional<std::int64_t> response_size_;
  std::size_t pages_ = 0;
  bool done_ = false;
};

class Client {
 public:
  Client(boost::asio::any_io_executor ex, ClientConfig config);
  ~Client();

  net::HttpClient& http() noexcept { return *http_; }
  // The OAuth provider when the client uses OAuth (null with a permanent token).
  std::shared_ptr<wrike_cascade::oauth::RefreshingAuth> oauth() const noexcept { return oauth_; }
  boost::asio::any_io_executor get_executor() const noexcept;

  // ---- coroutine interface (co_await from any executor) ----
  boost::asio::awaitable<std::vector<Contact>> get_contacts(ContactsQuery q = {});
  boost::asio::awaitable<std::vector<Contact>> get_contacts_by_ids(std::vector<ContactId> ids, std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<Space>> get_spaces(SpacesQuery q = {});
  boost::asio::awaitable<Space> get_space(SpaceId id, std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<FolderTreeEntry>> get_folder_tree(Location where = WholeAccount{});
  boost::asio::awaitable<Page<Folder>> get_folders_page(Location where, FoldersQuery q, std::optional<std::string> page_token = {});
  boost::asio::awaitable<std::vector<Folder>> get_folders(Location where, FoldersQuery q);
  boost::asio::awaitable<std::vector<Folder>> get_folders_by_ids(std::vector<FolderId> ids, std::vector<std::string> fields = {});
  boost::asio::awaitable<Page<Task>> get_tasks_page(Location where, TasksQuery q, std::optional<std::string> page_token = {});
  boost::asio::awaitable<std::vector<Task>> get_tasks(Location where, TasksQuery q);
  boost::asio::awaitable<std::vector<Task>> get_tasks_by_ids(std::vector<TaskId> ids, std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<CustomField>> get_custom_fields(std::optional<SpaceId> space = {});
  boost::asio::awaitable<std::vector<CustomField>> get_custom_fields_by_ids(std::vector<CustomFieldId> ids);
  boost::asio::awaitable<std::vector<Workflow>> get_workflows(std::optional<SpaceId> space = {});

  // ---- writes (never retried blindly; see CreateKey) ----
  boost::asio::awaitable<Task> create_task(FolderId folder, TaskCreate task, std::optional<CreateKey> key = {});
  boost::asio::awaitable<Task> update_task(TaskId id, TaskUpdate update);
  boost::asio::awaitable<Task> delete_task(TaskId id);  // to the Recycle Bin; returns its new state
  boost::asio::awaitable<Folder> update_folder(FolderId id, FolderUpdate update);
  // Tasks in `folder` (and below) carrying metadata key=value.
  boost::asio::awaitable<std::vector<Task>> find_tasks_by_metadata(FolderId folder, Metadata m);

  // ---- webhooks ----
  // Creating a hook that already exists for the same URL and scope returns the existing one.
  boost::asio::awaitable<Webhook> create_webhook(Location where, WebhookCreate hook);
  boost::asio::awaitable<std::vector<Webhook>> get_webhooks();
  boost::asio::awaitable<std::vector<Webhook>> get_webhooks_by_ids(std::vector<WebhookId> ids);
  boost::asio::awaitable<Webhook> set_webhook_status(WebhookId id, bool active);  // Active | Suspended
  boost::asio::awaitable<void> delete_webhook(WebhookId id);

  TaskPager tasks(Location where, TasksQuery q) { return TaskPager(*this, std::move(where), std::move(q)); }

  // ---- completion-token interface ----

  template <class Token>
  auto async_get_contacts(ContactsQuery q, Token&& token) {
    return run<std::vector<Contact>>(std::forward<Token>(token), get_contacts(std::move(q)));
  }
  template <class Token>
  auto async_get_contacts_by_ids(std::vector<ContactId> ids, Token&& token) {
    return run<std::vector<Contact>>(std::forward<Token>(token), get_contacts_by_ids(std::move(ids)));
  }
  template <class Token>
  auto async_get_spaces(SpacesQuery q, Token&& token) {
    return run<std::vector<Space>>(std::forward<Token>(token), get_spaces(std::move(q)));
  }
  template <class Token>
  auto async_get_space(SpaceId id, Token&& token) {
    return run<Space>(std::forward<Token>(token), get_space(std::move(id)));
  }
  template <class Token>
  auto async_get_folder_tree(Location where, Token&& token) {
    return run<std::vector<FolderTreeEntry>>(std::forward<Token>(token), get_folder_tree(std::move(where)));
  }
  template <class Token>
  auto async_get_folders(Location where, FoldersQuery q, Token&& token) {
    return run<std::vector<Folder>>(std::forward<Token>(token), get_folders(std::move(where), std::move(q)));
  }
  template <class Token>
  auto async_get_folders_by_ids(std::vector<FolderId> ids, Token&& token) {
    return run<std::vector<Folder>>(std::forward<Token>(token), get_folders_by_ids(std::move(ids)));
  }
  template <class Token>
  auto async_get_tasks_page(Location where, TasksQuery q, std::optional<std::string> page_token, Token&& token) {
    return run<Page<Task>>(std::forward<Token>(token),
                           get_tasks_page(std::move(where), std::move(q), std::move(page_token)));
  }
  template <class Token>
  auto async_get_tasks(Location where, TasksQuery q, Token&& token) {
    return run<std::vector<Task>>(std::forward<Token>(token), get_tasks(std::move(where), std::move(q)));
  }
  template <class Token>
  auto async_get_tasks_by_ids(std::vector<TaskId> ids, Token&& token) {
    return run<std::vector<Task>>(std::forward<Token>(token), get_tasks_by_ids(std::move(ids)));
  }
  template <class Token>
  auto async_get_custom_fields(std::optional<SpaceId> space, Token&& token) {
    return run<std::vector<CustomField>>(std::forward<Token>(token), get_custom_fields(std::move(space)));
  }
  template <class Token>
  auto async_get_workflows(std::optional<SpaceId> space, Token&& token) {
    return run<std::vector<Workflow>>(std::forward<Token>(token), get_workflows(std::move(space)));
  }

  template <class Token>
  auto async_create_task(FolderId folder, TaskCreate task, std::optional<CreateKey> key, Token&& token) {
    return run<Task>(std::forward<Token>(token), create_task(std::move(folder), std::move(task), std::move(key)));
  }
  template <class Token>
  auto async_update_task(TaskId id, TaskUpdate update, Token&& token) {
    return run<Task>(std::forward<Token>(token), update_task(std::move(id), std::move(update)));
  }
  template <class Token>
  auto async_delete_task(TaskId id, Token&& token) {
    return run<Task>(std::forward<Token>(token), delete_task(std::move(id)));
  }
  template <class Token>
  auto async_update_folder(FolderId id, FolderUpdate update, Token&& token) {
    return run<Folder>(std::forward<Token>(token), update_folder(std::move(id), std::move(update)));
  }

  template <class Token>
  auto async_create_webhook(Location where, WebhookCreate hook, Token&& token) {
    return run<Webhook>(std::forward<Token>(token), create_webhook(std::move(where), std::move(hook)));
  }
  template <class Token>
  auto async_get_webhooks(Token&& token) {
    return run<std::vector<Webhook>>(std::forward<Token>(token), get_webhooks());
  }

 private:
  template <class T, class Token>
  auto run(Token&& token, boost::asio::awaitable<T> op) {
    return wrike_cascade::detail::initiate<T>(
        std::forward<Token>(token), [this, op = std::move(op)](wrike_cascade::Handler<T> h) mutable {
          spawn(std::move(op), std::move(h));
        });
  }
  // Defined in client.cpp and explicitly instantiated for every result type above.
  template <class T>
  void spawn(boost::asio::awaitable<T> op, wrike_cascade::Handler<T> handler);


  template <class T>
  boost::asio::awaitable<Envelope<T>> fetch(net::Request req);
  boost::asio::awaitable<Task> post_task(std::string path, net::Params params);
  boost::asio::awaitable<std::optional<Task>> find_created(FolderId folder, Metadata mark);
  template <class T, class IdT>
  boost::asio::awaitable<std::vector<T>> fetch_by_ids(std::string prefix, const std::vector<IdT>& ids,
                                                      std::vector<std::string> fields);

  ClientConfig config_;
  std::shared_ptr<wrike_cascade::oauth::RefreshingAuth> oauth_;
  std::unique_ptr<net::HttpClient> http_;
};

// JSON text for Wrike's structured query/form parameters.
std::string to_param(const TimeRange& r);
std::string to_param(const DateRange& r);
std::string to_param(const std::vector<std::string>& list);
// Appends the query parameters of a task listing (only those that are set).
void add_params(net::Params& p, const TasksQuery& q);
void add_params(net::Params& p, const FoldersQuery& q);

}  // namespace wrike
