// HMAC-SHA256 helpers: RFC 4231 test vectors and the constant-time signature check.
#include <wrike/webhook_signature.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace {

TEST(WebhookSignature, Rfc4231Case1) {
  const std::string key(20, '\x0b');
  EXPECT_EQ(wrike::hmac_sha256_hex(key, "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(WebhookSignature, Rfc4231Case2) {
  EXPECT_EQ(wrike::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignature, Rfc4231Case6KeyLongerThanBlock) {
  const std::string key(131, '\xaa');
  EXPECT_EQ(wrike::hmac_sha256_hex(key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(WebhookSignature, EmptyKeyAndMessage) {
  EXPECT_EQ(wrike::hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(WebhookSignature, MatchesLowerAndUpperCaseHex) {
  const std::string body = R"([{"webhookId":"IEAAIKU5JAACF45S"}])";
  const std::string sig = wrike::hmac_sha256_hex("k", body);
  std::string upper = sig;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  EXPECT_TRUE(wrike::signature_matches("k", body, sig));
  EXPECT_TRUE(wrike::signature_matches("k", body, upper));
}

TEST(WebhookSignature, RejectsWrongOrMalformedSignatures) {
  const std::string body = "[]";
  const std::string sig = wrike::hmac_sha256_hex("k", body);
  EXPECT_FALSE(wrike::signature_matches("other", body, sig));       // wrong secret
  EXPECT_FALSE(wrike::signature_matches("k", "[ ]", sig));          // other body
  EXPECT_FALSE(wrike::signature_matches("k", body, ""));            // empty
  EXPECT_FALSE(wrike::signature_matches("k", body, sig.substr(1))); // too short
  EXPECT_FALSE(wrike::signature_matches("k", body, sig + "0"));     // too long
  std::string bad_char = sig;
  bad_char[10] = 'g';
  EXPECT_FALSE(wrike::signature_matches("k", body, bad_char));
  std::string flipped = sig;
  flipped[63] = flipped[63] == '0' ? '1' : '0';
  EXPECT_FALSE(wrike::signature_matches("k", body, flipped));
  EXPECT_FALSE(wrike::signature_matches("k", body, "sha256=" + sig.substr(7)));
}

}  // namespace
