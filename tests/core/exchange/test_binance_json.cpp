// Strict parsing of venue answers and stream events, including hostile input.
#include <doctest/doctest.h>

#include <string>

#include "exchange/binance/binance_json.hpp"

using namespace cephalo::exchange;

namespace {
const char* kKline =
    R"({"e":"kline","E":1672515782136,"s":"ETHBTC","k":{"t":1672515780000,"T":1672516079999,)"
    R"("s":"ETHBTC","i":"5m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015",)"
    R"("v":"1000","n":100,"x":true,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("a kline event parses the same through the fast scanner and the DOM parser") {
  KlineBar fast;
  REQUIRE(parse_kline_event(kKline, fast).ok());
  auto event = parse_stream_message(kKline);
  REQUIRE(event.ok());
  const auto& dom = std::get<KlineBar>(*event);
  for (const KlineBar* bar : {static_cast<const KlineBar*>(&fast), &dom}) {
    CHECK(bar->symbol == "ETHBTC");
    CHECK(bar->interval == "5m");
    CHECK(bar->open_time_ms == 1672515780000);
    CHECK(bar->close_time_ms == 1672516079999);
    CHECK(format_decimal(bar->open) == "0.001");
    CHECK(format_decimal(bar->high) == "0.0025");
    CHECK(format_decimal(bar->low) == "0.0015");
    CHECK(format_decimal(bar->close) == "0.002");
    CHECK(format_decimal(bar->volume) == "1000");
    CHECK(bar->trade_count == 100);
    CHECK(bar->closed);
  }
  // The combined-stream envelope.
  KlineBar wrapped;
  const std::string combined = std::string(R"({"stream":"ethbtc@kline_5m","data":)") + kKline + "}";
  REQUIRE(parse_kline_event(combined, wrapped).ok());
  CHECK(wrapped.close == fast.close);
}

TEST_CASE("hostile kline events are refused at the boundary, naming the field") {
  const std::string base = kKline;
  struct Case {
    std::string from, to, field;
  };
  const Case cases[] = {
      {R"("c":"0.0020")", R"("c":"NaN")", "k.c"},
      {R"("c":"0.0020")", R"("c":"Infinity")", "k.c"},
      {R"("c":"0.0020")", R"("c":NaN)", ""},
      {R"("c":"0.0020")", R"("c":0.002)", "k.c"},  // a number where a decimal string belongs
      {R"("c":"0.0020")", R"("c":"1e-5")", "k.c"},
      {R"("c":"0.0020")", R"("c":"99999999999999999999999999999")", "k.c"},  // > 1e28
      {R"("c":"0.0020")", R"("c":"abc")", "k.c"},
      {R"("t":1672515780000)", R"("t":1e400)", "k.t"},
      {R"("t":1672515780000)", R"("t":99999999999999999999)", "k.t"},
      {R"("t":1672515780000)", R"("t":1672515780000.5)", "k.t"},
      {R"("t":1672515780000)", R"("t":"1672515780000")", "k.t"},
      {R"("x":true)", R"("x":1)", "k.x"},
      {R"("v":"1000",)", "", "missing"},
  };
  for (const Case& c : cases) {
    const std::string message = replace(base, c.from, c.to);
    KlineBar bar;
    cephalo::Status fast = parse_kline_event(message, bar);
    CHECK_MESSAGE(!fast.ok(), message);
    if (!c.field.empty())
      CHECK_MESSAGE(fast.error().find(c.field) != std::string::npos, fast.error());
    CHECK_MESSAGE(!parse_stream_message(message).ok(), message);
  }
  KlineBar bar;
  CHECK(!parse_kline_event("", bar).ok());
  CHECK(!parse_kline_event("{", bar).ok());
  CHECK(!parse_kline_event(base + "x", bar).ok());
  CHECK(!parse_kline_event(std::string(100000, '['), bar).ok());
  CHECK(!parse_stream_message(std::string(100000, '[')).ok());
}

TEST_CASE("order answers, balances, trades and klines parse with exact decimals") {
  auto order = parse_order(
      R"({"symbol":"ETHBTC","orderId":28,"orderListId":-1,"clientOrderId":"cph-1-1",)"
      R"("transactTime":1507725176595,"price":"0.05000000","origQty":"10.00000000",)"
      R"("executedQty":"2.50000000","cummulativeQuoteQty":"0.12500000","status":"PARTIALLY_FILLED",)"
      R"("timeInForce":"GTC","type":"LIMIT","side":"SELL"})");
  REQUIRE_MESSAGE(order.ok(), order.error());
  CHECK(order->order_id == 28);
  CHECK(order->client_order_id == "cph-1-1");
  CHECK(order->status == VenueOrderStatus::kPartiallyFilled);
  CHECK(order->side == OrderSide::kSell);
  CHECK(format_decimal(order->executed_qty) == "2.5");
  CHECK(order->update_time_ms == 1507725176595);

  auto balances = parse_account_balances(
      R"({"balances":[{"asset":"BTC","free":"4723846.89208129","locked":"0.00000000"}]})");
  REQUIRE(balances.ok());
  CHECK(format_decimal(balances->at(0).free) == "4723846.89208129");

  auto trades = parse_my_trades(
      R"([{"symbol":"BNBBTC","id":28457,"orderId":100234,"orderListId":-1,"price":"4.00000100",)"
      R"("qty":"12.00000000","quoteQty":"48.000012","commission":"10.10000000",)"
      R"("commissionAsset":"BNB","time":1499865549590,"isBuyer":true,"isMaker":false,)"
      R"("isBestMatch":true}])");
  REQUIRE_MESSAGE(trades.ok(), trades.error());
  CHECK(trades->at(0).trade_id == 28457);
  CHECK(trades->at(0).side == OrderSide::kBuy);

  auto klines = parse_klines(
      R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",)"
      R"(1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]])",
      "ETHBTC", "1m");
  REQUIRE_MESSAGE(klines.ok(), klines.error());
  CHECK(klines->at(0).open_time_ms == 1499040000000);
  CHECK(format_decimal(klines->at(0).high) == "0.8");
  CHECK(klines->at(0).trade_count == 308);
}

TEST_CASE("hostile REST answers are refused with the field named") {
  CHECK(!parse_server_time(R"({"serverTime":1.5e12})").ok());
  CHECK(!parse_server_time(R"({"serverTime":"x"})").ok());
  CHECK(!parse_server_time(R"({"serverTime":NaN})").ok());
  CHECK(!parse_server_time(R"(<html>502</html>)").ok());
  auto bad_price = parse_order(
      R"({"symbol":"ETHBTC","orderId":1,"clientOrderId":"a","price":"Infinity","origQty":"1",)"
      R"("executedQty":"0","cummulativeQuoteQty":"0","status":"NEW","type":"LIMIT","side":"BUY"})");
  REQUIRE(!bad_price.ok());
  CHECK(bad_price.error().find("order.price") != std::string::npos);
  auto bad_status = parse_order(
      R"({"symbol":"ETHBTC","orderId":1,"clientOrderId":"a","price":"1","origQty":"1",)"
      R"("executedQty":"0","cummulativeQuoteQty":"0","status":"WHATEVER","type":"LIMIT","side":"BUY"})");
  CHECK(!bad_status.ok());
  CHECK(!parse_account_balances(R"({"balances":[{"asset":"BTC","free":"-","locked":"0"}]})").ok());
  CHECK(!parse_klines(R"([[1,"1","1","1","1e9","1",2,"0",3]])", "X", "1m").ok());
  CHECK(!parse_klines(R"([[1,"1"]])", "X", "1m").ok());
  CHECK(!parse_exchange_info(
             R"({"symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","quoteAsset":"BTC","filters":[)"
             R"({"filterType":"LOT_SIZE","stepSize":"nan","minQty":"0","maxQty":"0"}]}]})")
             .ok());
  auto error = parse_error_body(R"({"code":-2013,"msg":"Order does not exist."})");
  REQUIRE(error.has_value());
  CHECK(error->code == -2013);
  CHECK(!parse_error_body(R"({"code":1e99,"msg":"x"})").has_value());
}

TEST_CASE("exchangeInfo filters are read per symbol") {
  auto info = parse_exchange_info(
      R"({"timezone":"UTC","symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH",)"
      R"("quoteAsset":"BTC","filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000100",)"
      R"("maxPrice":"922327.00000000","tickSize":"0.00000100"},{"filterType":"LOT_SIZE",)"
      R"("minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"},)"
      R"({"filterType":"NOTIONAL","minNotional":"0.00010000","applyMinToMarket":true,)"
      R"("maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}]}]})");
  REQUIRE_MESSAGE(info.ok(), info.error());
  const SymbolFilters& f = info->symbols.at(0);
  CHECK(f.base_asset == "ETH");
  CHECK(format_decimal(f.tick_size) == "0.000001");
  CHECK(format_decimal(f.step_size) == "0.0001");
  CHECK(format_decimal(f.max_price) == "922327");
  CHECK(format_decimal(f.min_notional) == "0.0001");
}

TEST_CASE("user data events: executionReport with its fill, and balances") {
  auto event = parse_stream_message(
      R"({"e":"executionReport","E":1499405658658,"s":"ETHBTC","c":"cph-7-3","S":"BUY",)"
      R"("o":"LIMIT","f":"GTC","q":"1.00000000","p":"0.10264410","P":"0.00000000",)"
      R"("F":"0.00000000","g":-1,"C":"","x":"TRADE","X":"PARTIALLY_FILLED","r":"NONE",)"
      R"("i":4293153,"l":"0.40000000","z":"0.40000000","L":"0.10264410","n":"0.00040000",)"
      R"("N":"ETH","T":1499405658657,"t":77,"I":8641984,"w":false,"m":false,"M":false,)"
      R"("O":1499405658657,"Z":"0.04105764","Y":"0.04105764","Q":"0.00000000"})");
  REQUIRE_MESSAGE(event.ok(), event.error());
  const auto& report = std::get<ExecutionReport>(*event);
  CHECK(report.order.client_order_id == "cph-7-3");
  CHECK(report.order.status == VenueOrderStatus::kPartiallyFilled);
  REQUIRE(report.fill.has_value());
  CHECK(report.fill->trade_id == 77);
  CHECK(format_decimal(report.fill->quantity) == "0.4");
  CHECK(report.fill->commission_asset == "ETH");

  auto position =
      parse_stream_message(R"({"e":"outboundAccountPosition","E":1564034571105,"u":1564034571073,)"
                           R"("B":[{"a":"ETH","f":"10000.000000","l":"0.000000"}]})");
  REQUIRE(position.ok());
  CHECK(format_decimal(std::get<AccountPosition>(*position).balances.at(0).free) == "10000");

  auto ticker = parse_stream_message(
      R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000",)"
      R"("A":"40.66000000"})");
  REQUIRE(ticker.ok());
  CHECK(format_decimal(std::get<BookTicker>(*ticker).ask_price) == "25.3652");

  CHECK(!parse_stream_message(R"({"e":"executionReport","E":1,"s":"X","c":"a","S":"BUY",)"
                              R"("o":"LIMIT","q":"1","p":"NaN"})")
             .ok());
}
