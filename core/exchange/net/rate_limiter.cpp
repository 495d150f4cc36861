// Weight and order-count accounting per window, with 429/418 windows that block every request.
// Thread-safety: see rate_limiter.hpp.
#include "exchange/net/rate_limiter.hpp"

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

// Binance's windows start on the interval (web-socket-api.md "How to interpret rate limits":
// a 1 MINUTE interval starts every minute, 10 SECOND at :00, :10, ..., 1 DAY at 00:00 UTC).
void RateLimiter::roll_windows(int64_t now_ms) {
  if (const int64_t minute = now_ms / 60'000; minute != window_minute_) {
    window_minute_ = minute;
    own_used_ = 0;
    ip_used_ = 0;
  }
  if (const int64_t tens = now_ms / 10'000; tens != window_10s_) {
    window_10s_ = tens;
    orders_10s_ = 0;
  }
  if (const int64_t day = now_ms / 86'400'000; day != window_day_) {
    window_day_ = day;
    orders_day_ = 0;
  }
}

RateDecision RateLimiter::admit(int64_t weight, bool is_order) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_();
  roll_windows(now);
  RateDecision decision;
  const int64_t next_minute = (window_minute_ + 1) * 60'000;
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
  if (ip_used_ + weight > config_.venue_weight_per_minute) {
    decision.retry_at_ms = next_minute;
    decision.reason = "the IP's request weight this minute is spent (" + std::to_string(ip_used_) +
                      " of the venue's " + std::to_string(config_.venue_weight_per_minute) +
                      ", X-MBX-USED-WEIGHT-1M); the window resets in " +
                      std::to_string((next_minute - now + 999) / 1000) + " s";
    return decision;
  }
  if (own_used_ + weight > config_.weight_budget_per_minute) {
    decision.retry_at_ms = next_minute;
    decision.reason = "request weight " + std::to_string(weight) + " would exceed this bot's " +
                      "budget of " + std::to_string(config_.weight_budget_per_minute) +
                      " per minute (used " + std::to_string(own_used_) +
                      "; exchange.weight_budget_per_minute)";
    return decision;
  }
  if (is_order && orders_10s_ + 1 > config_.orders_per_10s) {
    decision.retry_at_ms = (window_10s_ + 1) * 10'000;
    decision.reason = "the account's ORDERS limit of " + std::to_string(config_.orders_per_10s) +
                      " per 10 s is reached (X-MBX-ORDER-COUNT-10S)";
    return decision;
  }
  if (is_order && orders_day_ + 1 > config_.orders_per_day) {
    decision.retry_at_ms = (window_day_ + 1) * 86'400'000;
    decision.reason = "the account's ORDERS limit of " + std::to_string(config_.orders_per_day) +
                      " per day is reached (X-MBX-ORDER-COUNT-1D)";
    return decision;
  }
  own_used_ += weight;
  ip_used_ += weight;
  if (is_order) {
    ++orders_10s_;
    ++orders_day_;
  }
  decision.allowed = true;
  return decision;
}

void RateLimiter::observe_used_weight(int64_t used_weight_1m) {
  if (used_weight_1m < 0) return;
  std::lock_guard lock(mutex_);
  roll_windows(clock_());
  // The venue's count includes other clients on this IP; ours includes requests it has not
  // counted yet. The larger is the safe one.
  ip_used_ = std::max(ip_used_, used_weight_1m);
}

void RateLimiter::observe_order_count(int64_t count_10s, int64_t count_1d) {
  std::lock_guard lock(mutex_);
  roll_windows(clock_());
  if (count_10s >= 0) orders_10s_ = std::max(orders_10s_, count_10s);
  if (count_1d >= 0) orders_day_ = std::max(orders_day_, count_1d);
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

void RateLimiter::set_venue_limits(int64_t weight_per_minute, int64_t orders_per_10s,
                                   int64_t orders_per_day) {
  std::lock_guard lock(mutex_);
  if (weight_per_minute > 0) config_.venue_weight_per_minute = weight_per_minute;
  if (orders_per_10s > 0) config_.orders_per_10s = orders_per_10s;
  if (orders_per_day > 0) config_.orders_per_day = orders_per_day;
}

int64_t RateLimiter::used_weight() const {
  std::lock_guard lock(mutex_);
  return own_used_;
}

int64_t RateLimiter::ip_used_weight() const {
  std::lock_guard lock(mutex_);
  return ip_used_;
}

int64_t RateLimiter::venue_weight_limit() const {
  std::lock_guard lock(mutex_);
  return config_.venue_weight_per_minute;
}

bool RateLimiter::banned() const {
  std::lock_guard lock(mutex_);
  return clock_() < banned_until_ms_;
}

}  // namespace cephalo::exchange
