#include <cascade/classic_client.hpp>
#include <wrike_cascade/ascii.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace cascade::classic {
namespace {

using wrike_cascade::errc;
using wrike_cascade::Error;
namespace asio = boost::asio;
namespace json = boost::json;

std::string getenv_str(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

template <class T>
struct Resource;
template <> struct Resource<Goal> { static constexpr std::string_view path = "/goals", name = "goal"; };
template <> struct Resource<Task> { static constexpr std::string_view path = "/tasks", name = "task"; };
template <> struct Resource<Issue> { static constexpr std::string_view path = "/issues", name = "issue"; };
template <> struct Resource<Update> { static constexpr std::string_view path = "/updates", name = "update"; };

template <class T>
std::string item_path(decltype(T::id) id) {
  if (!id.valid()) {
    throw Error(errc::invalid_argument, std::string(Resource<T>::name) + " ID " + id.str() + " is not a positive ID");
  }
  return std::string(Resource<T>::path) + "/" + id.str();
}

template <class IdT>
void add_ids(net::Params& p, const std::vector<IdT>& ids, std::string_view what) {
  if (ids.empty()) return;
  std::string list;
  for (const auto& id : ids) {
    if (!id.valid()) throw Error(errc::invalid_argument, std::string(what) + ": " + id.str() + " is not a positive ID");
    if (!list.empty()) list += ',';
    list += id.str();
  }
  p.add("id", list);
}

void add_extra(net::Params& p, const net::Params& extra, std::string_view what) {
  for (const auto& [k, v] : extra.items()) {
    if (k.empty()) throw Error(errc::invalid_argument, std::string(what) + ".extra_filters: empty parameter name");
    if (k == "offset" || k == "limit") {
      throw Error(errc::invalid_argument,
                  std::string(what) + ".extra_filters: '" + k + "' is set by the pager (use limit / the page offset)");
    }
    p.add(k, v);
  }
}

template <class E>
void add_enum(net::Params& p, std::string_view key, const std::optional<E>& v, std::string_view what) {
  if (!v) return;
  if (*v == E::Unknown) throw Error(errc::invalid_argument, std::string(what) + "." + std::string(key) + ": Unknown");
  p.add(std::string(key), wire_name(*v));
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

// ---- configuration ------------------------------------------------------------------------

std::string api_url_for_instance(std::string_view instance) {
  const bool ok = !instance.empty() && instance.size() <= 63 && instance.front() != '-' && instance.back() != '-' &&
                  std::all_of(instance.begin(), instance.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                  });
  if (!ok) {
    throw Error(errc::config_error, "CASCADE_INSTANCE='" + std::string(instance.substr(0, 80)) +
                                        "' is not an instance name (the subdomain of https://{instance}.executestrategy.net)");
  }
  return "https://" + wrike_cascade::ascii_lower(instance) + ".executestrategy.net/api/v2";
}

ClientConfig ClientConfig::from_env() {
  ClientConfig c;
  if (auto url = getenv_str("CASCADE_API_URL"); !url.empty()) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") || parsed->encoded_host().empty()) {
      throw Error(errc::config_error, "CASCADE_API_URL='" + wrike_cascade::redact_url(url) +
                                          "' is not an http(s) URL like https://acme.executestrategy.net/api/v2");
    }
    c.api_url = url;
  } else if (auto instance = getenv_str("CASCADE_INSTANCE"); !instance.empty()) {
    c.api_url = api_url_for_instance(instance);
  } else {
    throw Error(errc::config_error,
                "CASCADE_INSTANCE is not set (your Cascade Classic subdomain, as in https://{instance}.executestrategy.net); "
                "or set CASCADE_API_URL");
  }
  c.token = getenv_str("CASCADE_TOKEN");
  if (c.token.size() > 7 && (c.token.starts_with("Bearer ") || c.token.starts_with("bearer "))) c.token.erase(0, 7);
  if (c.token.empty()) {
    throw Error(errc::config_error,
                "CASCADE_TOKEN is not set (a Cascade Classic API token: Profile > System > Security > Add Token)");
  }
  if (auto ca = getenv_str("CASCADE_CA_FILE"); !ca.empty()) {
    if (!std::ifstream(ca)) throw Error(errc::config_error, "CASCADE_CA_FILE='" + ca + "' cannot be read");
    c.ca_file = ca;
  }
  return c;
}

// ---- queries ------------------------------------------------------------------------------

net::Params to_params(const GoalsQuery& q) {
  net::Params p;
  add_ids(p, q.ids, "GoalsQuery.ids");
  if (q.role_id) {
    if (!q.role_id->valid()) throw Error(errc::invalid_argument, "GoalsQuery.role_id: not a positive ID");
    p.add("role_id", q.role_id->str());
  }
  if (q.creator_id) {
    if (!q.creator_id->valid()) throw Error(errc::invalid_argument, "GoalsQuery.creator_id: not a positive ID");
    p.add("creator_id", q.creator_id->str());
  }
  add_enum(p, "status", q.status, "GoalsQuery");
  add_enum(p, "completion_criteria", q.completion_criteria, "GoalsQuery");
  add_enum(p, "target_flow", q.target_flow, "GoalsQuery");
  if (q.action) {
    if (code_points(*q.action) > 25) throw Error(errc::invalid_argument, "GoalsQuery.action: at most 25 characters");
    p.add("action", *q.action);
  }
  if (q.detail) {
    if (code_points(*q.detail) > 300) throw Error(errc::invalid_argument, "GoalsQuery.detail: at most 300 characters");
    p.add("detail", *q.detail);
  }
  add_extra(p, q.extra_filters, "GoalsQuery");
  return p;
}

net::Params to_params(const TasksQuery& q) {
  net::Params p;
  add_ids(p, q.ids, "TasksQuery.ids");
  add_extra(p, q.extra_filters, "TasksQuery");
  return p;
}

net::Params to_params(const IssuesQuery& q) {
  net::Params p;
  add_ids(p, q.ids, "IssuesQuery.ids");
  add_extra(p, q.extra_filters, "IssuesQuery");
  return p;
}

net::Params to_params(const UpdatesQuery& q) {
  net::Params p;
  add_ids(p, q.ids, "UpdatesQuery.ids");
  add_extra(p, q.extra_filters, "UpdatesQuery");
  return p;
}

// ---- Client -------------------------------------------------------------------------------

Client::Client(asio::any_io_executor ex, ClientConfig config) : config_(std::move(config)) {
  if (config_.api_url.empty()) {
    throw Error(errc::config_error, "cascade::classic::ClientConfig.api_url is empty (see api_url_for_instance)");
  }
  if (config_.page_size < 1) throw Error(errc::config_error, "cascade::classic::ClientConfig.page_size must be >= 1");
  net::ClientOptions o;
  o.base_url = config_.api_url;
  o.ca_file = config_.ca_file;
  o.retry = config_.retry;
  o.retry.retry_non_idempotent = false;  // a repeated POST would create a second record
  o.max_connections_per_host = config_.max_connections;
  o.request_timeout = config_.request_timeout;
  o.log = config_.log;
  o.user_agent = "wrike-cascade/0.1 (cascade-classic)";
  o.error_decoder = decode_error_body;
  if (config_.auth) {
    o.auth = config_.auth;
  } else {
    if (config_.token.empty()) {
      throw Error(errc::config_error,
                  "no Cascade Classic credential: set CASCADE_TOKEN to an API token "
                  "(Profile > System > Security > Add Token)");
    }
    o.auth = std::make_shared<net::StaticBearer>(config_.token, "Bearer");
  }
  if (config_.rate_limit_enabled) {
    o.rate_limiter = net::RateLimiter::for_key("cascade-classic:" + o.auth->key(), config_.rate_limit);
  }
  config_.token.clear();  // the auth provider holds it; keep no second copy
  http_ = std::make_unique<net::HttpClient>(std::move(ex), std::move(o));
}

Client::~Client() = default;

asio::any_io_executor Client::get_executor() const noexcept { return http_->get_executor(); }

template <class T>
void Client::spawn(asio::awaitable<T> op, wrike_cascade::Handler<T> handler) {
  asio::co_spawn(http_->get_executor(), std::move(op), std::move(handler));
}

namespace {

// Decodes a response body, naming the request in the error.
template <class F>
auto decoded(const std::string& what, F&& decode) {
  try {
    return decode();
  } catch (const Error& e) {
    auto d = e.detail();
    d.context = "response of " + what + ": " + d.context;
    throw Error(e.code(), std::move(d));
  }
}

}  // namespace

template <class T>
asio::awaitable<Page<T>> Client::page(const query_t<T>& q, int offset) {
  const int limit = q.limit.value_or(config_.page_size);
  if (limit < 1) throw Error(errc::invalid_argument, "limit must be >= 1, not " + std::to_string(limit));
  net::Params p = to_params(q);
  p.add("offset", std::to_string(offset));
  p.add("limit", std::to_string(limit));
  auto req = net::Request::get(std::string(Resource<T>::path), std::move(p));
  const std::string what = "GET " + req.path;
  auto resp = co_await http_->request(std::move(req));
  auto listing = decoded(what, [&] { return decode_listing<T>(resp.body); });
  Page<T> out;
  out.items = std::move(listing.items);
  out.extra = std::move(listing.extra);
  out.offset = offset;
  out.limit = limit;
  co_return out;
}

template <class T>
asio::awaitable<std::vector<T>> Client::all(query_t<T> q) {
  std::vector<T> out;
  Pager<T> pager(*this, std::move(q));
  while (auto pg = co_await pager.next()) {
    for (auto& item : pg->items) out.push_back(std::move(item));
  }
  co_return out;
}

template <class T>
asio::awaitable<T> Client::get_one(decltype(T::id) id) {
  auto req = net::Request::get(item_path<T>(id));
  const std::string what = "GET " + req.path;
  auto resp = co_await http_->request(std::move(req));
  co_return decoded(what, [&] { return decode_single<T>(resp.body, id); });
}

template <class T>
asio::awaitable<T> Client::send_write(std::string method, std::string path, json::object body,
                                      std::optional<decltype(T::id)> id) {
  net::Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  req.body = json::serialize(body);
  req.content_type = "application/json";
  req.idempotent = req.method != "POST";  // never send a create twice
  const std::string what = req.method + " " + req.path;
  auto resp = co_await http_->request(std::move(req));
  if (resp.body.is_null() && id) {
    // An update answered without a body: read the record back.
    co_return co_await get_one<T>(*id);
  }
  co_return decoded(what, [&] { return decode_single<T>(resp.body, id); });
}

template <class T>
asio::awaitable<DeleteResult> Client::remove(decltype(T::id) id) {
  net::Request req;
  req.method = "DELETE";
  req.path = item_path<T>(id);
  auto resp = co_await http_->request(std::move(req));
  co_return decode_delete_result(resp.body, resp.status);
}

// ---- the public operations ------------------------------------------------------------------

#define CASCADE_CLASSIC_OPS(Rec, rec, recs, IdT)                                                   \
  asio::awaitable<Page<Rec>> Client::get_##recs##_page(query_t<Rec> q, int offset) {               \
    co_return co_await page<Rec>(q, offset);                                                       \
  }                                                                                                \
  asio::awaitable<std::vector<Rec>> Client::get_##recs(query_t<Rec> q) {                           \
    co_return co_await all<Rec>(std::move(q));                                                     \
  }                                                                                                \
  asio::awaitable<Rec> Client::get_##rec(IdT id) { co_return co_await get_one<Rec>(id); }          \
  asio::awaitable<Rec> Client::create_##rec(Rec##Create x) {                                       \
    auto body = to_json(x);                                                                        \
    co_return co_await send_write<Rec>("POST", std::string(Resource<Rec>::path), std::move(body),  \
                                       std::nullopt);                                              \
  }                                                                                                \
  asio::awaitable<Rec> Client::update_##rec(IdT id, Rec##Update x) {                               \
    auto path = item_path<Rec>(id);                                                                \
    auto body = to_json(x);                                                                        \
    co_return co_await send_write<Rec>("PUT", std::move(path), std::move(body), id);               \
  }                                                                                                \
  asio::awaitable<DeleteResult> Client::delete_##rec(IdT id) { co_return co_await remove<Rec>(id); }
CASCADE_CLASSIC_OPS(Goal, goal, goals, GoalId)
CASCADE_CLASSIC_OPS(Task, task, tasks, TaskId)
CASCADE_CLASSIC_OPS(Issue, issue, issues, IssueId)
CASCADE_CLASSIC_OPS(Update, update, updates, UpdateId)
#undef CASCADE_CLASSIC_OPS

// ---- Pager --------------------------------------------------------------------------------

template <class T>
Pager<T>::Pager(Client& client, query_t<T> query)
    : client_(&client), query_(std::move(query)), offset_(client.config().first_offset) {
  if (!query_.limit) query_.limit = client.config().page_size;
}

template <class T>
asio::awaitable<std::optional<Page<T>>> Pager<T>::next() {
  if (done_) co_return std::nullopt;
  auto pg = co_await client_->page<T>(query_, offset_);
  const int limit = pg.limit;
  std::vector<std::int64_t> ids;
  ids.reserve(pg.items.size());
  for (const auto& item : pg.items) ids.push_back(item.id.value());
  if (pages_ > 0 && !ids.empty() && ids == last_ids_) {
    done_ = true;
    throw Error(errc::invalid_response,
                "GET " + std::string(Resource<T>::path) + ": offset " + std::to_string(offset_) +
                    " returned the same records as the page before; the server does not page by "
                    "`offset` the way ClientConfig::offset_mode says");
  }
  if (pg.items.size() < static_cast<std::size_t>(limit)) done_ = true;
  if (pg.items.empty() && pages_ > 0) co_return std::nullopt;
  ++pages_;
  items_ += pg.items.size();
  last_ids_ = std::move(ids);
  offset_ += client_->config().offset_mode == OffsetMode::page_number ? 1 : limit;
  co_return std::optional<Page<T>>(std::move(pg));
}

template <class T>
void Pager<T>::start_next(wrike_cascade::Handler<std::optional<Page<T>>> h) {
  asio::co_spawn(client_->get_executor(), next(), std::move(h));
}

template class Pager<Goal>;
template class Pager<Task>;
template class Pager<Issue>;
template class Pager<Update>;

// The result types of the completion-token interface.
template void Client::spawn(asio::awaitable<Page<Goal>>, wrike_cascade::Handler<Page<Goal>>);
template void Client::spawn(asio::awaitable<std::vector<Goal>>, wrike_cascade::Handler<std::vector<Goal>>);
template void Client::spawn(asio::awaitable<Goal>, wrike_cascade::Handler<Goal>);
template void Client::spawn(asio::awaitable<Page<Task>>, wrike_cascade::Handler<Page<Task>>);
template void Client::spawn(asio::awaitable<std::vector<Task>>, wrike_cascade::Handler<std::vector<Task>>);
template void Client::spawn(asio::awaitable<Task>, wrike_cascade::Handler<Task>);
template void Client::spawn(asio::awaitable<Page<Issue>>, wrike_cascade::Handler<Page<Issue>>);
template void Client::spawn(asio::awaitable<std::vector<Issue>>, wrike_cascade::Handler<std::vector<Issue>>);
template void Client::spawn(asio::awaitable<Issue>, wrike_cascade::Handler<Issue>);
template void Client::spawn(asio::awaitable<Page<Update>>, wrike_cascade::Handler<Page<Update>>);
template void Client::spawn(asio::awaitable<std::vector<Update>>, wrike_cascade::Handler<std::vector<Update>>);
template void Client::spawn(asio::awaitable<Update>, wrike_cascade::Handler<Update>);
template void Client::spawn(asio::awaitable<DeleteResult>, wrike_cascade::Handler<DeleteResult>);

}  // namespace cascade::classic
