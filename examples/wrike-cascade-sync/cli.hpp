// Small pieces shared by the commands of wrike-cascade-sync: arguments, output, errors.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <ostream>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

// A mistake in how the program was called: printed with usage hints, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `flags` are options without a value (e.g. --json); every other --name takes one.
  Args(std::vector<std::string> argv, std::vector<std::string> flags);
  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const;
  std::optional<std::string> get(const std::string& name) const;
  // Fails with UsageError on any option not in `allowed` (flags included).
  void allow_only(const std::vector<std::string>& allowed, const std::string& command) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> options_;
  std::vector<std::string> flags_set_;
};

std::vector<std::string> split_csv(const std::string& s);

// A plain-text table with fixed column widths, written row by row (so it can stream).
class Table {
 public:
  struct Column {
    std::string title;
    std::size_t width;
  };
  Table(std::ostream& out, std::vector<Column> columns);
  void row(const std::vector<std::string>& cells);

 private:
  void header();
  std::ostream& out_;
  std::vector<Column> columns_;
  bool header_done_ = false;
};

// One JSON value per line.
void json_line(std::ostream& out, const boost::json::value& v);

struct Context {
  std::ostream& out;
  std::ostream& err;
  bool json = false;
  bool verbose = false;
};

// With --verbose, every HTTP exchange of a client is logged to stderr (never headers or bodies).
template <class Config>
void verbose_log(Config& config, Context& ctx) {
  if (!ctx.verbose) return;
  config.log = [&ctx](const auto& r) {
    ctx.err << r.method << ' ' << r.url << " -> " << (r.status ? std::to_string(r.status) : "no response") << " ("
            << r.elapsed.count() << " ms, attempt " << r.attempt << ")" << (r.note.empty() ? "" : " " + r.note) << '\n';
  };
}

}  // namespace cli
