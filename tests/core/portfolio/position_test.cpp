// Position bookkeeping: weighted entry and exit prices, average-cost realised pnl, dust closes.
#include "portfolio/position.hpp"

#include <doctest/doctest.h>

namespace {

using namespace cephalo;

TEST_CASE("one buy and one sell make a round trip with both fees") {
  Position position("ETH/BTC");
  position.buy(2, 100, 0.5, 1000);
  CHECK(position.quantity() == 2);
  CHECK(position.average_entry_price() == 100);
  CHECK(position.entry_time_ns() == 1000);

  const Position::SellOutcome outcome = position.sell(2, 110, 0.75, 2000, "signal");
  REQUIRE(outcome.closed);
  const ClosedTrade& trade = *outcome.closed;
  CHECK(trade.pair == "ETH/BTC");
  CHECK(trade.entry_time_ns == 1000);
  CHECK(trade.entry_price == 100);
  CHECK(trade.exit_time_ns == 2000);
  CHECK(trade.exit_price == 110);
  CHECK(trade.quantity == 2);
  CHECK(trade.fees == 1.25);
  CHECK(trade.pnl == 220.0 - 200.0 - 1.25);
  CHECK(trade.exit_reason == "signal");
  CHECK(outcome.realised_pnl == (110.0 - 100.0) * 2 - 0.75 - 0.5);
  CHECK(position.flat());
}

TEST_CASE("entry and exit prices are quantity-weighted over several fills") {
  Position position("ETH/BTC");
  position.buy(1, 100, 0.25, 1000);
  position.buy(3, 120, 0.5, 2000);
  CHECK(position.average_entry_price() == (100.0 * 1 + 120.0 * 3) / 4);
  CHECK(position.entry_time_ns() == 1000);

  const Position::SellOutcome first = position.sell(1, 130, 0.125, 3000, "partial");
  CHECK_FALSE(first.closed);
  CHECK(position.quantity() == 3);
  // The sold quarter carries a quarter of the entry fees.
  CHECK(first.realised_pnl == (130.0 - 115.0) * 1 - 0.125 - 0.75 * 0.25);
  CHECK(position.open_entry_fees() == 0.75 - 0.75 * 0.25);

  const Position::SellOutcome last = position.sell(3, 150, 0.25, 4000, "take_profit");
  REQUIRE(last.closed);
  CHECK(last.closed->entry_price == 115);
  CHECK(last.closed->exit_price == (130.0 * 1 + 150.0 * 3) / 4);
  CHECK(last.closed->quantity == 4);
  CHECK(last.closed->fees == 0.25 + 0.5 + 0.125 + 0.25);
  CHECK(last.closed->pnl == (130.0 + 450.0) - (100.0 + 360.0) - 1.125);
  CHECK(last.closed->exit_reason == "take_profit");
  CHECK(last.closed->exit_time_ns == 4000);
  CHECK(first.realised_pnl + last.realised_pnl == doctest::Approx(last.closed->pnl));
}

TEST_CASE("dust left by summing lot-sized doubles closes the position") {
  Position position("ETH/BTC");
  position.buy(0.1, 10, 0, 1);
  position.buy(0.2, 10, 0, 2);
  CHECK(position.quantity() != 0.3);  // 0.30000000000000004: the dust this guards against
  const Position::SellOutcome outcome = position.sell(0.3, 11, 0, 3, "signal");
  REQUIRE(outcome.closed);
  CHECK(position.flat());
  CHECK(position.quantity() == 0);
}

TEST_CASE("an open position's snapshot is valued at the given last price") {
  Position position("ETH/BTC");
  position.buy(2, 100, 0.5, 1000);
  const OpenPosition open = position.snapshot(90);
  CHECK(open.pair == "ETH/BTC");
  CHECK(open.entry_time_ns == 1000);
  CHECK(open.entry_price == 100);
  CHECK(open.quantity == 2);
  CHECK(open.fees == 0.5);
  CHECK(open.last_price == 90);
  CHECK(open.unrealised_pnl == (90.0 - 100.0) * 2 - 0.5);
}

TEST_CASE("a new round trip after a close starts from scratch") {
  Position position("ETH/BTC");
  position.buy(1, 100, 0, 1000);
  REQUIRE(position.sell(1, 105, 0, 2000, "a").closed);
  position.buy(2, 50, 0.5, 3000);
  const Position::SellOutcome outcome = position.sell(2, 40, 0.5, 4000, "stop_loss");
  REQUIRE(outcome.closed);
  CHECK(outcome.closed->entry_time_ns == 3000);
  CHECK(outcome.closed->entry_price == 50);
  CHECK(outcome.closed->quantity == 2);
  CHECK(outcome.closed->fees == 1);
  CHECK(outcome.closed->pnl == 80.0 - 100.0 - 1.0);
}

}  // namespace
