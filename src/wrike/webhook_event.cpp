// Wrike webhook events and the webhook model: JSON decoding/encoding, delivery parsing, dedupe
// keys. See webhook_event.hpp for the strict/lenient split.

#include <wrike/webhook_event.hpp>

#include "../core/json_path.hpp"

#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace wrike {
namespace {

namespace json = boost::json;
using wrike_cascade::errc;
using wrike_cascade::Error;

// ---- enum names ------------------------------------------------------------------------------

const auto& event_type_names() {
  static const std::array<std::string, kWebhookEventTypeCount + 1> names{
      "",
      "TaskCreated", "TaskDeleted", "TaskTitleChanged", "TaskImportanceChanged", "TaskStatusChanged",
      "TaskDatesChanged", "TaskParentsAdded", "TaskParentsRemoved", "TaskResponsiblesAdded",
      "TaskResponsiblesRemoved", "TaskSharedsAdded", "TaskSharedsRemoved", "TaskDescriptionChanged",
      "TaskCustomFieldChanged", "TaskApprovalStatusChanged", "TaskApprovalDecisionChanged",
      "TaskApprovalDecisionReset",
      "FolderCreated", "FolderDeleted", "FolderTitleChanged", "FolderParentsAdded", "FolderParentsRemoved",
      "FolderSharedsAdded", "FolderSharedsRemoved", "FolderDescriptionChanged", "FolderCommentAdded",
      "FolderCommentDeleted", "FolderAttachmentAdded", "FolderAttachmentDeleted", "FolderCustomFieldChanged",
      "FolderApprovalStatusChanged", "FolderApprovalDecisionChanged", "FolderApprovalDecisionReset",
      "ProjectDatesChanged", "ProjectOwnersAdded", "ProjectOwnersRemoved", "ProjectStatusChanged",
      "AttachmentAdded", "AttachmentDeleted", "CommentAdded", "CommentDeleted", "TimelogChanged",
  };
  static_assert(static_cast<int>(WebhookEventType::TimelogChanged) == kWebhookEventTypeCount);
  return names;
}

const auto& status_names() {
  static const std::array<std::string, 3> names{"", "Active", "Suspended"};
  return names;
}

template <class Names, class E>
const std::string& name_of(const Names& names, E value) noexcept {
  const auto i = static_cast<std::size_t>(value);
  return i < names.size() ? names[i] : names[0];
}

template <class Names, class E>
bool parse_name(const Names& names, std::string_view text, E& out) noexcept {
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == text) {
      out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

// ---- the field path, built only when an error is reported ----------------------------------

// A root's key is a label ("WebhookEvent"): shown only for an error on the root itself, like
// model.cpp's paths ("webhookId: missing"). A `named` root ("delivery") prefixes every path.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;
  bool named = false;

  static Path label(std::string_view name) noexcept { return Path{nullptr, name, 0, false, false}; }
  static Path named_root(std::string_view name) noexcept { return Path{nullptr, name, 0, false, true}; }
  Path child(std::string_view k) const noexcept { return Path{this, k, 0, false, true}; }
  Path child(std::size_t i) const noexcept { return Path{this, {}, i, true, true}; }

  std::string str() const {
    if (!parent) return std::string(key);
    std::string head = parent->parent || parent->named ? parent->str() : std::string();
    if (is_index) return head + "[" + std::to_string(index) + "]";
    if (head.empty()) return std::string(key);
    return head + "." + std::string(key);
  }
  [[noreturn]] void fail(std::string_view what) const {
    throw Error(errc::decode_error, str() + ": " + std::string(what));
  }
};

inline const char* kind_name(const json::value& v) noexcept { return wrike_cascade::detail::json_kind_name(v); }

[[noreturn]] void fail_expected(const Path& p, const char* expected, const json::value& got) {
  p.fail(std::string("expected ") + expected + ", got " + kind_name(got));
}

using wrike_cascade::detail::quoted;

// ---- strict readers (throw) -----------------------------------------------------------------

std::string_view strict_text(const Path& p, const json::value& v) {
  const json::string* s = v.if_string();
  if (!s) fail_expected(p, "a string", v);
  return {s->data(), s->size()};
}

template <class Tag>
Id<Tag> strict_id(const Path& p, const json::value& v) {
  const std::string_view s = strict_text(p, v);
  if (!is_valid_id(s)) p.fail("invalid Wrike ID " + quoted(s) + " (expected 1-256 of [A-Za-z0-9-_:.=])");
  return Id<Tag>{std::string(s)};
}

template <class Tag>
std::optional<Id<Tag>> strict_optional_id(const Path& p, const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return strict_id<Tag>(p, v);
}

Timestamp strict_timestamp(const Path& p, const json::value& v) {
  const std::string_view s = strict_text(p, v);
  try {
    return parse_timestamp(s);
  } catch (const std::invalid_argument& e) {
    p.fail(e.what());
  }
}

// ---- lenient readers: false = not the documented shape (the key then goes to `extra`) -------

bool lenient(const json::value& v, std::optional<std::string>& out) {
  if (v.is_null()) return out.reset(), true;
  const json::string* s = v.if_string();
  if (!s) return false;
  out.emplace(s->data(), s->size());
  return true;
}

template <class Tag>
bool lenient(const json::value& v, std::optional<Id<Tag>>& out) {
  if (v.is_null()) return out.reset(), true;
  const json::string* s = v.if_string();
  if (!s || !is_valid_id(std::string_view(s->data(), s->size()))) return false;
  out.emplace(std::string(s->data(), s->size()));
  return true;
}

template <class E>
bool lenient(const json::value& v, std::optional<OpenEnum<E>>& out) {
  if (v.is_null()) return out.reset(), true;
  const json::string* s = v.if_string();
  if (!s) return false;
  out.emplace(std::string_view(s->data(), s->size()));
  return true;
}

bool lenient(const json::value& v, std::optional<json::object>& out) {
  if (v.is_null()) return out.reset(), true;
  const json::object* o = v.if_object();
  if (!o) return false;
  out = *o;
  return true;
}

bool lenient(const json::value& v, std::optional<json::value>& out) {
  out = v;  // any shape, null kept
  return true;
}

template <class Tag>
bool lenient(const json::value& v, std::optional<std::vector<Id<Tag>>>& out) {
  if (v.is_null()) return out.reset(), true;
  const json::array* a = v.if_array();
  if (!a) return false;
  std::vector<Id<Tag>> ids;
  ids.reserve(a->size());
  for (const json::value& e : *a) {
    const json::string* s = e.if_string();
    if (!s || !is_valid_id(std::string_view(s->data(), s->size()))) return false;
    ids.emplace_back(std::string(s->data(), s->size()));
  }
  out = std::move(ids);
  return true;
}

// ---- writers --------------------------------------------------------------------------------

void put(json::object& o, std::string_view key, const std::string& s) { o.emplace(key, json::string(s)); }
template <class Tag>
void put(json::object& o, std::string_view key, const Id<Tag>& id) {
  o.emplace(key, json::string(id.str()));
}
template <class E>
void put(json::object& o, std::string_view key, const OpenEnum<E>& e) {
  o.emplace(key, json::string(e.str()));
}
void put(json::object& o, std::string_view key, const json::object& x) { o.emplace(key, x); }
void put(json::object& o, std::string_view key, const json::value& x) { o.emplace(key, x); }
template <class Tag>
void put(json::object& o, std::string_view key, const std::vector<Id<Tag>>& ids) {
  json::array a;
  a.reserve(ids.size());
  for (const auto& id : ids) a.emplace_back(json::string(id.str()));
  o.emplace(key, std::move(a));
}
template <class X>
void put(json::object& o, std::string_view key, const std::optional<X>& x) {
  if (x) put(o, key, *x);
}

// ---- the event's field table ----------------------------------------------------------------

struct LenientField {
  std::string_view name;
  bool (*read)(const json::value&, WebhookEvent&);
  void (*write)(json::object&, std::string_view, const WebhookEvent&);
};

template <auto M>
constexpr LenientField lf(std::string_view name) {
  return {name, [](const json::value& v, WebhookEvent& e) { return lenient(v, e.*M); },
          [](json::object& o, std::string_view key, const WebhookEvent& e) { put(o, key, e.*M); }};
}

constexpr std::array kLenientFields{
    lf<&WebhookEvent::old_status>("oldStatus"),
    lf<&WebhookEvent::status>("status"),
    lf<&WebhookEvent::old_custom_status_id>("oldCustomStatusId"),
    lf<&WebhookEvent::custom_status_id>("customStatusId"),
    lf<&WebhookEvent::old_value>("oldValue"),
    lf<&WebhookEvent::title>("title"),
    lf<&WebhookEvent::importance>("importance"),
    lf<&WebhookEvent::dates>("dates"),
    lf<&WebhookEvent::custom_field_id>("customFieldId"),
    lf<&WebhookEvent::value>("value"),
    lf<&WebhookEvent::added_parents>("addedParents"),
    lf<&WebhookEvent::removed_parents>("removedParents"),
    lf<&WebhookEvent::added_responsibles>("addedResponsibles"),
    lf<&WebhookEvent::removed_responsibles>("removedResponsibles"),
    lf<&WebhookEvent::added_shareds>("addedShareds"),
    lf<&WebhookEvent::removed_shareds>("removedShareds"),
    lf<&WebhookEvent::added_owners>("addedOwners"),
    lf<&WebhookEvent::removed_owners>("removedOwners"),
    lf<&WebhookEvent::attachment_id>("attachmentId"),
    lf<&WebhookEvent::comment_id>("commentId"),
    lf<&WebhookEvent::comment>("comment"),
};

WebhookEvent decode_event(const Path& p, const json::value& v) {
  const json::object* obj = v.if_object();
  if (!obj) fail_expected(p, "an event object", v);
  WebhookEvent ev;
  bool have_webhook = false, have_type = false, have_date = false;
  for (const json::key_value_pair& kv : *obj) {
    const std::string_view key = kv.key();
    const json::value& val = kv.value();
    const Path fp = p.child(key);
    if (key == "webhookId") {
      ev.webhook_id = strict_id<id_tag::Webhook>(fp, val);
      have_webhook = true;
    } else if (key == "eventType") {
      ev.event_type = OpenEnum<WebhookEventType>{strict_text(fp, val)};
      have_type = true;
    } else if (key == "lastUpdatedDate") {
      ev.last_updated_date = strict_timestamp(fp, val);
      have_date = true;
    } else if (key == "eventAuthorId") {
      ev.event_author_id = strict_optional_id<id_tag::Contact>(fp, val);
    } else if (key == "taskId") {
      ev.task_id = strict_optional_id<id_tag::Task>(fp, val);
    } else if (key == "folderId") {
      ev.folder_id = strict_optional_id<id_tag::Folder>(fp, val);
    } else {
      bool consumed = false;
      for (const LenientField& f : kLenientFields) {
        if (f.name == key) {
          consumed = f.read(val, ev);
          break;
        }
      }
      if (!consumed) ev.extra.emplace(key, val);
    }
  }
  if (!have_webhook) p.child("webhookId").fail("missing");
  if (!have_type) p.child("eventType").fail("missing");
  if (!have_date) p.child("lastUpdatedDate").fail("missing");
  return ev;
}

void encode_event(json::object& o, const WebhookEvent& ev) {
  o.reserve(8 + ev.extra.size());
  put(o, "webhookId", ev.webhook_id);
  put(o, "eventAuthorId", ev.event_author_id);
  put(o, "eventType", ev.event_type);
  put(o, "taskId", ev.task_id);
  put(o, "folderId", ev.folder_id);
  o.emplace("lastUpdatedDate", json::string(format_timestamp(ev.last_updated_date)));
  for (const LenientField& f : kLenientFields) f.write(o, f.name, ev);
  for (const json::key_value_pair& kv : ev.extra) o.emplace(kv.key(), kv.value());  // never replaces
}

// ---- the webhook model ----------------------------------------------------------------------

Webhook decode_webhook(const Path& p, const json::value& v) {
  const json::object* obj = v.if_object();
  if (!obj) fail_expected(p, "an object", v);
  Webhook w;
  bool have_id = false, have_account = false, have_url = false, have_status = false;
  for (const json::key_value_pair& kv : *obj) {
    const std::string_view key = kv.key();
    const json::value& val = kv.value();
    const Path fp = p.child(key);
    if (key == "id") {
      w.id = strict_id<id_tag::Webhook>(fp, val);
      have_id = true;
    } else if (key == "accountId") {
      w.account_id = strict_id<id_tag::Account>(fp, val);
      have_account = true;
    } else if (key == "folderId") {
      w.folder_id = strict_optional_id<id_tag::Folder>(fp, val);
    } else if (key == "spaceId") {
      w.space_id = strict_optional_id<id_tag::Space>(fp, val);
    } else if (key == "hookUrl") {
      w.hook_url = strict_text(fp, val);
      have_url = true;
    } else if (key == "events") {
      if (val.is_null()) {
        w.events.reset();
        continue;
      }
      const json::array* a = val.if_array();
      if (!a) fail_expected(fp, "an array", val);
      auto& events = w.events.emplace();
      events.reserve(a->size());
      for (std::size_t i = 0; i < a->size(); ++i) events.emplace_back(strict_text(fp.child(i), (*a)[i]));
    } else if (key == "recursive") {
      if (val.is_null()) {
        w.recursive.reset();
      } else {
        if (!val.is_bool()) fail_expected(fp, "a bool", val);
        w.recursive = val.get_bool();
      }
    } else if (key == "status") {
      w.status = OpenEnum<WebhookStatus>{strict_text(fp, val)};
      have_status = true;
    } else {
      w.extra.emplace(key, val);
    }
  }
  if (!have_id) p.child("id").fail("missing");
  if (!have_account) p.child("accountId").fail("missing");
  if (!have_url) p.child("hookUrl").fail("missing");
  if (!have_status) p.child("status").fail("missing");
  return w;
}

void encode_webhook(json::object& o, const Webhook& w) {
  o.reserve(8 + w.extra.size());
  put(o, "id", w.id);
  put(o, "accountId", w.account_id);
  put(o, "folderId", w.folder_id);
  put(o, "spaceId", w.space_id);
  put(o, "hookUrl", w.hook_url);
  if (w.events) {
    json::array a;
    a.reserve(w.events->size());
    for (const auto& e : *w.events) a.emplace_back(json::string(e));
    o.emplace("events", std::move(a));
  }
  if (w.recursive) o.emplace("recursive", *w.recursive);
  put(o, "status", w.status);
  for (const json::key_value_pair& kv : w.extra) o.emplace(kv.key(), kv.value());
}

std::string hex_prefix_sha256(std::string_view data, std::size_t hex_chars) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(hex_chars);
  for (unsigned int i = 0; i < len && out.size() < hex_chars; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

}  // namespace

// ---- public ---------------------------------------------------------------------------------

const std::string& wire_name(WebhookEventType value) noexcept { return name_of(event_type_names(), value); }
bool parse_wire_name(std::string_view text, WebhookEventType& out) noexcept {
  return parse_name(event_type_names(), text, out);
}
const std::string& wire_name(WebhookStatus value) noexcept { return name_of(status_names(), value); }
bool parse_wire_name(std::string_view text, WebhookStatus& out) noexcept {
  return parse_name(status_names(), text, out);
}

WebhookSubject subject_of(WebhookEventType type) noexcept {
  using T = WebhookEventType;
  if (type == T::Unknown) return WebhookSubject::None;
  if (type >= T::FolderCreated && type <= T::ProjectStatusChanged) return WebhookSubject::Folder;
  return WebhookSubject::Task;
}

std::optional<std::string> WebhookEvent::old_text() const {
  if (!old_value) return std::nullopt;
  if (const json::string* s = old_value->if_string()) return std::string(s->data(), s->size());
  return std::nullopt;
}

std::optional<TaskDates> WebhookEvent::task_dates() const {
  if (!dates) return std::nullopt;
  try {
    return json::value_to<TaskDates>(json::value(*dates));
  } catch (const Error& e) {
    throw Error(errc::decode_error, std::string("dates: ") + e.detail().context);
  }
}

std::optional<TaskDates> WebhookEvent::old_task_dates() const {
  if (!old_value || old_value->is_null()) return std::nullopt;
  try {
    return json::value_to<TaskDates>(*old_value);
  } catch (const Error& e) {
    throw Error(errc::decode_error, std::string("oldValue: ") + e.detail().context);
  }
}

const std::string& WebhookEvent::subject_id() const noexcept {
  static const std::string empty;
  if (task_id) return task_id->str();
  if (folder_id) return folder_id->str();
  return empty;
}

WebhookEvent tag_invoke(boost::json::value_to_tag<WebhookEvent>, const boost::json::value& v) {
  return decode_event(Path::label("WebhookEvent"), v);
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const WebhookEvent& x) {
  encode_event(v.emplace_object(), x);
}

Webhook tag_invoke(boost::json::value_to_tag<Webhook>, const boost::json::value& v) {
  return decode_webhook(Path::label("Webhook"), v);
}

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, const Webhook& x) {
  encode_webhook(v.emplace_object(), x);
}

std::vector<WebhookEvent> parse_webhook_delivery(const boost::json::value& body) {
  const json::array* arr = body.if_array();
  if (!arr) {
    throw Error(errc::invalid_response,
                std::string("webhook delivery: expected a JSON array of events, got ") + kind_name(body));
  }
  const Path root = Path::named_root("delivery");
  std::vector<WebhookEvent> events;
  events.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) events.push_back(decode_event(root.child(i), (*arr)[i]));
  return events;
}

std::vector<WebhookEvent> parse_webhook_delivery(std::string_view raw_body) {
  boost::system::error_code ec;
  json::value body = json::parse(json::string_view(raw_body.data(), raw_body.size()), ec);
  if (ec) throw Error(errc::invalid_response, "webhook delivery: not JSON: " + ec.message());
  return parse_webhook_delivery(body);
}

bool is_verification_request(const boost::json::value& body) noexcept {
  const json::object* o = body.if_object();
  if (!o) return false;
  const json::value* rt = o->if_contains("requestType");
  if (!rt) return false;
  const json::string* s = rt->if_string();
  return s && std::string_view(s->data(), s->size()) == kWebhookVerificationRequestType;
}

std::string dedupe_key(const WebhookEvent& event) {
  const std::string canonical = json::serialize(json::value_from(event));
  std::string key = event.event_type.str();
  key += '|';
  if (event.task_id) {
    key += "task:";
    key += event.task_id->str();
  } else if (event.folder_id) {
    key += "folder:";
    key += event.folder_id->str();
  }
  key += '|';
  key += format_timestamp(event.last_updated_date);
  key += '|';
  key += hex_prefix_sha256(canonical, 32);
  return key;
}

template <>
Envelope<Webhook> decode_envelope<Webhook>(const boost::json::value& body) {
  const Path root = Path::label("body");
  const json::object* obj = body.if_object();
  if (!obj) fail_expected(root, "an envelope object {\"kind\", \"data\": [...]}", body);
  Envelope<Webhook> env;
  if (const json::value* kind = obj->if_contains("kind")) env.kind = strict_text(root.child("kind"), *kind);
  if (const json::value* token = obj->if_contains("nextPageToken"); token && !token->is_null())
    env.next_page_token = std::string(strict_text(root.child("nextPageToken"), *token));
  if (const json::value* size = obj->if_contains("responseSize"); size && !size->is_null()) {
    if (!size->is_int64() && !size->is_uint64()) fail_expected(root.child("responseSize"), "an integer", *size);
    env.response_size = size->to_number<std::int64_t>();
  }
  const Path data_path = Path::named_root("data");
  const json::value* data = obj->if_contains("data");
  if (!data) {
    std::string what = "missing";
    if (const json::value* err = obj->if_contains("error"); err && err->is_string()) {
      what += "; the body is a Wrike error response: ";
      what.append(err->get_string().data(), err->get_string().size());
      if (const json::value* d = obj->if_contains("errorDescription"); d && d->is_string()) {
        what += " (";
        what.append(d->get_string().data(), d->get_string().size());
        what += ')';
      }
    }
    data_path.fail(what);
  }
  const json::array* arr = data->if_array();
  if (!arr) fail_expected(data_path, "an array", *data);
  env.data.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) env.data.push_back(decode_webhook(data_path.child(i), (*arr)[i]));
  return env;
}

}  // namespace wrike
