#include "storage/schema.hpp"

#include <array>
#include <string>
#include <string_view>

#include "storage/storage_errors.hpp"
#include "storage/text.hpp"

namespace cephalo::storage_schema {
namespace {

// Migration N (1-based) takes a database from user_version N-1 to N. Append, never edit: a file
// written by an older cephalo has already run the earlier entries. Money columns are REAL and
// nullable: a NaN computed by the engine is kept as NULL instead of losing the whole row.
constexpr std::array<std::string_view, 4> kMigrations = {
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

}  // namespace

std::int64_t latest_version() {
  return static_cast<std::int64_t>(kMigrations.size());
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
  }
  return version;
}

Status migrate(sqlite::Connection& db, const std::filesystem::path& path) {
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
  for (std::int64_t next = version + 1; next <= latest_version(); ++next) {
    if (auto error = db.exec(kMigrations[static_cast<std::size_t>(next - 1)])) {
      return fail(sqlite::Error{
          error->code, storage_text::cat("migration to schema version ", std::to_string(next),
                                         " failed: ", error->message)});
    }
    // user_version lives in the file header, which is part of the transaction.
    if (auto error = db.exec(storage_text::cat("PRAGMA user_version = ", std::to_string(next))))
      return fail(*error);
  }
  if (auto error = db.exec("COMMIT")) return fail(*error);
  return Status();
}

}  // namespace cephalo::storage_schema
