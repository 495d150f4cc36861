#include "storage/schema.hpp"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "storage/run_extents.hpp"
#include "storage/storage_errors.hpp"
#include "storage/stored_records.hpp"
#include "storage/text.hpp"

namespace cephalo::storage_schema {
namespace {

using storage_tables::Table;
using storage_tables::Tag;
using storage_text::cat;

// Schema versions 1 to 4, as the releases before run ids wrote them. Frozen: a file an older
// cephalo wrote has run the first of them, and runs only those it lacks. A new file is created
// straight from the record descriptions (stored_records.hpp) at the latest version. Money columns
// are REAL and nullable: a NaN computed by the engine is kept as NULL instead of losing the row.
constexpr std::array<std::string_view, 4> kHistoricMigrations = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_ns INTEGER NOT NULL,
  mode TEXT NOT NULL,
  config_json TEXT NOT NULL,
  finished_ns INTEGER
);
CREATE TABLE events (
  sequence INTEGER NOT NULL,
  type TEXT NOT NULL,
  exchange_time_ns INTEGER NOT NULL,
  receive_time_ns INTEGER NOT NULL,
  payload_json TEXT NOT NULL
);
CREATE INDEX events_by_sequence ON events (sequence);
CREATE TABLE candles (
  symbol TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  open_time_ns INTEGER NOT NULL,
  open REAL,
  high REAL,
  low REAL,
  close REAL,
  volume REAL,
  PRIMARY KEY (symbol, timeframe, open_time_ns)
) WITHOUT ROWID;
CREATE TABLE evaluations (
  sequence INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  evaluator TEXT NOT NULL,
  value REAL,
  confidence REAL
);
CREATE INDEX evaluations_by_symbol_time ON evaluations (symbol, time_ns);
CREATE TABLE signals (
  sequence INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  strategy TEXT NOT NULL,
  intent TEXT NOT NULL,
  strength REAL,
  confidence REAL,
  stop_price REAL,
  target_price REAL
);
CREATE INDEX signals_by_symbol_time ON signals (symbol, time_ns);
CREATE TABLE risk_verdicts (
  sequence INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  tier TEXT NOT NULL,
  rule TEXT NOT NULL,
  intent_sequence INTEGER NOT NULL,
  allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  reason TEXT NOT NULL,
  values_json TEXT NOT NULL
);
CREATE INDEX risk_verdicts_by_intent ON risk_verdicts (intent_sequence);
CREATE TABLE orders (
  client_order_id TEXT PRIMARY KEY NOT NULL,
  sequence INTEGER NOT NULL,
  time_ns INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  time_in_force TEXT NOT NULL,
  quantity REAL,
  price REAL,
  stop_price REAL,
  status TEXT NOT NULL,
  tag TEXT NOT NULL,
  venue_order_id TEXT NOT NULL,
  updated_time_ns INTEGER NOT NULL
);
CREATE INDEX orders_by_status ON orders (status);
CREATE TABLE fills (
  trade_id TEXT NOT NULL UNIQUE,
  client_order_id TEXT NOT NULL,
  time_ns INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  quantity REAL,
  price REAL,
  fee REAL,
  fee_currency TEXT NOT NULL
);
CREATE INDEX fills_by_order ON fills (client_order_id);
CREATE TABLE trades (
  pair TEXT NOT NULL,
  entry_time_ns INTEGER NOT NULL,
  entry_price REAL,
  exit_time_ns INTEGER NOT NULL,
  exit_price REAL,
  quantity REAL,
  fees REAL,
  pnl REAL,
  exit_reason TEXT NOT NULL
);
CREATE TABLE balances (
  time_ns INTEGER NOT NULL,
  asset TEXT NOT NULL,
  free REAL,
  locked REAL,
  reason TEXT NOT NULL
);
CREATE INDEX balances_by_asset_time ON balances (asset, time_ns);
CREATE TABLE tentacle_loads (
  time_ns INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  version TEXT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql",
    // 2: hot swaps of running tentacles (`cephalo tentacles history`).
    R"sql(
CREATE TABLE tentacle_swaps (
  time_ns INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_version TEXT NOT NULL,
  to_version TEXT NOT NULL,
  trigger TEXT NOT NULL,
  pause_ns INTEGER NOT NULL,
  state_bytes INTEGER NOT NULL,
  handoff TEXT NOT NULL,
  outcome TEXT NOT NULL,
  unload TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql",
    // 3: orders sent to a real venue, with exact decimal text and the venue's state (live trading).
    R"sql(
CREATE TABLE orders_live (
  client_order_id TEXT PRIMARY KEY NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  time_in_force TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT NOT NULL,
  state TEXT NOT NULL,
  venue_order_id INTEGER NOT NULL,
  executed_quantity TEXT NOT NULL,
  cumulative_quote TEXT NOT NULL,
  venue_update_ms INTEGER NOT NULL,
  created_ns INTEGER NOT NULL,
  updated_ns INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX orders_live_by_state ON orders_live (state);
)sql",
    // 4: the A/B slot of each risk verdict (each slot has its own risk engine).
    R"sql(
ALTER TABLE risk_verdicts ADD COLUMN slot TEXT NOT NULL DEFAULT '';
)sql",
};

// Version 5: every row carries the id of the run that wrote it, and keys are unique per run.
// From here on each version rebuilds every table from its description (rebuild_table below:
// create, copy the columns both have, drop the old one), plus that version's own data step; so
// a description is the only place a column is added, and an old file catches up in one pass.
constexpr std::int64_t kRunIdsVersion = 5;
constexpr std::int64_t kLatestVersion = kRunIdsVersion;

// The suffix of a table while it is being rebuilt.
constexpr std::string_view kOldSuffix = "_before_run_ids";

using Failure = std::optional<sqlite::Error>;

Failure exec_each(sqlite::Connection& db, const std::string& sql) {
  if (sql.empty()) return std::nullopt;
  return db.exec(sql);
}

bool table_exists(sqlite::Connection& db, std::string_view name, Failure& out_failure) {
  std::int64_t found = 0;
  out_failure = db.query_int64(
      cat("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '", name, "'"),
      found);
  return found > 0;
}

std::vector<std::string> columns_of(sqlite::Connection& db, std::string_view table,
                                    Failure& out_failure) {
  std::vector<std::string> names;
  sqlite::Statement info;
  if ((out_failure = db.prepare(cat("PRAGMA table_info(", table, ")"), info))) return names;
  int rc = 0;
  while ((rc = info.step()) == SQLITE_ROW) names.push_back(info.column_text(1));
  if (rc != SQLITE_DONE) out_failure = db.last_error();
  return names;
}

// What a column that the old table lacks starts as. Risk verdicts kept their figures as JSON
// text before version 5; schema 4 wrote an infinite figure as the bare token inf (invalid JSON),
// so the tokens are made JSON numbers (1e999 reads back as infinity) before extracting them.
std::string new_column_value(std::string_view table, std::string_view column,
                             std::string_view sql_type,
                             const std::vector<std::string>& old_columns) {
  auto has = [&](std::string_view name) {
    for (const auto& old : old_columns) {
      if (old == name) return true;
    }
    return false;
  };
  if (table == "risk_verdicts" && (column == "value" || column == "limit_value") &&
      has("values_json")) {
    const std::string json =
        "replace(replace(replace(values_json, '-inf', '-1e999'), 'inf', '1e999'), 'nan', 'null')";
    const std::string_view key = column == "value" ? "$.value" : "$.limit";
    return cat("CASE WHEN json_valid(", json, ") THEN json_extract(", json, ", '", key, "') END");
  }
  if (sql_type.starts_with("TEXT NOT NULL")) return "''";
  if (sql_type.starts_with("INTEGER NOT NULL")) return "0";
  return "NULL";
}

// Creates the table of Row from its description. With an older table of that name, its rows are
// copied in (every column both have, in rowid order) under `run_id`, and it is dropped; the
// indexes are made last, after the old table's indexes (which may share names) are gone.
template <class Row>
Failure rebuild_table(sqlite::Connection& db, std::int64_t run_id, std::int64_t& inout_rows) {
  using T = Table<Row>;
  Failure failure;
  const bool existed = table_exists(db, T::kName, failure);
  if (failure) return failure;
  const std::string old = cat(T::kName, kOldSuffix);
  if (existed && (failure = db.exec(cat("ALTER TABLE ", T::kName, " RENAME TO ", old)))) {
    return failure;
  }
  if ((failure = db.exec(storage_tables::create_table_sql<Row>()))) return failure;
  if (existed) {
    const std::vector<std::string> old_columns = columns_of(db, old, failure);
    if (failure) return failure;
    std::string targets = "run_id";
    std::string sources = std::to_string(run_id);
    storage_tables::detail::for_each_column<Row>([&](const auto& column) {
      using Field = std::remove_cvref_t<decltype(std::declval<Row>().*(column.member))>;
      bool kept = false;
      for (const auto& name : old_columns) kept = kept || name == column.name;
      targets += cat(", ", column.name);
      sources += cat(
          ", ", kept ? std::string(column.name)
                     : new_column_value(T::kName, column.name,
                                        storage_tables::detail::sql_type<Field>(), old_columns));
    });
    if ((failure = db.exec(cat("INSERT INTO ", T::kName, " (", targets, ") SELECT ", sources,
                               " FROM ", old, T::kWithoutRowid ? "" : " ORDER BY rowid")))) {
      return failure;
    }
    inout_rows += db.changes();
    if ((failure = db.exec(cat("DROP TABLE ", old)))) return failure;
  }
  return exec_each(db, storage_tables::create_indexes_sql<Row>());
}

// The runs table gains its outcome; ids stay, and so does the AUTOINCREMENT high-water mark
// (a deleted run's id is never given again).
Failure rebuild_runs(sqlite::Connection& db) {
  std::int64_t high_water = 0;
  if (auto failure = db.query_int64(
          "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'runs'", high_water)) {
    return failure;
  }
  const std::string old = cat("runs", kOldSuffix);
  for (const std::string& sql :
       {cat("ALTER TABLE runs RENAME TO ", old), storage_tables::create_table_sql<RunRecord>(),
        cat("INSERT INTO runs (id, started_ns, mode, config_json, finished_ns, outcome) "
            "SELECT id, started_ns, mode, config_json, finished_ns, "
            "CASE WHEN finished_ns IS NULL THEN '' ELSE 'completed' END FROM ",
            old, " ORDER BY id"),
        cat("DROP TABLE ", old),
        cat("INSERT INTO sqlite_sequence (name, seq) SELECT 'runs', 0 WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = 'runs')"),
        cat("UPDATE sqlite_sequence SET seq = max(seq, ", std::to_string(high_water),
            ") WHERE name = 'runs'")}) {
    if (auto failure = db.exec(sql)) return failure;
  }
  return std::nullopt;
}

Failure create_latest(sqlite::Connection& db) {
  if (auto failure = db.exec(storage_tables::create_table_sql<RunRecord>())) return failure;
  if (auto failure = db.exec(storage_tables::create_table_sql<storage_tables::RunExtent>())) {
    return failure;
  }
  Failure failure;
  std::int64_t rows = 0;
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    if (!failure) failure = rebuild_table<Row>(db, 0, rows);
  });
  return failure;
}

// Schema 4 to 5. Rows written before version 5 do not say which run wrote them, so they cannot be
// spread over the runs that are listed; they are kept, all of them, under one run made for them
// (mode "migrated"), and the returned note says so.
Result<std::string> add_run_ids(sqlite::Connection& db, const std::filesystem::path& path,
                                std::int64_t from_version) {
  auto fail = [&](const sqlite::Error& error) {
    return Status::failure(storage_errors::describe(
        path, sqlite::Error{error.code,
                            cat("migration to schema version ", std::to_string(kRunIdsVersion),
                                " failed: ", error.message)}));
  };
  if (auto failure = rebuild_runs(db)) return fail(*failure);
  std::int64_t old_rows = 0;
  Failure failure;
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    if (failure) return;
    const bool existed = table_exists(db, Table<Row>::kName, failure);
    std::int64_t rows = 0;
    if (!failure && existed) {
      failure = db.query_int64(cat("SELECT count(*) FROM ", Table<Row>::kName), rows);
    }
    old_rows += rows;
  });
  if (failure) return fail(*failure);
  std::int64_t listed_runs = 0;
  if ((failure = db.query_int64("SELECT count(*) FROM runs", listed_runs))) return fail(*failure);

  std::int64_t run_id = 0;
  std::string note;
  if (old_rows > 0) {
    const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::string outcome = cat(
        "migrated: holds the ", std::to_string(old_rows), " rows that schema version ",
        std::to_string(from_version), " stored without a run id (written by the ",
        std::to_string(listed_runs), " runs listed before this one, which cannot be told apart)");
    sqlite::Statement insert;
    if ((failure = db.prepare(
             "INSERT INTO runs (started_ns, mode, config_json, finished_ns, outcome) "
             "VALUES ((SELECT coalesce(min(started_ns), ?1) FROM runs), 'migrated', '', ?1, ?2)",
             insert))) {
      return fail(*failure);
    }
    insert.bind(1, static_cast<std::int64_t>(now_ns));
    insert.bind(2, std::string_view(outcome));
    if (insert.step() != SQLITE_DONE) return fail(db.last_error());
    run_id = db.last_insert_rowid();
    note = cat("storage file '", path.string(), "' upgraded from schema version ",
               std::to_string(from_version), " to ", std::to_string(kRunIdsVersion), ": its ",
               std::to_string(old_rows),
               " rows were stored before rows carried their run's id; they are all kept, under "
               "run ",
               std::to_string(run_id), " (mode 'migrated'), made for them");
  } else {
    note = cat("storage file '", path.string(), "' upgraded from schema version ",
               std::to_string(from_version), " to ", std::to_string(kRunIdsVersion),
               " (it held no rows to move)");
  }
  std::int64_t moved = 0;
  storage_tables::for_each_journal_table([&]<class Row>(Tag<Row>) {
    if (!failure) failure = rebuild_table<Row>(db, run_id, moved);
  });
  if (!failure) failure = db.exec(storage_tables::create_table_sql<storage_tables::RunExtent>());
  if (!failure && run_id != 0) failure = run_extents::cover_all(db, run_id);
  if (failure) return fail(*failure);
  if (moved != old_rows) {
    return Status::failure(cat("storage file '", path.string(), "': migration to schema version ",
                               std::to_string(kRunIdsVersion), " moved ", std::to_string(moved),
                               " rows of ", std::to_string(old_rows),
                               "; nothing was changed (the file is as it was)"));
  }
  return note;
}

}  // namespace

std::int64_t latest_version() {
  return kLatestVersion;
}

Result<std::int64_t> check(sqlite::Connection& db, const std::filesystem::path& path) {
  // The first read of the file: a file that is not SQLite fails here, before anything is written.
  std::int64_t version = 0;
  if (auto error = db.query_int64("PRAGMA user_version", version)) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  if (version > latest_version()) {
    return Status::failure(storage_errors::schema_too_new(path, version, latest_version()));
  }
  if (version < 0) return Status::failure(storage_errors::foreign_database(path));
  if (version == 0) {
    // Version 0 with tables is some other program's database: creating ours in it would mix them.
    std::int64_t tables = 0;
    if (auto error = db.query_int64("SELECT count(*) FROM sqlite_master", tables)) {
      return Status::failure(storage_errors::describe(path, *error));
    }
    if (tables > 0) return Status::failure(storage_errors::foreign_database(path));
    return version;
  }
  // Damaged pages are found before anything is appended to them. quick_check reads every page
  // (about 1 s per GB here) but skips the index-against-table comparison of integrity_check.
  sqlite::Statement quick_check;
  if (auto error = db.prepare("PRAGMA quick_check(10)", quick_check)) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  std::vector<std::string> problems;
  int rc = 0;
  while ((rc = quick_check.step()) == SQLITE_ROW) {
    std::string line = quick_check.column_text(0);
    if (line != "ok") problems.push_back(std::move(line));
  }
  if (rc != SQLITE_DONE) {
    // A page too damaged for quick_check to walk fails the check itself.
    const sqlite::Error error = db.last_error();
    const int code = error.code & 0xff;
    if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB) {
      return Status::failure(storage_errors::describe(path, error));
    }
    problems.push_back(error.message);
  }
  if (!problems.empty()) return Status::failure(storage_errors::damaged(path, problems));
  return version;
}

Result<std::string> migrate(sqlite::Connection& db, const std::filesystem::path& path) {
  // IMMEDIATE takes the write lock first, so two cephalos opening one new file cannot both
  // migrate it; the version is read again under that lock.
  if (auto error = db.exec("BEGIN IMMEDIATE")) {
    return Status::failure(storage_errors::describe(path, *error));
  }
  auto fail = [&](const sqlite::Error& error) {
    (void)db.exec("ROLLBACK");
    return Status::failure(storage_errors::describe(path, error));
  };
  std::int64_t version = 0;
  if (auto error = db.query_int64("PRAGMA user_version", version)) return fail(*error);
  if (version > latest_version()) {
    (void)db.exec("ROLLBACK");
    return Status::failure(storage_errors::schema_too_new(path, version, latest_version()));
  }
  std::string note;
  if (version == 0) {
    if (auto error = create_latest(db)) return fail(*error);
  } else if (version < kRunIdsVersion) {
    for (std::int64_t next = version + 1; next < kRunIdsVersion; ++next) {
      if (auto error = db.exec(kHistoricMigrations[static_cast<std::size_t>(next - 1)])) {
        return fail(
            sqlite::Error{error->code, cat("migration to schema version ", std::to_string(next),
                                           " failed: ", error->message)});
      }
    }
    auto added = add_run_ids(db, path, version);
    if (!added) {
      (void)db.exec("ROLLBACK");
      return added.status();
    }
    note = std::move(added).value();
  }
  // user_version lives in the file header, which is part of the transaction.
  if (auto error = db.exec(cat("PRAGMA user_version = ", std::to_string(latest_version())))) {
    return fail(*error);
  }
  if (auto error = db.exec("COMMIT")) return fail(*error);
  return note;
}

}  // namespace cephalo::storage_schema
