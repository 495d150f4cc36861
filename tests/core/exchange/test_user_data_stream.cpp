// The user data stream over the WebSocket API, against the in-process exchange simulator on real
// 127.0.0.1 sockets: subscribed with a signature (HMAC) or after session.logon (Ed25519), events
// parsed, subscribed again after eventStreamTerminated and after a dropped connection (each
// announced, so the owner resyncs over REST), and no retired listenKey endpoint ever called.
#include <doctest/doctest.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "crypto/key_signature.hpp"
#include "exchange/binance/binance_connector.hpp"
#include "exchange/binance/user_data_stream.hpp"
#include "exchange_sim/exchange_simulator.hpp"

using namespace cephalo::exchange;
namespace sim = cephalo::exchange_sim;
namespace fs = std::filesystem;

namespace {

const std::string kKey = "uds-key";
const std::string kSecret = "uds-secret";

class Sim {
 public:
  explicit Sim(const std::string& public_key_pem = "") {
    sim::SimConfig config;
    auto markets = sim::load_markets({std::string(CEPHALO_TEST_DATA_DIR) + "/ETH_BTC-5m.csv"},
                                     {"ETHBTC"}, 300'000);
    REQUIRE(markets.ok());
    config.markets = std::move(markets.value());
    config.speed = 0;
    config.history_candles = 10;
    config.api_key = kKey;
    config.api_secret = kSecret;
    config.api_public_key_pem = public_key_pem;
    config.balances = {{"BTC", sim::kUnitsPerWhole}};
    auto started = sim::ExchangeSimulator::start(std::move(config));
    REQUIRE_MESSAGE(started.ok(), started.error());
    sim_ = std::move(started.value());
    thread_ = std::thread([this] { sim_->run(false); });
    auto transport = BeastHttpTransport::open(url());
    REQUIRE(transport.ok());
    control_ = std::move(transport).value();
  }
  ~Sim() {
    sim_->stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(sim_->port()); }
  std::string ws_api() const { return "ws://127.0.0.1:" + std::to_string(sim_->port()) + "/ws-api/v3"; }
  nlohmann::json post(const std::string& path, const nlohmann::json& body) {
    HttpOutcome outcome = control_->send({"POST", path, {}, body.dump()});
    REQUIRE(outcome.response);
    return nlohmann::json::parse(outcome.response->body);
  }
  nlohmann::json state() {
    HttpOutcome outcome = control_->send({"GET", "/sim/state", {}, ""});
    REQUIRE(outcome.response);
    return nlohmann::json::parse(outcome.response->body);
  }

 private:
  std::unique_ptr<sim::ExchangeSimulator> sim_;
  std::thread thread_;
  std::unique_ptr<BeastHttpTransport> control_;
};

// What the stream delivered, for waiting on from the test thread.
struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<ExecutionReport> reports;
  std::vector<std::string> resubscribed;
  std::vector<std::string> problems;

  template <class Ready>
  bool wait(Ready ready) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), ready);
  }
};

std::unique_ptr<UserDataStream> make_stream(const std::string& url, BinanceConnector& rest,
                                            Seen& seen) {
  UserDataConfig config;
  config.ws_api_url = url;
  config.websocket.backoff_initial = std::chrono::milliseconds(20);
  return std::make_unique<UserDataStream>(
      config, [&rest](const std::string& prefix) { return rest.user_stream_subscription(prefix); },
      [&seen](const ExecutionReport& report) {
        std::lock_guard lock(seen.mutex);
        seen.reports.push_back(report);
        seen.changed.notify_all();
      },
      [](const AccountPosition&) {},
      [&seen](const std::string& problem) {
        std::lock_guard lock(seen.mutex);
        seen.problems.push_back(problem);
        seen.changed.notify_all();
      },
      [&seen](const std::string& why) {
        std::lock_guard lock(seen.mutex);
        seen.resubscribed.push_back(why);
        seen.changed.notify_all();
      });
}

// A resting buy well under the market (about 0.09), inside PERCENT_PRICE_BY_SIDE's 0.2x band.
OrderRequest buy(const std::string& id) {
  OrderRequest request;
  request.symbol = "ETHBTC";
  request.quantity = parse_decimal("1", "q").value();
  request.price = parse_decimal("0.02", "p").value();
  request.client_order_id = id;
  return request;
}

}  // namespace

TEST_CASE("the user data stream subscribes with a signature and comes back after every gap") {
  Sim venue;
  auto transport = BeastHttpTransport::open(venue.url());
  REQUIRE(transport.ok());
  BinanceConfig config;
  config.api_key = kKey;
  config.api_secret = kSecret;
  BinanceConnector rest(config, std::shared_ptr<HttpTransport>(std::move(transport).value()));
  REQUIRE(rest.server_time_ms().ok());
  Seen seen;
  auto stream = make_stream(venue.ws_api(), rest, seen);
  REQUIRE(stream->start().ok());
  CHECK(stream->subscriptions() == 1);

  REQUIRE(rest.place_order(buy("uds-1")).ok());
  REQUIRE(seen.wait([&] { return !seen.reports.empty(); }));
  CHECK(seen.reports[0].order.client_order_id == "uds-1");

  // The venue ends the subscription: a new one on the same connection, announced as a gap.
  venue.post("/sim/faults", {{"terminate_user_streams", true}});
  REQUIRE(seen.wait([&] { return seen.resubscribed.size() == 1; }));
  CHECK(seen.resubscribed[0].find("eventStreamTerminated") != std::string::npos);
  CHECK(stream->terminations() == 1);
  REQUIRE(rest.place_order(buy("uds-2")).ok());
  REQUIRE(seen.wait([&] { return seen.reports.size() >= 2; }));
  CHECK(seen.reports.back().order.client_order_id == "uds-2");

  // The connection drops: reconnected and subscribed again, announced as a gap.
  venue.post("/sim/faults", {{"drop_websockets", true}});
  REQUIRE(seen.wait([&] { return seen.resubscribed.size() == 2; }));
  CHECK(seen.resubscribed[1].find("re-established") != std::string::npos);
  REQUIRE(rest.place_order(buy("uds-3")).ok());
  REQUIRE(seen.wait([&] { return seen.reports.size() >= 3; }));

  // serverShutdown: the client reconnects on its own.
  venue.post("/sim/faults", {{"server_shutdown", true}});
  REQUIRE(seen.wait([&] { return seen.resubscribed.size() == 3; }));
  stream->stop();
  const nlohmann::json state = venue.state();
  CHECK(state["user_data_subscriptions"] == 4);
  CHECK(state["retired_endpoint_calls"].empty());
}

TEST_CASE("a wrong secret is a refused start that says why") {
  Sim venue;
  auto transport = BeastHttpTransport::open(venue.url());
  REQUIRE(transport.ok());
  BinanceConfig config;
  config.api_key = kKey;
  config.api_secret = "not-the-secret";
  BinanceConnector rest(config, std::shared_ptr<HttpTransport>(std::move(transport).value()));
  REQUIRE(rest.server_time_ms().ok());
  Seen seen;
  auto stream = make_stream(venue.ws_api(), rest, seen);
  cephalo::Status started = stream->start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().find("-1022") != std::string::npos);
}

TEST_CASE("with an Ed25519 key the stream logs the session on, then subscribes") {
  const fs::path dir = fs::temp_directory_path() / ("cephalo-uds-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string command = "openssl genpkey -algorithm ed25519 -out '" + (dir / "k.pem").string() +
                              "' && openssl pkey -in '" + (dir / "k.pem").string() +
                              "' -pubout -out '" + (dir / "k.pub").string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  auto read = [](const fs::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  };
  const std::string private_pem = read(dir / "k.pem");
  const std::string public_pem = read(dir / "k.pub");
  fs::remove_all(dir);

  Sim venue(public_pem);
  auto transport = BeastHttpTransport::open(venue.url());
  REQUIRE(transport.ok());
  BinanceConfig config;
  config.api_key = kKey;
  auto key = cephalo::PrivateKey::from_pem(private_pem);
  REQUIRE(key.ok());
  config.private_key = *key;
  BinanceConnector rest(config, std::shared_ptr<HttpTransport>(std::move(transport).value()));
  REQUIRE(rest.server_time_ms().ok());
  const auto requests = rest.user_stream_subscription("t");
  REQUIRE(requests.size() == 2);
  CHECK(nlohmann::json::parse(requests[0].json)["method"] == "session.logon");
  CHECK(nlohmann::json::parse(requests[1].json)["method"] == "userDataStream.subscribe");
  // Signed REST requests with the Ed25519 key pass the simulator's check too.
  REQUIRE(rest.account().ok());
  Seen seen;
  auto stream = make_stream(venue.ws_api(), rest, seen);
  REQUIRE(stream->start().ok());
  REQUIRE(rest.place_order(buy("ed-1")).ok());
  REQUIRE(seen.wait([&] { return !seen.reports.empty(); }));
  CHECK(seen.reports[0].order.client_order_id == "ed-1");
  stream->stop();
}
