// SqliteRepository: the default Repository, one SQLite file in WAL mode with a batched writer.
// Thread-safety: all methods may be called from any thread; the destructor must not race them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/repository.hpp"
#include "storage/result.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo {

class SqliteWriter;

struct SqliteOptions {
  std::size_t batch_size = 512;          // records per transaction, at most; at least 1
  std::int64_t flush_interval_ms = 100;  // longest a queued record waits to be written; at least 1
  std::size_t max_queued = 65536;        // the event loop waits beyond this; at least batch_size
  int busy_timeout_ms = 5000;            // how long to wait for another program's lock on the file
};

class SqliteRepository final : public Repository {
 public:
  // Opens or creates the database at `path` (and its folder), migrating it to the latest schema.
  // Never overwrites a file it cannot use: a non-SQLite or damaged file, another program's
  // database, or one with a newer schema is reported and left byte for byte as it was.
  static Result<std::unique_ptr<SqliteRepository>> open(const std::filesystem::path& path,
                                                        SqliteOptions options = {});
  // The schema version this build creates and migrates to.
  static std::int64_t latest_schema_version();

  // Writes everything still queued, then stops the writer thread.
  ~SqliteRepository() override;
  SqliteRepository(const SqliteRepository&) = delete;
  SqliteRepository& operator=(const SqliteRepository&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Result<std::int64_t> schema_version() const;

  void record(EventRecord event) override;
  void record(CandleRecord candle) override;
  void record(EvaluationRecord evaluation) override;
  void record(SignalRecord signal) override;
  void record(RiskVerdictRecord verdict) override;
  void record(OrderRecord order) override;
  void record(FillRecord fill) override;
  void record(TradeRecord trade) override;
  void record(BalanceRecord balance) override;
  void record(TentacleLoadRecord load) override;
  void record(TentacleSwapRecord swap) override;
  Status record_order_sync(OrderRecord order) override;
  Status record_live_order_sync(LiveOrderRecord order) override;
  Status flush() override;
  std::string last_error() const override;

  Result<std::int64_t> start_run(std::int64_t started_ns, std::string_view mode,
                                 std::string_view config_json) override;
  Status finish_run(std::int64_t run_id, std::int64_t finished_ns) override;

  Result<std::int64_t> count(std::string_view table) const override;
  Result<std::vector<EventRecord>> events() const override;
  Result<std::vector<CandleRecord>> candles(std::string_view symbol,
                                            std::string_view timeframe) const override;
  Result<std::vector<EvaluationRecord>> evaluations() const override;
  Result<std::vector<SignalRecord>> signals() const override;
  Result<std::vector<RiskVerdictRecord>> risk_verdicts() const override;
  Result<std::vector<OrderRecord>> orders() const override;
  Result<std::vector<LiveOrderRecord>> live_orders() const override;
  Result<std::vector<FillRecord>> fills() const override;
  Result<std::vector<TradeRecord>> trades() const override;
  Result<std::vector<BalanceRecord>> balances() const override;
  Result<std::vector<TentacleLoadRecord>> tentacle_loads() const override;
  Result<std::vector<TentacleSwapRecord>> tentacle_swaps() const override;
  Result<std::vector<RunRecord>> runs() const override;

 private:
  SqliteRepository(std::filesystem::path path, sqlite::Connection reader,
                   std::unique_ptr<SqliteWriter> writer);
  template <class Row>
  Result<std::vector<Row>> select(std::string_view filter_and_order,
                                  std::vector<std::string_view> parameters = {}) const;

  const std::filesystem::path path_;
  // Reads use their own connection: in WAL mode they never wait for the writer's transactions.
  mutable std::mutex reader_mutex_;
  mutable sqlite::Connection reader_;
  std::unique_ptr<SqliteWriter> writer_;
};

}  // namespace cephalo
