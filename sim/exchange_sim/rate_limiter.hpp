// Binance's REQUEST_WEIGHT limit: weight per request, a per-minute budget, 429 then 418 (a ban).
// Thread-safety: not thread-safe; used on the simulator's I/O thread only.
#pragma once

#include <cstdint>
#include <string>

namespace cephalo::exchange_sim {

// Binance's published weights for the endpoints the simulator serves (0 for unknown paths).
int64_t request_weight(const std::string& method, const std::string& path, bool has_symbol,
                       bool has_order_id = false);

struct RateDecision {
  int status = 200;             // 200 (go on), 429 or 418
  int64_t retry_after_s = 0;    // for 429 / 418
  int64_t used_weight = 0;      // X-MBX-USED-WEIGHT-1M after this request
  int64_t banned_until_ms = 0;  // for 418
};

class RateLimiter {
 public:
  RateLimiter(int64_t limit_per_minute, int64_t ban_seconds)
      : limit_(limit_per_minute), ban_ms_(ban_seconds * 1000) {}

  // Counts the request in the current wall-clock minute (Binance's windows start on the minute).
  // Over the budget: 429 with the seconds left in the minute. Any request sent while a 429's
  // Retry-After has not passed, or during a ban, earns (or keeps) the 418 ban.
  RateDecision admit(int64_t weight, int64_t now_ms);
  // The forced answers of the http_429/http_418 faults, with the same headers and the same
  // consequences as real ones (a request before Retry-After passes is banned; a ban holds).
  // retry_after_s > 0 replaces a 429's Retry-After (by default: the rest of the minute).
  RateDecision forced(int status, int64_t now_ms, int64_t retry_after_s = 0);
  // Counts one REST request before it is decided on: whether it came while the client had been
  // told to wait (429 Retry-After not passed) or while banned (418). Tests read these to prove a
  // client honours both.
  void count_request(int64_t now_ms);
  void reset();
  int64_t used_weight(int64_t now_ms);

  struct Counts {
    int64_t requests = 0;                 // every REST request to a Binance endpoint
    int64_t requests_during_backoff = 0;  // sent before a 429's Retry-After had passed
    int64_t requests_during_ban = 0;      // sent while a 418 ban was on
  };
  const Counts& counts() const { return counts_; }
  int64_t retry_after_until_ms() const { return retry_after_until_ms_; }
  int64_t banned_until_ms() const { return banned_until_ms_; }

 private:
  void roll_window(int64_t now_ms);

  int64_t limit_;
  int64_t ban_ms_;
  int64_t window_start_ms_ = 0;
  int64_t used_ = 0;
  int64_t retry_after_until_ms_ = 0;  // a 429 was sent; requests before this get banned
  int64_t banned_until_ms_ = 0;
  Counts counts_;
};

}  // namespace cephalo::exchange_sim
