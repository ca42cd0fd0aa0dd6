// `wrike-cascade-sync wrike ...`: read commands that show what a Wrike account holds.
#include "commands.hpp"

#include <wrike/client.hpp>

#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_from.hpp>

#include <filesystem>
#include <ostream>

namespace app {
namespace {

namespace asio = boost::asio;
using cli::UsageError;

std::string opt(const std::optional<std::string>& s) { return s ? *s : std::string(); }
template <class E>
std::string opt(const std::optional<wrike::OpenEnum<E>>& e) { return e ? e->str() : std::string(); }
std::string opt(const std::optional<wrike::Date>& d) { return d ? wrike::format_date(*d) : std::string(); }
std::string opt(const std::optional<wrike::Timestamp>& t) { return t ? wrike::format_timestamp(*t) : std::string(); }
std::string opt(const std::optional<bool>& b) { return b ? (*b ? "yes" : "no") : std::string(); }

template <class IdT>
std::string join(const std::optional<std::vector<IdT>>& ids) {
  std::string out;
  if (!ids) return out;
  for (const auto& id : *ids) out += (out.empty() ? "" : ",") + id.str();
  return out;
}

template <class IdT>
std::vector<IdT> ids_of(const std::string& csv) {
  std::vector<IdT> out;
  for (auto& s : cli::split_csv(csv)) out.emplace_back(s);
  if (out.empty()) throw UsageError("--ids needs at least one ID");
  return out;
}

wrike::Timestamp parse_since(const std::string& text) {
  try {
    if (text.size() == 10) {  // a date: midnight UTC
      return wrike::Timestamp(std::chrono::sys_days(wrike::parse_date(text)));
    }
    return wrike::parse_timestamp(text);
  } catch (const std::exception&) {
    throw UsageError("--updated-since '" + text +
                     "' is not ISO 8601 UTC like 2026-01-31T00:00:00Z (or a date like 2026-01-31)");
  }
}

wrike::Location location_of(const cli::Args& args) {
  auto space = args.get("space");
  auto folder = args.get("folder");
  if (space && folder) throw UsageError("give --space or --folder, not both");
  if (space) return wrike::SpaceId(*space);
  if (folder) return wrike::FolderId(*folder);
  return wrike::WholeAccount{};
}

template <class T>
void emit_json(cli::Context& ctx, const T& model) {
  cli::json_line(ctx.out, boost::json::value_from(model));
}

asio::awaitable<int> spaces(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "token-file"}, "wrike spaces");
  auto list = co_await c.get_spaces();
  cli::Table t(ctx.out, {{"ID", 20}, {"TITLE", 36}, {"ACCESS", 9}, {"ARCHIVED", 8}});
  for (const auto& s : list) {
    if (ctx.json) emit_json(ctx, s);
    else t.row({s.id.str(), s.title, opt(s.access_type), opt(s.archived)});
  }
  ctx.err << list.size() << " spaces\n";
  co_return 0;
}

std::string kind_of(const std::optional<bool>& space, bool project) {
  if (space && *space) return "space";
  return project ? "project" : "folder";
}

asio::awaitable<int> folders(wrike::Client& c, const cli::Args& args, cli::Context& ctx, bool projects_only) {
  const std::string name = projects_only ? "wrike projects" : "wrike folders";
  args.allow_only({"json", "token-file", "space", "folder", "ids", "updated-since"}, name);
  const bool filtered = projects_only || args.get("updated-since") || args.get("ids");
  if (!filtered) {
    // The folder tree: structure only, one request.
    auto tree = co_await c.get_folder_tree(location_of(args));
    cli::Table t(ctx.out, {{"ID", 20}, {"TITLE", 40}, {"KIND", 8}, {"SCOPE", 9}, {"CHILDREN", 8}});
    for (const auto& f : tree) {
      if (ctx.json) emit_json(ctx, f);
      else t.row({f.id.str(), f.title, kind_of(f.space, f.is_project()), opt(f.scope),
                  std::to_string(f.child_ids ? f.child_ids->size() : 0)});
    }
    ctx.err << tree.size() << " folders\n";
    co_return 0;
  }
  std::vector<wrike::Folder> list;
  if (auto ids = args.get("ids")) {
    if (args.get("space") || args.get("folder")) throw UsageError("--ids cannot be combined with --space/--folder");
    list = co_await c.get_folders_by_ids(ids_of<wrike::FolderId>(*ids));
  } else {
    wrike::FoldersQuery q;
    if (projects_only) q.project = true;
    if (auto since = args.get("updated-since")) q.updated_date = wrike::TimeRange{parse_since(*since), {}};
    q.fields = {"superParentIds", "customFields", "description", "space"};
    list = co_await c.get_folders(location_of(args), q);
  }
  cli::Table t(ctx.out, {{"ID", 20}, {"TITLE", 36}, {"KIND", 7}, {"STATUS", 9}, {"START", 10}, {"END", 10},
                         {"OWNERS", 0}});
  std::size_t shown = 0;
  for (const auto& f : list) {
    if (projects_only && !f.is_project()) continue;
    ++shown;
    if (ctx.json) {
      emit_json(ctx, f);
      continue;
    }
    const auto& p = f.project;
    t.row({f.id.str(), f.title, kind_of(f.space, f.is_project()), p ? opt(p->status) : "",
           p ? opt(p->start_date) : "", p ? opt(p->end_date) : "", p ? join(p->owner_ids) : ""});
  }
  ctx.err << shown << (projects_only ? " projects\n" : " folders\n");
  co_return 0;
}

void task_row(cli::Table& t, const wrike::Task& task) {
  std::string dates;
  if (task.dates) {
    dates = task.dates->type.str();
    if (task.dates->start) dates += " " + wrike::format_local_datetime(*task.dates->start).substr(0, 10);
    if (task.dates->due) dates += (task.dates->start ? ".." : " ") + wrike::format_local_datetime(*task.dates->due).substr(0, 10);
  }
  t.row({task.id.str(), task.title, opt(task.status), opt(task.importance), dates, opt(task.updated_date),
         join(task.responsible_ids)});
}

asio::awaitable<int> tasks(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "token-file", "space", "folder", "ids", "updated-since"}, "wrike tasks");
  cli::Table t(ctx.out, {{"ID", 20}, {"TITLE", 36}, {"STATUS", 9}, {"IMPORT.", 7}, {"DATES", 30},
                         {"UPDATED", 20}, {"ASSIGNEES", 0}});
  auto emit = [&](const wrike::Task& task) {
    if (ctx.json) emit_json(ctx, task);
    else task_row(t, task);
  };
  if (auto ids = args.get("ids")) {
    if (args.get("space") || args.get("folder") || args.get("updated-since")) {
      throw UsageError("--ids cannot be combined with --space, --folder or --updated-since");
    }
    auto list = co_await c.get_tasks_by_ids(ids_of<wrike::TaskId>(*ids));
    for (const auto& task : list) emit(task);
    ctx.err << list.size() << " tasks\n";
    co_return 0;
  }
  wrike::TasksQuery q;
  q.sub_tasks = true;  // subtasks are left out of listings unless asked for
  q.fields = wrike::sync_task_fields();
  q.page_size = 1000;
  q.sort_field = "CreatedDate";
  q.sort_order = "Asc";
  if (auto since = args.get("updated-since")) q.updated_date = wrike::TimeRange{parse_since(*since), {}};
  auto pager = c.tasks(location_of(args), q);
  std::size_t n = 0;
  while (auto page = co_await pager.next()) {
    for (const auto& task : page->items) emit(task);
    n += page->items.size();
    ctx.out.flush();
    if (ctx.verbose) {
      ctx.err << "page " << pager.pages_read() << ": " << n;
      if (pager.response_size()) ctx.err << " of " << *pager.response_size();
      ctx.err << " tasks\n";
    }
  }
  ctx.err << n << " tasks in " << pager.pages_read() << " page(s)\n";
  co_return 0;
}

asio::awaitable<int> customfields(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "token-file", "space", "ids"}, "wrike customfields");
  std::vector<wrike::CustomField> list;
  if (auto ids = args.get("ids")) {
    if (args.get("space")) throw UsageError("--ids cannot be combined with --space");
    list = co_await c.get_custom_fields_by_ids(ids_of<wrike::CustomFieldId>(*ids));
  } else if (auto space = args.get("space")) {
    list = co_await c.get_custom_fields(wrike::SpaceId(*space));
  } else {
    list = co_await c.get_custom_fields();
  }
  cli::Table t(ctx.out, {{"ID", 20}, {"TITLE", 36}, {"TYPE", 12}, {"SPACE", 20}, {"OPTIONS", 0}});
  for (const auto& f : list) {
    if (ctx.json) {
      emit_json(ctx, f);
      continue;
    }
    std::string options;
    if (f.settings && f.settings->values) {
      for (const auto& v : *f.settings->values) options += (options.empty() ? "" : ", ") + v;
    }
    t.row({f.id.str(), f.title, f.type.str(), f.space_id ? f.space_id->str() : "", options});
  }
  ctx.err << list.size() << " custom fields\n";
  co_return 0;
}

asio::awaitable<int> workflows(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "token-file", "space"}, "wrike workflows");
  std::optional<wrike::SpaceId> space;
  if (auto s = args.get("space")) space = wrike::SpaceId(*s);
  auto list = co_await c.get_workflows(space);
  cli::Table t(ctx.out, {{"WORKFLOW", 20}, {"STATUS ID", 20}, {"NAME", 28}, {"GROUP", 10}, {"HIDDEN", 0}});
  for (const auto& w : list) {
    if (ctx.json) {
      emit_json(ctx, w);
      continue;
    }
    t.row({w.id.str(), "", w.name, "", opt(w.hidden)});
    if (w.custom_statuses) {
      for (const auto& s : *w.custom_statuses) t.row({"", s.id.str(), "  " + s.name, opt(s.group), opt(s.hidden)});
    }
  }
  ctx.err << list.size() << " workflows\n";
  co_return 0;
}

asio::awaitable<int> contacts(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "token-file", "ids"}, "wrike contacts");
  std::vector<wrike::Contact> list;
  if (auto ids = args.get("ids")) list = co_await c.get_contacts_by_ids(ids_of<wrike::ContactId>(*ids));
  else list = co_await c.get_contacts();
  cli::Table t(ctx.out, {{"ID", 20}, {"NAME", 30}, {"TYPE", 10}, {"EMAIL", 0}});
  for (const auto& p : list) {
    if (ctx.json) {
      emit_json(ctx, p);
      continue;
    }
    std::string email = opt(p.primary_email);
    if (email.empty() && p.profiles && !p.profiles->empty()) email = opt(p.profiles->front().email);
    t.row({p.id.str(), opt(p.first_name) + (p.last_name ? " " + *p.last_name : ""), p.type.str(), email});
  }
  ctx.err << list.size() << " contacts\n";
  co_return 0;
}

}  // namespace

const char* wrike_usage() {
  return "wrike-cascade-sync wrike <command> [options]\n"
         "  spaces                                     list spaces\n"
         "  folders   [--space ID | --folder ID] [--updated-since T | --ids A,B]\n"
         "                                             the folder tree (full folders when filtered)\n"
         "  projects  [--space ID | --folder ID] [--updated-since T | --ids A,B]\n"
         "  tasks     [--space ID | --folder ID] [--updated-since T] | --ids A,B\n"
         "                                             without a scope: every task in the account\n"
         "  customfields [--space ID | --ids A,B]\n"
         "  workflows [--space ID]\n"
         "  contacts  [--ids A,B]\n"
         "  webhooks list | create --url URL [--space ID | --folder ID [--recursive]] [--events A,B]\n"
         "           | delete ID | suspend ID | activate ID\n"
         "  webhooks listen --port P [--path /wrike/webhook] [--address A] [--tls-cert F --tls-key F]\n"
         "                                             verify deliveries (WRIKE_WEBHOOK_SECRET), print events as JSON Lines\n"
         "  login     [--redirect-uri http://127.0.0.1:8976/wrike/callback] [--scopes a,b] [--timeout S]\n"
         "                                             OAuth 2.0 login; stores tokens in --token-file\n"
         "Options: --json (JSON Lines, Wrike's field names), --verbose (requests on stderr),\n"
         "         --token-file F (OAuth tokens; default $XDG_CONFIG_HOME/wrike-cascade/wrike-tokens.json)\n"
         "Environment: WRIKE_TOKEN (a permanent token; without it the OAuth tokens of `login` are used),\n"
         "             WRIKE_API_URL (default https://www.wrike.com/api/v4, or the account host from OAuth),\n"
         "             WRIKE_CA_FILE (extra trusted CA certificates, PEM), and for OAuth WRIKE_CLIENT_ID,\n"
         "             WRIKE_CLIENT_SECRET, WRIKE_OAUTH_URL (default https://login.wrike.com/oauth2)\n";
}

asio::awaitable<int> run_wrike(const std::string& command, const cli::Args& args, cli::Context& ctx) {
  if (command == "login") co_return co_await run_wrike_login(args, ctx);
  if (command == "webhooks" && !args.positional().empty() && args.positional()[0] == "listen") {
    co_return co_await run_wrike_webhooks_listen(args, ctx);  // needs no Wrike credential
  }
  static const std::vector<std::string> known{"spaces", "folders", "projects", "tasks", "customfields",
                                              "workflows", "contacts", "webhooks"};
  if (std::find(known.begin(), known.end(), command) == known.end()) {
    throw UsageError("unknown command 'wrike " + command + "'\n" + wrike_usage());
  }
  if (command != "webhooks" && !args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional().front() + "'");
  }
  std::optional<std::filesystem::path> token_file;
  if (auto f = args.get("token-file")) token_file = *f;
  auto config = wrike::ClientConfig::from_env(token_file);
  cli::verbose_log(config, ctx);
  wrike::Client client(co_await asio::this_coro::executor, std::move(config));
  if (command == "spaces") co_return co_await spaces(client, args, ctx);
  if (command == "folders") co_return co_await folders(client, args, ctx, false);
  if (command == "projects") co_return co_await folders(client, args, ctx, true);
  if (command == "tasks") co_return co_await tasks(client, args, ctx);
  if (command == "customfields") co_return co_await customfields(client, args, ctx);
  if (command == "workflows") co_return co_await workflows(client, args, ctx);
  if (command == "webhooks") co_return co_await run_wrike_webhooks(client, args, ctx);
  co_return co_await contacts(client, args, ctx);
}

}  // namespace app
