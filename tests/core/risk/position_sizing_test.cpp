// Position sizing helpers: each formula, capped by the headroom the risk limits leave, and an
// entry sized at the headroom is approved by the engine while a little more is refused.
#include "risk/position_sizing.hpp"

#include <doctest/doctest.h>

#include "risk/risk_engine.hpp"

namespace {

using namespace cephalo;

TEST_CASE("fixed fraction, risk per trade and volatility target formulas") {
  CHECK(size_fixed_fraction(1000, 50, 0.1, 1e9) == doctest::Approx(2));
  // Risking 1 % of 1000 with the stop 5 below the entry: 10 / 5 = 2 units.
  CHECK(size_risk_per_trade(1000, 100, 95, 0.01, 1e9) == doctest::Approx(2));
  CHECK(size_risk_per_trade(1000, 100, 105, 0.01, 1e9) == doctest::Approx(2));  // a short
  // 1 % target volatility on an asset moving 4 %: a quarter of equity, 250 quote = 2.5 units.
  CHECK(size_volatility_target(1000, 100, 0.01, 0.04, 1e9) == doctest::Approx(2.5));
}

TEST_CASE("every sizer is capped by the headroom and refuses unusable inputs") {
  CHECK(size_fixed_fraction(1000, 50, 0.5, 3) == 3);
  CHECK(size_risk_per_trade(1000, 100, 99.9, 0.02, 4) == 4);
  CHECK(size_volatility_target(1000, 100, 0.05, 0.01, 1.5) == 1.5);
  CHECK(size_fixed_fraction(0, 50, 0.1, 10) == 0);
  CHECK(size_fixed_fraction(1000, 50, 0.1, 0) == 0);
  CHECK(size_risk_per_trade(1000, 100, 100, 0.01, 10) == 0);  // no stop distance
  CHECK(size_risk_per_trade(1000, 100, 0, 0.01, 10) == 0);    // no stop
  CHECK(size_volatility_target(1000, 100, 0.01, 0, 10) == 0);
}

TEST_CASE("headroom: the tightest of position, quote, leverage and exposure limits") {
  RiskConfig config;
  config.position.max_position_fraction = 0.5;
  AccountView account;
  account.equity = 1000;
  CHECK(entry_headroom_quantity(config, account, "ETH/BTC", CEPHALO_SIDE_BUY, 100) ==
        doctest::Approx(5));
  account.positions.push_back({"ETH/BTC", 2, 100});
  account.open_orders.push_back({"ETH/BTC", CEPHALO_SIDE_BUY, 1, 95});
  CHECK(entry_headroom_quantity(config, account, "ETH/BTC", CEPHALO_SIDE_BUY, 100) ==
        doctest::Approx(2));
  config.position.max_position_quote = 350;
  CHECK(entry_headroom_quantity(config, account, "ETH/BTC", CEPHALO_SIDE_BUY, 100) ==
        doctest::Approx(0.5));
  // Other pairs take exposure: ETH's worst case 300 and LTC's 400 leave 300 of 100 % exposure.
  config.position.max_position_quote = 0;
  account.positions.push_back({"LTC/BTC", 4, 100});
  CHECK(entry_headroom_quantity(config, account, "ADA/BTC", CEPHALO_SIDE_BUY, 100) ==
        doctest::Approx(3));
  account.positions.push_back({"XRP/BTC", 4, 100});
  CHECK(entry_headroom_quantity(config, account, "ADA/BTC", CEPHALO_SIDE_BUY, 100) == 0);
}

TEST_CASE("an entry sized at the headroom is approved; a little more is refused") {
  RiskConfig config;
  config.position.max_position_fraction = 0.3;
  config.account.max_exposure_fraction = 0.7;
  RiskEngine engine(config);
  AccountView account;
  account.equity = 1234.5;
  account.positions.push_back({"LTC/BTC", 3.3, 97.1});
  const double price = 0.0712345;
  const double headroom =
      entry_headroom_quantity(config, account, "ETH/BTC", CEPHALO_SIDE_BUY, price);
  CHECK(headroom == doctest::Approx(0.3 * 1234.5 / price));
  const double quantity = size_fixed_fraction(account.equity, price, 0.9, headroom);
  CHECK(quantity == headroom);
  IntentToCheck intent;
  intent.symbol = "ETH/BTC";
  intent.quantity = quantity;
  intent.price = price;
  CHECK(engine.evaluate(intent, account, 0).allowed);
  intent.quantity = quantity * 1.001;
  CHECK_FALSE(engine.evaluate(intent, account, 0).allowed);
}

}  // namespace
