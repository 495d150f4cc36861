// SimAccount: the property test's own simulated account (cash, signed positions, resting orders).
// Thread-safety: not thread-safe; one test thread.
#pragma once

#include <cephalo/tentacle.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "risk/account_view.hpp"

namespace cephalo::risk_test {

inline constexpr double kStartingEquity = 1.0;  // BTC: both pairs are quoted in it
inline constexpr double kFeeRate = 0.001;       // of notional, on every fill

struct RestingOrder {
  std::string symbol;
  cephalo_side side = CEPHALO_SIDE_BUY;
  double quantity = 0;
  double limit = 0;
};

// Cash and signed positions in one quote currency; every fill pays kFeeRate of its notional.
class SimAccount {
 public:
  double equity() const {
    double total = cash_;
    for (const auto& [symbol, quantity] : quantity_) total += quantity * mark_.at(symbol);
    return total;
  }
  double quantity(const std::string& symbol) const {
    auto found = quantity_.find(symbol);
    return found == quantity_.end() ? 0 : found->second;
  }
  double mark(const std::string& symbol) const { return mark_.at(symbol); }
  void set_mark(const std::string& symbol, double price) { mark_[symbol] = price; }
  std::vector<RestingOrder>& orders() { return orders_; }
  const std::vector<RestingOrder>& orders() const { return orders_; }
  const std::map<std::string, double>& marks() const { return mark_; }

  AccountView view() const {
    AccountView view;
    view.equity = equity();
    // Every pair with its mark, flat or not: the engine values resting orders at the mark.
    for (const auto& [symbol, price] : mark_)
      view.positions.push_back({symbol, quantity(symbol), price});
    for (const RestingOrder& order : orders_) {
      view.open_orders.push_back({order.symbol, order.side, order.quantity, order.limit});
    }
    return view;
  }

  // Books a fill; returns the round trip's pnl (after fees) when it brings the pair back to flat.
  std::optional<double> fill(const std::string& symbol, cephalo_side side, double quantity,
                             double price, double& out_fee) {
    const double notional = quantity * price;
    out_fee = notional * kFeeRate;
    const double cash_flow = (side == CEPHALO_SIDE_SELL ? notional : -notional) - out_fee;
    cash_ += cash_flow;
    trade_pnl_[symbol] += cash_flow;
    const double before = quantity_[symbol];
    double after = before + (side == CEPHALO_SIDE_BUY ? quantity : -quantity);
    if (before != 0 && std::fabs(after) <= 1e-12 * std::fabs(before)) after = 0;
    quantity_[symbol] = after;
    if (after != 0) return std::nullopt;
    const double pnl = trade_pnl_[symbol];
    trade_pnl_[symbol] = 0;
    return pnl;
  }

 private:
  double cash_ = kStartingEquity;
  std::map<std::string, double> quantity_, mark_, trade_pnl_;
  std::vector<RestingOrder> orders_;
};

}  // namespace cephalo::risk_test
