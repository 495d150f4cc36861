// BacktestVenue's equity: valued once per candle and reused by the risk check and the next curve
// point, it must still be the account's value after anything else traded (an intent that fills at
// once, a halt's flattening), and the curve must record those values, not the candle's.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include <doctest/doctest.h>

#include <vector>

#include "backtest_venue.hpp"
#include "model/name_table.hpp"

using namespace cephalo;

namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

struct Fixture {
  NameTable names;
  Config config;
  std::unique_ptr<BacktestVenue> venue;
  std::vector<EventPayload> events;

  Fixture() {
    FeedConfig feed;
    feed.symbol = "BTC/USD";
    feed.timeframe = "1m";
    config.feeds.push_back(feed);
    config.backtest.starting_cash = 1000;
    config.backtest.market_fill = "signal_close";  // an intent fills at once, at the last close
    config.backtest.slippage_model = "none";
    venue = BacktestVenue::create(config, nullptr, 10).value();
  }
  Candle candle(int64_t minute, double close) {
    Candle c;
    c.symbol = names.intern("BTC/USD");
    c.timeframe = names.intern("1m");
    c.open_time_ns = minute * kMinuteNs;
    c.open = c.high = c.low = close;
    c.close = close;
    c.volume = 100;
    return c;
  }
  void on_candle(int64_t minute, double close) {
    venue->on_candle(candle(minute, close), (minute + 1) * kMinuteNs, nullptr, events);
    events.clear();
  }
  // What the account is worth, from its parts: cash plus the position at its last mark.
  double valued() const {
    double quantity = 0, average = 0;
    venue->position("BTC/USD", quantity, average);
    return venue->cash() + quantity * venue->last_price("BTC/USD");
  }
};

TEST_CASE("the venue's equity follows every trade, not only candles") {
  Fixture f;
  f.on_candle(0, 100);
  CHECK(f.venue->equity() == 1000);

  OrderIntent buy;
  buy.symbol = f.names.intern("BTC/USD");
  buy.quantity = 5;
  f.venue->on_order_intent(buy, 1, 1 * kMinuteNs, f.events);
  REQUIRE(f.events.size() == 1);  // the fill
  f.events.clear();
  const double after_buy = f.valued();
  CHECK(after_buy < 1000);  // the fee is gone; the position is worth what was paid
  CHECK(f.venue->equity() == after_buy);

  f.on_candle(1, 110);
  const double after_mark = f.valued();
  CHECK(after_mark > after_buy);
  CHECK(f.venue->equity() == after_mark);

  AccountAction flatten;
  flatten.flatten_all = true;
  f.venue->apply(flatten, 2 * kMinuteNs, f.events);
  REQUIRE(f.events.size() == 1);  // the sell's fill
  double quantity = 0, average = 0;
  f.venue->position("BTC/USD", quantity, average);
  CHECK(quantity == 0);
  CHECK(f.venue->equity() == f.venue->cash());
  CHECK(f.venue->equity() < after_mark);  // the sell's fee

  // The curve's point of each time is the equity when time moved on: after the buy for the first
  // candle's time, after the flattening for the second's.
  const double after_flatten = f.venue->equity();
  f.on_candle(2, 120);
  const BacktestInput input = f.venue->finish("test", 3, kMinuteNs);
  REQUIRE(input.equity.size() == 3);
  CHECK(input.equity[0].time_ns == 1 * kMinuteNs);
  CHECK(input.equity[0].equity == after_buy);
  CHECK(input.equity[1].equity == after_flatten);
  CHECK(input.equity[2].equity == after_flatten);  // flat: the last candle changes nothing
  CHECK(input.final_equity == after_flatten);
}

}  // namespace
