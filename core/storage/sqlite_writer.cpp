#include "storage/sqlite_writer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <cstring>
#include <exception>
#include <utility>

#include "storage/run_extents.hpp"
#include "storage/text.hpp"

namespace cephalo {
namespace {

using storage_tables::JournalRecord;
using storage_text::cat;

std::string_view table_of(const JournalRecord& record) {
  return std::visit(
      [](const auto& row) { return storage_tables::table_name<std::decay_t<decltype(row)>>(); },
      record);
}

// Only these failures belong to one record; any other (busy, I/O, disk full) fails every record
// alike and stops the writer.
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
    : path_(std::move(path)), limits_(std::move(limits)), connection_(std::move(connection)) {}

Result<std::unique_ptr<SqliteWriter>> SqliteWriter::start(sqlite::Connection connection,
                                                          std::filesystem::path path,
                                                          SqliteWriterLimits limits) {
  std::unique_ptr<SqliteWriter> writer(
      new SqliteWriter(std::move(connection), std::move(path), std::move(limits)));
  // IMMEDIATE takes the write lock up front, so a busy file fails here rather than mid-batch.
  std::optional<sqlite::Error> error =
      writer->connection_.prepare("BEGIN IMMEDIATE", writer->begin_);
  if (!error) error = writer->connection_.prepare("COMMIT", writer->commit_);
  if (!error) error = writer->connection_.prepare("SAVEPOINT rows", writer->savepoint_);
  if (!error) {
    error = writer->connection_.prepare("ROLLBACK TO rows", writer->rollback_to_savepoint_);
  }
  if (!error) error = writer->connection_.prepare("RELEASE rows", writer->release_savepoint_);
  if (error) {
    return Status::failure(cat("storage file '", writer->path_.string(),
                               "': cannot prepare a transaction (sqlite: ", error->message, ")"));
  }
  // Room for a full queue up front: growing it while a busy backtest fills it moved every queued
  // record at each doubling (a third of the loop thread's time in a profile). Reserving touches no
  // page, so a quiet bot's memory stays where it was.
  writer->queue_.reserve(writer->limits_.max_queued + 1);
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

void SqliteWriter::wait_for_space(std::unique_lock<std::mutex>& lock) {
  if (queue_.size() >= limits_.max_queued) {
    space_free_.wait(lock, [this] { return queue_.size() < limits_.max_queued; });
  }
}

void SqliteWriter::wake_if_due(std::unique_lock<std::mutex>& lock) {
  // Only a full batch wakes the writer early; otherwise its interval timer picks records up.
  const bool wake = queue_.size() == limits_.batch_size || queue_.size() >= limits_.max_queued;
  lock.unlock();
  if (wake) work_ready_.notify_one();
}

Status SqliteWriter::flush() {
  return wait_for(Barrier{});
}

Status SqliteWriter::write_durably(JournalRecord record) {
  Barrier barrier;
  barrier.durable_record = std::move(record);
  return wait_for(std::move(barrier));
}

Status SqliteWriter::run(Task task) {
  Barrier barrier;
  barrier.task = std::move(task);
  return wait_for(std::move(barrier));
}

Result<std::int64_t> SqliteWriter::start_run(RunRecord run) {
  std::int64_t id = 0;
  // `run` stays valid: this thread waits for the writer to finish with it.
  Status status = this->run([&](sqlite::Connection& db) -> std::optional<sqlite::Error> {
    sqlite::Statement insert;
    if (auto error = db.prepare(storage_tables::insert_sql<RunRecord>(), insert)) return error;
    storage_tables::bind_row(insert, 0, run);
    if (insert.step() != SQLITE_DONE) return db.last_error();
    id = db.last_insert_rowid();
    return run_extents::open(db, id);
  });
  if (!status) return status;
  // Records pushed from here on are written after the run's row, so they belong to it.
  run_id_.store(id);
  return id;
}

StorageProblems SqliteWriter::problems() const {
  std::lock_guard lock(problems_mutex_);
  return problems_;
}

void SqliteWriter::set_problem_listener(ProblemListener listener) {
  std::lock_guard lock(problems_mutex_);
  listener_ = std::move(listener);
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
  pthread_setname_np(pthread_self(), "cephalo-journal");  // in top, perf and gdb
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
    if (const auto* record = std::get_if<JournalRecord>(&item)) {
      pending_[record->index()].push_back(record);
      if (++pending_count_ >= limits_.batch_size) commit_pending();
    } else {
      commit_pending();
      pass_barrier(std::get<Barrier>(item));
    }
  }
  commit_pending();
}

void SqliteWriter::clear_pending() {
  for (auto& rows : pending_) rows.clear();
  pending_count_ = 0;
}

void SqliteWriter::commit_pending() {
  if (pending_count_ == 0) return;
  if (stopped_.load(std::memory_order_relaxed)) {
    note_lost(pending_count_);
    clear_pending();
    return;
  }
  std::string failure;
  std::size_t refused = 0;
  if (begin_.step() != SQLITE_DONE) {
    failure = cat("cannot start a transaction (sqlite: ", connection_.last_error().message, ")");
  }
  begin_.reset();
  // Table by table: the transaction makes them visible together, and each table's rows keep
  // their queue order (their rowids).
  for (const auto& rows : pending_) {
    if (failure.empty() && !rows.empty()) failure = write_rows(rows, refused);
  }
  if (failure.empty()) {
    if (commit_.step() != SQLITE_DONE) {
      failure = cat("committing a batch failed (sqlite: ", connection_.last_error().message, ")");
    }
    commit_.reset();
  }
  if (!failure.empty()) {
    // The whole batch is undone; earlier batches stay committed.
    if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
    note_failure(pending_count_ - refused, failure);
  }
  clear_pending();
}

// Defined before write_rows, its user: clang 14 emits no instantiation for a member template
// first used inside a generic lambda ahead of its definition (an undefined reference at link).
template <class Row>
SqliteWriter::Written SqliteWriter::write_several(const JournalRecord* const* records,
                                                  std::size_t count, sqlite::Error& out_error) {
  const std::int64_t run = run_id_.load(std::memory_order_relaxed);
  if (run == 0) return Written::kRefused;  // each is then refused by name
  sqlite::Statement* insert = insert_for(records[0]->index(), count, out_error);
  if (insert == nullptr) return Written::kFailed;
  int index = 1;
  for (std::size_t i = 0; i < count; ++i) {
    index = storage_tables::bind_row(*insert, index, run, std::get<Row>(*records[i]));
  }
  // An upsert that kept a stored row (a newer state) raises no error: the count of rows changed
  // tells, and a savepoint lets the whole statement be undone, to redo it row by row.
  constexpr bool kMayKeep = storage_tables::may_keep_stored_row<Row>();
  auto run_savepoint = [&](sqlite::Statement& statement) {
    const bool done = statement.step() == SQLITE_DONE;
    statement.reset();
    if (!done) out_error = connection_.last_error();
    return done;
  };
  if (kMayKeep && !run_savepoint(savepoint_)) return Written::kFailed;
  Written written = Written::kOk;
  if (insert->step() != SQLITE_DONE) {
    out_error = connection_.last_error();
    written = is_record_specific(out_error.code) ? Written::kRefused : Written::kFailed;
  } else if (kMayKeep && connection_.changes() < static_cast<std::int64_t>(count)) {
    written = Written::kRefused;  // which row: the caller writes them one by one
  }
  insert->rewind();  // every parameter is bound again before the next step
  if (kMayKeep) {
    if (written == Written::kRefused && !run_savepoint(rollback_to_savepoint_)) {
      return Written::kFailed;
    }
    if (written != Written::kFailed && !run_savepoint(release_savepoint_)) {
      return Written::kFailed;
    }
  }
  return written;
}

std::string SqliteWriter::write_rows(const std::vector<const JournalRecord*>& rows,
                                     std::size_t& inout_refused) {
  // One record on its own: a refusal is counted and named and the batch goes on (SQLite undid
  // that one statement only); a failure of the file ends the batch.
  auto one = [&](const JournalRecord& record) -> std::string {
    sqlite::Error error;
    const Written written = write_record(record, error);
    if (written == Written::kRefused) {
      ++inout_refused;
      note_refused(describe_refusal(record, error));
    }
    if (written != Written::kFailed) return {};
    return cat("writing to table ", table_of(record), " failed (sqlite: ", error.message, ")");
  };
  return std::visit(
      [&](const auto& first) -> std::string {
        using Row = std::decay_t<decltype(first)>;
        const bool several =
            !(limits_.repeat_nth > 0 && storage_tables::table_name<Row>() == limits_.repeat_table);
        for (std::size_t at = 0; at < rows.size();) {
          const std::size_t count = several ? std::min(kRowsPerInsert, rows.size() - at) : 1;
          if (count == 1) {
            if (std::string failure = one(*rows[at]); !failure.empty()) return failure;
            ++at;
            continue;
          }
          sqlite::Error error;
          const Written written = write_several<Row>(&rows[at], count, error);
          if (written == Written::kFailed) {
            return cat("writing to table ", storage_tables::table_name<Row>(),
                       " failed (sqlite: ", error.message, ")");
          }
          if (written == Written::kRefused) {
            // The statement was undone as a whole: each row again, to name the refused one.
            for (std::size_t i = at; i < at + count; ++i) {
              if (std::string failure = one(*rows[i]); !failure.empty()) return failure;
            }
          }
          at += count;
        }
        return std::string();
      },
      *rows.front());
}


sqlite::Statement* SqliteWriter::insert_for(std::size_t table, std::size_t rows,
                                            sqlite::Error& out_error) {
  sqlite::Statement& insert = inserts_[table][rows - 1];
  if (insert.prepared()) return &insert;
  std::optional<sqlite::Error> error;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((I == table
          ? (void)(error = connection_.prepare(
                       storage_tables::insert_sql<std::variant_alternative_t<I, JournalRecord>>(
                           rows),
                       insert))
          : (void)0),
     ...);
  }
  (std::make_index_sequence<kTables>{});
  if (!error) return &insert;
  out_error = *error;
  return nullptr;
}

void SqliteWriter::pass_barrier(Barrier& barrier) {
  Status status;
  if (barrier.durable_record) {
    if (stopped_.load()) {
      status = Status::failure(cat("not written to storage file '", path_.string(),
                                   "': storage stopped after a failure: ", problems().failure));
    } else {
      sqlite::Error error;
      Written written = Written::kFailed;
      std::optional<sqlite::Error> failed;
      // FULL makes this commit sync the WAL to disk; the others stay NORMAL for throughput.
      failed = connection_.exec("PRAGMA synchronous = FULL");
      if (!failed) {
        failed = in_transaction([&]() -> std::optional<sqlite::Error> {
          written = write_record(*barrier.durable_record, error);
          if (written != Written::kOk) return error;
          return std::nullopt;
        });
      }
      (void)connection_.exec("PRAGMA synchronous = NORMAL");
      if (failed) {
        // The caller gets this failure directly (its order is not sent), so a refusal is not
        // counted again by flush(); a failure of the file stops the writer like any other.
        const std::string message =
            written == Written::kRefused
                ? describe_refusal(*barrier.durable_record, *failed)
                : cat("writing to table ", table_of(*barrier.durable_record),
                      " failed (sqlite: ", failed->message, ")");
        if (written != Written::kRefused) note_failure(0, message);
        status = Status::failure(cat("storage file '", path_.string(), "': ", message));
      }
    }
  } else if (barrier.task) {
    // Tasks (a run's start and end) are tried even after a failure: marking a run as failed
    // may still succeed, and if not, the caller hears why.
    std::optional<sqlite::Error> error;
    try {
      error = in_transaction([&] { return barrier.task(connection_); });
    } catch (const std::exception& exception) {
      error = sqlite::Error{SQLITE_ERROR, exception.what()};
      if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
    }
    if (error)
      status = Status::failure(cat("storage file '", path_.string(), "': ", error->message));
  } else {
    status = take_failures();
  }
  barrier.done->set_value(std::move(status));
}

SqliteWriter::Written SqliteWriter::write_record_once(const JournalRecord& record,
                                                      sqlite::Error& out_error) {
  const std::int64_t run = run_id_.load(std::memory_order_relaxed);
  if (run == 0) {
    out_error = sqlite::Error{SQLITE_CONSTRAINT,
                              "no run was started: every row belongs to a run (start_run)"};
    return Written::kRefused;
  }
  sqlite::Statement* insert = insert_for(record.index(), 1, out_error);
  if (insert == nullptr) return Written::kFailed;
  std::visit([&](const auto& row) { storage_tables::bind_row(*insert, run, row); }, record);
  Written written = Written::kOk;
  if (insert->step() != SQLITE_DONE) {
    out_error = connection_.last_error();
    written = is_record_specific(out_error.code) ? Written::kRefused : Written::kFailed;
  } else if (connection_.changes() == 0) {
    // An upsert whose WHERE kept the stored row (Table::kNewer): a newer state is stored.
    out_error = sqlite::Error{SQLITE_CONSTRAINT,
                              "a newer state of this row is stored; this older one is not written"};
    written = Written::kRefused;
  }
  insert->rewind();  // every parameter is bound again before the next step
  return written;
}

SqliteWriter::Written SqliteWriter::write_record(const JournalRecord& record,
                                                 sqlite::Error& out_error) {
  Written written = write_record_once(record, out_error);
  if (written == Written::kOk && limits_.repeat_nth > 0 &&
      table_of(record) == limits_.repeat_table && ++repeat_seen_ == limits_.repeat_nth) {
    written = write_record_once(record, out_error);  // refused by the key now stored
  }
  return written;
}

std::optional<sqlite::Error> SqliteWriter::in_transaction(
    const std::function<std::optional<sqlite::Error>()>& work) {
  std::optional<sqlite::Error> error;
  if (begin_.step() != SQLITE_DONE) error = connection_.last_error();
  begin_.reset();
  if (error) return error;
  error = work();
  if (!error) {
    if (commit_.step() != SQLITE_DONE) error = connection_.last_error();
    commit_.reset();
  }
  if (error && connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
  return error;
}

std::string SqliteWriter::describe_refusal(const JournalRecord& record,
                                           const sqlite::Error& error) const {
  const std::int64_t run = run_id_.load(std::memory_order_relaxed);
  const std::string key =
      std::visit([run](const auto& row) { return storage_tables::describe_key(run, row); }, record);
  return cat("table ", table_of(record), ", key (", key, "): not written (sqlite: ", error.message,
             ")");
}

void SqliteWriter::note_refused(const std::string& message) {
  ProblemListener listener;
  StorageProblems snapshot;
  {
    std::lock_guard lock(problems_mutex_);
    if (problems_.refused++ == 0) {
      listener = listener_;
      snapshot = problems_;
    }
    if (problems_.messages.size() < StorageProblems::kMaxMessages) {
      problems_.messages.push_back(message);
    }
    if (failures_since_flush_++ == 0) first_failure_since_flush_ = message;
  }
  if (listener) listener(snapshot, false);
}

void SqliteWriter::note_failure(std::size_t lost_records, const std::string& message) {
  ProblemListener listener;
  StorageProblems snapshot;
  {
    std::lock_guard lock(problems_mutex_);
    if (problems_.failure.empty()) {
      problems_.failure = message;
      problems_.messages.push_back(message);  // always kept, however many refusals came first
      listener = listener_;
    }
    problems_.lost += static_cast<std::int64_t>(lost_records);
    if (failures_since_flush_ == 0) first_failure_since_flush_ = message;
    failures_since_flush_ += std::max<std::size_t>(lost_records, 1);
    snapshot = problems_;
  }
  stopped_.store(true);
  if (listener) listener(snapshot, true);
}

void SqliteWriter::note_lost(std::size_t records) {
  std::lock_guard lock(problems_mutex_);
  problems_.lost += static_cast<std::int64_t>(records);
  failures_since_flush_ += records;
}

Status SqliteWriter::take_failures() {
  std::lock_guard lock(problems_mutex_);
  if (failures_since_flush_ == 0) return Status();
  Status failed = Status::failure(cat(
      std::to_string(failures_since_flush_), " record(s) could not be written to storage file '",
      path_.string(), "'; first: ", first_failure_since_flush_,
      problems_.failure.empty()
          ? std::string()
          : cat("; storage stopped: ", problems_.failure,
                " (check free disk space and that no other program holds the file)")));
  failures_since_flush_ = 0;
  first_failure_since_flush_.clear();
  return failed;
}

}  // namespace cephalo
