#include <wrike_cascade/oauth.hpp>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sys/stat.h>

using namespace wrike_cascade;
using namespace wrike_cascade::oauth;

namespace {
Config config() {
  Config c;
  c.authorize_url = "https://login.example/oauth2/authorize/v4";
  c.token_url = "https://login.example/oauth2/token";
  c.client_id = "client-1";
  c.client_secret = "s3cret";
  c.redirect_uri = "http://127.0.0.1:8976/cb";
  c.scopes = {"wsReadOnly", "amReadOnlyWorkflow"};
  return c;
}
std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("wc-oauth-" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}
}  // namespace

TEST(OAuth, StateIsRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto s = generate_state();
    EXPECT_EQ(s.size(), 43u);
    EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(OAuth, AuthorizeUrlCarriesClientRedirectStateAndScopes) {
  auto url = authorize_url(config(), "st4te");
  EXPECT_EQ(url,
            "https://login.example/oauth2/authorize/v4?client_id=client-1&response_type=code&redirect_uri=http://"
            "127.0.0.1:8976/cb&state=st4te&scope=wsReadOnly,amReadOnlyWorkflow");
  EXPECT_EQ(url.find("s3cret"), std::string::npos);
}

TEST(OAuth, CallbackChecksStateFirst) {
  EXPECT_EQ(parse_callback("/cb?code=abc&state=S1", "S1"), "abc");
  EXPECT_EQ(parse_callback("http://127.0.0.1:8976/cb?state=S1&code=a%2Bb", "S1"), "a+b");
  try {
    parse_callback("/cb?code=abc&state=WRONG", "S1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.condition(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("state does not match"), std::string::npos);
  }
  try {
    parse_callback("/cb?code=abc", "S1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no state"), std::string::npos);
  }
  try {
    parse_callback("/cb?error=access_denied&error_description=User%20said%20no&state=S1", "S1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.condition(), errc::unauthorized);
    EXPECT_EQ(e.detail().api_error, "access_denied");
    EXPECT_NE(std::string(e.what()).find("denied access"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("User said no"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_callback("/cb?state=S1", "S1"), Error);
}

TEST(OAuth, TokenResponseDecodes) {
  const auto now = std::chrono::system_clock::now();
  auto t = tokens_from_response(
      boost::json::parse(R"({"access_token":"A","refresh_token":"R","token_type":"bearer","expires_in":3600,"host":"app-eu.wrike.com","x":1})"),
      now);
  EXPECT_EQ(t.access_token, "A");
  EXPECT_EQ(t.refresh_token, "R");
  EXPECT_EQ(t.host, "app-eu.wrike.com");
  ASSERT_TRUE(t.expires_at);
  EXPECT_EQ(*t.expires_at - now, std::chrono::seconds(3600));
  EXPECT_TRUE(t.extra.contains("x"));
  EXPECT_FALSE(t.expires_within(std::chrono::seconds(60)));
  EXPECT_TRUE(t.expires_within(std::chrono::seconds(3601)));
  EXPECT_THROW(tokens_from_response(boost::json::parse(R"({"token_type":"bearer"})"), now), Error);
  // A one-hour token is refreshed within the margin; a 10-second one not at once, only in its
  // second half.
  EXPECT_FALSE(t.needs_refresh(std::chrono::seconds(120)));
  auto short_lived = tokens_from_response(boost::json::parse(R"({"access_token":"S","expires_in":10})"), now);
  EXPECT_FALSE(short_lived.needs_refresh(std::chrono::seconds(120)));
  auto half_gone = tokens_from_response(boost::json::parse(R"({"access_token":"S","expires_in":10})"),
                                        now - std::chrono::seconds(6));
  EXPECT_TRUE(half_gone.needs_refresh(std::chrono::seconds(120)));
  // The half-lifetime cap keeps sub-second precision: 1.6 s into a 3 s token is past its half
  // (a cap cut to whole seconds, 1 s, said no).
  auto three = tokens_from_response(boost::json::parse(R"({"access_token":"S","expires_in":3})"),
                                    std::chrono::system_clock::now() - std::chrono::milliseconds(1600));
  EXPECT_TRUE(three.needs_refresh(std::chrono::seconds(2)));
  auto early = tokens_from_response(boost::json::parse(R"({"access_token":"S","expires_in":3})"),
                                    std::chrono::system_clock::now() - std::chrono::milliseconds(1200));
  EXPECT_FALSE(early.needs_refresh(std::chrono::seconds(2)));
  // The store's JSON form round-trips (expiry to the second).
  auto back = tokens_from_json(to_json(t));
  EXPECT_EQ(back.access_token, "A");
  EXPECT_EQ(back.host, "app-eu.wrike.com");
  EXPECT_EQ(std::chrono::floor<std::chrono::seconds>(*back.expires_at),
            std::chrono::floor<std::chrono::seconds>(*t.expires_at));
}

TEST(OAuth, FileStoreWritesMode0600AtomicallyAndLocks) {
  const auto path = temp_dir() / "sub" / "tokens.json";
  std::filesystem::remove(path);
  FileTokenStore store(path);
  EXPECT_FALSE(store.load());
  Tokens t;
  t.access_token = "A1";
  t.refresh_token = "R1";
  store.save(t);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(store.load()->refresh_token, "R1");
  t.refresh_token = "R2";
  store.save(t);
  EXPECT_EQ(store.load()->refresh_token, "R2");
  // No temporary files are left behind.
  std::size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(path.parent_path())) files += e.path().filename() != "tokens.json.lock";
  EXPECT_EQ(files, 1u);
  // The lock excludes a second holder until released.
  auto first = store.try_lock();
  ASSERT_TRUE(first);
  FileTokenStore other(path);
  EXPECT_FALSE(other.try_lock());
  first.reset();
  EXPECT_TRUE(other.try_lock());
}

TEST(OAuth, CorruptTokenFileIsAClearError) {
  const auto path = temp_dir() / "bad.json";
  std::ofstream(path) << "{not json";
  FileTokenStore store(path);
  try {
    store.load();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("log in again"), std::string::npos);
  }
}

TEST(OAuth, SaveIntoAnUnwritableFolderLeavesTheOldFile) {
  if (::geteuid() == 0) {
    // root ignores directory permissions; use a path whose parent is a file instead.
    const auto blocker = temp_dir() / "blocker";
    std::ofstream(blocker) << "x";
    FileTokenStore store(blocker / "tokens.json");
    Tokens t;
    t.access_token = "A";
    EXPECT_THROW(store.save(t), Error);
    return;
  }
  GTEST_SKIP() << "covered by the root variant";
}
