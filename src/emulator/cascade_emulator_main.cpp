// cascade-emulator: runs the Cascade emulator (Classic API v2, the new platform's integrations
// API with its region redirect, OAuth 2.0) until SIGINT/SIGTERM.
//
// On start it prints one JSON line to stdout, e.g.
//   {"http_url":"http://127.0.0.1:41001","https_url":"https://127.0.0.1:41002",
//    "classic_api_url":"https://127.0.0.1:41002/api/v2","platform_api_url":"https://127.0.0.1:41002",
//    "regional_url":"https://127.0.0.1:41004","oauth_url":"https://127.0.0.1:41002",
//    "ca_file":"/tmp/cascade-emulator-1234-ca.pem","token":"cascade-classic-token",
//    "platform_token":"cascade-platform-token"}
// Exit codes: 0 after a signal (or --help, --dump-data), 1 when it cannot start, 2 for bad flags.
#include "executable.hpp"
#include <wrike_cascade/emulator/cascade_emulator.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace emu = wrike_cascade::emulator;

namespace {

constexpr const char* kUsage = R"(Usage: cascade-emulator [options]

Runs an emulator of both Cascade APIs on 127.0.0.1, each server with a plain HTTP and an HTTPS
listener, until SIGINT or SIGTERM:
  Classic API v2 under /api/v2 (goals, tasks, issues, updates; static Bearer tokens),
  the new platform's integrations API under /v2 (workspaces, plans, measures, actions), whose
  entry point answers 307 to a second "regional" server, and OAuth 2.0 at /authorize and
  /oauth/token. Prints one JSON line when ready:
  {"http_url","https_url","classic_api_url","platform_api_url","regional_url","oauth_url",
   "ca_file","token","platform_token"}

Data (generated deterministically unless --data is given):
  --seed N                    generator seed (default 1)
  --users N                   Classic users (default 4)
  --roles N                   Classic roles (default 4)
  --focus-areas N             Classic focus areas (default 3)
  --goals N                   top-level goals (default 6)
  --child-goals-per-goal N    goals aligned to each top-level goal (default 1)
  --tasks-per-goal N          tasks on every goal (default 3)
  --issues-per-goal N         risks on every goal (default 1)
  --updates-per-goal N        updates on every goal (default 1)
  --workspaces N              new-platform workspaces the user belongs to (default 2)
  --foreign-workspaces N      workspaces the user does not belong to: 403 (default 1)
  --plans-per-workspace N     (default 2)
  --measures-per-plan N       (default 3)
  --actions-per-plan N        (default 3)
  --data PATH                 load a JSON file instead (the --dump-data format: an object with
                              arrays users, roles, focus_areas, goals, tasks, issues, updates,
                              workspaces, plans, measures, actions)
  --dump-data PATH            write the data to PATH and exit

Classic API:
  --token T[:USER_ID[:SCOPES]]
                              an accepted API token; repeatable (default: cascade-classic-token
                              as user 1). SCOPES: comma-separated of Goals,Tasks,Issues,Updates
                              (default all); a missing scope gives 403
  --dialect D                 response forms: canonical (default), swagger (the Swagger file's
                              shapes), mixed (every lenient form: string IDs, "1"/true booleans,
                              Unix dates, singular keys, ...)
  --offset-mode M             page (offset = 1-based page number, default) or row (0-based row)
  --default-limit N           page size when a request sends no limit (default 100)
  --max-limit N               larger limits get 400; 0 = none (default 0)

New platform:
  --platform-token T          an accepted static bearer token; repeatable
                              (default: cascade-platform-token); OAuth access tokens work too
  --no-region-redirect        serve the API at the entry point itself (no 307)
  --regional-host H           host name in the 307 Location (default 127.0.0.1)
  --regional-http-port P      (default 0 = ephemeral)
  --regional-https-port P     (default 0 = ephemeral)
  --allow-fractional-history  accept non-integer historical_data values (the spec says int32)

OAuth 2.0:
  --oauth-client ID:SECRET[:REDIRECT_URI]
                              register an application; repeatable (the URI may hold ':')
  --access-token-ttl S        lifetime of issued access tokens in seconds (default 86400)
  --oauth-deny                the authorize step answers error=access_denied

Server (both servers):
  --http-port P               main server plain HTTP port (default 0 = ephemeral)
  --https-port P              main server HTTPS port (default 0 = ephemeral)
  --threads N                 I/O threads per server (default 2)
  --latency-ms N              latency added to every response (default 0)
  --rate-limit N              requests per minute per token, 0 = off (default 0: Cascade
                              publishes no limit); 429s carry Retry-After
  --cert-hostname H           a name the HTTPS certificates are valid for; repeatable
                              (default: localhost and 127.0.0.1)
  --ca-file PATH              write the CA certificates (PEM, both servers) there
                              (default: a temporary file, removed on exit)

  --help                      show this help
)";

using emu::parse_uint;
using emu::UsageError;

struct Cli {
  emu::CascadeEmulatorOptions options;
  emu::CommonFlags common;
};

Cli parse(int argc, char** argv) {
  Cli cli;
  auto& o = cli.options;
  auto& g = o.generator;
  bool tokens_given = false, platform_tokens_given = false;
  emu::FlagReader r(argc, argv);
  while (r.next()) {
    const std::string_view a = r.flag();
    auto need = [&] { return r.value(); };
    auto count = [&](int& out) { out = r.count(); };
    auto port = [&](std::uint16_t& out) { out = static_cast<std::uint16_t>(r.number(65535)); };
    if (emu::read_common_flag(r, o.server, cli.common)) continue;
    if (a == "--seed") g.seed = parse_uint(a, need(), std::numeric_limits<std::uint64_t>::max());
    else if (a == "--users") count(g.users);
    else if (a == "--roles") count(g.roles);
    else if (a == "--focus-areas") count(g.focus_areas);
    else if (a == "--goals") count(g.goals);
    else if (a == "--child-goals-per-goal") count(g.child_goals_per_goal);
    else if (a == "--tasks-per-goal") count(g.tasks_per_goal);
    else if (a == "--issues-per-goal") count(g.issues_per_goal);
    else if (a == "--updates-per-goal") count(g.updates_per_goal);
    else if (a == "--workspaces") count(g.workspaces);
    else if (a == "--foreign-workspaces") count(g.foreign_workspaces);
    else if (a == "--plans-per-workspace") count(g.plans_per_workspace);
    else if (a == "--measures-per-plan") count(g.measures_per_plan);
    else if (a == "--actions-per-plan") count(g.actions_per_plan);
    else if (a == "--data") o.data_path = std::filesystem::path(std::string(need()));
    else if (a == "--token") {
      const std::string v(need());
      emu::ClassicToken t;
      const auto c1 = v.find(':');
      t.token = v.substr(0, c1);
      if (t.token.empty()) throw UsageError{"--token: empty token"};
      if (c1 != std::string::npos) {
        const auto c2 = v.find(':', c1 + 1);
        t.user_id = static_cast<std::int64_t>(
            parse_uint("--token USER_ID", v.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1),
                       std::numeric_limits<std::int32_t>::max()));
        if (t.user_id == 0) throw UsageError{"--token: USER_ID must be at least 1"};
        if (c2 != std::string::npos) {
          t.scopes.clear();
          std::string_view rest = std::string_view(v).substr(c2 + 1);
          while (!rest.empty()) {
            const auto comma = rest.find(',');
            const std::string scope(rest.substr(0, comma));
            if (scope != "Goals" && scope != "Tasks" && scope != "Issues" && scope != "Updates")
              throw UsageError{"--token: unknown scope '" + scope + "' (Goals, Tasks, Issues, Updates)"};
            t.scopes.push_back(scope);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
          }
        }
      }
      if (!tokens_given) o.classic_tokens.clear();
      tokens_given = true;
      o.classic_tokens.push_back(std::move(t));
    } else if (a == "--dialect") {
      const auto d = emu::parse_classic_dialect(need());
      if (!d) throw UsageError{"--dialect: expected canonical, swagger or mixed"};
      o.dialect = *d;
    } else if (a == "--offset-mode") {
      const auto m = need();
      if (m == "page") o.offset_mode = emu::ClassicOffsetMode::page_number;
      else if (m == "row") o.offset_mode = emu::ClassicOffsetMode::row_offset;
      else throw UsageError{"--offset-mode: expected page or row"};
    } else if (a == "--default-limit") {
      count(o.default_limit);
      if (o.default_limit == 0) throw UsageError{"--default-limit: must be at least 1"};
    } else if (a == "--max-limit") count(o.max_limit);
    else if (a == "--platform-token") {
      auto t = need();
      if (t.empty()) throw UsageError{"--platform-token: empty token"};
      if (!platform_tokens_given) o.platform_tokens.clear();
      platform_tokens_given = true;
      o.platform_tokens.emplace_back(t);
    } else if (a == "--no-region-redirect") o.region_redirect = false;
    else if (a == "--regional-host") {
      auto h = need();
      if (h.empty()) throw UsageError{"--regional-host: empty name"};
      o.regional_host = std::string(h);
    } else if (a == "--regional-http-port") port(o.regional_http_port);
    else if (a == "--regional-https-port") port(o.regional_https_port);
    else if (a == "--allow-fractional-history") o.allow_fractional_history = true;
    else if (a == "--oauth-client") {
      o.oauth.clients.push_back(emu::parse_oauth_client<emu::CascadeOAuthClient>(need()));
    } else if (a == "--access-token-ttl") {
      o.oauth.access_token_ttl = emu::access_token_ttl(r);
    } else if (a == "--oauth-deny") o.oauth.deny = true;
    else throw UsageError{"unknown option '" + std::string(r.arg()) + "' (see --help)"};
  }
  if (o.data_path && !std::filesystem::exists(*o.data_path))
    throw UsageError{"--data: " + o.data_path->string() + " does not exist"};
  return cli;
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli;
  try {
    cli = parse(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "cascade-emulator: " << e.message << "\n";
    return 2;
  }
  auto ready = [](const emu::CascadeEmulator& emulator) {
    boost::json::object r;
    r["http_url"] = emulator.http_url();
    r["https_url"] = emulator.https_url();
    r["classic_api_url"] = emulator.classic_api_url();
    r["platform_api_url"] = emulator.platform_api_url();
    r["regional_url"] = emulator.regional_url();
    r["oauth_url"] = emulator.oauth_url();
    r["token"] = emulator.classic_token();
    r["platform_token"] = emulator.platform_token();
    return r;
  };
  return emu::serve<emu::CascadeEmulator>("cascade-emulator", kUsage, cli.common, cli.options, ready);
}
