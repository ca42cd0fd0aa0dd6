// Private: the pieces both emulators' OAuth 2.0 servers (wrike_oauth.cpp, cascade_oauth.cpp)
// and their token generators share. The servers themselves differ in paths, messages and token
// response shape, as the services they imitate do.
#pragma once

#include <wrike_cascade/emulator/http.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace wrike_cascade::emulator::shared {

// `length` characters of [A-Za-z0-9] from the CSPRNG, unbiased.
std::string random_token(std::size_t length);

// OAuth's error shape, {"error":..,"error_description":..}, not cached.
Response oauth_error(int status, std::string_view code, std::string_view description);

// The small HTML page an authorization server shows (errors before a redirect is allowed, and
// the body of the redirect itself); `title` names the emulator.
Response auth_page(std::string_view title, int status, std::string_view message);

// `uri` with `params` appended to its query (a fragment is dropped).
std::string with_query(std::string uri, const ParamList& params);

bool is_http_url(std::string_view u);

// From "Authorization: Basic base64(id:secret)" (RFC 6749 §2.3.1), when present.
std::optional<std::pair<std::string, std::string>> basic_auth(const Request& r);

}  // namespace wrike_cascade::emulator::shared
