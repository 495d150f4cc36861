// Request-weight and order-rate accounting for one venue: this bot's own weight against its
// configured share, the whole IP's weight (X-MBX-USED-WEIGHT-1M) against the venue's published
// REQUEST_WEIGHT limit, the account's order counts (X-MBX-ORDER-COUNT-10S / -1D) against its
// ORDERS limits, and the 429 back-off and 418 ban windows. It says when a request may go; the
// caller decides whether to wait for that moment (at start) or refuse (while trading).
// Thread-safety: all methods may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "exchange/server_clock.hpp"

namespace cephalo::exchange {

struct RateLimitConfig {
  // This bot's own request weight per minute (exchange.weight_budget_per_minute). Compared with
  // what this process sent, never with the IP's total: another program on the IP must not lock
  // the bot out.
  int64_t weight_budget_per_minute = 1200;
  // The venue's limits until exchangeInfo.rateLimits says otherwise (rest-api.md "LIMITS";
  // Binance publishes REQUEST_WEIGHT 6000/min, ORDERS 100/10 s and 200000/day today).
  int64_t venue_weight_per_minute = 6000;
  int64_t orders_per_10s = 100;
  int64_t orders_per_day = 200'000;
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

  // Reserves `weight` (and one order when `is_order`) for a request about to be sent, or says
  // why and until when not.
  RateDecision admit(int64_t weight, bool is_order = false);
  // From every answer: X-MBX-USED-WEIGHT-1M, the IP's weight this minute (-1: absent).
  void observe_used_weight(int64_t used_weight_1m);
  // From order answers: X-MBX-ORDER-COUNT-10S and -1D, the account's orders (-1: absent).
  void observe_order_count(int64_t count_10s, int64_t count_1d);
  // 429: wait Retry-After seconds before any request.
  void observe_too_many_requests(int64_t retry_after_s);
  // 418: banned; no request at all until the ban ends.
  void observe_ban(int64_t retry_after_s);
  // exchangeInfo.rateLimits: REQUEST_WEIGHT per minute, ORDERS per 10 s and per day.
  void set_venue_limits(int64_t weight_per_minute, int64_t orders_per_10s, int64_t orders_per_day);

  int64_t used_weight() const;     // this bot's, this minute
  int64_t ip_used_weight() const;  // the venue's count for the IP, this minute
  int64_t venue_weight_limit() const;
  bool banned() const;

 private:
  void roll_windows(int64_t now_ms);

  RateLimitConfig config_;
  MillisClock clock_;
  mutable std::mutex mutex_;
  int64_t window_minute_ = -1;  // floor(now / 60 s) of the current window
  int64_t own_used_ = 0;        // weight this process sent in this window
  int64_t ip_used_ = 0;         // max(venue-reported, own) in this window
  int64_t window_10s_ = -1;
  int64_t orders_10s_ = 0;
  int64_t window_day_ = -1;
  int64_t orders_day_ = 0;
  int64_t backoff_until_ms_ = 0;
  int64_t banned_until_ms_ = 0;
};

}  // namespace cephalo::exchange
