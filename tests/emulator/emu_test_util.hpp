// Helpers shared by the write, OAuth and webhook tests of the Wrike emulator: form bodies,
// authorised requests through the raw client, error checks, and a tiny webhook receiver built
// on the emulator framework's own Server.
#pragma once

#include "raw_client.hpp"

#include <wrike_cascade/emulator/server.hpp>

#include <wrike/webhook_signature.hpp>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace emutest {

namespace json = boost::json;
using Form = std::vector<std::pair<std::string, std::string>>;

inline std::string form_body(const Form& f) {
  std::string out;
  for (const auto& [k, v] : f) {
    if (!out.empty()) out += '&';
    out += enc(k) + "=" + enc(v);
  }
  return out;
}

inline std::string str(const json::value& v) { return std::string(v.as_string()); }

// Requests to /api/v4 with a bearer token.
class Api {
 public:
  Api(std::string base_url, std::string token, RawClientOptions o = {})
      : client_(std::move(base_url), std::move(o)), token_(std::move(token)) {}

  RawResponse get(const std::string& target) { return client_.get("/api/v4" + target, token_); }
  RawResponse send(std::string_view method, const std::string& target, const Form& form = {}) {
    std::vector<std::pair<std::string, std::string>> h{{"Authorization", "bearer " + token_}};
    if (!form.empty()) h.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return client_.request(method, "/api/v4" + target, std::move(h), form_body(form));
  }
  RawResponse send_json(std::string_view method, const std::string& target, const json::value& body) {
    return client_.request(method, "/api/v4" + target,
                           {{"Authorization", "bearer " + token_}, {"Content-Type", "application/json"}},
                           json::serialize(body));
  }
  RawResponse post(const std::string& target, const Form& form) { return send("POST", target, form); }
  RawResponse put(const std::string& target, const Form& form) { return send("PUT", target, form); }
  RawResponse del(const std::string& target) { return send("DELETE", target); }

  // The single element of data[] of a 200 answer (an empty object otherwise, with a failure).
  json::object one(const RawResponse& r, std::string_view kind) {
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    auto o = r.json().as_object();
    EXPECT_EQ(o["kind"], json::value(kind)) << r.body;
    const auto& d = o["data"].as_array();
    EXPECT_EQ(d.size(), 1u) << r.body;
    return d.empty() ? json::object{} : d.front().as_object();
  }
  json::array data(const std::string& target) {
    auto r = get(target);
    EXPECT_EQ(r.status, 200) << target << " -> " << r.body;
    if (r.status != 200) return {};
    return r.json().as_object()["data"].as_array();
  }
  RawClient& client() { return client_; }

 private:
  RawClient client_;
  std::string token_;
};

// Wrike's error body: {"errorDescription":..,"error":code}; returns the description.
inline std::string expect_api_error(const RawResponse& r, int status, std::string_view code) {
  EXPECT_EQ(r.status, status) << r.body;
  if (r.status == 0 || r.body.empty()) return {};
  auto o = r.json().as_object();
  EXPECT_EQ(o.size(), 2u) << r.body;
  EXPECT_EQ(o["error"], json::value(code)) << r.body;
  return o["errorDescription"].is_string() ? str(o["errorDescription"]) : std::string();
}

// A webhook receiver on the emulator framework's Server: records every POST to /{name} and
// answers Wrike's handshake with hex HMAC-SHA256(secret, challenge) (or wrongly, on demand).
class Receiver {
 public:
  enum class Handshake { correct, wrong, echo, missing };
  struct Hit {
    std::string path, body, signature, challenge;
  };

  explicit Receiver(std::string secret) : secret_(std::move(secret)) {
    wrike_cascade::emulator::ServerOptions o;
    o.rate_limit.max_requests = 0;
    server_ = std::make_unique<wrike_cascade::emulator::Server>(o);
    server_->route("POST", "/{name}", [this](const wrike_cascade::emulator::Request& r) {
      Hit h{r.path, r.body, std::string(r.header("X-Hook-Signature").value_or("")),
            std::string(r.header("X-Hook-Secret").value_or(""))};
      Handshake mode;
      {
        std::lock_guard lock(m_);
        hits_.push_back(h);
        mode = mode_;
      }
      cv_.notify_all();
      auto res = wrike_cascade::emulator::Response::json(200, "");
      if (r.body.find("WebHook secret verification") != std::string::npos) {
        if (mode == Handshake::correct) res.with_header("X-Hook-Secret", wrike::hmac_sha256_hex(secret_, h.challenge));
        if (mode == Handshake::wrong) res.with_header("X-Hook-Secret", wrike::hmac_sha256_hex("other", h.challenge));
        if (mode == Handshake::echo) res.with_header("X-Hook-Secret", h.challenge);
      }
      return res;
    });
    server_->start();
  }

  wrike_cascade::emulator::Server& server() { return *server_; }
  std::string url(const std::string& name, bool tls = false) const {
    return (tls ? server_->https_url() : server_->http_url()) + "/" + name;
  }
  void set_handshake(Handshake h) {
    std::lock_guard lock(m_);
    mode_ = h;
  }
  std::vector<Hit> hits(const std::string& name = {}) const {
    std::lock_guard lock(m_);
    std::vector<Hit> out;
    for (const auto& h : hits_)
      if (name.empty() || h.path == "/" + name) out.push_back(h);
    return out;
  }
  // Deliveries only (handshakes left out).
  std::vector<Hit> deliveries(const std::string& name) const {
    auto all = hits(name);
    std::erase_if(all, [](const Hit& h) { return h.body.find("WebHook secret verification") != std::string::npos; });
    return all;
  }
  void clear() {
    std::lock_guard lock(m_);
    hits_.clear();
  }
  const std::string& secret() const { return secret_; }

 private:
  std::string secret_;
  std::unique_ptr<wrike_cascade::emulator::Server> server_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<Hit> hits_;
  Handshake mode_ = Handshake::correct;
};

}  // namespace emutest
