// The Wrike emulator's webhooks (wrike-api.md §6): management routes, the secret handshake,
// and real deliveries: events queued from the store's changes, batched per hook, signed,
// retried with backoff, and hooks suspended after repeated failed deliveries.
#include "wrike_internal.hpp"
#include <wrike_cascade/ascii.hpp>

#include "outbound_http.hpp"
#include "wrike_api.hpp"
#include "wrike_util.hpp"

#include <wrike/webhook_signature.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace wrike_cascade::emulator::detail {

namespace {

// wrike-api.md §6.2 (the emulator's own list: it never uses the SDK's models).
constexpr std::string_view kEventTypes[] = {
    "TaskCreated", "TaskDeleted", "TaskTitleChanged", "TaskImportanceChanged", "TaskStatusChanged",
    "TaskDatesChanged", "TaskParentsAdded", "TaskParentsRemoved", "TaskResponsiblesAdded",
    "TaskResponsiblesRemoved", "TaskSharedsAdded", "TaskSharedsRemoved", "TaskDescriptionChanged",
    "TaskCustomFieldChanged", "TaskApprovalStatusChanged", "TaskApprovalDecisionChanged",
    "TaskApprovalDecisionReset", "FolderCreated", "FolderDeleted", "FolderTitleChanged",
    "FolderParentsAdded", "FolderParentsRemoved", "FolderSharedsAdded", "FolderSharedsRemoved",
    "FolderDescriptionChanged", "FolderCommentAdded", "FolderCommentDeleted", "FolderAttachmentAdded",
    "FolderAttachmentDeleted", "FolderCustomFieldChanged", "FolderApprovalStatusChanged",
    "FolderApprovalDecisionChanged", "FolderApprovalDecisionReset", "ProjectDatesChanged",
    "ProjectOwnersAdded", "ProjectOwnersRemoved", "ProjectStatusChanged", "AttachmentAdded",
    "AttachmentDeleted", "CommentAdded", "CommentDeleted", "TimelogChanged"};

constexpr std::string_view kVerificationBody = R"({"requestType":"WebHook secret verification"})";
constexpr std::size_t kLogCapacity = 10000;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// `events`: Wrike's bracketed list without quotes, [TaskCreated,TaskDeleted]; quoted names (a
// JSON array) are accepted too.
std::vector<std::string> parse_events(std::string_view text) {
  const std::string t = trim(text);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']')
    invalid_param("events", "expected a bracketed list such as [TaskCreated,TaskDeleted]");
  std::vector<std::string> out;
  std::string_view rest = std::string_view(t).substr(1, t.size() - 2);
  if (trim(rest).empty()) invalid_param("events", "the list is empty (leave events out for every event)");
  while (true) {
    const auto comma = rest.find(',');
    std::string name = trim(rest.substr(0, comma));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    if (!contains(kEventTypes, name)) invalid_param("events", "unknown event type '" + name + "'");
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("wrike emulator: cannot read webhook CA file " + p.string());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

struct WebhookHub::Hook {
  enum class Scope { account, space, folder };
  std::string id, account_id;
  Scope scope = Scope::account;
  std::string scope_id;
  std::string hook_url, secret;
  std::optional<std::vector<std::string>> events;
  bool recursive = false;
  std::string status = "Active";
  bool deleted = false;
  bool in_flight = false;
  std::vector<std::string> pending;  // serialised events
  std::chrono::steady_clock::time_point first_pending;
  WebhookStats stats;

  bool covers(const WrikeChange& c) const {
    auto has = [](const std::vector<std::string>& v, const std::string& x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };
    if (events && !has(*events, c.event_type)) return false;
    switch (scope) {
      case Scope::account: return true;
      case Scope::space: return has(c.ancestors, scope_id);
      case Scope::folder: return recursive ? has(c.ancestors, scope_id) : has(c.direct, scope_id);
    }
    return false;
  }

  json::object model() const {
    json::object o;
    o["id"] = id;
    o["accountId"] = account_id;
    if (scope == Scope::folder) o["folderId"] = scope_id;
    if (scope == Scope::space) o["spaceId"] = scope_id;
    o["hookUrl"] = hook_url;
    if (events) {
      json::array a;
      for (const auto& e : *events) a.emplace_back(e);
      o["events"] = std::move(a);
    }
    if (scope == Scope::folder) o["recursive"] = recursive;
    o["status"] = status;
    return o;
  }

  std::string event_json(const WrikeChange& c) const {
    json::object e;
    e[c.subject == WrikeChange::Subject::task ? "taskId" : "folderId"] = c.id;
    e["webhookId"] = id;
    if (!c.author_id.empty()) e["eventAuthorId"] = c.author_id;
    e["eventType"] = c.event_type;
    e["lastUpdatedDate"] = c.last_updated_date;
    for (const auto& m : c.fields) e[m.key()] = m.value();
    return json::serialize(e);
  }

  void drop_pending() {
    stats.events_dropped += pending.size();
    pending.clear();
  }
};

struct WebhookHub::Worker {
  std::unique_ptr<OutboundHttp> http;
};

WebhookHub::WebhookHub(WrikeStore& store, WebhookOptions options) : store_(store), options_(std::move(options)) {
  if (options_.ca_file) {
    if (!options_.ca_pem.empty() && options_.ca_pem.back() != '\n') options_.ca_pem += '\n';
    options_.ca_pem += read_file(*options_.ca_file);
  }
  options_.delivery_threads = std::max(1, options_.delivery_threads);
  options_.max_retries = std::max(0, options_.max_retries);
  options_.max_batch_events = std::max<std::size_t>(1, options_.max_batch_events);
}

WebhookHub::~WebhookHub() { stop(); }

void WebhookHub::start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  for (int i = 0; i < options_.delivery_threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->http = std::make_unique<OutboundHttp>(OutboundOptions{options_.ca_pem, options_.delivery_timeout});
    workers_.push_back(std::move(w));
  }
  for (std::size_t i = 0; i < workers_.size(); ++i) threads_.emplace_back([this, i] { worker(i); });
}

void WebhookHub::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    if (!started_) return;
    stopping_ = true;
    for (auto& w : workers_) w->http->cancel();
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
  std::lock_guard lock(mutex_);
  workers_.clear();
  started_ = false;
}

void WebhookHub::on_changes(const std::vector<WrikeChange>& changes) {
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (const auto& c : changes)
      for (auto& h : hooks_) {
        if (h->deleted || !h->covers(c)) continue;
        if (h->status != "Active") {
          ++h->stats.events_dropped;  // not replayed after re-activation
          continue;
        }
        if (h->pending.empty()) h->first_pending = now;
        h->pending.push_back(h->event_json(c));
        ++h->stats.events_queued;
        queued = true;
      }
  }
  if (queued) cv_.notify_all();
}

void WebhookHub::worker(std::size_t index) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    std::shared_ptr<Hook> due;
    auto earliest = std::chrono::steady_clock::time_point::max();
    for (auto& h : hooks_) {
      if (h->deleted || h->in_flight || h->pending.empty() || h->status != "Active") continue;
      const auto at = h->first_pending + options_.batch_window;
      if (at <= now) {
        due = h;
        break;
      }
      earliest = std::min(earliest, at);
    }
    if (!due) {
      if (earliest == std::chrono::steady_clock::time_point::max()) cv_.wait(lock);
      else cv_.wait_until(lock, earliest);
      continue;
    }
    const std::size_t n = std::min(due->pending.size(), options_.max_batch_events);
    std::vector<std::string> batch(std::make_move_iterator(due->pending.begin()),
                                   std::make_move_iterator(due->pending.begin() + static_cast<std::ptrdiff_t>(n)));
    due->pending.erase(due->pending.begin(), due->pending.begin() + static_cast<std::ptrdiff_t>(n));
    if (!due->pending.empty()) due->first_pending = now - options_.batch_window;  // due right after
    due->in_flight = true;
    ++busy_;
    lock.unlock();
    try {
      deliver(due, std::move(batch), index);
    } catch (const std::exception&) {
      // (only if OpenSSL's HMAC fails) the batch is lost; the thread keeps serving
    }
    lock.lock();
    due->in_flight = false;
    --busy_;
    cv_.notify_all();
  }
}

void WebhookHub::deliver(const std::shared_ptr<Hook>& hook, std::vector<std::string> events, std::size_t index) {
  std::string body = "[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i) body += ',';
    body += events[i];
  }
  body += ']';
  std::string url, signature;
  {
    std::lock_guard lock(mutex_);
    url = hook->hook_url;
    if (!hook->secret.empty()) signature = wrike::hmac_sha256_hex(hook->secret, body);
  }
  ParamList headers;
  if (!signature.empty()) headers.emplace_back("X-Hook-Signature", signature);
  OutboundHttp& http = *workers_[index]->http;
  auto backoff = options_.retry_backoff;

  for (int attempt = 1;; ++attempt) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || hook->deleted || hook->status != "Active") {
        hook->stats.events_dropped += events.size();  // suspended, deleted or shutting down
        return;
      }
    }
    auto res = http.post(url, headers, body);
    const bool ok = res.status >= 200 && res.status < 300;
    std::unique_lock lock(mutex_);
    WebhookDelivery rec;
    rec.webhook_id = hook->id;
    rec.hook_url = url;
    rec.time = std::chrono::system_clock::now();
    rec.attempt = attempt;
    rec.events = events.size();
    rec.status = res.status;
    rec.error = res.status == 0 ? res.error : std::string();
    rec.ok = ok;
    rec.body = body;
    rec.signature = signature;
    log_.push_back(std::move(rec));
    while (log_.size() > kLogCapacity) log_.pop_front();
    ++hook->stats.attempts;
    if (ok) {
      ++hook->stats.successes;
      hook->stats.events_delivered += events.size();
      hook->stats.consecutive_failed_deliveries = 0;
      return;
    }
    ++hook->stats.failures;
    if (attempt > options_.max_retries || stopping_) break;
    cv_.wait_for(lock, backoff, [&] { return stopping_ || hook->deleted || hook->status != "Active"; });
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  std::lock_guard lock(mutex_);
  ++hook->stats.failed_deliveries;
  hook->stats.events_dropped += events.size();
  ++hook->stats.consecutive_failed_deliveries;
  if (options_.suspend_after_failures > 0 &&
      hook->stats.consecutive_failed_deliveries >= options_.suspend_after_failures && hook->status == "Active") {
    hook->status = "Suspended";
    ++hook->stats.suspensions;
    hook->drop_pending();
  }
}

bool WebhookHub::idle_locked() const {
  if (busy_ != 0) return false;
  return std::all_of(hooks_.begin(), hooks_.end(), [](const std::shared_ptr<Hook>& h) {
    return h->deleted || h->pending.empty() || h->status != "Active";
  });
}

bool WebhookHub::wait_for_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return idle_locked(); });
}

std::vector<WebhookStats> WebhookHub::stats() const {
  std::lock_guard lock(mutex_);
  std::vector<WebhookStats> out;
  for (const auto& h : hooks_) {
    if (h->deleted) continue;
    auto s = h->stats;
    s.id = h->id;
    s.hook_url = h->hook_url;
    s.status = h->status;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<WebhookDelivery> WebhookHub::deliveries() const {
  std::lock_guard lock(mutex_);
  return {log_.begin(), log_.end()};
}

void WebhookHub::reset_log() {
  std::lock_guard lock(mutex_);
  log_.clear();
}

// ---- the management API -----------------------------------------------------------------------

struct WebhookHub::Api {
  WebhookHub& hub;
  WrikeServiceConfig cfg;

  std::shared_ptr<Hook> find(const std::string& id) const {  // hub mutex held
    for (const auto& h : hub.hooks_)
      if (!h->deleted && h->id == id) return h;
    return nullptr;
  }

  std::string single_id(const Request& r) const {
    auto ids = split_ids(r.path_param("webhookIds"), "webhook", cfg.max_ids);
    if (ids.size() != 1) fail(400, "invalid_request", "One webhook id is expected");
    return ids.front();
  }

  // The handshake (wrike-api.md §6.4): POST the verification body with a random challenge;
  // the receiver must answer 200 with X-Hook-Secret = hex HMAC-SHA256(secret, challenge).
  void verify(const std::string& url, const std::string& secret) const {
    const std::string challenge = random_token(48);
    ParamList headers{{"X-Hook-Secret", challenge},
                      {"X-Hook-Signature", wrike::hmac_sha256_hex(secret, kVerificationBody)}};
    OutboundHttp http(OutboundOptions{hub.options_.ca_pem, hub.options_.delivery_timeout});
    auto res = http.post(url, headers, std::string(kVerificationBody));
    const std::string prefix = "Webhook secret verification failed: " + url;
    if (res.status == 0) fail(400, "invalid_parameter", prefix + " did not answer (" + res.error + ")");
    if (res.status != 200)
      fail(400, "invalid_parameter", prefix + " answered HTTP " + std::to_string(res.status) + " (expected 200)");
    auto answer = res.header("X-Hook-Secret");
    if (!answer)
      fail(400, "invalid_parameter", prefix + " answered without an X-Hook-Secret header");
    if (!wrike_cascade::ascii_iequals(*answer, wrike::hmac_sha256_hex(secret, challenge)))
      fail(400, "invalid_parameter",
           prefix + ": X-Hook-Secret is not the hex HMAC-SHA256 of the challenge under the secret");
  }

  Response create(const Request& r, Hook::Scope scope) {
    static constexpr std::string_view common[] = {"hookUrl", "secret", "events"};
    static constexpr std::string_view folder[] = {"hookUrl", "secret", "events", "recursive"};
    check_body(r);
    Params p(r, scope == Hook::Scope::folder ? Names(folder) : Names(common));
    const auto url = p.get("hookUrl");
    if (!url) param_required("hookUrl");
    if (!(url->starts_with("https://") || url->starts_with("http://")) || url->size() > 2048 ||
        url->find_first_of(" \r\n\t") != std::string::npos)
      invalid_param("hookUrl", "expected an http(s) URL");
    const auto secret = p.get("secret");
    if (secret && secret->empty()) invalid_param("secret", "must not be empty");
    std::optional<std::vector<std::string>> events;
    if (auto e = p.get("events")) events = parse_events(*e);
    const bool recursive = p.boolean("recursive").value_or(false);

    auto hook = std::make_shared<Hook>();
    hook->scope = scope;
    hook->hook_url = *url;
    hook->secret = secret.value_or("");
    hook->events = std::move(events);
    hook->recursive = recursive;
    hub.store_.read([&](const WrikeData& d) {
      hook->account_id = d.account_id();
      if (scope == Hook::Scope::space) {
        hook->scope_id = std::string(r.path_param("spaceId"));
        if (!d.space_index.contains(hook->scope_id))
          fail(404, "resource_not_found", "Space '" + hook->scope_id + "' not found");
      } else if (scope == Hook::Scope::folder) {
        hook->scope_id = std::string(r.path_param("folderId"));
        if (!d.folder_index.contains(hook->scope_id))
          fail(404, "resource_not_found", "Folder '" + hook->scope_id + "' not found");
      }
    });
    if (secret) verify(*url, *secret);  // synchronously, during the create request

    std::lock_guard lock(hub.mutex_);
    hook->id = hook->account_id + "JA" + base32(scramble(hub.next_id_++, 0x5eed, 30), 6);
    hub.hooks_.push_back(hook);
    return ok("webhooks", json::array{hook->model()});
  }

  Response list(const Request& r) {
    Params p(r, {});
    json::array data;
    std::lock_guard lock(hub.mutex_);
    for (const auto& h : hub.hooks_)
      if (!h->deleted) data.push_back(h->model());
    return ok("webhooks", std::move(data));
  }

  Response by_ids(const Request& r) {
    Params p(r, {});
    const auto ids = split_ids(r.path_param("webhookIds"), "webhook", cfg.max_ids);
    json::array data;
    std::vector<std::string> missing;
    std::lock_guard lock(hub.mutex_);
    for (const auto& id : ids) {
      if (auto h = find(id)) data.push_back(h->model());
      else missing.push_back(id);
    }
    if (!missing.empty() && (cfg.unknown_ids == UnknownIdPolicy::not_found || data.empty()))
      fail(404, "resource_not_found", "Webhook '" + missing.front() + "' not found");
    return ok("webhooks", std::move(data));
  }

  Response modify(const Request& r) {
    static constexpr std::string_view allowed[] = {"status"};
    check_body(r);
    Params p(r, allowed);
    const std::string id = single_id(r);
    static constexpr std::string_view statuses[] = {"Active", "Suspended"};
    const auto status = p.one_of("status", statuses);
    if (!status) param_required("status");
    {
      std::lock_guard lock(hub.mutex_);
      auto h = find(id);
      if (!h) fail(404, "resource_not_found", "Webhook '" + id + "' not found");
      if (*status != h->status) {
        h->status = *status;
        if (*status == "Active") h->stats.consecutive_failed_deliveries = 0;
        else h->drop_pending();
      }
      auto body = ok("webhooks", json::array{h->model()});
      hub.cv_.notify_all();
      return body;
    }
  }

  Response remove(const Request& r) {
    Params p(r, {});
    const std::string id = single_id(r);
    std::lock_guard lock(hub.mutex_);
    auto h = find(id);
    if (!h) fail(404, "resource_not_found", "Webhook '" + id + "' not found");
    h->deleted = true;
    h->pending.clear();
    std::erase_if(hub.hooks_, [&](const std::shared_ptr<Hook>& x) { return x == h; });
    hub.cv_.notify_all();
    return ok("webhooks", json::array{});
  }
};

void WebhookHub::add_routes(ApiRoutes& routes, const WrikeServiceConfig& cfg) {
  auto api = std::make_shared<Api>(Api{*this, cfg});
  using S = Hook::Scope;
  routes.add("POST", "/webhooks", [api](const Request& r) { return api->create(r, S::account); });
  routes.add("POST", "/spaces/{spaceId}/webhooks", [api](const Request& r) { return api->create(r, S::space); });
  routes.add("POST", "/folders/{folderId}/webhooks", [api](const Request& r) { return api->create(r, S::folder); });
  routes.add("GET", "/webhooks", [api](const Request& r) { return api->list(r); });
  routes.add("GET", "/webhooks/{webhookIds}", [api](const Request& r) { return api->by_ids(r); });
  routes.add("PUT", "/webhooks/{webhookIds}", [api](const Request& r) { return api->modify(r); });
  routes.add("DELETE", "/webhooks/{webhookIds}", [api](const Request& r) { return api->remove(r); });
}

}  // namespace wrike_cascade::emulator::detail
