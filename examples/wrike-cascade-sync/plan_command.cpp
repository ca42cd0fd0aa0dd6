// wrike-cascade-sync plan --config FILE: reads the Wrike scope and the Cascade target, maps,
// and prints the plan. Writes nothing anywhere.
#include "commands.hpp"

#include <wrike_cascade/mapping.hpp>

#include <cascade/classic_client.hpp>
#include <cascade/platform_client.hpp>
#include <wrike/client.hpp>
#include <wrike/custom_field_value.hpp>

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace app {
namespace {

namespace asio = boost::asio;
namespace mapping = wrike_cascade::mapping;
using cli::UsageError;

struct WrikeRead {
  mapping::WrikeInput input;
  wrike::CustomFieldIndex fields;
  std::vector<wrike::Workflow> workflows;
  std::size_t spaces_read = 0;
};

// The folder tree of every space gives each project its space, its enclosing project and the
// project of every plain folder inside one.
struct TreeInfo {
  std::map<std::string, std::string> space_of;     // folder -> space
  std::map<std::string, std::string> parent_of;    // folder -> parent folder (within the space)
  std::set<std::string> projects;

  // The nearest folder above `id` that `pred` accepts (a bounded walk: a tree has no cycles,
  // but the walk does not rely on it).
  template <class Pred>
  std::optional<std::string> ancestor(std::string id, Pred pred) const {
    for (int guard = 0; guard < 256; ++guard) {
      auto p = parent_of.find(id);
      if (p == parent_of.end()) return std::nullopt;
      id = p->second;
      if (pred(id)) return id;
    }
    return std::nullopt;
  }
  std::optional<std::string> nearest_project(const std::string& id) const {
    return ancestor(id, [this](const std::string& f) { return projects.count(f) != 0; });
  }
};

asio::awaitable<WrikeRead> read_wrike(wrike::Client& client, const mapping::MappingConfig& cfg, cli::Context& ctx) {
  WrikeRead out;
  TreeInfo tree;
  auto spaces = co_await client.get_spaces();
  for (const auto& s : spaces) {
    wrike::Location where = s.id;
    auto entries = co_await client.get_folder_tree(where);
    ++out.spaces_read;
    for (const auto& e : entries) {
      tree.space_of[e.id.str()] = s.id.str();
      if (e.is_project()) tree.projects.insert(e.id.str());
      if (e.child_ids)
        for (const auto& c : *e.child_ids) tree.parent_of[c.str()] = e.id.str();
    }
  }
  // Scope: every project in the listed spaces, and the listed projects with the projects
  // nested inside them.
  std::set<std::string> space_ids;
  for (const auto& s : cfg.spaces) {
    bool known = std::any_of(spaces.begin(), spaces.end(), [&](const wrike::Space& x) { return x.id == s; });
    if (!known) throw wrike_cascade::Error(wrike_cascade::errc::config_error,
                                           cfg.file + ": wrike.spaces: space " + s.str() + " is not visible to this Wrike user");
    space_ids.insert(s.str());
  }
  std::set<std::string> roots;
  for (const auto& p : cfg.projects) {
    if (!tree.projects.count(p.str()))
      throw wrike_cascade::Error(wrike_cascade::errc::config_error,
                                 cfg.file + ": wrike.projects: " + p.str() + " is not a project visible to this Wrike user");
    roots.insert(p.str());
  }
  std::vector<wrike::FolderId> scope;
  for (const auto& id : tree.projects)
    if (space_ids.count(tree.space_of[id]) || roots.count(id) ||
        tree.ancestor(id, [&](const std::string& f) { return roots.count(f) != 0; }))
      scope.emplace_back(id);
  std::set<std::string> in_scope;
  for (const auto& id : scope) in_scope.insert(id.str());

  if (!scope.empty()) {
    auto folders = co_await client.get_folders_by_ids(scope);  // customFields and description come by default
    for (auto& f : folders) {
      mapping::ProjectInput p;
      p.space = wrike::SpaceId{tree.space_of[f.id.str()]};
      if (auto up = tree.nearest_project(f.id.str()); up && in_scope.count(*up)) p.parent_project = wrike::FolderId{*up};
      p.folder = std::move(f);
      out.input.projects.push_back(std::move(p));
    }
  }
  for (const auto& [folder, parent] : tree.parent_of) {
    if (tree.projects.count(folder)) continue;
    if (auto up = tree.nearest_project(folder); up && in_scope.count(*up)) out.input.folder_to_project[folder] = *up;
  }

  // Tasks: per listed space (one paged query each), or per listed project with descendants.
  wrike::TasksQuery q;
  q.sub_tasks = true;
  q.fields = wrike::sync_task_fields();  // every field the mapping reads, and a few more
  std::set<std::string> seen;
  auto take = [&](std::vector<wrike::Task> tasks) {
    for (auto& t : tasks)
      if (seen.insert(t.id.str()).second) out.input.tasks.push_back(std::move(t));
  };
  for (const auto& s : cfg.spaces) {
    wrike::Location where = s;
    take(co_await client.get_tasks(where, q));
  }
  wrike::TasksQuery pq = q;
  pq.descendants = true;
  for (const auto& p : cfg.projects) {
    if (space_ids.count(tree.space_of[p.str()])) continue;  // already read with its space
    wrike::Location where = p;
    take(co_await client.get_tasks(where, pq));
  }

  out.input.contacts = co_await client.get_contacts();
  out.fields = wrike::CustomFieldIndex(co_await client.get_custom_fields());
  out.workflows = co_await client.get_workflows();
  ctx.err << "Wrike: " << out.spaces_read << " spaces, " << out.input.projects.size() << " projects in scope, "
          << out.input.tasks.size() << " tasks, " << out.input.contacts.size() << " contacts, " << out.fields.size()
          << " custom fields\n";
  co_return out;
}

// Classic lists goals of one status at a time when asked (the reference page shows the list
// defaulting to DRAFT), so all three are read and merged.
asio::awaitable<mapping::ObservedState> read_classic(cascade::classic::Client& client, cli::Context& ctx) {
  std::map<std::int64_t, cascade::classic::Goal> goals;
  for (auto status : {cascade::classic::GoalStatus::Approved, cascade::classic::GoalStatus::Draft,
                      cascade::classic::GoalStatus::Archived}) {
    cascade::classic::GoalsQuery q;
    q.status = status;
    for (auto& g : co_await client.get_goals(q)) goals.emplace(g.id.value(), std::move(g));
  }
  std::vector<cascade::classic::Goal> all;
  all.reserve(goals.size());
  for (auto& [id, g] : goals) all.push_back(std::move(g));
  auto tasks = co_await client.get_tasks();
  ctx.err << "Cascade Classic: " << all.size() << " goals, " << tasks.size() << " tasks\n";
  co_return mapping::observe_classic(all, tasks);
}

asio::awaitable<mapping::ObservedState> read_platform(cascade::platform::Client& client,
                                                       const mapping::MappingConfig& cfg, cli::Context& ctx) {
  cascade::platform::WorkspaceId ws{cfg.workspace};
  cascade::platform::PlanId plan{cfg.plan};
  auto measures = co_await client.get_measures(ws, plan);
  auto actions = co_await client.get_actions(ws, plan);
  ctx.err << "Cascade platform: plan " << cfg.plan << ": " << measures.size() << " measures, " << actions.size()
          << " actions\n";
  co_return mapping::observe_platform(cfg.plan, measures, actions);
}

}  // namespace

const char* plan_usage() {
  return "usage: wrike-cascade-sync plan --config FILE [--json] [--show-noop] [--verbose]\n"
         "\n"
         "Reads the Wrike scope and the Cascade target the mapping config names, maps Wrike onto\n"
         "Cascade and prints the plan: what would be created, updated (field by field, old -> new),\n"
         "moved, left alone (no-op) or orphaned, what the target cannot take, and warnings.\n"
         "Writes nothing, to Wrike or Cascade.\n"
         "\n"
         "  --config FILE  the mapping config (JSON with comments; see examples/mapping.jsonc)\n"
         "  --json         the plan as one JSON document\n"
         "  --show-noop    list no-op rows in the table too (they are always in --json)\n"
         "\n"
         "Environment: WRIKE_TOKEN or WRIKE_TOKEN_FILE (and WRIKE_API_URL, WRIKE_CA_FILE) as for\n"
         "'wrike'; Classic: CASCADE_TOKEN with CASCADE_INSTANCE or CASCADE_API_URL (CASCADE_CA_FILE);\n"
         "platform: CASCADE_PLATFORM_TOKEN or the OAuth token file, as for 'cascade'.\n";
}

asio::awaitable<int> run_plan(const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"config", "json", "show-noop", "verbose"}, "plan");
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional().front() + "'");
  auto path = args.get("config");
  if (!path || path->empty()) throw UsageError("'plan' needs --config FILE\n" + std::string(plan_usage()));
  // Config errors (every one, with line:column) before any network.
  auto cfg = mapping::MappingConfig::load(*path);

  auto wcfg = wrike::ClientConfig::from_env();
  cli::verbose_log(wcfg, ctx);
  auto ex = co_await asio::this_coro::executor;
  wrike::Client wclient(ex, std::move(wcfg));
  auto read = co_await read_wrike(wclient, cfg, ctx);
  read.input.custom_fields = &read.fields;
  cfg.resolve(read.fields, read.workflows);

  mapping::ObservedState observed;
  mapping::PlanOptions options;
  if (cfg.target == mapping::Target::Classic) {
    auto ccfg = cascade::classic::ClientConfig::from_env();
    cli::verbose_log(ccfg, ctx);
    cascade::classic::Client cclient(ex, std::move(ccfg));
    observed = co_await read_classic(cclient, ctx);
    options.capabilities = mapping::Capabilities::classic();
  } else {
    auto pcfg = platform_config(args);
    cli::verbose_log(pcfg, ctx);
    cascade::platform::Client pclient(ex, std::move(pcfg));
    observed = co_await read_platform(pclient, cfg, ctx);
    options.capabilities = mapping::Capabilities::platform();
  }
  options.orphans = cfg.orphans;
  if (cfg.cascade_id_field)
    options.how_to_link = "put its Cascade ID in the Wrike field \"" + cfg.cascade_id_field->text +
                          "\" or in the config's \"links\"";
  else
    options.how_to_link = "name its Cascade ID in the config's \"links\" (or set wrike.cascade_id_field)";

  // Only what the target can write is mapped; the rest is counted for the plan's "Not sent".
  auto desired = mapping::map_to_cascade(cfg, read.input, options.capabilities);
  // The link store arrives with the executor; until then links come from the Cascade IDs the
  // Wrike items carry and from the config's links table (both are hints on the items).
  mapping::LinkState links;
  auto plan = mapping::make_plan(std::move(desired), links, observed, options);  // its values move into the plan
  if (ctx.json)
    cli::json_line(ctx.out, mapping::to_json(plan));
  else
    mapping::render_table(plan, ctx.out, args.flag("show-noop"));
  co_return 0;
}

}  // namespace app
