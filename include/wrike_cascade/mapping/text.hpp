// Text rules of the mapping: Wrike's HTML descriptions reduced to plain text, titles cut to
// Cascade's limits on a character boundary, and a title split into Classic's goal `action`
// (one verb, at most 25 characters) and `details` (at most 300).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace wrike_cascade::mapping {

// At most `max_chars` UTF-8 characters; a cut string ends in "…" (which counts as one).
inline std::string truncate_chars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++chars;
  if (chars <= max_chars) return std::string(s);
  if (max_chars == 0) return {};
  std::size_t keep = max_chars - 1, seen = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == keep) break;
      ++seen;
    }
  }
  std::string out(s.substr(0, i));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\u2026";
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Wrike's description HTML as plain text: tags removed; <br>, </p>, </div>, </li>, </h1-6>
// and </tr> end a line; <p>, <div> and <h1-6> start one; <li> starts "- " on a new line; entities decoded (named: amp lt gt quot apos nbsp;
// numeric &#N; and &#xH;); <script>/<style> content dropped; runs of spaces collapsed; blank
// lines at most one in a row; trimmed.
inline std::string html_to_text(std::string_view html) {
  std::string raw;
  raw.reserve(html.size());
  auto lower_eq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != b[i]) return false;
    }
    return true;
  };
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      auto close = html.find('>', i);
      if (close == std::string_view::npos) break;  // an unterminated tag: drop the rest
      std::string_view tag = html.substr(i + 1, close - i - 1);
      bool end_tag = !tag.empty() && tag[0] == '/';
      if (end_tag) tag.remove_prefix(1);
      std::size_t n = 0;
      while (n < tag.size() && tag[n] != ' ' && tag[n] != '/' && tag[n] != '\t' && tag[n] != '\n') ++n;
      std::string_view name = tag.substr(0, n);
      i = close + 1;
      if (!end_tag && (lower_eq(name, "script") || lower_eq(name, "style"))) {
        std::string_view end = lower_eq(name, "script") ? "</script" : "</style";
        std::size_t j = i;
        for (; j + end.size() <= html.size(); ++j)
          if (lower_eq(html.substr(j, end.size()), end)) break;
        auto gt = html.find('>', j);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
        continue;
      }
      bool heading = name.size() == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6';
      if (lower_eq(name, "br") || (end_tag && (lower_eq(name, "p") || lower_eq(name, "div") || lower_eq(name, "li") ||
                                               lower_eq(name, "tr") || lower_eq(name, "ul") || lower_eq(name, "ol") ||
                                               heading)))
        raw += '\n';
      else if (!end_tag && lower_eq(name, "li")) {
        // On a new line, but no blank line when the previous item's </li> just ended one.
        auto last = raw.find_last_not_of(" \t\r");
        raw += last == std::string::npos || raw[last] == '\n' ? "- " : "\n- ";
      } else if (!end_tag && (lower_eq(name, "p") || lower_eq(name, "div") || heading))
        raw += '\n';
      continue;
    }
    if (c == '&') {
      auto semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ent = html.substr(i + 1, semi - i - 1);
        std::uint32_t cp = 0;
        bool ok = true;
        if (ent == "amp") cp = '&';
        else if (ent == "lt") cp = '<';
        else if (ent == "gt") cp = '>';
        else if (ent == "quot") cp = '"';
        else if (ent == "apos") cp = '\'';
        else if (ent == "nbsp") cp = ' ';
        else if (ent.size() > 1 && ent[0] == '#') {
          bool hex = ent[1] == 'x' || ent[1] == 'X';
          std::string_view digits = ent.substr(hex ? 2 : 1);
          ok = !digits.empty();
          for (char d : digits) {
            std::uint32_t v;
            if (d >= '0' && d <= '9') v = static_cast<std::uint32_t>(d - '0');
            else if (hex && d >= 'a' && d <= 'f') v = static_cast<std::uint32_t>(d - 'a' + 10);
            else if (hex && d >= 'A' && d <= 'F') v = static_cast<std::uint32_t>(d - 'A' + 10);
            else { ok = false; break; }
            cp = cp * (hex ? 16 : 10) + v;
            if (cp > 0x10FFFF) { ok = false; break; }
          }
        } else {
          ok = false;
        }
        if (ok) {
          append_utf8(raw, cp);
          i = semi + 1;
          continue;
        }
      }
    }
    raw += c;
    ++i;
  }
  // Collapse spaces within lines, trim lines, keep at most one blank line in a row.
  std::string out;
  std::size_t blank_run = 0;
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    auto nl = raw.find('\n', pos);
    if (nl == std::string::npos) nl = raw.size();
    std::string line;
    bool space = false;
    for (std::size_t k = pos; k < nl; ++k) {
      char ch = raw[k];
      if (ch == ' ' || ch == '\t' || ch == '\r') {
        space = !line.empty();
      } else {
        if (space) line += ' ';
        space = false;
        line += ch;
      }
    }
    if (line.empty()) {
      ++blank_run;
    } else {
      if (!out.empty()) out += blank_run > 0 ? "\n\n" : "\n";
      out += line;
      blank_run = 0;
    }
    pos = nl + 1;
  }
  return out;
}

// Classic's goal title is `action` (a verb, 1..25 characters) + `details` (1..300): "Increase
// revenue by 10%" -> {"Increase", "revenue by 10%"}. A one-word title, or one whose first word
// is longer than 25 characters, keeps the whole title as details and takes `fallback_verb`.
inline std::pair<std::string, std::string> split_title(std::string_view title, std::string_view fallback_verb) {
  while (!title.empty() && (title.front() == ' ' || title.front() == '\t')) title.remove_prefix(1);
  while (!title.empty() && (title.back() == ' ' || title.back() == '\t')) title.remove_suffix(1);
  auto sp = title.find(' ');
  std::size_t verb_chars = 0;  // Classic's limit is in characters, not bytes
  for (std::size_t i = 0; sp != std::string_view::npos && i < sp; ++i)
    if ((static_cast<unsigned char>(title[i]) & 0xC0) != 0x80) ++verb_chars;
  std::string verb, rest;
  if (sp != std::string_view::npos && verb_chars <= 25) {
    verb = std::string(title.substr(0, sp));
    std::string_view r = title.substr(sp + 1);
    while (!r.empty() && r.front() == ' ') r.remove_prefix(1);
    rest = std::string(r);
  } else {
    verb = std::string(fallback_verb);
    rest = std::string(title);
  }
  if (rest.empty()) rest = "(untitled)";
  return {verb, truncate_chars(rest, 300)};
}

}  // namespace wrike_cascade::mapping
