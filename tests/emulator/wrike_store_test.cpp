// WrikeStore: the deterministic generator, load/save, mutation helpers.
#include <wrike_cascade/emulator/wrike_store.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <unistd.h>

using namespace wrike_cascade::emulator;
namespace json = boost::json;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() /
           ("wrike-emulator-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(p);
  return p;
}

GeneratorOptions small() {
  GeneratorOptions g;
  g.seed = 42;
  g.spaces = 3;
  g.projects_per_space = 3;
  g.folders_per_space = 2;
  g.tasks_per_project = 6;
  g.tasks_per_folder = 2;
  g.subtasks_per_task = 2;
  g.contacts = 9;
  return g;
}

bool is_timestamp(std::string_view s) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  return std::regex_match(s.begin(), s.end(), re);
}
bool is_local(std::string_view s) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})");
  return std::regex_match(s.begin(), s.end(), re);
}
bool is_date(std::string_view s) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(s.begin(), s.end(), re);
}

std::string s(const json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST(WrikeStoreTest, SameSeedSameBytesOtherSeedOtherData) {
  WrikeStore a(small()), b(small());
  EXPECT_EQ(a.to_json(), b.to_json());
  auto g = small();
  g.seed = 43;
  WrikeStore c(g);
  EXPECT_NE(a.to_json(), c.to_json());
  // Regenerating in place gives the same bytes again.
  c.generate(small());
  EXPECT_EQ(a.to_json(), c.to_json());
}

TEST(WrikeStoreTest, GeneratedCountsAndStructure) {
  const auto g = small();
  WrikeStore st(g);
  const int top = g.spaces * (g.projects_per_space * g.tasks_per_project +
                              g.folders_per_space * g.tasks_per_folder);
  EXPECT_EQ(st.task_count(), static_cast<std::size_t>(top * (1 + g.subtasks_per_task)));
  st.read([&](const WrikeData& d) {
    EXPECT_EQ(d.contacts.size(), static_cast<std::size_t>(g.contacts));
    EXPECT_EQ(d.spaces.size(), static_cast<std::size_t>(g.spaces));
    // root + recycle bin + per space: the space, plain folders, projects
    EXPECT_EQ(d.folders.size(),
              2u + static_cast<std::size_t>(g.spaces * (1 + g.folders_per_space + g.projects_per_space)));
    const std::string acct = d.account_id();
    EXPECT_EQ(acct.size(), 8u);
    EXPECT_EQ(s(d.folders[0].at("id")), acct + "I7777777");
    EXPECT_EQ(s(d.folders[0].at("scope")), "WsRoot");
    EXPECT_EQ(s(d.folders[1].at("id")), acct + "I7777776");
    EXPECT_EQ(s(d.folders[1].at("scope")), "RbRoot");
    EXPECT_EQ(d.root_folder_id(), acct + "I7777777");

    // contact kinds
    std::multiset<std::string> types;
    int me = 0, deleted = 0;
    for (const auto& c : d.contacts) {
      types.insert(s(c.at("type")));
      me += c.at("me").as_bool();
      deleted += c.at("deleted").as_bool();
    }
    EXPECT_EQ(types.count("Group"), 1u);
    EXPECT_EQ(types.count("Invitation"), 1u);
    EXPECT_EQ(me, 1);
    EXPECT_EQ(deleted, 1);

    // every custom-field type
    std::set<std::string> cf_types;
    for (const auto& cf : d.custom_fields) cf_types.insert(s(cf.at("type")));
    for (auto t : {"Text", "DropDown", "Numeric", "Currency", "Percentage", "Date", "Duration",
                   "Checkbox", "Contacts", "Multiple"})
      EXPECT_TRUE(cf_types.contains(t)) << t;

    // workflows: a standard and a custom one; status ids -> group
    ASSERT_GE(d.workflows.size(), 2u);
    std::map<std::string, std::string> group;
    int standard = 0;
    for (const auto& w : d.workflows) {
      standard += w.at("standard").as_bool();
      for (const auto& status : w.at("customStatuses").as_array())
        group[s(status.at("id"))] = s(status.at("group"));
    }
    EXPECT_EQ(standard, 1);

    // ids unique, tasks consistent
    std::set<std::string> ids;
    std::map<std::string, std::string> type_of_cf;
    for (const auto& cf : d.custom_fields) type_of_cf[s(cf.at("id"))] = s(cf.at("type"));
    int subtasks = 0, new_style = 0, completed = 0;
    for (const auto& t : d.tasks) {
      const auto id = s(t.at("id"));
      EXPECT_TRUE(ids.insert(id).second) << id;
      new_style += id.starts_with("MAAAA");
      EXPECT_EQ(group.at(s(t.at("customStatusId"))), s(t.at("status")));
      EXPECT_TRUE(is_timestamp(s(t.at("createdDate"))));
      EXPECT_TRUE(is_timestamp(s(t.at("updatedDate"))));
      EXPECT_LE(s(t.at("createdDate")), s(t.at("updatedDate")));
      if (s(t.at("status")) == "Completed") {
        ++completed;
        EXPECT_TRUE(is_timestamp(s(t.at("completedDate"))));
      } else {
        EXPECT_FALSE(t.contains("completedDate"));
      }
      const auto& dates = t.at("dates").as_object();
      const auto type = s(dates.at("type"));
      if (type == "Planned") {
        EXPECT_TRUE(is_local(s(dates.at("start"))));
        EXPECT_TRUE(is_local(s(dates.at("due"))));
        EXPECT_EQ(dates.at("duration").as_int64() % 480, 0);
      } else if (type == "Milestone") {
        EXPECT_TRUE(is_local(s(dates.at("due"))));
      } else {
        EXPECT_EQ(type, "Backlog");
        EXPECT_EQ(dates.size(), 1u);
      }
      for (const auto& cf : t.at("customFields").as_array()) {
        EXPECT_TRUE(cf.at("value").is_string());  // always strings, whatever the type
        const auto ty = type_of_cf.at(s(cf.at("id")));
        const auto v = s(cf.at("value"));
        if (ty == "Multiple") {
          EXPECT_TRUE(json::parse(v).is_array()) << v;
        } else if (ty == "Checkbox") {
          EXPECT_TRUE(v == "true" || v == "false");
        } else if (ty == "Date") {
          EXPECT_TRUE(is_date(v));
        } else if (ty == "Duration") {
          EXPECT_TRUE(std::regex_match(v, std::regex(R"(\d\d:\d\d)")));
        }
      }
      if (!t.at("superTaskIds").as_array().empty()) {
        ++subtasks;
        EXPECT_EQ(s(t.at("parentIds").as_array().at(0)), d.root_folder_id());
        ASSERT_EQ(t.at("superParentIds").as_array().size(), 1u);
        const auto& parent = d.tasks[d.task_index.at(s(t.at("superTaskIds").as_array().at(0)))];
        bool listed = false;
        for (const auto& x : parent.at("subTaskIds").as_array()) listed |= x.as_string() == id;
        EXPECT_TRUE(listed);
      }
    }
    EXPECT_EQ(subtasks, top * g.subtasks_per_task);
    EXPECT_GT(new_style, 0);
    EXPECT_GT(completed, 0);

    // projects: yyyy-MM-dd dates, status consistent with the workflow
    int projects = 0;
    for (const auto& f : d.folders) {
      if (!f.contains("project")) continue;
      ++projects;
      const auto& p = f.at("project").as_object();
      if (p.contains("startDate")) {
        EXPECT_TRUE(is_date(s(p.at("startDate"))));
      }
      if (p.contains("endDate")) {
        EXPECT_TRUE(is_date(s(p.at("endDate"))));
      }
      EXPECT_TRUE(group.contains(s(p.at("customStatusId"))));
    }
    EXPECT_EQ(projects, g.spaces * g.projects_per_space);
  });
}

TEST(WrikeStoreTest, UpdatedDatesSpreadOverTheHistory) {
  WrikeStore st(small());
  std::set<std::string> months;
  st.read([&](const WrikeData& d) {
    for (const auto& t : d.tasks) months.insert(s(t.at("updatedDate")).substr(0, 7));
  });
  EXPECT_GE(months.size(), 4u);
}

TEST(WrikeStoreTest, SaveAndLoadRoundTrip) {
  WrikeStore a(small());
  const auto dir = temp_path("dir");
  a.save(dir);
  for (auto f : {"account.json", "contacts.json", "spaces.json", "folders.json", "tasks.json",
                 "customfields.json", "workflows.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  WrikeStore b;
  b.load(dir);
  EXPECT_EQ(a.to_json(), b.to_json());

  const auto file = temp_path("one.json");
  a.save(file);
  WrikeStore c;
  c.load(file);
  EXPECT_EQ(a.to_json(), c.to_json());
  std::filesystem::remove_all(dir);
  std::filesystem::remove(file);
}

TEST(WrikeStoreTest, LoadSynthesizesRootAndRecycleBin) {
  const auto dir = temp_path("min");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "folders.json") << R"({"kind":"folders","data":[
    {"id":"IEAB1234I4AAAAAA","accountId":"IEAB1234","title":"Space","parentIds":["IEAB1234I7777777"],
     "childIds":[],"scope":"WsFolder","space":true}]})";
  std::ofstream(dir / "tasks.json") << R"([{"id":"IEAB1234KQAAAAAA","accountId":"IEAB1234","title":"T",
     "status":"Active","parentIds":["IEAB1234I4AAAAAA"],"superTaskIds":[],"scope":"WsTask",
     "updatedDate":"2024-01-01T00:00:00Z","dates":{"type":"Backlog"}}])";
  WrikeStore st;
  st.load(dir);
  EXPECT_EQ(st.account_id(), "IEAB1234");
  auto root = st.folder("IEAB1234I7777777");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->at("scope"), "WsRoot");
  EXPECT_EQ(json::serialize(root->at("childIds")), R"(["IEAB1234I4AAAAAA"])");
  EXPECT_TRUE(st.folder("IEAB1234I7777776"));
  EXPECT_EQ(st.task_count(), 1u);

  std::ofstream(dir / "contacts.json") << R"({"kind":"contacts","data":[{"firstName":"no id"}]})";
  try {
    st.load(dir);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("contacts.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(WrikeStoreTest, MutationHelpers) {
  WrikeStore st(small());
  st.set_clock([] { return std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)); });
  EXPECT_EQ(st.now(), "2026-01-01T00:00:00Z");
  std::string project;
  st.read([&](const WrikeData& d) {
    for (const auto& f : d.folders)
      if (f.contains("project")) {
        project = s(f.at("id"));
        break;
      }
  });
  const auto before = st.task_count();
  const auto id = st.add_task(project, json::object{{"title", "Added"}, {"importance", "High"}});
  EXPECT_EQ(st.task_count(), before + 1);
  auto t = st.task(id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->at("title"), "Added");
  EXPECT_EQ(t->at("importance"), "High");
  EXPECT_EQ(t->at("status"), "Active");
  EXPECT_FALSE(s(t->at("customStatusId")).empty());
  EXPECT_EQ(t->at("createdDate"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(json::serialize(t->at("parentIds")), "[\"" + project + "\"]");
  EXPECT_THROW(st.add_task("nope"), std::invalid_argument);

  // a subtask links to its parent
  const auto sub = st.add_task(project, json::object{{"superTaskIds", json::array{id}}});
  EXPECT_EQ(json::serialize(st.task(id)->at("subTaskIds")), "[\"" + sub + "\"]");
  EXPECT_EQ(json::serialize(st.task(sub)->at("superParentIds")), "[\"" + project + "\"]");

  // status changes keep customStatusId and completedDate consistent
  st.set_clock([] { return std::chrono::system_clock::time_point(std::chrono::seconds(1767229200)); });
  EXPECT_TRUE(st.modify_task(id, json::object{{"status", "Completed"}}));
  t = st.task(id);
  EXPECT_EQ(t->at("status"), "Completed");
  EXPECT_EQ(t->at("completedDate"), "2026-01-01T01:00:00Z");
  EXPECT_EQ(t->at("updatedDate"), "2026-01-01T01:00:00Z");
  std::string group;
  st.read([&](const WrikeData& d) {
    for (const auto& w : d.workflows)
      for (const auto& x : w.at("customStatuses").as_array())
        if (x.at("id") == t->at("customStatusId")) group = s(x.at("group"));
  });
  EXPECT_EQ(group, "Completed");
  EXPECT_TRUE(st.modify_task(id, json::object{{"status", "Active"}, {"description", nullptr}}));
  EXPECT_FALSE(st.task(id)->contains("completedDate"));
  EXPECT_FALSE(st.task(id)->contains("description"));

  EXPECT_TRUE(st.touch_task(id, "2026-02-03T04:05:06Z"));
  EXPECT_EQ(st.task(id)->at("updatedDate"), "2026-02-03T04:05:06Z");
  EXPECT_THROW(st.touch_task(id, "2026-02-03T04:05:06.000Z"), std::invalid_argument);

  EXPECT_TRUE(st.delete_task(id));
  EXPECT_EQ(st.task(id)->at("scope"), "RbTask");
  EXPECT_EQ(json::serialize(st.task(id)->at("parentIds")), "[\"" + st.recycle_bin_id() + "\"]");
  EXPECT_FALSE(st.modify_task("nope", {}));
  EXPECT_FALSE(st.delete_task("nope"));
  EXPECT_FALSE(st.touch_task("nope"));
}
