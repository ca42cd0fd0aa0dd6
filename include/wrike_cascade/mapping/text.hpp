// Text rules of the mapping: Wrike's HTML descriptions reduced to plain text, titles cut to
// Cascade's limits on a character boundary, and a title split into Classic's goal `action`
// (one verb, at most 25 characters) and `details` (at most 300).
#pragma once

#include <boost/json/string.hpp>

#include <algorithm>
#include <array>
#include <cassert>
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
// bytes and single spaces between them. It may stop early at any space or control byte (the
// caller then goes on byte by byte, which gives the same text), never late. A space that ends the
// run (before a tag, an entity or a control byte) is read but not written: the result says so,
// and the caller owes it as a separator (it may end the line instead). With SSE2, sixteen bytes
// per step, each block stored as it is scanned: `w` must be no further into its buffer than `p`
// is into the input, and the buffer no shorter than the input.
inline bool copy_text_run(const char*& p, const char* e, char*& w) {
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
  const bool space_ends = q[-1] == ' ';  // read, not written
  p = q;
  w = out - space_ends;
  return space_ends;
}

// The buffer html_to_text writes into: as long as the input and a little more (the text is never
// longer than the HTML; see html_to_text_into).
struct TextSink {
  std::string buf;
  std::size_t used = 0;

  void begin(std::size_t input_size) {
    if (buf.size() > (std::size_t{1} << 20) && input_size < (std::size_t{1} << 19)) buf = std::string();  // let a huge one go
    if (buf.size() < input_size + 16) buf.resize(input_size + 16);
    used = 0;
  }
  std::string_view text() const { return {buf.data(), used}; }
};

// Where the tag that starts at `p` ('<') has its name and its end, found with one 16-byte
// load where the input allows (the name ends at white space, '/' or '>'; the tag at '>').
struct TagSpan {
  const char* name;
  std::size_t size;    // of the name
  const char* close;   // the '>', or nullptr: the tag is never closed
  bool end_tag;        // "</name"
};
inline TagSpan scan_tag(const char* p, const char* e) {
  TagSpan t{};
  const char* k = p + 1;
  t.end_tag = k < e && *k == '/';
  if (t.end_tag) ++k;
  t.name = k;
#if defined(__SSE2__)
  if (e - p >= 17) {  // p[1..16] in one load
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    auto is = [&x](char c) { return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)))); };
    const unsigned gt = is('>');
    // Name ends, past the '/' of an end tag (bit 0).
    const unsigned stops = (gt | is('/') | is(' ') | is('\t') | is('\n')) & ~static_cast<unsigned>(t.end_tag);
    if (stops) {
      const unsigned at = static_cast<unsigned>(__builtin_ctz(stops));  // the name's end, from p + 1
      t.size = at - static_cast<unsigned>(t.end_tag);
      const unsigned later_gt = gt >> at;  // a '>' at or after the name's end
      if (later_gt) {
        t.close = p + 1 + at + static_cast<unsigned>(__builtin_ctz(later_gt));
      } else {
        t.close = static_cast<const char*>(std::memchr(p + 17, '>', static_cast<std::size_t>(e - p - 17)));
      }
      return t;
    }
  }
#endif
  while (k < e && !kTagNameEnd[static_cast<unsigned char>(*k)]) ++k;
  t.size = static_cast<std::size_t>(k - t.name);
  t.close = k < e && *k == '>' ? k : static_cast<const char*>(std::memchr(k, '>', static_cast<std::size_t>(e - k)));
  return t;
}

// The tags that shape the text, by their lower-case name (anything else is dropped).
enum class Tag : unsigned char { Other, Br, P, Div, Li, Tr, List, Heading, Script, Style };
inline Tag classify_tag(const char* n, std::size_t size) {
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
}

// Whether the N bytes at `a` (N at most 8) are `b`: loads and one compare, where memcmp would
// be a call.
template <std::size_t N>
inline bool same_bytes(const char* a, const char* b) {
  static_assert(N <= 8);
  std::uint64_t x = 0, y = 0;
  std::memcpy(&x, a, N);
  std::memcpy(&y, b, N);
  return x == y;
}

// The entity at `p` ('&'): its code point and where it ends, or false (then the '&' is text).
inline bool decode_entity(const char* p, const char* e, std::uint32_t& cp, const char*& after) {
  // The six named ones first, compared in place: no scan for the ';'.
  const std::size_t left = static_cast<std::size_t>(e - p);
  auto named = [&]<std::size_t N>(const char (&rest)[N], std::uint32_t c) {  // rest: the name and ';'
    constexpr std::size_t len = N - 1;
    if (left <= len || !same_bytes<len>(p + 1, rest)) return false;
    cp = c;
    after = p + 1 + len;
    return true;
  };
  switch (left > 1 ? p[1] : 0) {
    case 'l': return named("lt;", '<');
    case 'g': return named("gt;", '>');
    case 'a': return named("amp;", '&') || named("apos;", '\'');
    case 'n': return named("nbsp;", ' ');
    case 'q': return named("quot;", '"');
    case '#': break;
    default: return false;
  }
  // "&#" then decimal digits, or "&#x" / "&#X" then hex digits, then ';', within 11 bytes
  // (the largest code point, &#1114111;, takes 10); anything else is not an entity.
  const char* q = p + 2;
  const char* const limit = left > 11 ? p + 11 : e;
  const bool hex = q < limit && (*q == 'x' || *q == 'X');
  if (hex) ++q;
  const char* const digits = q;
  std::uint32_t v = 0;
  for (; q < limit; ++q) {
    const unsigned char d = static_cast<unsigned char>(*q);
    std::uint32_t x;
    if (d - '0' < 10u) x = d - '0';
    else if (hex && (d | 0x20u) - 'a' < 6u) x = (d | 0x20u) - 'a' + 10;
    else break;
    v = v * (hex ? 16 : 10) + x;
    if (v > 0x10FFFF) return false;
  }
  if (q == digits || q >= limit || *q != ';') return false;
  cp = v;
  after = q + 1;
  return true;
}

// html_to_text's conversion, written into `s`, in one pass. What is owed before the next text
// (nothing, a space, a line end, a blank line) is one small state, so starting text is a table
// lookup and a two-byte store with no branches.
//
// The writes need no checks: the text written plus the separator owed never outgrows the input
// read. Each step pays for what it adds: a text byte for itself; a space or line end owed (at
// most one byte more) for the white space byte, tag (3 bytes and more) or entity (4 and more) it
// came from; "<li>" for its "- " and line end; a decoded entity (1 to 4 bytes of UTF-8) for its
// own 4 to 10. So the stores stay within the input's length and one byte more: an entity's four
// bytes and a run's sixteen-byte blocks within it (that many bytes of input are left), and a
// separator's two bytes (written whole, counted as 0 to 2) at most one past it, since text
// follows. TextSink keeps 16 bytes more.
inline void html_to_text_into(std::string_view html, TextSink& s) {
  const char* p = html.data();
  const char* const e = p + html.size();
  char* const base = s.buf.data();
  char* w = base;
  // The separator owed: kStart is "nothing written yet" (separators before the first text are
  // dropped); after text, white space owes a space; a line end owes '\n', two or more "\n\n".
  enum : unsigned char { kNone, kSpace, kLine, kBlank, kStart };
  static constexpr unsigned char kOnSpace[] = {kSpace, kSpace, kLine, kBlank, kStart};
  static constexpr unsigned char kOnLineEnd[] = {kLine, kLine, kBlank, kBlank, kStart};
  static constexpr char kSepBytes[][2] = {{0, 0}, {' ', 0}, {'\n', 0}, {'\n', '\n'}, {0, 0}};
  static constexpr unsigned char kSepSize[] = {0, 1, 1, 2, 0};
  unsigned sep = kStart;

  auto text_starts = [&] {
    std::memcpy(w, kSepBytes[sep], 2);
    w += kSepSize[sep];
    sep = kNone;
  };
  auto put = [&](char c) {  // one character of text or white space
    switch (kByteClass[static_cast<unsigned char>(c)]) {
      case kLineEnd: sep = kOnLineEnd[sep]; break;
      case kSpace: sep = kOnSpace[sep]; break;
      default: text_starts(); *w++ = c;
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

  while (p < e) {
    switch (kByteClass[static_cast<unsigned char>(*p)]) {
      case kSpace: sep = kOnSpace[sep]; ++p; continue;
      case kLineEnd: sep = kOnLineEnd[sep]; ++p; continue;
      case kTagStart: {
        const TagSpan t = scan_tag(p, e);
        if (!t.close) {  // an unterminated tag: drop the rest
          p = e;
          continue;
        }
        p = t.close + 1;
        const Tag kind = classify_tag(t.name, t.size);
        switch (kind) {
          case Tag::Other: break;
          case Tag::Script:
          case Tag::Style:
            if (!t.end_tag) {  // skip to the matching end tag, and past its '>'
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
            if (t.end_tag) {
              sep = kOnLineEnd[sep];
            } else {
              // On a new line, but no blank line when the previous item's </li> just ended one.
              if (sep < kLine) sep = kLine;
              text_starts();
              *w++ = '-';
              sep = kSpace;
            }
            break;
          case Tag::Br:
          case Tag::P:
          case Tag::Div:
          case Tag::Heading: sep = kOnLineEnd[sep]; break;  // <br>, <p>, <div>, <h1-6> and their end tags end a line
          default:
            if (t.end_tag) sep = kOnLineEnd[sep];  // </tr>, </ul>, </ol> end a line (<tr>, <ul>, <ol> do not)
            break;
        }
        continue;
      }
      case kEntityStart: {
        std::uint32_t cp = 0;
        const char* after = nullptr;
        if (decode_entity(p, e, cp, after)) {
          char bytes[4] = {};
          const std::size_t len = encode_utf8(cp, bytes);
          if (len == 1) {
            put(bytes[0]);  // white space from an entity counts as white space
          } else {
            text_starts();
            std::memcpy(w, bytes, 4);
            w += len;
          }
          p = after;
          continue;
        }
        text_starts();  // not an entity: the '&' is text
        *w++ = *p++;
        continue;
      }
      default:
        // A run of text in one piece, single spaces between words included.
        text_starts();
        if (copy_text_run(p, e, w)) sep = kSpace;
        continue;
    }
  }
  assert(w <= base + html.size());
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
