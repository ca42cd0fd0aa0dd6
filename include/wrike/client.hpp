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
#include <wrike_cascade/async.hpp>
#include <wrike_cascade/net/http.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace wrike {

namespace net = wrike_cascade::net;

struct ClientConfig {
  std::string api_url = "https://www.wrike.com/api/v4";
  // A permanent access token. Ignored when `auth` is set (e.g. OAuth, a later release).
  std::string token;
  std::shared_ptr<net::AuthProvider> auth;
  std::optional<std::string> ca_file;
  net::RetryPolicy retry;
  net::RateLimiter::Options rate_limit;     // shared per token within the process
  bool rate_limit_enabled = true;
  std::size_t max_connections = 4;
  std::chrono::milliseconds request_timeout = std::chrono::seconds(90);
  std::function<void(const net::LogRecord&)> log;

  // WRIKE_TOKEN, WRIKE_API_URL (default https://www.wrike.com/api/v4), WRIKE_CA_FILE.
  // Throws wrike_cascade::Error(config_error) naming the variable that is wrong.
  static ClientConfig from_env();
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
  boost::asio::any_io_executor get_executor() const noexcept;

  // ---- coroutine interface (co_await from any executor) ----
  boost::asio::awaitable<std::vector<Contact>> get_contacts(ContactsQuery q = {});
  boost::asio::awaitable<std::vector<Contact>> get_contacts_by_ids(std::vector<ContactId> ids,
                                                                   std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<Space>> get_spaces(SpacesQuery q = {});
  boost::asio::awaitable<Space> get_space(SpaceId id, std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<FolderTreeEntry>> get_folder_tree(Location where = WholeAccount{});
  boost::asio::awaitable<Page<Folder>> get_folders_page(Location where, FoldersQuery q,
                                                        std::optional<std::string> page_token = {});
  boost::asio::awaitable<std::vector<Folder>> get_folders(Location where, FoldersQuery q);
  boost::asio::awaitable<std::vector<Folder>> get_folders_by_ids(std::vector<FolderId> ids,
                                                                 std::vector<std::string> fields = {});
  boost::asio::awaitable<Page<Task>> get_tasks_page(Location where, TasksQuery q,
                                                    std::optional<std::string> page_token = {});
  boost::asio::awaitable<std::vector<Task>> get_tasks(Location where, TasksQuery q);
  boost::asio::awaitable<std::vector<Task>> get_tasks_by_ids(std::vector<TaskId> ids,
                                                             std::vector<std::string> fields = {});
  boost::asio::awaitable<std::vector<CustomField>> get_custom_fields(std::optional<SpaceId> space = {});
  boost::asio::awaitable<std::vector<CustomField>> get_custom_fields_by_ids(std::vector<CustomFieldId> ids);
  boost::asio::awaitable<std::vector<Workflow>> get_workflows(std::optional<SpaceId> space = {});

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
  template <class T, class IdT>
  boost::asio::awaitable<std::vector<T>> fetch_by_ids(std::string prefix, const std::vector<IdT>& ids,
                                                      std::vector<std::string> fields);

  ClientConfig config_;
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
