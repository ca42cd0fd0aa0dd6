// Pieces shared by the Cascade Classic and new-platform models and clients.
//
// - DateTime: a Classic date or instant. Classic documents its dates as "Unix time or ISO 8601"
//   (cascade-api.md §3.2); the decoders take Unix seconds (a number or a numeric string), a date
//   "2024-05-01" and a date-time "2024-05-01T10:00:00Z" (or with an offset, fractions, a space
//   instead of 'T', or no zone, read as UTC). The encoders write ISO 8601.
// - OpenEnum<E>: a known enumerator or the wire text Cascade sent (same contract as
//   wrike::OpenEnum).
// - Listing<T>: what a wrapped body ({"goal": {...}} / {"goals": [...]}) held.
// - is_cascade_host(): where the new-platform client lets the Authorization header follow a
//   redirect.
// - decode_error_body(): Cascade's error bodies into wrike_cascade::ErrorDetail.
#pragma once

#include <cascade/ids.hpp>
#include <wrike_cascade/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace cascade {

// ---- dates and times ----------------------------------------------------------------------

struct DateTime {
  std::chrono::sys_seconds time{};  // UTC; a date-only value is midnight UTC of that date
  bool date_only = false;           // the wire value was a date ("2024-05-01")

  DateTime() = default;
  DateTime(std::chrono::sys_seconds t) noexcept : time(t) {}  // NOLINT: implicit on purpose
  DateTime(std::chrono::year_month_day d) noexcept            // NOLINT
      : time(std::chrono::sys_days(d)), date_only(true) {}
  DateTime(std::chrono::sys_days d) noexcept : time(d), date_only(true) {}  // NOLINT: a date
  std::chrono::year_month_day date() const noexcept {
    return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(time));
  }
  friend bool operator==(const DateTime&, const DateTime&) = default;
};
std::ostream& operator<<(std::ostream& os, const DateTime& t);

// Unix seconds ("1714557600", optionally signed), "YYYY-MM-DD", or
// "YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]" (no zone: UTC). Throws
// std::invalid_argument quoting the text.
DateTime parse_datetime(std::string_view text);
// "YYYY-MM-DD" when date_only, else "YYYY-MM-DDTHH:MM:SSZ".
std::string format_datetime(const DateTime& t);
// "YYYY-MM-DD" exactly (a real calendar date).
std::chrono::year_month_day parse_date(std::string_view text);
std::string format_date(std::chrono::year_month_day d);

// ---- open enums -----------------------------------------------------------------------------
// E must have `Unknown` (value 0) and wire_name(E)/parse_wire_name(string_view, E&) found by ADL.

template <class E>
class OpenEnum {
 public:
  OpenEnum() noexcept = default;
  OpenEnum(E value) noexcept : value_(value) {}  // NOLINT: implicit, `goal.status = GoalStatus::Draft;`
  explicit OpenEnum(std::string_view wire) {
    if (!parse_wire_name(wire, value_)) {
      value_ = E::Unknown;
      raw_.assign(wire.data(), wire.size());
    }
  }
  bool known() const noexcept { return value_ != E::Unknown; }
  E value() const noexcept { return value_; }
  const std::string& str() const noexcept { return known() ? wire_name(value_) : raw_; }

  friend bool operator==(const OpenEnum& a, const OpenEnum& b) noexcept {
    return a.value_ == b.value_ && a.raw_ == b.raw_;
  }
  friend bool operator==(const OpenEnum& a, E b) noexcept { return a.value_ == b; }
  friend std::ostream& operator<<(std::ostream& os, const OpenEnum& e) { return os << e.str(); }

 private:
  E value_ = E::Unknown;
  std::string raw_;
};

// ---- wrapped bodies -------------------------------------------------------------------------

// Every Cascade body wraps its records in a key named after the resource. Classic draws lists
// as the singular key holding one object, `GET /tasks` as the plural key holding an array and
// `POST /tasks` as the plural key holding one object; the decoders accept the singular or the
// plural key holding an object or an array (and a bare top-level array).
template <class T>
struct Listing {
  std::vector<T> items;
  std::string key;             // the key the records came under ("goals", "goal", "" for a bare array)
  boost::json::object extra;   // every other top-level key (paging metadata, if any), kept
};

// ---- hosts ----------------------------------------------------------------------------------

// True for "cascade.app" and any "<label>.cascade.app" host (case-insensitive, one trailing dot
// allowed). False for look-alikes such as "evilcascade.app" or "cascade.app.evil.com", for IP
// literals, for hosts with a port, and for anything with characters a DNS name cannot have.
bool is_cascade_host(std::string_view host) noexcept;

// ---- errors ---------------------------------------------------------------------------------

// Reads a Cascade error body into `detail`: the transport's common shapes (`message`,
// `error`, `errors[]`), plus Classic's {"message", "code", "status"} (api_error becomes the
// `status` text, else the `code` number) and a field map {"errors": {"field": ["text"]}}.
// Installed as net::ClientOptions::error_decoder by both clients.
void decode_error_body(const boost::json::value& body, wrike_cascade::ErrorDetail& detail);

}  // namespace cascade
