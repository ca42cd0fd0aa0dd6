#include <wrike/custom_field_value.hpp>

#include "../core/json_path.hpp"

#include <wrike_cascade/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace wrike {
namespace {

namespace json = boost::json;

using wrike_cascade::detail::quoted;

// Reports a value that does not fit the field's type.
class ValueError {
 public:
  ValueError(const CustomField& def, std::string_view raw) : def_(def), raw_(raw) {}

  [[noreturn]] void fail(std::string_view expected) const {
    std::string msg = "custom field " + def_.id.str() + " " + quoted(def_.title) + " (" + def_.type.str() +
                      "): expected " + std::string(expected) + ", got " + quoted(raw_);
    throw wrike_cascade::Error(wrike_cascade::errc::decode_error, std::move(msg));
  }

 private:
  const CustomField& def_;
  std::string_view raw_;
};

NumberValue decode_number(const CustomField& def, std::string_view raw, NumberKind kind) {
  NumberValue n;
  n.kind = kind;
  const std::optional<double> value = parse_number(raw);
  if (!value) ValueError(def, raw).fail("a number");
  n.value = *value;
  if (def.settings) {
    n.decimal_places = def.settings->decimal_places;
    if (kind == NumberKind::Currency) n.currency = def.settings->currency;
  }
  return n;
}

DateValue decode_date(const CustomField& def, std::string_view raw) {
  try {
    if (raw.size() == 10) return DateValue{parse_date(raw), std::nullopt};
    const LocalDateTime t = parse_local_datetime(raw);
    return DateValue{Date{std::chrono::floor<std::chrono::days>(t)}, t};
  } catch (const std::invalid_argument&) {
    ValueError(def, raw).fail("a date yyyy-MM-dd (or yyyy-MM-ddTHH:mm:ss)");
  }
}

DurationValue decode_duration(const CustomField& def, std::string_view raw) {
  const ValueError err(def, raw);
  constexpr std::string_view expected = "a duration H:MM (or whole minutes)";
  auto digits = [&](std::string_view s, std::int64_t& out) {
    if (s.empty() || s.size() > 12) return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && ptr == s.data() + s.size() && s.front() != '-' && s.front() != '+';
  };
  std::int64_t hours = 0, minutes = 0;
  const std::size_t colon = raw.find(':');
  if (colon == std::string_view::npos) {
    if (!digits(raw, minutes)) err.fail(expected);
    return DurationValue{std::chrono::minutes{minutes}};
  }
  const std::string_view mm = raw.substr(colon + 1);
  if (!digits(raw.substr(0, colon), hours) || mm.size() != 2 || !digits(mm, minutes) || minutes > 59)
    err.fail(expected);
  return DurationValue{std::chrono::hours{hours} + std::chrono::minutes{minutes}};
}

CheckboxValue decode_checkbox(const CustomField& def, std::string_view raw) {
  if (raw == "true") return CheckboxValue{true};
  if (raw == "false") return CheckboxValue{false};
  ValueError(def, raw).fail("\"true\" or \"false\"");
}

MultipleValue decode_multiple(const CustomField& def, std::string_view raw) {
  constexpr std::string_view expected = "a JSON array of strings";
  boost::system::error_code ec;
  const json::value v = json::parse(json::string_view(raw.data(), raw.size()), ec);
  const json::array* a = ec ? nullptr : v.if_array();
  if (!a) ValueError(def, raw).fail(expected);
  MultipleValue out;
  out.options.reserve(a->size());
  for (const json::value& item : *a) {
    const json::string* s = item.if_string();
    if (!s) ValueError(def, raw).fail(expected);
    out.options.emplace_back(s->data(), s->size());
  }
  return out;
}

ContactsValue decode_contacts(const CustomField& def, std::string_view raw) {
  ContactsValue out;
  if (!for_each_contact_id(raw, [&](std::string_view id) { out.contacts.emplace_back(std::string(id)); }))
    ValueError(def, raw).fail("comma-separated contact IDs");
  return out;
}

std::string format_number(double value) {
  char buf[400];  // fixed notation of any finite double fits
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec != std::errc{}) throw std::invalid_argument("encode_value: number cannot be formatted");
  return std::string(buf, ptr);
}

std::string format_duration(std::chrono::minutes d) {
  if (d.count() < 0) throw std::invalid_argument("encode_value: negative duration");
  const auto hours = d.count() / 60;
  const auto minutes = d.count() % 60;
  std::string out = std::to_string(hours);
  if (out.size() < 2) out.insert(out.begin(), '0');
  out += ':';
  out += static_cast<char>('0' + minutes / 10);
  out += static_cast<char>('0' + minutes % 10);
  return out;
}

struct Encoder {
  std::string operator()(const EmptyValue&) const { return {}; }
  std::string operator()(const TextValue& v) const { return v.text; }
  std::string operator()(const NumberValue& v) const {
    if (!std::isfinite(v.value)) throw std::invalid_argument("encode_value: number is not finite");
    return format_number(v.value);
  }
  std::string operator()(const DateValue& v) const {
    return v.time ? format_local_datetime(*v.time) : format_date(v.date);
  }
  std::string operator()(const DurationValue& v) const { return format_duration(v.duration); }
  std::string operator()(const CheckboxValue& v) const { return v.checked ? "true" : "false"; }
  std::string operator()(const DropDownValue& v) const { return v.option; }
  std::string operator()(const MultipleValue& v) const {
    json::array a;
    a.reserve(v.options.size());
    for (const std::string& o : v.options) a.emplace_back(json::string_view(o.data(), o.size()));
    return json::serialize(a);
  }
  std::string operator()(const ContactsValue& v) const {
    std::string out;
    for (const ContactId& id : v.contacts) {
      if (!out.empty()) out += ',';
      out += id.str();
    }
    return out;
  }
  std::string operator()(const UnknownValue& v) const { return v.raw; }
};

}  // namespace

std::optional<double> parse_number(std::string_view raw) noexcept {
  double d = 0;
  const char* const end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, d);
  if (ec != std::errc{} || ptr != end || !std::isfinite(d)) return std::nullopt;
  return d;
}

TypedValue decode_value(const CustomField& definition, std::string_view raw) {
  if (raw.empty()) return EmptyValue{};
  switch (definition.type.value()) {
    case CustomFieldType::Text: return TextValue{std::string(raw)};
    case CustomFieldType::DropDown: return DropDownValue{std::string(raw)};
    case CustomFieldType::Numeric: return decode_number(definition, raw, NumberKind::Numeric);
    case CustomFieldType::Currency: return decode_number(definition, raw, NumberKind::Currency);
    case CustomFieldType::Percentage: return decode_number(definition, raw, NumberKind::Percentage);
    case CustomFieldType::Date: return decode_date(definition, raw);
    case CustomFieldType::Duration: return decode_duration(definition, raw);
    case CustomFieldType::Checkbox: return decode_checkbox(definition, raw);
    case CustomFieldType::Contacts: return decode_contacts(definition, raw);
    case CustomFieldType::Multiple: return decode_multiple(definition, raw);
    case CustomFieldType::CalculatedNumeric:
    case CustomFieldType::CalculatedDate:
    case CustomFieldType::LinkToDatabase:
    case CustomFieldType::Unknown: break;
  }
  return UnknownValue{definition.type.str(), std::string(raw)};
}

std::string encode_value(const TypedValue& value) { return std::visit(Encoder{}, value); }

CustomFieldIndex::CustomFieldIndex(std::vector<CustomField> definitions) : definitions_(std::move(definitions)) {
  by_id_.reserve(definitions_.size());
  for (std::size_t i = 0; i < definitions_.size(); ++i) {
    by_id_.try_emplace(definitions_[i].id, i);
    by_title_[definitions_[i].title].push_back(i);
  }
}

const CustomField* CustomFieldIndex::find(const CustomFieldId& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &definitions_[it->second];
}

std::vector<const CustomField*> CustomFieldIndex::find_by_title(std::string_view title) const {
  std::vector<const CustomField*> out;
  if (const auto it = by_title_.find(title); it != by_title_.end()) {
    out.reserve(it->second.size());
    for (std::size_t i : it->second) out.push_back(&definitions_[i]);
  }
  return out;
}

TypedValue CustomFieldIndex::typed(const CustomFieldValue& value) const {
  const CustomField* def = find(value.id);
  if (!def) return UnknownValue{std::string(), value.value};
  return decode_value(*def, value.value);
}

}  // namespace wrike
