// Running a program the way a user does, for the tests of the sync app: a shell command line
// with extra environment, stdout and stderr captured, the exit code.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace wc_test {

struct ProcessResult {
  int code = -1;  // the exit code; -1 when killed by a signal
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `command` through /bin/sh with `env` added. With `clean_env` the child sees only PATH,
// a HOME and XDG_CONFIG_HOME that hold nothing, and `env` (so no credential leaks in).
inline ProcessResult run_shell(const std::string& command, const std::map<std::string, std::string>& env = {},
                               bool clean_env = false) {
  static int counter = 0;
  const auto err_file = std::filesystem::temp_directory_path() /
                        ("wc-test-err-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::string cmd;
  if (clean_env)
    cmd = "env -i PATH=/usr/bin:/bin HOME=/nonexistent XDG_CONFIG_HOME=" +
          shell_quote(std::filesystem::temp_directory_path().string() + "/wc-test-no-config") + " ";
  for (const auto& [k, v] : env) cmd += k + "=" + shell_quote(v) + " ";
  cmd += command + " 2>" + shell_quote(err_file.string());
  ProcessResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_file);
  return r;
}

// One JSON value per line of `out`.
inline std::vector<boost::json::value> json_lines(const std::string& out) {
  std::vector<boost::json::value> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) v.push_back(boost::json::parse(line));
  return v;
}

}  // namespace wc_test
