// Finds ../shared (the real Wrike fixtures) for conformance tests.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace wrike_cascade::testing {

inline std::optional<std::filesystem::path> shared_dir() {
  std::filesystem::path p;
  if (const char* env = std::getenv("WRIKE_CASCADE_SHARED_DIR"); env && *env) {
    p = env;
  } else {
    p = WRIKE_CASCADE_SHARED_DIR;
  }
  if (std::filesystem::is_directory(p / "wrike-fixtures")) return p;
  return std::nullopt;
}

}  // namespace wrike_cascade::testing
