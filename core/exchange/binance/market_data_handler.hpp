// MarketDataHandler: closed candles for the event loop, from the WebSocket kline streams when
// they work and from REST polling when the socket is down or silent; gaps (by candle open time)
// are backfilled over REST so no candle is missed or seen twice. Health events say which.
// Thread-safety: start()/stop() from the owning thread. Callbacks run on the handler's threads,
// one at a time (serialised by a mutex): post them into the event loop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exchange/exchange_connector.hpp"
#include "exchange/server_clock.hpp"
#include "exchange/venue_connection.hpp"
#include "exchange/net/websocket_client.hpp"
#include "model/market.hpp"

namespace cephalo::exchange {

// "1m", "5m", "1h", "1d", "1w" → ms; 0 for anything else.
int64_t interval_ms(std::string_view interval);

// Orders closed bars of one feed by open time: drops repeats, and asks `backfill` for the bars
// between the last emitted one and a later one that arrived after a gap.
// Thread-safety: not thread-safe (the handler holds its mutex around it).
class CandleSequencer {
 public:
  using Backfill = std::function<std::vector<KlineBar>(int64_t from_open_ms, int64_t to_open_ms)>;
  // last_open_ms: the last bar already emitted (by an earlier run), -1 for none.
  explicit CandleSequencer(int64_t interval_ms, int64_t last_open_ms = -1)
      : interval_ms_(interval_ms), last_open_ms_(last_open_ms) {}
  // The bars to emit, in order (possibly none). `bar` must be closed.
  std::vector<KlineBar> accept(const KlineBar& bar, const Backfill& backfill);
  int64_t last_open_ms() const { return last_open_ms_; }
  int gaps_backfilled() const { return gaps_; }

 private:
  int64_t interval_ms_;
  int64_t last_open_ms_ = -1;
  int gaps_ = 0;
};

struct MarketDataConfig {
  std::string ws_base_url;  // "ws://127.0.0.1:9000" or "wss://stream.binance.com:9443"
  std::vector<MarketFeed> feeds;
  std::chrono::milliseconds staleness{10'000};     // silence that counts as "down"
  std::chrono::milliseconds poll_interval{2'000};  // REST polling while down
  WebSocketOptions websocket;
};

class MarketDataHandler {
 public:
  using CandleHandler = std::function<void(const Candle& candle, const KlineBar& bar)>;
  using HealthHandler = std::function<void(const MarketHealthEvent& event)>;

  MarketDataHandler(MarketDataConfig config, ExchangeConnector& rest, CandleHandler on_candle,
                    HealthHandler on_health, MillisClock clock = system_millis_clock());
  ~MarketDataHandler();
  MarketDataHandler(const MarketDataHandler&) = delete;
  MarketDataHandler& operator=(const MarketDataHandler&) = delete;

  // Catches up the feeds that resume after a stored candle (see MarketFeed), then streams.
  Status start();
  void stop();
  // Candles delivered by start()'s catch-up, before the stream began.
  int64_t caught_up_at_start() const;

  // Exposed for tests and the benchmark: one raw stream message as the socket delivers it.
  void on_stream_message(std::string_view message);
  bool in_fallback() const;

 private:
  struct FeedState {
    MarketFeed feed;
    CandleSequencer sequencer;
  };
  void deliver(FeedState& state, const KlineBar& bar);  // mutex held
  void poll_loop();
  void poll_rest();  // mutex held
  void catch_up();   // mutex held: every closed bar after each feed's resume point
  std::string stream_url() const;
  void emit(MarketHealthKind kind, std::string detail);

  MarketDataConfig config_;
  ExchangeConnector& rest_;
  CandleHandler on_candle_;
  HealthHandler on_health_;
  MillisClock clock_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, FeedState> feeds_;  // by "<SYMBOL>|<interval>"
  int64_t last_ws_message_ms_ = 0;
  bool ws_connected_ = false;
  bool fallback_ = false;
  bool stopping_ = false;
  int64_t delivered_ = 0;  // candles handed to on_candle_
  int64_t caught_up_ = 0;
  KlineBar scratch_;
  std::unique_ptr<WebSocketClient> socket_;
  std::thread poller_;
};

}  // namespace cephalo::exchange
