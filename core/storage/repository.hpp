// Repository: the one storage interface the engine writes its journal through and reads it back.
// Thread-safety: every method may be called from any thread; implementations serialise inside.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.hpp"
#include "storage/result.hpp"
#include "storage/storage_problems.hpp"

namespace cephalo {

class Repository {
 public:
  virtual ~Repository() = default;

  // Queue a record and return at once: the event loop must never wait on disk. Records are
  // written in the order they were queued, each under the run started last (start_run); one
  // queued before any run is refused. A record that is not written is never dropped silently:
  // it is reported by the next flush() and counted in problems(). Taken by value so callers can
  // move large payloads in.
  virtual void record(EventRecord event) = 0;
  virtual void record(CandleRecord candle) = 0;
  virtual void record(EvaluationRecord evaluation) = 0;
  virtual void record(SignalRecord signal) = 0;
  virtual void record(OrderIntentRecord intent) = 0;
  virtual void record(RiskVerdictRecord verdict) = 0;
  virtual void record(OrderRecord order) = 0;
  virtual void record(FillRecord fill) = 0;
  virtual void record(TradeRecord trade) = 0;
  virtual void record(BalanceRecord balance) = 0;
  virtual void record(TentacleLoadRecord load) = 0;
  virtual void record(TentacleSwapRecord swap) = 0;

  // Write the order, after everything queued before it, and return only once it is durable on
  // disk. Called before an order leaves for an exchange, so a restart always knows about it.
  virtual Status record_order_sync(OrderRecord order) = 0;
  // The same durability for a live venue order: returns once the row is on disk, so the order
  // can be sent knowing a crash will not lose track of it.
  virtual Status record_live_order_sync(LiveOrderRecord order) = 0;

  // Block until everything queued so far is committed. Fails if any record queued since the
  // previous flush() could not be written; the message says how many and why.
  virtual Status flush() = 0;
  // Everything not written since the repository opened: records refused (each named by table
  // and key) and the failure that stopped writing. Does not wait for the queue; flush() first.
  virtual StorageProblems problems() const = 0;

  // Runs are written in queue order, like records. start_run returns the new run's id, which
  // every record queued after it carries. finish_run stores its end and outcome ("completed",
  // "failed: why").
  virtual Result<std::int64_t> start_run(std::int64_t started_ns, std::string_view mode,
                                         std::string_view config_json) = 0;
  virtual Status finish_run(std::int64_t run_id, std::int64_t finished_ns,
                            std::string_view outcome) = 0;

  // Read-backs of every run's rows, for recovery after a restart, the CLI and tests. They see
  // committed rows only: call flush() first to include what is still queued. Rows come in
  // insertion order, candles in open time order. count() takes a table name: events, candles,
  // evaluations, signals, order_intents, risk_verdicts, orders, orders_live, fills, trades,
  // balances, tentacle_loads, tentacle_swaps or runs.
  virtual Result<std::int64_t> count(std::string_view table) const = 0;
  virtual Result<std::vector<EventRecord>> events() const = 0;
  virtual Result<std::vector<CandleRecord>> candles(std::string_view symbol,
                                                    std::string_view timeframe) const = 0;
  virtual Result<std::vector<EvaluationRecord>> evaluations() const = 0;
  virtual Result<std::vector<SignalRecord>> signals() const = 0;
  virtual Result<std::vector<RiskVerdictRecord>> risk_verdicts() const = 0;
  virtual Result<std::vector<OrderRecord>> orders() const = 0;
  virtual Result<std::vector<LiveOrderRecord>> live_orders() const = 0;
  virtual Result<std::vector<FillRecord>> fills() const = 0;
  virtual Result<std::vector<TradeRecord>> trades() const = 0;
  virtual Result<std::vector<BalanceRecord>> balances() const = 0;
  virtual Result<std::vector<TentacleLoadRecord>> tentacle_loads() const = 0;
  virtual Result<std::vector<TentacleSwapRecord>> tentacle_swaps() const = 0;
  virtual Result<std::vector<RunRecord>> runs() const = 0;
};

}  // namespace cephalo
