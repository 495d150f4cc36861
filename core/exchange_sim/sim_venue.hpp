// The simulated venue's whole state (market replay, books, faults, limits, streams) and what
// happens when its clock moves: candles close, resting orders fill, streams publish.
// Thread-safety: not thread-safe; owned by the simulator's single I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

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
  std::optional<size_t> market_index(const std::string& symbol) const;
  std::vector<OhlcvBar> closed_bars(size_t market) const;

  // Pushes executionReport + outboundAccountPosition for each update to every user stream.
  void publish_user_updates(const std::vector<OrderUpdate>& updates);
  std::string new_listen_key();
  bool has_listen_key(const std::string& key) const { return listen_keys_.count(key) != 0; }
  void remove_listen_key(const std::string& key) { listen_keys_.erase(key); }
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
  std::set<std::string> listen_keys_;
  int64_t generated_ids_ = 0;
  int64_t listen_keys_made_ = 0;
  int64_t book_update_id_ = 0;
  int64_t duplicates_refused_ = 0;
};

}  // namespace cephalo::exchange_sim
