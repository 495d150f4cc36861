// Request-weight budget for one venue: what Binance reports as used, what we sent since, the
// configured budget, and the 429 back-off and 418 ban windows.
// Thread-safety: all methods may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "exchange/server_clock.hpp"

namespace cephalo::exchange {

struct RateLimitConfig {
  int64_t weight_budget_per_minute = 1200;  // below Binance's 6000 by default: headroom for others
};

struct RateDecision {
  bool allowed = false;
  int64_t retry_at_ms = 0;  // when asking again may succeed (local clock), when not allowed
  std::string reason;       // why not, for logs and errors
};

class RateLimiter {
 public:
  RateLimiter(RateLimitConfig config, MillisClock clock)
      : config_(config), clock_(std::move(clock)) {}

  // Reserves `weight` for a request about to be sent, or says why and until when not. The
  // limiter never lets the minute's weight exceed the budget, whatever the venue reports.
  RateDecision admit(int64_t weight);
  // From every answer: X-MBX-USED-WEIGHT-1M (negative when the header was absent).
  void observe_used_weight(int64_t used_weight_1m);
  // 429: wait Retry-After seconds before any request.
  void observe_too_many_requests(int64_t retry_after_s);
  // 418: banned; no request at all until the ban ends.
  void observe_ban(int64_t retry_after_s);

  int64_t used_weight() const;
  bool banned() const;

 private:
  void roll_window(int64_t now_ms);

  RateLimitConfig config_;
  MillisClock clock_;
  mutable std::mutex mutex_;
  int64_t window_minute_ = -1;  // floor(now / 60 s) of the current window
  int64_t used_ = 0;            // max(venue-reported, locally counted) in this window
  int64_t backoff_until_ms_ = 0;
  int64_t banned_until_ms_ = 0;
};

}  // namespace cephalo::exchange
