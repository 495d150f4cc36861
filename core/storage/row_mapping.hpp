// How each record maps to its table: columns, insert (with its duplicate rule), select, bind, read.
// Thread-safety: pure functions; the SQL strings are built once, on first use, thread-safely.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "storage/records.hpp"
#include "storage/sqlite_connection.hpp"

namespace cephalo::storage_rows {

// Everything the writer thread writes from the queue; runs are written by their own calls.
using QueuedRecord =
    std::variant<EventRecord, CandleRecord, EvaluationRecord, SignalRecord, RiskVerdictRecord,
                 OrderRecord, FillRecord, TradeRecord, BalanceRecord, TentacleLoadRecord,
                 TentacleSwapRecord, LiveOrderRecord>;

template <class Row>
struct RowTag {};

struct TableSql {
  std::string table;
  std::string insert;  // binds ?1..?N in column order
  std::string select;  // "SELECT <columns> FROM <table>", for a caller to add WHERE / ORDER BY
};

// Every table count() may be asked about.
std::span<const std::string_view> table_names();

const TableSql& table_sql(RowTag<EventRecord>);
const TableSql& table_sql(RowTag<CandleRecord>);
const TableSql& table_sql(RowTag<EvaluationRecord>);
const TableSql& table_sql(RowTag<SignalRecord>);
const TableSql& table_sql(RowTag<RiskVerdictRecord>);
const TableSql& table_sql(RowTag<OrderRecord>);
const TableSql& table_sql(RowTag<FillRecord>);
const TableSql& table_sql(RowTag<TradeRecord>);
const TableSql& table_sql(RowTag<BalanceRecord>);
const TableSql& table_sql(RowTag<TentacleLoadRecord>);
const TableSql& table_sql(RowTag<TentacleSwapRecord>);
const TableSql& table_sql(RowTag<LiveOrderRecord>);
const TableSql& table_sql(RowTag<RunRecord>);  // select only: runs are inserted by start_run

// Text is bound without copying: the row must outlive the statement's step().
void bind_row(sqlite::Statement& statement, const EventRecord& row);
void bind_row(sqlite::Statement& statement, const CandleRecord& row);
void bind_row(sqlite::Statement& statement, const EvaluationRecord& row);
void bind_row(sqlite::Statement& statement, const SignalRecord& row);
void bind_row(sqlite::Statement& statement, const RiskVerdictRecord& row);
void bind_row(sqlite::Statement& statement, const OrderRecord& row);
void bind_row(sqlite::Statement& statement, const FillRecord& row);
void bind_row(sqlite::Statement& statement, const TradeRecord& row);
void bind_row(sqlite::Statement& statement, const BalanceRecord& row);
void bind_row(sqlite::Statement& statement, const TentacleLoadRecord& row);
void bind_row(sqlite::Statement& statement, const TentacleSwapRecord& row);
void bind_row(sqlite::Statement& statement, const LiveOrderRecord& row);

void read_row(const sqlite::Statement& statement, EventRecord& out_row);
void read_row(const sqlite::Statement& statement, CandleRecord& out_row);
void read_row(const sqlite::Statement& statement, EvaluationRecord& out_row);
void read_row(const sqlite::Statement& statement, SignalRecord& out_row);
void read_row(const sqlite::Statement& statement, RiskVerdictRecord& out_row);
void read_row(const sqlite::Statement& statement, OrderRecord& out_row);
void read_row(const sqlite::Statement& statement, FillRecord& out_row);
void read_row(const sqlite::Statement& statement, TradeRecord& out_row);
void read_row(const sqlite::Statement& statement, BalanceRecord& out_row);
void read_row(const sqlite::Statement& statement, TentacleLoadRecord& out_row);
void read_row(const sqlite::Statement& statement, TentacleSwapRecord& out_row);
void read_row(const sqlite::Statement& statement, LiveOrderRecord& out_row);
void read_row(const sqlite::Statement& statement, RunRecord& out_row);

}  // namespace cephalo::storage_rows
