#include <wrike_cascade/net/rate_limiter.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>

namespace wrike_cascade::net {

RateLimiter::RateLimiter(Options options)
    : options_(options), rate_(options.requests_per_second), tat_(clock::now()) {}

RateLimiter::clock::duration RateLimiter::reserve() {
  std::lock_guard lock(mutex_);
  const auto now = clock::now();
  const auto interval = std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>(1.0 / rate_));
  const auto tolerance = std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>((std::max(options_.burst, 1.0) - 1.0) / rate_));
  if (tat_ < now) tat_ = now;
  auto wait = tat_ - tolerance - now;
  if (wait < clock::duration::zero()) wait = clock::duration::zero();
  tat_ += interval;
  return wait;
}

boost::asio::awaitable<void> RateLimiter::acquire() {
  auto wait = reserve();
  if (wait <= clock::duration::zero()) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_after(wait);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

void RateLimiter::on_success() {
  std::lock_guard lock(mutex_);
  rate_ = std::min(options_.requests_per_second, rate_ + options_.recovery_step);
}

void RateLimiter::on_throttled(std::optional<std::chrono::milliseconds> retry_after) {
  std::lock_guard lock(mutex_);
  rate_ = std::max(options_.min_requests_per_second, rate_ / 2);
  const auto now = clock::now();
  // Empty the bucket, so the next request waits one interval at the new rate, or for
  // Retry-After when the server said how long.
  const auto tolerance = std::chrono::duration_cast<clock::duration>(
      std::chrono::duration<double>((std::max(options_.burst, 1.0) - 1.0) / rate_));
  auto pause = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(1.0 / rate_));
  if (retry_after) pause = std::max<clock::duration>(pause, *retry_after);
  tat_ = std::max(tat_, now + pause + tolerance);
}

double RateLimiter::current_rate() const {
  std::lock_guard lock(mutex_);
  return rate_;
}

std::shared_ptr<RateLimiter> RateLimiter::for_key(const std::string& key, Options options) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<RateLimiter>> registry;
  std::lock_guard lock(mutex);
  auto& slot = registry[key];
  if (auto existing = slot.lock()) return existing;
  auto made = std::make_shared<RateLimiter>(options);
  slot = made;
  return made;
}

}  // namespace wrike_cascade::net
