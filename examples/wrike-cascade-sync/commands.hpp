#pragma once

#include "cli.hpp"

#include <boost/asio/awaitable.hpp>

namespace wrike {
class Client;
}
namespace cascade::platform {
struct ClientConfig;
}

namespace app {

const char* wrike_usage();
const char* cascade_usage();
const char* plan_usage();
boost::asio::awaitable<int> run_plan(const cli::Args& args, cli::Context& ctx);
// The new platform's client settings from the environment or --token-file (cascade_commands.cpp).
cascade::platform::ClientConfig platform_config(const cli::Args& args);
boost::asio::awaitable<int> run_cascade(const std::string& command, const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_webhooks(wrike::Client& c, const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_webhooks_listen(const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_login(const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike(const std::string& command, const cli::Args& args, cli::Context& ctx);

}  // namespace app
