#include <wrike/client.hpp>

#include <gtest/gtest.h>

using namespace wrike;

namespace {
std::map<std::string, std::string> as_map(const net::Params& p) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : p.items()) m[k] = v;
  return m;
}
}  // namespace

TEST(WrikeWrites, TaskCreateSendsDocumentedParamsWithJsonText) {
  TaskCreate t;
  t.title = "Launch";
  t.importance = "High";
  t.dates = TaskDatesInput{.type = "Planned",
                           .start = parse_local_datetime("2026-03-02"),
                           .due = parse_local_datetime("2026-03-06T17:00:00")};
  t.responsibles = {ContactId("KUAAAAA1")};
  t.custom_fields = {{CustomFieldId("IEAAAAAAJUAAAAA1"), "42"}, {CustomFieldId("IEAAAAAAJUAAAAA2"), std::nullopt}};
  t.metadata = {{"cascade_id", "123"}};
  t.custom_status = CustomStatusId("IEAAAAAAJMAAAAA1");
  auto m = as_map(to_params(t));
  EXPECT_EQ(m["title"], "Launch");
  EXPECT_EQ(m["importance"], "High");
  EXPECT_EQ(m["dates"], R"({"type":"Planned","start":"2026-03-02","due":"2026-03-06"})");
  EXPECT_EQ(m["responsibles"], R"(["KUAAAAA1"])");
  EXPECT_EQ(m["customFields"], R"([{"id":"IEAAAAAAJUAAAAA1","value":"42"},{"id":"IEAAAAAAJUAAAAA2","value":null}])");
  EXPECT_EQ(m["metadata"], R"([{"key":"cascade_id","value":"123"}])");
  EXPECT_EQ(m["customStatus"], "IEAAAAAAJMAAAAA1");
  EXPECT_EQ(m.size(), 7u);
}

TEST(WrikeWrites, TaskUpdateUsesAddRemoveForms) {
  TaskUpdate u;
  u.title = "Renamed";
  u.add_responsibles = {ContactId("KUAAAAA2")};
  u.remove_responsibles = {ContactId("KUAAAAA1")};
  u.metadata = {{"cascade_id", std::nullopt}};
  auto m = as_map(to_params(u));
  EXPECT_EQ(m["title"], "Renamed");
  EXPECT_EQ(m["addResponsibles"], R"(["KUAAAAA2"])");
  EXPECT_EQ(m["removeResponsibles"], R"(["KUAAAAA1"])");
  EXPECT_EQ(m["metadata"], R"([{"key":"cascade_id","value":null}])");
  EXPECT_EQ(m.size(), 4u);
}

TEST(WrikeWrites, FolderUpdateProjectObject) {
  FolderUpdate f;
  f.project = ProjectUpdate{.owners_add = {ContactId("KUAAAAA3")},
                            .owners_remove = {},
                            .status = "Green",
                            .custom_status_id = {},
                            .start_date = parse_date("2026-01-01"),
                            .end_date = parse_date("2026-06-30")};
  auto m = as_map(to_params(f));
  EXPECT_EQ(m["project"], R"({"ownersAdd":["KUAAAAA3"],"status":"Green","startDate":"2026-01-01","endDate":"2026-06-30"})");
}

TEST(WrikeWrites, BadInputIsRefusedWithTheFieldNamed) {
  auto expect_error = [](auto&& f, const std::string& needle) {
    try {
      f();
      ADD_FAILURE() << "no error for " << needle;
    } catch (const wrike_cascade::Error& e) {
      EXPECT_EQ(e.condition(), wrike_cascade::errc::invalid_argument);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error([] { to_params(TaskCreate{}); }, "TaskCreate.title");
  expect_error([] { to_params(TaskUpdate{}); }, "TaskUpdate changes nothing");
  expect_error([] {
    TaskUpdate u;
    u.metadata = {{"bad key!", "x"}};
    to_params(u);
  }, "metadata key 'bad key!'");
  expect_error([] {
    TaskCreate t;
    t.title = "x";
    t.custom_fields = {{CustomFieldId("IEAAAAAAJUAAAAA1"), std::string(2001, 'x')}};
    to_params(t);
  }, "at most 2000");
  expect_error([] {
    TaskUpdate u;
    u.add_responsibles = {ContactId("has space")};
    to_params(u);
  }, "TaskUpdate.add_responsibles");
}
