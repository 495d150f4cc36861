// Market data: ordering and gap backfill, and the stream → REST fallback → stream round trip
// over real sockets, with no candle missed or repeated.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "exchange/binance/binance_connector.hpp"
#include "exchange/binance/market_data_handler.hpp"
#include "loopback_venue.hpp"

using namespace cephalo;
using namespace cephalo::exchange;
namespace http = cephalo::test::http;
namespace websocket = cephalo::test::websocket;
namespace beast = cephalo::test::beast;
using cephalo::test::json_response;
using cephalo::test::LoopbackVenue;

namespace {

constexpr int64_t kStart = 1'600'000'020'000 - 1'600'000'020'000 % 60'000;
constexpr int64_t kMinute = 60'000;

KlineBar bar_at(int index) {
  KlineBar bar;
  bar.symbol = "ETHBTC";
  bar.interval = "1m";
  bar.open_time_ms = kStart + index * kMinute;
  bar.close_time_ms = bar.open_time_ms + kMinute - 1;
  bar.open = bar.high = bar.low = bar.close = Decimal{100'000'000 + index};
  bar.volume = Decimal{Decimal::kOne};
  bar.closed = true;
  return bar;
}

std::string kline_json(int index) {
  const KlineBar b = bar_at(index);
  const std::string price = format_decimal(b.close);
  return R"({"stream":"ethbtc@kline_1m","data":{"e":"kline","E":1,"s":"ETHBTC","k":{"t":)" +
         std::to_string(b.open_time_ms) + R"(,"T":)" + std::to_string(b.close_time_ms) +
         R"(,"s":"ETHBTC","i":"1m","o":")" + price + R"(","c":")" + price + R"(","h":")" + price +
         R"(","l":")" + price + R"(","v":"1","n":1,"x":true}}})";
}

std::string klines_json(int first, int last) {
  std::string out = "[";
  for (int i = first; i <= last; ++i) {
    const KlineBar b = bar_at(i);
    const std::string p = format_decimal(b.close);
    if (i > first) out += ",";
    out += "[" + std::to_string(b.open_time_ms) + ",\"" + p + "\",\"" + p + "\",\"" + p + "\",\"" +
           p + "\",\"1\"," + std::to_string(b.close_time_ms) + ",\"1\",1,\"0\",\"0\",\"0\"]";
  }
  return out + "]";
}

int64_t query_int(const std::string& target, const std::string& key, int64_t fallback) {
  const auto at = target.find(key + "=");
  if (at == std::string::npos) return fallback;
  return std::stoll(target.substr(at + key.size() + 1));
}

}  // namespace

TEST_CASE("the sequencer drops repeats and backfills a gap in open-time order") {
  CandleSequencer sequencer(kMinute);
  int backfills = 0;
  auto backfill = [&](int64_t from, int64_t to) {
    ++backfills;
    CHECK(from == bar_at(2).open_time_ms);
    CHECK(to == bar_at(3).open_time_ms);
    return std::vector<KlineBar>{bar_at(3), bar_at(2)};  // any order
  };
  CHECK(sequencer.accept(bar_at(0), backfill).size() == 1);
  CHECK(sequencer.accept(bar_at(1), backfill).size() == 1);
  CHECK(sequencer.accept(bar_at(1), backfill).empty());
  auto after_gap = sequencer.accept(bar_at(4), backfill);
  REQUIRE(after_gap.size() == 3);
  CHECK(after_gap[0].open_time_ms == bar_at(2).open_time_ms);
  CHECK(after_gap[1].open_time_ms == bar_at(3).open_time_ms);
  CHECK(after_gap[2].open_time_ms == bar_at(4).open_time_ms);
  CHECK(backfills == 1);
  CHECK(sequencer.accept(bar_at(3), backfill).empty());
}

TEST_CASE("a sequencer resuming after a stored bar never repeats it and fills the hole after it") {
  CandleSequencer sequencer(kMinute, bar_at(5).open_time_ms);  // bars 0..5 stored by a past run
  auto backfill = [&](int64_t from, int64_t to) {
    CHECK(from == bar_at(6).open_time_ms);
    CHECK(to == bar_at(7).open_time_ms);
    return std::vector<KlineBar>{bar_at(6), bar_at(7)};
  };
  CHECK(sequencer.accept(bar_at(5), backfill).empty());
  CHECK(sequencer.accept(bar_at(4), backfill).empty());
  const auto resumed = sequencer.accept(bar_at(8), backfill);
  REQUIRE(resumed.size() == 3);
  CHECK(resumed[0].open_time_ms == bar_at(6).open_time_ms);
  CHECK(resumed[2].open_time_ms == bar_at(8).open_time_ms);
}

TEST_CASE("socket down: REST polling takes over, gaps are backfilled, the stream comes back") {
  std::atomic<int> available{9};  // the venue's newest closed bar
  std::atomic<bool> ws_down{false};
  std::atomic<int> sessions{0};
  LoopbackVenue venue(
      [&](const auto& request) {
        const std::string target(request.target());
        if (target.rfind("/api/v3/klines", 0) != 0) return json_response(404, "{}");
        const int64_t start = query_int(target, "startTime", kStart);
        const int64_t end = query_int(target, "endTime", kStart + 1000 * kMinute);
        int first = static_cast<int>((start - kStart + kMinute - 1) / kMinute);
        int last = std::min<int>(available, static_cast<int>((end - kStart) / kMinute));
        if (first < 0) first = 0;
        return json_response(200, first > last ? "[]" : klines_json(first, last));
      },
      [&](websocket::stream<cephalo::test::tcp::socket>& ws, const std::string& target) {
        const int session = ++sessions;
        if (target.find("ethbtc@kline_1m") == std::string::npos) return;
        boost::system::error_code ec;
        ws.text(true);
        if (session == 1) {
          for (int i : {0, 1, 3}) ws.write(boost::asio::buffer(kline_json(i)), ec);
          return;  // then the socket drops
        }
        if (ws_down) return;  // accepted and closed at once: the stream is down
        for (int i : {9, 10}) ws.write(boost::asio::buffer(kline_json(i)), ec);
        beast::flat_buffer buffer;
        while (!ec) ws.read(buffer, ec);
      });

  HttpOptions http_options;
  auto transport = BeastHttpTransport::open(venue.http_url(), http_options);
  REQUIRE(transport.ok());
  BinanceConnector rest(BinanceConfig{},
                        std::shared_ptr<HttpTransport>(std::move(transport).value()));
  NameTable names;
  MarketDataConfig config;
  config.ws_base_url = "ws://127.0.0.1:" + std::to_string(venue.port());
  config.feeds = {{"ETHBTC", "1m", names.intern("ETH/BTC"), names.intern("1m")}};
  config.staleness = std::chrono::milliseconds(300);
  config.poll_interval = std::chrono::milliseconds(50);
  config.websocket.backoff_initial = std::chrono::milliseconds(20);
  config.websocket.backoff_max = std::chrono::milliseconds(100);

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int64_t> opens;
  std::vector<MarketHealthKind> health;
  ws_down = true;  // every session after the first is refused until switched back
  MarketDataHandler handler(
      config, rest,
      [&](const Candle& candle, const KlineBar&) {
        std::lock_guard lock(mutex);
        CHECK(candle.symbol.view() == "ETH/BTC");
        opens.push_back(candle.open_time_ns / 1'000'000);
        changed.notify_all();
      },
      [&](const MarketHealthEvent& event) {
        std::lock_guard lock(mutex);
        health.push_back(event.kind);
        changed.notify_all();
      });
  REQUIRE(handler.start().ok());
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(20), [&] { return opens.size() >= 10; }));
    CHECK(std::count(health.begin(), health.end(), MarketHealthKind::kFallback) >= 1);
  }
  available = 10;
  ws_down = false;
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(20), [&] {
      return opens.size() >= 11 &&
             std::count(health.begin(), health.end(), MarketHealthKind::kRecovered) >= 1;
    }));
  }
  handler.stop();
  std::lock_guard lock(mutex);
  REQUIRE(opens.size() == 11);
  for (int i = 0; i <= 10; ++i) CHECK(opens[static_cast<size_t>(i)] == bar_at(i).open_time_ms);
}
