// ASCII case folding, the one copy every component uses: HTTP header values and schemes, emails,
// instance names and host names, config keys. Only A-Z change, whatever the C++ locale, which
// is what those protocols and formats mean by "case-insensitive".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wrike_cascade {

constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Whether `a` and `b` are equal but for the case of ASCII letters.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace wrike_cascade
