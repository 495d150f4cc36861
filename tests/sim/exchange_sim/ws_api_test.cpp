// The simulator speaks today's Binance: the user data stream only over the WebSocket API
// (web-socket-api.md "User Data Stream requests", user-data-stream.md), the retired listenKey
// endpoints answered as Binance's edge answers them (410 Gone) and counted, and its own control
// and REST parameters refused when out of range (issue 20's audit, finding 12).
#include <doctest/doctest.h>

#include "sim_fixture.hpp"

using namespace sim_test;

namespace {

bool terminated(const json& message) {
  return message.contains("event") && message["event"].value("e", "") == "eventStreamTerminated";
}

}  // namespace

TEST_CASE("userDataStream.subscribe.signature checks key and signature, then streams events") {
  RunningSim sim;
  WsClient bad_key(sim.port(), "/ws-api/v3");
  bad_key.send({{"id", 1},
                {"method", "userDataStream.subscribe.signature"},
                {"params", {{"apiKey", "someone-else"}, {"timestamp", local_ms()}, {"signature", "00"}}}});
  const auto refused = bad_key.next();
  REQUIRE(refused);
  CHECK((*refused)["id"] == 1);
  CHECK((*refused)["status"] == 401);
  CHECK((*refused)["error"]["code"] == -2015);

  WsClient bad_signature(sim.port(), "/ws-api/v3");
  bad_signature.send({{"id", "x"},
                      {"method", "userDataStream.subscribe.signature"},
                      {"params", {{"apiKey", kKey}, {"timestamp", local_ms()}, {"signature", "0f"}}}});
  const auto invalid = bad_signature.next();
  REQUIRE(invalid);
  CHECK((*invalid)["status"] == 400);
  CHECK((*invalid)["error"]["code"] == -1022);

  WsClient stale(sim.port(), "/ws-api/v3");
  const json late = subscribe_user_stream(stale, local_ms() - 60'000);
  CHECK(late["error"]["code"] == -1021);

  WsClient user(sim.port(), "/ws-api/v3");
  const json answer = subscribe_user_stream(user);
  CHECK(answer["status"] == 200);
  CHECK(answer["result"]["subscriptionId"] == 0);
  CHECK(answer["rateLimits"][0]["rateLimitType"] == "REQUEST_WEIGHT");
  // One subscription per account per connection.
  const json twice = subscribe_user_stream(user);
  CHECK(twice["error"]["code"] == -2035);
  REQUIRE(sim.place_limit("BUY", "1", "0.02", "ws-api-1").status == 200);
  const auto report = user.next();
  REQUIRE(report);
  CHECK((*report)["subscriptionId"] == 0);
  CHECK((*report)["event"]["e"] == "executionReport");
  CHECK((*report)["event"]["c"] == "ws-api-1");
  CHECK(sim.state()["user_data_subscriptions"] == 1);
}

TEST_CASE("a terminated subscription says eventStreamTerminated and can be started again") {
  RunningSim sim;
  WsClient user(sim.port(), "/ws-api/v3");
  REQUIRE(subscribe_user_stream(user)["status"] == 200);
  REQUIRE(sim.control("/sim/faults", {{"terminate_user_streams", true}}).status == 200);
  const auto ended = user.next();
  REQUIRE(ended);
  CHECK(terminated(*ended));
  CHECK((*ended)["subscriptionId"] == 0);
  // Nothing arrives for the ended subscription...
  REQUIRE(sim.place_limit("BUY", "1", "0.02", "after-end").status == 200);
  CHECK_FALSE(user.next(std::chrono::milliseconds(300)));
  // ... until the client subscribes again, on the same connection.
  const json again = subscribe_user_stream(user);
  CHECK(again["status"] == 200);
  CHECK(again["result"]["subscriptionId"] == 1);
  REQUIRE(sim.place_limit("BUY", "1", "0.02", "after-again").status == 200);
  const auto report = user.next_matching([](const json& m) {
    return m.contains("event") && m["event"].value("e", "") == "executionReport";
  });
  REQUIRE(report);
  CHECK((*report)["subscriptionId"] == 1);
  CHECK((*report)["event"]["c"] == "after-again");

  // userDataStream.unsubscribe ends it the same way, then answers {}.
  user.send({{"id", "u"}, {"method", "userDataStream.unsubscribe"}});
  const auto unsubscribed = user.next_matching(terminated);
  REQUIRE(unsubscribed);
  const auto done = user.next();
  REQUIRE(done);
  CHECK((*done)["id"] == "u");
  CHECK((*done)["result"] == json::object());
}

TEST_CASE("session.logon needs an Ed25519 key; with an HMAC key it is refused") {
  RunningSim sim;
  WsClient client(sim.port(), "/ws-api/v3");
  client.send({{"id", "logon"},
               {"method", "session.logon"},
               {"params", {{"apiKey", kKey}, {"timestamp", local_ms()}, {"signature", "x"}}}});
  const auto answer = client.next();
  REQUIRE(answer);
  CHECK((*answer)["status"] == 400);
  CHECK((*answer)["error"]["code"] == -1020);
  client.send({{"id", "s"}, {"method", "userDataStream.subscribe"}});
  const auto subscribe = client.next();
  REQUIRE(subscribe);
  CHECK((*subscribe)["error"]["code"] == -2015);  // not logged on
}

TEST_CASE("the retired listenKey endpoints answer 410 Gone and are counted") {
  RunningSim sim;
  for (const auto verb : {http::verb::post, http::verb::put, http::verb::delete_}) {
    const HttpReply reply = sim.request(verb, "/api/v3/userDataStream");
    CHECK(reply.status == 410);
    CHECK(reply.body.is_discarded());  // an nginx HTML page, not JSON
  }
  WsClient client(sim.port(), "/ws-api/v3");
  client.send({{"id", 7}, {"method", "userDataStream.start"}, {"params", {{"apiKey", kKey}}}});
  const auto answer = client.next();
  REQUIRE(answer);
  CHECK((*answer)["status"] == 400);
  const json retired = sim.state()["retired_endpoint_calls"];
  CHECK(retired["POST /api/v3/userDataStream"] == 1);
  CHECK(retired["PUT /api/v3/userDataStream"] == 1);
  CHECK(retired["DELETE /api/v3/userDataStream"] == 1);
  CHECK(retired["userDataStream.start"] == 1);
}

// Regression, issue 20 finding 12: a negative advance and a negative klines limit were accepted.
TEST_CASE("regression_sim_refuses_negative_advance_and_klines_limit") {
  RunningSim sim;
  const json before = sim.state();
  for (const json& body : {json{{"candles", -5000}}, json{{"quarters", -1}}, json{{"candles", 1.5}},
                           json{{"candles", "3"}}, json{{"minutes", 3}}}) {
    const HttpReply reply = sim.control("/sim/advance", body);
    CHECK(reply.status == 400);
    CHECK(reply.body["error"].get<std::string>().find("/sim/advance") != std::string::npos);
  }
  CHECK(sim.state()["quarters_played"] == before["quarters_played"]);
  const HttpReply negative = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&limit=-1");
  CHECK(negative.status == 400);
  CHECK(negative.body["code"] == -1100);
  CHECK(negative.body["msg"].get<std::string>().find("'limit'") != std::string::npos);
  const HttpReply text = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&limit=abc");
  CHECK(text.body["code"] == -1100);
  const HttpReply capped = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&limit=5000");
  CHECK(capped.status == 200);
  CHECK(capped.body.size() == 10);  // all 10 closed candles (the maximum is 1000)
}

TEST_CASE("a 1.5e11 balance and a 2.1e11 candle volume are served exactly") {
  SimConfig config = default_config();
  config.balances = {{"BTC", kUnitsPerWhole}, {"BTTC", kUnitsPerWhole * 150'000'000'000}};
  config.markets[0].bars[3].volume = 210'000'000'000.0;
  RunningSim sim(std::move(config));
  const HttpReply account = sim.signed_request(http::verb::get, "/api/v3/account", "");
  REQUIRE(account.status == 200);
  bool seen = false;
  for (const json& balance : account.body["balances"]) {
    if (balance["asset"] == "BTTC") {
      CHECK(balance["free"] == "150000000000.00000000");
      seen = true;
    }
  }
  CHECK(seen);
  const HttpReply klines = sim.get("/api/v3/klines?symbol=ETHBTC&interval=5m&limit=10");
  REQUIRE(klines.status == 200);
  CHECK(klines.body[3][5] == "210000000000.00000000");
}

TEST_CASE("an OCO order list: two legs, one lock; when one leg trades the other expires") {
  SimConfig config = default_config();
  config.balances = {{"BTC", kUnitsPerWhole}, {"ETH", 2 * kUnitsPerWhole}};
  RunningSim sim(std::move(config));
  sim.advance_candles(1);  // a price is published
  const Units last = *parse_units(sim.state()["markets"][0]["last_price"].get<std::string>());
  // A sell OCO: take profit 1 tick above nothing it will reach, stop just under the last price.
  const std::string above = format_units(last * 2);
  const std::string stop = format_units(last - 1);
  const std::string limit = format_units(last / 2);
  const HttpReply placed = sim.signed_request(
      http::verb::post, "/api/v3/orderList/oco",
      "symbol=ETHBTC&side=SELL&quantity=1&listClientOrderId=list-1&aboveType=LIMIT_MAKER"
      "&abovePrice=" + above + "&aboveClientOrderId=tp-1&belowType=STOP_LOSS_LIMIT&belowPrice=" +
          limit + "&belowStopPrice=" + stop + "&belowTimeInForce=GTC&belowClientOrderId=sl-1");
  REQUIRE_MESSAGE(placed.status == 200, placed.body.dump());
  CHECK(placed.body["contingencyType"] == "OCO");
  CHECK(placed.body["listClientOrderId"] == "list-1");
  REQUIRE(placed.body["orderReports"].size() == 2);
  CHECK(placed.body["orderReports"][0]["type"] == "STOP_LOSS_LIMIT");
  CHECK(placed.body["orderReports"][1]["type"] == "LIMIT_MAKER");
  const HttpReply open = sim.signed_request(http::verb::get, "/api/v3/openOrders", "symbol=ETHBTC");
  REQUIRE(open.body.size() == 2);
  CHECK(open.body[0]["orderListId"] == 0);
  CHECK(open.body[1]["orderListId"] == 0);
  const json locked = sim.state()["balances"];
  CHECK(locked[1] == json{{"asset", "ETH"}, {"free", "1.00000000"}, {"locked", "1.00000000"}});
  // Bad price relations are refused as Binance words it.
  const HttpReply wrong = sim.signed_request(
      http::verb::post, "/api/v3/orderList/oco",
      "symbol=ETHBTC&side=SELL&quantity=1&aboveType=LIMIT_MAKER&abovePrice=" + stop +
          "&belowType=STOP_LOSS_LIMIT&belowPrice=" + limit + "&belowStopPrice=" + above +
          "&belowTimeInForce=GTC");
  CHECK(wrong.body["msg"] == "The relationship of the prices for the orders is not correct.");
  // The market falls through the stop: the stop leg trades, the target leg expires.
  json orders;
  for (int i = 0; i < 60; ++i) {
    sim.advance_candles(1);
    orders = sim.state()["orders"];
    if (orders[0]["status"] != "NEW") break;
  }
  CHECK(orders[0]["clientOrderId"] == "sl-1");
  CHECK(orders[0]["status"] == "FILLED");
  CHECK(orders[1]["clientOrderId"] == "tp-1");
  CHECK(orders[1]["status"] == "EXPIRED");
  const json after = sim.state()["balances"];
  CHECK(after[1] == json{{"asset", "ETH"}, {"free", "1.00000000"}, {"locked", "0.00000000"}});
}
