// Market data handler callbacks turned into loop events.
// Thread-safety: see live_feed.hpp.
#include "live/live_feed.hpp"

namespace cephalo {

LiveFeed::LiveFeed(const Config& config, std::vector<exchange::MarketFeed> feeds,
                   exchange::VenueConnection& venue, EventLoop& loop,
                   std::shared_ptr<spdlog::logger> logger)
    : loop_(loop), logger_(std::move(logger)) {
  exchange::MarketStreamSettings settings;
  settings.feeds = std::move(feeds);
  settings.staleness = std::chrono::milliseconds(config.exchange.staleness_ms);
  settings.poll_interval = std::chrono::milliseconds(config.exchange.poll_interval_ms);
  handler_ = venue.market_stream(
      std::move(settings),
      [this](const Candle& candle, const exchange::KlineBar& bar) {
        // The candle is an event at its close, as in a replay.
        Event event;
        event.exchange_time_ns = (bar.close_time_ms + 1) * 1'000'000;
        event.payload = candle;
        loop_.post_event(std::move(event));
      },
      [this](const exchange::MarketHealthEvent& health) {
        const char* kind = exchange::market_health_name(health.kind);
        switch (health.kind) {
          case exchange::MarketHealthKind::kConnected:
          case exchange::MarketHealthKind::kRecovered:
            logger_->info("market data {}: {}", kind, health.detail);
            break;
          default:
            logger_->warn("market data {}: {}", kind, health.detail);
            break;
        }
        if (health.kind == exchange::MarketHealthKind::kConnected) return;
        Event event;
        event.exchange_time_ns = loop_.clock().now_ns();
        event.payload = ErrorInfo{"market_data", std::string(kind) + ": " + health.detail};
        loop_.post_event(std::move(event));
      });
}

Status LiveFeed::start() {
  if (Status started = handler_->start(); !started) return started;
  if (const int64_t caught_up = handler_->caught_up_at_start(); caught_up > 0) {
    logger_->info("market data: {} candles closed since the last stored one fetched over REST",
                  caught_up);
  }
  return Ok{};
}

void LiveFeed::stop() {
  handler_->stop();
}

}  // namespace cephalo
