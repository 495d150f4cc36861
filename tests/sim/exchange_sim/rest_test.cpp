// The REST side over a real socket: signing, timing, duplicates, klines backfill, rate limits
// and the REST fault switches.
#include <doctest/doctest.h>

#include "sim_fixture.hpp"

using namespace sim_test;

TEST_CASE("a signed order is accepted and the simulator books it") {
  RunningSim sim;
  const auto placed = sim.place_limit("BUY", "1", "0.05", "order-1");
  REQUIRE(placed.status == 200);
  CHECK(placed.body["status"] == "NEW");
  CHECK(placed.body["price"] == "0.05000000");
  CHECK(placed.body["clientOrderId"] == "order-1");
  CHECK(placed.headers.at("X-MBX-USED-WEIGHT-1M") == "1");
  const auto queried = sim.signed_request(http::verb::get, "/api/v3/order",
                                          "symbol=ETHBTC&origClientOrderId=order-1");
  CHECK(queried.status == 200);
  CHECK(queried.body["orderId"] == placed.body["orderId"]);
  const auto account = sim.signed_request(http::verb::get, "/api/v3/account", "");
  REQUIRE(account.status == 200);
  CHECK(account.body["balances"][0] ==
        json{{"asset", "BTC"}, {"free", "0.95000000"}, {"locked", "0.05000000"}});
  CHECK(sim.state()["orders"].size() == 1);
}

TEST_CASE("a bad signature is refused with -1022, a wrong key with -2015, none with -2014") {
  RunningSim sim;
  const auto bad = sim.signed_request(http::verb::get, "/api/v3/account", "", local_ms(), "wrong");
  CHECK(bad.status == 400);
  CHECK(bad.body == json{{"code", -1022}, {"msg", "Signature for this request is not valid."}});
  CHECK(sim.request(http::verb::get, "/api/v3/account?timestamp=1&signature=x", "", true, "other")
            .body["code"] == -2015);
  CHECK(sim.request(http::verb::get, "/api/v3/account?timestamp=1&signature=x", "", false)
            .body["code"] == -2014);
}

TEST_CASE("a timestamp outside recvWindow is refused with -1021") {
  RunningSim sim;
  const auto old = sim.signed_request(http::verb::get, "/api/v3/account", "", local_ms() - 10'000);
  CHECK(old.status == 400);
  CHECK(old.body["code"] == -1021);
  const auto ahead = sim.signed_request(http::verb::get, "/api/v3/account", "", local_ms() + 5'000);
  CHECK(ahead.body["code"] == -1021);
}

TEST_CASE("a reused newClientOrderId is refused with -2010 Duplicate order sent.") {
  RunningSim sim;
  REQUIRE(sim.place_limit("BUY", "1", "0.05", "same").status == 200);
  const auto again = sim.place_limit("BUY", "1", "0.05", "same");
  CHECK(again.status == 400);
  CHECK(again.body == json{{"code", -2010}, {"msg", "Duplicate order sent."}});
  CHECK(sim.state()["orders"].size() == 1);
}

TEST_CASE("filters and balance are checked with Binance's codes") {
  RunningSim sim;
  CHECK(sim.place_limit("BUY", "1.0001", "0.05", "lot").body["msg"] == "Filter failure: LOT_SIZE");
  CHECK(sim.place_limit("BUY", "100", "0.05", "poor").body["code"] == -2010);
}

TEST_CASE("klines serves the closed candles, so a client can backfill a gap") {
  RunningSim sim;
  const auto& bars = eth_btc_bars();
  auto klines = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&limit=1000");
  REQUIRE(klines.status == 200);
  REQUIRE(klines.body.size() == 10);  // the history
  CHECK(klines.body[9][0] == bars[9].open_time_ms);
  CHECK(klines.body[9][6] == bars[9].open_time_ms + 300'000 - 1);
  CHECK(klines.body[9].size() == 12);
  sim.advance_candles(3);
  klines = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&startTime=" +
                   std::to_string(bars[11].open_time_ms));
  REQUIRE(klines.body.size() == 2);  // candles 11 and 12; 13 is still forming
  CHECK(klines.body[0][0] == bars[11].open_time_ms);
  CHECK(klines.body[1][4] == format_units(units_from_double(bars[12].close)));
  CHECK(sim.get("/api/v3/klines?symbol=ETHBTC&interval=1m").body["code"] == -1120);
}

TEST_CASE("past the weight limit: 429 with Retry-After, then 418 for not backing off") {
  SimConfig config = default_config();
  config.weight_limit_per_minute = 2;
  config.ban_seconds = 120;
  RunningSim sim(config);
  HttpReply reply;
  for (int i = 0; i < 5 && reply.status != 429; ++i) reply = sim.get("/api/v3/ping");
  REQUIRE(reply.status == 429);
  CHECK(reply.body["code"] == -1003);
  CHECK(std::stoi(reply.headers.at("Retry-After")) >= 1);
  const auto banned = sim.get("/api/v3/ping");
  CHECK(banned.status == 418);
  CHECK(banned.headers.at("Retry-After") == "120");
  CHECK(sim.get("/api/v3/time").status == 418);
  sim.control("/sim/faults", {{"reset_rate_limit", true}});
  CHECK(sim.get("/api/v3/time").status == 200);
}

TEST_CASE("fault: 429 and 418 on the next N requests") {
  RunningSim sim;
  REQUIRE(sim.control("/sim/faults", {{"http_429", 2}, {"http_418", 1}}).status == 200);
  const auto first = sim.get("/api/v3/time");
  CHECK(first.status == 418);  // 418 answers first: a ban outranks a warning
  CHECK(first.headers.count("Retry-After") == 1);
  CHECK(sim.get("/api/v3/time").status == 429);
  CHECK(sim.get("/api/v3/time").status == 429);
  // The injected ban holds like a real one: the next request is still banned, and counted so.
  CHECK(sim.get("/api/v3/time").status == 418);
  const json limits = sim.state()["rate_limit"];
  CHECK(limits["requests"] == 4);
  CHECK(limits["requests_during_ban"] == 3);
  sim.control("/sim/faults", {{"reset_rate_limit", true}});
  CHECK(sim.get("/api/v3/time").status == 200);
}

TEST_CASE("fault: an injected 429 with a short Retry-After; a request before it passes is banned") {
  RunningSim sim;
  REQUIRE(sim.control("/sim/faults", {{"http_429", 1}, {"http_429_retry_after_s", 1}}).status ==
          200);
  const auto warned = sim.get("/api/v3/time");
  CHECK(warned.status == 429);
  CHECK(warned.headers.at("Retry-After") == "1");
  CHECK(sim.state()["rate_limit"]["requests_during_backoff"] == 0);
  // Too early: Binance bans a client that does not back off, and the simulator counts it.
  CHECK(sim.get("/api/v3/time").status == 418);
  const json limits = sim.state()["rate_limit"];
  CHECK(limits["requests"] == 2);
  CHECK(limits["requests_during_backoff"] == 1);
}

TEST_CASE("fault: -2010 Duplicate order sent. for an order the venue accepted") {
  RunningSim sim;
  sim.control("/sim/faults", {{"duplicate_order", 1}});
  const auto answered = sim.place_limit("BUY", "1", "0.05", "twice");
  CHECK(answered.status == 400);
  CHECK(answered.body == json{{"code", -2010}, {"msg", "Duplicate order sent."}});
  const auto queried =
      sim.signed_request(http::verb::get, "/api/v3/order", "symbol=ETHBTC&origClientOrderId=twice");
  CHECK(queried.status == 200);
  CHECK(queried.body["status"] == "NEW");
  CHECK(sim.state()["duplicate_orders_refused"] == 0);  // the fault is not a real duplicate
  // Sending the same client id again is a real duplicate: refused, counted, not booked twice.
  CHECK(sim.place_limit("BUY", "1", "0.05", "twice").body["code"] == -2010);
  CHECK(sim.state()["duplicate_orders_refused"] == 1);
  CHECK(sim.state()["orders"].size() == 1);
}

TEST_CASE("fault: 5xx after accepting an order (the order exists)") {
  RunningSim sim;
  sim.control("/sim/faults", {{"order_5xx", 1}});
  const auto lost = sim.place_limit("BUY", "1", "0.05", "maybe");
  CHECK(lost.status == 503);
  const auto queried =
      sim.signed_request(http::verb::get, "/api/v3/order", "symbol=ETHBTC&origClientOrderId=maybe");
  CHECK(queried.status == 200);
  CHECK(queried.body["status"] == "NEW");
  CHECK(sim.place_limit("BUY", "1", "0.05", "next").status == 200);
}

TEST_CASE("fault: clock skew refuses an unadjusted client with -1021, not an adjusted one") {
  RunningSim sim;
  sim.control("/sim/faults", {{"clock_skew_ms", 20'000}});
  const int64_t before = local_ms();
  const int64_t server = sim.get("/api/v3/time").body["serverTime"].get<int64_t>();
  CHECK(server - before >= 19'000);
  CHECK(sim.signed_request(http::verb::get, "/api/v3/account", "").body["code"] == -1021);
  const int64_t offset = server - before;
  CHECK(sim.signed_request(http::verb::get, "/api/v3/account", "", local_ms() + offset).status ==
        200);
}

TEST_CASE("fault: a fresh order is not found by a query for a while (-2013)") {
  RunningSim sim;
  sim.control("/sim/faults", {{"order_query_hidden_ms", 600'000}});
  REQUIRE(sim.place_limit("BUY", "1", "0.05", "young").status == 200);
  const auto hidden =
      sim.signed_request(http::verb::get, "/api/v3/order", "symbol=ETHBTC&origClientOrderId=young");
  CHECK(hidden.body == json{{"code", -2013}, {"msg", "Order does not exist."}});
  sim.control("/sim/faults", {{"order_query_hidden_ms", 0}});
  CHECK(
      sim.signed_request(http::verb::get, "/api/v3/order", "symbol=ETHBTC&origClientOrderId=young")
          .status == 200);
}

TEST_CASE("a faults document with an unknown key is refused whole") {
  RunningSim sim;
  const auto refused = sim.control("/sim/faults", {{"http_429", 1}, {"typo", 1}});
  CHECK(refused.status == 400);
  CHECK(sim.get("/api/v3/time").status == 200);
}

TEST_CASE("avgPrice: the volume-weighted price of the last avgPriceMins; PERCENT_PRICE_BY_SIDE") {
  RunningSim sim;
  // 10 history candles; candle 10 has opened (its first tick, the open, traded). The 5 minutes
  // before that tick hold candle 9's last three ticks (a quarter of its volume each), in OHLC
  // order: the far extreme, the other one, the close.
  const auto& bars = eth_btc_bars();
  const auto& c9 = bars[9];
  const bool rising = c9.close >= c9.open;
  const double q9 = c9.volume / 4, q10 = bars[10].volume / 4;
  const double expected =
      ((rising ? c9.low : c9.high) * q9 + (rising ? c9.high : c9.low) * q9 + c9.close * q9 +
       bars[10].open * q10) /
      (3 * q9 + q10);
  auto average = sim.get("/api/v3/avgPrice?symbol=ETHBTC");
  REQUIRE(average.status == 200);
  CHECK(average.body["mins"] == 5);
  CHECK(average.body["price"] == format_units(units_from_double(expected)));
  CHECK(average.body["closeTime"] == bars[10].open_time_ms);
  CHECK(average.headers.at("X-MBX-USED-WEIGHT-1M") == "2");
  // The simulated symbols never had a reference price (errors.md -2043).
  auto reference = sim.get("/api/v3/referencePrice?symbol=ETHBTC");
  CHECK(reference.status == 400);
  CHECK(reference.body["code"] == -2043);
  CHECK(sim.get("/api/v3/avgPrice?symbol=NOPE").body["code"] == -1121);

  // exchangeInfo publishes the band: 0.2 to 5 times the average price, both sides.
  const json info = sim.get("/api/v3/exchangeInfo?symbol=ETHBTC").body;
  bool published = false;
  for (const json& filter : info["symbols"][0]["filters"]) {
    if (filter["filterType"] != "PERCENT_PRICE_BY_SIDE") continue;
    published = true;
    CHECK(filter["bidMultiplierUp"] == "5.00000000");
    CHECK(filter["askMultiplierDown"] == "0.20000000");
    CHECK(filter["avgPriceMins"] == 5);
  }
  CHECK(published);
  // About 0.0979 on average: 0.5 is above 5x, 0.019 below 0.2x; 0.4 and 0.02 are inside.
  REQUIRE(expected > 0.09);
  REQUIRE(expected < 0.1);
  CHECK(sim.place_limit("BUY", "1", "0.5", "high").body["msg"] ==
        "Filter failure: PERCENT_PRICE_BY_SIDE");
  CHECK(sim.place_limit("BUY", "1", "0.019", "low").body["msg"] ==
        "Filter failure: PERCENT_PRICE_BY_SIDE");
  CHECK(sim.place_limit("BUY", "1", "0.4", "inside-high").status == 200);
  CHECK(sim.place_limit("BUY", "1", "0.02", "inside-low").status == 200);
}
