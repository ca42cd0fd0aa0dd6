#include <wrike/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/parse.hpp>
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

asio::awaitable<void> sleep_for(asio::any_io_executor ex, std::chrono::milliseconds d) {
  asio::steady_timer t(ex);
  t.expires_after(d);
  co_await t.async_wait(asio::use_awaitable);
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

wrike_cascade::oauth::Config oauth_config(std::string oauth_url, std::string client_id, std::string client_secret,
                                          std::string redirect_uri) {
  while (!oauth_url.empty() && oauth_url.back() == '/') oauth_url.pop_back();
  wrike_cascade::oauth::Config c;
  c.authorize_url = oauth_url + "/authorize/v4";
  c.token_url = oauth_url + "/token";
  c.client_id = std::move(client_id);
  c.client_secret = std::move(client_secret);
  c.redirect_uri = std::move(redirect_uri);
  return c;
}

wrike_cascade::oauth::Config oauth_config_from_env(std::string redirect_uri) {
  std::string url = getenv_str("WRIKE_OAUTH_URL");
  if (url.empty()) url = "https://login.wrike.com/oauth2";
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http")) {
    throw Error(errc::config_error, "WRIKE_OAUTH_URL='" + url + "' is not an http(s) URL");
  }
  auto id = getenv_str("WRIKE_CLIENT_ID");
  auto secret = getenv_str("WRIKE_CLIENT_SECRET");
  if (id.empty()) throw Error(errc::config_error, "WRIKE_CLIENT_ID is not set (the client ID of your Wrike API app)");
  if (secret.empty()) throw Error(errc::config_error, "WRIKE_CLIENT_SECRET is not set (the client secret of your Wrike API app)");
  auto c = oauth_config(url, std::move(id), std::move(secret), std::move(redirect_uri));
  if (auto ca = getenv_str("WRIKE_CA_FILE"); !ca.empty()) c.ca_file = ca;
  return c;
}

std::string api_url_for_host(const std::string& host) {
  if (host.empty() || host.find_first_of("/?#@ ") != std::string::npos) {
    throw Error(errc::invalid_response, "the OAuth token response names an invalid host '" + host + "'");
  }
  return "https://" + host + "/api/v4";
}

std::filesystem::path ClientConfig::default_token_file() {
  return wrike_cascade::oauth::FileTokenStore::default_path("wrike-tokens.json");
}

ClientConfig ClientConfig::from_env(std::optional<std::filesystem::path> token_file) {
  ClientConfig c;
  c.token = getenv_str("WRIKE_TOKEN");
  if (auto url = getenv_str("WRIKE_API_URL"); !url.empty()) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") || parsed->encoded_host().empty()) {
      throw Error(errc::config_error, "WRIKE_API_URL='" + wrike_cascade::redact_url(url) +
                                          "' is not an http(s) URL like https://www.wrike.com/api/v4");
    }
    c.api_url = url;
    c.api_url_explicit = true;
  }
  if (auto ca = getenv_str("WRIKE_CA_FILE"); !ca.empty()) {
    if (!std::ifstream(ca)) throw Error(errc::config_error, "WRIKE_CA_FILE='" + ca + "' cannot be read");
    c.ca_file = ca;
  }
  if (c.token.empty()) {
    const auto path = token_file.value_or(default_token_file());
    if (std::filesystem::exists(path)) {
      c.oauth = OAuthSettings{oauth_config_from_env(),
                              std::make_shared<wrike_cascade::oauth::FileTokenStore>(path)};
    } else if (token_file) {
      throw Error(errc::config_error, "token file '" + path.string() + "' does not exist: run 'wrike-cascade-sync wrike login'");
    }
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
  } else if (config_.oauth) {
    if (!config_.oauth->store) throw Error(errc::config_error, "OAuthSettings.store is not set");
    if (!config_.oauth->config.ca_file) config_.oauth->config.ca_file = config_.ca_file;
    oauth_ = std::make_shared<wrike_cascade::oauth::RefreshingAuth>(ex, config_.oauth->config, config_.oauth->store);
    const auto tokens = oauth_->current();  // fails clearly when nobody logged in
    if (!config_.api_url_explicit && !tokens.host.empty()) o.base_url = api_url_for_host(tokens.host);
    o.auth = oauth_;
  } else {
    if (config_.token.empty()) {
      throw Error(errc::config_error,
                  "no Wrike credential: set WRIKE_TOKEN to a permanent access token "
                  "(Wrike: Apps & Integrations > API), or run 'wrike-cascade-sync wrike login'");
    }
    o.auth = std::make_shared<net::StaticBearer>(config_.token);
  }
  if (config_.rate_limit_enabled) {
    o.rate_limiter = net::RateLimiter::for_key("wrike:" + o.auth->key(), config_.rate_limit);
  }
  config_.token.clear();  // the auth provider holds it; keep no second copy
  http_ = std::make_unique<net::HttpClient>(std::move(ex), std::move(o));
  if (oauth_ && !config_.api_url_explicit) {
    // A refresh may name another host (the account moved data centre): follow it.
    oauth_->on_refresh([http = http_.get()](const wrike_cascade::oauth::Tokens& t) {
      if (!t.host.empty()) http->set_base_url(api_url_for_host(t.host));
    });
  }
}

Client::~Client() {
  if (oauth_) oauth_->on_refresh(nullptr);  // it may outlive us in operations still running
}

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
  const std::string prefix = "/customfields/";
  std::vector<std::string> no_fields;
  auto found = co_await fetch_by_ids<CustomField>(prefix, ids, std::move(no_fields));
  co_return found;
}

asio::awaitable<std::vector<Workflow>> Client::get_workflows(std::optional<SpaceId> space) {
  const std::string path = space ? location_path(*space, "workflows") : "/workflows";
  co_return (co_await fetch<Workflow>(net::Request::get(path))).data;
}

// ---- writes -------------------------------------------------------------------------------

namespace {

boost::json::object dates_json(const TaskDatesInput& d) {
  boost::json::object o;
  o["type"] = d.type;
  auto fmt = [&](LocalDateTime t) {
    if (!d.date_only) return format_local_datetime(t);
    return format_date(Date(std::chrono::local_days(std::chrono::floor<std::chrono::days>(t.time_since_epoch()))));
  };
  if (d.start) o["start"] = fmt(*d.start);
  if (d.due) o["due"] = fmt(*d.due);
  if (d.duration) o["duration"] = d.duration->count();
  if (d.work_on_weekends) o["workOnWeekends"] = *d.work_on_weekends;
  return o;
}

boost::json::array custom_fields_json(const std::vector<CustomFieldWrite>& v) {
  boost::json::array a;
  for (const auto& f : v) {
    check_id(f.id, "custom field ID");
    boost::json::object o{{"id", f.id.str()}};
    if (f.value) {
      if (f.value->size() > 2000) {
        throw Error(errc::invalid_argument, "custom field " + f.id.str() + ": a value is at most 2000 characters");
      }
      o["value"] = *f.value;
    } else {
      o["value"] = nullptr;
    }
    a.push_back(std::move(o));
  }
  return a;
}

void check_metadata_key(const std::string& key) {
  const bool ok = !key.empty() && key.size() < 50 &&
                  std::all_of(key.begin(), key.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                  });
  if (!ok) throw Error(errc::invalid_argument, "metadata key '" + key + "': Wrike takes 1-49 characters of [A-Za-z0-9_-]");
}

boost::json::array metadata_json(const std::vector<MetadataWrite>& v) {
  boost::json::array a;
  for (const auto& m : v) {
    check_metadata_key(m.key);
    boost::json::object o{{"key", m.key}};
    if (m.value) {
      if (m.value->size() >= 1000) throw Error(errc::invalid_argument, "metadata '" + m.key + "': a value is under 1000 characters");
      o["value"] = *m.value;
    } else {
      o["value"] = nullptr;
    }
    a.push_back(std::move(o));
  }
  return a;
}

template <class IdT>
std::string id_list(const std::vector<IdT>& ids, std::string_view what) {
  std::vector<std::string> s;
  for (const auto& id : ids) {
    check_id(id, what);
    s.push_back(id.str());
  }
  return to_param(s);
}

void check_limit(std::size_t n, std::string_view what) {
  if (n > 100) throw Error(errc::invalid_argument, std::string(what) + ": Wrike takes at most 100 entries");
}

bool outcome_unknown(const Error& e) {
  switch (e.condition()) {
    case errc::timeout:
    case errc::connection_error:
    case errc::invalid_response:
    case errc::server_error:
    case errc::rate_limited:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool TaskUpdate::empty() const noexcept {
  return !title && !description && !status && !custom_status && !importance && !dates && add_responsibles.empty() &&
         remove_responsibles.empty() && add_parents.empty() && remove_parents.empty() && add_super_tasks.empty() &&
         remove_super_tasks.empty() && metadata.empty() && custom_fields.empty() && !restore;
}

bool FolderUpdate::empty() const noexcept {
  return !title && !description && add_parents.empty() && remove_parents.empty() && metadata.empty() &&
         custom_fields.empty() && !project;
}

net::Params to_params(const TaskCreate& t) {
  if (t.title.empty()) throw Error(errc::invalid_argument, "TaskCreate.title is required");
  check_limit(t.metadata.size(), "TaskCreate.metadata");
  check_limit(t.custom_fields.size(), "TaskCreate.custom_fields");
  net::Params p;
  p.add("title", t.title);
  if (t.description) p.add("description", *t.description);
  if (t.status) p.add("status", *t.status);
  if (t.importance) p.add("importance", *t.importance);
  if (t.dates) p.add("dates", json_text(dates_json(*t.dates)));
  if (!t.parents.empty()) p.add("parents", id_list(t.parents, "TaskCreate.parents"));
  if (!t.responsibles.empty()) p.add("responsibles", id_list(t.responsibles, "TaskCreate.responsibles"));
  if (!t.followers.empty()) p.add("followers", id_list(t.followers, "TaskCreate.followers"));
  if (!t.super_tasks.empty()) p.add("superTasks", id_list(t.super_tasks, "TaskCreate.super_tasks"));
  if (!t.metadata.empty()) p.add("metadata", json_text(metadata_json(t.metadata)));
  if (!t.custom_fields.empty()) p.add("customFields", json_text(custom_fields_json(t.custom_fields)));
  if (t.custom_status) {
    check_id(*t.custom_status, "TaskCreate.custom_status");
    p.add("customStatus", t.custom_status->str());
  }
  return p;
}

net::Params to_params(const TaskUpdate& t) {
  if (t.empty()) throw Error(errc::invalid_argument, "TaskUpdate changes nothing");
  check_limit(t.metadata.size(), "TaskUpdate.metadata");
  check_limit(t.custom_fields.size(), "TaskUpdate.custom_fields");
  net::Params p;
  if (t.title) {
    if (t.title->empty()) throw Error(errc::invalid_argument, "TaskUpdate.title cannot be empty");
    p.add("title", *t.title);
  }
  if (t.description) p.add("description", *t.description);
  if (t.status) p.add("status", *t.status);
  if (t.importance) p.add("importance", *t.importance);
  if (t.dates) p.add("dates", json_text(dates_json(*t.dates)));
  if (!t.add_parents.empty()) p.add("addParents", id_list(t.add_parents, "TaskUpdate.add_parents"));
  if (!t.remove_parents.empty()) p.add("removeParents", id_list(t.remove_parents, "TaskUpdate.remove_parents"));
  if (!t.add_responsibles.empty()) p.add("addResponsibles", id_list(t.add_responsibles, "TaskUpdate.add_responsibles"));
  if (!t.remove_responsibles.empty())
    p.add("removeResponsibles", id_list(t.remove_responsibles, "TaskUpdate.remove_responsibles"));
  if (!t.add_super_tasks.empty()) p.add("addSuperTasks", id_list(t.add_super_tasks, "TaskUpdate.add_super_tasks"));
  if (!t.remove_super_tasks.empty())
    p.add("removeSuperTasks", id_list(t.remove_super_tasks, "TaskUpdate.remove_super_tasks"));
  if (!t.metadata.empty()) p.add("metadata", json_text(metadata_json(t.metadata)));
  if (!t.custom_fields.empty()) p.add("customFields", json_text(custom_fields_json(t.custom_fields)));
  if (t.custom_status) {
    check_id(*t.custom_status, "TaskUpdate.custom_status");
    p.add("customStatus", t.custom_status->str());
  }
  if (t.restore) p.add("restore", bool_param(*t.restore));
  return p;
}

net::Params to_params(const FolderUpdate& f) {
  if (f.empty()) throw Error(errc::invalid_argument, "FolderUpdate changes nothing");
  check_limit(f.metadata.size(), "FolderUpdate.metadata");
  check_limit(f.custom_fields.size(), "FolderUpdate.custom_fields");
  net::Params p;
  if (f.title) {
    if (f.title->empty()) throw Error(errc::invalid_argument, "FolderUpdate.title cannot be empty");
    p.add("title", *f.title);
  }
  if (f.description) p.add("description", *f.description);
  if (!f.add_parents.empty()) p.add("addParents", id_list(f.add_parents, "FolderUpdate.add_parents"));
  if (!f.remove_parents.empty()) p.add("removeParents", id_list(f.remove_parents, "FolderUpdate.remove_parents"));
  if (!f.metadata.empty()) p.add("metadata", json_text(metadata_json(f.metadata)));
  if (!f.custom_fields.empty()) p.add("customFields", json_text(custom_fields_json(f.custom_fields)));
  if (f.project) {
    const auto& pr = *f.project;
    boost::json::object o;
    if (!pr.owners_add.empty()) o["ownersAdd"] = boost::json::parse(id_list(pr.owners_add, "ProjectUpdate.owners_add"));
    if (!pr.owners_remove.empty())
      o["ownersRemove"] = boost::json::parse(id_list(pr.owners_remove, "ProjectUpdate.owners_remove"));
    if (pr.status) o["status"] = *pr.status;
    if (pr.custom_status_id) o["customStatusId"] = pr.custom_status_id->str();
    if (pr.start_date) o["startDate"] = format_date(*pr.start_date);
    if (pr.end_date) o["endDate"] = format_date(*pr.end_date);
    if (o.empty()) throw Error(errc::invalid_argument, "FolderUpdate.project changes nothing");
    p.add("project", json_text(o));
  }
  return p;
}

asio::awaitable<Task> Client::create_task(FolderId folder, TaskCreate task, std::optional<CreateKey> key) {
  check_id(folder, "folder ID");
  if (key) {
    check_metadata_key(key->key);
    if (key->value.empty()) throw Error(errc::invalid_argument, "CreateKey.value is empty");
    MetadataWrite m;
    m.key = key->key;
    m.value = key->value;
    task.metadata.push_back(std::move(m));
  }
  const auto params = to_params(task);
  const std::string path = "/folders/" + folder.str() + "/tasks";
  const auto& policy = config_.retry;
  auto ex = co_await asio::this_coro::executor;
  // (Plain control flow on purpose: GCC 12 mishandles co_return/co_await inside try blocks
  // and temporaries inside co_await expressions.)
  for (int attempt = 1;; ++attempt) {
    std::optional<Task> created;
    std::optional<std::chrono::milliseconds> retry_after;
    try {
      created = co_await post_task(path, params);
    } catch (const Error& e) {
      if (!key || !outcome_unknown(e) || attempt >= policy.max_attempts) throw;
      retry_after = e.detail().retry_after;
    }
    if (created) co_return std::move(*created);
    // The create may have landed: look before sending it again.
    Metadata mark;
    mark.key = key->key;
    mark.value = key->value;
    std::optional<Task> landed = co_await find_created(folder, std::move(mark));
    if (landed) co_return std::move(*landed);
    co_await sleep_for(ex, retry_after.value_or(policy.backoff(attempt + 1, 0.5)));
  }
}

asio::awaitable<std::optional<Task>> Client::find_created(FolderId folder, Metadata mark) {
  std::vector<Task> found = co_await find_tasks_by_metadata(std::move(folder), std::move(mark));
  std::optional<Task> first;
  if (!found.empty()) first = std::move(found.front());
  co_return first;
}

asio::awaitable<Task> Client::post_task(std::string path, net::Params params) {
  auto env = co_await fetch<Task>(net::Request::form("POST", path, params));
  if (env.data.empty()) throw Error(errc::invalid_response, "task create returned no task");
  co_return std::move(env.data.front());
}

asio::awaitable<std::vector<Task>> Client::find_tasks_by_metadata(FolderId folder, Metadata m) {
  TasksQuery q;
  q.metadata = std::move(m);
  q.sub_tasks = true;
  q.fields.push_back("metadata");
  q.fields.push_back("parentIds");
  Location where = std::move(folder);  // (no converted temporary inside the co_await)
  auto found = co_await get_tasks(std::move(where), std::move(q));
  co_return found;
}

asio::awaitable<Task> Client::update_task(TaskId id, TaskUpdate update) {
  check_id(id, "task ID");
  auto env = co_await fetch<Task>(net::Request::form("PUT", "/tasks/" + id.str(), to_params(update)));
  if (env.data.empty()) throw Error(errc::invalid_response, "task update returned no task");
  co_return std::move(env.data.front());
}

asio::awaitable<Task> Client::delete_task(TaskId id) {
  check_id(id, "task ID");
  net::Request req;
  req.method = "DELETE";
  req.path = "/tasks/" + id.str();
  auto env = co_await fetch<Task>(std::move(req));
  if (env.data.empty()) throw Error(errc::invalid_response, "task delete returned no task");
  co_return std::move(env.data.front());
}

asio::awaitable<Folder> Client::update_folder(FolderId id, FolderUpdate update) {
  check_id(id, "folder ID");
  auto env = co_await fetch<Folder>(net::Request::form("PUT", "/folders/" + id.str(), to_params(update)));
  if (env.data.empty()) throw Error(errc::invalid_response, "folder update returned no folder");
  co_return std::move(env.data.front());
}

// ---- webhooks -----------------------------------------------------------------------------

namespace {
bool same_scope(const Webhook& h, const Location& where) {
  if (const auto* s = std::get_if<SpaceId>(&where)) return h.space_id && *h.space_id == *s && !h.folder_id;
  if (const auto* f = std::get_if<FolderId>(&where)) return h.folder_id && *h.folder_id == *f;
  return !h.space_id && !h.folder_id;
}
}  // namespace

asio::awaitable<Webhook> Client::create_webhook(Location where, WebhookCreate hook) {
  auto u = boost::urls::parse_uri(hook.hook_url);
  if (!u || (u->scheme() != "https" && u->scheme() != "http")) {
    throw Error(errc::invalid_argument, "WebhookCreate.hook_url '" + hook.hook_url + "' is not an http(s) URL");
  }
  if (hook.recursive && !std::holds_alternative<FolderId>(where)) {
    throw Error(errc::invalid_argument, "WebhookCreate.recursive applies to folder hooks only");
  }
  for (const auto& e : hook.events) {
    WebhookEventType t;
    if (!parse_wire_name(e, t)) throw Error(errc::invalid_argument, "WebhookCreate.events: unknown event type '" + e + "'");
  }
  // Two hooks with the same URL and scope would both deliver: reuse the one that exists.
  auto existing_hooks = co_await get_webhooks();
  for (auto& existing : existing_hooks) {
    if (existing.hook_url == hook.hook_url && same_scope(existing, where)) co_return std::move(existing);
  }
  net::Params p;
  p.add("hookUrl", hook.hook_url);
  if (hook.secret) p.add("secret", *hook.secret);
  if (!hook.events.empty()) {
    std::string list = "[";  // Wrike takes this list without quotes: [TaskCreated,TaskDeleted]
    for (std::size_t i = 0; i < hook.events.size(); ++i) list += (i ? "," : "") + hook.events[i];
    p.add("events", list + "]");
  }
  if (hook.recursive) p.add("recursive", bool_param(*hook.recursive));
  auto env = co_await fetch<Webhook>(net::Request::form("POST", location_path(where, "webhooks"), p));
  if (env.data.empty()) throw Error(errc::invalid_response, "webhook create returned no webhook");
  co_return std::move(env.data.front());
}

asio::awaitable<std::vector<Webhook>> Client::get_webhooks() {
  co_return (co_await fetch<Webhook>(net::Request::get("/webhooks"))).data;
}

asio::awaitable<std::vector<Webhook>> Client::get_webhooks_by_ids(std::vector<WebhookId> ids) {
  const std::string prefix = "/webhooks/";
  std::vector<std::string> no_fields;
  auto found = co_await fetch_by_ids<Webhook>(prefix, ids, std::move(no_fields));
  co_return found;
}

asio::awaitable<Webhook> Client::set_webhook_status(WebhookId id, bool active) {
  check_id(id, "webhook ID");
  net::Params p;  // (not a braced list: GCC 12 miscompiles those inside coroutines)
  p.add("status", active ? "Active" : "Suspended");
  auto env = co_await fetch<Webhook>(net::Request::form("PUT", "/webhooks/" + id.str(), p));
  if (env.data.empty()) throw Error(errc::invalid_response, "webhook update returned no webhook");
  co_return std::move(env.data.front());
}

asio::awaitable<void> Client::delete_webhook(WebhookId id) {
  check_id(id, "webhook ID");
  net::Request req;
  req.method = "DELETE";
  req.path = "/webhooks/" + id.str();
  co_await http_->request(std::move(req));
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
template void Client::spawn(asio::awaitable<Task>, wrike_cascade::Handler<Task>);
template void Client::spawn(asio::awaitable<Webhook>, wrike_cascade::Handler<Webhook>);
template void Client::spawn(asio::awaitable<std::vector<Webhook>>, wrike_cascade::Handler<std::vector<Webhook>>);
template void Client::spawn(asio::awaitable<Folder>, wrike_cascade::Handler<Folder>);
template void Client::spawn(asio::awaitable<std::vector<Workflow>>, wrike_cascade::Handler<std::vector<Workflow>>);

}  // namespace wrike
