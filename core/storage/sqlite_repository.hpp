// SqliteRepository: the default Repository, one SQLite file in WAL mode with a batched writer.
// Thread-safety: all methods may be called from any thread; the destructor must not race them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/repository.hpp"
#include "storage/result.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo {

class SqliteWriter;

struct SqliteOptions {
  std::size_t batch_size = 10000;        // records per transaction, at most; at least 1
  std::int64_t flush_interval_ms = 100;  // longest a queued record waits to be written; at least 1
  // The event loop waits beyond this; at least batch_size. Two batches' room is enough to keep
  // the writer busy, and each queued record holds ~400 bytes that the kernel must fault in on
  // first touch (queue and writer's batch): 65,536 cost a 1M-bar backtest ~9,000 page faults more.
  std::size_t max_queued = 16384;
  int busy_timeout_ms = 5000;  // how long to wait for another program's lock on the file
  // Test hook, inert unless set (CEPHALO_TEST_STORAGE_CONFLICT=table:n for the bot): the nth
  // record of this table is written twice, so the database refuses the second like any conflict.
  // Only tables whose repeated key is a conflict: candles, fills.
  std::string test_conflict_table;
  std::int64_t test_conflict_nth = 0;
};

// Told on the writer's thread about the first refused record (stopped = false) and about the
// failure that stops all writing (stopped = true), so a run can stop at once.
using StorageProblemListener = std::function<void(const StorageProblems& problems, bool stopped)>;

class SqliteRepository final : public Repository {
 public:
  // Opens or creates the database at `path` (and its folder), migrating it to the latest schema.
  // Never overwrites a file it cannot use: a non-SQLite or damaged file (PRAGMA quick_check),
  // another program's database, or one with a newer schema is reported and left byte for byte
  // as it was.
  static Result<std::unique_ptr<SqliteRepository>> open(const std::filesystem::path& path,
                                                        const SqliteOptions& options = {});
  // The schema version this build creates and migrates to.
  static std::int64_t latest_schema_version();

  // Writes everything still queued, then stops the writer thread.
  ~SqliteRepository() override;
  SqliteRepository(const SqliteRepository&) = delete;
  SqliteRepository& operator=(const SqliteRepository&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Result<std::int64_t> schema_version() const;
  // What opening did to an older file (its rows kept under a run made for them), or "".
  const std::string& migration_note() const { return migration_note_; }
  void set_problem_listener(StorageProblemListener listener);

  void record(EventRecord event) override;
  void record(CandleRecord candle) override;
  void record(EvaluationRecord evaluation) override;
  void record(SignalRecord signal) override;
  void record(OrderIntentRecord intent) override;
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
  StorageProblems problems() const override;

  Result<std::int64_t> start_run(std::int64_t started_ns, std::string_view mode,
                                 std::string_view config_json) override;
  Status finish_run(std::int64_t run_id, std::int64_t finished_ns,
                    std::string_view outcome) override;

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

  // One run's rows of a table (Row: any record of stored_records.hpp), in the order written
  // (candles by key). The visitor is called under the read lock: it must not call back in.
  template <class Row>
  Status visit_run_rows(std::int64_t run_id, const std::function<void(const Row&)>& visit) const;
  template <class Row>
  Result<std::vector<Row>> run_rows(std::int64_t run_id) const;
  // Rows per run of one table: (run id, rows), for the runs that have any.
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> count_by_run(
      std::string_view table) const;
  // Deletes a run and every row it wrote, in one transaction after everything queued; returns
  // the rows deleted per table (tables without rows of the run left out).
  Result<std::vector<std::pair<std::string, std::int64_t>>> delete_run(std::int64_t run_id);

 private:
  SqliteRepository(std::filesystem::path path, sqlite::Connection reader,
                   std::unique_ptr<SqliteWriter> writer, std::string migration_note);
  template <class Row>
  Result<std::vector<Row>> select(std::string_view filter_and_order,
                                  std::vector<std::string_view> parameters = {}) const;
  Status check_table(std::string_view table) const;

  const std::filesystem::path path_;
  const std::string migration_note_;
  // Reads use their own connection: in WAL mode they never wait for the writer's transactions.
  mutable std::mutex reader_mutex_;
  mutable sqlite::Connection reader_;
  std::unique_ptr<SqliteWriter> writer_;
};

}  // namespace cephalo
