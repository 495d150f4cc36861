// Weight accounting per minute window, with 429/418 windows that block every request.
// Thread-safety: see rate_limiter.hpp.
#include "exchange/rate_limiter.hpp"

#include <algorithm>
#include <chrono>

namespace cephalo::exchange {

MillisClock system_millis_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

void RateLimiter::roll_window(int64_t now_ms) {
  const int64_t minute = now_ms / 60'000;
  if (minute != window_minute_) {
    window_minute_ = minute;
    used_ = 0;
  }
}

RateDecision RateLimiter::admit(int64_t weight) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_();
  roll_window(now);
  RateDecision decision;
  if (now < banned_until_ms_) {
    decision.retry_at_ms = banned_until_ms_;
    decision.reason = "the venue banned this IP (HTTP 418) for " +
                      std::to_string((banned_until_ms_ - now + 999) / 1000) +
                      " s more; no request is sent until the ban ends";
    return decision;
  }
  if (now < backoff_until_ms_) {
    decision.retry_at_ms = backoff_until_ms_;
    decision.reason = "the venue asked to back off (HTTP 429) for " +
                      std::to_string((backoff_until_ms_ - now + 999) / 1000) + " s more";
    return decision;
  }
  if (used_ + weight > config_.weight_budget_per_minute) {
    decision.retry_at_ms = (window_minute_ + 1) * 60'000;
    decision.reason = "request weight " + std::to_string(weight) + " would exceed the budget of " +
                      std::to_string(config_.weight_budget_per_minute) + " per minute (used " +
                      std::to_string(used_) + ")";
    return decision;
  }
  used_ += weight;
  decision.allowed = true;
  return decision;
}

void RateLimiter::observe_used_weight(int64_t used_weight_1m) {
  if (used_weight_1m < 0) return;
  std::lock_guard lock(mutex_);
  roll_window(clock_());
  // The venue's count includes other clients on this IP; ours includes requests it has not
  // counted yet. The larger is the safe one.
  used_ = std::max(used_, used_weight_1m);
}

void RateLimiter::observe_too_many_requests(int64_t retry_after_s) {
  std::lock_guard lock(mutex_);
  // Binance says Retry-After is always sent with 429; without it, wait for the next window.
  const int64_t now = clock_();
  const int64_t until =
      retry_after_s > 0 ? now + retry_after_s * 1000 : (now / 60'000 + 1) * 60'000;
  backoff_until_ms_ = std::max(backoff_until_ms_, until);
}

void RateLimiter::observe_ban(int64_t retry_after_s) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_();
  // A ban without Retry-After: two minutes, Binance's shortest ban.
  const int64_t until = now + (retry_after_s > 0 ? retry_after_s : 120) * 1000;
  banned_until_ms_ = std::max(banned_until_ms_, until);
}

int64_t RateLimiter::used_weight() const {
  std::lock_guard lock(mutex_);
  return used_;
}

bool RateLimiter::banned() const {
  std::lock_guard lock(mutex_);
  return clock_() < banned_until_ms_;
}

}  // namespace cephalo::exchange
