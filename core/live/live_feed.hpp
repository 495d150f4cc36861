// LiveFeed: closed candles from the exchange (WebSocket klines, REST polling while the stream is
// down or silent, gaps backfilled) posted into the event loop as the same Candle events a replay
// produces, so tentacles and risk see live data exactly as they see a backtest's.
// Thread-safety: start()/stop() on the owning (loop) thread; the handler's threads only post.
//
// Health: every market data health event is logged (fallback, stale and error as warnings) and,
// except "connected", also posted as an ErrorInfo event with source "market_data" so interfaces
// (console_log, dashboards) show when the bot trades on polled data.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "events/event_loop.hpp"
#include "exchange/venue_connection.hpp"

namespace cephalo {

class LiveFeed {
 public:
  LiveFeed(const Config& config, std::vector<exchange::MarketFeed> feeds,
           exchange::VenueConnection& venue, EventLoop& loop,
           std::shared_ptr<spdlog::logger> logger);
  Status start();
  void stop();

 private:
  EventLoop& loop_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<exchange::LiveStream> handler_;
};

}  // namespace cephalo
