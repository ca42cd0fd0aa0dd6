#pragma once

#include "cli.hpp"

#include <boost/asio/awaitable.hpp>

namespace wrike {
class Client;
}

namespace app {

const char* wrike_usage();
const char* cascade_usage();
boost::asio::awaitable<int> run_cascade(const std::string& command, const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_webhooks(wrike::Client& c, const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_webhooks_listen(const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike_login(const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike(const std::string& command, const cli::Args& args, cli::Context& ctx);

}  // namespace app
