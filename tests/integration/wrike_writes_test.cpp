// Wrike writes through the client against the emulator over HTTPS.
#include "harness.hpp"

#include <gtest/gtest.h>

namespace asio = boost::asio;
using namespace wrike_cascade::testing;
using emu::FaultRule;

namespace {

#define CO_ASSERT_TRUE(c)               \
  if (!(c)) {                           \
    ADD_FAILURE() << "false: " #c;      \
    co_return;                          \
  }

struct Ids {
  std::string project;
  std::vector<std::string> contacts;
  std::string numeric_field, dropdown_field;
  std::string completed_status;  // a custom status in the Completed group
};

Ids ids_of(emu::WrikeStore& store) {
  Ids ids;
  store.read([&](const emu::WrikeData& d) {
    for (const auto& f : d.folders) {
      if (f.contains("project") && ids.project.empty()) ids.project = std::string(f.at("id").as_string());
    }
    for (const auto& c : d.contacts) {
      if (c.at("type").as_string() == "Person") ids.contacts.push_back(std::string(c.at("id").as_string()));
    }
    for (const auto& cf : d.custom_fields) {
      if (cf.at("type").as_string() == "Numeric") ids.numeric_field = std::string(cf.at("id").as_string());
      if (cf.at("type").as_string() == "DropDown" && !cf.contains("spaceId"))
        ids.dropdown_field = std::string(cf.at("id").as_string());
    }
    for (const auto& w : d.workflows) {
      for (const auto& s : w.at("customStatuses").as_array()) {
        if (s.at("group").as_string() == "Completed" && ids.completed_status.empty())
          ids.completed_status = std::string(s.at("id").as_string());
      }
    }
  });
  return ids;
}

std::size_t tasks_with_metadata(emu::WrikeStore& store, const std::string& key, const std::string& value) {
  std::size_t n = 0;
  store.read([&](const emu::WrikeData& d) {
    for (const auto& t : d.tasks) {
      if (!t.contains("metadata")) continue;
      for (const auto& m : t.at("metadata").as_array()) {
        n += m.at("key").as_string() == key && m.at("value").as_string() == value;
      }
    }
  });
  return n;
}

}  // namespace

TEST(WrikeWrites, CreateUpdateDeleteTask) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::TaskCreate t;
    t.title = "Prepare the launch plan";
    t.description = "<p>Owner: <b>marketing</b></p>";
    t.importance = "High";
    wrike::TaskDatesInput dates;
    dates.type = "Planned";
    dates.start = wrike::parse_local_datetime("2026-03-02");
    dates.due = wrike::parse_local_datetime("2026-03-06");
    t.dates = dates;
    t.responsibles.emplace_back(ids.contacts.at(0));
    t.custom_fields.push_back({wrike::CustomFieldId(ids.numeric_field), std::string("42")});
    auto created = co_await c.create_task(wrike::FolderId(ids.project), t);
    EXPECT_EQ(created.title, "Prepare the launch plan");
    EXPECT_EQ(created.importance->str(), "High");
    CO_ASSERT_TRUE(created.dates && created.dates->start);
    EXPECT_EQ(wrike::format_local_datetime(*created.dates->start).substr(0, 10), "2026-03-02");
    CO_ASSERT_TRUE(created.responsible_ids && created.responsible_ids->size() == 1);
    CO_ASSERT_TRUE(created.parent_ids);
    EXPECT_EQ(created.parent_ids->front().str(), ids.project);

    wrike::TaskUpdate u;
    u.title = "Prepare the launch plan (v2)";
    u.add_responsibles.emplace_back(ids.contacts.at(1));
    u.remove_responsibles.emplace_back(ids.contacts.at(0));
    u.custom_fields.push_back({wrike::CustomFieldId(ids.numeric_field), std::nullopt});
    u.custom_status = wrike::CustomStatusId(ids.completed_status);
    auto updated = co_await c.update_task(created.id, u);
    EXPECT_EQ(updated.title, "Prepare the launch plan (v2)");
    CO_ASSERT_TRUE(updated.responsible_ids && updated.responsible_ids->size() == 1);
    EXPECT_EQ(updated.responsible_ids->front().str(), ids.contacts.at(1));
    EXPECT_EQ(updated.status->value(), wrike::TaskStatus::Completed);
    for (const auto& v : updated.custom_fields.value_or(std::vector<wrike::CustomFieldValue>{}))
      EXPECT_NE(v.id.str(), ids.numeric_field) << "the cleared value is gone";

    auto deleted = co_await c.delete_task(created.id);
    EXPECT_EQ(deleted.scope->value(), wrike::Scope::RbTask);
  });
}

TEST(WrikeWrites, UpdateProject) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::FolderUpdate f;
    f.title = "Website Relaunch 2027";
    wrike::ProjectUpdate p;
    p.status = "Yellow";
    p.start_date = wrike::parse_date("2027-01-04");
    p.end_date = wrike::parse_date("2027-03-31");
    p.owners_add.emplace_back(ids.contacts.at(2));
    f.project = p;
    auto folder = co_await c.update_folder(wrike::FolderId(ids.project), f);
    EXPECT_EQ(folder.title, "Website Relaunch 2027");
    CO_ASSERT_TRUE(folder.project);
    EXPECT_EQ(folder.project->status->str(), "Yellow");
    EXPECT_EQ(wrike::format_date(*folder.project->end_date), "2027-03-31");
    bool owner = false;
    for (const auto& o : folder.project->owner_ids.value_or(std::vector<wrike::ContactId>{}))
      owner = owner || o.str() == ids.contacts.at(2);
    EXPECT_TRUE(owner);
  });
}

TEST(WrikeWrites, LostCreateResponseDoesNotDuplicateWithACreateKey) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  // The handler runs (the task is created), then the connection dies mid-body.
  fx.emulator.server().add_fault(FaultRule::reset_mid_body().on("POST", "/api/v4/folders"));
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::TaskCreate t;
    t.title = "Exactly once";
    // Named arguments: GCC 12 miscompiles converted temporaries inside a co_await (see README).
    const wrike::FolderId folder(ids.project);
    const std::optional<wrike::CreateKey> key = wrike::CreateKey{"wcs_key", "cascade-77"};
    auto task = co_await c.create_task(folder, t, key);
    EXPECT_EQ(task.title, "Exactly once");
  });
  EXPECT_EQ(fx.emulator.server().count("POST", "/api/v4/folders"), 1u);
  EXPECT_EQ(tasks_with_metadata(fx.emulator.store(), "wcs_key", "cascade-77"), 1u);
}

TEST(WrikeWrites, CreateRejectedBeforeLandingIsSentAgainOnce) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  fx.emulator.server().add_fault(FaultRule::http_status(503).on("POST", "/api/v4/folders"));
  auto cfg = fx.config();
  run_sync([&](asio::io_context& io) -> asio::awaitable<void> {
    wrike::Client c(io.get_executor(), cfg);
    wrike::TaskCreate t;
    t.title = "After a 503";
    const wrike::FolderId folder(ids.project);
    const std::optional<wrike::CreateKey> key = wrike::CreateKey{"wcs_key", "cascade-78"};
    co_await c.create_task(folder, t, key);
  });
  EXPECT_EQ(fx.emulator.server().count("POST", "/api/v4/folders"), 2u);
  EXPECT_EQ(tasks_with_metadata(fx.emulator.store(), "wcs_key", "cascade-78"), 1u);
}

TEST(WrikeWrites, WithoutACreateKeyAFailedCreateIsNotRetried) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  fx.emulator.server().add_fault(FaultRule::http_status(503).on("POST", "/api/v4/folders"));
  auto cfg = fx.config();
  asio::io_context io;
  wrike::Client c(io.get_executor(), cfg);
  wrike::TaskCreate t;
  t.title = "No key";
  auto f = c.async_create_task(wrike::FolderId(ids.project), t, std::nullopt, asio::use_future);
  io.run();
  EXPECT_THROW(f.get(), wrike_cascade::Error);
  EXPECT_EQ(fx.emulator.server().count("POST", "/api/v4/folders"), 1u);
}

TEST(WrikeWrites, WrikeRejectionsNameTheParameter) {
  EmulatorFixture fx;
  const auto ids = ids_of(fx.emulator.store());
  auto cfg = fx.config();
  asio::io_context io;
  wrike::Client c(io.get_executor(), cfg);
  wrike::TaskCreate t;
  t.title = "Bad status";
  t.custom_status = wrike::CustomStatusId("IEAAAAAAJMNOSUCH");
  auto f = c.async_create_task(wrike::FolderId(ids.project), t, std::nullopt, asio::use_future);
  io.run();
  try {
    f.get();
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.detail().http_status, 400);
    EXPECT_NE(std::string(e.what()).find("customStatus"), std::string::npos) << e.what();
  }
}
