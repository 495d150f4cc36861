// Test fixture: an in-process exchange simulator on a real 127.0.0.1 socket, with a tiny Beast
// HTTP client (signing like a Binance client) and a WebSocket client with bounded waits.
// Thread-safety: the simulator runs on its own thread; the clients belong to the test thread.
#pragma once

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "crypto/hmac_sha256.hpp"
#include "data/ohlcv_reader.hpp"
#include "exchange_sim/exchange_simulator.hpp"

namespace sim_test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;
using nlohmann::json;
using namespace cephalo::exchange_sim;

inline const std::string kKey = "test-key";
inline const std::string kSecret = "test-secret";
inline const std::string kDataFile = std::string(CEPHALO_TEST_DATA_DIR) + "/ETH_BTC-5m.csv";

inline int64_t local_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A manual-clock simulator (speed 0) over ETH_BTC-5m with 10 candles of history, 1 BTC.
inline SimConfig default_config() {
  SimConfig config;
  auto markets = load_markets({kDataFile}, {"ETHBTC"}, 300'000);
  REQUIRE(markets.ok());
  config.markets = std::move(markets.value());
  config.speed = 0;
  config.history_candles = 10;
  config.api_key = kKey;
  config.api_secret = kSecret;
  config.balances = {{"BTC", kUnitsPerWhole}};
  return config;
}

inline const std::vector<cephalo::OhlcvBar>& eth_btc_bars() {
  static const auto loaded =
      cephalo::load_ohlcv(kDataFile, 300'000, cephalo::BadRowPolicy::kReject);
  return loaded.bars;
}

struct HttpReply {
  int status = 0;
  json body;
  std::map<std::string, std::string> headers;
};

class RunningSim {
 public:
  explicit RunningSim(SimConfig config = default_config()) {
    auto started = ExchangeSimulator::start(std::move(config));
    REQUIRE_MESSAGE(started.ok(), started.error());
    sim_ = std::move(started.value());
    port_ = sim_->port();
    thread_ = std::thread([this] { sim_->run(false); });
  }
  ~RunningSim() {
    sim_->stop();
    thread_.join();
  }
  RunningSim(const RunningSim&) = delete;
  RunningSim& operator=(const RunningSim&) = delete;

  int port() const { return port_; }

  HttpReply request(http::verb verb, const std::string& target, const std::string& body = "",
                    bool with_key = true, const std::string& key = kKey) {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.connect(
        tcp::endpoint(boost::asio::ip::address_v4::loopback(), static_cast<uint16_t>(port_)));
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (with_key) request.set("X-MBX-APIKEY", key);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/x-www-form-urlencoded");
      request.body() = body;
    }
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    reply.body = json::parse(response.body(), nullptr, false);
    for (const auto& field : response) {
      reply.headers[std::string(field.name_string())] = std::string(field.value());
    }
    return reply;
  }

  HttpReply get(const std::string& target) { return request(http::verb::get, target); }
  HttpReply control(const std::string& path, const json& body) {
    return request(http::verb::post, path, body.dump(), false);
  }
  void advance_candles(int candles) {
    REQUIRE(control("/sim/advance", {{"candles", candles}}).status == 200);
  }
  json state() { return get("/sim/state").body; }

  // A SIGNED request: params + recvWindow + timestamp, signed over that exact text.
  HttpReply signed_request(http::verb verb, const std::string& path, const std::string& params,
                           int64_t timestamp = local_ms(), const std::string& secret = kSecret) {
    std::string query = params;
    if (!query.empty()) query += '&';
    query += "recvWindow=5000&timestamp=" + std::to_string(timestamp);
    query += "&signature=" + cephalo::hmac_sha256_hex(secret, query);
    return request(verb, path + "?" + query);
  }

  HttpReply place_limit(const std::string& side, const std::string& quantity,
                        const std::string& price, const std::string& client_id) {
    return signed_request(
        http::verb::post, "/api/v3/order",
        "symbol=ETHBTC&side=" + side + "&type=LIMIT&timeInForce=GTC&quantity=" + quantity +
            "&price=" + price + "&newClientOrderId=" + client_id + "&newOrderRespType=RESULT");
  }

 private:
  std::unique_ptr<ExchangeSimulator> sim_;
  std::thread thread_;
  int port_ = 0;
};

// A WebSocket client whose reads wait at most a bounded time, so a broken simulator fails the
// test instead of hanging it. A read that times out stays pending and completes on a later call.
class WsClient;
// A WebSocket API connection subscribed to the user data stream with an HMAC signature
// (userDataStream.subscribe.signature, signed over the sorted params as web-socket-api.md shows).
inline json subscribe_user_stream(WsClient& client, int64_t timestamp = local_ms());

class WsClient {
 public:
  WsClient(int port, const std::string& target) : ws_(io_) {
    beast::get_lowest_layer(ws_).connect(
        tcp::endpoint(boost::asio::ip::address_v4::loopback(), static_cast<uint16_t>(port)));
    ws_.handshake("127.0.0.1", target);  // throws when the upgrade is refused
  }

  void send(const json& message) { ws_.write(boost::asio::buffer(message.dump())); }

  // The next message, or nullopt after `wait` without one; throws when the connection is lost.
  std::optional<json> next(std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    if (!pending_) {
      pending_ = true;
      ws_.async_read(buffer_, [this](beast::error_code error, size_t) {
        error_ = error;
        done_ = true;
      });
    }
    io_.restart();
    io_.run_for(wait);
    if (!done_) return std::nullopt;
    pending_ = false;
    done_ = false;
    if (error_) throw beast::system_error(error_);
    json message = json::parse(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    return message;
  }

  // Reads until `match` accepts a message (or no message comes within `wait`).
  template <class Match>
  std::optional<json> next_matching(Match match,
                                    std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    while (auto message = next(wait)) {
      if (match(*message)) return message;
    }
    return std::nullopt;
  }

 private:
  boost::asio::io_context io_;
  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  bool pending_ = false;
  bool done_ = false;
  beast::error_code error_;
};

inline json subscribe_user_stream(WsClient& client, int64_t timestamp) {
  const std::string payload =
      "apiKey=" + kKey + "&recvWindow=5000&timestamp=" + std::to_string(timestamp);
  client.send({{"id", "sub"},
               {"method", "userDataStream.subscribe.signature"},
               {"params",
                {{"apiKey", kKey},
                 {"recvWindow", 5000},
                 {"timestamp", timestamp},
                 {"signature", cephalo::hmac_sha256_hex(kSecret, payload)}}}});
  const auto answer = client.next();
  REQUIRE(answer);
  return *answer;
}

}  // namespace sim_test
