// An adaptive client-side rate limiter (GCRA token bucket) shared per credential.
//
// Wrike allows about 400 requests a minute per token. The defaults (6.5 per second with a
// burst of 10) admit at most 10 + 6.5 * 60 = 400 requests in any 60-second window, so a long
// read runs near the limit without tripping 429. On a 429 the rate is halved (and the bucket
// paused for Retry-After when given); each success then raises it again by a small step, up
// to the configured rate.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace wrike_cascade::net {

class RateLimiter {
 public:
  struct Options {
    double requests_per_second = 6.5;
    double burst = 10;
    double min_requests_per_second = 0.2;
    double recovery_step = 0.05;   // requests/second added back per success after a 429
  };
  using clock = std::chrono::steady_clock;

  RateLimiter() : RateLimiter(Options{}) {}
  explicit RateLimiter(Options options);

  // Reserves the next slot and returns how long to wait for it (zero when free now).
  clock::duration reserve();
  // Waits for the next slot.
  boost::asio::awaitable<void> acquire();
  void on_success();
  void on_throttled(std::optional<std::chrono::milliseconds> retry_after);

  double current_rate() const;
  const Options& options() const noexcept { return options_; }

  // One limiter per credential key, shared by every client in the process.
  static std::shared_ptr<RateLimiter> for_key(const std::string& key, Options options);

 private:
  Options options_;
  mutable std::mutex mutex_;
  double rate_;
  clock::time_point tat_;  // theoretical arrival time of the next request
};

}  // namespace wrike_cascade::net
