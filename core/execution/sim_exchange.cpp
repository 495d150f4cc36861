// SimExchange: a deterministic simulated venue that fills orders against bars into a Portfolio.
// Thread-safety: not thread-safe; owned and driven by one thread (the event loop in a run).
#include "execution/sim_exchange.hpp"

#include <algorithm>
#include <cmath>

#include "execution/bar_touch.hpp"
#include "execution/price_grid.hpp"
#include "execution/slippage.hpp"
#include "model/market.hpp"
#include "portfolio/amount_text.hpp"

namespace cephalo {
namespace {

bool is_buy(cephalo_side side) {
  return side == CEPHALO_SIDE_BUY;
}
bool has_limit(cephalo_order_type type) {
  return type == CEPHALO_ORDER_LIMIT || type == CEPHALO_ORDER_STOP_LIMIT;
}
bool has_stop(cephalo_order_type type) {
  return type == CEPHALO_ORDER_STOP || type == CEPHALO_ORDER_STOP_LIMIT;
}
bool positive(double value) {
  return std::isfinite(value) && value > 0;
}

// Rank within one bar: what trades at the open first, then stops, then limits (see the header).
int bar_priority(const OpenOrder& order) {
  const cephalo_order_type type = order.request.type;
  if (type == CEPHALO_ORDER_MARKET || (type == CEPHALO_ORDER_STOP && order.triggered)) return 0;
  if (has_stop(type) && !order.triggered) return 1;
  return 2;
}

// The price a submit-time check values the order at: its limit, its stop, or the last close.
double reference_price(const OrderRequest& request, const Bar& bar) {
  if (has_limit(request.type)) return request.price;
  if (request.type == CEPHALO_ORDER_STOP) return request.stop_price;
  return bar.close;
}

std::string volume_limit_text(double share, const Bar& bar) {
  return "max_volume_share " + amount_text(share) + " of the bar's volume " +
         amount_text(bar.volume);
}

}  // namespace

Result<SimExchange> SimExchange::create(SimExchangeConfig config, Portfolio& portfolio) {
  Status valid = validate(config);
  if (!valid) return valid;
  std::string refused;
  for (const auto& [pair, rules] : config.markets) {
    if (Status added = portfolio.add_pair(pair); !added) refused += "\n  " + added.error();
  }
  if (!refused.empty()) return Error{"simulated exchange cannot trade its markets:" + refused};
  return SimExchange(std::move(config), portfolio);
}

SimExchange::SimExchange(SimExchangeConfig config, Portfolio& portfolio)
    : config_(std::move(config)), portfolio_(&portfolio) {
  for (const auto& [pair, rules] : config_.markets) {
    markets_.emplace(pair, MarketHandle{&rules, portfolio_->holding(pair), &bar_volume_[pair]});
  }
}

std::string SimExchange::refusal(OrderRequest& request, const Bar& bar, MarketHandle& handle) {
  auto market = markets_.find(request.symbol);
  if (market == markets_.end()) {
    std::string known;
    for (const auto& [pair, rules] : config_.markets) known += (known.empty() ? "" : ", ") + pair;
    return "pair " + request.symbol + " is not traded by this exchange (configured: " + known + ")";
  }
  if (bar.symbol != request.symbol) {
    return "order for " + request.symbol + " was submitted with a bar of " + bar.symbol;
  }
  if (request.client_order_id.empty()) return "client_order_id is empty";
  for (const WorkingOrder& working : orders_) {
    if (!working.done && working.order.request.client_order_id == request.client_order_id) {
      return "client_order_id '" + request.client_order_id + "' is already used by an open order";
    }
  }
  if (request.side != CEPHALO_SIDE_BUY && request.side != CEPHALO_SIDE_SELL) {
    return "side " + std::to_string(request.side) + " is neither buy nor sell";
  }
  if (request.type < CEPHALO_ORDER_MARKET || request.type > CEPHALO_ORDER_STOP_LIMIT) {
    return "order type " + std::to_string(request.type) + " is unknown";
  }
  if (request.tif < CEPHALO_TIF_GTC || request.tif > CEPHALO_TIF_FOK) {
    return "time in force " + std::to_string(request.tif) + " is unknown";
  }
  if (!positive(request.quantity)) {
    return "quantity must be > 0, got " + amount_text(request.quantity);
  }
  if (has_limit(request.type) && !positive(request.price)) {
    return std::string(order_type_name(request.type)) + " order needs a limit price > 0, got " +
           amount_text(request.price);
  }
  if (has_stop(request.type) && !positive(request.stop_price)) {
    return std::string(order_type_name(request.type)) + " order needs a stop price > 0, got " +
           amount_text(request.stop_price);
  }

  handle = market->second;
  const MarketRules& rules = *handle.rules;
  const double asked_quantity = request.quantity;
  request.quantity = snap_to_step(request.quantity, rules.lot_step, Rounding::kDown);
  if (request.quantity <= 0) {
    return "quantity " + amount_text(asked_quantity) + " is below the lot step " +
           amount_text(rules.lot_step) + " of " + request.symbol;
  }
  const Rounding safe = is_buy(request.side) ? Rounding::kDown : Rounding::kUp;
  if (has_limit(request.type)) {
    const double asked = request.price;
    request.price = snap_to_step(request.price, rules.tick_size, safe);
    if (request.price <= 0) {
      return "limit price " + amount_text(asked) + " rounds to 0 at the tick " +
             amount_text(rules.tick_size) + " of " + request.symbol;
    }
  }
  if (has_stop(request.type)) {
    const double asked = request.stop_price;
    request.stop_price = snap_to_step(request.stop_price, rules.tick_size, safe);
    if (request.stop_price <= 0) {
      return "stop price " + amount_text(asked) + " rounds to 0 at the tick " +
             amount_text(rules.tick_size) + " of " + request.symbol;
    }
  }
  const double price = reference_price(request, bar);
  const double notional = request.quantity * price;
  if (notional < rules.min_notional) {
    const std::string& quote = portfolio_->quote_currency();
    return "notional " + amount_text(notional) + " " + quote + " (quantity " +
           amount_text(request.quantity) + " x price " + amount_text(price) +
           ") is below the minimum notional " + amount_text(rules.min_notional) + " " + quote +
           " of " + request.symbol;
  }
  return "";
}

std::vector<ExecutionReport> SimExchange::submit(const OrderRequest& request,
                                                 const Bar& current_bar) {
  std::vector<ExecutionReport> reports;
  submit(OrderRequest(request), current_bar, reports);
  return reports;
}

void SimExchange::submit(OrderRequest&& request, const Bar& current_bar,
                         std::vector<ExecutionReport>& reports) {
  MarketHandle market;
  if (std::string why = refusal(request, current_bar, market); !why.empty()) {
    const double price =
        positive(reference_price(request, current_bar)) ? reference_price(request, current_bar) : 0;
    reject(request, 0, request.time_ns, request.quantity, price, std::move(why), reports);
    return;
  }
  // The order is built in place at the back of orders_ and taken off again if it fills at once:
  // the request's strings move once, into the order, and the reports copy them from there.
  WorkingOrder& working = orders_.emplace_back(
      WorkingOrder{OpenOrder{std::move(request), 0, 0, false, current_bar.open_time_ns}, false});
  OpenOrder& order = working.order;
  order.remaining_quantity = order.request.quantity;
  reports.push_back(ExecutionReport{OrderUpdate::kAccepted, order.request.client_order_id,
                                    order.request.symbol, order.request.time_ns, 0,
                                    order.request.quantity, std::nullopt, ""});
  if (order.request.type == CEPHALO_ORDER_MARKET &&
      config_.market_fill == MarketFill::kSignalClose) {
    const Trade at{current_bar.close, Liquidity::kTaker, true, current_bar.close_time_ns};
    if (trade(order, at, current_bar, market, reports)) orders_.pop_back();
  }
}

std::vector<ExecutionReport> SimExchange::fill_protective_exit(const OrderRequest& request,
                                                               const Bar& bar, double price,
                                                               bool at_open, Liquidity liquidity) {
  std::vector<ExecutionReport> reports;
  fill_protective_exit(OrderRequest(request), bar, price, at_open, liquidity, reports);
  return reports;
}

void SimExchange::fill_protective_exit(OrderRequest&& request, const Bar& bar, double price,
                                       bool at_open, Liquidity liquidity,
                                       std::vector<ExecutionReport>& reports) {
  request.type = CEPHALO_ORDER_MARKET;
  request.tif = CEPHALO_TIF_IOC;
  MarketHandle market;
  if (std::string why = refusal(request, bar, market); !why.empty()) {
    reject(request, 0, request.time_ns, request.quantity, price, std::move(why), reports);
    return;
  }
  const double quantity = request.quantity;
  OpenOrder order{std::move(request), 0, quantity, true, bar.open_time_ns};
  reports.push_back(ExecutionReport{OrderUpdate::kAccepted, order.request.client_order_id,
                                    order.request.symbol, order.request.time_ns, 0, quantity,
                                    std::nullopt, ""});
  const Trade at{price, liquidity, liquidity == Liquidity::kTaker,
                 at_open ? bar.open_time_ns : bar.close_time_ns};
  trade(order, at, bar, market, reports);
}

std::vector<ExecutionReport> SimExchange::on_bar(const Bar& bar) {
  std::vector<ExecutionReport> reports;
  on_bar(bar, market(bar.symbol), reports);
  return reports;
}

SimExchange::MarketHandle SimExchange::market(std::string_view symbol) {
  const auto found = markets_.find(symbol);
  return found == markets_.end() ? MarketHandle{} : found->second;
}

void SimExchange::match_resting_orders(const Bar& bar, const MarketHandle& market,
                                       std::vector<ExecutionReport>& reports) {
  std::vector<size_t>& live = live_;
  live.clear();
  for (size_t i = 0; i < orders_.size(); ++i) {
    const OpenOrder& order = orders_[i].order;
    if (order.request.symbol == bar.symbol && order.placed_bar_open_ns < bar.open_time_ns) {
      live.push_back(i);
    }
  }
  if (live.empty()) return;
  std::stable_sort(live.begin(), live.end(), [this](size_t a, size_t b) {
    return bar_priority(orders_[a].order) < bar_priority(orders_[b].order);
  });

  for (size_t index : live) {
    WorkingOrder& working = orders_[index];
    OpenOrder& order = working.order;
    const OrderRequest& request = order.request;
    const BarTouch touch = touch_in_bar(request.type, request.side, order.triggered, request.price,
                                        request.stop_price, bar);
    order.triggered = order.triggered || touch.triggered;
    const bool live_now = !has_stop(request.type) || order.triggered;
    if (!touch.fills) {
      if (live_now && request.tif != CEPHALO_TIF_GTC) {
        expire(order, bar.close_time_ns,
               std::string(time_in_force_name(request.tif)) + " " + order_type_name(request.type) +
                   " order found no price to trade at in the bar",
               reports);
        working.done = true;
      }
      continue;
    }
    const Trade at{touch.price, touch.liquidity, touch.slipped,
                   touch.at_open ? bar.open_time_ns : bar.close_time_ns};
    working.done = trade(order, at, bar, market, reports);
  }
  erase_done();
}

bool SimExchange::trade(OpenOrder& order, const Trade& at, const Bar& bar,
                        const MarketHandle& market, std::vector<ExecutionReport>& reports) {
  const OrderRequest& request = order.request;
  const MarketRules& rules = *market.rules;
  const double wanted = order.remaining_quantity;
  double quantity = wanted;
  BarVolume& volume = *market.volume;
  if (volume.bar_open_ns != bar.open_time_ns) volume = BarVolume{bar.open_time_ns, 0};
  if (config_.max_volume_share > 0) {
    const double room = std::max(0.0, config_.max_volume_share * bar.volume - volume.taken);
    quantity = std::min(wanted, snap_to_step(room, rules.lot_step, Rounding::kDown));
  }
  if (request.tif == CEPHALO_TIF_FOK && quantity < wanted) {
    expire(order, at.time_ns,
           "fok order for " + amount_text(wanted) + " could fill only " + amount_text(quantity) +
               " in the bar (" + volume_limit_text(config_.max_volume_share, bar) + ")",
           reports);
    return true;
  }
  if (quantity <= 0) {
    if (request.tif == CEPHALO_TIF_GTC) return false;  // waits for a bar with volume left
    expire(order, at.time_ns,
           "ioc order found no volume left in the bar (" +
               volume_limit_text(config_.max_volume_share, bar) + ")",
           reports);
    return true;
  }

  double price = at.price;
  if (at.slipped) {
    const double bps = slippage_bps(config_.slippage, quantity, bar.volume);
    if (bps != 0) {
      price = snap_to_step(slipped_price(request.side, price, bps), rules.tick_size,
                           is_buy(request.side) ? Rounding::kUp : Rounding::kDown);
    }
  }
  const double rate = at.liquidity == Liquidity::kMaker ? config_.maker_fee : config_.taker_fee;
  const TradeFill booked{request.symbol,          request.side, quantity,   price,
                         quantity * price * rate, at.time_ns,   request.tag};
  if (Status applied = portfolio_->apply(*market.holding, booked); !applied) {
    reject(request, order.filled_quantity, at.time_ns, quantity, price, applied.error(), reports);
    return true;
  }
  volume.taken += quantity;
  order.filled_quantity += quantity;
  order.remaining_quantity = quantity == wanted ? 0 : wanted - quantity;

  SimFill fill{request.client_order_id,
               "sim-" + std::to_string(++trades_),
               request.symbol,
               request.side,
               quantity,
               price,
               booked.fee,
               portfolio_->quote_currency(),
               at.liquidity,
               at.time_ns};
  const bool filled = order.remaining_quantity == 0;
  reports.push_back(ExecutionReport{filled ? OrderUpdate::kFilled : OrderUpdate::kPartiallyFilled,
                                    request.client_order_id, request.symbol, at.time_ns,
                                    order.filled_quantity, order.remaining_quantity,
                                    std::move(fill), ""});
  if (filled) return true;
  if (request.tif == CEPHALO_TIF_IOC) {
    expire(order, at.time_ns,
           "ioc order left " + amount_text(order.remaining_quantity) + " unfilled (" +
               volume_limit_text(config_.max_volume_share, bar) + ")",
           reports);
    return true;
  }
  return false;
}

void SimExchange::expire(OpenOrder& order, int64_t time_ns, std::string reason,
                         std::vector<ExecutionReport>& reports) const {
  order.remaining_quantity = 0;
  reports.push_back(ExecutionReport{OrderUpdate::kExpired, order.request.client_order_id,
                                    order.request.symbol, time_ns, order.filled_quantity, 0,
                                    std::nullopt, std::move(reason)});
}

void SimExchange::reject(const OrderRequest& request, double filled_quantity, int64_t time_ns,
                         double quantity, double price, std::string reason,
                         std::vector<ExecutionReport>& reports) {
  rejected_.push_back(
      RejectedOrder{request.symbol, time_ns, side_name(request.side), quantity, price, reason});
  reports.push_back(ExecutionReport{OrderUpdate::kRejected, request.client_order_id, request.symbol,
                                    time_ns, filled_quantity, 0, std::nullopt, std::move(reason)});
}

Result<ExecutionReport> SimExchange::cancel(std::string_view client_order_id, int64_t time_ns) {
  for (WorkingOrder& working : orders_) {
    OpenOrder& order = working.order;
    if (working.done || order.request.client_order_id != client_order_id) continue;
    working.done = true;
    ExecutionReport report{OrderUpdate::kCancelled,
                           order.request.client_order_id,
                           order.request.symbol,
                           time_ns,
                           order.filled_quantity,
                           0,
                           std::nullopt,
                           "cancelled on request"};
    erase_done();
    return report;
  }
  return Error{"cannot cancel '" + std::string(client_order_id) +
               "': no open order has that client_order_id"};
}

std::vector<OpenOrder> SimExchange::open_orders() const {
  std::vector<OpenOrder> open;
  for (const WorkingOrder& working : orders_) {
    if (!working.done) open.push_back(working.order);
  }
  return open;
}

void SimExchange::erase_done() {
  std::erase_if(orders_, [](const WorkingOrder& working) { return working.done; });
}

}  // namespace cephalo
