#include "storage/sqlite_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <system_error>
#include <utility>

#include "storage/run_extents.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage/storage_errors.hpp"
#include "storage/stored_records.hpp"
#include "storage/text.hpp"

namespace cephalo {
namespace {

using storage_tables::Table;
using storage_tables::Tag;
using storage_text::cat;

Status check_options(const std::filesystem::path& path, const SqliteOptions& options) {
  std::string problems;
  auto problem = [&problems](const std::string& text) {
    problems += problems.empty() ? text : cat("; ", text);
  };
  if (options.batch_size < 1) problem("batch_size must be at least 1 (got 0)");
  if (options.flush_interval_ms < 1) {
    problem(cat("flush_interval_ms must be at least 1 (got ",
                std::to_string(options.flush_interval_ms), ")"));
  }
  if (options.max_queued < options.batch_size) {
    problem(cat("max_queued must be at least batch_size (", std::to_string(options.batch_size),
                "), got ", std::to_string(options.max_queued)));
  }
  if (options.busy_timeout_ms < 0) {
    problem(cat("busy_timeout_ms must not be negative (got ",
                std::to_string(options.busy_timeout_ms), ")"));
  }
  if (problems.empty()) return Status();
  return Status::failure(cat("storage options for '", path.string(), "' are invalid: ", problems));
}

// Every table name count() and count_by_run() accept, from the descriptions.
std::vector<std::string_view> table_names() {
  std::vector<std::string_view> names{Table<RunRecord>::kName};
  storage_tables::for_each_journal_table(
      [&names]<class Row>(Tag<Row>) { names.push_back(Table<Row>::kName); });
  return names;
}

// The order a run's rows are read in: as written, or by key for a key-ordered table.
template <class Row>
std::string read_order() {
  if constexpr (Table<Row>::kWithoutRowid) {
    std::string order;
    for (std::string_view part : Table<Row>::kKey) order += cat(order.empty() ? "" : ", ", part);
    return order;
  } else {
    return "rowid";
  }
}

}  // namespace

SqliteRepository::SqliteRepository(std::filesystem::path path, sqlite::Connection reader,
                                   std::unique_ptr<SqliteWriter> writer, std::string migration_note)
    : path_(std::move(path)),
      migration_note_(std::move(migration_note)),
      reader_(std::move(reader)),
      writer_(std::move(writer)) {}

SqliteRepository::~SqliteRepository() = default;

std::int64_t SqliteRepository::latest_schema_version() {
  return storage_schema::latest_version();
}

Result<std::unique_ptr<SqliteRepository>> SqliteRepository::open(const std::filesystem::path& path,
                                                                 const SqliteOptions& options) {
  if (Status valid = check_options(path, options); !valid) return valid;
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      return Status::failure(cat("cannot create the folder '", path.parent_path().string(),
                                 "' for storage file '", path.string(), "' (", error.message(),
                                 "); create it or point storage.path elsewhere"));
    }
  }

  sqlite::Connection writer;
  if (auto error = sqlite::Connection::open(path, options.busy_timeout_ms, writer)) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  // Every check that can refuse the file runs before the first write to it.
  Result<std::int64_t> version = storage_schema::check(writer, path);
  if (!version) return version.status();
  // WAL lets readers (the CLI, the web interface) run while the writer commits. NORMAL is safe
  // in WAL mode against crashes of cephalo; record_order_sync asks for FULL when it matters.
  if (auto error = writer.exec(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  std::string note;
  if (version.value() < storage_schema::latest_version()) {
    Result<std::string> migrated = storage_schema::migrate(writer, path);
    if (!migrated) return migrated.status();
    note = std::move(migrated).value();
  }

  sqlite::Connection reader;
  if (auto error = sqlite::Connection::open(path, options.busy_timeout_ms, reader)) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  if (auto error = reader.exec("PRAGMA query_only = ON; PRAGMA foreign_keys = ON")) {
    return Status::failure(storage_errors::describe(path, *error));
  }

  SqliteWriterLimits limits;
  limits.batch_size = options.batch_size;
  limits.flush_interval = std::chrono::milliseconds(options.flush_interval_ms);
  limits.max_queued = options.max_queued;
  limits.repeat_table = options.test_conflict_table;
  limits.repeat_nth = options.test_conflict_nth;
  auto started = SqliteWriter::start(std::move(writer), path, std::move(limits));
  if (!started) return started.status();
  return std::unique_ptr<SqliteRepository>(
      new SqliteRepository(path, std::move(reader), std::move(started).value(), std::move(note)));
}

Result<std::int64_t> SqliteRepository::schema_version() const {
  std::lock_guard lock(reader_mutex_);
  std::int64_t version = 0;
  if (auto error = reader_.query_int64("PRAGMA user_version", version)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  return version;
}

void SqliteRepository::set_problem_listener(StorageProblemListener listener) {
  writer_->set_problem_listener(std::move(listener));
}

void SqliteRepository::record(EventRecord event) {
  writer_->push(std::move(event));
}
void SqliteRepository::record(CandleRecord candle) {
  writer_->push(std::move(candle));
}
void SqliteRepository::record(EvaluationRecord evaluation) {
  writer_->push(std::move(evaluation));
}
void SqliteRepository::record(SignalRecord signal) {
  writer_->push(std::move(signal));
}
void SqliteRepository::record(OrderIntentRecord intent) {
  writer_->push(std::move(intent));
}
void SqliteRepository::record(RiskVerdictRecord verdict) {
  writer_->push(std::move(verdict));
}
void SqliteRepository::record(OrderRecord order) {
  writer_->push(std::move(order));
}
void SqliteRepository::record(FillRecord fill) {
  writer_->push(std::move(fill));
}
void SqliteRepository::record(TradeRecord trade) {
  writer_->push(std::move(trade));
}
void SqliteRepository::record(BalanceRecord balance) {
  writer_->push(std::move(balance));
}
void SqliteRepository::record(TentacleLoadRecord load) {
  writer_->push(std::move(load));
}
void SqliteRepository::record(TentacleSwapRecord swap) {
  writer_->push(std::move(swap));
}

Status SqliteRepository::record_order_sync(OrderRecord order) {
  return writer_->write_durably(std::move(order));
}

Status SqliteRepository::record_live_order_sync(LiveOrderRecord order) {
  return writer_->write_durably(std::move(order));
}

Status SqliteRepository::flush() {
  return writer_->flush();
}

StorageProblems SqliteRepository::problems() const {
  return writer_->problems();
}

Result<std::int64_t> SqliteRepository::start_run(std::int64_t started_ns, std::string_view mode,
                                                 std::string_view config_json) {
  RunRecord run;
  run.started_ns = started_ns;
  run.mode = mode;
  run.config_json = config_json;
  return writer_->start_run(std::move(run));
}

Status SqliteRepository::finish_run(std::int64_t run_id, std::int64_t finished_ns,
                                    std::string_view outcome) {
  return writer_->run([&](sqlite::Connection& db) -> std::optional<sqlite::Error> {
    sqlite::Statement update;
    if (auto error =
            db.prepare("UPDATE runs SET finished_ns = ?2, outcome = ?3 WHERE id = ?1", update)) {
      return error;
    }
    update.bind(1, run_id);
    update.bind(2, finished_ns);
    update.bind(3, outcome);
    if (update.step() != SQLITE_DONE) return db.last_error();
    if (db.changes() == 0) {
      return sqlite::Error{SQLITE_NOTFOUND, cat("no run with id ", std::to_string(run_id),
                                                " to finish; start_run returns the id to use")};
    }
    return run_extents::close(db, run_id);
  });
}

Status SqliteRepository::check_table(std::string_view table) const {
  const auto names = table_names();
  if (std::find(names.begin(), names.end(), table) != names.end()) return Status();
  std::string known;
  for (std::string_view name : names) known += cat(known.empty() ? "" : ", ", name);
  return Status::failure(cat("storage has no table '", table, "'; expected one of: ", known));
}

Result<std::int64_t> SqliteRepository::count(std::string_view table) const {
  if (Status known = check_table(table); !known) return known;
  std::lock_guard lock(reader_mutex_);
  std::int64_t rows = 0;
  // The name is one of ours (checked above), so building the SQL from it is safe.
  if (auto error = reader_.query_int64(cat("SELECT count(*) FROM ", table), rows)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  return rows;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SqliteRepository::count_by_run(
    std::string_view table) const {
  if (Status known = check_table(table); !known) return known;
  if (table == Table<RunRecord>::kName) {
    return Status::failure("count_by_run: the runs table has no run_id; use runs()");
  }
  std::lock_guard lock(reader_mutex_);
  sqlite::Statement query;
  if (auto error = reader_.prepare(
          cat("SELECT run_id, count(*) FROM ", table, " GROUP BY run_id ORDER BY run_id"), query)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> counts;
  int rc = SQLITE_ROW;
  while ((rc = query.step()) == SQLITE_ROW) {
    counts.emplace_back(query.column_int64(0), query.column_int64(1));
  }
  if (rc != SQLITE_DONE) {
    return Status::failure(storage_errors::describe(path_, reader_.last_error()));
  }
  return counts;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteRepository::delete_run(
    std::int64_t run_id) {
  std::vector<std::pair<std::string, std::int64_t>> deleted;
  Status status = writer_->run([&](sqlite::Connection& db) -> std::optional<sqlite::Error> {
    deleted.clear();
    std::optional<sqlite::Error> error;
    storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
      if (error) return;
      auto where = run_extents::where_run(db, run_id, Table<Row>::kName);
      if (!where) {
        error = sqlite::Error{SQLITE_ERROR, where.error()};
        return;
      }
      sqlite::Statement remove;
      if ((error = db.prepare(cat("DELETE FROM ", Table<Row>::kName, " WHERE ", where.value()),
                              remove))) {
        return;
      }
      remove.bind(1, run_id);
      if (remove.step() != SQLITE_DONE) {
        error = db.last_error();
        return;
      }
      if (db.changes() > 0) deleted.emplace_back(Table<Row>::kName, db.changes());
    });
    if (error) return error;
    if ((error = db.exec(cat("DELETE FROM run_extents WHERE run_id = ", std::to_string(run_id))))) {
      return error;
    }
    sqlite::Statement remove_run;
    if ((error = db.prepare("DELETE FROM runs WHERE id = ?1", remove_run))) return error;
    remove_run.bind(1, run_id);
    if (remove_run.step() != SQLITE_DONE) return db.last_error();
    if (db.changes() == 0) {
      return sqlite::Error{SQLITE_NOTFOUND,
                           cat("no run with id ", std::to_string(run_id), " (see runs list)")};
    }
    return std::nullopt;
  });
  if (!status) return status;
  return deleted;
}

template <class Row>
Result<std::vector<Row>> SqliteRepository::select(std::string_view filter_and_order,
                                                  std::vector<std::string_view> parameters) const {
  const std::string sql = cat(storage_tables::select_sql<Row>(), " ", filter_and_order);
  std::lock_guard lock(reader_mutex_);
  sqlite::Statement query;
  if (auto error = reader_.prepare(sql, query)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    query.bind(static_cast<int>(i + 1), parameters[i]);
  }
  std::vector<Row> rows;
  int rc = SQLITE_ROW;
  while ((rc = query.step()) == SQLITE_ROW) {
    Row row;
    storage_tables::read_row(query, row);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE)
    return Status::failure(storage_errors::describe(path_, reader_.last_error()));
  return rows;
}

template <class Row>
Status SqliteRepository::visit_run_rows(std::int64_t run_id,
                                        const std::function<void(const Row&)>& visit) const {
  std::lock_guard lock(reader_mutex_);
  auto where = run_extents::where_run(reader_, run_id, Table<Row>::kName);
  if (!where) return Status::failure(cat("storage file '", path_.string(), "': ", where.error()));
  const std::string sql = cat(storage_tables::select_sql<Row>(), " WHERE ", where.value(),
                              " ORDER BY ", read_order<Row>());
  sqlite::Statement query;
  if (auto error = reader_.prepare(sql, query)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  query.bind(1, run_id);
  int rc = SQLITE_ROW;
  Row row;
  while ((rc = query.step()) == SQLITE_ROW) {
    storage_tables::read_row(query, row);
    visit(row);
  }
  if (rc != SQLITE_DONE) {
    return Status::failure(storage_errors::describe(path_, reader_.last_error()));
  }
  return Status();
}

template <class Row>
Result<std::vector<Row>> SqliteRepository::run_rows(std::int64_t run_id) const {
  std::vector<Row> rows;
  Status visited = visit_run_rows<Row>(run_id, [&rows](const Row& row) { rows.push_back(row); });
  if (!visited) return visited;
  return rows;
}

// Every journal record's run reads, compiled here once. Row is a type: parentheses would not
// name it, so bugprone-macro-parentheses does not apply.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CEPHALO_RUN_READS(Row)                                     \
  template Status SqliteRepository::visit_run_rows<Row>(           \
      std::int64_t, const std::function<void(const Row&)>&) const; \
  template Result<std::vector<Row>> SqliteRepository::run_rows<Row>(std::int64_t) const;
CEPHALO_RUN_READS(EventRecord)
CEPHALO_RUN_READS(CandleRecord)
CEPHALO_RUN_READS(EvaluationRecord)
CEPHALO_RUN_READS(SignalRecord)
CEPHALO_RUN_READS(OrderIntentRecord)
CEPHALO_RUN_READS(RiskVerdictRecord)
CEPHALO_RUN_READS(OrderRecord)
CEPHALO_RUN_READS(FillRecord)
CEPHALO_RUN_READS(TradeRecord)
CEPHALO_RUN_READS(BalanceRecord)
CEPHALO_RUN_READS(TentacleLoadRecord)
CEPHALO_RUN_READS(TentacleSwapRecord)
CEPHALO_RUN_READS(LiveOrderRecord)
#undef CEPHALO_RUN_READS
// NOLINTEND(bugprone-macro-parentheses)

Result<std::vector<EventRecord>> SqliteRepository::events() const {
  return select<EventRecord>("ORDER BY rowid");
}

Result<std::vector<CandleRecord>> SqliteRepository::candles(std::string_view symbol,
                                                            std::string_view timeframe) const {
  return select<CandleRecord>("WHERE symbol = ?1 AND timeframe = ?2 ORDER BY open_time_ns",
                              {symbol, timeframe});
}

Result<std::vector<EvaluationRecord>> SqliteRepository::evaluations() const {
  return select<EvaluationRecord>("ORDER BY rowid");
}

Result<std::vector<SignalRecord>> SqliteRepository::signals() const {
  return select<SignalRecord>("ORDER BY rowid");
}

Result<std::vector<RiskVerdictRecord>> SqliteRepository::risk_verdicts() const {
  return select<RiskVerdictRecord>("ORDER BY rowid");
}

Result<std::vector<OrderRecord>> SqliteRepository::orders() const {
  return select<OrderRecord>("ORDER BY rowid");
}

Result<std::vector<LiveOrderRecord>> SqliteRepository::live_orders() const {
  return select<LiveOrderRecord>("ORDER BY created_ns, rowid");
}

Result<std::vector<FillRecord>> SqliteRepository::fills() const {
  return select<FillRecord>("ORDER BY rowid");
}

Result<std::vector<TradeRecord>> SqliteRepository::trades() const {
  return select<TradeRecord>("ORDER BY rowid");
}

Result<std::vector<BalanceRecord>> SqliteRepository::balances() const {
  return select<BalanceRecord>("ORDER BY rowid");
}

Result<std::vector<TentacleLoadRecord>> SqliteRepository::tentacle_loads() const {
  return select<TentacleLoadRecord>("ORDER BY rowid");
}

Result<std::vector<TentacleSwapRecord>> SqliteRepository::tentacle_swaps() const {
  return select<TentacleSwapRecord>("ORDER BY rowid");
}

Result<std::vector<RunRecord>> SqliteRepository::runs() const {
  return select<RunRecord>("ORDER BY id");
}

}  // namespace cephalo
