// Position: one pair's long spot holding and the round trip (flat to flat) it belongs to.
// Thread-safety: not thread-safe; owned by its Portfolio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "model/backtest_records.hpp"

namespace cephalo {

// Average-cost accounting: a sell realises (sell price - average entry) x quantity minus its own
// fee and the share of entry fees that the sold quantity carried. Summed over a round trip this
// equals the ClosedTrade's pnl up to rounding; the ClosedTrade figures come from the fill sums
// directly.
class Position {
 public:
  // A sell that leaves less than this fraction of the quantity held is a close: doubles summing
  // lot-sized fills (0.1 + 0.2) leave dust that must not keep a round trip open forever.
  static constexpr double kDustFraction = 1e-9;

  struct SellOutcome {
    double realised_pnl = 0;            // quote currency, after this sell's fee and its entry fees
    std::optional<ClosedTrade> closed;  // set when the sell brought the position back to flat
  };

  explicit Position(std::string pair) : pair_(std::move(pair)) {}

  // Quantities in base, prices in quote per base, fees in quote, times in ns since epoch UTC.
  void buy(double quantity, double price, double fee, int64_t time_ns);
  // Precondition: quantity <= this->quantity() within kDustFraction (the portfolio checks it).
  SellOutcome sell(double quantity, double price, double fee, int64_t time_ns,
                   const std::string& exit_reason);

  const std::string& pair() const { return pair_; }
  bool flat() const { return quantity_ == 0; }
  double quantity() const { return quantity_; }
  double average_entry_price() const { return average_entry_price_; }
  int64_t entry_time_ns() const { return trip_entry_time_ns_; }
  double open_entry_fees() const { return open_entry_fees_; }
  // Valued at last_price: after entry fees, before any exit fee.
  double unrealised_pnl(double last_price) const;
  OpenPosition snapshot(double last_price) const;

 private:
  std::string pair_;
  double quantity_ = 0;
  double average_entry_price_ = 0;  // of the quantity still held
  double open_entry_fees_ = 0;      // entry fees carried by the quantity still held

  // The round trip in progress: sums of its fills, so the ClosedTrade reports them exactly.
  int64_t trip_entry_time_ns_ = 0;
  double trip_bought_ = 0;
  double trip_entry_price_ = 0;  // quantity-weighted average of the buys
  double trip_entry_value_ = 0;  // sum of quantity x price of the buys
  double trip_sold_ = 0;
  double trip_exit_price_ = 0;
  double trip_exit_value_ = 0;
  double trip_fees_ = 0;
};

}  // namespace cephalo
