// The connector's TLS path against the TLS exchange simulator, over real 127.0.0.1 sockets: REST
// (server time, a signed order) and the kline stream over wss with the test CA configured, and
// refusals that name the certificate problem when the CA is missing, another CA is given, or the
// certificate is for another host. The CA and certificates are made at test time
// (tests/cli/make_test_certs.sh, openssl CLI); no key is committed.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exchange/binance/binance_connector.hpp"
#include "exchange/net/http_transport.hpp"
#include "exchange/net/websocket_client.hpp"
#include "exchange_sim/exchange_simulator.hpp"

using namespace cephalo::exchange;
namespace sim = cephalo::exchange_sim;
namespace fs = std::filesystem;

namespace {

const std::string kKey = "tls-test-key";
const std::string kSecret = "tls-test-secret";

// The throwaway CA and certificates, made once per test run and removed at exit.
class TestCertificates {
 public:
  TestCertificates()
      : dir_(fs::temp_directory_path() / ("cephalo-tls-test-" + std::to_string(::getpid()))) {
    const std::string command = "bash '" + std::string(CEPHALO_SOURCE_DIR) +
                                "/tests/cli/make_test_certs.sh' '" + dir_.string() + "'";
    made_ = std::system(command.c_str()) == 0;
  }
  ~TestCertificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string file(const std::string& name) const {
    REQUIRE_MESSAGE(made_, "make_test_certs.sh failed (is the openssl CLI installed?)");
    return (dir_ / name).string();
  }

 private:
  fs::path dir_;
  bool made_ = false;
};

const TestCertificates& certificates() {
  static const TestCertificates made;
  return made;
}

// The simulator in-process on its own thread, serving TLS with `certificate` (server or other).
class TlsSim {
 public:
  explicit TlsSim(const std::string& certificate = "server") {
    sim::SimConfig config;
    auto markets = sim::load_markets({std::string(CEPHALO_TEST_DATA_DIR) + "/ETH_BTC-5m.csv"},
                                     {"ETHBTC"}, 300'000);
    REQUIRE_MESSAGE(markets.ok(), markets.error());
    config.markets = std::move(markets.value());
    config.speed = 0;  // the clock moves on POST /sim/advance only
    config.history_candles = 10;
    config.api_key = kKey;
    config.api_secret = kSecret;
    config.balances = {{"BTC", sim::kUnitsPerWhole}};
    config.tls_cert_file = certificates().file(certificate + ".pem");
    config.tls_key_file = certificates().file(certificate + ".key");
    auto started = sim::ExchangeSimulator::start(std::move(config));
    REQUIRE_MESSAGE(started.ok(), started.error());
    sim_ = std::move(started.value());
    REQUIRE(sim_->tls());
    thread_ = std::thread([this] { sim_->run(false); });
  }
  ~TlsSim() {
    sim_->stop();
    thread_.join();
  }
  TlsSim(const TlsSim&) = delete;
  TlsSim& operator=(const TlsSim&) = delete;

  std::string url(const std::string& scheme, const std::string& host = "127.0.0.1") const {
    return scheme + "://" + host + ":" + std::to_string(sim_->port());
  }

 private:
  std::unique_ptr<sim::ExchangeSimulator> sim_;
  std::thread thread_;
};

std::shared_ptr<BeastHttpTransport> open_transport(const std::string& url,
                                                   const std::string& ca_file) {
  HttpOptions options;
  options.ca_file = ca_file;
  auto transport = BeastHttpTransport::open(url, options);
  REQUIRE_MESSAGE(transport.ok(), transport.error());
  return std::shared_ptr<BeastHttpTransport>(std::move(transport.value()));
}

HttpOutcome get(HttpTransport& transport, const std::string& target) {
  return transport.send(HttpRequest{"GET", target, {}, ""});
}

BinanceConfig binance_config() {
  BinanceConfig config;
  config.api_key = kKey;
  config.api_secret = kSecret;
  return config;
}

// Collects a WebSocket client's messages and health events; waits with a bound.
struct StreamRecorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> messages;
  std::vector<StreamHealthEvent> health;

  WebSocketClient::MessageHandler on_message() {
    return [this](std::string_view message) {
      std::lock_guard lock(mutex);
      messages.emplace_back(message);
      changed.notify_all();
    };
  }
  WebSocketClient::HealthHandler on_health() {
    return [this](const StreamHealthEvent& event) {
      std::lock_guard lock(mutex);
      health.push_back(event);
      changed.notify_all();
    };
  }
  template <class Predicate>
  bool wait(Predicate done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(20), done);
  }
};

}  // namespace

TEST_CASE("over https with the test CA: server time, then a signed order booked by the venue") {
  TlsSim venue;
  auto transport = open_transport(venue.url("https"), certificates().file("ca.pem"));
  BinanceConnector connector(binance_config(), transport);

  const auto time = connector.server_time_ms();
  REQUIRE_MESSAGE(time.ok(), time.error.message);
  CHECK(*time.value > 1'600'000'000'000);  // a real epoch in ms, not a default

  OrderRequest order;
  order.symbol = "ETHBTC";
  order.side = OrderSide::kBuy;
  order.type = OrderType::kLimit;
  order.quantity = Decimal{100'000'000};  // 1 ETH
  order.price = Decimal{5'000'000};       // 0.05 BTC
  order.client_order_id = "tls-order-1";
  const auto placed = connector.place_order(order);
  REQUIRE_MESSAGE(placed.ok(), placed.error.message);
  CHECK(placed.value->client_order_id == "tls-order-1");
  CHECK(placed.value->status == VenueOrderStatus::kNew);
  CHECK(placed.value->price.units == 5'000'000);

  // The venue booked it: the signed query, the open orders and the locked balance all say so.
  const auto queried = connector.query_order("ETHBTC", "tls-order-1");
  REQUIRE_MESSAGE(queried.ok(), queried.error.message);
  CHECK(queried.value->order_id == placed.value->order_id);
  const auto open = connector.open_orders("ETHBTC");
  REQUIRE(open.ok());
  REQUIRE(open.value->size() == 1);
  const auto balances = connector.balances();
  REQUIRE(balances.ok());
  bool btc_locked = false;
  for (const Balance& balance : *balances.value) {
    if (balance.asset == "BTC") btc_locked = balance.locked.units == 5'000'000;
  }
  CHECK(btc_locked);
}

TEST_CASE("over https a DNS name works too: SNI and the certificate's DNS name (localhost)") {
  TlsSim venue;
  auto transport = open_transport(venue.url("https", "localhost"), certificates().file("ca.pem"));
  const HttpOutcome outcome = get(*transport, "/api/v3/time");
  REQUIRE_MESSAGE(outcome.response, outcome.error);
  CHECK(outcome.response->status == 200);
  CHECK(outcome.response->body.find("\"serverTime\":") != std::string::npos);
}

TEST_CASE("over wss with the test CA: the kline stream delivers the candle the venue closes") {
  TlsSim venue;
  StreamRecorder recorded;
  WebSocketOptions options;
  options.ca_file = certificates().file("ca.pem");
  WebSocketClient client(venue.url("wss") + "/ws/ethbtc@kline_5m", options, recorded.on_message(),
                         recorded.on_health());
  REQUIRE(client.start().ok());
  REQUIRE(recorded.wait([&] { return !recorded.health.empty(); }));
  {
    std::lock_guard lock(recorded.mutex);
    REQUIRE_MESSAGE(recorded.health[0].kind == StreamHealthKind::kConnected,
                    recorded.health[0].detail);
  }
  // Move the market one candle on (the control endpoint, over the same TLS port).
  auto control = open_transport(venue.url("https"), certificates().file("ca.pem"));
  const HttpOutcome advanced =
      control->send(HttpRequest{"POST", "/sim/advance", {}, R"({"candles":1})"});
  REQUIRE_MESSAGE(advanced.response, advanced.error);
  REQUIRE(advanced.response->status == 200);
  REQUIRE(recorded.wait([&] {
    for (const std::string& message : recorded.messages) {
      if (message.find("\"x\":true") != std::string::npos) return true;
    }
    return false;
  }));
  client.stop();
  std::lock_guard lock(recorded.mutex);
  CHECK(recorded.messages.front().find(R"("e":"kline")") != std::string::npos);
  CHECK(recorded.messages.front().find(R"("s":"ETHBTC")") != std::string::npos);
}

TEST_CASE("without the test CA (the system store) https is refused: unknown issuer, not sent") {
  TlsSim venue;
  auto transport = open_transport(venue.url("https"), "");
  const HttpOutcome outcome = get(*transport, "/api/v3/time");
  CHECK_FALSE(outcome.response);
  CHECK_FALSE(outcome.maybe_delivered);
  INFO(outcome.error);
  CHECK(outcome.error.find("certificate verify failed") != std::string::npos);
  CHECK(outcome.error.find("unable to get local issuer certificate") != std::string::npos);
  CHECK(outcome.error.find("set exchange.ca_file") != std::string::npos);

  // The connector surfaces the same reason, and no order reached the venue.
  BinanceConnector connector(binance_config(), transport);
  const auto time = connector.server_time_ms();
  REQUIRE_FALSE(time.ok());
  CHECK(time.error.message.find("unable to get local issuer certificate") != std::string::npos);
}

TEST_CASE("with another CA's bundle https and wss are refused, naming the bundle") {
  TlsSim venue;
  const std::string stranger = certificates().file("stranger-ca.pem");
  auto transport = open_transport(venue.url("https"), stranger);
  const HttpOutcome outcome = get(*transport, "/api/v3/time");
  CHECK_FALSE(outcome.response);
  INFO(outcome.error);
  CHECK(outcome.error.find("unable to get local issuer certificate") != std::string::npos);
  CHECK(outcome.error.find("no CA in " + stranger) != std::string::npos);

  StreamRecorder recorded;
  WebSocketOptions options;
  options.ca_file = stranger;
  options.backoff_initial = std::chrono::milliseconds(50);
  WebSocketClient client(venue.url("wss") + "/ws/ethbtc@kline_5m", options, recorded.on_message(),
                         recorded.on_health());
  REQUIRE(client.start().ok());
  REQUIRE(recorded.wait([&] { return !recorded.health.empty(); }));
  client.stop();
  std::lock_guard lock(recorded.mutex);
  CHECK(recorded.messages.empty());
  CHECK(recorded.health[0].kind == StreamHealthKind::kDisconnected);
  INFO(recorded.health[0].detail);
  CHECK(recorded.health[0].detail.find("unable to get local issuer certificate") !=
        std::string::npos);
}

TEST_CASE("a certificate for another host is refused: IP address and host name mismatch") {
  TlsSim venue("other");  // signed by the test CA, but for other.example only
  const std::string ca = certificates().file("ca.pem");

  auto by_address = open_transport(venue.url("https"), ca);
  const HttpOutcome address = get(*by_address, "/api/v3/time");
  CHECK_FALSE(address.response);
  INFO(address.error);
  CHECK(address.error.find("IP address mismatch") != std::string::npos);
  CHECK(address.error.find("not issued for 127.0.0.1") != std::string::npos);

  auto by_name = open_transport(venue.url("https", "localhost"), ca);
  const HttpOutcome name = get(*by_name, "/api/v3/time");
  CHECK_FALSE(name.response);
  INFO(name.error);
  CHECK(name.error.find("hostname mismatch") != std::string::npos);

  StreamRecorder recorded;
  WebSocketOptions options;
  options.ca_file = ca;
  options.backoff_initial = std::chrono::milliseconds(50);
  WebSocketClient client(venue.url("wss", "localhost") + "/ws/ethbtc@kline_5m", options,
                         recorded.on_message(), recorded.on_health());
  REQUIRE(client.start().ok());
  REQUIRE(recorded.wait([&] { return !recorded.health.empty(); }));
  client.stop();
  std::lock_guard lock(recorded.mutex);
  CHECK(recorded.health[0].kind == StreamHealthKind::kDisconnected);
  CHECK(recorded.health[0].detail.find("hostname mismatch") != std::string::npos);
}

TEST_CASE("a CA file that cannot be read is refused when the transport opens") {
  HttpOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  const auto transport = BeastHttpTransport::open("https://127.0.0.1:1", options);
  REQUIRE_FALSE(transport.ok());
  CHECK(transport.error().find("/nonexistent/ca.pem (exchange.ca_file)") != std::string::npos);
  WebSocketOptions ws_options;
  ws_options.ca_file = "/nonexistent/ca.pem";
  WebSocketClient client("wss://127.0.0.1:1/ws/x", ws_options, nullptr, nullptr);
  const cephalo::Status started = client.start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().find("/nonexistent/ca.pem") != std::string::npos);
}

TEST_CASE("the simulator refuses a key that does not belong to its certificate") {
  sim::SimConfig config;
  config.tls_cert_file = certificates().file("server.pem");
  config.tls_key_file = certificates().file("other.key");
  const auto started = sim::ExchangeSimulator::start(std::move(config));
  REQUIRE_FALSE(started.ok());
  INFO(started.error());
  CHECK(started.error().find("--tls-key " + certificates().file("other.key")) != std::string::npos);
  CHECK(started.error().find("key values mismatch") != std::string::npos);
}
