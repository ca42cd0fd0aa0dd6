// The typed, asynchronous Cascade Classic API v2 client: goals, tasks, issues (risks) and
// updates; list (offset/limit pages), get, create, update, delete.
//
//   boost::asio::io_context io;
//   cascade::classic::Client client(io.get_executor(), cascade::classic::ClientConfig::from_env());
//   auto goal = client.async_get_goal(cascade::classic::GoalId(42), boost::asio::use_future);
//   io.run();
//
// In a coroutine, lists are walked lazily; the pager holds the query and the next offset, the
// client holds none:
//
//   auto pager = client.goals({.status = cascade::classic::GoalStatus::Approved});
//   while (auto page = co_await pager.next())
//     for (const auto& g : page->items) { /* ... */ }
//
// Every async_* function takes an Asio completion token and completes with
// (std::exception_ptr, T); errors are wrike_cascade::Error (HTTP status, Cascade's `message`,
// `status`/`code` in ErrorDetail). Creates (POST) are never retried: Classic has no idempotency
// key, so a create whose outcome is unknown is reported, not repeated. GET/PUT/DELETE are
// retried by the transport's RetryPolicy.
#pragma once

#include <cascade/classic_model.hpp>
#include <wrike_cascade/async.hpp>
#include <wrike_cascade/net/http.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cascade::classic {

namespace net = wrike_cascade::net;

// What Classic's `offset` parameter counts. The reference page says "offset, default 1", which
// reads like a 1-based page number; it may instead be a row offset. Check against your tenant.
enum class OffsetMode {
  page_number,  // offset = first_offset, first_offset + 1, ...
  row_offset,   // offset = first_offset, first_offset + limit, ...
};

struct ClientConfig {
  std::string api_url;       // https://{instance}.executestrategy.net/api/v2 (see api_url_for_instance)
  std::string token;         // a Classic API token (Profile > System > Security); sent as "Bearer <token>"
  std::shared_ptr<net::AuthProvider> auth;  // instead of `token`
  std::optional<std::string> ca_file;
  net::RetryPolicy retry;    // retry_non_idempotent is ignored: POST is never retried
  net::RateLimiter::Options rate_limit;      // shared per token within the process
  bool rate_limit_enabled = true;
  std::size_t max_connections = 4;
  std::chrono::milliseconds request_timeout = std::chrono::seconds(90);
  OffsetMode offset_mode = OffsetMode::page_number;
  int first_offset = 1;      // the documented default
  int page_size = 100;       // `limit` when a query sets none (no maximum is documented)
  std::function<void(const net::LogRecord&)> log;

  // CASCADE_API_URL (wins) or CASCADE_INSTANCE (-> https://{instance}.executestrategy.net/api/v2),
  // CASCADE_TOKEN (a leading "Bearer " is dropped), CASCADE_CA_FILE. Throws
  // wrike_cascade::Error(config_error) naming the variable that is missing or wrong.
  static ClientConfig from_env();
};

// https://{instance}.executestrategy.net/api/v2; `instance` is the tenant's subdomain (one DNS
// label). Throws Error(config_error) otherwise.
std::string api_url_for_instance(std::string_view instance);

// ---- list queries -------------------------------------------------------------------------
// Only what is documented is typed; `extra_filters` are sent as given (Classic's reference hints
// that most record fields filter a list, unverified). Several IDs go comma-separated in `id`.

struct GoalsQuery {
  std::vector<GoalId> ids;                               // id=1,2
  std::optional<RoleId> role_id;
  std::optional<UserId> creator_id;
  std::optional<GoalStatus> status;                      // the reference page shows "Default: DRAFT"
  std::optional<CompletionCriteria> completion_criteria;
  std::optional<TargetFlow> target_flow;
  std::optional<std::string> action;                     // <= 25 characters
  std::optional<std::string> detail;                     // the reference page's spelling; <= 300
  std::optional<int> limit;                              // page size; ClientConfig::page_size when unset
  net::Params extra_filters;
};

struct TasksQuery {
  std::vector<TaskId> ids;
  std::optional<int> limit;
  net::Params extra_filters;                             // e.g. {"goal_id", "12"} (undocumented)
};

struct IssuesQuery {
  std::vector<IssueId> ids;
  std::optional<int> limit;
  net::Params extra_filters;
};

struct UpdatesQuery {
  std::vector<UpdateId> ids;
  std::optional<int> limit;
  net::Params extra_filters;
};

// The query parameters of a listing (without offset/limit); throws invalid_argument.
net::Params to_params(const GoalsQuery& q);
net::Params to_params(const TasksQuery& q);
net::Params to_params(const IssuesQuery& q);
net::Params to_params(const UpdatesQuery& q);

template <class T>
struct ListQuery;
template <> struct ListQuery<Goal> { using type = GoalsQuery; };
template <> struct ListQuery<Task> { using type = TasksQuery; };
template <> struct ListQuery<Issue> { using type = IssuesQuery; };
template <> struct ListQuery<Update> { using type = UpdatesQuery; };
template <class T>
using query_t = typename ListQuery<T>::type;

template <class T>
struct Page {
  std::vector<T> items;
  int offset = 0;              // the offset sent
  int limit = 0;               // the limit sent
  boost::json::object extra;   // other top-level keys of the response, kept
};

class Client;

// Walks a listing page by page: sends offset = first_offset, then the next page or row offset,
// until a page comes back shorter than `limit` (or empty). Holds the query and the next offset.
// A page that repeats the previous one exactly (the server ignoring `offset`) fails with
// errc::invalid_response instead of looping.
template <class T>
class Pager {
 public:
  Pager(Client& client, query_t<T> query);
  bool done() const noexcept { return done_; }
  std::size_t pages_read() const noexcept { return pages_; }
  std::size_t items_read() const noexcept { return items_; }
  int next_offset() const noexcept { return offset_; }

  // The next page, or std::nullopt when the listing is exhausted. The first page is returned
  // even when empty; later empty pages are not.
  boost::asio::awaitable<std::optional<Page<T>>> next();
  template <class CompletionToken>
  auto async_next(CompletionToken&& token) {
    return wrike_cascade::detail::initiate<std::optional<Page<T>>>(
        std::forward<CompletionToken>(token),
        [this](wrike_cascade::Handler<std::optional<Page<T>>> h) { start_next(std::move(h)); });
  }

 private:
  void start_next(wrike_cascade::Handler<std::optional<Page<T>>> h);
  Client* client_;
  query_t<T> query_;
  int offset_;
  std::vector<std::int64_t> last_ids_;
  std::size_t pages_ = 0;
  std::size_t items_ = 0;
  bool done_ = false;
};

extern template class Pager<Goal>;
extern template class Pager<Task>;
extern template class Pager<Issue>;
extern template class Pager<Update>;

class Client {
 public:
  Client(boost::asio::any_io_executor ex, ClientConfig config);
  ~Client();

  net::HttpClient& http() noexcept { return *http_; }
  const ClientConfig& config() const noexcept { return config_; }
  boost::asio::any_io_executor get_executor() const noexcept;

  // ---- coroutine interface ----
  boost::asio::awaitable<Page<Goal>> get_goals_page(GoalsQuery q, int offset);
  boost::asio::awaitable<std::vector<Goal>> get_goals(GoalsQuery q = {});   // every page
  boost::asio::awaitable<Goal> get_goal(GoalId id);
  boost::asio::awaitable<Goal> create_goal(GoalCreate goal);
  boost::asio::awaitable<Goal> update_goal(GoalId id, GoalUpdate update);
  boost::asio::awaitable<DeleteResult> delete_goal(GoalId id);

  boost::asio::awaitable<Page<Task>> get_tasks_page(TasksQuery q, int offset);
  boost::asio::awaitable<std::vector<Task>> get_tasks(TasksQuery q = {});
  boost::asio::awaitable<Task> get_task(TaskId id);
  boost::asio::awaitable<Task> create_task(TaskCreate task);
  boost::asio::awaitable<Task> update_task(TaskId id, TaskUpdate update);
  boost::asio::awaitable<DeleteResult> delete_task(TaskId id);

  boost::asio::awaitable<Page<Issue>> get_issues_page(IssuesQuery q, int offset);
  boost::asio::awaitable<std::vector<Issue>> get_issues(IssuesQuery q = {});
  boost::asio::awaitable<Issue> get_issue(IssueId id);
  boost::asio::awaitable<Issue> create_issue(IssueCreate issue);
  boost::asio::awaitable<Issue> update_issue(IssueId id, IssueUpdate update);
  boost::asio::awaitable<DeleteResult> delete_issue(IssueId id);

  boost::asio::awaitable<Page<Update>> get_updates_page(UpdatesQuery q, int offset);
  boost::asio::awaitable<std::vector<Update>> get_updates(UpdatesQuery q = {});
  boost::asio::awaitable<Update> get_update(UpdateId id);
  boost::asio::awaitable<Update> create_update(UpdateCreate update);
  boost::asio::awaitable<Update> update_update(UpdateId id, UpdateUpdate update);
  boost::asio::awaitable<DeleteResult> delete_update(UpdateId id);

  Pager<Goal> goals(GoalsQuery q = {}) { return Pager<Goal>(*this, std::move(q)); }
  Pager<Task> tasks(TasksQuery q = {}) { return Pager<Task>(*this, std::move(q)); }
  Pager<Issue> issues(IssuesQuery q = {}) { return Pager<Issue>(*this, std::move(q)); }
  Pager<Update> updates(UpdatesQuery q = {}) { return Pager<Update>(*this, std::move(q)); }

  // ---- completion-token interface ----
  // For each record (goal/goals, task/tasks, issue/issues, update/updates):
  //   async_get_goals_page(GoalsQuery, int offset, token)   -> Page<Goal>
  //   async_get_goals(GoalsQuery, token)                    -> std::vector<Goal>  (every page)
  //   async_get_goal(GoalId, token)                         -> Goal
  //   async_create_goal(GoalCreate, token)                  -> Goal
  //   async_update_goal(GoalId, GoalUpdate, token)          -> Goal
  //   async_delete_goal(GoalId, token)                      -> DeleteResult
#define CASCADE_CLASSIC_ASYNC(Rec, rec, recs, IdT)                                                   \
  template <class Token>                                                                             \
  auto async_get_##recs##_page(query_t<Rec> q, int offset, Token&& token) {                           \
    return run<Page<Rec>>(std::forward<Token>(token), get_##recs##_page(std::move(q), offset));       \
  }                                                                                                  \
  template <class Token>                                                                             \
  auto async_get_##recs(query_t<Rec> q, Token&& token) {                                             \
    return run<std::vector<Rec>>(std::forward<Token>(token), get_##recs(std::move(q)));              \
  }                                                                                                  \
  template <class Token>                                                                             \
  auto async_get_##rec(IdT id, Token&& token) {                                                      \
    return run<Rec>(std::forward<Token>(token), get_##rec(id));                                      \
  }                                                                                                  \
  template <class Token>                                                                             \
  auto async_create_##rec(Rec##Create x, Token&& token) {                                            \
    return run<Rec>(std::forward<Token>(token), create_##rec(std::move(x)));                         \
  }                                                                                                  \
  template <class Token>                                                                             \
  auto async_update_##rec(IdT id, Rec##Update x, Token&& token) {                                    \
    return run<Rec>(std::forward<Token>(token), update_##rec(id, std::move(x)));                     \
  }                                                                                                  \
  template <class Token>                                                                             \
  auto async_delete_##rec(IdT id, Token&& token) {                                                   \
    return run<DeleteResult>(std::forward<Token>(token), delete_##rec(id));                          \
  }
  CASCADE_CLASSIC_ASYNC(Goal, goal, goals, GoalId)
  CASCADE_CLASSIC_ASYNC(Task, task, tasks, TaskId)
  CASCADE_CLASSIC_ASYNC(Issue, issue, issues, IssueId)
  CASCADE_CLASSIC_ASYNC(Update, update, updates, UpdateId)
#undef CASCADE_CLASSIC_ASYNC

 private:
  template <class T>
  friend class Pager;

  template <class T, class Token>
  auto run(Token&& token, boost::asio::awaitable<T> op) {
    return wrike_cascade::detail::initiate<T>(
        std::forward<Token>(token), [this, op = std::move(op)](wrike_cascade::Handler<T> h) mutable {
          spawn(std::move(op), std::move(h));
        });
  }
  // Defined in classic_client.cpp and explicitly instantiated for every result type above.
  template <class T>
  void spawn(boost::asio::awaitable<T> op, wrike_cascade::Handler<T> handler);

  template <class T>
  boost::asio::awaitable<Page<T>> page(const query_t<T>& q, int offset);
  template <class T>
  boost::asio::awaitable<std::vector<T>> all(query_t<T> q);
  template <class T>
  boost::asio::awaitable<T> get_one(decltype(T::id) id);
  template <class T>
  boost::asio::awaitable<T> send_write(std::string method, std::string path, boost::json::object body,
                                       std::optional<decltype(T::id)> id);
  template <class T>
  boost::asio::awaitable<DeleteResult> remove(decltype(T::id) id);

  ClientConfig config_;
  std::unique_ptr<net::HttpClient> http_;
};

}  // namespace cascade::classic
