// Migration to run ids (schema 5) of a database that cephalo wrote at schema 4 (the fixture,
// made by fixtures/make_schema4_fixture.sh with that release): every row is kept, value for
// value, under one run made for them, and the note says so; the listed runs keep their ids.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cmath>
#include <map>

#include "storage/sqlite_repository.hpp"
#include "storage/text.hpp"
#include "temp_folder.hpp"

namespace cephalo {
namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::filesystem::path kFixture =
    std::filesystem::path(CEPHALO_SOURCE_DIR) / "tests/core/storage/fixtures/schema4.sqlite";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every row of `sql` as text (NULL as "<null>"), through a connection of the test's own.
Rows query_rows(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  INFO(sql, ": ", sqlite3_errmsg(db));
  REQUIRE(prepared == SQLITE_OK);
  Rows rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(statement); ++i) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
      row.emplace_back(text != nullptr ? text : "<null>");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

std::vector<std::string> columns_of(const std::filesystem::path& file, const std::string& table) {
  std::vector<std::string> names;
  for (const auto& row : query_rows(file, "PRAGMA table_info(" + table + ")")) {
    names.push_back(row.at(1));
  }
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// The tables schema 4 had, each with the order its rows were written in.
const std::map<std::string, std::string> kSchema4Tables = {
    {"events", "rowid"},         {"candles", "symbol, timeframe, open_time_ns"},
    {"evaluations", "rowid"},    {"signals", "rowid"},
    {"risk_verdicts", "rowid"},  {"orders", "rowid"},
    {"fills", "rowid"},          {"trades", "rowid"},
    {"balances", "rowid"},       {"tentacle_loads", "rowid"},
    {"tentacle_swaps", "rowid"}, {"orders_live", "rowid"}};

TEST_CASE("a schema-4 database keeps every row, value for value, under one migrated run") {
  test::TempFolder folder;
  const auto file = folder.file("schema4.sqlite");
  std::filesystem::copy_file(kFixture, file);
  REQUIRE(test::query_int64_independently(file, "PRAGMA user_version") == 4);

  // Before: every table's rows (the columns schema 4 had, in written order) and the runs.
  std::map<std::string, Rows> before;
  std::map<std::string, std::vector<std::string>> old_columns;
  std::int64_t old_rows = 0;
  for (const auto& [table, order] : kSchema4Tables) {
    old_columns[table] = columns_of(file, table);
    if (table == "risk_verdicts") {  // its figures move from JSON text to two REAL columns
      std::erase(old_columns[table], std::string("values_json"));
    }
    before[table] = query_rows(
        file, "SELECT " + joined(old_columns[table]) + " FROM " + table + " ORDER BY " + order);
    old_rows += static_cast<std::int64_t>(before[table].size());
  }
  const Rows runs_before = query_rows(
      file, "SELECT id, started_ns, mode, config_json, finished_ns FROM runs ORDER BY id");
  REQUIRE(runs_before.size() == 3);  // two backtests and the fixture program's run
  CHECK(old_rows > 1000);

  auto opened = SqliteRepository::open(file);
  REQUIRE_MESSAGE(opened.ok(), opened.error());
  SqliteRepository& repository = *opened.value();
  CHECK(repository.schema_version().value() == SqliteRepository::latest_schema_version());

  // The runs keep their ids; one more holds every old row, and the note says which.
  const auto runs = repository.runs().value();
  REQUIRE(runs.size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(std::to_string(runs[i].id) == runs_before[i][0]);
    CHECK(runs[i].mode == runs_before[i][2]);
    CHECK(runs[i].config_json == runs_before[i][3]);
    CHECK(runs[i].outcome == "completed");
  }
  const RunRecord& migrated = runs[3];
  CHECK(migrated.id == 4);
  CHECK(migrated.mode == "migrated");
  CHECK(contains(migrated.outcome, std::to_string(old_rows) + " rows that schema version 4"));
  const std::string note = repository.migration_note();
  CHECK(contains(note, file.string()));
  CHECK(contains(note, "upgraded from schema version 4 to 5"));
  CHECK(contains(note, "its " + std::to_string(old_rows) + " rows"));
  CHECK(contains(note, "under run 4 (mode 'migrated')"));

  // After: the same rows in the same order, every one under the migrated run.
  const std::string id = std::to_string(migrated.id);
  for (const auto& table_and_order : kSchema4Tables) {
    // Named copies, not a structured binding: INFO captures, which clang 14 cannot do with one.
    const std::string& table = table_and_order.first;
    const std::string& order = table_and_order.second;
    INFO("table ", table);
    CHECK(query_rows(file, "SELECT " + joined(old_columns[table]) + " FROM " + table +
                               " WHERE run_id = " + id + " ORDER BY " + order) == before[table]);
    CHECK(test::query_int64_independently(
              file, "SELECT count(*) FROM " + table + " WHERE run_id <> " + id) == 0);
  }
  CHECK(repository.count("order_intents").value() == 0);  // new in schema 5

  // The fixture program's edge values read back through the new descriptions.
  const auto verdicts = repository.run_rows<RiskVerdictRecord>(migrated.id).value();
  const auto edge = std::find_if(verdicts.begin(), verdicts.end(), [](const auto& verdict) {
    return verdict.rule == "max_position_fraction" && verdict.reason == "within the limit";
  });
  REQUIRE(edge != verdicts.end());
  CHECK(std::isinf(edge->value));  // written as the invalid JSON token inf by schema 4
  CHECK(edge->limit == 0.25);
  CHECK(edge->slot == "main");
  std::size_t figures = 0;
  for (const auto& verdict : verdicts) figures += std::isnan(verdict.value) ? 0 : 1;
  CHECK(figures == verdicts.size());  // every backtest verdict had figures; none was lost
  const auto orders = repository.run_rows<OrderRecord>(migrated.id).value();
  const auto fixture_order = std::find_if(orders.begin(), orders.end(), [](const auto& order) {
    return order.client_order_id == "fixture-order-1";
  });
  REQUIRE(fixture_order != orders.end());
  CHECK_FALSE(fixture_order->price.has_value());  // schema 4 stored the NaN price as NULL
  CHECK(fixture_order->quantity == 3.0);
  const auto live = repository.live_orders().value();
  REQUIRE(live.size() == 1);
  CHECK(live[0].client_order_id == "cph-fixture-1");
  CHECK(live[0].executed_quantity == "3.00000000");
  const auto events = repository.run_rows<EventRecord>(migrated.id).value();
  CHECK(std::any_of(events.begin(), events.end(), [](const EventRecord& event) {
    return event.payload_json == R"({"source":"fixture","message":"a \"quoted\" message, é"})";
  }));

  // New runs continue after the migrated one, and their rows stay apart.
  auto next = repository.start_run(2, "backtest", "{}");
  REQUIRE(next.ok());
  CHECK(next.value() == 5);
  repository.record(FillRecord{"bt-fill-1", "bt-1", 1, "ETH/BTC", "buy", 1, 1, 0, "BTC"});
  REQUIRE(repository.flush().ok());
  CHECK(repository.run_rows<FillRecord>(next.value()).value().size() == 1);
}

TEST_CASE("an older file (schema 3) runs the frozen migrations, then gains run ids") {
  test::TempFolder folder;
  const auto file = folder.file("schema3.sqlite");
  std::filesystem::copy_file(kFixture, file);
  // What schema 3 lacked: the verdicts' slot (added by migration 4).
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "ALTER TABLE risk_verdicts DROP COLUMN slot; PRAGMA user_version = 3;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  const auto verdicts_before =
      test::query_int64_independently(file, "SELECT count(*) FROM risk_verdicts");

  auto opened = SqliteRepository::open(file);
  REQUIRE_MESSAGE(opened.ok(), opened.error());
  CHECK(contains(opened.value()->migration_note(), "upgraded from schema version 3 to 5"));
  const auto verdicts = opened.value()->risk_verdicts().value();
  CHECK(static_cast<std::int64_t>(verdicts.size()) == verdicts_before);
  CHECK(std::all_of(verdicts.begin(), verdicts.end(),
                    [](const RiskVerdictRecord& verdict) { return verdict.slot.empty(); }));
}

TEST_CASE("a failed migration leaves the schema-4 file as it was") {
  test::TempFolder folder;
  const auto file = folder.file("blocked.sqlite");
  std::filesystem::copy_file(kFixture, file);
  // A table in the way of the rebuild: migration 5 renames `fills` to fills_before_run_ids.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE fills_before_run_ids (x INTEGER)", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  sqlite3_close(db);
  const auto fills = test::query_int64_independently(file, "SELECT count(*) FROM fills");

  auto opened = SqliteRepository::open(file);
  REQUIRE_FALSE(opened.ok());
  CHECK(contains(opened.error(), "migration to schema version 5 failed"));
  CHECK(contains(opened.error(), file.string()));
  CHECK(test::query_int64_independently(file, "PRAGMA user_version") == 4);
  CHECK(test::query_int64_independently(file, "SELECT count(*) FROM fills") == fills);
  CHECK(test::query_int64_independently(
            file, "SELECT count(*) FROM pragma_table_info('fills') WHERE name = 'run_id'") == 0);
}

}  // namespace
}  // namespace cephalo
