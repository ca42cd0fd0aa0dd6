#pragma once

#include "cli.hpp"

#include <boost/asio/awaitable.hpp>

namespace app {

const char* wrike_usage();
boost::asio::awaitable<int> run_wrike_login(const cli::Args& args, cli::Context& ctx);
boost::asio::awaitable<int> run_wrike(const std::string& command, const cli::Args& args, cli::Context& ctx);

}  // namespace app
