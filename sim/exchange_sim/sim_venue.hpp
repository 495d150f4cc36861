// The simulated venue's whole state (market replay, books, faults, limits, streams) and what
// happens when its clock moves: candles close, resting orders fill, streams publish.
// Thread-safety: not thread-safe; owned by the simulator's single I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <map>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "crypto/key_signature.hpp"
#include "exchange_sim/market_replay.hpp"
#include "exchange_sim/matching_engine.hpp"
#include "exchange_sim/rate_limiter.hpp"
#include "exchange_sim/sim_config.hpp"
#include "exchange_sim/sim_faults.hpp"
#include "exchange_sim/stream_hub.hpp"

namespace cephalo::exchange_sim {

class SimVenue {
 public:
  // config must outlive the venue (the engine and replay refer to its markets).
  SimVenue(const SimConfig& config, int64_t start_wall_ms);

  const SimConfig& config() const { return config_; }
  MatchingEngine& engine() { return engine_; }
  MarketReplay& replay() { return replay_; }
  FaultState& faults() { return faults_; }
  RateLimiter& limiter() { return limiter_; }
  StreamHub& hub() { return hub_; }

  static int64_t wall_ms();
  // Server time: the wall clock shifted by the clock-skew fault. Order and event times use it.
  int64_t now_ms() const { return wall_ms() + faults_.clock_skew_ms; }

  // Plays every quarter-candle due by wall time `wall` (speed > 0), at most `max_steps`;
  // returns the wall ms of the next due quarter, nullopt when the replay has ended (or speed 0).
  std::optional<int64_t> advance_to(int64_t wall, int64_t max_steps);
  // Plays `quarters` quarter-candles now, whatever the speed (POST /sim/advance).
  void advance_quarters(int64_t quarters);

  MarketNow market_now(const std::string& symbol) const;
  // GET /api/v3/avgPrice of a market: over its filters' avgPriceMins (nullopt: no bars at all).
  std::optional<MarketReplay::AveragePrice> average_price(size_t market) const;
  std::optional<size_t> market_index(const std::string& symbol) const;
  std::vector<OhlcvBar> closed_bars(size_t market) const;

  // Pushes executionReport + outboundAccountPosition for each update to every user data
  // subscription of the WebSocket API.
  void publish_user_updates(const std::vector<OrderUpdate>& updates);
  // Whether `signature` signs `payload` with the account's key: hex HMAC-SHA256 with the secret
  // (case-insensitive, as Binance says), or base64 Ed25519/RSA with the configured public key.
  bool signature_valid(std::string_view payload, std::string_view signature) const;
  bool asymmetric_key() const { return public_key_.has_value(); }
  // User data subscriptions started, and calls to the retired listenKey endpoints and methods
  // (POST/PUT/DELETE /api/v3/userDataStream, userDataStream.start/ping/stop): tests assert a
  // connector made none.
  void count_user_subscription() { ++user_subscriptions_; }
  int64_t user_subscriptions() const { return user_subscriptions_; }
  void count_retired_call(const std::string& what) { ++retired_calls_[what]; }
  // One accepted order in the account's ORDERS windows (10 s and 1 day, wall-clock aligned):
  // the X-MBX-ORDER-COUNT-10S / -1D values to answer with (rest-api.md "Unfilled Order Count").
  std::pair<int64_t, int64_t> count_order(int64_t wall_ms);
  const std::map<std::string, int64_t>& retired_calls() const { return retired_calls_; }
  std::string next_client_order_id() { return "sim-" + std::to_string(++generated_ids_); }
  // Orders refused with a real -2010 (their client id was already used): a client re-sending.
  void count_duplicate() { ++duplicates_refused_; }
  int64_t duplicates_refused() const { return duplicates_refused_; }

 private:
  bool silent() const { return wall_ms() < faults_.silent_until_ms; }
  void publish(const std::string& stream, const nlohmann::json& data);
  void play(const MarketStep& step);
  static std::string lower(std::string text);

  const SimConfig& config_;
  int64_t start_wall_ms_;
  MatchingEngine engine_;
  MarketReplay replay_;
  FaultState faults_;
  RateLimiter limiter_;
  StreamHub hub_;
  std::optional<PublicKey> public_key_;
  int64_t user_subscriptions_ = 0;
  std::map<std::string, int64_t> retired_calls_;
  int64_t order_window_10s_ = -1, orders_10s_ = 0, order_window_day_ = -1, orders_day_ = 0;
  int64_t generated_ids_ = 0;
  int64_t book_update_id_ = 0;
  int64_t duplicates_refused_ = 0;
};

}  // namespace cephalo::exchange_sim
