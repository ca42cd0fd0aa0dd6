// Typed custom-field values.
//
// Wrike sends every custom-field value as a JSON string, whatever the field's type
// (wrike-api.md §5.3): Numeric "500100", Checkbox "true", Multiple "[\"one\",\"three\"]" (a JSON
// array inside the string), Contacts "KUATMOGX,IEAGJJFWJEASM4KC", Duration "02:25". The model
// keeps that raw string (CustomFieldValue::value); this header turns it into a typed value using
// the field's definition (CustomField), and back.
//
//   auto defs  = wrike::decode_envelope<wrike::CustomField>(body).data;
//   wrike::CustomFieldIndex index(std::move(defs));
//   for (const auto& cf : *task.custom_fields)
//     if (auto* n = std::get_if<wrike::NumberValue>(&(index.typed(cf)))) ...
#pragma once

#include <wrike/ids.hpp>
#include <wrike/model.hpp>
#include <wrike/time.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace wrike {

// "" on any field type: no value (Wrike also clears a value by writing "" or null).
struct EmptyValue {
  friend bool operator==(const EmptyValue&, const EmptyValue&) = default;
};

// Text (HTML unless the request had plainTextCustomFields=true).
struct TextValue {
  std::string text;
  friend bool operator==(const TextValue&, const TextValue&) = default;
};

enum class NumberKind { Numeric, Currency, Percentage };

// Numeric, Currency and Percentage fields. `value` is the number as written: "79" on a
// Percentage field is 79 (meaning 79 %), "5000" on a Currency field is 5000 units of `currency`.
struct NumberValue {
  double value = 0;
  NumberKind kind = NumberKind::Numeric;
  std::optional<int> decimal_places;    // the definition's settings.decimalPlaces
  std::optional<std::string> currency;  // Currency: the definition's settings.currency ("USD")
  friend bool operator==(const NumberValue&, const NumberValue&) = default;
};

// Date fields: "yyyy-MM-dd"; with settings.allowTime the wire may carry a time as well
// ("yyyy-MM-ddTHH:mm:ss", format unconfirmed), then `time` holds the full local date-time and
// `date` its day.
struct DateValue {
  Date date;
  std::optional<LocalDateTime> time;
  friend bool operator==(const DateValue&, const DateValue&) = default;
};

// Duration fields. Wire "02:25" = 2 h 25 min ("H:MM", hours may exceed 24 and have more digits;
// minutes 00..59). A bare integer ("145") is also accepted as minutes. Encoded as "HH:MM".
struct DurationValue {
  std::chrono::minutes duration{0};
  friend bool operator==(const DurationValue&, const DurationValue&) = default;
};

// Checkbox fields: "true" / "false".
struct CheckboxValue {
  bool checked = false;
  friend bool operator==(const CheckboxValue&, const CheckboxValue&) = default;
};

// DropDown fields: the option text (not an option ID). Not checked against settings.values,
// since allowOtherValues may permit others.
struct DropDownValue {
  std::string option;
  friend bool operator==(const DropDownValue&, const DropDownValue&) = default;
};

// Multiple fields: wire is a JSON array of strings inside the string.
struct MultipleValue {
  std::vector<std::string> options;
  friend bool operator==(const MultipleValue&, const MultipleValue&) = default;
};

// Contacts fields ("People" in the UI): comma-joined contact IDs, invitation IDs included.
struct ContactsValue {
  std::vector<ContactId> contacts;
  friend bool operator==(const ContactsValue&, const ContactsValue&) = default;
};

// CalculatedNumeric, CalculatedDate, LinkToDatabase (formats unconfirmed), types this SDK does
// not know, and values of fields with no known definition (type ""): the raw text, read-only.
struct UnknownValue {
  std::string type;
  std::string raw;
  friend bool operator==(const UnknownValue&, const UnknownValue&) = default;
};

using TypedValue = std::variant<EmptyValue, TextValue, NumberValue, DateValue, DurationValue, CheckboxValue,
                                DropDownValue, MultipleValue, ContactsValue, UnknownValue>;

// The number in a Numeric, Currency or Percentage field's raw value as decode_value reads it:
// the whole text is one finite number ("8", "5000.5"; not " 8", "8x", "inf"), or nothing.
std::optional<double> parse_number(std::string_view raw) noexcept;

// Calls `f` with each contact ID in a Contacts field's raw value as decode_value reads it
// ("KUAB2X5I,KUAB3Y6J"; blanks around an ID are dropped), in order; false as soon as a piece
// is not a Wrike ID (then decode_value throws for this value).
template <class F>
bool for_each_contact_id(std::string_view raw, F&& f) {
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t comma = raw.find(',', pos);
    if (comma == std::string_view::npos) comma = raw.size();
    std::string_view id = raw.substr(pos, comma - pos);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (!is_valid_id(id)) return false;
    f(id);
    pos = comma + 1;
  }
  return true;
}

// Types `raw` by the definition's type. Throws wrike_cascade::Error(errc::decode_error) naming
// the field (id and title) and quoting the bad text, e.g. when a Numeric value is not a number.
TypedValue decode_value(const CustomField& definition, std::string_view raw);

// The wire string for a typed value (EmptyValue -> "", UnknownValue -> raw). Numbers use the
// shortest text that reads back to the same double, in fixed notation ("5000", "0.25").
// Throws std::invalid_argument for values Wrike cannot take (negative duration, bad date).
std::string encode_value(const TypedValue& value);

// Custom-field definitions looked up by ID (and by title), for typing values.
class CustomFieldIndex {
 public:
  CustomFieldIndex() = default;
  explicit CustomFieldIndex(std::vector<CustomField> definitions);

  // nullptr when unknown. With duplicate IDs the first definition wins.
  const CustomField* find(const CustomFieldId& id) const;
  // Exact, case-sensitive title match; titles are not unique, so every match is returned in
  // input order.
  std::vector<const CustomField*> find_by_title(std::string_view title) const;

  // decode_value() with the value's definition; an unknown field ID gives UnknownValue{"", raw}.
  TypedValue typed(const CustomFieldValue& value) const;

  const std::vector<CustomField>& definitions() const noexcept { return definitions_; }
  std::size_t size() const noexcept { return definitions_.size(); }

 private:
  std::vector<CustomField> definitions_;
  std::unordered_map<CustomFieldId, std::size_t> by_id_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_title_;
};

}  // namespace wrike
