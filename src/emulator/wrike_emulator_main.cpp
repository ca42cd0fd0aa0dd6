// wrike-emulator: runs the Wrike API v4 emulator until SIGINT/SIGTERM.
//
// On start it prints one JSON line to stdout, e.g.
//   {"http_url":"http://127.0.0.1:41001","https_url":"https://127.0.0.1:41002",
//    "api_url":"https://127.0.0.1:41002/api/v4","oauth_url":"https://127.0.0.1:41002/oauth2",
//    "ca_file":"/tmp/wrike-emulator-1234-ca.pem","token":"emulator-token"}
// Exit codes: 0 after a signal (or --help, --dump-data), 1 when it cannot start, 2 for bad flags.
#include "executable.hpp"
#include <wrike_cascade/emulator/wrike_emulator.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

constexpr const char* kUsage = R"(Usage: wrike-emulator [options]

Runs an emulator of the Wrike REST API v4 (reads, task/folder writes and webhooks under
/api/v4, OAuth 2.0 under /oauth2) on 127.0.0.1, with a plain HTTP and an HTTPS listener, until
SIGINT or SIGTERM. Prints one JSON line when ready:
  {"http_url":...,"https_url":...,"api_url":...,"oauth_url":...,"ca_file":...,"token":...}

Data (generated deterministically unless --data is given):
  --seed N                  generator seed (default 1)
  --spaces N                spaces (default 2)
  --projects-per-space N    projects in each space (default 3)
  --folders-per-space N     plain folders in each space (default 1)
  --tasks-per-project N     top-level tasks in each project (default 10)
  --tasks-per-folder N      top-level tasks in each plain folder (default 2)
  --subtasks-per-task N     subtasks under each top-level task (default 1)
  --contacts N              contacts (default 8)
  --data PATH               load JSON instead: a directory with account.json, contacts.json,
                            spaces.json, folders.json, tasks.json, customfields.json,
                            workflows.json (Wrike response bodies), or one .json file
  --dump-data PATH          write the data in the --data format to PATH and exit

Server:
  --token T                 accepted bearer token; repeatable (default: emulator-token)
  --http-port P             plain HTTP port (default 0 = ephemeral)
  --https-port P            HTTPS port (default 0 = ephemeral)
  --threads N               I/O threads (default 2)
  --latency-ms N            latency added to every response (default 0)
  --rate-limit N            requests per minute per token, 0 = off (default 400)
  --cert-hostname H         a name the HTTPS certificate is valid for; repeatable
                            (default: localhost and 127.0.0.1)
  --ca-file PATH            write the CA certificate (PEM) there (default: a temporary file,
                            removed on exit)

OAuth 2.0 (GET /oauth2/authorize/v4, POST /oauth2/token):
  --oauth-client ID:SECRET[:REDIRECT_URI]
                            register an API app; repeatable (the redirect URI may hold ':')
  --access-token-ttl S      lifetime of issued access tokens in seconds (default 3600)
  --oauth-deny              the authorize step answers error=access_denied

Webhooks (deliveries to hook URLs):
  --webhook-ca-file PATH    extra CA certificates (PEM) trusted for https hook URLs
  --webhook-batch-ms N      batching window per hook (default 50)
  --webhook-retries N       retries of a failed delivery (default 3)
  --webhook-suspend-after N failed deliveries in a row that suspend a hook, 0 = never (default 5)
  --webhook-timeout-ms N    timeout of each delivery and of the handshake (default 5000)

  --help                    show this help
)";

using emu::parse_uint;
using emu::UsageError;

struct Cli {
  emu::WrikeEmulatorOptions options;
  emu::CommonFlags common;
};

Cli parse(int argc, char** argv) {
  Cli cli;
  auto& o = cli.options;
  bool tokens_given = false;
  emu::FlagReader r(argc, argv);
  while (r.next()) {
    const std::string_view a = r.flag();
    auto need = [&] { return r.value(); };
    auto count = [&](int& out) { out = r.count(); };
    if (emu::read_common_flag(r, o.server, cli.common)) continue;
    if (a == "--seed") o.generator.seed = parse_uint(a, need(), std::numeric_limits<std::uint64_t>::max());
    else if (a == "--spaces") count(o.generator.spaces);
    else if (a == "--projects-per-space") count(o.generator.projects_per_space);
    else if (a == "--folders-per-space") count(o.generator.folders_per_space);
    else if (a == "--tasks-per-project") count(o.generator.tasks_per_project);
    else if (a == "--tasks-per-folder") count(o.generator.tasks_per_folder);
    else if (a == "--subtasks-per-task") count(o.generator.subtasks_per_task);
    else if (a == "--contacts") count(o.generator.contacts);
    else if (a == "--data") o.data_path = std::filesystem::path(std::string(need()));
    else if (a == "--token") {
      auto t = need();
      if (t.empty()) throw UsageError{"--token: empty token"};
      if (!tokens_given) o.tokens.clear();
      tokens_given = true;
      o.tokens.emplace_back(t);
    } else if (a == "--oauth-client") {
      o.oauth.clients.push_back(emu::parse_oauth_client<emu::OAuthClient>(need()));
    } else if (a == "--access-token-ttl") {
      o.oauth.access_token_ttl = emu::access_token_ttl(r);
    } else if (a == "--oauth-deny") o.oauth.deny = true;
    else if (a == "--webhook-ca-file") {
      o.webhooks.ca_file = std::filesystem::path(std::string(need()));
      if (!std::filesystem::exists(*o.webhooks.ca_file))
        throw UsageError{"--webhook-ca-file: " + o.webhooks.ca_file->string() + " does not exist"};
    } else if (a == "--webhook-batch-ms") o.webhooks.batch_window = std::chrono::milliseconds(parse_uint(a, need(), 600'000));
    else if (a == "--webhook-retries") o.webhooks.max_retries = static_cast<int>(parse_uint(a, need(), 100));
    else if (a == "--webhook-suspend-after") o.webhooks.suspend_after_failures = r.count();
    else if (a == "--webhook-timeout-ms") {
      o.webhooks.delivery_timeout = std::chrono::milliseconds(parse_uint(a, need(), 600'000));
      if (o.webhooks.delivery_timeout.count() == 0) throw UsageError{"--webhook-timeout-ms: must be at least 1"};
    }
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
    std::cerr << "wrike-emulator: " << e.message << "\n";
    return 2;
  }
  auto ready = [](const emu::WrikeEmulator& emulator) {
    boost::json::object r;
    r["http_url"] = emulator.http_url();
    r["https_url"] = emulator.https_url();
    r["api_url"] = emulator.api_url();
    r["oauth_url"] = emulator.oauth_url();
    r["token"] = emulator.token();
    return r;
  };
  return emu::serve<emu::WrikeEmulator>("wrike-emulator", kUsage, cli.common, cli.options, ready);
}
