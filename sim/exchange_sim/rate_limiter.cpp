// Request weights and the 429/418 escalation.
#include "exchange_sim/rate_limiter.hpp"

#include <algorithm>

namespace cephalo::exchange_sim {

namespace {
constexpr int64_t kMinuteMs = 60'000;
int64_t seconds_until(int64_t until_ms, int64_t now_ms) {
  return std::max<int64_t>(1, (until_ms - now_ms + 999) / 1000);
}
}  // namespace

int64_t request_weight(const std::string& method, const std::string& path, bool has_symbol,
                       bool has_order_id) {
  if (path == "/api/v3/ping" || path == "/api/v3/time") return 1;
  if (path == "/api/v3/exchangeInfo") return 20;
  if (path == "/api/v3/klines" || path == "/api/v3/avgPrice" || path == "/api/v3/referencePrice") {
    return 2;
  }
  if (path == "/api/v3/order") return method == "GET" ? 4 : 1;
  if (path == "/api/v3/order/test" || path == "/api/v3/orderList/oco") return 1;
  if (path == "/api/v3/openOrders") return has_symbol ? 6 : 80;
  if (path == "/api/v3/myTrades") return has_order_id ? 5 : 20;
  if (path == "/api/v3/account") return 20;
  return 1;
}

void RateLimiter::roll_window(int64_t now_ms) {
  const int64_t window = now_ms - now_ms % kMinuteMs;
  if (window != window_start_ms_) {
    window_start_ms_ = window;
    used_ = 0;
  }
}

int64_t RateLimiter::used_weight(int64_t now_ms) {
  roll_window(now_ms);
  return used_;
}

RateDecision RateLimiter::admit(int64_t weight, int64_t now_ms) {
  roll_window(now_ms);
  RateDecision decision;
  if (now_ms < banned_until_ms_ || now_ms < retry_after_until_ms_) {
    // Binance: "repeatedly violating rate limits and/or failing to back off after receiving
    // 429s will result in an automated IP ban (HTTP status 418)".
    banned_until_ms_ = std::max(banned_until_ms_, now_ms + ban_ms_);
    decision.status = 418;
    decision.banned_until_ms = banned_until_ms_;
    decision.retry_after_s = seconds_until(banned_until_ms_, now_ms);
    decision.used_weight = used_;
    return decision;
  }
  used_ += weight;
  decision.used_weight = used_;
  if (used_ > limit_) {
    retry_after_until_ms_ = window_start_ms_ + kMinuteMs;
    decision.status = 429;
    decision.retry_after_s = seconds_until(retry_after_until_ms_, now_ms);
  }
  return decision;
}

RateDecision RateLimiter::forced(int status, int64_t now_ms, int64_t retry_after_s) {
  roll_window(now_ms);
  RateDecision decision;
  decision.status = status;
  decision.used_weight = used_;
  if (status == 418) {
    banned_until_ms_ = std::max(banned_until_ms_, now_ms + ban_ms_);
    decision.banned_until_ms = banned_until_ms_;
    decision.retry_after_s = seconds_until(banned_until_ms_, now_ms);
  } else {
    decision.retry_after_s =
        retry_after_s > 0 ? retry_after_s : seconds_until(window_start_ms_ + kMinuteMs, now_ms);
    retry_after_until_ms_ = std::max(retry_after_until_ms_, now_ms + decision.retry_after_s * 1000);
  }
  return decision;
}

void RateLimiter::count_request(int64_t now_ms) {
  ++counts_.requests;
  if (now_ms < banned_until_ms_) {
    ++counts_.requests_during_ban;
  } else if (now_ms < retry_after_until_ms_) {
    ++counts_.requests_during_backoff;
  }
}

void RateLimiter::reset() {
  used_ = 0;
  retry_after_until_ms_ = 0;
  banned_until_ms_ = 0;
}

}  // namespace cephalo::exchange_sim
