// The Wrike client against the emulator over real HTTPS on loopback.
#include "harness.hpp"

#include <wrike/custom_field_value.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <set>

namespace asio = boost::asio;
using namespace wrike_cascade::testing;
using wrike_cascade::emulator::WrikeEmulatorOptions;

// gtest ASSERT_* cannot be used inside coroutines (they `return`).
#define CO_ASSERT_EQ(a, b)              \
  if (!((a) == (b))) {                  \
    ADD_FAILURE() << #a " != " #b;      \
    co_return;                          \
  }

namespace {

std::size_t store_count(emu::WrikeStore& store, const std::function<bool(const boost::json::object&)>& pred,
                        bool tasks) {
  std::size_t n = 0;
  store.read([&](const emu::WrikeData& d) {
    for (const auto& o : tasks ? d.tasks : d.folders) n += pred(o);
  });
  return n;
}

bool is_ws_task(const boost::json::object& t) { return t.at("scope").as_string() == "WsTask"; }

}  // namespace

TEST(WrikeClient, ReadsEverySurfaceAndMatchesTheStore) {
  EmulatorFixture fx;
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    auto spaces = co_await c.get_spaces();
    EXPECT_EQ(spaces.size(), 2u);
    auto one = co_await c.get_space(spaces[0].id);
    EXPECT_EQ(one.title, spaces[0].title);

    auto tree = co_await c.get_folder_tree();
    EXPECT_FALSE(tree.empty());
    std::size_t tree_projects = 0;
    for (const auto& f : tree) tree_projects += f.is_project();
    EXPECT_EQ(tree_projects, 6u);

    wrike::FoldersQuery pq;
    pq.project = true;
    pq.fields.push_back("customFields");
    pq.fields.push_back("description");
    auto projects = co_await c.get_folders(wrike::WholeAccount{}, pq);
    EXPECT_EQ(projects.size(), 6u);
    std::size_t dated = 0;
    for (const auto& p : projects) {
      EXPECT_TRUE(p.is_project());
      dated += p.project->start_date.has_value() && p.project->end_date.has_value();
    }
    EXPECT_GT(dated, 0u);  // the generator leaves some projects undated, as real accounts do
    auto in_space = co_await c.get_folders(spaces[0].id, pq);
    EXPECT_EQ(in_space.size(), 3u);

    std::vector<wrike::FolderId> ids;
    for (const auto& p : projects) ids.push_back(p.id);
    auto by_ids = co_await c.get_folders_by_ids(ids);
    CO_ASSERT_EQ(by_ids.size(), ids.size());

    wrike::TasksQuery tq;
    tq.fields = wrike::sync_task_fields();
    tq.sub_tasks = true;
    auto tasks = co_await c.get_tasks(projects[0].id, tq);
    EXPECT_EQ(tasks.size(), 12u);  // 6 tasks + 6 subtasks
    for (const auto& t : tasks) EXPECT_TRUE(t.parent_ids.has_value());

    auto fields = co_await c.get_custom_fields();
    std::set<std::string> types;
    for (const auto& f : fields) types.insert(f.type.str());
    const std::vector<std::string> all_types{"Text",     "DropDown", "Numeric",  "Currency", "Percentage",
                                             "Date",     "Duration", "Checkbox", "Contacts", "Multiple"};
    for (const auto& t : all_types) {
      EXPECT_TRUE(types.count(t)) << "no custom field of type " << t;
    }
    // Every custom field value on every task decodes to a typed value.
    wrike::CustomFieldIndex index(fields);
    std::size_t typed = 0;
    for (const auto& t : tasks) {
      for (const auto& v : t.custom_fields.value_or(std::vector<wrike::CustomFieldValue>{})) {
        auto tv = index.typed(v);
        EXPECT_FALSE(std::holds_alternative<wrike::UnknownValue>(tv)) << v.id << "=" << v.value;
        ++typed;
      }
    }
    EXPECT_GT(typed, 0u);

    auto workflows = co_await c.get_workflows();
    EXPECT_FALSE(workflows.empty());
    auto contacts = co_await c.get_contacts();
    EXPECT_EQ(contacts.size(), 10u);
    std::vector<wrike::ContactId> pair_ids;  // (a braced list here trips GCC 12's coroutine support)
    pair_ids.push_back(contacts[0].id);
    pair_ids.push_back(contacts[1].id);
    auto two = co_await c.get_contacts_by_ids(pair_ids);
    EXPECT_EQ(two.size(), 2u);
  });
}

TEST(WrikeClient, PagesMoreThan1000TasksCompletely) {
  WrikeEmulatorOptions o = EmulatorFixture::small_options();
  o.generator.spaces = 1;
  o.generator.projects_per_space = 3;
  o.generator.tasks_per_project = 450;
  o.generator.subtasks_per_task = 1;
  EmulatorFixture fx(o);
  const std::size_t expected = store_count(fx.emulator.store(), is_ws_task, true);
  ASSERT_GT(expected, 2000u);
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::TasksQuery q;
    q.sub_tasks = true;
    auto pager = c.tasks(wrike::WholeAccount{}, q);
    std::set<std::string> seen;
    while (auto page = co_await pager.next()) {
      EXPECT_LE(page->items.size(), 1000u);
      for (const auto& t : page->items) EXPECT_TRUE(seen.insert(t.id.str()).second) << "duplicate " << t.id;
    }
    EXPECT_EQ(seen.size(), expected);
    EXPECT_EQ(pager.pages_read(), (expected + 999) / 1000);
    EXPECT_EQ(pager.response_size().value_or(0), static_cast<std::int64_t>(expected));
    EXPECT_EQ(fx.emulator.server().count("GET", "/api/v4/tasks"), pager.pages_read());

    // Smaller pages: exactly ceil(n / size) requests, nothing lost.
    fx.emulator.server().reset_log();
    q.page_size = 700;
    auto all = co_await c.get_tasks(wrike::WholeAccount{}, q);
    EXPECT_EQ(all.size(), expected);
    EXPECT_EQ(fx.emulator.server().count("GET", "/api/v4/tasks"), (expected + 699) / 700);
  });
}

TEST(WrikeClient, BatchesMoreThan100IdsPerRequest) {
  WrikeEmulatorOptions o = EmulatorFixture::small_options();
  o.generator.tasks_per_project = 40;
  EmulatorFixture fx(o);
  auto ids = fx.emulator.store().task_ids();
  ASSERT_GE(ids.size(), 250u);
  ids.resize(250);
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    std::vector<wrike::TaskId> want;
    for (const auto& s : ids) want.emplace_back(s);
    auto got = co_await c.get_tasks_by_ids(want);
    CO_ASSERT_EQ(got.size(), 250u);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].id, want[i]);
    EXPECT_EQ(fx.emulator.server().count("GET", "/api/v4/tasks/"), 3u);
    // A by-ID read returns the full model: description and custom fields included.
    EXPECT_TRUE(got[0].description.has_value());
  });
}

TEST(WrikeClient, UpdatedSinceFilterReturnsOnlyNewerTasks) {
  EmulatorFixture fx;
  auto ids = fx.emulator.store().task_ids();
  fx.emulator.store().touch_task(ids[3], "2030-01-01T00:00:00Z");
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::TasksQuery q;
    q.sub_tasks = true;
    q.updated_date = wrike::TimeRange{wrike::parse_timestamp("2029-12-31T00:00:00Z"), {}};
    auto got = co_await c.get_tasks(wrike::WholeAccount{}, q);
    CO_ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id.str(), ids[3]);
  });
}

TEST(WrikeClient, EveryCompletionTokenWorks) {
  EmulatorFixture fx;
  asio::io_context io;
  wrike::Client c(io.get_executor(), fx.config());
  std::size_t via_callback = 0;
  c.async_get_spaces({}, [&](std::exception_ptr e, std::vector<wrike::Space> s) {
    EXPECT_FALSE(e);
    via_callback = s.size();
  });
  auto fut = c.async_get_workflows(std::nullopt, asio::use_future);
  std::size_t via_awaitable = 0;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto list = co_await c.async_get_contacts({}, asio::use_awaitable);
    via_awaitable = list.size();
  }, asio::detached);
  io.run();
  EXPECT_EQ(via_callback, 2u);
  EXPECT_FALSE(fut.get().empty());
  EXPECT_EQ(via_awaitable, 10u);
}

TEST(WrikeClient, WrongTokenIsAClearUnauthorizedErrorWithoutTheToken) {
  EmulatorFixture fx;
  auto cfg = fx.config();
  cfg.token = "SECRET-WRONG-TOKEN-4242";
  asio::io_context io;
  wrike::Client c(io.get_executor(), cfg);
  auto fut = c.async_get_spaces({}, asio::use_future);
  io.run();
  try {
    fut.get();
    FAIL() << "expected an error";
  } catch (const wrike_cascade::Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.condition(), wrike_cascade::errc::unauthorized);
    EXPECT_EQ(e.detail().http_status, 401);
    EXPECT_EQ(e.detail().api_error, "not_authorized");
    EXPECT_NE(what.find("Access token is unknown or invalid"), std::string::npos) << what;
    EXPECT_EQ(what.find("SECRET-WRONG-TOKEN-4242"), std::string::npos) << what;
  }
  for (const auto& line : fx.log_lines) EXPECT_EQ(line.find("SECRET-WRONG"), std::string::npos) << line;
  for (const auto& r : fx.emulator.server().requests()) {
    EXPECT_EQ(r.query.find("SECRET-WRONG"), std::string::npos);
    EXPECT_EQ(r.token_label.find("SECRET-WRONG"), std::string::npos);
  }
}

TEST(WrikeClient, UndeclaredParameterGetsWrikesErrorNamed) {
  EmulatorFixture fx;
  auto cfg = fx.config();
  const auto bad = wrike::net::Request::get("/spaces", wrike::net::Params{{"bogus", "1"}});
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    try {
      co_await c.http().request(bad);
      ADD_FAILURE() << "expected 400";
    } catch (const wrike_cascade::Error& e) {
      EXPECT_EQ(e.condition(), wrike_cascade::errc::bad_request);
      EXPECT_EQ(e.detail().api_error, "invalid_request");
      EXPECT_NE(std::string(e.what()).find("bogus"), std::string::npos) << e.what();
      EXPECT_EQ(e.detail().attempts, 1);  // a 400 is not retried
    }
  });
}
