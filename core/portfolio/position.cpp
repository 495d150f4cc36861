// Position: one pair's long spot holding and the round trip (flat to flat) it belongs to.
// Thread-safety: not thread-safe; owned by its Portfolio.
#include "portfolio/position.hpp"

namespace cephalo {
namespace {

// A single fill keeps its own price exactly; (q x p) / q need not give back p in doubles.
double weighted_average(double old_average, double old_quantity, double price, double quantity) {
  if (old_quantity == 0) return price;
  return (old_average * old_quantity + price * quantity) / (old_quantity + quantity);
}

}  // namespace

void Position::buy(double quantity, double price, double fee, int64_t time_ns) {
  if (quantity_ == 0 && trip_bought_ == 0) trip_entry_time_ns_ = time_ns;
  average_entry_price_ = weighted_average(average_entry_price_, quantity_, price, quantity);
  quantity_ += quantity;
  open_entry_fees_ += fee;

  trip_entry_price_ = weighted_average(trip_entry_price_, trip_bought_, price, quantity);
  trip_bought_ += quantity;
  trip_entry_value_ += quantity * price;
  trip_fees_ += fee;
}

Position::SellOutcome Position::sell(double quantity, double price, double fee, int64_t time_ns,
                                     const std::string& exit_reason) {
  SellOutcome outcome;
  const bool closes = quantity >= quantity_ * (1 - kDustFraction);
  const double share = closes ? 1.0 : quantity / quantity_;
  const double carried_fees = closes ? open_entry_fees_ : open_entry_fees_ * share;
  outcome.realised_pnl = (price - average_entry_price_) * quantity - fee - carried_fees;

  open_entry_fees_ -= carried_fees;
  quantity_ = closes ? 0 : quantity_ - quantity;

  trip_exit_price_ = weighted_average(trip_exit_price_, trip_sold_, price, quantity);
  trip_sold_ += quantity;
  trip_exit_value_ += quantity * price;
  trip_fees_ += fee;
  if (!closes) return outcome;

  ClosedTrade trade;
  trade.pair = pair_;
  trade.entry_time_ns = trip_entry_time_ns_;
  trade.entry_price = trip_entry_price_;
  trade.exit_time_ns = time_ns;
  trade.exit_price = trip_exit_price_;
  trade.quantity = trip_bought_;
  trade.fees = trip_fees_;
  trade.pnl = trip_exit_value_ - trip_entry_value_ - trip_fees_;
  trade.exit_reason = exit_reason;
  outcome.closed = std::move(trade);

  average_entry_price_ = 0;
  open_entry_fees_ = 0;
  trip_entry_time_ns_ = 0;
  trip_bought_ = trip_entry_price_ = trip_entry_value_ = 0;
  trip_sold_ = trip_exit_price_ = trip_exit_value_ = 0;
  trip_fees_ = 0;
  return outcome;
}

double Position::unrealised_pnl(double last_price) const {
  return (last_price - average_entry_price_) * quantity_ - open_entry_fees_;
}

OpenPosition Position::snapshot(double last_price) const {
  OpenPosition open;
  open.pair = pair_;
  open.entry_time_ns = trip_entry_time_ns_;
  open.entry_price = average_entry_price_;
  open.quantity = quantity_;
  open.fees = open_entry_fees_;
  open.last_price = last_price;
  open.unrealised_pnl = unrealised_pnl(last_price);
  return open;
}

}  // namespace cephalo
