// Portfolio: cash in one quote currency, long spot positions per pair, round trips and equity.
// Thread-safety: not thread-safe; owned and driven by one thread (the event loop in a run).
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/backtest_records.hpp"
#include "model/result.hpp"
#include "portfolio/position.hpp"
#include "portfolio/trade_fill.hpp"

namespace cephalo {

// Every pair shares the one quote currency, so cash, fees, pnl and equity are all plain sums in it.
// Long-only spot: a fill that would sell more than is held or spend more than the cash is refused,
// never shrunk. Deterministic: no clock, no randomness; the caller supplies every time.
class Portfolio {
 public:
  // Refuses an empty or "A/B"-shaped currency and a negative or non-finite starting cash.
  static Result<Portfolio> create(std::string quote_currency, double starting_cash);

  // Registers a "BASE/QUOTE" pair; refuses a malformed symbol or another quote currency.
  // Registering twice is harmless.
  Status add_pair(std::string_view pair);
  bool has_pair(std::string_view pair) const;

  // Cash needed for a buy of `quantity` (base) at `price` (quote) paying `fee` (quote).
  bool can_afford(double quantity, double price, double fee) const;
  // Why the account cannot take this fill (unknown pair, bad numbers, insufficient funds,
  // selling more than is held), or Ok. apply() runs the same checks.
  Status check(const TradeFill& fill) const;
  // Books the fill: cash, fees, the position and, when it closes one, the round trip.
  Status apply(const TradeFill& fill);

  // apply(fill) on a holding found once by holding(fill.pair): the same checks and booking,
  // without looking the pair up by name (twice) on every fill.
  class Holding;  // defined below
  Status apply(Holding& holding, const TradeFill& fill);

  // Values the pair at `price` (quote) from `time_ns` on; positions are worth their last mark.
  Status mark(std::string_view pair, double price, int64_t time_ns);

  // A registered pair's book entry, found once by name: a per-bar caller marks through it
  // without a lookup. Stays valid for the portfolio's lifetime (pairs are never removed).
  Holding* holding(std::string_view pair);
  // The same as mark(pair, ...); a non-finite or non-positive price leaves the last mark.
  // Inline (defined below Holding): the exchange marks every bar through it.
  static void mark(Holding& holding, double price, int64_t time_ns);
  // Appends equity() at `time_ns`. Call once per bar time after every pair at that time was
  // marked; the same time again replaces the last point, an earlier time is refused.
  Status record_equity(int64_t time_ns);

  const std::string& quote_currency() const { return quote_currency_; }
  double starting_cash() const { return starting_cash_; }
  double cash() const { return cash_; }
  // Base units held; 0 for a flat or unknown pair.
  double position_quantity(std::string_view pair) const;
  // nullptr for an unknown pair. A flat pair has a Position with quantity 0.
  const Position* position(std::string_view pair) const;
  // The last mark of the pair (or the price of its last fill if never marked); 0 if neither.
  double last_price(std::string_view pair) const;

  // Cash plus every position at its last price, in quote currency; no exit fees deducted.
  // Inline for one pair (most backtests, asked after every candle): the same sum, no tree walk.
  double equity() const {
    if (holdings_.size() != 1) return equity_of_every_pair();
    const Holding& holding = holdings_.begin()->second;
    return holding.position.flat() ? cash_
                                   : cash_ + holding.position.quantity() * holding.last_price;
  }
  double realised_pnl() const { return realised_pnl_; }
  double unrealised_pnl() const;
  double total_fees() const { return total_fees_; }

  const std::vector<ClosedTrade>& closed_trades() const { return closed_trades_; }
  // Non-flat positions in pair order, valued at their last price.
  std::vector<OpenPosition> open_positions() const;
  const std::vector<EquityPoint>& equity_curve() const { return equity_curve_; }

 private:
 public:
  class Holding {
   public:
    explicit Holding(Position held) : position(std::move(held)) {}
    Position position;
    double last_price = 0;  // quote per base
    int64_t last_mark_ns = 0;
    bool marked = false;
  };

 private:
  Portfolio(std::string quote_currency, double starting_cash)
      : quote_currency_(std::move(quote_currency)),
        starting_cash_(starting_cash),
        cash_(starting_cash) {}
  const Holding* find(std::string_view pair) const;
  double equity_of_every_pair() const;
  // check(fill) with the pair's holding already found (nullptr: not registered).
  Status check(const Holding* holding, const TradeFill& fill) const;

  std::string quote_currency_;
  double starting_cash_ = 0;
  double cash_ = 0;
  double realised_pnl_ = 0;
  double total_fees_ = 0;
  // std::map: iteration in pair order keeps equity sums and listings identical on every run.
  std::map<std::string, Holding, std::less<>> holdings_;
  std::vector<ClosedTrade> closed_trades_;
  std::vector<EquityPoint> equity_curve_;
};

inline void Portfolio::mark(Holding& holding, double price, int64_t time_ns) {
  if (!std::isfinite(price) || price <= 0) return;
  holding.last_price = price;
  holding.last_mark_ns = time_ns;
  holding.marked = true;
}

}  // namespace cephalo
