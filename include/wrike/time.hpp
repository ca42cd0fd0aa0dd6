// Wrike's three wire formats for dates and times (wrike-api.md §5.1).
//
//   Timestamp      createdDate, updatedDate, completedDate, ...  "2024-09-06T09:51:04Z"   (UTC)
//   LocalDateTime  task dates.start / dates.due                  "2024-09-11T09:00:00"    (no zone)
//   Date           project startDate / endDate, Date CF values   "2024-09-11"
//
// Task start/due are account-local wall-clock times with no zone, so they are deliberately a
// std::chrono::local_seconds: converting one to an instant needs a time zone the caller picks
// (e.g. the contact's `timezone`), and the type system keeps the two from being mixed up.
//
// The parsers are hand-written (no locale, no allocation on success) and strict: exactly the
// format above, with a real calendar date and 00..23:00..59:00..59. Errors throw
// std::invalid_argument whose message quotes the bad text.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wrike {

using Timestamp = std::chrono::sys_seconds;        // wire: yyyy-MM-ddTHH:mm:ssZ
using LocalDateTime = std::chrono::local_seconds;  // wire: yyyy-MM-ddTHH:mm:ss (no zone)
using Date = std::chrono::year_month_day;          // wire: yyyy-MM-dd

// "yyyy-MM-ddTHH:mm:ssZ" only (seconds precision, literal Z, as Wrike sends and accepts).
Timestamp parse_timestamp(std::string_view text);
// "yyyy-MM-ddTHH:mm:ss", or a date-only "yyyy-MM-dd" meaning midnight (Wrike accepts that form
// for task dates on input). A zone suffix is rejected: the value has no zone.
LocalDateTime parse_local_datetime(std::string_view text);
// "yyyy-MM-dd".
Date parse_date(std::string_view text);
// The same without throwing: the date, or nothing when `text` is not a valid yyyy-MM-dd.
std::optional<Date> try_parse_date(std::string_view text) noexcept;

// The formatters write exactly the forms above (local datetimes always with the time part).
// Years outside 0000..9999 and invalid dates throw std::invalid_argument.
std::string format_timestamp(Timestamp t);
std::string format_local_datetime(LocalDateTime t);
std::string format_date(Date d);
// The same into `out`, with no string made.
void format_date_to(char (&out)[10], Date d);

}  // namespace wrike
