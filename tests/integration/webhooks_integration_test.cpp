// Webhooks end to end: the client manages hooks on the emulator, the emulator performs the
// handshake against the SDK's receiver and delivers signed events when data changes.
#include "harness.hpp"

#include <wrike/webhook_receiver.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace wrike_cascade::testing;

namespace {

// A receiver on its own thread, collecting verified events.
struct Receiver {
  explicit Receiver(std::string secret, std::uint16_t port = 0) {
    wrike::WebhookReceiverOptions o;
    o.secret = std::move(secret);
    o.port = port;
    o.on_events = [this](std::vector<wrike::WebhookEvent> events) {
      std::lock_guard lock(mutex);
      for (auto& e : events) received.push_back(std::move(e));
      cv.notify_all();
    };
    receiver = std::make_unique<wrike::WebhookReceiver>(io.get_executor(), o);
    receiver->start();
    thread = std::thread([this] { io.run(); });
  }
  ~Receiver() { stop(); }
  void stop() {
    if (!thread.joinable()) return;
    receiver->stop();  // closes the listener and idle connections on the io thread
    work.reset();
    for (int i = 0; i < 500 && !io.stopped(); ++i) std::this_thread::sleep_for(10ms);
    io.stop();  // only if a connection is still open after 5 s
    thread.join();
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, timeout, [&] { return received.size() >= n; });
  }
  std::vector<wrike::WebhookEvent> events() {
    std::lock_guard lock(mutex);
    return received;
  }

  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::unique_ptr<wrike::WebhookReceiver> receiver;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<wrike::WebhookEvent> received;
};

emu::WrikeEmulatorOptions hook_options() {
  auto o = EmulatorFixture::small_options();
  o.webhooks.batch_window = 20ms;
  o.webhooks.max_retries = 1;
  o.webhooks.retry_backoff = 20ms;
  o.webhooks.suspend_after_failures = 2;
  o.webhooks.delivery_timeout = 1s;
  return o;
}

std::string first_project(emu::WrikeStore& store) {
  std::string id;
  store.read([&](const emu::WrikeData& d) {
    for (const auto& f : d.folders)
      if (f.contains("project") && id.empty()) id = std::string(f.at("id").as_string());
  });
  return id;
}

}  // namespace

TEST(Webhooks, CreateWithHandshakeThenSignedDeliveriesOnChange) {
  EmulatorFixture fx(hook_options());
  Receiver rx("hook-secret-1");
  auto cfg = fx.config();
  const auto project = first_project(fx.emulator.store());
  wrike::Webhook hook;
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::WebhookCreate h;
    h.hook_url = rx.receiver->url();
    h.secret = "hook-secret-1";
    hook = co_await c.create_webhook(wrike::FolderId(project), h);
    EXPECT_EQ(hook.status.value(), wrike::WebhookStatus::Active);
    // The same URL and scope again: the existing hook, not a second one.
    auto again = co_await c.create_webhook(wrike::FolderId(project), h);
    EXPECT_EQ(again.id, hook.id);
    auto all = co_await c.get_webhooks();
    EXPECT_EQ(all.size(), 1u);

    wrike::TaskCreate t;
    t.title = "Webhook me";
    auto task = co_await c.create_task(wrike::FolderId(project), t);
    wrike::TaskUpdate u;
    u.title = "Webhook me (renamed)";
    co_await c.update_task(task.id, u);
  });
  EXPECT_EQ(rx.receiver->stats().verifications_answered, 1u);
  ASSERT_TRUE(rx.wait_for(2)) << "events received: " << rx.events().size();
  bool created = false, renamed = false;
  for (const auto& e : rx.events()) {
    EXPECT_EQ(e.webhook_id, hook.id);
    created = created || e.event_type.value() == wrike::WebhookEventType::TaskCreated;
    renamed = renamed || (e.event_type.value() == wrike::WebhookEventType::TaskTitleChanged &&
                          e.title.value_or("") == "Webhook me (renamed)");
  }
  EXPECT_TRUE(created);
  EXPECT_TRUE(renamed);
  EXPECT_EQ(rx.receiver->stats().rejected_bad_signature, 0u);
}

TEST(Webhooks, AWrongSecretFailsTheCreateHandshake) {
  EmulatorFixture fx(hook_options());
  Receiver rx("the-receivers-secret");
  auto cfg = fx.config();
  asio::io_context io;
  wrike::Client c(io.get_executor(), cfg);
  wrike::WebhookCreate h;
  h.hook_url = rx.receiver->url();
  h.secret = "a-different-secret";
  auto f = c.async_create_webhook(wrike::WholeAccount{}, h, asio::use_future);
  io.run();
  try {
    f.get();
    FAIL() << "the hook was created";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.detail().http_status, 400) << e.what();
  }
}

TEST(Webhooks, SuspendedByFailuresThenReactivated) {
  EmulatorFixture fx(hook_options());
  auto rx = std::make_unique<Receiver>("s3");
  const auto port = rx->receiver->port();
  auto cfg = fx.config();
  const auto task_id = fx.emulator.store().task_ids().front();
  wrike::Webhook hook;
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::WebhookCreate h;
    h.hook_url = rx->receiver->url();
    h.secret = "s3";
    hook = co_await c.create_webhook(wrike::WholeAccount{}, h);
  });
  rx->stop();  // the receiver goes away: deliveries fail
  for (int i = 0; i < 3; ++i) {
    fx.emulator.store().touch_task(task_id);
    fx.emulator.store().modify_task(task_id, {{"title", "change " + std::to_string(i)}});
    fx.emulator.wait_for_idle(5s);
  }
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    auto hooks = co_await c.get_webhooks();
    EXPECT_EQ(hooks.at(0).status.value(), wrike::WebhookStatus::Suspended);
  });
  // Back online on the same port, re-activated: deliveries resume.
  Receiver back("s3", port);
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    auto active = co_await c.set_webhook_status(hook.id, true);
    EXPECT_EQ(active.status.value(), wrike::WebhookStatus::Active);
    wrike::TaskUpdate u;
    u.title = "after re-activation";
    co_await c.update_task(wrike::TaskId(task_id), u);
  });
  ASSERT_TRUE(back.wait_for(1));
  EXPECT_EQ(back.events().back().title.value_or(""), "after re-activation");
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    co_await c.delete_webhook(hook.id);
    auto hooks = co_await c.get_webhooks();
    EXPECT_TRUE(hooks.empty());
  });
}
