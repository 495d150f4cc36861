// Request weight accounting with explicit times: 429 past the budget, 418 for not backing off.
#include "exchange_sim/rate_limiter.hpp"

#include <doctest/doctest.h>

using cephalo::exchange_sim::RateLimiter;
using cephalo::exchange_sim::request_weight;

TEST_CASE("over the per-minute weight: 429 with the seconds left in the minute") {
  RateLimiter limiter(40, 120);
  const int64_t minute = 1'700'000'040'000;  // a minute boundary
  CHECK(limiter.admit(20, minute + 1000).status == 200);
  CHECK(limiter.admit(20, minute + 2000).used_weight == 40);
  const auto refused = limiter.admit(20, minute + 30'000);
  CHECK(refused.status == 429);
  CHECK(refused.retry_after_s == 30);
  // A new minute, a new budget.
  CHECK(limiter.admit(20, minute + 60'000).status == 200);
}

TEST_CASE("a request sent before a 429's Retry-After has passed earns a 418 ban") {
  RateLimiter limiter(1, 120);
  const int64_t minute = 1'700'000'040'000;
  CHECK(limiter.admit(1, minute).status == 200);
  CHECK(limiter.admit(1, minute + 10).status == 429);
  const auto banned = limiter.admit(1, minute + 20);
  CHECK(banned.status == 418);
  CHECK(banned.retry_after_s == 120);
  // The ban outlasts the minute.
  CHECK(limiter.admit(1, minute + 61'000).status == 418);
  limiter.reset();
  CHECK(limiter.admit(1, minute + 62'000).status == 200);
}

TEST_CASE("Binance's weights") {
  CHECK(request_weight("POST", "/api/v3/order", true) == 1);
  CHECK(request_weight("GET", "/api/v3/account", false) == 20);
  CHECK(request_weight("GET", "/api/v3/myTrades", true) == 20);
  CHECK(request_weight("GET", "/api/v3/myTrades", true, true) == 5);  // with orderId
  CHECK(request_weight("GET", "/api/v3/klines", true) == 2);
  CHECK(request_weight("GET", "/api/v3/exchangeInfo", true) == 20);
  CHECK(request_weight("GET", "/api/v3/openOrders", false) == 80);
}
