// The connector against Binance's documentation, not against our simulator: the response bodies
// published in binance/binance-spot-api-docs (fixtures/binance_docs, sources in SOURCES.md) are
// fed to the parsers, and the signing is checked on the docs' worked examples; Ed25519 and RSA
// signatures are checked against an independent signer, the openssl CLI (pkeyutl / dgst).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "crypto/key_signature.hpp"
#include "exchange/binance/binance_json.hpp"
#include "exchange/binance/signing.hpp"

using namespace cephalo::exchange;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) {
  const fs::path path =
      fs::path(CEPHALO_SOURCE_DIR) / "tests/core/exchange/fixtures/binance_docs" / name;
  std::ifstream file(path);
  REQUIRE_MESSAGE(file.good(), "missing fixture " << path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

Decimal d(const char* text) {
  return parse_decimal(text, "test").value();
}

const SymbolFilters& only_symbol(const ExchangeInfo& info) {
  REQUIRE(info.symbols.size() == 1);
  return info.symbols.front();
}

}  // namespace

TEST_CASE("exchangeInfo as documented: rate limits, permissions and every symbol filter") {
  auto parsed = parse_exchange_info(fixture("exchange_info.json"));
  REQUIRE_MESSAGE(parsed.ok(), parsed.error());
  const ExchangeInfo& info = parsed.value();
  REQUIRE(info.rate_limits.size() == 3);
  CHECK(info.rate_limits[0].type == "REQUEST_WEIGHT");
  CHECK(info.rate_limits[0].limit == 6000);
  CHECK(info.rate_limits[0].interval_ms() == 60'000);
  CHECK(info.rate_limits[1].type == "ORDERS");
  CHECK(info.rate_limits[1].interval_ms() == 1'000);
  CHECK(info.rate_limits[2].interval_ms() == 300'000);
  const SymbolFilters& f = only_symbol(info);
  CHECK(f.symbol == "ETHBTC");
  CHECK(f.status == "TRADING");
  CHECK(f.spot_trading_allowed);
  REQUIRE(f.permission_sets.size() == 1);
  CHECK(f.permission_sets[0] == std::vector<std::string>{"SPOT", "MARGIN"});
  // PRICE_FILTER
  CHECK(f.min_price == d("0.00000100"));
  CHECK(f.max_price == d("100000"));
  CHECK(f.tick_size == d("0.000001"));
  // LOT_SIZE and MARKET_LOT_SIZE
  CHECK(f.min_qty == d("0.001"));
  CHECK(f.max_qty == d("100000"));
  CHECK(f.step_size == d("0.001"));
  CHECK(f.market_min_qty == d("0.001"));
  CHECK(f.market_max_qty == d("100000"));
  CHECK(f.market_step_size == d("0.001"));
  // MIN_NOTIONAL then NOTIONAL (listed later, so it is the one in force)
  CHECK(f.min_notional == d("10"));
  CHECK(f.max_notional == d("10000"));
  CHECK_FALSE(f.apply_min_to_market);
  CHECK_FALSE(f.apply_max_to_market);
  // PERCENT_PRICE then PERCENT_PRICE_BY_SIDE
  CHECK(f.bid_multiplier_up == d("1.2"));
  CHECK(f.bid_multiplier_down == d("0.2"));
  CHECK(f.ask_multiplier_up == d("5"));
  CHECK(f.ask_multiplier_down == d("0.8"));
  CHECK(f.avg_price_mins == 5);  // NOTIONAL's, the last filter naming it
  CHECK(f.max_num_orders == 25);
  CHECK(f.max_num_algo_orders == 5);
}

TEST_CASE("every documented filter is checked before an order leaves") {
  auto parsed = parse_exchange_info(fixture("exchange_info.json"));
  REQUIRE(parsed.ok());
  const SymbolFilters& f = only_symbol(parsed.value());
  OrderContext context;
  context.average_price = d("0.05");
  // A limit buy inside every band passes, on the grid.
  auto ok = shape_order(f, OrderSide::kBuy, false, d("0.0500019"), d("300.0004"), {}, context);
  REQUIRE_MESSAGE(ok.ok(), ok.error());
  CHECK(ok->price == d("0.050001"));
  CHECK(ok->quantity == d("300"));
  auto refusal = [&](OrderSide side, bool market, const char* price, const char* quantity,
                     OrderContext c) {
    auto shaped = shape_order(f, side, market, d(price), d(quantity), {}, c);
    REQUIRE_FALSE(shaped.ok());
    return shaped.error();
  };
  CHECK(refusal(OrderSide::kBuy, false, "0.07", "200", context).find("PERCENT_PRICE_BY_SIDE") !=
        std::string::npos);  // above 1.2 x 0.05
  CHECK(refusal(OrderSide::kSell, false, "0.039", "300", context).find("askMultiplierDown") !=
        std::string::npos);  // below 0.8 x 0.05
  CHECK(refusal(OrderSide::kBuy, false, "0.05", "100", context).find("NOTIONAL") !=
        std::string::npos);  // 5 < minNotional 10
  OrderContext dear;
  dear.average_price = d("0.2");
  CHECK(refusal(OrderSide::kBuy, false, "0.2", "60000", dear).find("maxNotional") !=
        std::string::npos);  // 12000 > maxNotional 10000
  OrderContext full = context;
  full.open_orders = 25;
  CHECK(refusal(OrderSide::kBuy, false, "0.05", "300", full).find("MAX_NUM_ORDERS") !=
        std::string::npos);
  // MARKET orders: MARKET_LOT_SIZE, and NOTIONAL's minimum is not applied (applyMinToMarket
  // false), so a small market order passes where a limit would not.
  CHECK(shape_order(f, OrderSide::kBuy, true, {}, d("100"), {}, context).ok());
  CHECK(refusal(OrderSide::kBuy, true, "0", "100001", context).find("MARKET_LOT_SIZE") !=
        std::string::npos);
  // A stop: stopPrice on the grid and inside PRICE_FILTER, counted against MAX_NUM_ALGO_ORDERS.
  OrderContext algos = context;
  algos.open_algo_orders = 5;
  auto stop = shape_order(f, OrderSide::kSell, false, d("0.045"), d("300"), d("0.0450004"), context);
  REQUIRE(stop.ok());
  CHECK(stop->stop_price == d("0.045001"));  // a sell stop rounds up to the tick (0.000001)
  CHECK_FALSE(shape_order(f, OrderSide::kSell, false, d("0.045"), d("300"), d("0.046"), algos).ok());
  CHECK(shape_order(f, OrderSide::kSell, false, d("0.045"), d("300"), {}, algos).ok());
}

TEST_CASE("account with a 1.5e11 balance reads exactly") {
  auto account = parse_account(fixture("account.json"));
  REQUIRE_MESSAGE(account.ok(), account.error());
  CHECK(account->can_trade);
  CHECK(account->account_type == "SPOT");
  CHECK(account->permissions == std::vector<std::string>{"SPOT"});
  REQUIRE(account->balances.size() == 3);
  CHECK(account->balances[0].free == d("4723846.89208129"));
  CHECK(account->balances[2].asset == "BTTC");
  CHECK(account->balances[2].free.units ==
        static_cast<DecimalUnits>(150'000'000'000) * Decimal::kOne);
  CHECK(format_decimal(account->balances[2].free) == "150000000000");
}

TEST_CASE("klines with a 2.1e11 volume read exactly, over REST and on the stream") {
  auto bars = parse_klines(fixture("klines.json"), "BNBBTC", "1w");
  REQUIRE_MESSAGE(bars.ok(), bars.error());
  REQUIRE(bars->size() == 2);
  CHECK((*bars)[0].open == d("0.01634790"));
  CHECK((*bars)[0].volume == d("148976.11427815"));
  CHECK((*bars)[0].trade_count == 308);
  CHECK(format_decimal((*bars)[1].volume) == "210000000000");
  auto event = parse_stream_message(fixture("kline_stream_event.json"));
  REQUIRE_MESSAGE(event.ok(), event.error());
  const auto* bar = std::get_if<KlineBar>(&*event);
  REQUIRE(bar != nullptr);
  CHECK(format_decimal(bar->volume) == "210000000000");
  CHECK(bar->closed);
  KlineBar fast;
  REQUIRE(parse_kline_event(fixture("kline_stream_event.json"), fast).ok());
  CHECK(fast.volume == bar->volume);
}

TEST_CASE("openOrders with a LIMIT, a STOP_LOSS_LIMIT and a LIMIT_MAKER OCO leg, and an amended "
          "order") {
  auto orders = parse_orders(fixture("open_orders.json"));
  REQUIRE_MESSAGE(orders.ok(), orders.error());
  REQUIRE(orders->size() == 4);
  CHECK((*orders)[0].type == OrderType::kLimit);
  CHECK((*orders)[0].order_list_id == -1);
  const VenueOrder& stop = (*orders)[1];
  CHECK(stop.type == OrderType::kStopLossLimit);
  CHECK(stop.side == OrderSide::kSell);
  CHECK(stop.stop_price == d("1"));
  CHECK(stop.order_list_id == 1);
  CHECK(stop.client_order_id == "44nZvqpemY7sVYgPYbvPih");
  CHECK((*orders)[2].type == OrderType::kLimitMaker);
  CHECK((*orders)[2].order_list_id == 1);
  const VenueOrder& amended = (*orders)[3];
  CHECK(amended.client_order_id == "PFaq6hIHxqFENGfdtn4J6Q");
  CHECK(amended.orig_qty == d("5"));
  CHECK(amended.status == VenueOrderStatus::kNew);
}

TEST_CASE("a cancel answer names the order by origClientOrderId") {
  auto cancelled = parse_cancel_order(fixture("cancel_order.json"));
  REQUIRE_MESSAGE(cancelled.ok(), cancelled.error());
  CHECK(cancelled->client_order_id == "myOrder1");  // not "cancelMyOrder1", the cancel's own id
  CHECK(cancelled->status == VenueOrderStatus::kCanceled);
  CHECK(cancelled->order_id == 4);
  CHECK(cancelled->update_time_ms == 1684804350068);
  // PENDING_CANCEL is a documented status, and not a final one.
  std::string body = fixture("cancel_order.json");
  body.replace(body.find("\"CANCELED\""), 10, "\"PENDING_CANCEL\"");
  auto pending = parse_cancel_order(body);
  REQUIRE(pending.ok());
  CHECK(pending->status == VenueOrderStatus::kPendingCancel);
}

TEST_CASE("WebSocket API responses, errors and user data events as documented") {
  auto placed = parse_ws_api_response(fixture("ws_api_order_place_success.json"));
  REQUIRE_MESSAGE(placed.ok(), placed.error());
  REQUIRE(placed->has_value());
  CHECK((*placed)->status == 200);
  CHECK((*placed)->id == "e2a85d9f-07a5-4f94-8d5f-789dc3deb097");
  REQUIRE((*placed)->rate_limits.size() == 3);
  CHECK((*placed)->rate_limits[2].first.type == "REQUEST_WEIGHT");
  CHECK((*placed)->rate_limits[2].second == 321);
  auto order = parse_order((*placed)->result_json);
  REQUIRE_MESSAGE(order.ok(), order.error());
  CHECK(order->orig_qty == d("10"));

  auto failed = parse_ws_api_response(fixture("ws_api_error.json"));
  REQUIRE(failed.ok());
  REQUIRE(failed->has_value());
  CHECK((*failed)->status == 400);
  CHECK((*failed)->error.code == -2010);
  CHECK((*failed)->error.msg == "Account has insufficient balance for requested action.");

  auto revoked = parse_ws_api_response(fixture("ws_api_session_revoked_error.json"));
  REQUIRE(revoked.ok());
  CHECK((*revoked)->id.empty());
  CHECK((*revoked)->error.code == -2015);

  auto subscribed = parse_ws_api_response(fixture("ws_api_subscribe_signature_response.json"));
  REQUIRE(subscribed.ok());
  CHECK((*subscribed)->result_json == R"({"subscriptionId":0})");
  auto logon = parse_ws_api_response(fixture("ws_api_session_logon_response.json"));
  REQUIRE(logon.ok());
  CHECK((*logon)->status == 200);

  // Events are not responses.
  auto event_frame = parse_ws_api_response(fixture("user_data_execution_report.json"));
  REQUIRE(event_frame.ok());
  CHECK_FALSE(event_frame->has_value());

  auto report = parse_stream_message(fixture("user_data_execution_report.json"));
  REQUIRE_MESSAGE(report.ok(), report.error());
  const auto* execution = std::get_if<ExecutionReport>(&*report);
  REQUIRE(execution != nullptr);
  CHECK(execution->order.client_order_id == "mUvoqJxFIILMdfAW5iGSOW");
  CHECK(execution->order.price == d("0.10264410"));
  CHECK(execution->execution_type == "NEW");

  auto replaced = parse_stream_message(fixture("user_data_execution_report_replaced.json"));
  REQUIRE_MESSAGE(replaced.ok(), replaced.error());
  const auto* amend = std::get_if<ExecutionReport>(&*replaced);
  REQUIRE(amend != nullptr);
  CHECK(amend->execution_type == "REPLACED");
  CHECK(amend->order.client_order_id == "5xrgbMyg6z36NzBn2pbT8H");  // the order as placed
  CHECK(amend->request_client_order_id == "PFaq6hIHxqFENGfdtn4J6Q");  // its new id
  CHECK(amend->order.orig_qty == d("5"));

  for (const char* name : {"user_data_account_position.json", "ws_api_account_position_event.json"}) {
    auto position = parse_stream_message(fixture(name));
    REQUIRE_MESSAGE(position.ok(), position.error());
    const auto* balances = std::get_if<AccountPosition>(&*position);
    REQUIRE(balances != nullptr);
    CHECK_FALSE(balances->balances.empty());
  }
  auto terminated = parse_stream_message(fixture("user_data_event_stream_terminated.json"));
  REQUIRE(terminated.ok());
  REQUIRE(std::holds_alternative<StreamTerminated>(*terminated));
  CHECK(std::get<StreamTerminated>(*terminated).event_time_ms == 1728973001334);
  auto shutdown = parse_stream_message(fixture("ws_api_server_shutdown_event.json"));
  REQUIRE(shutdown.ok());
  CHECK(std::holds_alternative<ServerShutdown>(*shutdown));
  // Events the bot does not act on are named, not errors.
  for (const char* name : {"user_data_balance_update.json", "user_data_list_status.json"}) {
    auto other = parse_stream_message(fixture(name));
    REQUIRE_MESSAGE(other.ok(), other.error());
    REQUIRE(std::holds_alternative<UnknownStreamEvent>(*other));
    CHECK_FALSE(std::get<UnknownStreamEvent>(*other).event_type.empty());
  }
}

// Must-show 5. rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order", HMAC Keys: the
// payload percent-encoded, then signed (CHANGELOG 2025-12-17, in force 2026-01-15).
TEST_CASE("HMAC signing with percent-encoding matches the documentation's worked examples") {
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  for (const auto& [symbol, payload, signature] :
       {std::tuple{std::string("LTCBTC"),
                   std::string("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&"
                               "price=0.1&recvWindow=5000&timestamp=1499827319559"),
                   std::string("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")},
        std::tuple{std::string("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96"),
                   std::string("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&"
                               "side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&"
                               "recvWindow=5000&timestamp=1499827319559"),
                   std::string("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")}}) {
    RequestSigner signer(secret);
    QueryString query;
    query.add("symbol", symbol)
        .add("side", "BUY")
        .add("type", "LIMIT")
        .add("timeInForce", "GTC")
        .add("quantity", d("1"))
        .add("price", d("0.1"));
    signer.sign(query, 1499827319559, 5000);
    CHECK(query.text() == payload + "&signature=" + signature);
  }
}

// web-socket-api.md "SIGNED request example (HMAC)": params sorted, not percent-encoded.
TEST_CASE("WebSocket API HMAC signatures match the documentation's worked examples") {
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  const std::string key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
  RequestSigner signer(secret);
  const std::string ascii = websocket_signature_payload({{"symbol", "BTCUSDT"},
                                                         {"side", "SELL"},
                                                         {"type", "LIMIT"},
                                                         {"timeInForce", "GTC"},
                                                         {"quantity", "0.01000000"},
                                                         {"price", "52000.00"},
                                                         {"recvWindow", "100"},
                                                         {"timestamp", "1645423376532"},
                                                         {"apiKey", key},
                                                         {"signature", "ignored"}});
  CHECK(ascii == "apiKey=" + key +
                     "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&"
                     "symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
  CHECK(signer.signature(ascii) ==
        "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
  const std::string unicode = websocket_signature_payload(
      {{"symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96"},
       {"side", "BUY"},
       {"type", "LIMIT"},
       {"timeInForce", "GTC"},
       {"quantity", "1.00000000"},
       {"price", "0.10000000"},
       {"recvWindow", "5000"},
       {"timestamp", "1645423376532"},
       {"apiKey", key}});
  CHECK(signer.signature(unicode) ==
        "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd");
}

namespace {

// A scratch directory with a key made by the openssl CLI, and that CLI as the independent signer.
class OpensslKeys {
 public:
  OpensslKeys() : dir_(fs::temp_directory_path() / ("cephalo-keys-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~OpensslKeys() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string make(const std::string& name, const std::string& genpkey_args) {
    const fs::path key = dir_ / (name + ".pem");
    const std::string command = "openssl genpkey " + genpkey_args + " -out '" + key.string() +
                                "' 2>/dev/null && openssl pkey -in '" + key.string() +
                                "' -pubout -out '" + (dir_ / (name + ".pub")).string() + "'";
    REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "openssl genpkey failed: " << command);
    return read(key);
  }
  std::string public_key(const std::string& name) { return read(dir_ / (name + ".pub")); }
  // base64 of `openssl <sign command>` over `payload`.
  std::string sign(const std::string& name, const std::string& payload, bool ed25519) {
    const fs::path in = dir_ / "payload.txt";
    std::ofstream(in, std::ios::binary) << payload;
    const fs::path key = dir_ / (name + ".pem");
    const std::string command =
        (ed25519 ? "openssl pkeyutl -sign -rawin -inkey '" + key.string() + "' -in '" + in.string() + "'"
                 : "openssl dgst -sha256 -sign '" + key.string() + "' '" + in.string() + "'") +
        " | openssl enc -base64 -A";
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[512];
    while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
    REQUIRE(::pclose(pipe) == 0);
    return output;
  }

 private:
  static std::string read(const fs::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }
  fs::path dir_;
};

// The docs' payloads (rest-api.md "Ed25519 Keys" and web-socket-api.md "SIGNED Request Example
// (Ed25519)"); their keys are not published, so a fresh key signs them on both sides.
const char* const kDocPayloads[] = {
    "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&"
    "timestamp=1668481559918&recvWindow=5000",
    "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=SELL&type=LIMIT&"
    "timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000",
    "apiKey=4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO&price=52000.00&"
    "quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&"
    "timestamp=1645423376532&type=LIMIT",
};

}  // namespace

TEST_CASE("Ed25519 signatures equal openssl pkeyutl's on the documented payloads") {
  OpensslKeys keys;
  auto key = cephalo::PrivateKey::from_pem(keys.make("ed", "-algorithm ed25519"));
  REQUIRE_MESSAGE(key.ok(), key.error());
  CHECK(key->algorithm() == cephalo::KeyAlgorithm::kEd25519);
  auto public_key = cephalo::PublicKey::from_pem(keys.public_key("ed"));
  REQUIRE(public_key.ok());
  RequestSigner signer(*key);
  CHECK(signer.key_type() == ApiKeyType::kEd25519);
  for (const char* payload : kDocPayloads) {
    const std::string ours = signer.signature(payload);
    // Ed25519 is deterministic: the same key and message give the same bytes.
    CHECK(ours == keys.sign("ed", payload, true));
    CHECK(public_key->verify_base64(payload, ours));
    CHECK_FALSE(public_key->verify_base64(std::string(payload) + "x", ours));
  }
  // On a REST request the base64 signature is percent-encoded ('+', '/', '=').
  QueryString query;
  query.add("symbol", "BTCUSDT");
  signer.sign(query, 1668481559918, 5000);
  const std::string text = query.text();
  const std::string signature = text.substr(text.find("signature=") + 10);
  CHECK(signature.find_first_of("+/=") == std::string::npos);
}

TEST_CASE("RSA (PKCS#8) signatures equal openssl dgst -sha256 -sign's") {
  OpensslKeys keys;
  auto key = cephalo::PrivateKey::from_pem(
      keys.make("rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"));
  REQUIRE_MESSAGE(key.ok(), key.error());
  CHECK(key->algorithm() == cephalo::KeyAlgorithm::kRsa);
  RequestSigner signer(*key);
  for (const char* payload : kDocPayloads) {
    CHECK(signer.signature(payload) == keys.sign("rsa", payload, false));
  }
}

TEST_CASE("a key that is not Ed25519 or RSA is refused by name") {
  OpensslKeys keys;
  auto key = cephalo::PrivateKey::from_pem(keys.make("ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"));
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().find("Ed25519 or RSA") != std::string::npos);
  CHECK_FALSE(cephalo::PrivateKey::from_pem("not a key").ok());
}

TEST_CASE("avgPrice and referencePrice as documented: the filters' price and its absence") {
  auto average = parse_average_price(fixture("avg_price.json"));
  REQUIRE_MESSAGE(average.ok(), average.error());
  CHECK(average->first == d("9.35751834"));
  CHECK(average->second == 5);

  auto reference = parse_reference_price(fixture("reference_price.json"));
  REQUIRE_MESSAGE(reference.ok(), reference.error());
  REQUIRE(reference->has_value());
  CHECK(**reference == d("10.00"));
  // null: the symbol has no reference price now; the filters fall back to the average price.
  auto none = parse_reference_price(fixture("reference_price_null.json"));
  REQUIRE_MESSAGE(none.ok(), none.error());
  CHECK_FALSE(none->has_value());
  // Never set: an error body (-2043), not a price.
  auto never = parse_error_body(fixture("reference_price_never_set.json"));
  REQUIRE(never.has_value());
  CHECK(never->code == -2043);
  CHECK_FALSE(parse_reference_price(fixture("reference_price_never_set.json")).ok());
}
