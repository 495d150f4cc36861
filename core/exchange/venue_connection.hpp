// VenueConnection: one exchange as a live run uses it, opened by the exchange registry from the
// config's `exchange:` section: its request/response connector (market data, account, orders,
// filters, rate limits, clock: ExchangeConnector) and its two streams, closed candles and the
// account's order and balance updates. Each exchange implements it in its own folder.
// Thread-safety: connector() as ExchangeConnector (any thread); set_patient() and the streams'
// start()/stop() from the owning thread; stream callbacks run on the streams' threads (post them
// into the event loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "exchange/exchange_connector.hpp"
#include "exchange/venue_types.hpp"
#include "model/market.hpp"
#include "model/result.hpp"

namespace cephalo::exchange {

struct MarketFeed {
  std::string venue_symbol;  // "ETHBTC"
  std::string interval;      // "5m"
  Name symbol;               // the engine's names, interned by the loop before start()
  Name timeframe;
  // Open time (ms) of the last candle already stored by an earlier run, -1 for none: start()
  // fetches every candle closed since then over REST before streaming, and nothing up to it is
  // delivered again, so a restart leaves no hole and no repeat in the bot's candles.
  int64_t resume_after_open_ms = -1;
};

enum class MarketHealthKind { kConnected, kStale, kFallback, kRecovered, kError };
const char* market_health_name(MarketHealthKind kind);

struct MarketHealthEvent {
  MarketHealthKind kind = MarketHealthKind::kConnected;
  std::string detail;
};

// Closed candles of the run's feeds; REST polling while the stream is down or silent.
struct MarketStreamSettings {
  std::vector<MarketFeed> feeds;
  std::chrono::milliseconds staleness{10'000};     // silence that counts as "down"
  std::chrono::milliseconds poll_interval{2'000};  // REST polling while down
};
using CandleHandler = std::function<void(const Candle& candle, const KlineBar& bar)>;
using MarketHealthHandler = std::function<void(const MarketHealthEvent& event)>;

// The account's order and balance updates, with a REST resync owed after every gap.
struct UserStreamHandlers {
  std::function<void(const ExecutionReport&)> on_report;
  std::function<void(const AccountPosition&)> on_balances;
  std::function<void(const std::string& problem)> on_problem;
  // A subscription is active again after a gap: events may have been lost; `why` says why.
  std::function<void(const std::string& why)> on_resubscribed;
  // Connection health, for log lines: `connected` false is a warning.
  std::function<void(bool connected, const std::string& what, const std::string& detail)> on_health;
};

// A stream started and stopped by its owner.
class LiveStream {
 public:
  virtual ~LiveStream() = default;
  // A stream that cannot start says why (nothing runs then).
  virtual Status start() = 0;
  virtual void stop() = 0;
  // Market data: candles delivered by start()'s catch-up before streaming (0 for others).
  virtual int64_t caught_up_at_start() const { return 0; }
};

class VenueConnection {
 public:
  virtual ~VenueConnection() = default;
  virtual ExchangeConnector& connector() = 0;
  // At start-up and at a graceful stop: wait for a spent rate-limit window (calling `on_wait`
  // with the reason) instead of refusing a request; false while trading, where a late order is
  // worse than none.
  virtual void set_patient(bool patient, std::function<void(const std::string&)> on_wait = {}) = 0;
  // Where requests and streams go, for log lines: "https://api.binance.com".
  virtual std::string rest_url() const = 0;
  virtual std::string stream_url() const = 0;
  // How the user stream reaches the venue, for the "subscribed" log line: "over the WebSocket
  // API (wss://ws-api.binance.com:443/ws-api/v3)".
  virtual std::string user_stream_description() const = 0;
  virtual std::unique_ptr<LiveStream> market_stream(MarketStreamSettings settings,
                                                    CandleHandler on_candle,
                                                    MarketHealthHandler on_health) = 0;
  virtual std::unique_ptr<LiveStream> user_stream(UserStreamHandlers handlers) = 0;
};

}  // namespace cephalo::exchange
