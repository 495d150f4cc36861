// The venue's clock steps: replaying candles, matching at each close, publishing streams.
#include "exchange_sim/sim_venue.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "crypto/hmac_sha256.hpp"
#include "exchange_sim/binance_json.hpp"

namespace cephalo::exchange_sim {

SimVenue::SimVenue(const SimConfig& config, int64_t start_wall_ms)
    : config_(config),
      start_wall_ms_(start_wall_ms),
      engine_(config.markets, config.balances, config.commission_rate, config.max_volume_share),
      replay_(config.markets, config.history_candles),
      limiter_(config.weight_limit_per_minute, config.ban_seconds) {}

int64_t SimVenue::wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string SimVenue::lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<size_t> SimVenue::market_index(const std::string& symbol) const {
  for (size_t i = 0; i < config_.markets.size(); ++i) {
    if (config_.markets[i].symbol == symbol) return i;
  }
  return std::nullopt;
}

MarketNow SimVenue::market_now(const std::string& symbol) const {
  MarketNow now;
  const auto index = market_index(symbol);
  if (!index) return now;
  now.forming_candle = replay_.forming_candle(*index);
  now.last_price = units_from_double(replay_.last_price(*index).value_or(0));
  const auto& bars = config_.markets[*index].bars;
  // After the last candle the market is closed for volume: nothing fills immediately.
  if (now.forming_candle < static_cast<int64_t>(bars.size())) {
    now.candle_volume = units_from_double(bars[static_cast<size_t>(now.forming_candle)].volume);
  }
  return now;
}

std::vector<OhlcvBar> SimVenue::closed_bars(size_t market) const {
  const auto& bars = config_.markets[market].bars;
  return {bars.begin(), bars.begin() + replay_.closed_candles(market)};
}

std::optional<int64_t> SimVenue::advance_to(int64_t wall, int64_t max_steps) {
  if (config_.speed <= 0 || replay_.finished()) return std::nullopt;
  const double quarter_ms = static_cast<double>(config_.interval_ms) / (4 * config_.speed);
  const auto due =
      static_cast<int64_t>(std::floor(static_cast<double>(wall - start_wall_ms_) / quarter_ms));
  for (int64_t steps = 0; replay_.quarters_played() < due && steps < max_steps; ++steps) {
    advance_quarters(1);
  }
  if (replay_.finished()) return std::nullopt;
  return start_wall_ms_ + static_cast<int64_t>(std::ceil(
                              static_cast<double>(replay_.quarters_played() + 1) * quarter_ms));
}

void SimVenue::advance_quarters(int64_t quarters) {
  for (int64_t i = 0; i < quarters && !replay_.finished(); ++i) {
    for (const MarketStep& step : replay_.step()) play(step);
  }
}

void SimVenue::play(const MarketStep& step) {
  const SimMarket& market = config_.markets[step.market];
  const std::string name = lower(market.symbol);
  const int64_t now = now_ms();
  if (step.tick == 4) {
    // Fills first, so a client that sees the closed kline can already query its fills.
    publish_user_updates(engine_.on_candle_close(market.symbol, step.candle, step.forming, now));
  } else {
    const double tick_volume = market.bars[static_cast<size_t>(step.candle)].volume / 4;
    publish(name + "@trade", trade_event_json(market.symbol, engine_.next_trade_id(market.symbol),
                                              step.price, tick_volume, now));
    publish(name + "@bookTicker", book_ticker_json(market.symbol, ++book_update_id_, step.price,
                                                   market.filters.tick_size, tick_volume));
  }
  publish(name + "@kline_" + config_.interval,
          kline_event_json(market.symbol, config_.interval, config_.interval_ms, step.forming,
                           step.trades, step.tick == 4, now));
}

void SimVenue::publish(const std::string& stream, const nlohmann::json& data) {
  if (!silent()) hub_.publish(stream, data);
}

void SimVenue::publish_user_updates(const std::vector<OrderUpdate>& updates) {
  for (const OrderUpdate& update : updates) {
    for (const std::string& key : listen_keys_) {
      publish(key, execution_report_json(update));
      if (!update.changed_assets.empty()) {
        publish(key, account_position_json(engine_.balances(), update.changed_assets,
                                           update.event_time_ms));
      }
    }
  }
}

std::string SimVenue::new_listen_key() {
  // 64 hex characters like Binance's; derived from the secret and a counter so runs repeat.
  std::string key =
      hmac_sha256_hex(config_.api_secret, "listenKey" + std::to_string(++listen_keys_made_));
  listen_keys_.insert(key);
  return key;
}

}  // namespace cephalo::exchange_sim
