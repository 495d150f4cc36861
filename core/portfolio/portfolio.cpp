// Portfolio: cash in one quote currency, long spot positions per pair, round trips and equity.
// Thread-safety: not thread-safe; owned and driven by one thread (the event loop in a run).
#include "portfolio/portfolio.hpp"

#include <cmath>

#include "portfolio/amount_text.hpp"
#include "portfolio/pair_symbol.hpp"

namespace cephalo {

Result<Portfolio> Portfolio::create(std::string quote_currency, double starting_cash) {
  if (quote_currency.empty() || quote_currency.find('/') != std::string::npos) {
    return Error{"portfolio quote currency '" + quote_currency +
                 "' is not a currency name: give one like \"BTC\" or \"USDT\""};
  }
  if (!std::isfinite(starting_cash) || starting_cash < 0) {
    return Error{"portfolio starting cash " + amount_text(starting_cash) + " " + quote_currency +
                 " is not a finite amount >= 0"};
  }
  return Portfolio(std::move(quote_currency), starting_cash);
}

Status Portfolio::add_pair(std::string_view pair) {
  if (holdings_.find(pair) != holdings_.end()) return Ok{};
  auto parsed = parse_pair_symbol(pair);
  if (!parsed) return parsed.status();
  if (parsed->quote != quote_currency_) {
    return Error{"pair " + std::string(pair) + " is quoted in " + parsed->quote +
                 " but this portfolio keeps its cash in " + quote_currency_ +
                 ": every pair of one portfolio must share its quote currency"};
  }
  holdings_.emplace(std::string(pair), Holding{Position(std::string(pair))});
  return Ok{};
}

bool Portfolio::has_pair(std::string_view pair) const {
  return find(pair) != nullptr;
}

const Portfolio::Holding* Portfolio::find(std::string_view pair) const {
  auto found = holdings_.find(pair);
  return found == holdings_.end() ? nullptr : &found->second;
}

bool Portfolio::can_afford(double quantity, double price, double fee) const {
  return quantity * price + fee <= cash_;
}

Status Portfolio::check(const TradeFill& fill) const {
  return check(find(fill.pair), fill);
}

Status Portfolio::check(const Holding* holding, const TradeFill& fill) const {
  if (holding == nullptr) {
    return Error{"pair " + fill.pair + " is not registered with this portfolio"};
  }
  if (fill.side != CEPHALO_SIDE_BUY && fill.side != CEPHALO_SIDE_SELL) {
    return Error{"fill side " + std::to_string(fill.side) + " is neither buy nor sell"};
  }
  if (!std::isfinite(fill.quantity) || fill.quantity <= 0 || !std::isfinite(fill.price) ||
      fill.price <= 0 || !std::isfinite(fill.fee) || fill.fee < 0) {
    return Error{"fill of " + fill.pair + " needs quantity > 0, price > 0 and fee >= 0, got " +
                 amount_text(fill.quantity) + " at " + amount_text(fill.price) + " fee " +
                 amount_text(fill.fee)};
  }
  if (fill.side == CEPHALO_SIDE_BUY) {
    if (!can_afford(fill.quantity, fill.price, fill.fee)) {
      return Error{"insufficient funds: buying " + amount_text(fill.quantity) + " " + fill.pair +
                   " at " + amount_text(fill.price) + " needs " +
                   amount_text(fill.quantity * fill.price + fill.fee) + " " + quote_currency_ +
                   " including fee " + amount_text(fill.fee) + ", cash " + amount_text(cash_) +
                   " " + quote_currency_};
    }
    return Ok{};
  }
  const double held = holding->position.quantity();
  if (fill.quantity > held * (1 + Position::kDustFraction)) {
    return Error{"insufficient position: selling " + amount_text(fill.quantity) + " " + fill.pair +
                 " but only " + amount_text(held) + " is held (long-only spot: no short selling)"};
  }
  return Ok{};
}

Status Portfolio::apply(const TradeFill& fill) {
  auto found = holdings_.find(fill.pair);
  if (found == holdings_.end()) return check(nullptr, fill);
  return apply(found->second, fill);
}

Status Portfolio::apply(Holding& holding, const TradeFill& fill) {
  if (Status checked = check(&holding, fill); !checked) return checked;
  const double value = fill.quantity * fill.price;
  if (fill.side == CEPHALO_SIDE_BUY) {
    cash_ -= value + fill.fee;
    holding.position.buy(fill.quantity, fill.price, fill.fee, fill.time_ns);
  } else {
    cash_ += value - fill.fee;
    Position::SellOutcome outcome =
        holding.position.sell(fill.quantity, fill.price, fill.fee, fill.time_ns, fill.tag);
    realised_pnl_ += outcome.realised_pnl;
    if (outcome.closed) closed_trades_.push_back(std::move(*outcome.closed));
  }
  total_fees_ += fill.fee;
  // Until the first mark a position is worth what it was just traded at.
  if (!holding.marked) holding.last_price = fill.price;
  return Ok{};
}

Status Portfolio::mark(std::string_view pair, double price, int64_t time_ns) {
  auto found = holdings_.find(pair);
  if (found == holdings_.end()) {
    return Error{"cannot mark " + std::string(pair) + ": the pair is not registered"};
  }
  if (!std::isfinite(price) || price <= 0) {
    return Error{"cannot mark " + std::string(pair) + " at " + amount_text(price) +
                 ": a mark price must be finite and > 0"};
  }
  found->second.last_price = price;
  found->second.last_mark_ns = time_ns;
  found->second.marked = true;
  return Ok{};
}

Portfolio::Holding* Portfolio::holding(std::string_view pair) {
  auto found = holdings_.find(pair);
  return found == holdings_.end() ? nullptr : &found->second;
}

Status Portfolio::record_equity(int64_t time_ns) {
  if (!equity_curve_.empty()) {
    EquityPoint& last = equity_curve_.back();
    if (time_ns == last.time_ns) {
      last.equity = equity();
      return Ok{};
    }
    if (time_ns < last.time_ns) {
      return Error{"equity point at " + std::to_string(time_ns) + " ns is before the last one at " +
                   std::to_string(last.time_ns) + " ns: record equity in time order"};
    }
  }
  equity_curve_.push_back(EquityPoint{time_ns, equity()});
  return Ok{};
}

double Portfolio::position_quantity(std::string_view pair) const {
  const Holding* holding = find(pair);
  return holding == nullptr ? 0 : holding->position.quantity();
}

const Position* Portfolio::position(std::string_view pair) const {
  const Holding* holding = find(pair);
  return holding == nullptr ? nullptr : &holding->position;
}

double Portfolio::last_price(std::string_view pair) const {
  const Holding* holding = find(pair);
  return holding == nullptr ? 0 : holding->last_price;
}

double Portfolio::equity_of_every_pair() const {
  double equity = cash_;
  for (const auto& [pair, holding] : holdings_) {
    if (!holding.position.flat()) equity += holding.position.quantity() * holding.last_price;
  }
  return equity;
}

double Portfolio::unrealised_pnl() const {
  double total = 0;
  for (const auto& [pair, holding] : holdings_) {
    if (!holding.position.flat()) total += holding.position.unrealised_pnl(holding.last_price);
  }
  return total;
}

std::vector<OpenPosition> Portfolio::open_positions() const {
  std::vector<OpenPosition> open;
  for (const auto& [pair, holding] : holdings_) {
    if (!holding.position.flat()) open.push_back(holding.position.snapshot(holding.last_price));
  }
  return open;
}

}  // namespace cephalo
