#include "cli.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <ostream>

namespace cli {

Args::Args(std::vector<std::string> argv, std::vector<std::string> flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      if (value) throw UsageError("--" + name + " takes no value");
      flags_set_.push_back(name);
      continue;
    }
    if (!value) {
      if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
      value = argv[++i];
    }
    options_[name] = *value;
  }
}

bool Args::flag(const std::string& name) const {
  return std::find(flags_set_.begin(), flags_set_.end(), name) != flags_set_.end();
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

void Args::allow_only(const std::vector<std::string>& allowed, const std::string& command) const {
  auto check = [&](const std::string& name) {
    if (name == "verbose" || name == "help") return;  // accepted by every command
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "--" : ", --") + a;
      throw UsageError("'" + command + "' does not take --" + name +
                       (list.empty() ? std::string(" (it takes no options)") : " (it takes " + list + ")"));
    }
  };
  for (const auto& [k, v] : options_) check(k);
  for (const auto& f : flags_set_) check(f);
}

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

Table::Table(std::ostream& out, std::vector<Column> columns) : out_(out), columns_(std::move(columns)) {}

namespace {
// Display width of UTF-8 text, counting code points (good enough for a terminal table).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
std::string fit(const std::string& s, std::size_t width) {
  std::string clean;
  for (char c : s) clean += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (display_width(clean) <= width) return clean + std::string(width - display_width(clean), ' ');
  // cut on a code point boundary, leave room for "…"
  std::string out;
  std::size_t w = 0;
  for (std::size_t i = 0; i < clean.size();) {
    std::size_t len = 1;
    unsigned char c = clean[i];
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    if (w + 1 >= width) break;
    out += clean.substr(i, len);
    i += len;
    ++w;
  }
  out += "\xE2\x80\xA6";
  ++w;
  return out + std::string(width > w ? width - w : 0, ' ');
}
}  // namespace

void Table::header() {
  std::vector<std::string> titles;
  std::string line;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    out_ << (i ? "  " : "") << (i + 1 == columns_.size() ? columns_[i].title : fit(columns_[i].title, columns_[i].width));
  }
  out_ << '\n';
  header_done_ = true;
}

void Table::row(const std::vector<std::string>& cells) {
  if (!header_done_) header();
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const std::string& c = i < cells.size() ? cells[i] : std::string();
    if (i + 1 == columns_.size()) {
      out_ << (i ? "  " : "") << c;
    } else {
      out_ << (i ? "  " : "") << fit(c, columns_[i].width);
    }
  }
  out_ << '\n';
}

void json_line(std::ostream& out, const boost::json::value& v) { out << boost::json::serialize(v) << '\n'; }

}  // namespace cli
