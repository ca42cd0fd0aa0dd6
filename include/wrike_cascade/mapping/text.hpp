// Text rules of the mapping: Wrike's HTML descriptions reduced to plain text, titles cut to
// Cascade's limits on a character boundary, and a title split into Classic's goal `action`
// (one verb, at most 25 characters) and `details` (at most 300).
#pragma once

#include <boost/json/string.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace wrike_cascade::mapping {

// Characters, not bytes, of UTF-8 text (every byte that does not continue a character).
inline std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// At most `max_chars` UTF-8 characters; a cut string ends in "…" (which counts as one).
inline std::string truncate_chars(std::string_view s, std::size_t max_chars) {
  if (utf8_length(s) <= max_chars) return std::string(s);
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

// `cp` as UTF-8 into `out` (room for 4), returning the byte count; an invalid code point (0,
// a surrogate, above U+10FFFF) becomes U+FFFD.
inline std::size_t encode_utf8(std::uint32_t cp, char* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  char buf[4];
  out.append(buf, encode_utf8(cp, buf));
}

namespace text_detail {
// Characters that need no care in html_to_text: all but '<', '&' and white space.
inline constexpr auto kOrdinary = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = c != '<' && c != '&' && c != ' ' && c != '\t' && c != '\r' && c != '\n';
  return t;
}();

// The plain-text writer of html_to_text: collapses spaces, trims lines and keeps at most one
// blank line in a row as the text arrives, so no intermediate copy and no string per line. It
// writes through a pointer into a buffer sized for the input (the text is never longer than the
// HTML, but every write still checks the room it needs and grows the buffer if it must).
struct TextSink {
  std::string buf;
  char* w = nullptr;
  char* end = nullptr;
  std::size_t blank_run = 0;
  bool line_has_text = false;
  bool pending_space = false;
  bool after_newline = true;  // the last character that was not a space was a line end (or none)

  void begin(std::size_t input_size) {
    if (buf.size() > (std::size_t{1} << 20) && input_size < (std::size_t{1} << 19)) buf = std::string();  // let a huge one go
    if (buf.size() < input_size + 16) buf.resize(input_size + 16);
    w = buf.data();
    end = buf.data() + buf.size();
    blank_run = 0;
    line_has_text = pending_space = false;
    after_newline = true;
  }
  void room(std::size_t n) {
    if (static_cast<std::size_t>(end - w) >= n) return;
    const std::size_t used = static_cast<std::size_t>(w - buf.data());
    buf.resize(2 * buf.size() + n);
    w = buf.data() + used;
    end = buf.data() + buf.size();
  }
  std::string_view text() const { return {buf.data(), static_cast<std::size_t>(w - buf.data())}; }
  void newline() {
    if (!line_has_text) ++blank_run;
    line_has_text = pending_space = false;
    after_newline = true;
  }
  void space() { pending_space = line_has_text; }
  void start_text() {
    room(2);
    if (!line_has_text) {
      if (w != buf.data()) {
        *w++ = '\n';
        if (blank_run > 0) *w++ = '\n';
      }
      blank_run = 0;
      line_has_text = true;
    } else if (pending_space) {
      *w++ = ' ';
    }
    pending_space = after_newline = false;
  }
  void put(char c) {
    if (c == '\n') newline();
    else if (c == ' ' || c == '\t' || c == '\r') space();
    else {
      start_text();
      room(1);
      *w++ = c;
    }
  }
  void append(std::string_view run) {  // ordinary characters, after start_text()
    room(run.size());
    std::memcpy(w, run.data(), run.size());
    w += run.size();
  }
};

// html_to_text's conversion, written into `s`.
inline void html_to_text_into(std::string_view html, TextSink& s) {
  auto lower_eq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != b[i]) return false;
    }
    return true;
  };
  // The tags that shape the text, by their lower-case name (anything else is dropped).
  enum class Tag { Other, Br, P, Div, Li, Tr, List, Heading, Script, Style };
  auto classify = [](std::string_view name) {
    if (name.empty() || name.size() > 6) return Tag::Other;
    char l[6] = {};
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      l[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    switch (name.size()) {  // plain character tests: no string comparison per tag
      case 1: return l[0] == 'p' ? Tag::P : Tag::Other;
      case 2:
        if (l[0] == 'b' && l[1] == 'r') return Tag::Br;
        if (l[0] == 'l' && l[1] == 'i') return Tag::Li;
        if (l[0] == 't' && l[1] == 'r') return Tag::Tr;
        if ((l[0] == 'u' || l[0] == 'o') && l[1] == 'l') return Tag::List;
        if (l[0] == 'h' && l[1] >= '1' && l[1] <= '6') return Tag::Heading;
        return Tag::Other;
      case 3: return l[0] == 'd' && l[1] == 'i' && l[2] == 'v' ? Tag::Div : Tag::Other;
      case 5: return std::string_view(l, 5) == "style" ? Tag::Style : Tag::Other;
      case 6: return std::string_view(l, 6) == "script" ? Tag::Script : Tag::Other;
      default: return Tag::Other;
    }
  };
  const std::size_t n = html.size();
  std::size_t i = 0;
  while (i < n) {
    char c = html[i];
    if (c == '<') {
      // The name (up to white space, '/' or '>'), read in place; then the '>' that ends the tag.
      std::size_t k = i + 1;
      const bool end_tag = k < n && html[k] == '/';
      if (end_tag) ++k;
      const std::size_t name_start = k;
      while (k < n && html[k] != '>' && html[k] != ' ' && html[k] != '/' && html[k] != '\t' && html[k] != '\n') ++k;
      const std::size_t close = k < n && html[k] == '>' ? k : html.find('>', k);
      if (close == std::string_view::npos) break;  // an unterminated tag: drop the rest
      const Tag kind = classify(html.substr(name_start, k - name_start));
      i = close + 1;
      if (kind == Tag::Other) continue;
      if (!end_tag && (kind == Tag::Script || kind == Tag::Style)) {
        std::string_view end = kind == Tag::Script ? "</script" : "</style";
        std::size_t j = i;
        for (; j + end.size() <= n; ++j)
          if (html[j] == '<' && lower_eq(html.substr(j, end.size()), end)) break;
        auto gt = html.find('>', j);
        i = gt == std::string_view::npos ? n : gt + 1;
        continue;
      }
      if (kind == Tag::Br || (end_tag && kind != Tag::Script && kind != Tag::Style))
        s.newline();
      else if (kind == Tag::Li) {
        // On a new line, but no blank line when the previous item's </li> just ended one.
        if (!s.after_newline) s.newline();
        s.put('-');
        s.space();
      } else if (kind == Tag::P || kind == Tag::Div || kind == Tag::Heading)
        s.newline();
      continue;
    }
    if (c == '&') {
      // An entity ends within 10 characters; look no further (no scan to a far ';').
      std::size_t semi = i + 1;
      const std::size_t limit = std::min(n, i + 11);
      while (semi < limit && html[semi] != ';') ++semi;
      if (semi < limit) {
        std::string_view ent = html.substr(i + 1, semi - i - 1);
        std::uint32_t cp = 0;
        bool ok = true;
        auto is = [&ent](const char* name, std::size_t len) {  // no string comparison call
          if (ent.size() != len) return false;
          for (std::size_t x = 0; x < len; ++x)
            if (ent[x] != name[x]) return false;
          return true;
        };
        if (is("amp", 3)) cp = '&';
        else if (is("lt", 2)) cp = '<';
        else if (is("gt", 2)) cp = '>';
        else if (is("quot", 4)) cp = '"';
        else if (is("apos", 4)) cp = '\'';
        else if (is("nbsp", 4)) cp = ' ';
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
          char bytes[4];
          const std::size_t len = encode_utf8(cp, bytes);
          if (len == 1) {
            s.put(bytes[0]);  // white space from an entity counts as white space
          } else {
            s.start_text();
            s.append(std::string_view(bytes, len));
          }
          i = semi + 1;
          continue;
        }
      }
    }
    // A run of ordinary characters in one piece, single spaces between words included (they
    // are kept as they are; a longer run of white space ends the run and is collapsed).
    auto ordinary = [](char d) { return text_detail::kOrdinary[static_cast<unsigned char>(d)]; };
    std::size_t j = i;
    while (j < n) {
      while (j < n && ordinary(html[j])) ++j;
      if (j > i && j + 1 < n && html[j] == ' ' && ordinary(html[j + 1])) j += 2;
      else break;
    }
    if (j > i) {
      s.start_text();
      s.append(html.substr(i, j - i));
      i = j;
    } else {
      s.put(c);
      ++i;
    }
  }
}

// The text of `html`, in a per-thread buffer that keeps its capacity between calls: valid until
// the thread's next conversion, so each caller copies it at once.
inline std::string_view html_to_text_view(std::string_view html) {
  thread_local TextSink s;
  s.begin(html.size());
  html_to_text_into(html, s);
  return s.text();
}
}  // namespace text_detail

// Wrike's description HTML as plain text: tags removed; <br>, </p>, </div>, </li>, </h1-6>
// and </tr> end a line; <p>, <div> and <h1-6> start one; <li> starts "- " on a new line; entities decoded (named: amp lt gt quot apos nbsp;
// numeric &#N; and &#xH;); <script>/<style> content dropped; runs of spaces collapsed; blank
// lines at most one in a row; trimmed.
inline std::string html_to_text(std::string_view html) { return std::string(text_detail::html_to_text_view(html)); }
// The same as a JSON string (made at its exact size in `sp`'s memory).
inline boost::json::string html_to_json_text(std::string_view html, boost::json::storage_ptr sp = {}) {
  return boost::json::string(text_detail::html_to_text_view(html), std::move(sp));
}

// Classic's goal title is `action` (a verb, 1..25 characters) + `details` (1..300): "Increase
// revenue by 10%" -> {"Increase", "revenue by 10%"}. A one-word title, or one whose first word
// is longer than 25 characters, keeps the whole title as details and takes `fallback_verb`.
inline std::pair<std::string, std::string> split_title(std::string_view title, std::string_view fallback_verb) {
  while (!title.empty() && (title.front() == ' ' || title.front() == '\t')) title.remove_prefix(1);
  while (!title.empty() && (title.back() == ' ' || title.back() == '\t')) title.remove_suffix(1);
  auto sp = title.find(' ');
  std::string verb, rest;
  if (sp != std::string_view::npos && utf8_length(title.substr(0, sp)) <= 25) {  // characters, not bytes
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
