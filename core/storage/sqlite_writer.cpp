#include "storage/sqlite_writer.hpp"

#include <sqlite3.h>

#include <exception>
#include <utility>

#include "storage/text.hpp"

namespace cephalo {
namespace {

using storage_rows::QueuedRecord;
using storage_text::cat;

template <std::size_t... I>
std::optional<sqlite::Error> prepare_inserts(
    sqlite::Connection& connection,
    std::array<sqlite::Statement, std::variant_size_v<QueuedRecord>>& out_inserts,
    std::index_sequence<I...>) {
  std::optional<sqlite::Error> error;
  ((error = error ? error
                  : connection.prepare(
                        storage_rows::table_sql(
                            storage_rows::RowTag<std::variant_alternative_t<I, QueuedRecord>>{})
                            .insert,
                        out_inserts[I])),
   ...);
  return error;
}

std::string_view table_of(const QueuedRecord& record) {
  return std::visit(
      [](const auto& row) -> std::string_view {
        return storage_rows::table_sql(storage_rows::RowTag<std::decay_t<decltype(row)>>{}).table;
      },
      record);
}

// Only these failures belong to one record; any other (busy, I/O, disk full) would fail every
// record alike, so retrying them one by one would only multiply the wait.
bool is_record_specific(int code) {
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return true;
    default:
      return false;
  }
}

}  // namespace

SqliteWriter::SqliteWriter(sqlite::Connection connection, std::filesystem::path path,
                           SqliteWriterLimits limits)
    : path_(std::move(path)), limits_(limits), connection_(std::move(connection)) {}

Result<std::unique_ptr<SqliteWriter>> SqliteWriter::start(sqlite::Connection connection,
                                                          std::filesystem::path path,
                                                          SqliteWriterLimits limits) {
  std::unique_ptr<SqliteWriter> writer(
      new SqliteWriter(std::move(connection), std::move(path), limits));
  if (auto error = prepare_inserts(writer->connection_, writer->inserts_,
                                   std::make_index_sequence<std::variant_size_v<QueuedRecord>>{})) {
    return Status::failure(cat("storage file '", writer->path_.string(),
                               "': cannot prepare an insert (sqlite: ", error->message, ")"));
  }
  // Room for a full queue up front: growing it while a busy backtest fills it moved every queued
  // record at each doubling (a third of the loop thread's time in a profile). Reserving touches no
  // page, so a quiet bot's memory stays where it was.
  writer->queue_.reserve(limits.max_queued + 1);
  writer->thread_ = std::thread(&SqliteWriter::thread_main, writer.get());
  return writer;
}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SqliteWriter::push(QueuedRecord record) {
  std::unique_lock lock(mutex_);
  if (queue_.size() >= limits_.max_queued) {
    space_free_.wait(lock, [this] { return queue_.size() < limits_.max_queued; });
  }
  queue_.emplace_back(std::move(record));
  // Only a full batch wakes the writer early; otherwise its interval timer picks records up.
  const bool wake = queue_.size() == limits_.batch_size || queue_.size() >= limits_.max_queued;
  lock.unlock();
  if (wake) work_ready_.notify_one();
}

Status SqliteWriter::flush() {
  return wait_for(Barrier{});
}

Status SqliteWriter::write_durably(QueuedRecord record) {
  Barrier barrier;
  barrier.durable_record = std::move(record);
  return wait_for(std::move(barrier));
}

Status SqliteWriter::run(Task task) {
  Barrier barrier;
  barrier.task = std::move(task);
  return wait_for(std::move(barrier));
}

std::string SqliteWriter::last_error() const {
  std::lock_guard lock(failures_mutex_);
  return last_failure_;
}

Status SqliteWriter::wait_for(Barrier barrier) {
  std::promise<Status> done;
  std::future<Status> result = done.get_future();
  barrier.done = &done;
  {
    // A barrier ignores max_queued: a caller waiting for space could never be served otherwise.
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(barrier));
    urgent_ = true;
  }
  work_ready_.notify_one();
  return result.get();
}

void SqliteWriter::thread_main() {
  std::vector<Item> batch;
  batch.reserve(limits_.max_queued + 1);  // swapped with queue_: the same room on both sides
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait_for(lock, limits_.flush_interval, [this] {
      return stopping_ || urgent_ || queue_.size() >= limits_.batch_size;
    });
    urgent_ = false;
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    // Swapping hands producers back the emptied vector with its capacity: no allocation per batch.
    batch.swap(queue_);
    lock.unlock();
    space_free_.notify_all();
    write_batch(batch);
    batch.clear();
    lock.lock();
  }
}

void SqliteWriter::write_batch(std::vector<Item>& batch) {
  for (Item& item : batch) {
    if (const auto* record = std::get_if<QueuedRecord>(&item)) {
      pending_.push_back(record);
      if (pending_.size() >= limits_.batch_size) commit_pending();
    } else {
      commit_pending();
      pass_barrier(std::get<Barrier>(item));
    }
  }
  commit_pending();
}

void SqliteWriter::commit_pending() {
  if (pending_.empty()) return;
  std::optional<sqlite::Error> error;
  const QueuedRecord* failed = nullptr;
  try {
    error = in_transaction([this, &failed]() -> std::optional<sqlite::Error> {
      for (const QueuedRecord* record : pending_) {
        if (auto record_error = write_record(*record)) {
          failed = record;
          return record_error;
        }
      }
      return std::nullopt;
    });
  } catch (const std::exception& exception) {
    error = sqlite::Error{SQLITE_ERROR, exception.what()};
    if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
  }
  if (error && failed != nullptr && is_record_specific(error->code)) {
    // One bad record must not cost the others: write them one by one, each committed alone.
    for (const QueuedRecord* record : pending_) {
      if (auto record_error = write_record(*record)) {
        note_failure(1, describe_failure(*record, *record_error));
      }
    }
  } else if (error) {
    const std::string message = failed != nullptr
                                    ? describe_failure(*failed, *error)
                                    : cat("writing a batch failed (sqlite: ", error->message, ")");
    note_failure(pending_.size(), message);
  }
  pending_.clear();
}

void SqliteWriter::pass_barrier(Barrier& barrier) {
  Status status;
  if (barrier.durable_record || barrier.task) {
    const bool durable = barrier.durable_record.has_value();
    std::optional<sqlite::Error> error;
    try {
      // FULL makes this commit sync the WAL to disk; the others stay NORMAL for throughput.
      if (durable) error = connection_.exec("PRAGMA synchronous = FULL");
      if (!error) {
        error = in_transaction([&]() -> std::optional<sqlite::Error> {
          return durable ? write_record(*barrier.durable_record) : barrier.task(connection_);
        });
      }
    } catch (const std::exception& exception) {
      error = sqlite::Error{SQLITE_ERROR, exception.what()};
      if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
    }
    if (durable) (void)connection_.exec("PRAGMA synchronous = NORMAL");
    if (error) {
      const std::string message =
          durable ? describe_failure(*barrier.durable_record, *error)
                  : cat("storage file '", path_.string(), "': ", error->message);
      // The caller gets this failure directly, so it is not counted again by flush().
      std::lock_guard lock(failures_mutex_);
      last_failure_ = message;
      status = Status::failure(message);
    }
  } else {
    status = take_failures();
  }
  barrier.done->set_value(std::move(status));
}

std::optional<sqlite::Error> SqliteWriter::write_record(const QueuedRecord& record) {
  sqlite::Statement& insert = inserts_[record.index()];
  std::visit([&insert](const auto& row) { storage_rows::bind_row(insert, row); }, record);
  std::optional<sqlite::Error> error;
  if (insert.step() != SQLITE_DONE) error = connection_.last_error();
  insert.reset();
  return error;
}

std::optional<sqlite::Error> SqliteWriter::in_transaction(
    const std::function<std::optional<sqlite::Error>()>& work) {
  // IMMEDIATE takes the write lock up front, so a busy file fails here rather than mid-batch.
  if (auto error = connection_.exec("BEGIN IMMEDIATE")) return error;
  auto error = work();
  if (!error) error = connection_.exec("COMMIT");
  if (error && connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
  return error;
}

std::string SqliteWriter::describe_failure(const QueuedRecord& record,
                                           const sqlite::Error& error) const {
  std::string message = cat("writing to table ", table_of(record), " failed");
  if (const auto* order = std::get_if<OrderRecord>(&record)) {
    message += cat(" for order '", order->client_order_id, "'");
  }
  return cat(message, " (sqlite: ", error.message, ")");
}

void SqliteWriter::note_failure(std::size_t lost_records, const std::string& message) {
  std::lock_guard lock(failures_mutex_);
  if (failures_since_flush_ == 0) first_failure_since_flush_ = message;
  failures_since_flush_ += lost_records;
  last_failure_ = message;
}

Status SqliteWriter::take_failures() {
  std::lock_guard lock(failures_mutex_);
  if (failures_since_flush_ == 0) return Status();
  Status failed = Status::failure(cat(
      std::to_string(failures_since_flush_), " record(s) could not be written to storage file '",
      path_.string(), "' and are lost; first failure: ", first_failure_since_flush_,
      "; check free disk space and that no other program holds the file"));
  failures_since_flush_ = 0;
  first_failure_since_flush_.clear();
  return failed;
}

}  // namespace cephalo
