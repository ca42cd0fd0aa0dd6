// `wrike-cascade-sync wrike webhooks list|create|delete|suspend|activate|listen`
#include "commands.hpp"

#include <wrike/client.hpp>
#include <wrike/webhook_receiver.hpp>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_from.hpp>

#include <cstdlib>
#include <ostream>

namespace app {
namespace {

namespace asio = boost::asio;
using cli::UsageError;

std::string scope_of(const wrike::Webhook& h) {
  if (h.folder_id) return "folder " + h.folder_id->str() + (h.recursive.value_or(false) ? " (recursive)" : "");
  if (h.space_id) return "space " + h.space_id->str();
  return "account";
}

std::string the_id(const cli::Args& args, const std::string& command) {
  if (args.positional().size() != 2) throw UsageError("'wrike webhooks " + command + "' needs a webhook ID");
  return args.positional()[1];
}

std::string secret_from_env() {
  const char* s = std::getenv("WRIKE_WEBHOOK_SECRET");
  return s ? std::string(s) : std::string();
}

asio::awaitable<int> listen(const cli::Args& args, cli::Context& ctx) {
  args.allow_only({"port", "path", "address", "tls-cert", "tls-key", "max-body-bytes"}, "wrike webhooks listen");
  wrike::WebhookReceiverOptions o;
  o.secret = secret_from_env();
  if (o.secret.empty()) {
    throw wrike_cascade::Error(wrike_cascade::errc::config_error,
                               "WRIKE_WEBHOOK_SECRET is not set: it must be the secret the hook was created with");
  }
  auto port = args.get("port");
  if (!port) throw UsageError("'wrike webhooks listen' needs --port P (0 picks a free port)");
  try {
    const int p = std::stoi(*port);
    if (p < 0 || p > 65535) throw std::out_of_range("port");
    o.port = static_cast<std::uint16_t>(p);
  } catch (const std::exception&) {
    throw UsageError("--port '" + *port + "' is not a port number");
  }
  if (auto p = args.get("path")) o.path = *p;
  if (auto a = args.get("address")) o.address = *a;
  if (auto c = args.get("tls-cert")) o.tls_certificate_chain_file = *c;
  if (auto k = args.get("tls-key")) o.tls_private_key_file = *k;
  if (auto m = args.get("max-body-bytes")) o.max_body_bytes = std::stoul(*m);
  o.on_events = [&ctx](std::vector<wrike::WebhookEvent> events) {
    for (const auto& e : events) cli::json_line(ctx.out, boost::json::value_from(e));
    ctx.out.flush();
  };
  if (ctx.verbose) o.log = [&ctx](std::string_view line) { ctx.err << line << '\n'; };
  auto ex = co_await asio::this_coro::executor;
  wrike::WebhookReceiver receiver(ex, o);
  receiver.start();
  ctx.err << "listening for Wrike webhooks on " << receiver.url() << " (Ctrl-C to stop)\n";
  asio::signal_set signals(ex, SIGINT, SIGTERM);
  co_await signals.async_wait(asio::use_awaitable);
  receiver.stop();
  const auto s = receiver.stats();
  ctx.err << "stopped: " << s.deliveries_accepted << " deliveries, " << s.events_handed_on << " events, "
          << s.duplicates_dropped << " duplicates dropped, "
          << s.rejected_bad_signature + s.rejected_too_large + s.rejected_bad_body << " rejected\n";
  co_return 0;
}

}  // namespace

asio::awaitable<int> run_wrike_webhooks(wrike::Client& c, const cli::Args& args, cli::Context& ctx) {
  if (args.positional().empty()) throw UsageError("'wrike webhooks' needs list, create, delete, suspend, activate or listen");
  const std::string sub = args.positional()[0];
  if (sub == "list") {
    args.allow_only({"json", "token-file"}, "wrike webhooks list");
    auto hooks = co_await c.get_webhooks();
    cli::Table t(ctx.out, {{"ID", 20}, {"STATUS", 9}, {"SCOPE", 34}, {"URL", 40}, {"EVENTS", 0}});
    for (const auto& h : hooks) {
      if (ctx.json) {
        cli::json_line(ctx.out, boost::json::value_from(h));
        continue;
      }
      std::string events = "all";
      if (h.events) {
        events.clear();
        for (const auto& e : *h.events) events += (events.empty() ? "" : ",") + e;
      }
      t.row({h.id.str(), h.status.str(), scope_of(h), h.hook_url, events});
    }
    ctx.err << hooks.size() << " webhooks\n";
    co_return 0;
  }
  if (sub == "create") {
    args.allow_only({"json", "token-file", "url", "space", "folder", "events", "recursive"}, "wrike webhooks create");
    wrike::WebhookCreate h;
    auto url = args.get("url");
    if (!url) throw UsageError("'wrike webhooks create' needs --url https://your.host/wrike/webhook");
    h.hook_url = *url;
    if (auto s = secret_from_env(); !s.empty()) h.secret = s;
    else ctx.err << "warning: WRIKE_WEBHOOK_SECRET is not set: the hook will be created without signatures\n";
    if (auto e = args.get("events")) h.events = cli::split_csv(*e);
    if (args.flag("recursive")) h.recursive = true;
    wrike::Location where = wrike::WholeAccount{};
    if (args.get("space") && args.get("folder")) throw UsageError("give --space or --folder, not both");
    if (auto s = args.get("space")) where = wrike::SpaceId(*s);
    if (auto f = args.get("folder")) where = wrike::FolderId(*f);
    auto hook = co_await c.create_webhook(where, h);
    if (ctx.json) cli::json_line(ctx.out, boost::json::value_from(hook));
    else ctx.out << hook.id << " " << hook.status << " " << scope_of(hook) << " " << hook.hook_url << "\n";
    co_return 0;
  }
  if (sub == "delete" || sub == "suspend" || sub == "activate") {
    args.allow_only({"json", "token-file"}, "wrike webhooks " + sub);
    const wrike::WebhookId id(the_id(args, sub));
    if (sub == "delete") {
      co_await c.delete_webhook(id);
      ctx.err << "deleted " << id << "\n";
      co_return 0;
    }
    auto hook = co_await c.set_webhook_status(id, sub == "activate");
    ctx.out << hook.id << " " << hook.status << "\n";
    co_return 0;
  }
  throw UsageError("unknown command 'wrike webhooks " + sub + "'");
}

asio::awaitable<int> run_wrike_webhooks_listen(const cli::Args& args, cli::Context& ctx) { return listen(args, ctx); }

}  // namespace app
