// The user data stream over real sockets: listenKey, keepalive, executionReport and balances.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "exchange/user_data_stream.hpp"
#include "loopback_venue.hpp"

using namespace cephalo::exchange;
namespace websocket = cephalo::test::websocket;
namespace beast = cephalo::test::beast;
using cephalo::test::json_response;
using cephalo::test::LoopbackVenue;

TEST_CASE("the user data stream opens /ws/<listenKey>, keeps it alive and parses events") {
  std::atomic<int> keepalives{0};
  std::string ws_target;
  std::mutex target_mutex;
  LoopbackVenue venue(
      [&](const auto& request) {
        const std::string target(request.target());
        if (target == "/api/v3/userDataStream" && request.method_string() == "POST") {
          return json_response(200, R"({"listenKey":"abc123"})");
        }
        if (target == "/api/v3/userDataStream?listenKey=abc123" &&
            request.method_string() == "PUT") {
          ++keepalives;
          return json_response(200, "{}");
        }
        return json_response(404, R"({"code":-1,"msg":"unexpected"})");
      },
      [&](websocket::stream<cephalo::test::tcp::socket>& ws, const std::string& target) {
        {
          std::lock_guard lock(target_mutex);
          ws_target = target;
        }
        boost::system::error_code ec;
        ws.text(true);
        const std::string report =
            R"({"e":"executionReport","E":2,"s":"ETHBTC","c":"cph-x-1","S":"BUY","o":"LIMIT",)"
            R"("f":"GTC","q":"1","p":"0.05","x":"TRADE","X":"FILLED","i":9,"l":"1","L":"0.05",)"
            R"("n":"0.001","N":"ETH","T":3,"t":44,"z":"1","Z":"0.05"})";
        const std::string balances =
            R"({"e":"outboundAccountPosition","E":4,"u":4,"B":[{"a":"ETH","f":"1","l":"0"}]})";
        const std::string hostile =
            R"({"e":"outboundAccountPosition","E":5,"u":5,"B":[{"a":"ETH","f":"NaN","l":"0"}]})";
        for (const std::string* m : {&report, &balances, &hostile}) {
          ws.write(boost::asio::buffer(*m), ec);
        }
        beast::flat_buffer buffer;
        while (!ec) ws.read(buffer, ec);
      });
  auto transport = BeastHttpTransport::open(venue.http_url());
  REQUIRE(transport.ok());
  BinanceConnector rest(BinanceConfig{"key", "secret", 5000, {}},
                        std::shared_ptr<HttpTransport>(std::move(transport).value()));
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<ExecutionReport> reports;
  std::vector<AccountPosition> positions;
  std::vector<std::string> problems;
  UserDataConfig config;
  config.ws_base_url = "ws://127.0.0.1:" + std::to_string(venue.port());
  config.keepalive_interval = std::chrono::milliseconds(30);
  UserDataStream stream(
      config, rest,
      [&](const ExecutionReport& r) {
        std::lock_guard lock(mutex);
        reports.push_back(r);
        changed.notify_all();
      },
      [&](const AccountPosition& p) {
        std::lock_guard lock(mutex);
        positions.push_back(p);
        changed.notify_all();
      },
      [&](const std::string& problem) {
        std::lock_guard lock(mutex);
        problems.push_back(problem);
        changed.notify_all();
      });
  REQUIRE(stream.start().ok());
  CHECK(stream.listen_key() == "abc123");
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] {
      return !reports.empty() && !positions.empty() && !problems.empty();
    }));
    CHECK(reports[0].order.client_order_id == "cph-x-1");
    REQUIRE(reports[0].fill.has_value());
    CHECK(reports[0].fill->trade_id == 44);
    CHECK(positions.size() == 1);  // the NaN balance was refused, not delivered
    CHECK(problems[0].find("NaN") != std::string::npos);
  }
  for (int i = 0; i < 500 && keepalives < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(keepalives >= 2);
  stream.stop();
  std::lock_guard lock(target_mutex);
  CHECK(ws_target == "/ws/abc123");
}
