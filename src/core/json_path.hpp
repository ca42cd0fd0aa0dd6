// Private to the SDK's sources (not installed): the pieces every JSON model decoder shares —
// the JSON kind as a word, quoting bad text for messages, and the field path of the value being
// decoded, so each decode error names it ("data[3].dates.start: expected a string, got number").
#pragma once

#include <wrike_cascade/error.hpp>

#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace wrike_cascade::detail {

// "null", "bool", "number", "string", "array" or "object".
const char* json_kind_name(const boost::json::value& v) noexcept;

// Text in double quotes, cut after 80 characters.
std::string quoted(std::string_view text);

// The path of the value being decoded; keys are views into the JSON being read.
class JsonPath {
 public:
  // With `root_in_path`, paths start with the root ("goals[2].end_time"); without, they
  // start at the first key ("dates.start") and the root names only the root itself.
  explicit JsonPath(std::string_view root, bool root_in_path = false) noexcept
      : root_(root), root_in_path_(root_in_path) {}

  void push(std::string_view key) noexcept {
    if (depth_ < kMaxDepth) segs_[depth_] = Seg{key, 0, false};
    ++depth_;
  }
  void push(std::size_t index) noexcept {
    if (depth_ < kMaxDepth) segs_[depth_] = Seg{{}, index, true};
    ++depth_;
  }
  void pop() noexcept { --depth_; }

  std::string path() const;
  // Throws Error(errc::decode_error) "<path>: <what>".
  [[noreturn]] void fail(std::string_view what) const;
  // "<path>: expected <expected>, got <kind of got>".
  [[noreturn]] void fail_expected(const char* expected, const boost::json::value& got) const;

 private:
  struct Seg {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  static constexpr std::size_t kMaxDepth = 16;
  std::string_view root_;
  bool root_in_path_ = false;
  std::array<Seg, kMaxDepth> segs_{};
  std::size_t depth_ = 0;
};

}  // namespace wrike_cascade::detail
