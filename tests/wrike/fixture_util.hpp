// Reading the real Wrike bodies in ../shared/wrike-fixtures at run time (never copied here).
#pragma once

#include "shared_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wrike_test {

inline std::optional<std::filesystem::path> fixtures_dir() {
  if (auto shared = wrike_cascade::testing::shared_dir()) return *shared / "wrike-fixtures";
  return std::nullopt;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline boost::json::value read_json(const std::filesystem::path& path) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(read_file(path), ec);
  if (ec) throw std::runtime_error(path.string() + ": not JSON: " + ec.message());
  return v;
}

constexpr std::string_view kNoFixtures =
    "../shared/wrike-fixtures not found (set WRIKE_CASCADE_SHARED_DIR to the folder holding wrike-fixtures/); "
    "the real-Wrike conformance tests need it";

}  // namespace wrike_test

// Declares `json::value name` holding the fixture `rel`, or skips the test when the shared
// folder is absent.
#define WRIKE_LOAD_FIXTURE_OR_SKIP(name, rel)                          \
  const auto name##_dir = ::wrike_test::fixtures_dir();                \
  if (!name##_dir) GTEST_SKIP() << ::wrike_test::kNoFixtures;          \
  const ::boost::json::value name = ::wrike_test::read_json(*name##_dir / (rel))
