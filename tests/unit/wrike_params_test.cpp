#include <wrike/client.hpp>

#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

using namespace wrike;

TEST(WrikeParams, TaskQueryEncodesOnlyWhatIsSet) {
  TasksQuery q;
  q.sub_tasks = true;
  q.page_size = 1000;
  q.status = {"Active"};
  q.fields = {"customFields", "responsibleIds"};
  q.updated_date = TimeRange{parse_timestamp("2026-01-02T03:04:05Z"), {}};
  net::Params p;
  add_params(p, q);
  std::vector<std::pair<std::string, std::string>> expected{
      {"status", "Active"},
      {"updatedDate", R"({"start":"2026-01-02T03:04:05Z"})"},
      {"subTasks", "true"},
      {"pageSize", "1000"},
      {"fields", R"(["customFields","responsibleIds"])"}};
  EXPECT_EQ(p.items(), expected);
}

TEST(WrikeParams, SeveralStatusesBecomeAJsonArray) {
  TasksQuery q;
  q.status = {"Active", "Deferred"};
  net::Params p;
  add_params(p, q);
  ASSERT_EQ(p.items().size(), 1u);
  EXPECT_EQ(p.items()[0].second, R"(["Active","Deferred"])");
}

TEST(WrikeParams, RejectsUnknownFieldsAndBadPageSizeWithClearText) {
  TasksQuery q;
  q.fields = {"descriptoin"};
  net::Params p;
  try {
    add_params(p, q);
    FAIL() << "expected an error";
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("TasksQuery.fields: 'descriptoin'"), std::string::npos) << e.what();
  }
  TasksQuery q2;
  q2.page_size = 1001;
  EXPECT_THROW(add_params(p, q2), wrike_cascade::Error);
}

TEST(WrikeParams, EmptyRangesAreRefusedBeforeWrikeDoes) {
  EXPECT_THROW(to_param(TimeRange{}), wrike_cascade::Error);
  EXPECT_EQ(to_param(DateRange{.start = parse_date("2026-03-01"), .equal = {}, .end = parse_date("2026-03-31")}),
            R"({"start":"2026-03-01","end":"2026-03-31"})");
}

TEST(WrikeConfig, FromEnvNamesTheBadVariable) {
  setenv("WRIKE_TOKEN", "t", 1);
  setenv("WRIKE_API_URL", "ftp://nope", 1);
  try {
    ClientConfig::from_env();
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_NE(std::string(e.what()).find("WRIKE_API_URL"), std::string::npos);
  }
  setenv("WRIKE_API_URL", "https://app-eu.wrike.com/api/v4", 1);
  setenv("WRIKE_CA_FILE", "/nonexistent/ca.pem", 1);
  try {
    ClientConfig::from_env();
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_NE(std::string(e.what()).find("WRIKE_CA_FILE"), std::string::npos);
  }
  unsetenv("WRIKE_CA_FILE");
  auto c = ClientConfig::from_env();
  EXPECT_EQ(c.api_url, "https://app-eu.wrike.com/api/v4");
  unsetenv("WRIKE_TOKEN");
  unsetenv("WRIKE_API_URL");
}

TEST(WrikeConfig, ClientWithoutTokenIsAConfigError) {
  boost::asio::io_context io;
  ClientConfig c;
  try {
    Client client(io.get_executor(), c);
    FAIL();
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::config_error);
    EXPECT_NE(std::string(e.what()).find("WRIKE_TOKEN"), std::string::npos);
  }
}
