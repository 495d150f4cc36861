// The REST connector and the WebSocket client over real sockets on 127.0.0.1.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <vector>

#include "crypto/hmac_sha256.hpp"
#include "exchange/binance/binance_connector.hpp"
#include "exchange/net/websocket_client.hpp"
#include "loopback_venue.hpp"

using namespace cephalo::exchange;
namespace http = cephalo::test::http;
namespace beast = cephalo::test::beast;
using cephalo::test::json_response;
using cephalo::test::LoopbackVenue;
namespace websocket = cephalo::test::websocket;

namespace {

const char* kSecret = "test-secret";

std::map<std::string, std::string> query_of(std::string_view target) {
  std::map<std::string, std::string> out;
  const auto q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

// True when `target`'s signature is HMAC(secret, everything before &signature=).
bool signature_valid(std::string_view target) {
  const auto q = target.find('?');
  const auto sig = target.find("&signature=");
  if (q == std::string_view::npos || sig == std::string_view::npos) return false;
  const std::string_view signed_part = target.substr(q + 1, sig - q - 1);
  return cephalo::hmac_sha256_hex(kSecret, signed_part) == target.substr(sig + 11);
}

const char* kOrderAck =
    R"({"symbol":"ETHBTC","orderId":7,"orderListId":-1,"clientOrderId":"cph-1-1",)"
    R"("transactTime":1700000000100,"price":"0.05","origQty":"1.5","executedQty":"0",)"
    R"("cummulativeQuoteQty":"0","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY"})";

OrderRequest sample_order() {
  OrderRequest request;
  request.symbol = "ETHBTC";
  request.quantity = parse_decimal("1.5", "q").value();
  request.price = parse_decimal("0.05", "p").value();
  request.client_order_id = "cph-1-1";
  return request;
}

std::unique_ptr<BinanceConnector> connect(
    const LoopbackVenue& venue,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
  HttpOptions options;
  options.request_timeout = timeout;
  auto transport = BeastHttpTransport::open(venue.http_url(), options);
  REQUIRE_MESSAGE(transport.ok(), transport.error());
  BinanceConfig config;
  config.api_key = "test-key";
  config.api_secret = kSecret;
  return std::make_unique<BinanceConnector>(
      config, std::shared_ptr<HttpTransport>(std::move(transport).value()));
}

}  // namespace

TEST_CASE("a signed order goes out with the venue's time, a valid signature and the API key") {
  std::mutex mutex;
  std::vector<std::string> targets;
  std::string api_key;
  const int64_t server_time = 1'700'000'000'000;
  LoopbackVenue venue(
      [&](const auto& request) {
        std::lock_guard lock(mutex);
        const std::string target(request.target());
        targets.push_back(target);
        if (target == "/api/v3/time") {
          return json_response(200, R"({"serverTime":)" + std::to_string(server_time) + "}");
        }
        api_key = std::string(request["X-MBX-APIKEY"]);
        if (!signature_valid(target)) {
          return json_response(
              400, R"({"code":-1022,"msg":"Signature for this request is not valid."})");
        }
        return json_response(200, kOrderAck, 3);
      },
      nullptr);
  auto connector = connect(venue);
  auto placed = connector->place_order(sample_order());
  REQUIRE_MESSAGE(placed.ok(), placed.error.message);
  CHECK(placed.value->order_id == 7);
  std::lock_guard lock(mutex);
  REQUIRE(targets.size() == 2);
  CHECK(targets[0] == "/api/v3/time");
  auto query = query_of(targets[1]);
  CHECK(query["quantity"] == "1.5");
  CHECK(query["price"] == "0.05");
  CHECK(query["newClientOrderId"] == "cph-1-1");
  CHECK(query["recvWindow"] == "5000");
  // Local clock vs. a server in 2023: the offset maps the timestamp to the server's clock.
  CHECK(std::abs(std::stoll(query["timestamp"]) - server_time) < 5000);
  CHECK(api_key == "test-key");
  CHECK(connector->rate_limiter().used_weight() == 2);     // this bot's: time 1 + order 1
  CHECK(connector->rate_limiter().ip_used_weight() >= 3);  // the venue's count for the IP
  CHECK(venue.connections_accepted() == 1);  // kept alive across both requests
}

TEST_CASE("one order's trades: myTrades with symbol and orderId, weight 5 (rest-api.md)") {
  std::mutex mutex;
  std::string trades_target;
  LoopbackVenue venue(
      [&](const auto& request) {
        std::lock_guard lock(mutex);
        const std::string target(request.target());
        if (target == "/api/v3/time") return json_response(200, R"({"serverTime":1700000000000})");
        trades_target = target;
        if (!signature_valid(target)) {
          return json_response(
              400, R"({"code":-1022,"msg":"Signature for this request is not valid."})");
        }
        // The documented response of "Account trade list (USER_DATA)", GET /api/v3/myTrades.
        return json_response(
            200,
            R"([{"symbol":"BNBBTC","id":28457,"orderId":100234,"orderListId":-1,)"
            R"("price":"4.00000100","qty":"12.00000000","quoteQty":"48.000012",)"
            R"("commission":"10.10000000","commissionAsset":"BNB","time":1499865549590,)"
            R"("isBuyer":true,"isMaker":false,"isBestMatch":true}])",
            6);
      },
      nullptr);
  auto connector = connect(venue);
  auto trades = connector->order_trades("BNBBTC", 100234);
  REQUIRE_MESSAGE(trades.ok(), trades.error.message);
  REQUIRE(trades.value->size() == 1);
  CHECK(trades.value->at(0).trade_id == 28457);
  CHECK(trades.value->at(0).order_id == 100234);
  std::lock_guard lock(mutex);
  auto query = query_of(trades_target);
  CHECK(trades_target.rfind("/api/v3/myTrades?", 0) == 0);
  CHECK(query["symbol"] == "BNBBTC");
  CHECK(query["orderId"] == "100234");
  CHECK(query.count("fromId") == 0);
  CHECK(connector->rate_limiter().used_weight() == 6);  // time 1 + myTrades with orderId 5
}

TEST_CASE("a 5xx or a timeout on placement is an unknown outcome, never a retry") {
  std::atomic<int> order_posts{0};
  std::atomic<bool> hang{false};
  LoopbackVenue venue(
      [&](const auto& request) {
        const std::string target(request.target());
        if (target == "/api/v3/time") return json_response(200, R"({"serverTime":1})");
        if (request.method() == http::verb::post) {
          ++order_posts;
          if (hang) std::this_thread::sleep_for(std::chrono::milliseconds(600));
          return json_response(503, "Service Unavailable");
        }
        return json_response(400, R"({"code":-2013,"msg":"Order does not exist."})");
      },
      nullptr);
  auto connector = connect(venue, std::chrono::milliseconds(200));
  auto placed = connector->place_order(sample_order());
  REQUIRE(!placed.ok());
  CHECK(placed.error.kind == VenueErrorKind::kUnknownOutcome);
  CHECK(order_posts == 1);

  hang = true;
  auto timed_out = connector->place_order(sample_order());
  REQUIRE(!timed_out.ok());
  CHECK(timed_out.error.kind == VenueErrorKind::kUnknownOutcome);
  CHECK(timed_out.error.message.find("timed out") != std::string::npos);
  CHECK(order_posts == 2);

  auto query = connector->query_order("ETHBTC", "cph-1-1");
  REQUIRE(!query.ok());
  CHECK(query.error.kind == VenueErrorKind::kOrderNotFound);
}

TEST_CASE("429 and 418 stop requests locally until Retry-After; -1021 forces a time resync") {
  std::atomic<int> requests{0};
  std::atomic<int> time_requests{0};
  std::atomic<int> mode{0};
  LoopbackVenue venue(
      [&](const auto& request) {
        ++requests;
        const std::string target(request.target());
        if (target == "/api/v3/time") {
          ++time_requests;
          return json_response(200, R"({"serverTime":1})");
        }
        if (mode == 0) {
          return json_response(
              400,
              R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
        }
        auto response =
            json_response(mode == 1 ? 429 : 418, R"({"code":-1003,"msg":"Too many requests."})");
        response.set("Retry-After", "60");
        return response;
      },
      nullptr);
  auto connector = connect(venue);
  auto skewed = connector->balances();
  REQUIRE(!skewed.ok());
  CHECK(skewed.error.kind == VenueErrorKind::kTimestamp);
  CHECK(!connector->clock().synced());
  CHECK(time_requests == 1);
  mode = 1;
  auto limited = connector->balances();  // resyncs first, then 429
  CHECK(time_requests == 2);
  REQUIRE(!limited.ok());
  CHECK(limited.error.kind == VenueErrorKind::kRateLimited);
  const int before = requests;
  auto refused = connector->balances();
  REQUIRE(!refused.ok());
  CHECK(refused.error.kind == VenueErrorKind::kNotSent);
  CHECK(refused.error.message.find("429") != std::string::npos);
  CHECK(requests == before);  // nothing reached the venue
}

// Regression, issue 13: after a burst of restarts a start was refused outright ("exchangeInfo ...
// would exceed the budget"). At start the connector waits for the window instead, and says so.
TEST_CASE("regression_a_start_waits_for_the_weight_window_instead_of_refusing") {
  std::atomic<int> requests{0};
  LoopbackVenue venue(
      [&](const auto& request) {
        const int n = ++requests;
        const std::string target(request.target());
        if (n == 1) {  // the IP's window is spent by someone else: 429, wait 1 s
          auto response = json_response(429, R"({"code":-1003,"msg":"Too much request weight used"})");
          response.set("Retry-After", "1");
          response.set("X-MBX-USED-WEIGHT-1M", "6001");
          return response;
        }
        return json_response(200, R"({"serverTime":1})");
      },
      nullptr);
  auto connector = connect(venue);
  std::vector<std::string> waits;
  connector->set_patient(true, [&](const std::string& why) { waits.push_back(why); });
  const auto started = std::chrono::steady_clock::now();
  auto time = connector->server_time_ms();
  REQUIRE_MESSAGE(time.ok(), time.error.message);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(900));
  REQUIRE_FALSE(waits.empty());
  CHECK(waits[0].find("waiting 1 s before GET /api/v3/time") != std::string::npos);
  CHECK(requests == 2);  // nothing was sent during the back-off
  // Trading: the same situation refuses the request rather than sending it late.
  connector->set_patient(false);
  CHECK(connector->server_time_ms().ok());
}

TEST_CASE("the WebSocket client receives messages, answers pings and reconnects after a drop") {
  std::atomic<int> sessions{0};
  std::atomic<bool> pong_seen{false};
  LoopbackVenue venue(
      nullptr, [&](websocket::stream<cephalo::test::tcp::socket>& ws, const std::string& target) {
        const int session = ++sessions;
        ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
          if (kind == websocket::frame_type::pong) pong_seen = true;
        });
        boost::system::error_code ec;
        ws.ping({}, ec);
        ws.text(true);
        const std::string text =
            "{\"session\":" + std::to_string(session) + ",\"target\":\"" + target + "\"}";
        ws.write(boost::asio::buffer(text), ec);
        if (session == 1) return;  // drops the connection after one message
        // Second session: read until the client goes away (reading processes its pong).
        beast::flat_buffer buffer;
        while (!ec) ws.read(buffer, ec);
      });
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> messages;
  std::vector<StreamHealthKind> health;
  WebSocketOptions options;
  options.backoff_initial = std::chrono::milliseconds(20);
  options.jitter_seed = 42;
  WebSocketClient client(
      venue.ws_url("/ws/ethbtc@kline_5m"), options,
      [&](std::string_view message) {
        std::lock_guard lock(mutex);
        messages.emplace_back(message);
        changed.notify_all();
      },
      [&](const StreamHealthEvent& event) {
        std::lock_guard lock(mutex);
        health.push_back(event.kind);
        changed.notify_all();
      });
  REQUIRE(client.start().ok());
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return messages.size() >= 2; }));
    CHECK(messages[0] == R"({"session":1,"target":"/ws/ethbtc@kline_5m"})");
    CHECK(messages[1] == R"({"session":2,"target":"/ws/ethbtc@kline_5m"})");
    REQUIRE(health.size() >= 3);
    CHECK(health[0] == StreamHealthKind::kConnected);
    CHECK(health[1] == StreamHealthKind::kDisconnected);
    CHECK(health[2] == StreamHealthKind::kConnected);
  }
  // The client's read loop answered the ping of session 2 (Beast does it while reading).
  for (int i = 0; i < 200 && !pong_seen; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(pong_seen);
  client.stop();
}

TEST_CASE("a silent WebSocket is reported stale and reopened") {
  std::atomic<int> sessions{0};
  LoopbackVenue venue(nullptr,
                      [&](websocket::stream<cephalo::test::tcp::socket>& ws, const std::string&) {
                        ++sessions;
                        // Silent: reads until the client closes.
                        beast::flat_buffer buffer;
                        boost::system::error_code ec;
                        while (!ec) ws.read(buffer, ec);
                      });
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<StreamHealthKind> health;
  WebSocketOptions options;
  options.staleness = std::chrono::milliseconds(100);
  options.backoff_initial = std::chrono::milliseconds(10);
  WebSocketClient client(
      venue.ws_url("/ws/x"), options, [](std::string_view) {},
      [&](const StreamHealthEvent& event) {
        std::lock_guard lock(mutex);
        health.push_back(event.kind);
        changed.notify_all();
      });
  REQUIRE(client.start().ok());
  std::unique_lock lock(mutex);
  REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] {
    return std::count(health.begin(), health.end(), StreamHealthKind::kConnected) >= 2;
  }));
  CHECK(health[0] == StreamHealthKind::kConnected);
  CHECK(health[1] == StreamHealthKind::kStale);
  lock.unlock();
  client.stop();
}

TEST_CASE("reconnect delays grow exponentially with jitter and stay under the cap") {
  using std::chrono::milliseconds;
  for (uint64_t r : {0ull, 1ull, 12345ull, ~0ull}) {
    const auto first = WebSocketClient::backoff_delay(0, milliseconds(100), milliseconds(1000), r);
    CHECK(first >= milliseconds(50));
    CHECK(first <= milliseconds(100));
    const auto third = WebSocketClient::backoff_delay(2, milliseconds(100), milliseconds(1000), r);
    CHECK(third >= milliseconds(200));
    CHECK(third <= milliseconds(400));
    const auto late = WebSocketClient::backoff_delay(30, milliseconds(100), milliseconds(1000), r);
    CHECK(late >= milliseconds(500));
    CHECK(late <= milliseconds(1000));
  }
}

TEST_CASE("the filters' price: the reference price when set, else the average price (filters.md)") {
  std::mutex mutex;
  std::vector<std::string> targets;
  std::string reference_body;
  int reference_status = 200;
  LoopbackVenue venue(
      [&](const auto& request) {
        std::lock_guard lock(mutex);
        const std::string target(request.target());
        targets.push_back(target);
        if (target.starts_with("/api/v3/referencePrice?symbol=ETHBTC")) {
          return json_response(reference_status, reference_body);
        }
        if (target == "/api/v3/avgPrice?symbol=ETHBTC") {
          return json_response(200, R"({"mins":5,"price":"0.05123456","closeTime":1694061154503})");
        }
        return json_response(404, R"({"code":-1,"msg":"unexpected"})");
      },
      nullptr);
  auto connector = connect(venue);

  reference_body = R"({"symbol":"ETHBTC","referencePrice":"0.05100000","timestamp":1770736694138})";
  auto reference = connector->filter_price("ETHBTC");
  REQUIRE_MESSAGE(reference.ok(), reference.error.message);
  CHECK(reference.value->price == parse_decimal("0.051", "p").value());
  CHECK(reference.value->source == "referencePrice");

  reference_body = R"({"symbol":"ETHBTC","referencePrice":null,"timestamp":1770736694138})";
  auto null_reference = connector->filter_price("ETHBTC");
  REQUIRE_MESSAGE(null_reference.ok(), null_reference.error.message);
  CHECK(null_reference.value->price == parse_decimal("0.05123456", "p").value());
  CHECK(null_reference.value->source == "avgPrice 5 min");

  reference_status = 400;
  reference_body = R"({"code":-2043,"msg":"This symbol doesn't have a reference price."})";
  auto never_set = connector->filter_price("ETHBTC");
  REQUIRE_MESSAGE(never_set.ok(), never_set.error.message);
  CHECK(never_set.value->price == parse_decimal("0.05123456", "p").value());

  // Any other refusal is the caller's to see, not a silent fallback.
  reference_body = R"({"code":-1121,"msg":"Invalid symbol."})";
  CHECK_FALSE(connector->filter_price("ETHBTC").ok());
  std::lock_guard lock(mutex);
  CHECK(targets.size() == 6);  // reference; reference + avg; reference + avg; reference
  CHECK(connector->rate_limiter().used_weight() == 12);  // 2 each (rest-api.md)
}
