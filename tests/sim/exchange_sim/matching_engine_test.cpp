// The matching engine on its own: admission checks, fills against candles, exact balances.
#include "exchange_sim/matching_engine.hpp"

#include <doctest/doctest.h>

#include <variant>

using namespace cephalo::exchange_sim;
using cephalo::OhlcvBar;

namespace {

constexpr Units kBtc = kUnitsPerWhole;

std::vector<SimMarket> eth_btc() {
  SimMarket market;
  market.symbol = "ETHBTC";
  market.base = "ETH";
  market.quote = "BTC";
  return {market};
}

Units units(const char* text) {
  return parse_units(text).value();
}

PlaceRequest limit(const char* side, const char* qty, const char* price, const char* id) {
  return PlaceRequest{"ETHBTC", side, "LIMIT", "GTC", units(qty), units(price), id, 0};
}

// A candle at 0.1 BTC with 1000 ETH of volume unless told otherwise.
OhlcvBar bar(double open, double high, double low, double close, double volume = 1000) {
  return OhlcvBar{0, open, high, low, close, volume};
}

const MarketNow kNow{0, units("0.1"), units("1000")};

}  // namespace

TEST_CASE("a resting buy fills at its price when a later candle's low touches it") {
  const auto markets = eth_btc();
  MatchingEngine engine(markets, {{"BTC", kBtc}}, 0.001, 0.1);
  auto placed = engine.place(limit("BUY", "2", "0.09", "b1"), kNow, 1);
  REQUIRE(std::holds_alternative<PlaceOutcome>(placed));
  CHECK(engine.balances().at("BTC").locked == units("0.18"));
  CHECK(engine.balances().at("BTC").free == units("0.82"));
  // The candle the order was placed in never fills it: only later candles do.
  CHECK(engine.on_candle_close("ETHBTC", 0, bar(0.1, 0.1, 0.08, 0.1), 2).empty());
  CHECK(engine.on_candle_close("ETHBTC", 1, bar(0.1, 0.1, 0.0901, 0.1), 3).empty());
  const auto fills = engine.on_candle_close("ETHBTC", 2, bar(0.1, 0.1, 0.09, 0.095), 4);
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].trade->price == units("0.09"));
  CHECK(fills[0].order.status == "FILLED");
  // 2 ETH minus 0.1% commission in ETH (the asset received); 0.18 BTC spent, nothing locked.
  CHECK(engine.balances().at("ETH").free == units("1.998"));
  CHECK(fills[0].trade->commission_asset == "ETH");
  CHECK(engine.balances().at("BTC").free == units("0.82"));
  CHECK(engine.balances().at("BTC").locked == 0);
}

TEST_CASE("a resting order the candle opens through fills at the open (a gap)") {
  const auto markets = eth_btc();
  MatchingEngine engine(markets, {{"BTC", kBtc}, {"ETH", kBtc}}, 0.001, 0.1);
  REQUIRE(
      std::holds_alternative<PlaceOutcome>(engine.place(limit("BUY", "1", "0.09", "b"), kNow, 1)));
  REQUIRE(
      std::holds_alternative<PlaceOutcome>(engine.place(limit("SELL", "1", "0.11", "s"), kNow, 1)));
  const auto down = engine.on_candle_close("ETHBTC", 1, bar(0.085, 0.086, 0.08, 0.081), 2);
  REQUIRE(down.size() == 1);
  CHECK(down[0].trade->price == units("0.085"));
  // The buy locked 0.09 and paid 0.085: the difference is free again.
  CHECK(engine.balances().at("BTC").free == units("0.915"));
  const auto up = engine.on_candle_close("ETHBTC", 2, bar(0.12, 0.13, 0.115, 0.125), 3);
  REQUIRE(up.size() == 1);
  CHECK(up[0].trade->price == units("0.12"));
  // The sell receives 0.12 BTC less 0.1% commission in BTC.
  CHECK(up[0].trade->commission == units("0.00012"));
  CHECK(engine.balances().at("BTC").free == units("0.915") + units("0.12") - units("0.00012"));
}

TEST_CASE("an order larger than the candle's volume share fills in parts over candles") {
  const auto markets = eth_btc();
  MatchingEngine engine(markets, {{"BTC", 10 * kBtc}}, 0.0, 0.1);
  REQUIRE(std::holds_alternative<PlaceOutcome>(
      engine.place(limit("BUY", "15", "0.1", "big"), kNow, 1)));
  const auto first = engine.on_candle_close("ETHBTC", 1, bar(0.1, 0.1, 0.1, 0.1, 100), 2);
  REQUIRE(first.size() == 1);
  CHECK(first[0].trade->qty == units("10"));  // 10% of 100 ETH
  CHECK(first[0].order.status == "PARTIALLY_FILLED");
  CHECK(engine.balances().at("BTC").locked == units("0.5"));
  const auto second = engine.on_candle_close("ETHBTC", 2, bar(0.1, 0.1, 0.1, 0.1, 100), 3);
  REQUIRE(second.size() == 1);
  CHECK(second[0].trade->qty == units("5"));
  CHECK(second[0].order.status == "FILLED");
  CHECK(second[0].order.executed_qty == units("15"));
  CHECK(second[0].trade->trade_id > first[0].trade->trade_id);
  CHECK(engine.balances().at("BTC").locked == 0);
  CHECK(engine.balances().at("BTC").free == units("8.5"));
}

TEST_CASE("admission refuses with Binance's codes: filters, balance, duplicate client id") {
  const auto markets = eth_btc();
  MatchingEngine engine(markets, {{"BTC", kBtc}}, 0.001, 0.1);
  const auto code_of = [&](const PlaceRequest& request) {
    auto placed = engine.place(request, kNow, 1);
    return std::holds_alternative<ApiError>(placed) ? std::get<ApiError>(placed).code : 0;
  };
  const auto msg_of = [&](const PlaceRequest& request) {
    return std::get<ApiError>(engine.place(request, kNow, 1)).msg;
  };
  CHECK(msg_of(limit("BUY", "1.0005", "0.09", "x")) == "Filter failure: LOT_SIZE");
  CHECK(msg_of(limit("BUY", "0.001", "0.09", "x")) == "Filter failure: NOTIONAL");
  CHECK(msg_of(limit("BUY", "1", "0", "x")) == "Filter failure: PRICE_FILTER");
  CHECK(code_of(limit("BUY", "20", "0.09", "x")) == -2010);  // 1.8 BTC needed, 1 held
  CHECK(code_of(limit("BUY", "1", "0.09", "dup")) == 0);
  CHECK(msg_of(limit("BUY", "1", "0.09", "dup")) == "Duplicate order sent.");
  CHECK(code_of(PlaceRequest{"XRPBTC", "BUY", "LIMIT", "GTC", kBtc, kBtc / 10, "y", 0}) == -1121);
}

TEST_CASE("a market order fills at once at the last price; cancel frees the lock") {
  const auto markets = eth_btc();
  MatchingEngine engine(markets, {{"BTC", kBtc}}, 0.001, 0.1);
  auto placed =
      engine.place(PlaceRequest{"ETHBTC", "BUY", "MARKET", "", units("1"), 0, "m", 0}, kNow, 1);
  REQUIRE(std::holds_alternative<PlaceOutcome>(placed));
  const auto& outcome = std::get<PlaceOutcome>(placed);
  REQUIRE(outcome.fills.size() == 1);
  CHECK(outcome.fills[0].price == units("0.1"));
  CHECK(outcome.order.status == "FILLED");
  CHECK(outcome.updates.size() == 2);  // NEW, then TRADE
  CHECK(engine.balances().at("BTC").free == units("0.9"));

  REQUIRE(
      std::holds_alternative<PlaceOutcome>(engine.place(limit("BUY", "1", "0.05", "c"), kNow, 2)));
  CHECK(engine.balances().at("BTC").locked == units("0.05"));
  auto cancelled = engine.cancel("ETHBTC", "c", 0, "cancel-1", 3);
  REQUIRE(std::holds_alternative<OrderUpdate>(cancelled));
  CHECK(std::get<OrderUpdate>(cancelled).order.status == "CANCELED");
  CHECK(engine.balances().at("BTC").locked == 0);
  CHECK(engine.balances().at("BTC").free == units("0.9"));
  CHECK(std::get<ApiError>(engine.cancel("ETHBTC", "c", 0, "cancel-2", 4)).code == -2011);
}

TEST_CASE("amounts parse and print exactly at 1e-8") {
  CHECK(parse_units("0.0984") == 9'840'000);
  CHECK(parse_units("12.50000000") == 1'250'000'000);
  CHECK(parse_units("0.000000001") == std::nullopt);
  CHECK(parse_units("1e-3") == std::nullopt);
  CHECK(parse_units("-1") == std::nullopt);
  CHECK(format_units(9'840'000) == "0.09840000");
  CHECK(mul_units_ceil(units("3"), units("0.33333333")) == units("0.99999999"));
}
