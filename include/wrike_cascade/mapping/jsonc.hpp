// JSON with comments, with the position of every value.
//
// The mapping config is a file people write by hand, so its errors must point at a line and
// column. Boost.JSON parses (comments and trailing commas allowed) and reports where a syntax
// error is; a small scanner then walks the already-valid text once and records where each value
// starts, keyed by its path ("wrike.spaces[1]", "fields[\"Story Points\"]").
//
// Header-only: the parsing itself is Boost.JSON's compiled library.
#pragma once

#include <wrike_cascade/ascii.hpp>

#include <wrike_cascade/mapping/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wrike_cascade::mapping {

// 1-based line and column (columns count characters, not bytes). {0, 0}: unknown.
struct SourcePos {
  std::size_t line = 0;
  std::size_t column = 0;
  bool known() const noexcept { return line != 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// One thing wrong in a config file: where, what, and the nearest valid name when one fits.
struct ConfigIssue {
  std::string path;        // "objectives.custom_fields[\"Budget\"]"; "" for the whole file
  SourcePos pos;
  std::string message;
  std::string suggestion;  // "" when nothing is close
  friend bool operator==(const ConfigIssue&, const ConfigIssue&) = default;
};

// "FILE:LINE:COLUMN: PATH: MESSAGE (did you mean "X"?)".
inline std::string format_issue(const std::string& file, const ConfigIssue& i) {
  std::string s = file.empty() ? std::string("config") : file;
  if (i.pos.known()) s += ":" + std::to_string(i.pos.line) + ":" + std::to_string(i.pos.column);
  s += ": ";
  if (!i.path.empty()) s += i.path + ": ";
  s += i.message;
  if (!i.suggestion.empty()) s += " (did you mean \"" + i.suggestion + "\"?)";
  return s;
}

// Every issue found in one file, in file order. what() lists them one per line.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, std::vector<ConfigIssue> issues)
      : std::runtime_error(render(file, issues)), file_(std::move(file)), issues_(std::move(issues)) {}
  const std::string& file() const noexcept { return file_; }
  const std::vector<ConfigIssue>& issues() const noexcept { return issues_; }

 private:
  static std::string render(const std::string& file, const std::vector<ConfigIssue>& issues) {
    std::string s;
    for (const auto& i : issues) {
      if (!s.empty()) s += '\n';
      s += format_issue(file, i);
    }
    return s;
  }
  std::string file_;
  std::vector<ConfigIssue> issues_;
};

namespace path {

inline bool is_identifier(std::string_view k) {
  if (k.empty() || (k[0] >= '0' && k[0] <= '9')) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}
// parent + member: "a.b", or a["Story Points"] when the key is not a plain identifier.
inline std::string member(const std::string& parent, std::string_view key) {
  if (is_identifier(key)) return parent.empty() ? std::string(key) : parent + "." + std::string(key);
  std::string s = parent + "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') s += '\\';
    s += c;
  }
  return s + "\"]";
}
inline std::string element(const std::string& parent, std::size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

}  // namespace path

// A parsed document and where each of its values starts.
class JsoncDocument {
 public:
  // Throws ConfigError (one issue, with the position) when the text is not JSON-with-comments.
  static JsoncDocument parse(std::string text, std::string file = {}) {
    JsoncDocument d;
    d.file_ = std::move(file);
    d.text_ = std::move(text);
    d.index_lines();
    boost::json::parse_options opts;
    opts.allow_comments = true;
    opts.allow_trailing_commas = true;
    opts.max_depth = 64;
    boost::json::stream_parser p({}, opts);
    boost::system::error_code ec;
    std::size_t n = p.write(d.text_.data(), d.text_.size(), ec);
    if (!ec) p.finish(ec);
    if (ec) {
      ConfigIssue issue;
      issue.pos = d.position_of(std::min(n, d.text_.size()));
      issue.message = "not valid JSON (comments and trailing commas are allowed): " + ec.message();
      std::size_t at = std::min(n, d.text_.size());
      std::string near = d.text_.substr(at, std::min<std::size_t>(20, d.text_.find('\n', at) - at));
      issue.message += near.empty() ? std::string(" at the end of the text") : " at \"" + near + "\"";
      throw ConfigError(d.file_, {std::move(issue)});
    }
    d.root_ = p.release();
    std::size_t i = 0;
    d.scan_value(i, std::string());
    return d;
  }

  const boost::json::value& root() const noexcept { return root_; }
  const std::string& file() const noexcept { return file_; }
  const std::string& text() const noexcept { return text_; }
  // Where the value at `path` starts; for a path that does not exist, its nearest existing
  // parent; {0,0} when none.
  SourcePos at(std::string path) const {
    for (;;) {
      if (auto it = starts_.find(path); it != starts_.end()) return position_of(it->second);
      if (path.empty()) return {};
      auto cut = path.find_last_of(".[");
      path.resize(cut == std::string::npos ? 0 : cut);
    }
  }
  // Where the key of the member at `path` is written (for "unknown key" errors); falls back
  // on at(path).
  SourcePos key_at(const std::string& path) const {
    if (auto it = keys_.find(path); it != keys_.end()) return position_of(it->second);
    return at(path);
  }
  SourcePos position_of(std::size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
    std::size_t start = line_starts_[line - 1];
    std::size_t end = std::min(offset, text_.size());
    return {line, 1 + utf8_length(std::string_view(text_).substr(start, end > start ? end - start : 0))};
  }

 private:
  void index_lines() {
    line_starts_.push_back(0);
    for (std::size_t k = 0; k < text_.size(); ++k)
      if (text_[k] == '\n') line_starts_.push_back(k + 1);
  }
  void skip_space(std::size_t& i) const {
    while (i < text_.size()) {
      char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '/' && i + 1 < text_.size() && text_[i + 1] == '/') {
        while (i < text_.size() && text_[i] != '\n') ++i;
      } else if (c == '/' && i + 1 < text_.size() && text_[i + 1] == '*') {
        auto end = text_.find("*/", i + 2);
        i = end == std::string::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }
  // The string literal at i (text_[i] == '"'), decoded; i moves past it.
  std::string read_string(std::size_t& i) const {
    std::size_t start = i++;
    while (i < text_.size() && text_[i] != '"') i += text_[i] == '\\' ? 2 : 1;
    ++i;
    boost::system::error_code ec;
    auto v = boost::json::parse(std::string_view(text_).substr(start, i - start), ec);
    return !ec && v.is_string() ? std::string(v.get_string()) : std::string();
  }
  // The text was accepted by Boost.JSON, so this scanner only needs to find where things are.
  void scan_value(std::size_t& i, const std::string& at) {
    skip_space(i);
    if (i >= text_.size()) return;
    starts_.emplace(at, i);
    char c = text_[i];
    if (c == '{') {
      ++i;
      for (;;) {
        skip_space(i);
        if (i >= text_.size() || text_[i] == '}') break;
        if (text_[i] == ',') {
          ++i;
          continue;
        }
        std::size_t key_start = i;
        std::string key = read_string(i);
        keys_.emplace(path::member(at, key), key_start);
        skip_space(i);
        if (i < text_.size() && text_[i] == ':') ++i;
        scan_value(i, path::member(at, key));
      }
      ++i;
    } else if (c == '[') {
      ++i;
      std::size_t n = 0;
      for (;;) {
        skip_space(i);
        if (i >= text_.size() || text_[i] == ']') break;
        if (text_[i] == ',') {
          ++i;
          continue;
        }
        scan_value(i, path::element(at, n++));
      }
      ++i;
    } else if (c == '"') {
      read_string(i);
    } else {
      while (i < text_.size() && std::string_view(",]} \t\r\n/").find(text_[i]) == std::string_view::npos) ++i;
    }
  }

  std::string file_;
  std::string text_;
  boost::json::value root_;
  std::vector<std::size_t> line_starts_;
  std::unordered_map<std::string, std::size_t> starts_;
  std::unordered_map<std::string, std::size_t> keys_;
};

// Edit distance (case-insensitive), for "did you mean" suggestions.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The candidate closest to `name`, if it is close enough to be a likely typo ("" otherwise).
template <class Range>
std::string nearest_name(std::string_view name, const Range& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    std::string_view cv(c);
    std::size_t d = edit_distance(name, cv);
    if (d < best_d) {
      best_d = d;
      best = std::string(cv);
    }
  }
  std::size_t limit = std::max<std::size_t>(2, std::max(name.size(), best.size()) / 3);
  return best_d <= limit ? best : std::string();
}

}  // namespace wrike_cascade::mapping
