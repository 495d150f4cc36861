#include "storage/sqlite_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <system_error>
#include <utility>

#include "storage/row_mapping.hpp"
#include "storage/schema.hpp"
#include "storage/sqlite_writer.hpp"
#include "storage/storage_errors.hpp"
#include "storage/text.hpp"

namespace cephalo {
namespace {

using storage_rows::RowTag;
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

}  // namespace

SqliteRepository::SqliteRepository(std::filesystem::path path, sqlite::Connection reader,
                                   std::unique_ptr<SqliteWriter> writer)
    : path_(std::move(path)), reader_(std::move(reader)), writer_(std::move(writer)) {}

SqliteRepository::~SqliteRepository() = default;

std::int64_t SqliteRepository::latest_schema_version() {
  return storage_schema::latest_version();
}

Result<std::unique_ptr<SqliteRepository>> SqliteRepository::open(const std::filesystem::path& path,
                                                                 SqliteOptions options) {
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
  if (version.value() < storage_schema::latest_version()) {
    if (Status migrated = storage_schema::migrate(writer, path); !migrated) return migrated;
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
  auto started = SqliteWriter::start(std::move(writer), path, limits);
  if (!started) return started.status();
  return std::unique_ptr<SqliteRepository>(
      new SqliteRepository(path, std::move(reader), std::move(started).value()));
}

Result<std::int64_t> SqliteRepository::schema_version() const {
  std::lock_guard lock(reader_mutex_);
  std::int64_t version = 0;
  if (auto error = reader_.query_int64("PRAGMA user_version", version)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  return version;
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

std::string SqliteRepository::last_error() const {
  return writer_->last_error();
}

Result<std::int64_t> SqliteRepository::start_run(std::int64_t started_ns, std::string_view mode,
                                                 std::string_view config_json) {
  std::int64_t id = 0;
  // The views stay valid: this thread waits for the writer to finish with them.
  Status status = writer_->run([&](sqlite::Connection& db) -> std::optional<sqlite::Error> {
    sqlite::Statement insert;
    if (auto error = db.prepare(
            "INSERT INTO runs (started_ns, mode, config_json) VALUES (?1, ?2, ?3)", insert)) {
      return error;
    }
    insert.bind(1, started_ns);
    insert.bind(2, mode);
    insert.bind(3, config_json);
    if (insert.step() != SQLITE_DONE) return db.last_error();
    id = db.last_insert_rowid();
    return std::nullopt;
  });
  if (!status) return status;
  return id;
}

Status SqliteRepository::finish_run(std::int64_t run_id, std::int64_t finished_ns) {
  return writer_->run([&](sqlite::Connection& db) -> std::optional<sqlite::Error> {
    sqlite::Statement update;
    if (auto error = db.prepare("UPDATE runs SET finished_ns = ?2 WHERE id = ?1", update)) {
      return error;
    }
    update.bind(1, run_id);
    update.bind(2, finished_ns);
    if (update.step() != SQLITE_DONE) return db.last_error();
    if (db.changes() == 0) {
      return sqlite::Error{SQLITE_NOTFOUND, cat("no run with id ", std::to_string(run_id),
                                                " to finish; start_run returns the id to use")};
    }
    return std::nullopt;
  });
}

Result<std::int64_t> SqliteRepository::count(std::string_view table) const {
  const auto names = storage_rows::table_names();
  if (std::find(names.begin(), names.end(), table) == names.end()) {
    std::string known;
    for (std::string_view name : names) known += cat(known.empty() ? "" : ", ", name);
    return Status::failure(cat("storage has no table '", table, "'; expected one of: ", known));
  }
  std::lock_guard lock(reader_mutex_);
  std::int64_t rows = 0;
  // The name is one of ours (checked above), so building the SQL from it is safe.
  if (auto error = reader_.query_int64(cat("SELECT count(*) FROM ", table), rows)) {
    return Status::failure(storage_errors::describe(path_, *error));
  }
  return rows;
}

template <class Row>
Result<std::vector<Row>> SqliteRepository::select(std::string_view filter_and_order,
                                                  std::vector<std::string_view> parameters) const {
  const std::string sql = cat(storage_rows::table_sql(RowTag<Row>{}).select, " ", filter_and_order);
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
    storage_rows::read_row(query, row);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE)
    return Status::failure(storage_errors::describe(path_, reader_.last_error()));
  return rows;
}

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
