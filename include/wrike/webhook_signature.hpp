// Wrike webhook signatures (wrike-api.md §6.4): HMAC-SHA256 over raw bytes, lowercase hex.
//
//   X-Hook-Signature on every request = hex HMAC-SHA256(key = secret, msg = raw request body)
//   X-Hook-Secret in the handshake answer = hex HMAC-SHA256(key = secret, msg = challenge)
//
// Shared by the receiver (verifying) and the emulator (signing deliveries). OpenSSL 3.
#pragma once

#include <string>
#include <string_view>

namespace wrike {

// Lowercase hex (64 characters) of HMAC-SHA256(key, message). Any key length, including empty.
// Throws std::runtime_error only if OpenSSL itself fails.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// True when `hex_signature` is the HMAC-SHA256 of `body` under `secret`: exactly 64 hex digits,
// either case. The digests are compared in constant time (CRYPTO_memcmp over the 32 decoded
// bytes); a malformed signature is simply false. Never throws.
bool signature_matches(std::string_view secret, std::string_view body,
                       std::string_view hex_signature) noexcept;

}  // namespace wrike
