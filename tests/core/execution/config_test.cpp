// Exchange config validation reports every problem at once, naming field, value and what is
// allowed.
#include <doctest/doctest.h>

#include <limits>

#include "exchange_fixture.hpp"

namespace {

using namespace cephalo;
using namespace cephalo::test;

TEST_CASE("a valid config passes") {
  CHECK(validate(one_pair_config(MarketRules{0.01, 0.001, 10})));
}

TEST_CASE("every problem is listed in one error") {
  SimExchangeConfig config = one_pair_config(MarketRules{-0.01, 0, 0});
  config.taker_fee = 1.5;
  config.slippage.base_bps = std::numeric_limits<double>::quiet_NaN();
  config.max_volume_share = 2;
  Status status = validate(config);
  REQUIRE_FALSE(status);
  CHECK(status.error() ==
        "simulated exchange config has 4 problems:\n"
        "  markets[ETH/BTC].tick_size is -0.01, expected a finite number >= 0 (0: no tick)\n"
        "  taker_fee is 1.5, expected a fraction in [0, 1), e.g. 0.001 for 0.1%\n"
        "  slippage.base_bps is nan, expected a finite number of basis points >= 0\n"
        "  max_volume_share is 2, expected a share in [0, 1] (0: no volume limit)");
}

TEST_CASE("an exchange without markets is refused") {
  auto portfolio = Portfolio::create("BTC", 1);
  REQUIRE(portfolio);
  auto exchange = SimExchange::create(SimExchangeConfig{}, *portfolio);
  REQUIRE_FALSE(exchange);
  CHECK(exchange.error() ==
        "simulated exchange config has 1 problem:\n  markets is empty: list at least one pair");
}

TEST_CASE("report and liquidity names are the lower-case words storage and logs use") {
  CHECK(std::string(order_update_name(OrderUpdate::kAccepted)) == "accepted");
  CHECK(std::string(order_update_name(OrderUpdate::kPartiallyFilled)) == "partially_filled");
  CHECK(std::string(order_update_name(OrderUpdate::kFilled)) == "filled");
  CHECK(std::string(order_update_name(OrderUpdate::kCancelled)) == "cancelled");
  CHECK(std::string(order_update_name(OrderUpdate::kRejected)) == "rejected");
  CHECK(std::string(order_update_name(OrderUpdate::kExpired)) == "expired");
  CHECK(std::string(liquidity_name(Liquidity::kMaker)) == "maker");
  CHECK(std::string(liquidity_name(Liquidity::kTaker)) == "taker");
}

}  // namespace
