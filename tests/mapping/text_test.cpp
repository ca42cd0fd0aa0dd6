// The text rules: Wrike's description HTML as plain text, Classic's goal title split into
// `action` + `details`, and cutting text to a number of characters on a UTF-8 boundary.
#include <wrike_cascade/mapping/text.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace m = wrike_cascade::mapping;

struct TextCase {
  std::string name;
  std::string in;
  std::string out;
};

TEST(HtmlToText, Table) {
  const std::vector<TextCase> cases{
      {"plain text", "plain text", "plain text"},
      {"empty", "", ""},
      {"inline tags removed", "<b>bold</b> and <i class=\"x\">italic</i>", "bold and italic"},
      {"adjacent inline tags join", "<b>a</b><i>b</i>", "ab"},
      {"br in every spelling", "a<br>b<br/>c<BR />d<br\t/>e", "a\nb\nc\nd\ne"},
      {"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
      {"text then paragraph", "intro<p>body</p>", "intro\nbody"},
      {"divs", "<div>a</div>b", "a\nb"},
      {"headings end a line", "<h1>Title</h1>text<H3>Sub</H3>more", "Title\ntext\nSub\nmore"},
      {"not a heading", "a<h7>b</h7>c", "abc"},
      {"list items", "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter"},
      {"list at the start", "<li>x</li>", "- x"},
      {"ordered list after text", "Steps:<ol><li>a</li><li>b</li></ol>", "Steps:\n- a\n- b"},
      {"table rows", "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>", "a\nb"},
      {"named entities", "&amp; &lt;tag&gt; &quot;q&quot; &apos;s&apos;", "& <tag> \"q\" 's'"},
      {"nbsp is a space and collapses", "a&nbsp;&nbsp; b", "a b"},
      {"decimal entity", "&#65;&#66;", "AB"},
      {"hex entity", "&#x41;&#X42;&#x20AC;", "AB\xE2\x82\xAC"},
      {"astral entity", "&#x1F600;", "\xF0\x9F\x98\x80"},
      {"zero becomes replacement char", "a&#0;b", "a\xEF\xBF\xBD" "b"},
      {"surrogate becomes replacement char", "&#xD800;", "\xEF\xBF\xBD"},
      {"out of range kept", "&#1114112;", "&#1114112;"},
      {"unknown name kept", "&bogus; &copy;", "&bogus; &copy;"},
      {"bad hex digits kept", "&#xZZ;", "&#xZZ;"},
      {"bad decimal digits kept", "&#12a;", "&#12a;"},
      {"empty numeric kept", "&#; &#x;", "&#; &#x;"},
      {"no semicolon kept", "AT&T and &amp", "AT&T and &amp"},
      {"semicolon too far kept", "a & this is far; b", "a & this is far; b"},
      {"escaped tag stays text", "&lt;b&gt;x&lt;/b&gt;", "<b>x</b>"},
      {"script dropped", "a<script>alert('<b>hi</b>')</script>b", "ab"},
      {"style dropped", "<style type=\"text/css\">p { color: red }</style>text", "text"},
      {"upper-case script dropped", "x<SCRIPT>y</Script>z", "xz"},
      {"unterminated script drops the rest", "a<script>never closed", "a"},
      {"unterminated tag drops the rest", "keep <b this", "keep"},
      {"spaces collapse", "  a \t  b   c  ", "a b c"},
      {"lines trimmed", "  a  \n   b  ", "a\nb"},
      {"at most one blank line", "a\n\n\n\nb", "a\n\nb"},
      {"leading and trailing blank lines dropped", "<br><br>a<br><br><br>", "a"},
      {"CR treated as space", "a\r\nb", "a\nb"},
      {"UTF-8 kept", "Привет <b>мир</b> — 日本語 😀", "Привет мир — 日本語 😀"},
      {"UTF-8 in entities and tags", "<p>Ça&nbsp;va</p>", "Ça va"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + ": " + c.in);
    EXPECT_EQ(m::html_to_text(c.in), c.out);
  }
}

// Long runs of text are scanned sixteen bytes at a time: whatever the offset of a space, a run of
// spaces, a tag, an entity or a control byte within those blocks, the text is the same as a
// word-by-word reading gives.
TEST(HtmlToText, RunsAcrossBlocksAtEveryOffset) {
  const std::vector<std::pair<std::string, std::string>> breaks{
      {" ", " "}, {"  ", " "}, {" \t ", " "}, {"\t", " "}, {" <b>", " "}, {"<b> ", " "}, {"<b>", ""},
      {" &amp; ", " & "}, {"&amp;", "&"}, {" \n", "\n"}, {"<br> ", "\n"}, {"\x01", "\x01"}, {" \x01 ", " \x01 "},
  };
  for (const auto& [sep, shown] : breaks)
    for (std::size_t a = 1; a <= 40; ++a)
      for (std::size_t b : {std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{17}, std::size_t{33}}) {
        const std::string left(a, 'x'), right(b, 'y');
        const std::string html = "<p>" + left + sep + right + " " + left + sep + right + "</p>";
        const std::string text = left + shown + right + " " + left + shown + right;
        ASSERT_EQ(m::html_to_text(html), text) << "separator \"" << sep << "\" after " << a << " bytes";
      }
  // Multi-byte characters cross the blocks whole.
  std::string html, text;
  for (int i = 0; i < 30; ++i) {
    html += "\xC3\xA9t\xC3\xA9 ";
    text += "\xC3\xA9t\xC3\xA9 ";
  }
  text.pop_back();
  EXPECT_EQ(m::html_to_text(html), text);
}

// The conversion writes without checking room, because its text is never longer than the
// HTML read so far (see html_to_text_into): its stores reach at most one byte past the input's
// length. Random mixes of markup, entities, white space and text, cut anywhere, into a buffer as
// long as the input and one byte, then a guard: the guard must be untouched, and the text the
// same as html_to_text gives.
TEST(HtmlToText, NeverWritesPastTheInputsLength) {
  const std::vector<std::string> pieces{
      "<p>", "</p>", "<b>", "</b>", "<br>", "<br/>", "<BR />", "<li>", "</li>", "<ul>", "</ul>", "</tr>", "<div>",
      "<h2 id=1>", "<a href=\"https://example.com/a/b\">", "</a>", "<script>x</script>", "<style>", "<", ">", "<>",
      "</>", "&amp;", "&lt;", "&nbsp;", "&#65;", "&#x20AC;", "&#x1F600;", "&#0;", "&#10;", "&#9;", "&#1114112;", "&",
      "&#", "&am", " ", "  ", "\t", "\n", "\r", "\x01", "a", "word", "two words here", "\xC3\xA9",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "<averyveryverylongtagname x=1>"};
  std::uint64_t seed = 20261202;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(seed >> 33);
  };
  for (int i = 0; i < 20000; ++i) {
    std::string html;
    for (std::size_t k = next() % 30; k > 0; --k) html += pieces[next() % pieces.size()];
    if (!html.empty() && next() % 3 == 0) html.resize(next() % html.size());
    constexpr std::size_t kGuard = 64;
    m::text_detail::TextSink sink;
    sink.buf.assign(html.size() + 1 + kGuard, '\xAA');
    m::text_detail::html_to_text_into(html, sink);
    ASSERT_EQ(sink.buf.substr(html.size() + 1), std::string(kGuard, '\xAA')) << "wrote past the input's length for: " << html;
    ASSERT_LE(sink.used, html.size());
    ASSERT_EQ(std::string(sink.text()), m::html_to_text(html)) << html;
  }
}

struct SplitCase {
  std::string name;
  std::string title;
  std::string action;
  std::string details;
};

TEST(SplitTitle, Table) {
  const std::string w25 = "Abcdefghijklmnopqrstuvwxy";   // 25 characters
  const std::string w26 = "Abcdefghijklmnopqrstuvwxyz";  // 26 characters
  const std::string cyr = "Перераспределить";            // 16 characters, 32 bytes
  const std::vector<SplitCase> cases{
      {"verb and rest", "Increase revenue by 10%", "Increase", "revenue by 10%"},
      {"surrounding blanks trimmed", "  \tLaunch the app \t", "Launch", "the app"},
      {"several spaces after the verb", "Grow    the team", "Grow", "the team"},
      {"one word", "Launch", "Deliver", "Launch"},
      {"one word with blanks", "  Launch  ", "Deliver", "Launch"},
      {"empty", "", "Deliver", "(untitled)"},
      {"blanks only", "   ", "Deliver", "(untitled)"},
      {"first word of 25 characters is the verb", w25 + " rest", w25, "rest"},
      {"first word over 25 characters", w26 + " rest", "Deliver", w26 + " rest"},
      // Classic's limit is 25 characters, not bytes.
      {"UTF-8 verb counted in characters", cyr + " бюджет", cyr, "бюджет"},
      {"UTF-8 verb of 26 characters", "Перераспределитьперераспре бюджет", "Deliver",
       "Перераспределитьперераспре бюджет"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + ": " + c.title);
    auto [action, details] = m::split_title(c.title, "Deliver");
    EXPECT_EQ(action, c.action);
    EXPECT_EQ(details, c.details);
  }
}

TEST(SplitTitle, DetailsCutTo300CharactersWithEllipsis) {
  std::string rest(400, 'a');
  auto [action, details] = m::split_title("Fix " + rest, "Deliver");
  EXPECT_EQ(action, "Fix");
  EXPECT_EQ(details, std::string(299, 'a') + "\u2026");

  // Exactly 300 stays whole.
  auto [a2, d2] = m::split_title("Fix " + std::string(300, 'b'), "Deliver");
  EXPECT_EQ(d2, std::string(300, 'b'));

  // Multi-byte characters: cut after the 299th character, never inside one.
  std::string cyr;
  for (int i = 0; i < 350; ++i) cyr += "ж";
  auto [a3, d3] = m::split_title("Fix " + cyr, "Deliver");
  std::string want;
  for (int i = 0; i < 299; ++i) want += "ж";
  EXPECT_EQ(d3, want + "\u2026");

  // A one-word title too long for the verb is cut as details.
  auto [a4, d4] = m::split_title(std::string(320, 'z'), "Deliver");
  EXPECT_EQ(a4, "Deliver");
  EXPECT_EQ(d4, std::string(299, 'z') + "\u2026");
}

struct TruncCase {
  std::string name;
  std::string in;
  std::size_t max;
  std::string out;
};

TEST(TruncateChars, Table) {
  const std::vector<TruncCase> cases{
      {"shorter", "abc", 5, "abc"},
      {"exact", "abc", 3, "abc"},
      {"cut", "abcdef", 3, "ab\u2026"},
      {"cut to one", "ab", 1, "\u2026"},
      {"zero", "abcd", 0, ""},
      {"zero of empty", "", 0, ""},
      {"trailing space before the ellipsis dropped", "ab cd", 4, "ab\u2026"},
      {"two-byte characters", "éééé", 3, "éé\u2026"},
      {"two-byte exact", "éé", 2, "éé"},
      {"three-byte characters", "日本語テキスト", 4, "日本語\u2026"},
      {"four-byte characters", "😀😀😀", 2, "😀\u2026"},
      {"mixed", "a😀b😀c", 4, "a😀b\u2026"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(m::truncate_chars(c.in, c.max), c.out);
  }
}

TEST(AppendUtf8, EncodesEveryLength) {
  std::string s;
  for (std::uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u, 0x110000u}) m::append_utf8(s, cp);
  EXPECT_EQ(s, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

}  // namespace
