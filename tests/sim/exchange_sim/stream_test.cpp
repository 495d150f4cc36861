// The WebSocket side over real sockets: kline, trade and book ticker streams, the user data
// stream, and the WebSocket fault switches.
#include <doctest/doctest.h>

#include "sim_fixture.hpp"

using namespace sim_test;

namespace {

bool closed_kline(const json& message) {
  return message.value("e", "") == "kline" && message["k"]["x"] == true;
}

}  // namespace

TEST_CASE("the kline stream sends forming candles, then x=true when the candle closes") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  WsClient client(sim.port(), "/ws/ethbtc@kline_5m");
  sim.advance_candles(1);
  int forming = 0;
  const auto closed = client.next_matching([&](const json& message) {
    if (message["k"]["x"] == false) ++forming;
    return closed_kline(message);
  });
  REQUIRE(closed);
  CHECK(forming == 3);  // the 2nd, 3rd and 4th quarter of candle 10
  CHECK((*closed)["s"] == "ETHBTC");
  CHECK((*closed)["k"]["t"] == bars[10].open_time_ms);
  CHECK((*closed)["k"]["i"] == "5m");
  CHECK((*closed)["k"]["c"] == format_units(units_from_double(bars[10].close)));
  CHECK((*closed)["k"]["h"] == format_units(units_from_double(bars[10].high)));
}

TEST_CASE("with a running clock, closed candles arrive without any control call") {
  SimConfig config = default_config();
  config.speed = 3000;  // a 5m candle every 100 ms
  RunningSim sim(config);
  WsClient client(sim.port(), "/ws/ethbtc@kline_5m");
  const auto closed = client.next_matching(closed_kline, std::chrono::seconds(10));
  REQUIRE(closed);
  CHECK((*closed)["k"]["t"].get<int64_t>() >= eth_btc_bars()[10].open_time_ms);
}

TEST_CASE("a combined stream wraps trades and book tickers derived from the candle path") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  WsClient client(sim.port(), "/stream?streams=ethbtc@trade/ethbtc@bookTicker");
  REQUIRE(sim.control("/sim/advance", {{"quarters", 1}}).status == 200);
  const auto trade = client.next();
  REQUIRE(trade);
  CHECK((*trade)["stream"] == "ethbtc@trade");
  // The second tick of a candle is its low when it closes up, its high when it closes down.
  const double expected = bars[10].close >= bars[10].open ? bars[10].low : bars[10].high;
  CHECK((*trade)["data"]["p"] == format_units(units_from_double(expected)));
  const auto book = client.next();
  REQUIRE(book);
  CHECK((*book)["stream"] == "ethbtc@bookTicker");
  CHECK((*book)["data"]["b"] == (*trade)["data"]["p"]);
}

TEST_CASE("the user stream reports the order and its fill when a candle touches the limit") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  WsClient user(sim.port(), "/ws-api/v3");
  const json subscribed = subscribe_user_stream(user);
  REQUIRE(subscribed["status"] == 200);
  CHECK(subscribed["result"]["subscriptionId"] == 0);
  // Placed while candle 10 forms, so candle 11 is the first that can fill it; its low is the
  // lowest price that candle traded, so a buy there fills exactly at that price.
  const Units price = units_from_double(bars[11].low);
  REQUIRE(sim.place_limit("BUY", "1", format_units(price), "touch").status == 200);
  // WebSocket API events: {"subscriptionId": 0, "event": {...}} (user-data-stream.md).
  const auto event = [&user]() -> std::optional<json> {
    auto message = user.next();
    if (!message) return std::nullopt;
    CHECK((*message)["subscriptionId"] == 0);
    return (*message)["event"];
  };
  const auto created = event();
  REQUIRE(created);
  CHECK((*created)["e"] == "executionReport");
  CHECK((*created)["x"] == "NEW");
  const auto locked = event();
  REQUIRE(locked);
  CHECK((*locked)["e"] == "outboundAccountPosition");
  sim.advance_candles(2);
  const auto wrapped_fill = user.next_matching(
      [](const json& message) { return message["event"].value("x", "") == "TRADE"; });
  REQUIRE(wrapped_fill);
  const std::optional<json> filled = (*wrapped_fill)["event"];
  CHECK((*filled)["X"] == "FILLED");
  CHECK((*filled)["c"] == "touch");
  CHECK((*filled)["L"] == format_units(price));
  CHECK((*filled)["l"] == "1.00000000");
  CHECK((*filled)["n"] == "0.00100000");
  CHECK((*filled)["N"] == "ETH");
  const auto position = event();
  REQUIRE(position);
  CHECK((*position)["e"] == "outboundAccountPosition");
  const json balances = sim.state()["balances"];
  CHECK(balances[0] == json{{"asset", "BTC"},
                            {"free", format_units(kUnitsPerWhole - price)},
                            {"locked", "0.00000000"}});
  CHECK(balances[1] == json{{"asset", "ETH"}, {"free", "0.99900000"}, {"locked", "0.00000000"}});
  const auto trades = sim.signed_request(http::verb::get, "/api/v3/myTrades", "symbol=ETHBTC");
  REQUIRE(trades.body.size() == 1);
  CHECK(trades.body[0]["id"] == (*filled)["t"]);
  CHECK(trades.body[0]["isMaker"] == true);
}

TEST_CASE("fault: drop all WebSocket connections now") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  WsClient client(sim.port(), "/ws/ethbtc@kline_5m");
  sim.advance_candles(1);
  REQUIRE(client.next());
  REQUIRE(sim.control("/sim/faults", {{"drop_websockets", true}}).status == 200);
  sim.advance_candles(1);
  // What was sent before the drop may still be read (up to candle 11's opening tick); then the
  // connection is gone, and nothing played after the drop (the rest of candle 11) arrives.
  std::vector<json> seen;
  CHECK_THROWS([&] {
    while (auto message = client.next()) seen.push_back(*message);
  }());
  for (const json& message : seen) {
    const bool after_drop = message["k"]["t"] == bars[11].open_time_ms && message["k"]["n"] != 1;
    CHECK_FALSE(after_drop);
  }
  CHECK(sim.state()["websocket_connections"] == 0);
  WsClient again(sim.port(), "/ws/ethbtc@kline_5m");  // reconnecting works at once
  sim.advance_candles(1);
  CHECK(again.next_matching(closed_kline));
}

TEST_CASE("fault: silence keeps the socket open but what would have been sent is lost") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  WsClient client(sim.port(), "/ws/ethbtc@kline_5m");
  sim.control("/sim/faults", {{"silence_ms", 600'000}});
  sim.advance_candles(2);  // candles 10 and 11 close in silence
  sim.control("/sim/faults", {{"silence_ms", 0}});
  sim.advance_candles(1);
  const auto first = client.next();
  REQUIRE(first);
  // The first message after the silence belongs to candle 12: 10 and 11 were never sent.
  CHECK((*first)["k"]["t"] == bars[12].open_time_ms);
  CHECK(sim.state()["websocket_connections"] == 1);
}

TEST_CASE("fault: WebSocket upgrades refused until switched back") {
  RunningSim sim;
  sim.control("/sim/faults", {{"reject_websockets", true}});
  CHECK_THROWS(WsClient(sim.port(), "/ws/ethbtc@kline_5m"));
  CHECK(sim.get("/api/v3/ping").status == 200);  // REST still answers
  sim.control("/sim/faults", {{"reject_websockets", false}});
  WsClient client(sim.port(), "/ws/ethbtc@kline_5m");
  sim.advance_candles(1);
  CHECK(client.next_matching(closed_kline));
}
