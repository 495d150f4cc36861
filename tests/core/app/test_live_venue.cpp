// LiveVenue's round trips: live fills (a scripted venue, a real SQLite file) make ClosedTrades
// with the backtest's average-cost accounting; a losing one is stored in the trades table and
// reaches the risk engine through the pipeline, which pauses entries after a loss streak.
// Thread-safety: single-threaded tests (the test thread is the loop thread).
#include <doctest/doctest.h>

#include "../orders/fake_venue.hpp"
#include "../storage/temp_folder.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/pipeline.hpp"
#include "live/live_venue.hpp"
#include "logging/logging.hpp"
#include "risk/risk_engine.hpp"
#include "storage/sqlite_repository.hpp"

using namespace cephalo;
using cephalo::test::d;
using cephalo::test::eth_btc;
using cephalo::test::FakeVenue;
using exchange::Decimal;
using exchange::VenueOrder;
using exchange::VenueOrderStatus;
using exchange::VenueResult;

namespace {

constexpr int64_t kFiveMinutes = 300'000'000'000;

struct Fixture {
  test::TempFolder folder;
  std::unique_ptr<SqliteRepository> repository;
  std::unique_ptr<orders::RepositoryOrderJournal> journal;
  FakeVenue connector;
  Config config;
  NameTable names;
  SimulatedClock clock;
  std::unique_ptr<LiveVenue> venue;
  int64_t next_order_id = 1, next_trade_id = 1;

  Fixture() {
    repository = SqliteRepository::open(folder.file("live.sqlite"), SqliteOptions{}).value();
    REQUIRE(repository->start_run(1, "live", "{}").ok());  // every row belongs to a run
    journal = std::make_unique<orders::RepositoryOrderJournal>(*repository);
    connector.filters = {eth_btc()};
    connector.on_place = [this](const exchange::OrderRequest& request) {
      VenueOrder order;
      order.symbol = request.symbol;
      order.client_order_id = request.client_order_id;
      order.order_id = next_order_id++;
      order.side = request.side;
      order.type = request.type;
      order.price = request.price;
      order.orig_qty = request.quantity;
      order.status = VenueOrderStatus::kNew;
      order.update_time_ms = 1;
      connector.orders[request.client_order_id] = order;
      return VenueResult<VenueOrder>::success(order);
    };
    venue = std::make_unique<LiveVenue>(
        config,
        std::vector<LiveMarket>{LiveMarket{names.intern("ETH/BTC"), "ETHBTC", "ETH", "BTC"}},
        connector, *journal, *repository, make_null_logger(), [] { return int64_t{1}; }, "t1");
    REQUIRE(venue->load_filters().ok());
  }

  // An intent through the venue (limit at the reference), then the venue's fill of all of it
  // as the user data stream reports it; commission in the asset received, as Binance takes it.
  std::string trade(cephalo_side side, double quantity, double price, const char* qty_text,
                    const char* price_text, const char* commission, const char* commission_asset,
                    int64_t time_ms) {
    std::vector<EventPayload> out;
    OrderIntent intent;
    intent.symbol = names.intern("ETH/BTC");
    intent.side = side;
    intent.type = CEPHALO_ORDER_LIMIT;
    intent.quantity = quantity;
    intent.price = price;
    intent.tag = side == CEPHALO_SIDE_BUY ? "signal" : "exit_signal";
    venue->on_order_intent(intent, 0, time_ms * 1'000'000, out);
    VenueOrder order;
    for (const auto& [id, placed] : connector.orders) {
      if (placed.order_id == next_order_id - 1) order = placed;
    }
    REQUIRE_MESSAGE(!order.client_order_id.empty(), "the intent did not reach the venue");
    order.status = VenueOrderStatus::kFilled;
    order.orig_qty = d(qty_text);
    order.executed_qty = d(qty_text);
    order.update_time_ms = time_ms;
    exchange::ExecutionReport report;
    report.event_time_ms = time_ms;
    report.order = order;
    report.execution_type = "TRADE";
    exchange::VenueTrade fill;
    fill.symbol = "ETHBTC";
    fill.trade_id = next_trade_id++;
    fill.order_id = order.order_id;
    fill.client_order_id = order.client_order_id;
    fill.side = order.side;
    fill.price = d(price_text);
    fill.quantity = d(qty_text);
    fill.commission = d(commission);
    fill.commission_asset = commission_asset;
    fill.time_ms = time_ms;
    report.fill = fill;
    venue->on_execution_report(report);
    return order.client_order_id;
  }
};

}  // namespace

TEST_CASE("a losing live round trip is a ClosedTrade, stored, and pauses entries in risk") {
  Fixture f;
  // Buy 1 ETH at 0.05 (0.001 ETH commission: 0.999 held), sell the 0.999 at 0.04.
  f.trade(CEPHALO_SIDE_BUY, 1.0, 0.05, "1", "0.05", "0.001", "ETH", 1'000);
  double quantity = 0, average = 0;
  f.venue->set_balances({{"ETH", d("0.999"), d("0")}, {"BTC", d("0.95"), d("0")}}, 1, "test");
  f.venue->position("ETH/BTC", quantity, average);
  CHECK(quantity == doctest::Approx(0.999));
  CHECK(average == doctest::Approx(0.05));
  f.trade(CEPHALO_SIDE_SELL, 0.999, 0.04, "0.999", "0.04", "0.00003996", "BTC", 2'000);

  // The pipeline hands the fills to risk, then the closed round trip (Pipeline::after_venue).
  RiskConfig risk_config;
  risk_config.strategy.max_consecutive_losses = 1;
  risk_config.strategy.loss_pause_bars = 10;
  RiskEngine risk(risk_config);
  EventLoop loop(f.clock);
  Pipeline pipeline(loop, f.names, f.repository.get(), make_null_logger());
  pipeline.set_venue(f.venue.get());
  pipeline.set_risk(&risk);
  ReplaySource source;
  source.add_feed(std::vector<Candle>{Candle{f.names.intern("ETH/BTC"), f.names.intern("5m"),
                                             kFiveMinutes, 0.04, 0.041, 0.039, 0.04, 10.0}},
                  kFiveMinutes);
  loop.set_dispatcher([&](const Event& event) { pipeline.dispatch(event); });
  loop.run(&source, false);

  const RiskState state = risk.state(kFiveMinutes);
  CHECK(state.loss_paused);  // one loss of max_consecutive_losses: 1 (the streak restarts)
  CHECK(risk.counts().loss_pauses == 1);
  CHECK(f.venue->take_closed_trades().empty());  // handed over once

  // BTC spent 0.05, BTC received 0.999 x 0.04 - 0.00003996: pnl -0.01007996 after both fees.
  REQUIRE(f.repository->flush().ok());
  const auto trades = f.repository->trades();
  REQUIRE(trades.ok());
  REQUIRE(trades->size() == 1);
  const TradeRecord& trade = trades->front();
  CHECK(trade.pair == "ETH/BTC");
  CHECK(trade.entry_price == doctest::Approx(0.05));
  CHECK(trade.exit_price == doctest::Approx(0.04));
  CHECK(trade.quantity == doctest::Approx(0.999));
  CHECK(trade.fees == doctest::Approx(0.00005 + 0.00003996));
  CHECK(trade.pnl == doctest::Approx(-0.01007996).epsilon(1e-9));
  CHECK(trade.exit_reason == "exit_signal");
  CHECK(trade.entry_time_ns == 1'000'000'000);
  CHECK(trade.exit_time_ns == 2'000'000'000);
}

TEST_CASE("a restart rebuilds positions from the journal without reporting old round trips") {
  Fixture f;
  f.trade(CEPHALO_SIDE_BUY, 1.0, 0.05, "1", "0.05", "0.001", "ETH", 1'000);
  f.trade(CEPHALO_SIDE_SELL, 0.999, 0.06, "0.999", "0.06", "0.00005994", "BTC", 2'000);
  f.trade(CEPHALO_SIDE_BUY, 2.0, 0.04, "2", "0.04", "0.002", "ETH", 3'000);
  const auto first_run = f.venue->take_closed_trades();
  REQUIRE(first_run.size() == 1);
  CHECK(first_run.front().pnl > 0);
  REQUIRE(f.repository->flush().ok());

  // A new venue over the same journal: the open 1.998 ETH at 0.04 is known again, the closed
  // round trip is not handed to risk a second time.
  LiveVenue again(
      f.config,
      std::vector<LiveMarket>{LiveMarket{f.names.intern("ETH/BTC"), "ETHBTC", "ETH", "BTC"}},
      f.connector, *f.journal, *f.repository, make_null_logger(), [] { return int64_t{1}; }, "t2");
  again.rebuild_average_prices();
  CHECK(again.take_closed_trades().empty());
  again.set_balances({{"ETH", d("1.998"), d("0")}}, 1, "test");
  double quantity = 0, average = 0;
  again.position("ETH/BTC", quantity, average);
  CHECK(quantity == doctest::Approx(1.998));
  CHECK(average == doctest::Approx(0.04));
}
