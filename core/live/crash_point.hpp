// Test-only crash points for live trading: CEPHALO_CRASH_AT=<point> makes the bot kill itself
// with SIGKILL (no cleanup, no flush) the first time it reaches that point, so the crash tests
// can prove what a restart recovers. Inert unless the variable is set.
// Thread-safety: CrashPoints is immutable after construction; reach() may be called from any
// thread. The decorators are as thread-safe as what they wrap.
//
// Points (the names CEPHALO_CRASH_AT takes):
//   after_commit       an order row is durable in orders_live, the request has not left
//   after_send         the venue accepted the order, its answer has not been applied or stored
//   before_fill_stored a fill was received, it is not stored yet
// Cost when unset: one compare of an enum per order and per fill, nothing per market event.
#pragma once

#include <string_view>

#include "exchange/exchange_connector.hpp"
#include "orders/order_journal.hpp"

namespace cephalo {

enum class CrashPoint { kNone, kAfterCommit, kAfterSend, kBeforeFillStored };

class CrashPoints {
 public:
  CrashPoints() = default;
  explicit CrashPoints(CrashPoint armed) : armed_(armed) {}
  // Reads CEPHALO_CRASH_AT; an unknown name arms nothing (and is reported by `problem`).
  static CrashPoints from_environment(std::string& out_problem);

  void reach(CrashPoint point) const {
    if (point == armed_) [[unlikely]]
      crash();
  }
  bool armed() const { return armed_ != CrashPoint::kNone; }

 private:
  [[noreturn]] static void crash();
  CrashPoint armed_ = CrashPoint::kNone;
};

// The order journal with the after_commit and before_fill_stored points.
class CrashPointJournal final : public orders::OrderJournal {
 public:
  CrashPointJournal(orders::OrderJournal& inner, CrashPoints points)
      : inner_(inner), points_(points) {}
  Status commit_order(const LiveOrderRecord& order) override;
  void record_fill(const FillRecord& fill) override;
  Result<std::vector<LiveOrderRecord>> orders() const override { return inner_.orders(); }
  Result<std::vector<FillRecord>> fills() const override { return inner_.fills(); }

 private:
  orders::OrderJournal& inner_;
  CrashPoints points_;
};

// The connector with the after_send point; everything else is passed through.
class CrashPointConnector final : public exchange::ExchangeConnector {
 public:
  CrashPointConnector(exchange::ExchangeConnector& inner, CrashPoints points)
      : inner_(inner), points_(points) {}

  exchange::VenueResult<int64_t> server_time_ms() override { return inner_.server_time_ms(); }
  exchange::VenueResult<exchange::ExchangeInfo> exchange_info(
      const std::vector<std::string>& symbols) override {
    return inner_.exchange_info(symbols);
  }
  exchange::VenueResult<bool> test_order(const exchange::OrderRequest& request) override {
    return inner_.test_order(request);
  }
  exchange::VenueResult<exchange::AccountInfo> account() override { return inner_.account(); }
  exchange::VenueResult<exchange::VenueOrder> place_order(
      const exchange::OrderRequest& request) override {
    auto placed = inner_.place_order(request);
    if (placed.ok()) points_.reach(CrashPoint::kAfterSend);
    return placed;
  }
  exchange::VenueResult<exchange::VenueOrder> cancel_order(
      const std::string& symbol, const std::string& client_order_id) override {
    return inner_.cancel_order(symbol, client_order_id);
  }
  exchange::VenueResult<exchange::VenueOrder> query_order(
      const std::string& symbol, const std::string& client_order_id) override {
    return inner_.query_order(symbol, client_order_id);
  }
  exchange::VenueResult<std::vector<exchange::VenueOrder>> open_orders(
      const std::string& symbol) override {
    return inner_.open_orders(symbol);
  }
  exchange::VenueResult<std::vector<exchange::Balance>> balances() override {
    return inner_.balances();
  }
  exchange::VenueResult<std::vector<exchange::VenueTrade>> trades(const std::string& symbol,
                                                                  int64_t from_trade_id) override {
    return inner_.trades(symbol, from_trade_id);
  }
  exchange::VenueResult<std::vector<exchange::VenueTrade>> order_trades(
      const std::string& symbol, int64_t venue_order_id) override {
    return inner_.order_trades(symbol, venue_order_id);
  }
  exchange::VenueResult<std::vector<exchange::KlineBar>> klines(const std::string& symbol,
                                                                const std::string& interval,
                                                                int64_t start_ms, int64_t end_ms,
                                                                int limit) override {
    return inner_.klines(symbol, interval, start_ms, end_ms, limit);
  }
  exchange::VenueResult<exchange::FilterPrice> filter_price(const std::string& symbol) override {
    return inner_.filter_price(symbol);
  }

 private:
  exchange::ExchangeConnector& inner_;
  CrashPoints points_;
};

}  // namespace cephalo
