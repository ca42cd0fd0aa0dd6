#include "json_path.hpp"

namespace wrike_cascade::detail {

const char* json_kind_name(const boost::json::value& v) noexcept {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "bool";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "number";
    case boost::json::kind::string: return "string";
    case boost::json::kind::array: return "array";
    case boost::json::kind::object: return "object";
  }
  return "?";
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  if (text.size() > 80) {
    out.append(text.substr(0, 80));
    out += "...";
  } else {
    out.append(text);
  }
  out += '"';
  return out;
}

std::string JsonPath::path() const {
  if (depth_ == 0) return std::string(root_);
  std::string out = root_in_path_ ? std::string(root_) : std::string();
  for (std::size_t i = 0; i < depth_ && i < kMaxDepth; ++i) {
    if (segs_[i].is_index) {
      out += '[';
      out += std::to_string(segs_[i].index);
      out += ']';
    } else {
      if (!out.empty()) out += '.';
      out.append(segs_[i].key);
    }
  }
  if (depth_ > kMaxDepth) out += "...";
  return out;
}

void JsonPath::fail(std::string_view what) const {
  std::string msg = path();
  msg += ": ";
  msg.append(what);
  throw Error(errc::decode_error, std::move(msg));
}

void JsonPath::fail_expected(const char* expected, const boost::json::value& got) const {
  std::string what = "expected ";
  what += expected;
  what += ", got ";
  what += json_kind_name(got);
  fail(what);
}

}  // namespace wrike_cascade::detail
