// `wrike-cascade-sync cascade ...`: read commands that show what a Cascade tenant holds.
//   Classic API v2:  goals, tasks, issues, updates
//   New platform:    workspaces, plans, measures, actions
// Tables by default; --json prints JSON Lines of the decoded models (Cascade's field names).
#include "cli.hpp"

#include <cascade/classic_client.hpp>
#include <cascade/platform_client.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>

namespace app {

const char* cascade_usage();
boost::asio::awaitable<int> run_cascade(const std::string& command, const cli::Args& args, cli::Context& ctx);

namespace {

namespace asio = boost::asio;
namespace classic = cascade::classic;
namespace platform = cascade::platform;
using cli::UsageError;

std::string getenv_str(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string opt(const std::optional<std::string>& s) { return s ? *s : std::string(); }
template <class E>
std::string opt(const std::optional<cascade::OpenEnum<E>>& e) { return e ? e->str() : std::string(); }
std::string opt(const std::optional<bool>& b) { return b ? (*b ? "yes" : "no") : std::string(); }
std::string opt(const std::optional<cascade::DateTime>& t) {
  if (!t) return {};
  return cascade::format_datetime(*t);
}
std::string opt(const std::optional<double>& d) {
  if (!d) return {};
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, *d);
  return std::string(buf, r.ptr);
}
template <class Tag>
std::string opt(const std::optional<cascade::IntId<Tag>>& id) { return id ? id->str() : std::string(); }
template <class Tag>
std::string opt(const std::optional<cascade::StringId<Tag>>& id) { return id ? id->str() : std::string(); }
template <class IdT>
std::string join(const std::optional<std::vector<IdT>>& ids) {
  std::string out;
  if (!ids) return out;
  for (const auto& id : *ids) out += (out.empty() ? "" : ",") + id.str();
  return out;
}

std::int64_t positive_id(const std::string& text, const std::string& what) {
  std::int64_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v <= 0)
    throw UsageError(what + " '" + text + "' is not a positive integer ID");
  return v;
}

template <class IdT>
std::vector<IdT> ids_of(const std::string& csv) {
  std::vector<IdT> out;
  for (auto& s : cli::split_csv(csv)) out.emplace_back(positive_id(s, "--ids"));
  if (out.empty()) throw UsageError("--ids needs at least one ID");
  return out;
}

std::optional<int> limit_of(const cli::Args& args) {
  auto v = args.get("limit");
  if (!v) return std::nullopt;
  const auto n = positive_id(*v, "--limit");
  if (n > 100000) throw UsageError("--limit must be at most 100000");
  return static_cast<int>(n);
}

template <class T>
void emit_json(cli::Context& ctx, const T& model) {
  cli::json_line(ctx.out, boost::json::value_from(model));
}

// ---- Classic ------------------------------------------------------------------------------

template <class T, class Row>
asio::awaitable<std::size_t> page_through(classic::Pager<T> pager, cli::Context& ctx, Row&& row) {
  std::size_t n = 0;
  while (auto page = co_await pager.next()) {
    for (const auto& item : page->items) {
      if (ctx.json) emit_json(ctx, item);
      else row(item);
    }
    n += page->items.size();
    ctx.out.flush();
    if (ctx.verbose) ctx.err << "page " << pager.pages_read() << ": " << n << " records\n";
  }
  co_return n;
}

asio::awaitable<int> goals(classic::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "ids", "status", "role", "limit"}, "cascade goals");
  classic::GoalsQuery q;
  if (auto ids = args.get("ids")) q.ids = ids_of<classic::GoalId>(*ids);
  if (auto s = args.get("status")) {
    classic::GoalStatus st;
    if (!parse_wire_name(*s, st)) throw UsageError("--status must be APPRO, DRAFT or ARCHI, not '" + *s + "'");
    q.status = st;
  }
  if (auto r = args.get("role")) q.role_id = classic::RoleId(positive_id(*r, "--role"));
  q.limit = limit_of(args);
  cli::Table t(ctx.out, {{"ID", 8}, {"TITLE", 40}, {"STATUS", 6}, {"PROGRESS", 17}, {"START", 10}, {"END", 10},
                         {"FOCUS", 8}, {"PARENTS", 0}});
  const auto n = co_await page_through(c.goals(std::move(q)), ctx, [&](const classic::Goal& g) {
    std::string title = g.title ? *g.title : opt(g.action) + (g.details ? " " + *g.details : "");
    std::string progress = opt(g.progress);
    if (g.target) progress += " / " + opt(g.target);
    auto focus = join(g.direct_focus_area_ids);
    if (focus.empty()) focus = join(g.inherited_focus_area_ids);
    t.row({g.id.str(), title, opt(g.status), progress, opt(g.start_time).substr(0, 10), opt(g.end_time).substr(0, 10),
           focus, join(g.aligned_to_ids)});
  });
  ctx.err << n << " goals\n";
  co_return 0;
}

asio::awaitable<int> tasks(classic::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "ids", "goal", "limit"}, "cascade tasks");
  classic::TasksQuery q;
  if (auto ids = args.get("ids")) q.ids = ids_of<classic::TaskId>(*ids);
  if (auto g = args.get("goal")) q.extra_filters.add("goal_id", std::to_string(positive_id(*g, "--goal")));
  q.limit = limit_of(args);
  cli::Table t(ctx.out, {{"ID", 8}, {"TASK", 40}, {"GOAL", 8}, {"DONE", 4}, {"START", 10}, {"DUE", 10}, {"UPDATED", 0}});
  const auto n = co_await page_through(c.tasks(std::move(q)), ctx, [&](const classic::Task& x) {
    t.row({x.id.str(), opt(x.task), opt(x.goal_id), opt(x.is_complete), opt(x.start_date).substr(0, 10),
           opt(x.due_date).substr(0, 10), opt(x.updated_at)});
  });
  ctx.err << n << " tasks\n";
  co_return 0;
}

asio::awaitable<int> issues(classic::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "ids", "goal", "limit"}, "cascade issues");
  classic::IssuesQuery q;
  if (auto ids = args.get("ids")) q.ids = ids_of<classic::IssueId>(*ids);
  if (auto g = args.get("goal")) q.extra_filters.add("goal_id", std::to_string(positive_id(*g, "--goal")));
  q.limit = limit_of(args);
  cli::Table t(ctx.out, {{"ID", 8}, {"RISK", 40}, {"GOAL", 8}, {"CRITICAL", 8}, {"RESOLVED", 8}, {"DUE", 0}});
  const auto n = co_await page_through(c.issues(std::move(q)), ctx, [&](const classic::Issue& x) {
    t.row({x.id.str(), opt(x.issue), opt(x.goal_id), opt(x.is_critical), opt(x.is_resolved), opt(x.due_date).substr(0, 10)});
  });
  ctx.err << n << " issues\n";
  co_return 0;
}

asio::awaitable<int> updates(classic::Client& c, const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"json", "ids", "goal", "limit"}, "cascade updates");
  classic::UpdatesQuery q;
  if (auto ids = args.get("ids")) q.ids = ids_of<classic::UpdateId>(*ids);
  if (auto g = args.get("goal")) q.extra_filters.add("goal_id", std::to_string(positive_id(*g, "--goal")));
  q.limit = limit_of(args);
  cli::Table t(ctx.out, {{"ID", 8}, {"GOAL", 8}, {"TYPE", 8}, {"CREATED", 20}, {"COMMENT", 0}});
  const auto n = co_await page_through(c.updates(std::move(q)), ctx, [&](const classic::Update& x) {
    t.row({x.id.str(), opt(x.goal_id), opt(x.type), opt(x.created_at), opt(x.comment)});
  });
  ctx.err << n << " updates\n";
  co_return 0;
}

// ---- new platform ---------------------------------------------------------------------------

// CASCADE_PLATFORM_TOKEN (a static bearer, e.g. a token from another tool or the emulator)
// wins; otherwise the OAuth tokens in --token-file (default
// $XDG_CONFIG_HOME/wrike-cascade/cascade-tokens.json) with CASCADE_CLIENT_ID/SECRET.
platform::ClientConfig platform_config_impl(const cli::Args& args) {
  if (auto token = getenv_str("CASCADE_PLATFORM_TOKEN"); !token.empty()) {
    if (args.get("token-file")) throw UsageError("--token-file cannot be used with CASCADE_PLATFORM_TOKEN");
    platform::ClientConfig c;
    if (auto url = getenv_str("CASCADE_PLATFORM_API_URL"); !url.empty()) c.api_url = url;
    if (auto ca = getenv_str("CASCADE_CA_FILE"); !ca.empty()) {
      if (!std::ifstream(ca)) {
        throw wrike_cascade::Error(wrike_cascade::errc::config_error, "CASCADE_CA_FILE='" + ca + "' cannot be read");
      }
      c.ca_file = ca;
    }
    if (token.size() > 7 && (token.starts_with("Bearer ") || token.starts_with("bearer "))) token.erase(0, 7);
    c.auth = std::make_shared<wrike_cascade::net::StaticBearer>(token, "Bearer");
    return c;
  }
  std::optional<std::filesystem::path> file;
  if (auto f = args.get("token-file")) file = *f;
  return platform::ClientConfig::from_env(file);
}

std::string need(const cli::Args& args, const std::string& name, const std::string& command) {
  auto v = args.get(name);
  if (!v || v->empty()) throw UsageError("'" + command + "' needs --" + name + " ID");
  return *v;
}

asio::awaitable<int> run_platform(const std::string& command, const cli::Args& args, cli::Context& ctx) {
  const std::string name = "cascade " + command;
  if (command == "workspaces") args.allow_only({"json", "token-file"}, name);
  else if (command == "plans") args.allow_only({"json", "token-file", "workspace"}, name);
  else args.allow_only({"json", "token-file", "workspace", "plan"}, name);
  // Check the options before any credential is needed.
  std::string ws, plan;
  if (command != "workspaces") ws = need(args, "workspace", name);
  if (command == "measures" || command == "actions") plan = need(args, "plan", name);

  auto config = platform_config_impl(args);
  cli::verbose_log(config, ctx);
  platform::Client client(co_await asio::this_coro::executor, std::move(config));
  if (command == "workspaces") {
    auto list = co_await client.get_workspaces();
    cli::Table t(ctx.out, {{"ID", 36}, {"NAME", 0}});
    for (const auto& w : list) {
      if (ctx.json) emit_json(ctx, w);
      else t.row({w.id.str(), opt(w.display_name)});
    }
    ctx.err << list.size() << " workspaces\n";
  } else if (command == "plans") {
    auto list = co_await client.get_plans(platform::WorkspaceId(ws));
    cli::Table t(ctx.out, {{"ID", 36}, {"NAME", 30}, {"OWNER", 20}, {"TEAM", 0}});
    for (const auto& p : list) {
      if (ctx.json) emit_json(ctx, p);
      else t.row({p.id.str(), opt(p.name), opt(p.owner), opt(p.team)});
    }
    ctx.err << list.size() << " plans\n";
  } else if (command == "measures") {
    auto list = co_await client.get_measures(platform::WorkspaceId(ws), platform::PlanId(plan));
    cli::Table t(ctx.out, {{"ID", 36}, {"NAME", 0}});
    for (const auto& m : list) {
      if (ctx.json) emit_json(ctx, m);
      else t.row({m.id.str(), opt(m.name)});
    }
    ctx.err << list.size() << " measures\n";
  } else {
    auto list = co_await client.get_actions(platform::WorkspaceId(ws), platform::PlanId(plan));
    cli::Table t(ctx.out, {{"ID", 36}, {"NAME", 0}});
    for (const auto& a : list) {
      if (ctx.json) emit_json(ctx, a);
      else t.row({a.id.str(), opt(a.name)});
    }
    ctx.err << list.size() << " actions\n";
  }
  co_return 0;
}

}  // namespace

cascade::platform::ClientConfig platform_config(const cli::Args& args) { return platform_config_impl(args); }

const char* cascade_usage() {
  return "wrike-cascade-sync cascade <command> [options]\n"
         "Cascade Classic (API v2):\n"
         "  goals     [--ids A,B] [--status APPRO|DRAFT|ARCHI] [--role ID] [--limit N]\n"
         "  tasks     [--goal ID] [--ids A,B] [--limit N]\n"
         "  issues    [--goal ID] [--ids A,B] [--limit N]    (risks)\n"
         "  updates   [--goal ID] [--ids A,B] [--limit N]\n"
         "                                             every page is read; --limit is the page size\n"
         "New Cascade platform (integrations API):\n"
         "  workspaces\n"
         "  plans     --workspace ID\n"
         "  measures  --workspace ID --plan ID\n"
         "  actions   --workspace ID --plan ID\n"
         "Options: --json (JSON Lines of the decoded records, Cascade's field names), --verbose (requests on stderr),\n"
         "         --token-file F (new platform OAuth tokens; default $XDG_CONFIG_HOME/wrike-cascade/cascade-tokens.json)\n"
         "Environment (Classic): CASCADE_INSTANCE (https://{instance}.executestrategy.net/api/v2) or CASCADE_API_URL,\n"
         "             CASCADE_TOKEN (an API token: Profile > System > Security), CASCADE_CA_FILE (extra trusted CAs, PEM)\n"
         "Environment (new platform): CASCADE_PLATFORM_TOKEN (a static bearer token; without it the OAuth tokens of\n"
         "             --token-file are used with CASCADE_CLIENT_ID, CASCADE_CLIENT_SECRET, CASCADE_OAUTH_URL),\n"
         "             CASCADE_PLATFORM_API_URL (default https://integrations-region-redirect.go.cascade.app),\n"
         "             CASCADE_CA_FILE\n";
}

asio::awaitable<int> run_cascade(const std::string& command, const cli::Args& args, cli::Context& ctx) {
  static const std::vector<std::string> classic_commands{"goals", "tasks", "issues", "updates"};
  static const std::vector<std::string> platform_commands{"workspaces", "plans", "measures", "actions"};
  const bool is_classic = std::find(classic_commands.begin(), classic_commands.end(), command) != classic_commands.end();
  const bool is_platform =
      std::find(platform_commands.begin(), platform_commands.end(), command) != platform_commands.end();
  if (!is_classic && !is_platform) throw UsageError("unknown command 'cascade " + command + "'\n" + cascade_usage());
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
  if (is_platform) co_return co_await run_platform(command, args, ctx);

  // Check the options first, so a typo is a usage error even without credentials.
  if (command == "goals") args.allow_only({"json", "ids", "status", "role", "limit"}, "cascade goals");
  else args.allow_only({"json", "ids", "goal", "limit"}, "cascade " + command);
  auto config = classic::ClientConfig::from_env();
  cli::verbose_log(config, ctx);
  classic::Client client(co_await asio::this_coro::executor, std::move(config));
  if (command == "goals") co_return co_await goals(client, args, ctx);
  if (command == "tasks") co_return co_await tasks(client, args, ctx);
  if (command == "issues") co_return co_await issues(client, args, ctx);
  co_return co_await updates(client, args, ctx);
}

}  // namespace app
