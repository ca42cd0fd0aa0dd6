#include <wrike/time.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace {

using namespace std::chrono;
using wrike::Date;
using wrike::LocalDateTime;
using wrike::Timestamp;

TEST(WrikeTime, ParsesTimestamp) {
  const Timestamp t = wrike::parse_timestamp("2024-09-06T09:51:04Z");
  EXPECT_EQ(t, sys_days{2024y / September / 6} + 9h + 51min + 4s);
  EXPECT_EQ(wrike::parse_timestamp("1970-01-01T00:00:00Z").time_since_epoch().count(), 0);
  EXPECT_EQ(wrike::parse_timestamp("2024-02-29T23:59:59Z"), sys_days{2024y / February / 29} + 23h + 59min + 59s);
}

TEST(WrikeTime, FormatsTimestamp) {
  EXPECT_EQ(wrike::format_timestamp(sys_days{2024y / September / 6} + 9h + 51min + 4s), "2024-09-06T09:51:04Z");
  EXPECT_EQ(wrike::format_timestamp(Timestamp{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(wrike::format_timestamp(sys_days{1999y / December / 31} + 23h + 59min + 59s), "1999-12-31T23:59:59Z");
}

TEST(WrikeTime, TimestampRoundTripsOverManyDays) {
  for (int d = -800; d < 20000; d += 37) {
    const Timestamp t = sys_days{days{d}} + seconds{(d * 7919) % 86400 + (d < 0 ? 86400 : 0)};
    EXPECT_EQ(wrike::parse_timestamp(wrike::format_timestamp(t)), t) << d;
  }
}

TEST(WrikeTime, ParsesLocalDateTime) {
  const LocalDateTime t = wrike::parse_local_datetime("2024-09-11T09:00:00");
  EXPECT_EQ(t, local_days{2024y / September / 11} + 9h);
  EXPECT_EQ(wrike::format_local_datetime(t), "2024-09-11T09:00:00");
  EXPECT_EQ(wrike::format_local_datetime(wrike::parse_local_datetime("2024-09-12T17:00:00")), "2024-09-12T17:00:00");
}

TEST(WrikeTime, LocalDateTimeAcceptsDateOnlyAsMidnight) {
  EXPECT_EQ(wrike::parse_local_datetime("2024-09-11"), local_days{2024y / September / 11});
  EXPECT_EQ(wrike::format_local_datetime(wrike::parse_local_datetime("2024-09-11")), "2024-09-11T00:00:00");
}

TEST(WrikeTime, ParsesAndFormatsDate) {
  EXPECT_EQ(wrike::parse_date("2019-02-18"), Date{2019y / February / 18});
  EXPECT_EQ(wrike::format_date(Date{2019y / February / 18}), "2019-02-18");
  EXPECT_EQ(wrike::format_date(Date{year{5} / January / 1}), "0005-01-01");
}

void expect_invalid(auto parse, const std::string& text) {
  try {
    parse(text);
    ADD_FAILURE() << "accepted \"" << text << "\"";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"" + text + "\""), std::string::npos)
        << "message does not quote the text: " << e.what();
  }
}

TEST(WrikeTime, RejectsBadTimestamps) {
  auto p = [](const std::string& s) { return wrike::parse_timestamp(s); };
  for (const char* bad :
       {"", "2024-09-06", "2024-09-06T09:51:04", "2024-09-06T09:51:04+00:00", "2024-09-06T09:51:04.123Z",
        "2024-09-06 09:51:04Z", "2024-13-06T09:51:04Z", "2024-02-30T09:51:04Z", "2023-02-29T00:00:00Z",
        "2024-09-06T24:00:00Z", "2024-09-06T09:60:00Z", "2024-09-06T09:51:60Z", "2024-9-06T09:51:04Z",
        "2024-09-06T09:51:04z", "abcd-09-06T09:51:04Z", "2024-09-06T09:51:04Z ", " 2024-09-06T09:51:04Z",
        "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z"})
    expect_invalid(p, bad);
}

TEST(WrikeTime, RejectsBadLocalDateTimes) {
  auto p = [](const std::string& s) { return wrike::parse_local_datetime(s); };
  for (const char* bad : {"", "2024-09-11T09:00:00Z", "2024-09-11T09:00", "2024-09-11T9:00:00", "2024-09-31",
                          "2024-09-11X09:00:00", "11/09/2024", "2024-09-11T25:00:00"})
    expect_invalid(p, bad);
}

TEST(WrikeTime, RejectsBadDates) {
  auto p = [](const std::string& s) { return wrike::parse_date(s); };
  for (const char* bad : {"", "2024-09-1", "2024-09-011", "2024/09/11", "2024-09-11T00:00:00", "2021-02-29", "+024-09-11"})
    expect_invalid(p, bad);
}

TEST(WrikeTime, LongBadTextIsTruncatedInTheMessage) {
  const std::string junk(500, 'x');
  try {
    wrike::parse_date(junk);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_LT(std::string(e.what()).size(), 200u);
  }
}

TEST(WrikeTime, FormattingOutOfRangeThrows) {
  EXPECT_THROW(wrike::format_date(Date{year{10000} / January / 1}), std::invalid_argument);
  EXPECT_THROW(wrike::format_date(Date{2023y / February / 29}), std::invalid_argument);
  EXPECT_THROW(wrike::format_timestamp(sys_days{year{-1} / January / 1}), std::invalid_argument);
}

}  // namespace
