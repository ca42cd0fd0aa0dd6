// cascade::classic::Client against the Cascade emulator over real HTTP(S): every operation,
// the lenient decodings (the emulator's dialects), paging across many pages, filters, and the
// errors. Every request body the client sends is validated against the Classic Swagger file.
#include "cascade_emu_util.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace {

using namespace cascade_emu_test;
using namespace std::chrono;
using wrike_cascade::errc;
using wrike_cascade::Error;

class ClassicEmu : public ::testing::Test {
 protected:
  void TearDown() override {
    // Every body sent in the test, against the spec.
    const auto checked = expect_bodies_conform(emu.e);
    if (expect_bodies) {
      if (classic_spec()) {
        EXPECT_GT(checked, 0u) << "the test sent no body to check";
      }
    }
  }

  template <class F>
  auto run(F&& body, classic::ClientConfig cfg) {
    return run_sync([&](asio::io_context& io) -> decltype(body(std::declval<classic::Client&>())) {
      classic::Client c(io.get_executor(), cfg);
      co_return co_await body(c);
    });
  }
  template <class F>
  auto run(F&& body) {
    return run(std::forward<F>(body), emu.classic_config());
  }

  Emulator emu;
  bool expect_bodies = false;
};

classic::GoalCreate goal_create(std::string details) {
  classic::GoalCreate g;
  g.action = "Increase";
  g.details = std::move(details);
  g.start_time = cascade::DateTime(2025y / March / 1);
  g.end_time = cascade::DateTime(2025y / December / 31);
  g.weight_id = 2;
  return g;
}

// Date-only values come back as Unix seconds in some dialects: compare instants only.
template <class T>
void clear_date_only(T& x) {
  auto f = [](std::optional<cascade::DateTime>& d) {
    if (d) d->date_only = false;
  };
  if constexpr (std::is_same_v<T, classic::Goal>) {
    f(x.start_time), f(x.end_time), f(x.created_at), f(x.updated_at);
  } else if constexpr (std::is_same_v<T, classic::Task>) {
    f(x.created_at), f(x.completed_at), f(x.updated_at), f(x.start_date), f(x.due_date);
  } else if constexpr (std::is_same_v<T, classic::Issue>) {
    f(x.created_at), f(x.due_date);
  } else {
    f(x.created_at), f(x.updated_at);
  }
}

std::optional<cascade::DateTime> store_date(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return cascade::parse_datetime(v.as_string());
}

template <class IdT>
std::vector<std::int64_t> values(const std::optional<std::vector<IdT>>& v) {
  std::vector<std::int64_t> out;
  if (v)
    for (auto id : *v) out.push_back(id.value());
  return out;
}

std::vector<std::int64_t> values(const json::value& v) {
  std::vector<std::int64_t> out;
  for (const auto& x : v.as_array()) out.push_back(x.as_int64());
  return out;
}

struct Everything {
  std::vector<classic::Goal> goals;
  std::vector<classic::Task> tasks;
  std::vector<classic::Issue> issues;
  std::vector<classic::Update> updates;
};

asio::awaitable<Everything> read_everything(classic::Client& c) {
  Everything all;
  classic::GoalsQuery gq;
  gq.limit = 4;  // several pages, so both wrapper keys of the mixed dialect occur
  all.goals = co_await c.get_goals(gq);
  classic::TasksQuery tq;
  tq.limit = 5;
  all.tasks = co_await c.get_tasks(tq);
  all.issues = co_await c.get_issues();
  all.updates = co_await c.get_updates();
  co_return all;
}

}  // namespace

TEST_F(ClassicEmu, EveryOperationOfEveryRecordType) {
  expect_bodies = true;
  const auto goals_before = emu.e.store().count(emu::ClassicKind::goal);
  run([&](classic::Client& c) -> asio::awaitable<void> {
    // Goals
    auto g = goal_create("ARR to $12M");
    g.direct_focus_area_ids = std::vector<classic::FocusAreaId>{classic::FocusAreaId(11)};
    g.status = classic::GoalStatus::Approved;
    g.tracking_type = classic::TrackingType::Manual;
    g.initial = 2;
    g.target = 12;
    g.is_private = true;
    const auto goal = co_await c.create_goal(g);
    EXPECT_GT(goal.id.value(), 1000);
    EXPECT_EQ(goal.action, "Increase");
    EXPECT_EQ(goal.title, "Increase ARR to $12M");
    EXPECT_EQ(goal.is_private, true);
    EXPECT_EQ(goal.creator_id, classic::UserId(1));  // the token's user
    EXPECT_EQ(goal.status, classic::GoalStatus::Approved);
    EXPECT_EQ(values(goal.direct_focus_area_ids), std::vector<std::int64_t>{11});
    EXPECT_EQ(goal.start_time, cascade::DateTime(2025y / March / 1));

    const auto read = co_await c.get_goal(goal.id);
    EXPECT_EQ(read, goal);
    classic::GoalUpdate gu;
    gu.progress = 7.5;
    gu.details = "ARR to $13M";
    const auto updated = co_await c.update_goal(goal.id, gu);
    EXPECT_EQ(updated.progress, 7.5);
    EXPECT_EQ(updated.title, "Increase ARR to $13M");
    const auto reread = co_await c.get_goal(goal.id);
    EXPECT_EQ(reread.details, "ARR to $13M");

    // A second create gets the next ID.
    const auto nps = goal_create("NPS to 60");
    const auto goal2 = co_await c.create_goal(nps);
    EXPECT_EQ(goal2.id.value(), goal.id.value() + 1);

    classic::GoalsQuery gq;
    gq.ids = {goal.id, goal2.id};
    const auto page = co_await c.get_goals_page(gq, 1);
    if (page.items.size() != 2u) {
      ADD_FAILURE() << page.items.size();
      co_return;
    }
    EXPECT_EQ(page.items[0].id, goal.id);
    EXPECT_EQ(page.offset, 1);
    const auto all = co_await c.get_goals();
    EXPECT_EQ(all.size(), emu.e.store().count(emu::ClassicKind::goal));

    // Tasks
    classic::TaskCreate tc;
    tc.task = "Hire two AEs";
    tc.goal_id = goal.id;
    tc.comment = "EMEA first";
    tc.start_date = cascade::DateTime(2025y / April / 1);
    tc.due_date = cascade::DateTime(2025y / June / 30);
    tc.weight_id = 1;
    const auto task = co_await c.create_task(tc);
    EXPECT_EQ(task.task, "Hire two AEs");
    EXPECT_EQ(task.goal_id, goal.id);
    EXPECT_EQ(task.is_complete, false);
    EXPECT_EQ(task.due_date, cascade::DateTime(2025y / June / 30));
    classic::TaskUpdate tu;
    tu.is_complete = true;
    const auto done = co_await c.update_task(task.id, tu);
    EXPECT_EQ(done.is_complete, true);
    EXPECT_TRUE(done.completed_at.has_value());
    EXPECT_EQ(done.completed_user_id, classic::UserId(1));
    const auto aw1 = co_await c.get_task(task.id);
    EXPECT_EQ(aw1.is_complete, true);
    classic::TasksQuery tq;
    tq.extra_filters.add("goal_id", goal.id.str());
    const auto tasks = co_await c.get_tasks(tq);
    if (tasks.size() != 1u) {
      ADD_FAILURE() << tasks.size();
      co_return;
    }
    EXPECT_EQ(tasks[0].id, task.id);
    const auto aw2 = co_await c.get_tasks_page(classic::TasksQuery{}, 1);
    EXPECT_EQ(aw2.items.size(),
              std::min<std::size_t>(100, emu.e.store().count(emu::ClassicKind::task)));
    // The goal lists its task now.
    const auto aw3 = co_await c.get_goal(goal.id);
    EXPECT_EQ(values(aw3.task_ids), std::vector<std::int64_t>{task.id.value()});

    // Issues (risks)
    classic::IssueCreate ic;
    ic.issue = "Hiring market is tight";
    ic.goal_id = goal.id;
    ic.is_critical = true;
    ic.custom_attributes.emplace();
    ic.custom_attributes->emplace(std::string("CA1573011281053"), json::value(4));
    const auto issue = co_await c.create_issue(ic);
    EXPECT_EQ(issue.is_critical, true);
    EXPECT_EQ(issue.is_resolved, false);
    EXPECT_EQ(issue.custom_attributes->at("CA1573011281053"), json::value(4));
    classic::IssueUpdate iu;
    iu.is_resolved = true;
    iu.custom_attributes.emplace();
    iu.custom_attributes->emplace(std::string("CA1573011296755"), json::value(2));
    const auto resolved = co_await c.update_issue(issue.id, iu);
    EXPECT_EQ(resolved.is_resolved, true);
    EXPECT_EQ(resolved.custom_attributes->size(), 2u);  // only the keys given change
    const auto aw4 = co_await c.get_issue(issue.id);
    EXPECT_EQ(aw4.is_resolved, true);
    classic::IssuesQuery iq;
    iq.ids = {issue.id};
    const auto aw5 = co_await c.get_issues(iq);
    EXPECT_EQ(aw5.size(), 1u);
    const auto ipage = co_await c.get_issues_page(iq, 1);
    EXPECT_EQ(ipage.items.at(0).issue, "Hiring market is tight");

    // Updates
    classic::UpdateCreate uc;
    uc.comment = "Two offers out";
    uc.goal_id = goal.id;
    const auto upd = co_await c.create_update(uc);
    EXPECT_EQ(upd.comment, "Two offers out");
    EXPECT_EQ(upd.user_id, classic::UserId(1));
    classic::UpdateUpdate uu;
    uu.comment = "Both accepted";
    const auto uu1 = co_await c.update_update(upd.id, uu);
    EXPECT_EQ(uu1.comment, "Both accepted");
    const auto uu2 = co_await c.get_update(upd.id);
    EXPECT_EQ(uu2.comment, "Both accepted");
    classic::UpdatesQuery uq;
    uq.extra_filters.add("goal_id", goal.id.str());
    const auto aw6 = co_await c.get_updates(uq);
    EXPECT_EQ(aw6.size(), 1u);
    const auto aw7 = co_await c.get_updates_page(uq, 1);
    EXPECT_EQ(aw7.items.size(), 1u);

    // Deletes: 204 without a body in the canonical dialect.
    const auto d1 = co_await c.delete_update(upd.id);
    EXPECT_EQ(d1.http_status, 204);
    const auto aw8 = co_await c.delete_issue(issue.id);
    EXPECT_EQ(aw8.http_status, 204);
    const auto aw9 = co_await c.delete_task(task.id);
    EXPECT_EQ(aw9.http_status, 204);
    const auto aw10 = co_await c.delete_goal(goal2.id);
    EXPECT_EQ(aw10.http_status, 204);
    try {
      (void)co_await c.get_task(task.id);
      ADD_FAILURE() << "deleted task still readable";
    } catch (const Error& e) {
      EXPECT_EQ(e.detail().http_status, 404);
    }
    // Deleting a goal deletes what hangs off it.
    classic::TaskCreate orphan;
    orphan.task = "Orphan";
    orphan.goal_id = goal.id;
    const auto t2 = co_await c.create_task(orphan);
    (void)co_await c.delete_goal(goal.id);
    EXPECT_FALSE(emu.e.store().record(emu::ClassicKind::task, t2.id.value()).has_value());
  });
  EXPECT_EQ(emu.e.store().count(emu::ClassicKind::goal), goals_before);
}

TEST_F(ClassicEmu, CompletionTokenInterfaceAndHttp) {
  expect_bodies = true;
  asio::io_context io;
  auto cfg = emu.classic_config(/*tls=*/false);  // plain HTTP listener
  classic::Client c(io.get_executor(), cfg);
  const auto first_goal = classic::GoalId(emu.e.store().ids(emu::ClassicKind::goal).front());
  auto goal = c.async_get_goal(first_goal, asio::use_future);
  auto task = c.async_create_task(classic::TaskCreate{.task = "Via a future", .goal_id = first_goal}, asio::use_future);
  auto pager = c.goals(classic::GoalsQuery{.limit = 5});
  auto page = pager.async_next(asio::use_future);
  io.run();
  EXPECT_EQ(goal.get().id, first_goal);
  EXPECT_EQ(task.get().task, "Via a future");
  EXPECT_EQ(page.get()->items.size(), 5u);
}

TEST_F(ClassicEmu, GoalAlignmentAndDerivedFields) {
  expect_bodies = true;
  run([&](classic::Client& c) -> asio::awaitable<void> {
    auto pg = goal_create("parent");
    pg.direct_focus_area_ids = std::vector<classic::FocusAreaId>{classic::FocusAreaId(12), classic::FocusAreaId(11)};
    const auto parent = co_await c.create_goal(pg);
    auto cg = goal_create("child");
    cg.aligned_to_ids = std::vector<classic::GoalId>{parent.id};
    const auto child = co_await c.create_goal(cg);
    EXPECT_EQ(values(child.inherited_focus_area_ids), (std::vector<std::int64_t>{11, 12}));
    EXPECT_EQ(values(child.ancestor_ids), std::vector<std::int64_t>{parent.id.value()});
    const auto p = co_await c.get_goal(parent.id);
    EXPECT_EQ(values(p.aligned_from_ids), std::vector<std::int64_t>{child.id.value()});
    EXPECT_EQ(values(p.descendant_ids), std::vector<std::int64_t>{child.id.value()});

    // aligned_from_ids on the parent moves the link: a second child in, the first out.
    const auto og = goal_create("other");
    const auto other = co_await c.create_goal(og);
    classic::GoalUpdate gu;
    gu.aligned_from_ids = std::vector<classic::GoalId>{other.id};
    const auto p2 = co_await c.update_goal(parent.id, gu);
    EXPECT_EQ(values(p2.aligned_from_ids), std::vector<std::int64_t>{other.id.value()});
    const auto aw11 = co_await c.get_goal(child.id);
    EXPECT_TRUE(values(aw11.aligned_to_ids).empty());

    // A cycle is refused with 422 naming the field.
    classic::GoalUpdate cyc;
    cyc.aligned_to_ids = std::vector<classic::GoalId>{other.id};
    try {
      (void)co_await c.update_goal(parent.id, cyc);
      ADD_FAILURE() << "cycle accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.detail().http_status, 422);
      EXPECT_EQ(e.condition(), errc::unprocessable);
      EXPECT_NE(std::string(e.what()).find("goal.aligned_to_ids"), std::string::npos) << e.what();
    }
    // Direct focus areas only on top-level goals.
    classic::GoalUpdate fa;
    fa.direct_focus_area_ids = std::vector<classic::FocusAreaId>{classic::FocusAreaId(11)};
    try {
      (void)co_await c.update_goal(other.id, fa);
      ADD_FAILURE() << "focus areas on a child goal accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.detail().http_status, 422);
      EXPECT_NE(std::string(e.what()).find("direct_focus_area_ids"), std::string::npos) << e.what();
    }
  });
}

TEST_F(ClassicEmu, CanonicalDecodingMatchesTheEmulatorsOwnJson) {
  const auto all = run([&](classic::Client& c) { return read_everything(c); });
  emu.e.store().read([&](const emu::CascadeData& d) {
    ASSERT_EQ(all.goals.size(), d.goals.size());
    ASSERT_EQ(all.tasks.size(), d.tasks.size());
    ASSERT_EQ(all.issues.size(), d.issues.size());
    ASSERT_EQ(all.updates.size(), d.updates.size());
    for (std::size_t i = 0; i < d.goals.size(); ++i) {
      const auto& s = d.goals[i];
      const auto& g = all.goals[i];
      EXPECT_EQ(g.id.value(), s.at("id").as_int64());
      EXPECT_EQ(g.action, std::string(s.at("action").as_string()));
      EXPECT_EQ(g.status->str(), std::string(s.at("status").as_string()));
      EXPECT_EQ(g.is_private, s.at("is_private").as_int64() == 1);
      EXPECT_EQ(g.weight_id, s.at("weight_id").as_int64());
      EXPECT_EQ(g.role_id->value(), s.at("role_id").as_int64());
      EXPECT_EQ(g.start_time, store_date(s.at("start_time")));
      EXPECT_EQ(g.created_at, store_date(s.at("created_at")));
      EXPECT_EQ(values(g.direct_focus_area_ids), values(s.at("direct_focus_area_ids")));
      EXPECT_EQ(values(g.aligned_to_ids), values(s.at("aligned_to_ids")));
      EXPECT_EQ(g.target, s.at("target").to_number<double>());
    }
    for (std::size_t i = 0; i < d.tasks.size(); ++i) {
      const auto& s = d.tasks[i];
      const auto& t = all.tasks[i];
      EXPECT_EQ(t.id.value(), s.at("id").as_int64());
      EXPECT_EQ(t.task, std::string(s.at("task").as_string()));
      EXPECT_EQ(t.goal_id->value(), s.at("goal_id").as_int64());
      EXPECT_EQ(t.is_complete, s.at("is_complete").as_int64() == 1);
      EXPECT_EQ(t.due_date, store_date(s.at("due_date")));
      EXPECT_EQ(t.completed_at, store_date(s.at("completed_at")));
      if (s.at("comment").is_null()) EXPECT_FALSE(t.comment.has_value());
    }
    for (std::size_t i = 0; i < d.issues.size(); ++i) {
      const auto& s = d.issues[i];
      const auto& x = all.issues[i];
      EXPECT_EQ(x.is_critical, s.at("is_critical").as_int64() == 1);
      ASSERT_TRUE(x.custom_attributes.has_value());
      for (const auto& [k, v] : s.at("custom_attributes").as_object()) EXPECT_EQ(x.custom_attributes->at(k), v);
    }
    for (std::size_t i = 0; i < d.updates.size(); ++i) {
      EXPECT_EQ(all.updates[i].comment, std::string(d.updates[i].at("comment").as_string()));
      EXPECT_EQ(all.updates[i].deleted, false);
    }
  });
}

TEST_F(ClassicEmu, EveryDialectDecodesToTheSameRecords) {
  auto normal = [](Everything a) {
    for (auto& x : a.goals) clear_date_only(x);
    for (auto& x : a.tasks) clear_date_only(x);
    for (auto& x : a.issues) clear_date_only(x);
    for (auto& x : a.updates) clear_date_only(x);
    return a;
  };
  const auto canonical = normal(run([&](classic::Client& c) { return read_everything(c); }));
  for (auto d : {emu::ClassicDialect::swagger, emu::ClassicDialect::mixed}) {
    SCOPED_TRACE(std::string(emu::to_string(d)));
    emu.e.set_dialect(d);
    const auto other = normal(run([&](classic::Client& c) { return read_everything(c); }));
    ASSERT_EQ(other.goals.size(), canonical.goals.size());
    for (std::size_t i = 0; i < canonical.goals.size(); ++i) EXPECT_EQ(other.goals[i], canonical.goals[i]) << i;
    ASSERT_EQ(other.tasks.size(), canonical.tasks.size());
    for (std::size_t i = 0; i < canonical.tasks.size(); ++i) EXPECT_EQ(other.tasks[i], canonical.tasks[i]) << i;
    EXPECT_EQ(other.issues, canonical.issues);
    EXPECT_EQ(other.updates, canonical.updates);
  }
}

TEST_F(ClassicEmu, TheMixedDialectReallySendsTheVariedForms) {
  emu.e.set_dialect(emu::ClassicDialect::mixed);
  // Read the raw bodies through the client's transport.
  const auto bodies = run([&](classic::Client& c) -> asio::awaitable<std::vector<json::value>> {
    std::vector<json::value> out;
    for (const char* path : {"/goals", "/tasks", "/issues", "/updates"}) {
      for (int offset : {1, 2}) {
        wrike_cascade::net::Params p;
        p.add("offset", std::to_string(offset));
        p.add("limit", "20");
        auto resp = co_await c.http().request(wrike_cascade::net::Request::get(path, p));
        out.push_back(resp.body);
      }
    }
    co_return out;
  });
  std::set<std::string> forms;
  std::set<std::string> keys;
  for (const auto& b : bodies) {
    for (const auto& [key, list] : b.as_object()) {
      keys.insert(std::string(key));
      if (!list.is_array()) continue;
      for (const auto& rec : list.as_array()) {
        for (const auto& [k, v] : rec.as_object()) {
          const std::string name(k);
          if (name == "id") forms.insert(v.is_string() ? "id:string" : "id:number");
          if (name == "is_complete" || name == "is_private" || name == "is_critical")
            forms.insert(v.is_bool() ? "bool:bool" : v.is_string() ? "bool:" + std::string(v.as_string()) : "bool:int");
          if (name == "created_at" || name == "updated_at") {
            if (v.is_int64()) forms.insert("date:unix");
            else if (v.is_string() && v.as_string().find('+') != json::string::npos) forms.insert("date:offset");
            else if (v.is_string() && v.as_string().size() == 19) forms.insert("date:sql");
            else if (v.is_string() && v.as_string().find('T') == json::string::npos) forms.insert("date:unix-string");
            else forms.insert("date:iso");
          }
          if (name == "custom_attributes" && v.is_array()) forms.insert("ca:[]");
          if ((name == "target" || name == "initial") && v.is_string()) forms.insert("number:string");
          if ((name == "role_id" || name == "completed_at") && v.is_string() && v.as_string().empty()) forms.insert("empty");
        }
      }
    }
  }
  for (const char* f : {"id:string", "id:number", "bool:bool", "bool:1", "bool:0", "bool:int", "date:unix", "date:offset",
                        "date:sql", "date:unix-string", "date:iso", "ca:[]", "number:string", "empty"})
    EXPECT_TRUE(forms.count(f)) << "the mixed dialect sent no " << f;
  for (const char* k : {"goals", "goal", "tasks", "task", "meta"}) EXPECT_TRUE(keys.count(k)) << k;
}

TEST_F(ClassicEmu, SwaggerDialectWriteShapes) {
  expect_bodies = true;
  emu.e.set_dialect(emu::ClassicDialect::swagger);
  const auto goal_id = classic::GoalId(emu.e.store().ids(emu::ClassicKind::goal).front());
  run([&](classic::Client& c) -> asio::awaitable<void> {
    // POST /tasks answers 200 {"tasks": {...}}.
    classic::TaskCreate tc;
    tc.task = "Swagger task";
    tc.goal_id = goal_id;
    const auto task = co_await c.create_task(tc);
    EXPECT_EQ(task.task, "Swagger task");
    // POST /issues answers the id as a string; PUT /issues answers 201 without it.
    classic::IssueCreate ic;
    ic.issue = "Risky";
    ic.goal_id = goal_id;
    const auto issue = co_await c.create_issue(ic);
    EXPECT_TRUE(issue.id.valid());
    classic::IssueUpdate iu;
    iu.is_critical = true;
    const auto updated = co_await c.update_issue(issue.id, iu);
    EXPECT_EQ(updated.id, issue.id);
    EXPECT_EQ(updated.is_critical, true);
    classic::UpdateCreate uc;
    uc.comment = "string id";
    uc.goal_id = goal_id;
    const auto upd = co_await c.create_update(uc);
    EXPECT_TRUE(upd.id.valid());
    // DELETE answers {"message","code","status"}.
    const auto del = co_await c.delete_task(task.id);
    EXPECT_EQ(del.http_status, 200);
    EXPECT_EQ(del.status, "success");
    EXPECT_TRUE(del.message.has_value());
  });
  // What the emulator really sent for the POST /issues.
  const auto recs = emu.e.request_bodies();
  EXPECT_TRUE(std::any_of(recs.begin(), recs.end(), [](const auto& r) { return r.path == "/api/v2/tasks" && r.status == 200; }));
}

TEST_F(ClassicEmu, PagesAcrossManyPagesInBothOffsetModes) {
  const auto goal = emu.e.store().ids(emu::ClassicKind::goal).front();
  for (int i = 0; i < 250; ++i) emu.e.store().add_task(goal, json::object{{"task", "bulk " + std::to_string(i)}});
  const auto expected = emu.e.store().ids(emu::ClassicKind::task);
  ASSERT_GT(expected.size(), 250u);

  for (bool rows : {false, true}) {
    SCOPED_TRACE(rows ? "row offsets" : "page numbers");
    emu.e.set_offset_mode(rows ? emu::ClassicOffsetMode::row_offset : emu::ClassicOffsetMode::page_number);
    emu.e.server().reset_log();
    auto cfg = emu.classic_config();
    cfg.page_size = 7;
    if (rows) {
      cfg.offset_mode = classic::OffsetMode::row_offset;
      cfg.first_offset = 0;
    }
    const auto got = run(
        [&](classic::Client& c) -> asio::awaitable<std::vector<std::int64_t>> {
          std::vector<std::int64_t> ids;
          auto pager = c.tasks();
          while (auto page = co_await pager.next())
            for (const auto& t : page->items) ids.push_back(t.id.value());
          co_return ids;
        },
        cfg);
    EXPECT_EQ(got, expected);
    const std::size_t pages = expected.size() / 7 + 1;  // the last page is short (or empty)
    EXPECT_EQ(emu.e.server().count("GET", "/api/v2/tasks"), pages);
  }
}

TEST_F(ClassicEmu, FiltersNarrowTheLists) {
  std::map<std::string, std::size_t> by_status;
  std::size_t role_101 = 0;
  emu.e.store().read([&](const emu::CascadeData& d) {
    for (const auto& g : d.goals) {
      ++by_status[std::string(g.at("status").as_string())];
      role_101 += g.at("role_id") == json::value(101);
    }
  });
  run([&](classic::Client& c) -> asio::awaitable<void> {
    for (auto [status, wire] : {std::pair{classic::GoalStatus::Approved, "APPRO"}, std::pair{classic::GoalStatus::Draft, "DRAFT"},
                                std::pair{classic::GoalStatus::Archived, "ARCHI"}}) {
      classic::GoalsQuery q;
      q.status = status;
      const auto list = co_await c.get_goals(q);
      EXPECT_EQ(list.size(), by_status[wire]) << wire;
      for (const auto& g : list) EXPECT_EQ(g.status, status);
    }
    classic::GoalsQuery rq;
    rq.role_id = classic::RoleId(101);
    const auto aw12 = co_await c.get_goals(rq);
    EXPECT_EQ(aw12.size(), role_101);
    classic::GoalsQuery aq;
    aq.action = "increase";
    const auto increasing = co_await c.get_goals(aq);
    for (const auto& g : increasing) EXPECT_EQ(g.action, "Increase");
    classic::TasksQuery done;
    done.extra_filters.add("is_complete", "1");
    const auto done_tasks = co_await c.get_tasks(done);
    for (const auto& t : done_tasks) EXPECT_EQ(t.is_complete, true);
  });
}

// ---- errors -------------------------------------------------------------------------------

template <class F>
Error expect_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(errc::success, "");
}

TEST_F(ClassicEmu, Unauthorized401) {
  auto cfg = emu.classic_config();
  cfg.token = "not-a-token";
  const auto e = expect_error([&] { run([](classic::Client& c) { return c.get_goals(); }, cfg); });
  EXPECT_EQ(e.condition(), errc::unauthorized);
  EXPECT_EQ(e.detail().http_status, 401);
  EXPECT_EQ(e.detail().api_error, "unauthorized");
  const std::string what = e.what();
  EXPECT_NE(what.find("HTTP 401"), std::string::npos) << what;
  EXPECT_NE(what.find("API token is not valid"), std::string::npos) << what;
  EXPECT_EQ(what.find("not-a-token"), std::string::npos) << "the token leaked: " << what;

  const auto good = emu.classic_config();
  emu.e.revoke_classic_token(good.token);
  const auto r = expect_error([&] { run([](classic::Client& c) { return c.get_tasks(); }, good); });
  EXPECT_EQ(r.detail().http_status, 401);
}

TEST_F(ClassicEmu, Forbidden403WithoutTheScope) {
  emu.e.add_classic_token(emu::ClassicToken{"goals-only", 2, {"Goals"}});
  auto cfg = emu.classic_config();
  cfg.token = "goals-only";
  EXPECT_FALSE(run([](classic::Client& c) { return c.get_goals(); }, cfg).empty());
  const auto e = expect_error([&] { run([](classic::Client& c) { return c.get_tasks(); }, cfg); });
  EXPECT_EQ(e.condition(), errc::forbidden);
  const std::string what = e.what();
  EXPECT_NE(what.find("HTTP 403"), std::string::npos) << what;
  EXPECT_NE(what.find("Tasks scope"), std::string::npos) << what;
}

TEST_F(ClassicEmu, NotFound404) {
  const auto e = expect_error([&] { run([](classic::Client& c) { return c.get_goal(classic::GoalId(999999)); }); });
  EXPECT_EQ(e.condition(), errc::not_found);
  EXPECT_NE(std::string(e.what()).find("HTTP 404 not_found (Goal 999999 not found)"), std::string::npos) << e.what();
  const auto d = expect_error([&] { run([](classic::Client& c) { return c.delete_update(classic::UpdateId(5)); }); });
  EXPECT_EQ(d.detail().http_status, 404);
}

TEST_F(ClassicEmu, Unprocessable422NamesTheField) {
  expect_bodies = true;
  const auto e = expect_error([&] {
    run([](classic::Client& c) { return c.create_task(classic::TaskCreate{.task = "Lost", .goal_id = classic::GoalId(424242)}); });
  });
  EXPECT_EQ(e.condition(), errc::unprocessable);
  const std::string what = e.what();
  EXPECT_NE(what.find("HTTP 422"), std::string::npos) << what;
  EXPECT_NE(what.find("task.goal_id refers to goal 424242 that does not exist"), std::string::npos) << what;
}

TEST_F(ClassicEmu, TooManyRequests429IsRetriedThenReported) {
  emu.e.server().add_fault(emu::FaultRule::too_many_requests().on("GET", "/api/v2/goals").repeat(2));
  EXPECT_FALSE(run([](classic::Client& c) { return c.get_goals(); }).empty());
  EXPECT_EQ(emu.e.server().count_status(429), 2u);

  emu.e.server().add_fault(emu::FaultRule::too_many_requests().on("GET", "/api/v2/goals").forever());
  auto cfg = emu.classic_config();
  cfg.retry.max_attempts = 3;
  const auto e = expect_error([&] { run([](classic::Client& c) { return c.get_goals(); }, cfg); });
  emu.e.server().clear_faults();
  EXPECT_EQ(e.condition(), errc::rate_limited);
  EXPECT_EQ(e.detail().attempts, 3);
  const std::string what = e.what();
  EXPECT_NE(what.find("HTTP 429 too_many_requests"), std::string::npos) << what;

  // The server's own rate limit, with Retry-After.
  emu.e.server().set_rate_limit({.max_requests = 2, .window = 60s, .send_retry_after = true});
  auto once = emu.classic_config();
  once.retry.retry_on_429 = false;
  const auto r = expect_error([&] {
    run(
        [](classic::Client& c) -> asio::awaitable<void> {
          for (int i = 0; i < 3; ++i) (void)co_await c.get_goals_page({}, 1);
        },
        once);
  });
  emu.e.server().set_rate_limit({.max_requests = 0});
  EXPECT_EQ(r.detail().http_status, 429);
  ASSERT_TRUE(r.detail().retry_after.has_value());
  EXPECT_GE(r.detail().retry_after->count(), 1000);
}

TEST_F(ClassicEmu, ServerErrors5xx) {
  expect_bodies = true;
  // A GET is retried past a 503 and a 502.
  emu.e.server().add_fault(emu::FaultRule::http_status(503).on("GET", "/api/v2/tasks").repeat(1));
  emu.e.server().add_fault(emu::FaultRule::http_status(502).on("GET", "/api/v2/tasks").repeat(1));
  EXPECT_FALSE(run([](classic::Client& c) { return c.get_tasks(); }).empty());
  EXPECT_EQ(emu.e.server().count_status(503), 1u);

  // A POST is not: the create is reported, not repeated, and nothing was created.
  const auto before = emu.e.store().count(emu::ClassicKind::task);
  emu.e.server().add_fault(emu::FaultRule::http_status(500).on("POST", "/api/v2/tasks").repeat(1));
  const auto goal = classic::GoalId(emu.e.store().ids(emu::ClassicKind::goal).front());
  const auto e = expect_error([&] {
    run([&](classic::Client& c) { return c.create_task(classic::TaskCreate{.task = "x", .goal_id = goal}); });
  });
  EXPECT_EQ(e.condition(), errc::server_error);
  EXPECT_EQ(e.detail().attempts, 1);
  EXPECT_NE(std::string(e.what()).find("HTTP 500"), std::string::npos) << e.what();
  EXPECT_EQ(emu.e.server().count("POST", "/api/v2/tasks"), 1u);
  EXPECT_EQ(emu.e.store().count(emu::ClassicKind::task), before);

  // A PUT is retried (idempotent).
  const auto task = classic::TaskId(emu.e.store().ids(emu::ClassicKind::task).front());
  emu.e.server().add_fault(emu::FaultRule::http_status(504).on("PUT", "/api/v2/tasks").repeat(1));
  classic::TaskUpdate tu;
  tu.comment = "after a 504";
  EXPECT_EQ(run([&](classic::Client& c) { return c.update_task(task, tu); }).comment, "after a 504");
}
