// The executor against a scripted venue and a real SQLite file: commit-before-send, unknown
// outcomes, the stale-snapshot rule, fill de-duplication, timeouts and reconciliation.
#include <doctest/doctest.h>

#include "../storage/temp_folder.hpp"
#include "fake_venue.hpp"
#include "orders/order_executor.hpp"
#include "storage/sqlite_repository.hpp"

using namespace cephalo;
using namespace cephalo::orders;
using cephalo::test::d;
using cephalo::test::eth_btc;
using cephalo::test::FakeVenue;
using exchange::Decimal;
using exchange::VenueErrorKind;
using exchange::VenueOrder;
using exchange::VenueOrderStatus;
using exchange::VenueResult;

namespace {

ApprovedIntent buy(const char* qty = "1.2345", const char* ref = "0.05") {
  ApprovedIntent intent;
  intent.symbol = "ETHBTC";
  intent.quantity = d(qty);
  intent.reference_price = d(ref);
  return intent;
}

VenueOrder ack(const exchange::OrderRequest& request, VenueOrderStatus status, int64_t time_ms,
               const char* executed = "0") {
  VenueOrder order;
  order.symbol = request.symbol;
  order.client_order_id = request.client_order_id;
  order.order_id = 1000 + static_cast<int64_t>(request.client_order_id.size());
  order.side = request.side;
  order.price = request.price;
  order.orig_qty = request.quantity;
  order.executed_qty = d(executed);
  order.status = status;
  order.update_time_ms = time_ms;
  return order;
}

struct Fixture {
  test::TempFolder folder;
  std::unique_ptr<SqliteRepository> repository;
  std::unique_ptr<RepositoryOrderJournal> journal;
  FakeVenue venue;
  int64_t now_ns = 1'700'000'000'000'000'000;
  std::vector<std::string> fills_seen;
  ExecutorConfig config;

  Fixture() { open(); }
  void open() {
    journal.reset();
    repository.reset();
    auto opened = SqliteRepository::open(folder.file("live.sqlite"));
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    repository = std::move(opened).value();
    REQUIRE(repository->start_run(now_ns, "live", "{}").ok());  // every row belongs to a run
    journal = std::make_unique<RepositoryOrderJournal>(*repository);
  }
  std::unique_ptr<OrderExecutor> executor(const std::string& run = "run1") {
    config.limit_offset_bps = 10;
    config.unknown_grace = std::chrono::milliseconds(5000);
    config.order_timeout = std::chrono::milliseconds(60000);
    auto made = std::make_unique<OrderExecutor>(
        venue, *journal, ClientOrderIds(run), config, [this] { return now_ns; },
        [this](const LiveOrder& order, const exchange::VenueTrade& trade) {
          fills_seen.push_back(order.request.client_order_id + "#" +
                               std::to_string(trade.trade_id));
        });
    made->set_filters({eth_btc()});
    return made;
  }
  std::optional<LiveOrderRecord> stored(const std::string& id) {
    auto rows = repository->live_orders();
    REQUIRE(rows.ok());
    for (const auto& row : *rows) {
      if (row.client_order_id == id) return row;
    }
    return std::nullopt;
  }
};

}  // namespace

TEST_CASE("the order is on disk, pending_new, before the request reaches the transport") {
  Fixture f;
  auto executor = f.executor();
  std::optional<LiveOrderRecord> row_at_send;
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    row_at_send = f.stored(request.client_order_id);  // read back through SQLite
    return VenueResult<VenueOrder>::success(ack(request, VenueOrderStatus::kNew, 10));
  };
  auto id = executor->submit(buy());
  REQUIRE_MESSAGE(id.ok(), id.error());
  REQUIRE(row_at_send.has_value());
  CHECK(row_at_send->state == "pending_new");
  // 0.05 * (1 - 10 bps) = 0.04995 on a 0.00001 tick; 1.2345 → 1.234 on a 0.001 step.
  CHECK(row_at_send->price == "0.04995");
  CHECK(row_at_send->quantity == "1.234");
  CHECK(executor->order(id.value())->state == OrderState::kOpen);
  CHECK(f.stored(id.value())->state == "open");
  CHECK(f.stored(id.value())->venue_order_id != 0);
}

TEST_CASE("a local filter refusal sends and stores nothing") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [](const exchange::OrderRequest&) -> VenueResult<VenueOrder> {
    FAIL("must not be sent");
    return VenueResult<VenueOrder>::failure({});
  };
  auto refused = executor->submit(buy("0.0001"));
  REQUIRE(!refused.ok());
  CHECK(refused.error().find("LOT_SIZE") != std::string::npos);
  CHECK(f.repository->live_orders()->empty());
}

TEST_CASE("an unknown placement is never sent again and is resolved by query") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    f.venue.orders[request.client_order_id] = ack(request, VenueOrderStatus::kNew, 20);
    return VenueResult<VenueOrder>::failure(
        FakeVenue::error(VenueErrorKind::kUnknownOutcome, "HTTP 503"));
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  CHECK(executor->order(id.value())->state == OrderState::kUnknown);
  CHECK(f.stored(id.value())->state == "unknown");
  executor->poll();
  CHECK(f.venue.place_calls == 1);
  CHECK(f.venue.query_calls == 1);
  CHECK(executor->order(id.value())->state == OrderState::kOpen);
  CHECK(f.stored(id.value())->state == "open");
}

TEST_CASE("an unknown order the venue never shows becomes rejected only after the grace") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest&) {
    return VenueResult<VenueOrder>::failure(FakeVenue::error(VenueErrorKind::kDuplicateOrder));
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  CHECK(executor->order(id.value())->state == OrderState::kUnknown);
  executor->poll();  // not found, but within the grace: may just not be visible yet
  CHECK(executor->order(id.value())->state == OrderState::kUnknown);
  f.now_ns += 6'000'000'000;
  executor->poll();
  CHECK(executor->order(id.value())->state == OrderState::kRejected);
  CHECK(f.venue.place_calls == 1);
}

TEST_CASE("a venue refusal is final and stored with its reason") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest&) {
    return VenueResult<VenueOrder>::failure(FakeVenue::error(
        VenueErrorKind::kRejected, "HTTP 400 code -2010 \"insufficient balance\""));
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  CHECK(executor->order(id.value())->state == OrderState::kRejected);
  CHECK(f.stored(id.value())->reason.find("insufficient") != std::string::npos);
}

TEST_CASE("an older REST snapshot never undoes a newer stream update") {
  Fixture f;
  auto executor = f.executor();
  exchange::OrderRequest sent;
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    sent = request;
    return VenueResult<VenueOrder>::success(ack(request, VenueOrderStatus::kNew, 100));
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  exchange::ExecutionReport partial;
  partial.order = ack(sent, VenueOrderStatus::kPartiallyFilled, 300, "0.5");
  executor->on_execution_report(partial);
  CHECK(executor->order(id.value())->state == OrderState::kPartiallyFilled);

  // A REST answer taken at t=200 (before the fill) arrives late.
  LiveOrder copy = *executor->order(id.value());
  CHECK(apply_snapshot(copy, ack(sent, VenueOrderStatus::kNew, 200)) ==
        ApplyOutcome::kStaleIgnored);
  // Same time but less filled: also older.
  CHECK(apply_snapshot(copy, ack(sent, VenueOrderStatus::kNew, 300, "0.1")) ==
        ApplyOutcome::kStaleIgnored);
  CHECK(copy.state == OrderState::kPartiallyFilled);
  CHECK(apply_snapshot(copy, ack(sent, VenueOrderStatus::kFilled, 400, "1.234")) ==
        ApplyOutcome::kApplied);
  // Final states are never reopened, even by a newer-looking report.
  CHECK(apply_snapshot(copy, ack(sent, VenueOrderStatus::kNew, 500, "1.234")) ==
        ApplyOutcome::kIllegalIgnored);
  CHECK(copy.state == OrderState::kFilled);
}

TEST_CASE("fills are de-duplicated by trade id across the stream and REST") {
  Fixture f;
  auto executor = f.executor();
  exchange::OrderRequest sent;
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    sent = request;
    auto order = ack(request, VenueOrderStatus::kNew, 100);
    f.venue.orders[request.client_order_id] = order;
    return VenueResult<VenueOrder>::success(order);
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  exchange::ExecutionReport report;
  report.order = ack(sent, VenueOrderStatus::kPartiallyFilled, 200, "0.5");
  exchange::VenueTrade trade;
  trade.symbol = "ETHBTC";
  trade.trade_id = 77;
  trade.order_id = report.order.order_id;
  trade.price = d("0.04995");
  trade.quantity = d("0.5");
  trade.time_ms = 200;
  report.fill = trade;
  executor->on_execution_report(report);
  executor->on_execution_report(report);  // the stream repeats itself after a reconnect
  f.venue.venue_trades = {trade};
  f.venue.orders[id.value()] = report.order;
  auto reconciled = executor->reconcile({"ETHBTC"});
  REQUIRE_MESSAGE(reconciled.ok(), reconciled.error());
  CHECK(reconciled->fills_recovered == 0);
  REQUIRE(f.fills_seen.size() == 1);
  CHECK(f.fills_seen[0] == id.value() + "#77");
  CHECK(executor->order(id.value())->filled_by_trades == d("0.5"));
  REQUIRE(f.repository->flush().ok());
  CHECK(f.repository->fills()->size() == 1);
}

TEST_CASE("a fill the stream missed is recovered even when a later trade arrived first") {
  // Seen in live_trading: the user stream dropped order A's fill (trade 61) during a gap, then
  // delivered order B's (trade 66). The resync asked for trades from 67 and never found 61.
  Fixture f;
  auto executor = f.executor();
  std::vector<exchange::OrderRequest> sent;
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    sent.push_back(request);
    auto order = ack(request, VenueOrderStatus::kNew, 100);
    order.order_id = static_cast<int64_t>(sent.size()) + 10;
    f.venue.orders[request.client_order_id] = order;
    return VenueResult<VenueOrder>::success(order);
  };
  auto missed = executor->submit(buy());
  auto seen = executor->submit(buy());
  REQUIRE(missed.ok());
  REQUIRE(seen.ok());
  auto trade_of = [&](const exchange::OrderRequest& request, int64_t trade_id) {
    exchange::VenueTrade trade;
    trade.symbol = "ETHBTC";
    trade.trade_id = trade_id;
    trade.order_id = f.venue.orders[request.client_order_id].order_id;
    trade.price = d("0.04995");
    trade.quantity = request.quantity;
    trade.time_ms = 200 + trade_id;
    return trade;
  };
  const exchange::VenueTrade trade_61 = trade_of(sent[0], 61);
  const exchange::VenueTrade trade_66 = trade_of(sent[1], 66);
  f.venue.venue_trades = {trade_61, trade_66};
  for (size_t i = 0; i < sent.size(); ++i) {
    VenueOrder filled = ack(sent[i], VenueOrderStatus::kFilled, 300, "1.0");
    filled.order_id = f.venue.orders[sent[i].client_order_id].order_id;
    filled.executed_qty = sent[i].quantity;
    f.venue.orders[sent[i].client_order_id] = filled;
  }
  exchange::ExecutionReport report;  // only the second order's fill comes over the stream
  report.order = f.venue.orders[seen.value()];
  report.fill = trade_66;
  executor->on_execution_report(report);
  REQUIRE(f.fills_seen.size() == 1);

  auto reconciled = executor->reconcile({"ETHBTC"});
  REQUIRE_MESSAGE(reconciled.ok(), reconciled.error());
  CHECK(reconciled->fills_recovered == 1);
  REQUIRE(f.fills_seen.size() == 2);
  CHECK(f.fills_seen[1] == missed.value() + "#61");
  CHECK(executor->order(missed.value())->filled_by_trades == sent[0].quantity);
  // Nothing left to ask for: a second resync recovers nothing and books nothing twice.
  auto again = executor->reconcile({"ETHBTC"});
  REQUIRE_MESSAGE(again.ok(), again.error());
  CHECK(again->fills_recovered == 0);
  REQUIRE(f.repository->flush().ok());
  CHECK(f.repository->fills()->size() == 2);
}

TEST_CASE("an order open longer than the timeout is cancelled") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    auto order = ack(request, VenueOrderStatus::kNew, 100);
    f.venue.orders[request.client_order_id] = order;
    return VenueResult<VenueOrder>::success(order);
  };
  auto id = executor->submit(buy());
  REQUIRE(id.ok());
  executor->poll();
  CHECK(f.venue.cancel_calls == 0);
  f.now_ns += 61'000'000'000;
  executor->poll();
  CHECK(f.venue.cancel_calls == 1);
  CHECK(executor->order(id.value())->state == OrderState::kCancelled);
  CHECK(f.stored(id.value())->state == "cancelled");
}

TEST_CASE("reconciliation after a restart: resolves journaled orders, recovers missed fills") {
  Fixture f;
  std::string sent_id, committed_only_id;
  {
    auto executor = f.executor("before");
    // (b) sent, then the process died before the answer: the venue has it, filled.
    f.venue.on_place = [&](const exchange::OrderRequest& request) {
      auto order = ack(request, VenueOrderStatus::kFilled, 300, "1.234");
      f.venue.orders[request.client_order_id] = order;
      exchange::VenueTrade trade;
      trade.symbol = "ETHBTC";
      trade.trade_id = 501;
      trade.order_id = order.order_id;
      trade.quantity = d("1.234");
      trade.price = d("0.04995");
      f.venue.venue_trades.push_back(trade);
      return VenueResult<VenueOrder>::failure(
          FakeVenue::error(VenueErrorKind::kUnknownOutcome, "timed out"));
    };
    sent_id = executor->submit(buy()).value();
    // (a) committed, then the process died before sending: the venue never saw it.
    f.venue.on_place = [&](const exchange::OrderRequest&) {
      return VenueResult<VenueOrder>::failure(
          FakeVenue::error(VenueErrorKind::kUnknownOutcome, "crash stand-in"));
    };
    committed_only_id = executor->submit(buy()).value();
  }
  f.open();  // a new process: the same file
  f.venue.venue_balances = {{"BTC", d("0.9"), d("0")}, {"ETH", d("1.234"), d("0")}};

  {
    auto executor = f.executor("after");
    auto early = executor->reconcile({"ETHBTC"});
    // Within the grace the never-sent order may still appear: refuse, and say when to retry.
    REQUIRE(!early.ok());
    CHECK(early.error().find(committed_only_id) != std::string::npos);
    CHECK(early.error().find("not trading") != std::string::npos);
  }
  f.now_ns += 6'000'000'000;
  f.fills_seen.clear();
  auto executor = f.executor("after");
  auto report = executor->reconcile({"ETHBTC"});
  REQUIRE_MESSAGE(report.ok(), report.error());
  CHECK(executor->order(sent_id)->state == OrderState::kFilled);
  CHECK(executor->order(committed_only_id)->state == OrderState::kRejected);
  CHECK(report->fills_recovered == 1);
  CHECK(f.fills_seen.size() == 1);
  CHECK(report->balances.size() == 2);
  CHECK(f.stored(sent_id)->state == "filled");
  CHECK(f.venue.place_calls == 2);  // nothing was placed again
}

// Regression, issue 13: one open STOP_LOSS_LIMIT placed by hand on the traded symbol refused
// startup ("openOrders[]: unsupported order type") and failed every periodic resync.
TEST_CASE("regression_foreign_stop_loss_limit_never_breaks_reconciliation") {
  for (const auto action : {ExecutorConfig::ForeignOrders::kIgnore,
                            ExecutorConfig::ForeignOrders::kCancel,
                            ExecutorConfig::ForeignOrders::kAdopt}) {
    Fixture f;
    f.config.foreign_orders = action;
    auto executor = f.executor();
    VenueOrder stranger;
    stranger.symbol = "ETHBTC";
    stranger.client_order_id = "manual-1";
    stranger.order_id = 9;
    stranger.side = exchange::OrderSide::kSell;
    stranger.type = exchange::OrderType::kStopLossLimit;
    stranger.orig_qty = d("2");
    stranger.price = d("0.04");
    stranger.stop_price = d("0.041");
    stranger.order_list_id = 3;
    f.venue.orders["manual-1"] = stranger;
    auto report = executor->reconcile({"ETHBTC"});
    REQUIRE_MESSAGE(report.ok(), report.error());
    REQUIRE(report->foreign_orders.size() == 1);
    const std::string& line = report->foreign_orders[0];
    CHECK(line.find("ETHBTC SELL STOP_LOSS_LIMIT 2 @ 0.04 stop 0.041 (order list 3)") !=
          std::string::npos);
    CHECK(line.find("manual-1") != std::string::npos);
    switch (action) {
      case ExecutorConfig::ForeignOrders::kIgnore:
        CHECK(line.find("ignored") != std::string::npos);
        CHECK(executor->foreign_orders().count("manual-1") == 1);
        CHECK(f.venue.cancel_calls == 0);
        CHECK(executor->order("manual-1") == nullptr);
        break;
      case ExecutorConfig::ForeignOrders::kCancel:
        CHECK(line.find("cancelled") != std::string::npos);
        CHECK(f.venue.cancel_calls == 1);
        CHECK(f.venue.orders["manual-1"].status == VenueOrderStatus::kCanceled);
        break;
      case ExecutorConfig::ForeignOrders::kAdopt:
        CHECK(line.find("adopted") != std::string::npos);
        REQUIRE(executor->order("manual-1") != nullptr);
        CHECK(executor->order("manual-1")->request.type == exchange::OrderType::kStopLossLimit);
        CHECK(f.stored("manual-1")->type == "STOP_LOSS_LIMIT");
        break;
    }
    // A second resync is just as calm.
    CHECK(executor->reconcile({"ETHBTC"}).ok());
  }

  Fixture g;
  auto other = g.executor();
  g.venue.fail_reads = true;
  auto down = other->reconcile({"ETHBTC"});
  REQUIRE(!down.ok());
  CHECK(down.error().find("cannot list open orders") != std::string::npos);
  CHECK(down.error().find("cannot read balances") != std::string::npos);
}

// Regression, issue 13: PENDING_CANCEL was taken as final, so a fill after it was lost.
TEST_CASE("regression_pending_cancel_is_not_final") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    VenueOrder placed = ack(request, VenueOrderStatus::kNew, 10);
    f.venue.orders[request.client_order_id] = placed;
    return VenueResult<VenueOrder>::success(placed);
  };
  auto id = executor->submit(buy("1"));
  REQUIRE(id.ok());
  exchange::ExecutionReport pending;
  pending.order = f.venue.orders[*id];
  pending.order.status = VenueOrderStatus::kPendingCancel;
  pending.order.update_time_ms = 11;
  pending.execution_type = "CANCELED";
  executor->on_execution_report(pending);
  CHECK_FALSE(is_terminal(executor->order(*id)->state));
  exchange::ExecutionReport filled = pending;
  filled.order.status = VenueOrderStatus::kFilled;
  filled.order.executed_qty = d("1");
  filled.order.update_time_ms = 12;
  filled.execution_type = "TRADE";
  exchange::VenueTrade trade;
  trade.symbol = "ETHBTC";
  trade.trade_id = 5;
  trade.quantity = d("1");
  trade.price = d("0.04995");
  filled.fill = trade;
  executor->on_execution_report(filled);
  CHECK(executor->order(*id)->state == OrderState::kFilled);
  CHECK(f.fills_seen.size() == 1);
}

// Regression, issue 13: a REPLACED (amended) order's new quantity was ignored.
TEST_CASE("regression_replaced_order_takes_its_new_quantity") {
  Fixture f;
  auto executor = f.executor();
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    VenueOrder placed = ack(request, VenueOrderStatus::kNew, 10);
    f.venue.orders[request.client_order_id] = placed;
    return VenueResult<VenueOrder>::success(placed);
  };
  auto id = executor->submit(buy("2"));
  REQUIRE(id.ok());
  exchange::ExecutionReport amended;
  amended.order = f.venue.orders[*id];
  amended.order.orig_qty = d("1.5");
  amended.order.update_time_ms = 11;
  amended.execution_type = "REPLACED";
  amended.request_client_order_id = "amended-new-id";
  executor->on_execution_report(amended);
  CHECK(executor->order(*id)->request.quantity == d("1.5"));
  // (The journal row keeps the quantity as placed; a restart reads the amended one back from
  // the venue by query.)
  CHECK(f.stored(*id)->venue_update_ms == 11);
  // Later reports under the venue's new id still reach the order.
  exchange::ExecutionReport later = amended;
  later.order.client_order_id = "amended-new-id";
  later.order.status = VenueOrderStatus::kCanceled;
  later.order.update_time_ms = 12;
  later.execution_type = "CANCELED";
  later.request_client_order_id.clear();
  executor->on_execution_report(later);
  CHECK(executor->order(*id)->state == OrderState::kCancelled);
}

TEST_CASE("PERCENT_PRICE_BY_SIDE and a market order's notional use the venue's filter price") {
  Fixture f;
  auto executor = f.executor();
  exchange::SymbolFilters filters = eth_btc();
  filters.bid_multiplier_up = d("1.2");
  filters.bid_multiplier_down = d("0.8");
  filters.ask_multiplier_up = d("1.2");
  filters.ask_multiplier_down = d("0.8");
  filters.avg_price_mins = 5;
  filters.min_notional = d("0.06");
  filters.apply_min_to_market = true;
  executor->set_filters({filters});
  int sent = 0;
  f.venue.on_place = [&](const exchange::OrderRequest& request) {
    ++sent;
    return VenueResult<VenueOrder>::success(ack(request, VenueOrderStatus::kNew, 10));
  };
  // Before the venue's price is known, the intent's reference (the last close) stands in:
  // a limit at 0.04995 for 1.5 is inside 0.8-1.2 x 0.05.
  REQUIRE(executor->submit(buy("1.5")).ok());
  // The venue's average is 0.1: the same order is below 0.8 x 0.1, refused before sending.
  executor->set_filter_price("ETHBTC", d("0.1"));
  auto refused = executor->submit(buy("1.5"));
  REQUIRE(!refused.ok());
  CHECK(refused.error().find("PERCENT_PRICE_BY_SIDE") != std::string::npos);
  CHECK(sent == 1);
  // A market buy of 1 has no price: its notional is 1 x the filter price (0.1 >= 0.06) even
  // though the last close (0.05) would put it under minNotional.
  ApprovedIntent market = buy("1");
  market.type = exchange::OrderType::kMarket;
  auto placed = executor->submit(market);
  REQUIRE_MESSAGE(placed.ok(), placed.error());
  CHECK(sent == 2);
  executor->set_filter_price("ETHBTC", d("0.05"));
  auto small = executor->submit(market);
  REQUIRE(!small.ok());
  CHECK(small.error().find("NOTIONAL") != std::string::npos);
}
