// Typed custom-field values on hand-written definitions: every type, round trips, bad values.
#include <wrike/custom_field_value.hpp>
#include <wrike_cascade/error.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using namespace std::chrono;
using wrike::CustomField;
using wrike::CustomFieldType;

CustomField def(CustomFieldType type, std::string id = "CF1", std::string title = "Field") {
  CustomField f;
  f.id = wrike::CustomFieldId{std::move(id)};
  f.title = std::move(title);
  f.type = type;
  return f;
}

// decode, check, encode back to the same text.
template <class V>
V typed(const CustomField& d, std::string_view raw, bool round_trips = true) {
  const wrike::TypedValue tv = wrike::decode_value(d, raw);
  const V* v = std::get_if<V>(&tv);
  if (!v) {
    ADD_FAILURE() << "\"" << raw << "\" decoded to variant index " << tv.index();
    return V{};
  }
  if (round_trips) EXPECT_EQ(wrike::encode_value(tv), raw);
  return *v;
}

std::string bad_value_error(const CustomField& d, std::string_view raw) {
  try {
    (void)wrike::decode_value(d, raw);
  } catch (const wrike_cascade::Error& e) {
    EXPECT_EQ(e.condition(), wrike_cascade::errc::decode_error);
    return e.detail().context;
  }
  ADD_FAILURE() << "accepted \"" << raw << "\"";
  return {};
}

TEST(WrikeCustomFieldValue, Text) {
  EXPECT_EQ(typed<wrike::TextValue>(def(CustomFieldType::Text), "<b>x</b> y").text, "<b>x</b> y");
}

TEST(WrikeCustomFieldValue, EmptyIsEmptyForEveryType) {
  for (auto t : {CustomFieldType::Text, CustomFieldType::Numeric, CustomFieldType::Date, CustomFieldType::Checkbox,
                 CustomFieldType::Multiple, CustomFieldType::Contacts, CustomFieldType::Duration,
                 CustomFieldType::CalculatedNumeric, CustomFieldType::Unknown}) {
    const auto tv = wrike::decode_value(def(t), "");
    EXPECT_TRUE(std::holds_alternative<wrike::EmptyValue>(tv)) << wrike::wire_name(t);
    EXPECT_EQ(wrike::encode_value(tv), "");
  }
}

TEST(WrikeCustomFieldValue, Numbers) {
  auto numeric = def(CustomFieldType::Numeric);
  numeric.settings = wrike::CustomFieldSettings{.decimal_places = 0};
  const auto n = typed<wrike::NumberValue>(numeric, "500100");
  EXPECT_EQ(n.value, 500100.0);
  EXPECT_EQ(n.kind, wrike::NumberKind::Numeric);
  EXPECT_EQ(n.decimal_places, 0);
  EXPECT_FALSE(n.currency);
  EXPECT_EQ(typed<wrike::NumberValue>(numeric, "-12.75").value, -12.75);
  EXPECT_EQ(typed<wrike::NumberValue>(numeric, "0.1").value, 0.1);
  EXPECT_EQ(typed<wrike::NumberValue>(numeric, "1e3", false).value, 1000.0);
  EXPECT_EQ(wrike::encode_value(wrike::NumberValue{.value = 1e21}), "1000000000000000000000");

  auto currency = def(CustomFieldType::Currency);
  currency.settings = wrike::CustomFieldSettings{.decimal_places = 2, .currency = "UAH"};
  const auto c = typed<wrike::NumberValue>(currency, "100500");
  EXPECT_EQ(c.kind, wrike::NumberKind::Currency);
  EXPECT_EQ(c.currency, "UAH");
  EXPECT_EQ(c.decimal_places, 2);

  const auto p = typed<wrike::NumberValue>(def(CustomFieldType::Percentage), "79");
  EXPECT_EQ(p.kind, wrike::NumberKind::Percentage);
  EXPECT_EQ(p.value, 79.0);  // 79 %
  EXPECT_FALSE(p.decimal_places);  // no settings in the definition
}

TEST(WrikeCustomFieldValue, BadNumbers) {
  const auto d = def(CustomFieldType::Numeric, "IEAGJJFWJUAGXM65", "Number field");
  EXPECT_EQ(bad_value_error(d, "12abc"),
            "custom field IEAGJJFWJUAGXM65 \"Number field\" (Numeric): expected a number, got \"12abc\"");
  for (const char* bad : {"abc", " 12", "12 ", "+12", "1,000", "inf", "nan", "0x10", "--1", "."})
    EXPECT_FALSE(bad_value_error(d, bad).empty()) << bad;
  EXPECT_FALSE(bad_value_error(def(CustomFieldType::Currency), "$5").empty());
  EXPECT_FALSE(bad_value_error(def(CustomFieldType::Percentage), "79%").empty());
  // parse_number (which decode_value and the mapper's short path share) refuses the same texts.
  for (const char* bad : {"12abc", "abc", " 12", "12 ", "+12", "1,000", "inf", "nan", "0x10", "--1", ".", "1e999", ""})
    EXPECT_EQ(wrike::parse_number(bad), std::nullopt) << bad;
  EXPECT_EQ(wrike::parse_number("8"), 8.0);
  EXPECT_EQ(wrike::parse_number("-5000.5"), -5000.5);
  EXPECT_EQ(wrike::parse_number("1e3"), 1000.0);
}

TEST(WrikeCustomFieldValue, Dates) {
  const auto d = typed<wrike::DateValue>(def(CustomFieldType::Date), "2024-09-11");
  EXPECT_EQ(d.date, 2024y / September / 11);
  EXPECT_FALSE(d.time);
  const auto dt = typed<wrike::DateValue>(def(CustomFieldType::Date), "2024-09-11T14:30:00");
  EXPECT_EQ(dt.date, 2024y / September / 11);
  EXPECT_EQ(dt.time, local_days{2024y / September / 11} + 14h + 30min);
  for (const char* bad : {"2024-09-31", "11.09.2024", "2024-09-11T14:30:00Z", "yesterday"})
    EXPECT_FALSE(bad_value_error(def(CustomFieldType::Date), bad).empty()) << bad;
}

TEST(WrikeCustomFieldValue, Durations) {
  EXPECT_EQ(typed<wrike::DurationValue>(def(CustomFieldType::Duration), "02:25").duration, 2h + 25min);
  EXPECT_EQ(typed<wrike::DurationValue>(def(CustomFieldType::Duration), "00:00").duration, 0min);
  EXPECT_EQ(typed<wrike::DurationValue>(def(CustomFieldType::Duration), "100:05").duration, 100h + 5min);
  EXPECT_EQ(typed<wrike::DurationValue>(def(CustomFieldType::Duration), "2:25", false).duration, 2h + 25min);
  EXPECT_EQ(typed<wrike::DurationValue>(def(CustomFieldType::Duration), "145", false).duration, 145min);
  EXPECT_EQ(wrike::encode_value(wrike::DurationValue{145min}), "02:25");
  EXPECT_EQ(wrike::encode_value(wrike::DurationValue{3min}), "00:03");
  for (const char* bad : {"02:5", "02:60", ":25", "02:", "-02:25", "2h25m", "02:25:00", "1.5", "-5", "+5"})
    EXPECT_FALSE(bad_value_error(def(CustomFieldType::Duration), bad).empty()) << bad;
  EXPECT_THROW(wrike::encode_value(wrike::DurationValue{-1min}), std::invalid_argument);
}

TEST(WrikeCustomFieldValue, Checkbox) {
  EXPECT_TRUE(typed<wrike::CheckboxValue>(def(CustomFieldType::Checkbox), "true").checked);
  EXPECT_FALSE(typed<wrike::CheckboxValue>(def(CustomFieldType::Checkbox), "false").checked);
  for (const char* bad : {"True", "1", "yes", "checked"})
    EXPECT_FALSE(bad_value_error(def(CustomFieldType::Checkbox), bad).empty()) << bad;
}

TEST(WrikeCustomFieldValue, DropDown) {
  EXPECT_EQ(typed<wrike::DropDownValue>(def(CustomFieldType::DropDown), "新規開発").option, "新規開発");
}

TEST(WrikeCustomFieldValue, Multiple) {
  const auto m = typed<wrike::MultipleValue>(def(CustomFieldType::Multiple), R"(["one","three","five"])");
  EXPECT_EQ(m.options, (std::vector<std::string>{"one", "three", "five"}));
  EXPECT_EQ(typed<wrike::MultipleValue>(def(CustomFieldType::Multiple), R"(["GAS・マクロ","a\"b"])").options,
            (std::vector<std::string>{"GAS・マクロ", "a\"b"}));
  EXPECT_TRUE(typed<wrike::MultipleValue>(def(CustomFieldType::Multiple), "[]").options.empty());
  for (const char* bad : {"one", R"(["one",2])", R"({"a":1})", R"(["one")", "one,three"})
    EXPECT_FALSE(bad_value_error(def(CustomFieldType::Multiple), bad).empty()) << bad;
}

TEST(WrikeCustomFieldValue, Contacts) {
  const auto c = typed<wrike::ContactsValue>(def(CustomFieldType::Contacts), "KUATMOGX,IEAGJJFWJEASM4KC");
  ASSERT_EQ(c.contacts.size(), 2u);
  EXPECT_EQ(c.contacts[0].str(), "KUATMOGX");
  EXPECT_EQ(c.contacts[1].str(), "IEAGJJFWJEASM4KC");
  EXPECT_EQ(typed<wrike::ContactsValue>(def(CustomFieldType::Contacts), "KUATMOGX").contacts.size(), 1u);
  EXPECT_EQ(typed<wrike::ContactsValue>(def(CustomFieldType::Contacts), "KU1, KU2", false).contacts[1].str(), "KU2");
  for (const char* bad : {"KU1,,KU2", "KU1,", ",KU1", "KU1;KU2", "KU 1"})
    EXPECT_FALSE(bad_value_error(def(CustomFieldType::Contacts), bad).empty()) << bad;
}

TEST(WrikeCustomFieldValue, CalculatedAndUnknownTypesKeepTheText) {
  for (const char* type : {"CalculatedNumeric", "CalculatedDate", "LinkToDatabase", "Formula"}) {
    auto d = def(CustomFieldType::Text);
    d.type = wrike::OpenEnum<CustomFieldType>{type};
    const auto u = typed<wrike::UnknownValue>(d, "=A1*2");
    EXPECT_EQ(u.type, type);
    EXPECT_EQ(u.raw, "=A1*2");
  }
}

TEST(WrikeCustomFieldIndex, LooksUpByIdAndTitle) {
  wrike::CustomFieldIndex index({def(CustomFieldType::Numeric, "CF1", "Cost"), def(CustomFieldType::Text, "CF2", "Notes"),
                                 def(CustomFieldType::Checkbox, "CF3", "Cost")});
  EXPECT_EQ(index.size(), 3u);
  ASSERT_NE(index.find(wrike::CustomFieldId{"CF2"}), nullptr);
  EXPECT_EQ(index.find(wrike::CustomFieldId{"CF2"})->title, "Notes");
  EXPECT_EQ(index.find(wrike::CustomFieldId{"cf2"}), nullptr);
  const auto costs = index.find_by_title("Cost");
  ASSERT_EQ(costs.size(), 2u);
  EXPECT_EQ(costs[0]->id.str(), "CF1");
  EXPECT_EQ(costs[1]->id.str(), "CF3");
  EXPECT_TRUE(index.find_by_title("cost").empty());

  const auto v = index.typed(wrike::CustomFieldValue{wrike::CustomFieldId{"CF1"}, "12.5", {}});
  EXPECT_EQ(std::get<wrike::NumberValue>(v).value, 12.5);
  const auto unknown = index.typed(wrike::CustomFieldValue{wrike::CustomFieldId{"CF9"}, "x", {}});
  EXPECT_EQ(std::get<wrike::UnknownValue>(unknown), (wrike::UnknownValue{"", "x"}));
  EXPECT_THROW(index.typed(wrike::CustomFieldValue{wrike::CustomFieldId{"CF3"}, "maybe", {}}), wrike_cascade::Error);
}

}  // namespace
