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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
// What each byte is to html_to_text: text, a space (space, tab, carriage return), a line end,
// or the start of a tag or an entity.
enum ByteClass : unsigned char { kText, kSpace, kLineEnd, kTagStart, kEntityStart };
inline constexpr auto kByteClass = [] {
  std::array<unsigned char, 256> t{};
  t[' '] = t['\t'] = t['\r'] = kSpace;
  t['\n'] = kLineEnd;
  t['<'] = kTagStart;
  t['&'] = kEntityStart;
  return t;
}();
// The bytes that end a tag's name: '>', '/', space, tab, line end.
inline constexpr auto kTagNameEnd = [] {
  std::array<bool, 256> t{};
  t['>'] = t['/'] = t[' '] = t['\t'] = t['\n'] = true;
  return t;
}();

// Copies the run of text that starts at `p` (a text byte) to `w`, and moves both past it: text
// bytes and single spaces between them, not a space that ends the run. It may stop early at any
// space or control byte (the caller then goes on byte by byte, which gives the same text), never
// late. With SSE2, sixteen bytes per step, each block stored as it is scanned: `w` needs room
// for the rest of the input and 16 bytes more.
inline void copy_text_run(const char*& p, const char* e, char*& w) {
  const char* q = p;
  char* out = w;
  *out++ = *q++;  // the first byte is text, whatever it is
#if defined(__SSE2__)
  const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), sp = _mm_set1_epi8(' ');
  for (;;) {
    if (e - q < 16) goto bytes;
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), x);
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(x, sp), sp);  // bytes up to 0x20, space included
    const unsigned stop = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, lt), _mm_cmpeq_epi8(x, amp)), low)));
    const unsigned space = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp)));
    // A space stops the run only before another space (or at the last byte, not knowing the
    // next); one before '<', '&' or a control byte is taken back below.
    const unsigned special = (stop & ~space) | (space & ((space >> 1) | 0x8000u));
    if (special) {
      const unsigned n = static_cast<unsigned>(__builtin_ctz(special));
      q += n;
      out += n;
      goto done;
    }
    q += 16;
    out += 16;
  }
bytes:
#endif
  while (q < e) {
    if (kByteClass[static_cast<unsigned char>(*q)] == kText) {
      *out++ = *q++;
    } else if (*q == ' ' && q + 1 < e && kByteClass[static_cast<unsigned char>(q[1])] == kText) {
      out[0] = ' ';
      out[1] = q[1];
      out += 2;
      q += 2;
    } else {
      break;
    }
  }
#if defined(__SSE2__)
done:
#endif
  if (q[-1] == ' ') {  // a space before a tag, an entity or a control byte is the loop's (it may end the line)
    --q;
    --out;
  }
  p = q;
  w = out;
}

// The buffer html_to_text writes into: sized for the input (the text is never longer than the
// HTML, but every write still checks the room it needs and grows the buffer if it must).
struct TextSink {
  std::string buf;
  std::size_t used = 0;

  void begin(std::size_t input_size) {
    if (buf.size() > (std::size_t{1} << 20) && input_size < (std::size_t{1} << 19)) buf = std::string();  // let a huge one go
    if (buf.size() < input_size + 32) buf.resize(input_size + 32);
    used = 0;
  }
  std::string_view text() const { return {buf.data(), used}; }
};

// html_to_text's conversion, written into `s`. The writer's state lives in locals (so stores
// through the output pointer do not make the compiler reload it): it collapses spaces, trims
// lines and keeps at most one blank line in a row as the text arrives, with no second pass.
inline void html_to_text_into(std::string_view html, TextSink& s) {
  const char* p = html.data();
  const char* const e = p + html.size();
  char* base = s.buf.data();
  char* w = base;
  char* end = base + s.buf.size();
  std::size_t blank_run = 0;
  bool line_has_text = false, pending_space = false;
  bool after_newline = true;  // the last character that was not a space was a line end (or none)

  auto room = [&](std::size_t n) {
    if (static_cast<std::size_t>(end - w) >= n) [[likely]]
      return;
    const std::size_t at = static_cast<std::size_t>(w - base);
    s.buf.resize(2 * s.buf.size() + n);
    base = s.buf.data();
    w = base + at;
    end = base + s.buf.size();
  };
  auto newline = [&] {
    if (!line_has_text) ++blank_run;
    line_has_text = pending_space = false;
    after_newline = true;
  };
  auto space = [&] { pending_space = line_has_text; };
  auto start_text = [&](std::size_t n) {  // then n bytes of text follow
    room(n + 2);
    if (!line_has_text) {
      if (w != base) {
        *w++ = '\n';
        if (blank_run > 0) *w++ = '\n';
      }
      blank_run = 0;
      line_has_text = true;
    } else if (pending_space) {
      *w++ = ' ';
    }
    pending_space = after_newline = false;
  };
  auto put = [&](char c) {
    switch (kByteClass[static_cast<unsigned char>(c)]) {
      case kLineEnd: newline(); break;
      case kSpace: space(); break;
      default: start_text(1); *w++ = c;
    }
  };
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
  auto classify = [](const char* n, std::size_t size) {
    auto is = [n](std::size_t i, char lower) { return (n[i] | 0x20) == lower; };  // either case of a letter
    switch (size) {  // plain character tests: no string comparison per tag
      case 1: return is(0, 'p') ? Tag::P : Tag::Other;
      case 2:
        if (is(0, 'b') && is(1, 'r')) return Tag::Br;
        if (is(0, 'l') && is(1, 'i')) return Tag::Li;
        if (is(0, 't') && is(1, 'r')) return Tag::Tr;
        if ((is(0, 'u') || is(0, 'o')) && is(1, 'l')) return Tag::List;
        if (is(0, 'h') && n[1] >= '1' && n[1] <= '6') return Tag::Heading;
        return Tag::Other;
      case 3: return is(0, 'd') && is(1, 'i') && is(2, 'v') ? Tag::Div : Tag::Other;
      case 5: return is(0, 's') && is(1, 't') && is(2, 'y') && is(3, 'l') && is(4, 'e') ? Tag::Style : Tag::Other;
      case 6:
        return is(0, 's') && is(1, 'c') && is(2, 'r') && is(3, 'i') && is(4, 'p') && is(5, 't') ? Tag::Script : Tag::Other;
      default: return Tag::Other;
    }
  };
  // An entity at `p` ('&'): its code point and its end, or false.
  auto entity = [&](std::uint32_t& cp, const char*& after) {
    // The six named ones first, compared in place: no scan for the ';'.
    const std::size_t left = static_cast<std::size_t>(e - p);
    auto named = [&](const char* rest, std::size_t len, std::uint32_t c) {  // rest: the name and ';'
      if (left <= len) return false;
      for (std::size_t i = 0; i < len; ++i)
        if (p[1 + i] != rest[i]) return false;
      cp = c;
      after = p + 1 + len;
      return true;
    };
    switch (left > 1 ? p[1] : 0) {
      case 'l': return named("lt;", 3, '<');
      case 'g': return named("gt;", 3, '>');
      case 'a': return named("amp;", 4, '&') || named("apos;", 5, '\'');
      case 'n': return named("nbsp;", 5, ' ');
      case 'q': return named("quot;", 5, '"');
      case '#': break;
      default: return false;
    }
    // A numeric one ends within 10 characters; look no further (no scan to a far ';').
    const char* semi = p + 1;
    const char* const limit = e - p > 11 ? p + 11 : e;
    while (semi < limit && *semi != ';') ++semi;
    if (semi >= limit) return false;
    const std::string_view ent(p + 1, static_cast<std::size_t>(semi - p - 1));
    after = semi + 1;
    if (ent.size() > 1) {  // "#" and the digits
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      if (digits.empty()) return false;
      cp = 0;
      for (char d : digits) {
        std::uint32_t v;
        if (d >= '0' && d <= '9') v = static_cast<std::uint32_t>(d - '0');
        else if (hex && d >= 'a' && d <= 'f') v = static_cast<std::uint32_t>(d - 'a' + 10);
        else if (hex && d >= 'A' && d <= 'F') v = static_cast<std::uint32_t>(d - 'A' + 10);
        else return false;
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10FFFF) return false;
      }
    } else {
      return false;
    }
    return true;
  };

  while (p < e) {
    switch (kByteClass[static_cast<unsigned char>(*p)]) {
      case kSpace: space(); ++p; continue;
      case kLineEnd: newline(); ++p; continue;
      case kTagStart: {
        // The name (up to white space, '/' or '>'), read in place; then the '>' that ends the tag.
        const char* k = p + 1;
        const bool end_tag = k < e && *k == '/';
        if (end_tag) ++k;
        const char* const name = k;
        while (k < e && !kTagNameEnd[static_cast<unsigned char>(*k)]) ++k;
        const char* close = k < e && *k == '>' ? k : static_cast<const char*>(std::memchr(k, '>', static_cast<std::size_t>(e - k)));
        if (!close) {  // an unterminated tag: drop the rest
          p = e;
          continue;
        }
        const Tag kind = classify(name, static_cast<std::size_t>(k - name));
        p = close + 1;
        switch (kind) {
          case Tag::Other: break;
          case Tag::Script:
          case Tag::Style:
            if (!end_tag) {  // skip to the matching end tag, and past its '>'
              const std::string_view endtag = kind == Tag::Script ? "</script" : "</style";
              const std::string_view rest(p, static_cast<std::size_t>(e - p));
              std::size_t j = 0;
              for (; j + endtag.size() <= rest.size(); ++j)
                if (rest[j] == '<' && lower_eq(rest.substr(j, endtag.size()), endtag)) break;
              const std::size_t gt = rest.find('>', j);
              p = gt == std::string_view::npos ? e : p + gt + 1;
            }
            break;
          case Tag::Li:
            if (end_tag) {
              newline();
            } else {
              // On a new line, but no blank line when the previous item's </li> just ended one.
              if (!after_newline) newline();
              put('-');
              space();
            }
            break;
          default:  // <br> and any end tag end a line; <p>, <div> and <h1-6> start one (<tr>, <ul>, <ol> do not)
            if (kind == Tag::Br || end_tag || kind == Tag::P || kind == Tag::Div || kind == Tag::Heading) newline();
            break;
        }
        continue;
      }
      case kEntityStart: {
        std::uint32_t cp = 0;
        const char* after = nullptr;
        if (entity(cp, after)) {
          char bytes[4];
          const std::size_t len = encode_utf8(cp, bytes);
          if (len == 1) {
            put(bytes[0]);  // white space from an entity counts as white space
          } else {
            start_text(len);
            std::memcpy(w, bytes, len);
            w += len;
          }
          p = after;
          continue;
        }
        start_text(1);  // not an entity: the '&' is text
        *w++ = *p++;
        continue;
      }
      default: {
        // A run of text in one piece, single spaces between words included.
        start_text(static_cast<std::size_t>(e - p) + 16);  // room for the rest and a block
        copy_text_run(p, e, w);
        continue;
      }
    }
  }
  s.used = static_cast<std::size_t>(w - base);
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
