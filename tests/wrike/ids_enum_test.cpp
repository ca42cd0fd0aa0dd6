#include <wrike/ids.hpp>
#include <wrike/model.hpp>
#include <wrike_cascade/error.hpp>

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_set>

namespace {

using wrike::OpenEnum;

TEST(WrikeIds, AreStrongOpaqueAndCaseSensitive) {
  static_assert(!std::is_convertible_v<wrike::TaskId, wrike::FolderId>);
  static_assert(!std::is_convertible_v<std::string, wrike::TaskId>);  // explicit only
  const wrike::TaskId legacy{"IEAGJJFWKRMLJ433"};
  const wrike::TaskId new_style{"MAAAAAEOud3s"};
  EXPECT_EQ(legacy.str(), "IEAGJJFWKRMLJ433");
  EXPECT_NE(wrike::TaskId{"maaaaaeoud3s"}, new_style);
  EXPECT_EQ(wrike::TaskId{"MAAAAAEOud3s"}, new_style);
  EXPECT_LT(legacy, new_style);  // byte order
  std::ostringstream os;
  os << new_style;
  EXPECT_EQ(os.str(), "MAAAAAEOud3s");
}

TEST(WrikeIds, AreHashableAndOrdered) {
  std::unordered_set<wrike::ContactId> hashed{wrike::ContactId{"KUATMOGX"}, wrike::ContactId{"IEAGJJFWJEASM4KC"},
                                              wrike::ContactId{"KUATMOGX"}};
  EXPECT_EQ(hashed.size(), 2u);
  std::set<wrike::FolderId> ordered{wrike::FolderId{"b"}, wrike::FolderId{"a"}};
  EXPECT_EQ(ordered.begin()->str(), "a");
}

TEST(WrikeIds, ValidityFollowsTheDocumentedAlphabet) {
  EXPECT_TRUE(wrike::is_valid_id("IEAGJJFWKRMLJ433"));
  EXPECT_TRUE(wrike::is_valid_id("MgAAAAEFzzdeMwAAAAEFzzdb"));
  EXPECT_TRUE(wrike::is_valid_id("a-b_c:d.e="));
  EXPECT_TRUE(wrike::is_valid_id(std::string(256, 'A')));
  EXPECT_FALSE(wrike::is_valid_id(std::string(257, 'A')));
  EXPECT_FALSE(wrike::is_valid_id(""));
  EXPECT_FALSE(wrike::is_valid_id("a/b"));
  EXPECT_FALSE(wrike::is_valid_id("a b"));
  EXPECT_FALSE(wrike::is_valid_id("a,b"));
  EXPECT_FALSE(wrike::is_valid_id("é"));
}

TEST(WrikeIds, JsonConversions) {
  const auto id = boost::json::value_to<wrike::TaskId>(boost::json::value("MAAAAAEOud3s"));
  EXPECT_EQ(id.str(), "MAAAAAEOud3s");
  EXPECT_EQ(boost::json::value_from(id), boost::json::value("MAAAAAEOud3s"));
  EXPECT_THROW(boost::json::value_to<wrike::TaskId>(boost::json::value(5)), wrike_cascade::Error);
  EXPECT_THROW(boost::json::value_to<wrike::TaskId>(boost::json::value("a/b")), wrike_cascade::Error);
}

TEST(WrikeOpenEnum, KnownValues) {
  const OpenEnum<wrike::TaskStatus> s{"Completed"};
  EXPECT_TRUE(s.known());
  EXPECT_EQ(s.value(), wrike::TaskStatus::Completed);
  EXPECT_EQ(s, wrike::TaskStatus::Completed);
  EXPECT_NE(s, wrike::TaskStatus::Active);
  EXPECT_EQ(s.str(), "Completed");
  const OpenEnum<wrike::TaskStatus> from_enum = wrike::TaskStatus::Completed;
  EXPECT_EQ(from_enum, s);
  EXPECT_EQ(from_enum.str(), "Completed");
}

TEST(WrikeOpenEnum, UnknownValuesKeepTheirText) {
  const OpenEnum<wrike::ContactType> c{"Bot"};
  EXPECT_FALSE(c.known());
  EXPECT_EQ(c.value(), wrike::ContactType::Unknown);
  EXPECT_EQ(c, wrike::ContactType::Unknown);
  EXPECT_NE(c, wrike::ContactType::Person);
  EXPECT_EQ(c.str(), "Bot");
  EXPECT_NE(c, (OpenEnum<wrike::ContactType>{"Robot"}));
  EXPECT_NE(c, (OpenEnum<wrike::ContactType>{"bot"}));  // case-sensitive
  EXPECT_EQ(c, (OpenEnum<wrike::ContactType>{"Bot"}));
  std::ostringstream os;
  os << c << ' ' << wrike::ContactType::Group;
  EXPECT_EQ(os.str(), "Bot Group");
  const OpenEnum<wrike::ContactType> def;
  EXPECT_FALSE(def.known());
  EXPECT_EQ(def.str(), "");
}

TEST(WrikeOpenEnum, EveryEnumeratorHasItsWireName) {
  using CFT = wrike::CustomFieldType;
  for (const char* name : {"Text", "DropDown", "Numeric", "Currency", "Percentage", "Date", "Duration", "Checkbox",
                           "Contacts", "Multiple", "CalculatedNumeric", "CalculatedDate", "LinkToDatabase"}) {
    const OpenEnum<CFT> t{name};
    EXPECT_TRUE(t.known()) << name;
    EXPECT_EQ(wrike::wire_name(t.value()), name);
  }
  for (const char* name : {"WsRoot", "RbRoot", "WsFolder", "RbFolder", "WsTask", "RbTask"})
    EXPECT_TRUE(OpenEnum<wrike::Scope>{name}.known()) << name;
  for (const char* name : {"Green", "Yellow", "Red", "Completed", "OnHold", "Cancelled", "Custom"})
    EXPECT_TRUE(OpenEnum<wrike::ProjectStatus>{name}.known()) << name;
  for (const char* name : {"Person", "Group", "Asset", "Robot", "Invitation"})
    EXPECT_TRUE(OpenEnum<wrike::ContactType>{name}.known()) << name;
  for (const char* name : {"Backlog", "Milestone", "Planned"})
    EXPECT_TRUE(OpenEnum<wrike::TaskDatesType>{name}.known()) << name;
  for (const char* name : {"High", "Normal", "Low"}) EXPECT_TRUE(OpenEnum<wrike::Importance>{name}.known()) << name;
  for (const char* name : {"Active", "Completed", "Deferred", "Cancelled"})
    EXPECT_TRUE(OpenEnum<wrike::TaskStatus>{name}.known()) << name;
  EXPECT_EQ(wrike::wire_name(wrike::TaskStatus::Unknown), "");
  EXPECT_FALSE(OpenEnum<wrike::TaskStatus>{""}.known());
}

TEST(WrikeOpenEnum, JsonConversions) {
  const auto e = boost::json::value_to<OpenEnum<wrike::CustomFieldType>>(boost::json::value("Formula"));
  EXPECT_FALSE(e.known());
  EXPECT_EQ(boost::json::value_from(e), boost::json::value("Formula"));
  EXPECT_THROW(boost::json::value_to<OpenEnum<wrike::Scope>>(boost::json::value(true)), wrike_cascade::Error);
}

}  // namespace
