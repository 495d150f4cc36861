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
      limiter_(config.weight_limit_per_minute, config.ban_seconds) {
  // ExchangeSimulator::start refused a key that does not read, so this one does.
  if (!config.api_public_key_pem.empty()) {
    if (auto key = PublicKey::from_pem(config.api_public_key_pem)) public_key_ = std::move(*key);
  }
}

std::pair<int64_t, int64_t> SimVenue::count_order(int64_t wall_ms) {
  if (wall_ms / 10'000 != order_window_10s_) {
    order_window_10s_ = wall_ms / 10'000;
    orders_10s_ = 0;
  }
  if (wall_ms / 86'400'000 != order_window_day_) {
    order_window_day_ = wall_ms / 86'400'000;
    orders_day_ = 0;
  }
  return {++orders_10s_, ++orders_day_};
}

bool SimVenue::signature_valid(std::string_view payload, std::string_view signature) const {
  if (public_key_) return public_key_->verify_base64(payload, signature);
  const std::string expected = hmac_sha256_hex(config_.api_secret, payload);
  if (expected.size() != signature.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(signature[i])) != expected[i]) return false;
  }
  return true;
}

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
  if (auto average = average_price(*index)) now.average_price = units_from_double(average->price);
  const auto& bars = config_.markets[*index].bars;
  // After the last candle the market is closed for volume: nothing fills immediately.
  if (now.forming_candle < static_cast<int64_t>(bars.size())) {
    now.candle_volume = units_from_double(bars[static_cast<size_t>(now.forming_candle)].volume);
  }
  return now;
}

std::optional<MarketReplay::AveragePrice> SimVenue::average_price(size_t market) const {
  const int64_t mins = config_.markets[market].filters.avg_price_mins;
  return replay_.average_price(market, mins * 60'000, config_.interval_ms);
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
  if (silent()) return;
  for (const OrderUpdate& update : updates) {
    hub_.publish_user_event(execution_report_json(update));
    if (!update.changed_assets.empty()) {
      hub_.publish_user_event(
          account_position_json(engine_.balances(), update.changed_assets, update.event_time_ms));
    }
  }
}

}  // namespace cephalo::exchange_sim
