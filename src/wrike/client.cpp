#include <wrike/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>

namespace wrike {
namespace {

using wrike_cascade::errc;
using wrike_cascade::Error;
namespace asio = boost::asio;

constexpr std::size_t kMaxIdsPerRequest = 100;

std::string bool_param(bool b) { return b ? "true" : "false"; }

std::string json_text(const boost::json::value& v) { return boost::json::serialize(v); }

template <class IdT>
std::string join_ids(const std::vector<IdT>& ids, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i != from) out += ',';
    out += ids[i].str();
  }
  return out;
}

template <class IdT>
void check_id(const IdT& id, std::string_view what) {
  if (!is_valid_id(id.str())) {
    throw Error(errc::invalid_argument,
                std::string(what) + ": '" + id.str().substr(0, 80) +
                    "' is not a Wrike ID (1-256 characters of [a-zA-Z0-9-_:.=])");
  }
}

// The documented `fields` values of each listing, so a typo fails here with a clear message
// instead of as Wrike's 400.
constexpr std::array<std::string_view, 22> kTaskListFields{
    "metadata", "responsibleIds", "customItemTypeId", "customFields", "followerIds", "parentIds",
    "sharedIds", "description", "superTaskIds", "responsiblePlaceholderIds", "superParentIds",
    "dependencyIds", "billingType", "attachmentCount", "workScheduleId", "effortAllocation",
    "hasAttachments", "subTaskIds", "recurrent", "authorIds", "briefDescription", "finance"};
constexpr std::array<std::string_view, 9> kTaskByIdFields{
    "cascadingFields", "customItemTypeId", "billingType", "attachmentCount", "workScheduleId",
    "responsiblePlaceholderIds", "effortAllocation", "recurrent", "finance"};
constexpr std::array<std::string_view, 12> kFolderListFields{
    "superParentIds", "metadata", "customItemTypeId", "customFields", "customColumnIds",
    "contractType", "description", "attachmentCount", "hasAttachments", "briefDescription",
    "space", "finance"};
constexpr std::array<std::string_view, 8> kFolderByIdFields{
    "cascadingFields", "accessRoles", "customItemTypeId", "customColumnIds", "contractType",
    "attachmentCount", "briefDescription", "finance"};

template <std::size_t N>
void check_fields(const std::vector<std::string>& fields, const std::array<std::string_view, N>& allowed,
                  std::string_view what) {
  for (const auto& f : fields) {
    if (std::find(allowed.begin(), allowed.end(), f) != allowed.end()) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    throw Error(errc::invalid_argument,
                std::string(what) + ": '" + f + "' is not one of Wrike's fields here (" + list + ")");
  }
}

std::string location_path(const Location& where, std::string_view leaf) {
  if (const auto* s = std::get_if<SpaceId>(&where)) {
    check_id(*s, "space ID");
    return "/spaces/" + s->str() + "/" + std::string(leaf);
  }
  if (const auto* f = std::get_if<FolderId>(&where)) {
    check_id(*f, "folder ID");
    return "/folders/" + f->str() + "/" + std::string(leaf);
  }
  return "/" + std::string(leaf);
}

std::string metadata_param(const Metadata& m) {
  return json_text(boost::json::object{{"key", m.key}, {"value", m.value}});
}

std::string list_or_single(const std::vector<std::string>& values) {
  return values.size() == 1 ? values.front() : to_param(values);
}

std::string getenv_str(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

std::vector<std::string> sync_task_fields() {
  return {"responsibleIds", "parentIds",   "superParentIds", "superTaskIds",
          "subTaskIds",     "customFields", "description",   "briefDescription",
          "authorIds",      "metadata"};
}

std::string to_param(const TimeRange& r) {
  if (!r.start && !r.end) throw Error(errc::invalid_argument, "a time range needs a start or an end");
  boost::json::object o;
  if (r.start) o["start"] = format_timestamp(*r.start);
  if (r.end) o["end"] = format_timestamp(*r.end);
  return json_text(o);
}

std::string to_param(const DateRange& r) {
  if (!r.start && !r.end && !r.equal) throw Error(errc::invalid_argument, "a date range needs start, equal or end");
  boost::json::object o;
  if (r.start) o["start"] = format_date(*r.start);
  if (r.equal) o["equal"] = format_date(*r.equal);
  if (r.end) o["end"] = format_date(*r.end);
  return json_text(o);
}

std::string to_param(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return json_text(a);
}

void add_params(net::Params& p, const TasksQuery& q) {
  check_fields(q.fields, kTaskListFields, "TasksQuery.fields");
  if (q.page_size && (*q.page_size < 1 || *q.page_size > 1000)) {
    throw Error(errc::invalid_argument, "TasksQuery.page_size must be 1..1000, not " + std::to_string(*q.page_size));
  }
  if (q.descendants) p.add("descendants", bool_param(*q.descendants));
  if (q.title) p.add("title", *q.title);
  if (!q.status.empty()) p.add("status", list_or_single(q.status));
  if (q.importance) p.add("importance", *q.importance);
  if (q.start_date) p.add("startDate", to_param(*q.start_date));
  if (q.due_date) p.add("dueDate", to_param(*q.due_date));
  if (q.created_date) p.add("createdDate", to_param(*q.created_date));
  if (q.updated_date) p.add("updatedDate", to_param(*q.updated_date));
  if (q.completed_date) p.add("completedDate", to_param(*q.completed_date));
  if (!q.authors.empty()) p.add("authors", to_param(q.authors));
  if (!q.responsibles.empty()) p.add("responsibles", to_param(q.responsibles));
  if (q.permalink) p.add("permalink", *q.permalink);
  if (q.type) p.add("type", *q.type);
  if (q.limit) p.add("limit", std::to_string(*q.limit));
  if (q.sort_field) p.add("sortField", *q.sort_field);
  if (q.sort_order) p.add("sortOrder", *q.sort_order);
  if (q.sub_tasks) p.add("subTasks", bool_param(*q.sub_tasks));
  if (q.page_size) p.add("pageSize", std::to_string(*q.page_size));
  if (q.metadata) p.add("metadata", metadata_param(*q.metadata));
  if (!q.custom_statuses.empty()) p.add("customStatuses", to_param(q.custom_statuses));
  if (q.with_invitations) p.add("withInvitations", bool_param(*q.with_invitations));
  if (q.plain_text_custom_fields) p.add("plainTextCustomFields", bool_param(*q.plain_text_custom_fields));
  if (!q.fields.empty()) p.add("fields", to_param(q.fields));
}

void add_params(net::Params& p, const FoldersQuery& q) {
  check_fields(q.fields, kFolderListFields, "FoldersQuery.fields");
  if (q.permalink) p.add("permalink", *q.permalink);
  if (q.descendants) p.add("descendants", bool_param(*q.descendants));
  if (q.metadata) p.add("metadata", metadata_param(*q.metadata));
  if (q.updated_date) p.add("updatedDate", to_param(*q.updated_date));
  if (q.with_invitations) p.add("withInvitations", bool_param(*q.with_invitations));
  if (q.project) p.add("project", bool_param(*q.project));
  if (q.deleted) p.add("deleted", bool_param(*q.deleted));
  if (q.plain_text_custom_fields) p.add("plainTextCustomFields", bool_param(*q.plain_text_custom_fields));
  if (q.title) p.add("title", *q.title);
  if (q.page_size) p.add("pageSize", std::to_string(*q.page_size));
  if (!q.fields.empty()) p.add("fields", to_param(q.fields));
}

ClientConfig ClientConfig::from_env() {
  ClientConfig c;
  c.token = getenv_str("WRIKE_TOKEN");
  if (auto url = getenv_str("WRIKE_API_URL"); !url.empty()) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") || parsed->encoded_host().empty()) {
      throw Error(errc::config_error, "WRIKE_API_URL='" + wrike_cascade::redact_url(url) +
                                          "' is not an http(s) URL like https://www.wrike.com/api/v4");
    }
    c.api_url = url;
  }
  if (auto ca = getenv_str("WRIKE_CA_FILE"); !ca.empty()) {
    if (!std::ifstream(ca)) throw Error(errc::config_error, "WRIKE_CA_FILE='" + ca + "' cannot be read");
    c.ca_file = ca;
  }
  return c;
}

// ---- Client -------------------------------------------------------------------------------

Client::Client(asio::any_io_executor ex, ClientConfig config) : config_(std::move(config)) {
  net::ClientOptions o;
  o.base_url = config_.api_url;
  o.ca_file = config_.ca_file;
  o.retry = config_.retry;
  o.max_connections_per_host = config_.max_connections;
  o.request_timeout = config_.request_timeout;
  o.log = config_.log;
  o.user_agent = "wrike-cascade/0.1 (wrike)";
  if (config_.auth) {
    o.auth = config_.auth;
  } else {
    if (config_.token.empty()) {
      throw Error(errc::config_error,
                  "no Wrike credential: set WRIKE_TOKEN to a permanent access token "
                  "(Wrike: Apps & Integrations > API)");
    }
    o.auth = std::make_shared<net::StaticBearer>(config_.token);
  }
  if (config_.rate_limit_enabled) {
    o.rate_limiter = net::RateLimiter::for_key("wrike:" + o.auth->key(), config_.rate_limit);
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

template <class T>
asio::awaitable<Envelope<T>> Client::fetch(net::Request req) {
  const std::string what = req.method + " " + req.path;
  auto resp = co_await http_->request(std::move(req));
  try {
    co_return decode_envelope<T>(resp.body);
  } catch (const Error& e) {
    auto d = e.detail();
    d.context = "response of " + what + ": " + d.context;
    throw Error(e.code(), std::move(d));
  }
}

template <class T, class IdT>
asio::awaitable<std::vector<T>> Client::fetch_by_ids(std::string prefix, const std::vector<IdT>& ids,
                                                     std::vector<std::string> fields) {
  std::vector<T> out;
  out.reserve(ids.size());
  for (const auto& id : ids) check_id(id, "ID");
  for (std::size_t from = 0; from < ids.size(); from += kMaxIdsPerRequest) {
    const std::size_t to = std::min(ids.size(), from + kMaxIdsPerRequest);
    net::Params p;
    if (!fields.empty()) p.add("fields", to_param(fields));
    auto env = co_await fetch<T>(net::Request::get(prefix + join_ids(ids, from, to), std::move(p)));
    for (auto& item : env.data) out.push_back(std::move(item));
  }
  co_return out;
}

asio::awaitable<std::vector<Contact>> Client::get_contacts(ContactsQuery q) {
  if (q.emails.size() > 100) throw Error(errc::invalid_argument, "ContactsQuery.emails: at most 100");
  net::Params p;
  if (q.me) p.add("me", bool_param(*q.me));
  if (q.deleted) p.add("deleted", bool_param(*q.deleted));
  if (q.active) p.add("active", bool_param(*q.active));
  if (q.name) p.add("name", *q.name);
  if (!q.types.empty()) p.add("types", to_param(q.types));
  if (!q.emails.empty()) p.add("emails", to_param(q.emails));
  if (!q.fields.empty()) p.add("fields", to_param(q.fields));
  co_return (co_await fetch<Contact>(net::Request::get("/contacts", std::move(p)))).data;
}

asio::awaitable<std::vector<Contact>> Client::get_contacts_by_ids(std::vector<ContactId> ids,
                                                                  std::vector<std::string> fields) {
  co_return co_await fetch_by_ids<Contact>("/contacts/", ids, std::move(fields));
}

asio::awaitable<std::vector<Space>> Client::get_spaces(SpacesQuery q) {
  net::Params p;
  if (q.with_archived) p.add("withArchived", bool_param(*q.with_archived));
  if (q.user_is_member) p.add("userIsMember", bool_param(*q.user_is_member));
  if (q.with_invitations) p.add("withInvitations", bool_param(*q.with_invitations));
  if (q.title) p.add("title", *q.title);
  if (!q.access_types.empty()) p.add("accessTypes", to_param(q.access_types));
  if (!q.fields.empty()) p.add("fields", to_param(q.fields));
  co_return (co_await fetch<Space>(net::Request::get("/spaces", std::move(p)))).data;
}

asio::awaitable<Space> Client::get_space(SpaceId id, std::vector<std::string> fields) {
  check_id(id, "space ID");
  net::Params p;
  if (!fields.empty()) p.add("fields", to_param(fields));
  auto env = co_await fetch<Space>(net::Request::get("/spaces/" + id.str(), std::move(p)));
  if (env.data.empty()) throw Error(errc::not_found, "space " + id.str() + " was not returned");
  co_return std::move(env.data.front());
}

asio::awaitable<std::vector<FolderTreeEntry>> Client::get_folder_tree(Location where) {
  co_return (co_await fetch<FolderTreeEntry>(net::Request::get(location_path(where, "folders")))).data;
}

asio::awaitable<Page<Folder>> Client::get_folders_page(Location where, FoldersQuery q,
                                                       std::optional<std::string> page_token) {
  net::Params p;
  add_params(p, q);
  if (p.empty()) {
    // Without any filter Wrike answers with the folderTree shape, not full folders.
    throw Error(errc::invalid_argument,
                "FoldersQuery needs at least one filter or field (use get_folder_tree for the tree)");
  }
  if (page_token) p.add("nextPageToken", *page_token);
  auto env = co_await fetch<Folder>(net::Request::get(location_path(where, "folders"), std::move(p)));
  co_return Page<Folder>{std::move(env.data), std::move(env.next_page_token), env.response_size};
}

asio::awaitable<std::vector<Folder>> Client::get_folders(Location where, FoldersQuery q) {
  std::vector<Folder> out;
  std::optional<std::string> token;
  do {
    auto page = co_await get_folders_page(where, q, token);
    for (auto& f : page.items) out.push_back(std::move(f));
    token = std::move(page.next_page_token);
  } while (token);
  co_return out;
}

asio::awaitable<std::vector<Folder>> Client::get_folders_by_ids(std::vector<FolderId> ids,
                                                                std::vector<std::string> fields) {
  check_fields(fields, kFolderByIdFields, "folder-by-ID fields");
  co_return co_await fetch_by_ids<Folder>("/folders/", ids, std::move(fields));
}

asio::awaitable<Page<Task>> Client::get_tasks_page(Location where, TasksQuery q,
                                                   std::optional<std::string> page_token) {
  net::Params p;
  add_params(p, q);
  if (page_token) p.add("nextPageToken", *page_token);
  auto env = co_await fetch<Task>(net::Request::get(location_path(where, "tasks"), std::move(p)));
  co_return Page<Task>{std::move(env.data), std::move(env.next_page_token), env.response_size};
}

asio::awaitable<std::vector<Task>> Client::get_tasks(Location where, TasksQuery q) {
  std::vector<Task> out;
  auto pager = tasks(std::move(where), std::move(q));
  while (auto page = co_await pager.next()) {
    for (auto& t : page->items) out.push_back(std::move(t));
  }
  co_return out;
}

asio::awaitable<std::vector<Task>> Client::get_tasks_by_ids(std::vector<TaskId> ids,
                                                            std::vector<std::string> fields) {
  check_fields(fields, kTaskByIdFields, "task-by-ID fields");
  co_return co_await fetch_by_ids<Task>("/tasks/", ids, std::move(fields));
}

asio::awaitable<std::vector<CustomField>> Client::get_custom_fields(std::optional<SpaceId> space) {
  const std::string path = space ? location_path(*space, "customfields") : "/customfields";
  co_return (co_await fetch<CustomField>(net::Request::get(path))).data;
}

asio::awaitable<std::vector<CustomField>> Client::get_custom_fields_by_ids(std::vector<CustomFieldId> ids) {
  co_return co_await fetch_by_ids<CustomField>("/customfields/", ids, {});
}

asio::awaitable<std::vector<Workflow>> Client::get_workflows(std::optional<SpaceId> space) {
  const std::string path = space ? location_path(*space, "workflows") : "/workflows";
  co_return (co_await fetch<Workflow>(net::Request::get(path))).data;
}

// ---- TaskPager ----------------------------------------------------------------------------

TaskPager::TaskPager(Client& client, Location where, TasksQuery query)
    : client_(&client), where_(std::move(where)), query_(std::move(query)) {
  if (!query_.page_size) query_.page_size = 1000;  // without pageSize Wrike stops at 1000, silently
}

asio::awaitable<std::optional<Page<Task>>> TaskPager::next() {
  if (done_) co_return std::nullopt;
  auto page = co_await client_->get_tasks_page(where_, query_, token_);
  ++pages_;
  if (page.response_size) response_size_ = page.response_size;
  token_ = page.next_page_token;
  if (!token_) done_ = true;
  co_return std::optional<Page<Task>>(std::move(page));
}

void TaskPager::start_next(wrike_cascade::Handler<std::optional<Page<Task>>> h) {
  asio::co_spawn(client_->get_executor(), next(), std::move(h));
}

// The result types of the completion-token interface.
template void Client::spawn(asio::awaitable<std::vector<Contact>>, wrike_cascade::Handler<std::vector<Contact>>);
template void Client::spawn(asio::awaitable<std::vector<Space>>, wrike_cascade::Handler<std::vector<Space>>);
template void Client::spawn(asio::awaitable<Space>, wrike_cascade::Handler<Space>);
template void Client::spawn(asio::awaitable<std::vector<FolderTreeEntry>>, wrike_cascade::Handler<std::vector<FolderTreeEntry>>);
template void Client::spawn(asio::awaitable<std::vector<Folder>>, wrike_cascade::Handler<std::vector<Folder>>);
template void Client::spawn(asio::awaitable<Page<Task>>, wrike_cascade::Handler<Page<Task>>);
template void Client::spawn(asio::awaitable<std::vector<Task>>, wrike_cascade::Handler<std::vector<Task>>);
template void Client::spawn(asio::awaitable<std::vector<CustomField>>, wrike_cascade::Handler<std::vector<CustomField>>);
template void Client::spawn(asio::awaitable<std::vector<Workflow>>, wrike_cascade::Handler<std::vector<Workflow>>);

}  // namespace wrike
