// The batched writer: callers queue records cheaply; its own thread commits them in transactions.
// Thread-safety: push(), flush(), write_durably(), run() and last_error() are for any thread.
#pragma once

#include <array>
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

#include "storage/result.hpp"
#include "storage/row_mapping.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo {

struct SqliteWriterLimits {
  std::size_t batch_size = 512;                   // records per transaction, at most
  std::chrono::milliseconds flush_interval{100};  // longest a queued record waits to be written
  std::size_t max_queued = 65536;  // producers wait beyond this, rather than exhaust memory
};

class SqliteWriter {
 public:
  // Work done on the writer thread, in queue order, in a transaction of its own.
  using Task = std::function<std::optional<sqlite::Error>(sqlite::Connection&)>;

  // Takes over `connection` (already migrated) and prepares the inserts on it.
  static Result<std::unique_ptr<SqliteWriter>> start(sqlite::Connection connection,
                                                     std::filesystem::path path,
                                                     SqliteWriterLimits limits);
  // Writes everything still queued, then stops the thread.
  ~SqliteWriter();
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  // Cheap: a lock, a move into a vector, and a wake-up only when a batch is full.
  void push(storage_rows::QueuedRecord record);
  // Blocks until everything pushed before it is committed; reports failures since the last flush.
  Status flush();
  // Writes `record` after everything queued before it, in its own transaction, and returns once
  // it is committed with synchronous=FULL (on disk, not only in the OS cache).
  Status write_durably(storage_rows::QueuedRecord record);
  // Runs `task` on the writer thread after everything queued before it, and waits for it.
  Status run(Task task);
  std::string last_error() const;

 private:
  // A point in the queue that a caller waits on.
  struct Barrier {
    std::optional<storage_rows::QueuedRecord> durable_record;
    Task task;
    std::promise<Status>* done = nullptr;
  };
  using Item = std::variant<storage_rows::QueuedRecord, Barrier>;

  SqliteWriter(sqlite::Connection connection, std::filesystem::path path,
               SqliteWriterLimits limits);
  Status wait_for(Barrier barrier);
  void thread_main();
  void write_batch(std::vector<Item>& batch);
  void commit_pending();
  void pass_barrier(Barrier& barrier);
  std::optional<sqlite::Error> write_record(const storage_rows::QueuedRecord& record);
  std::optional<sqlite::Error> in_transaction(
      const std::function<std::optional<sqlite::Error>()>& work);
  std::string describe_failure(const storage_rows::QueuedRecord& record,
                               const sqlite::Error& error) const;
  void note_failure(std::size_t lost_records, const std::string& message);
  Status take_failures();

  const std::filesystem::path path_;
  const SqliteWriterLimits limits_;

  // Writer thread only. Statements are declared after the connection so they are finalised first.
  sqlite::Connection connection_;
  std::array<sqlite::Statement, std::variant_size_v<storage_rows::QueuedRecord>> inserts_;
  std::vector<const storage_rows::QueuedRecord*> pending_;  // written in the next transaction

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable space_free_;
  std::vector<Item> queue_;
  bool urgent_ = false;  // a caller waits on a barrier: write without waiting for the interval
  bool stopping_ = false;

  mutable std::mutex failures_mutex_;
  std::size_t failures_since_flush_ = 0;
  std::string first_failure_since_flush_;
  std::string last_failure_;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cephalo
