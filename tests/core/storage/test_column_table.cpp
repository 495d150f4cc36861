// The record descriptions drive the SQL: each table's DDL, insert (with its rule for a repeated
// key), select, key text and CSV come from one list of columns.
#include <doctest/doctest.h>

#include <limits>

#include "storage/stored_records.hpp"

namespace cephalo {
namespace {

using namespace storage_tables;

TEST_CASE("a per-run table: run_id first, its key unique within the run, a repeat refused") {
  CHECK(create_table_sql<FillRecord>() ==
        "CREATE TABLE fills (\n"
        "  run_id INTEGER NOT NULL,\n"
        "  trade_id TEXT NOT NULL,\n"
        "  client_order_id TEXT NOT NULL,\n"
        "  time_ns INTEGER NOT NULL,\n"
        "  symbol TEXT NOT NULL,\n"
        "  side TEXT NOT NULL,\n"
        "  quantity REAL,\n"
        "  price REAL,\n"
        "  fee REAL,\n"
        "  fee_currency TEXT NOT NULL,\n"
        "  UNIQUE (run_id, trade_id)\n"
        ");\n");
  // No ON CONFLICT clause: a repeated key fails the insert, and the writer reports it.
  CHECK(insert_sql<FillRecord>() ==
        "INSERT INTO fills (run_id, trade_id, client_order_id, time_ns, symbol, side, quantity, "
        "price, fee, fee_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  CHECK(select_sql<FillRecord>() ==
        "SELECT trade_id, client_order_id, time_ns, symbol, side, quantity, price, fee, "
        "fee_currency FROM fills");
}

TEST_CASE("an entity's latest state: upserted within its run, never rolled back") {
  const std::string insert = insert_sql<OrderRecord>();
  CHECK(insert.find("ON CONFLICT (run_id, client_order_id) DO UPDATE SET sequence = "
                    "excluded.sequence, time_ns = excluded.time_ns") != std::string::npos);
  CHECK(insert.find("client_order_id = excluded") == std::string::npos);  // the key stays
  CHECK(insert.find("run_id = excluded") == std::string::npos);
  CHECK(insert.ends_with(" WHERE excluded.updated_time_ns >= orders.updated_time_ns"));
  // A live order's id is unique across runs: the venue sees it.
  CHECK(insert_sql<LiveOrderRecord>().find("ON CONFLICT (client_order_id) DO UPDATE") !=
        std::string::npos);
  CHECK(create_table_sql<LiveOrderRecord>().find("UNIQUE (client_order_id)") != std::string::npos);
}

TEST_CASE("the runs table: its own id, no run_id; a bool gets its CHECK; indexes by run") {
  const std::string runs = create_table_sql<RunRecord>();
  CHECK(runs.find("id INTEGER PRIMARY KEY AUTOINCREMENT") != std::string::npos);
  CHECK(runs.find("run_id") == std::string::npos);
  CHECK(
      insert_sql<RunRecord>() ==
      "INSERT INTO runs (started_ns, mode, config_json, finished_ns, outcome) VALUES (?, ?, ?, ?, "
      "?)");
  CHECK(insert_sql<TradeRecord>(2).find("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, "
                                        "?, ?, ?, ?)") != std::string::npos);
  CHECK(create_table_sql<RiskVerdictRecord>().find(
            "allowed INTEGER NOT NULL CHECK (allowed IN (0, 1))") != std::string::npos);
  CHECK(create_indexes_sql<LiveOrderRecord>() ==
        "CREATE INDEX orders_live_by_state ON orders_live (state);\n");
  CHECK(create_table_sql<CandleRecord>().ends_with(
      "PRIMARY KEY (run_id, symbol, timeframe, open_time_ns)\n) WITHOUT ROWID;\n"));
}

TEST_CASE("every journal table's rows of a run can be found: by rowid range, or a run_id key") {
  std::size_t tables = 0;
  for_each_journal_table([&tables]<class Row>(Tag<Row>) {
    ++tables;
    CAPTURE(Table<Row>::kName);
    // A rowid table is read by its run's extent; a key-ordered one by its key, run_id first.
    CHECK((!Table<Row>::kWithoutRowid ||
           create_table_sql<Row>().find("PRIMARY KEY (run_id, ") != std::string::npos));
    // No index on run_id: it cost the writer a third of its time.
    CHECK(create_indexes_sql<Row>().find("run_id") == std::string::npos);
  });
  CHECK(tables == 13);
}

TEST_CASE("a key is described for people, and a row is written as RFC 4180 CSV") {
  const FillRecord fill{"bt-fill-7", "bt-4", 5, "ETH/BTC", "buy", 0.1 + 0.2, 2.5, 0.0, "BTC"};
  CHECK(describe_key(3, fill) == "run 3, trade_id 'bt-fill-7'");
  CHECK(describe_key(3, EventRecord{9, "error", 1, 2, "{}"}) == "run 3, sequence 9, type 'error'");
  CHECK(csv_line(fill) == "bt-fill-7,bt-4,5,ETH/BTC,buy,0.30000000000000004,2.5,0,BTC\n");
  RiskVerdictRecord verdict;
  verdict.reason = "cash 5, \"limit\" 10\nsecond line";
  verdict.value = std::numeric_limits<double>::quiet_NaN();  // NULL: an empty field
  verdict.limit = 10;
  CHECK(csv_line(verdict) == "0,0,,,0,0,\"cash 5, \"\"limit\"\" 10\nsecond line\",,10,\n");
  CHECK(csv_header<TradeRecord>() ==
        "pair,entry_time_ns,entry_price,exit_time_ns,exit_price,quantity,fees,pnl,exit_reason\n");
}

}  // namespace
}  // namespace cephalo
