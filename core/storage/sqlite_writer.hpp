// The batched writer: callers queue records cheaply; its own thread commits them in transactions.
// Thread-safety: every public method is for any thread; the listener is called on the writer's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "storage/records.hpp"
#include "storage/result.hpp"
#include "storage/sqlite_connection.hpp"
#include "storage/storage_problems.hpp"
#include "storage/stored_records.hpp"

namespace cephalo {

struct SqliteWriterLimits {
  std::size_t batch_size = 10000;                 // records per transaction, at most
  std::chrono::milliseconds flush_interval{100};  // longest a queued record waits to be written
  std::size_t max_queued = 16384;  // producers wait beyond this, rather than exhaust memory
  // Test hook, inert unless set: the nth record (1-based) of this table is written twice, so the
  // second write is refused by the table's key like any real conflict.
  std::string repeat_table;
  std::int64_t repeat_nth = 0;
};

class SqliteWriter {
 public:
  // Work done on the writer thread, in queue order, in a transaction of its own.
  using Task = std::function<std::optional<sqlite::Error>(sqlite::Connection&)>;
  // Told once about the first refused record and once about the failure that stops the writer.
  using ProblemListener = std::function<void(const StorageProblems& problems, bool stopped)>;

  // Takes over `connection` (already migrated) and prepares the inserts on it.
  static Result<std::unique_ptr<SqliteWriter>> start(sqlite::Connection connection,
                                                     std::filesystem::path path,
                                                     SqliteWriterLimits limits);
  // Writes everything still queued, then stops the thread.
  ~SqliteWriter();
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  // Cheap: a lock, a move into a vector, and a wake-up only when a batch is full. Once the
  // writer has stopped on a failure, a pushed record is counted as lost and nothing waits.
  // The record is moved once, straight into the queue (records are a few hundred bytes).
  template <class Row>
  void push(Row&& row) {
    if (stopped_.load(std::memory_order_relaxed)) {
      note_lost(1);
      return;
    }
    std::unique_lock lock(mutex_);
    wait_for_space(lock);
    queue_.emplace_back(std::in_place_type<storage_tables::JournalRecord>,
                        std::in_place_type<std::decay_t<Row>>, std::forward<Row>(row));
    wake_if_due(lock);
  }
  // Blocks until everything pushed before it is committed; reports failures since the last flush.
  Status flush();
  // Writes `record` after everything queued before it, in its own transaction, and returns once
  // it is committed with synchronous=FULL (on disk, not only in the OS cache). Refused at once
  // after the writer stopped on a failure: an order must not leave without its journal row.
  Status write_durably(storage_tables::JournalRecord record);
  // Runs `task` on the writer thread after everything queued before it, and waits for it.
  Status run(Task task);
  // Inserts the run's row after everything queued before it; every record written after it
  // belongs to this run (its run_id column).
  Result<std::int64_t> start_run(RunRecord run);
  StorageProblems problems() const;
  // Set before the first record is pushed.
  void set_problem_listener(ProblemListener listener);

 private:
  // A point in the queue that a caller waits on.
  struct Barrier {
    std::optional<storage_tables::JournalRecord> durable_record;
    Task task;
    std::promise<Status>* done = nullptr;
  };
  using Item = std::variant<storage_tables::JournalRecord, Barrier>;
  // How writing one record (or one multi-row INSERT) went.
  enum class Written { kOk, kRefused, kFailed };
  static constexpr std::size_t kTables = std::variant_size_v<storage_tables::JournalRecord>;
  // Rows one INSERT writes at most: SQLite runs a statement's setup once for all of them, which
  // took the writer from ~0.9 to ~1.5 M rows per CPU-second for a signal row here.
  static constexpr std::size_t kRowsPerInsert = 32;

  SqliteWriter(sqlite::Connection connection, std::filesystem::path path,
               SqliteWriterLimits limits);
  Status wait_for(Barrier barrier);
  void wait_for_space(std::unique_lock<std::mutex>& lock);
  void wake_if_due(std::unique_lock<std::mutex>& lock);
  void thread_main();
  void write_batch(std::vector<Item>& batch);
  void commit_pending();
  void clear_pending();
  std::string write_rows(const std::vector<const storage_tables::JournalRecord*>& rows,
                         std::size_t& inout_refused);
  template <class Row>
  Written write_several(const storage_tables::JournalRecord* const* records, std::size_t count,
                        sqlite::Error& out_error);
  sqlite::Statement* insert_for(std::size_t table, std::size_t rows, sqlite::Error& out_error);
  void pass_barrier(Barrier& barrier);
  Written write_record(const storage_tables::JournalRecord& record, sqlite::Error& out_error);
  Written write_record_once(const storage_tables::JournalRecord& record, sqlite::Error& out_error);
  std::optional<sqlite::Error> in_transaction(
      const std::function<std::optional<sqlite::Error>()>& work);
  std::string describe_refusal(const storage_tables::JournalRecord& record,
                               const sqlite::Error& error) const;
  void note_refused(const std::string& message);
  void note_failure(std::size_t lost_records, const std::string& message);
  void note_lost(std::size_t records);
  Status take_failures();

  const std::filesystem::path path_;
  const SqliteWriterLimits limits_;

  // Writer thread only. Statements are declared after the connection so they are finalised first.
  sqlite::Connection connection_;
  // inserts_[table][n - 1] inserts n rows of that table (JournalRecord's order); prepared on first
  // use, so only the sizes a run needs are compiled.
  std::array<std::array<sqlite::Statement, kRowsPerInsert>, kTables> inserts_;
  sqlite::Statement begin_;
  sqlite::Statement commit_;
  // Around a multi-row upsert that may keep a stored row: undone if it did, to redo row by row.
  sqlite::Statement savepoint_;
  sqlite::Statement rollback_to_savepoint_;
  sqlite::Statement release_savepoint_;
  // The next transaction's records, by table, each table's in queue order.
  std::array<std::vector<const storage_tables::JournalRecord*>, kTables> pending_;
  std::size_t pending_count_ = 0;
  std::int64_t repeat_seen_ = 0;  // the test hook's count

  // The run records belong to: set by start_run, read by the writer thread.
  std::atomic<std::int64_t> run_id_{0};
  // Set once the writer stopped on a failure: nothing is written after it.
  std::atomic<bool> stopped_{false};

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable space_free_;
  std::vector<Item> queue_;
  bool urgent_ = false;  // a caller waits on a barrier: write without waiting for the interval
  bool stopping_ = false;

  mutable std::mutex problems_mutex_;
  StorageProblems problems_;  // since the writer started
  std::size_t failures_since_flush_ = 0;
  std::string first_failure_since_flush_;
  ProblemListener listener_;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cephalo
