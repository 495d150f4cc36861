// The host services tentacles call: portfolio, indicators, position sizing, logging, the clock,
// candle history, timers, and commands and queries through the command/query set.
// Thread-safety: see pipeline.hpp.
#include "host/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "host/abi_event.hpp"
#include "model/market.hpp"
#include "risk/position_sizing.hpp"

namespace cephalo {

namespace {

spdlog::level::level_enum spdlog_level(cephalo_log_level level) {
  switch (level) {
    case CEPHALO_LOG_TRACE:
      return spdlog::level::trace;
    case CEPHALO_LOG_DEBUG:
      return spdlog::level::debug;
    case CEPHALO_LOG_INFO:
      return spdlog::level::info;
    case CEPHALO_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

}  // namespace

cephalo_status Pipeline::portfolio_cash(TentacleInstance& from, double* out_cash) {
  ExecutionVenue* venue = slots_[from.slot()].venue;
  if (venue == nullptr) return CEPHALO_UNSUPPORTED;
  *out_cash = venue->cash();
  return CEPHALO_OK;
}

cephalo_status Pipeline::portfolio_position(TentacleInstance& from, const char* symbol,
                                            double* out_quantity, double* out_average_price) {
  ExecutionVenue* venue = slots_[from.slot()].venue;
  if (venue == nullptr) return CEPHALO_UNSUPPORTED;
  venue->position(symbol, *out_quantity, *out_average_price);
  return CEPHALO_OK;
}

cephalo_status Pipeline::indicator(TentacleInstance& from, const char* symbol,
                                   const char* timeframe, const char* spec, double* out_values,
                                   uint32_t capacity, uint32_t* out_count) {
  cephalo_status status = CEPHALO_OK;
  if (indicators_.cached_values(symbol, timeframe, spec, out_values, capacity, out_count, status)) {
    return status;
  }
  const Name symbol_name = names_.intern(symbol);
  const Name timeframe_name = names_.intern(timeframe);
  std::string error;
  status = indicators_.values(symbol_name, timeframe_name, spec,
                              history_.find(symbol_name, timeframe_name), out_values, capacity,
                              out_count, error);
  if (!error.empty()) from.refuse(error);
  return status;
}

cephalo_status Pipeline::indicator_handle(TentacleInstance& from, const char* symbol,
                                          const char* timeframe, const char* spec,
                                          uint64_t* out_handle) {
  const Name symbol_name = names_.intern(symbol);
  const Name timeframe_name = names_.intern(timeframe);
  std::string error;
  *out_handle = indicators_.handle(symbol_name, timeframe_name, spec,
                                   history_.find(symbol_name, timeframe_name), error);
  if (*out_handle != 0) return CEPHALO_OK;
  from.refuse(error);
  return CEPHALO_INVALID_ARGUMENT;
}

cephalo_status Pipeline::position_size(TentacleInstance& from,
                                       const cephalo_sizing_request& request,
                                       cephalo_sizing_result& out_result) {
  // The slot's own sub-account and limits: a slot sizes against its share of the capital.
  const ExecutionVenue* venue = slots_[from.slot()].venue;
  const RiskEngine* risk = slots_[from.slot()].risk;
  if (venue == nullptr) {
    from.refuse("position_size: this run has no account to size against");
    return CEPHALO_UNSUPPORTED;
  }
  if (request.side != CEPHALO_SIDE_BUY && request.side != CEPHALO_SIDE_SELL) {
    from.refuse("position_size: side must be buy or sell");
    return CEPHALO_INVALID_ARGUMENT;
  }
  const double price = request.price > 0 ? request.price : venue->last_price(request.symbol);
  if (!(price > 0) || !std::isfinite(price)) {
    from.refuse(std::string("position_size: no price known for ") + request.symbol);
    return CEPHALO_NOT_FOUND;
  }
  // Without a risk engine the defaults still hold: a spot account cannot exceed its equity.
  const RiskConfig limits = risk != nullptr ? risk->config() : RiskConfig{};
  const AccountView account = venue->account_view();
  const double limit =
      entry_headroom_quantity(limits, account, request.symbol, request.side, price);
  const double unlimited = std::numeric_limits<double>::infinity();
  double wanted = 0;
  switch (request.method) {
    case CEPHALO_SIZING_FIXED_FRACTION:
      wanted = size_fixed_fraction(account.equity, price, request.value, unlimited);
      break;
    case CEPHALO_SIZING_RISK_PER_TRADE:
      if (!(request.stop_price > 0) || request.stop_price == price) {
        from.refuse("position_size: risk_per_trade needs a stop_price other than the price");
        return CEPHALO_INVALID_ARGUMENT;
      }
      wanted =
          size_risk_per_trade(account.equity, price, request.stop_price, request.value, unlimited);
      break;
    case CEPHALO_SIZING_VOLATILITY_TARGET:
      if (!(request.volatility > 0)) {
        from.refuse("position_size: volatility_target needs a volatility above 0");
        return CEPHALO_INVALID_ARGUMENT;
      }
      wanted = size_volatility_target(account.equity, price, request.value, request.volatility,
                                      unlimited);
      break;
    default:
      from.refuse("position_size: unknown method " + std::to_string(request.method));
      return CEPHALO_INVALID_ARGUMENT;
  }
  out_result.unclamped_quantity = wanted;
  out_result.limit_quantity = limit;
  out_result.quantity = std::min(wanted, limit);
  out_result.clamped = wanted > limit ? 1 : 0;
  return CEPHALO_OK;
}

void Pipeline::log(const TentacleInstance& from, cephalo_log_level level,
                   std::string_view message) {
  logger_->log(spdlog_level(level), "[{}] {}", from.name().view(), message);
}

int64_t Pipeline::now_ns() const {
  return loop_.clock().now_ns();
}

cephalo_status Pipeline::candle_history(const char* symbol, const char* timeframe,
                                        uint32_t max_count, cephalo_candle* out_candles,
                                        uint32_t* out_count) {
  *out_count = 0;
  const CandleRing* found = history_.find(names_.intern(symbol), names_.intern(timeframe));
  if (found == nullptr) return CEPHALO_NOT_FOUND;
  const CandleRing& series = *found;
  const size_t count = std::min<size_t>(max_count, series.size());
  const size_t first = series.size() - count;
  for (size_t i = 0; i < count; ++i) {
    const Candle& c = series[first + i];
    out_candles[i] = {sizeof(cephalo_candle),
                      0,
                      c.symbol.c_str(),
                      c.timeframe.c_str(),
                      c.open_time_ns,
                      c.open,
                      c.high,
                      c.low,
                      c.close,
                      c.volume};
  }
  *out_count = static_cast<uint32_t>(count);
  return CEPHALO_OK;
}

cephalo_status Pipeline::set_timer(TentacleInstance& from, int64_t first_due_ns, int64_t period_ns,
                                   uint64_t* out_timer_id) {
  *out_timer_id = timers_.set(from, first_due_ns, period_ns);
  return CEPHALO_OK;
}

cephalo_status Pipeline::cancel_timer(TentacleInstance& from, uint64_t timer_id) {
  return timers_.cancel(from, timer_id) ? CEPHALO_OK : CEPHALO_NOT_FOUND;
}

void Pipeline::fire_timer(const TimerFired& timer, const Event& event) {
  TentacleInstance* owner = timers_.fire(timer, [this](const TentacleInstance* instance) {
    return std::any_of(instances_.begin(), instances_.end(),
                       [instance](const auto& running) { return running.get() == instance; });
  });
  if (owner == nullptr) return;
  std::vector<TentacleInstance*> target{owner};
  deliver_to(target, AbiEvent(event).event);
}

cephalo_status Pipeline::command(TentacleInstance& from, std::string command_json) {
  if (control_ == nullptr) {
    from.refuse("send_command_json: this run has no command service");
    return CEPHALO_UNSUPPORTED;
  }
  const TentacleInstance* sender = &from;
  std::string name(from.name().view());
  control_->command(command_json, name, [this, sender, name](const CommandAnswer& answer) {
    answer_command(sender, name, answer);
  });
  return CEPHALO_OK;
}

std::string Pipeline::query(TentacleInstance& from, std::string_view request_json) {
  if (control_ == nullptr) {
    return R"({"version":1,"ok":false,"error":"this run has no query service"})";
  }
  return control_->query(request_json, std::string(from.name().view()));
}

void Pipeline::answer_command(const TentacleInstance* from, const std::string& from_name,
                              const CommandAnswer& answer) {
  if (answer.correlated) {
    // Only to the sender, and only while it runs: its threads read its own subscription.
    const auto alive = std::find(interfaces_.begin(), interfaces_.end(), from);
    if (alive == interfaces_.end()) return;
    const int64_t time_ns = now_ns();
    nlohmann::json event{{"sequence", loop_.dispatched()},
                         {"type", "command_result"},
                         {"exchange_time_ns", time_ns},
                         {"receive_time_ns", time_ns},
                         {"payload", nlohmann::json::parse(answer.json, nullptr, false)}};
    (*alive)->subscription().push(event.dump());
    return;
  }
  if (answer.ok) return;
  // Without an id (as before ABI 1.5) a refusal is an error event every interface sees.
  logger_->warn("{}: {}", from_name, answer.error);
  Event event;
  event.exchange_time_ns = now_ns();
  event.payload = ErrorInfo{from_name, answer.error};
  loop_.post_event(std::move(event));
}

}  // namespace cephalo
