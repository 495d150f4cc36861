#include "storage/row_mapping.hpp"

#include <array>
#include <initializer_list>

#include "storage/text.hpp"

namespace cephalo::storage_rows {
namespace {

using sqlite::Statement;

// One column list per table feeds the insert, the select and the bind/read order below, so the
// three cannot drift apart. `conflict` is the clause after VALUES: the table's duplicate rule.
TableSql make_table_sql(std::string_view table, std::initializer_list<std::string_view> columns,
                        std::string_view conflict = {}) {
  std::string names;
  std::string placeholders;
  int index = 0;
  for (std::string_view column : columns) {
    if (index > 0) {
      names += ", ";
      placeholders += ", ";
    }
    names += column;
    placeholders += storage_text::cat("?", std::to_string(++index));
  }
  TableSql sql;
  sql.table = table;
  sql.insert =
      storage_text::cat("INSERT INTO ", table, " (", names, ") VALUES (", placeholders, ")");
  if (!conflict.empty()) sql.insert += storage_text::cat(" ", conflict);
  sql.select = storage_text::cat("SELECT ", names, " FROM ", table);
  return sql;
}

constexpr std::array<std::string_view, 13> kTableNames = {
    "events",         "candles", "evaluations", "signals",  "risk_verdicts",
    "orders",         "fills",   "trades",      "balances", "tentacle_loads",
    "tentacle_swaps", "runs",    "orders_live"};

}  // namespace

std::span<const std::string_view> table_names() {
  return kTableNames;
}

const TableSql& table_sql(RowTag<EventRecord>) {
  static const TableSql sql = make_table_sql(
      "events", {"sequence", "type", "exchange_time_ns", "receive_time_ns", "payload_json"});
  return sql;
}

void bind_row(Statement& statement, const EventRecord& row) {
  statement.bind(1, row.sequence);
  statement.bind(2, std::string_view(row.type));
  statement.bind(3, row.exchange_time_ns);
  statement.bind(4, row.receive_time_ns);
  statement.bind(5, std::string_view(row.payload_json));
}

void read_row(const Statement& statement, EventRecord& out_row) {
  out_row.sequence = statement.column_int64(0);
  out_row.type = statement.column_text(1);
  out_row.exchange_time_ns = statement.column_int64(2);
  out_row.receive_time_ns = statement.column_int64(3);
  out_row.payload_json = statement.column_text(4);
}

const TableSql& table_sql(RowTag<CandleRecord>) {
  static const TableSql sql = make_table_sql(
      "candles", {"symbol", "timeframe", "open_time_ns", "open", "high", "low", "close", "volume"},
      "ON CONFLICT (symbol, timeframe, open_time_ns) DO NOTHING");
  return sql;
}

void bind_row(Statement& statement, const CandleRecord& row) {
  statement.bind(1, std::string_view(row.symbol));
  statement.bind(2, std::string_view(row.timeframe));
  statement.bind(3, row.open_time_ns);
  statement.bind(4, row.open);
  statement.bind(5, row.high);
  statement.bind(6, row.low);
  statement.bind(7, row.close);
  statement.bind(8, row.volume);
}

void read_row(const Statement& statement, CandleRecord& out_row) {
  out_row.symbol = statement.column_text(0);
  out_row.timeframe = statement.column_text(1);
  out_row.open_time_ns = statement.column_int64(2);
  out_row.open = statement.column_double(3);
  out_row.high = statement.column_double(4);
  out_row.low = statement.column_double(5);
  out_row.close = statement.column_double(6);
  out_row.volume = statement.column_double(7);
}

const TableSql& table_sql(RowTag<EvaluationRecord>) {
  static const TableSql sql = make_table_sql(
      "evaluations", {"sequence", "time_ns", "symbol", "evaluator", "value", "confidence"});
  return sql;
}

void bind_row(Statement& statement, const EvaluationRecord& row) {
  statement.bind(1, row.sequence);
  statement.bind(2, row.time_ns);
  statement.bind(3, std::string_view(row.symbol));
  statement.bind(4, std::string_view(row.evaluator));
  statement.bind(5, row.value);
  statement.bind(6, row.confidence);
}

void read_row(const Statement& statement, EvaluationRecord& out_row) {
  out_row.sequence = statement.column_int64(0);
  out_row.time_ns = statement.column_int64(1);
  out_row.symbol = statement.column_text(2);
  out_row.evaluator = statement.column_text(3);
  out_row.value = statement.column_double(4);
  out_row.confidence = statement.column_double(5);
}

const TableSql& table_sql(RowTag<SignalRecord>) {
  static const TableSql sql =
      make_table_sql("signals", {"sequence", "time_ns", "symbol", "strategy", "intent", "strength",
                                 "confidence", "stop_price", "target_price"});
  return sql;
}

void bind_row(Statement& statement, const SignalRecord& row) {
  statement.bind(1, row.sequence);
  statement.bind(2, row.time_ns);
  statement.bind(3, std::string_view(row.symbol));
  statement.bind(4, std::string_view(row.strategy));
  statement.bind(5, std::string_view(row.intent));
  statement.bind(6, row.strength);
  statement.bind(7, row.confidence);
  statement.bind(8, row.stop_price);
  statement.bind(9, row.target_price);
}

void read_row(const Statement& statement, SignalRecord& out_row) {
  out_row.sequence = statement.column_int64(0);
  out_row.time_ns = statement.column_int64(1);
  out_row.symbol = statement.column_text(2);
  out_row.strategy = statement.column_text(3);
  out_row.intent = statement.column_text(4);
  out_row.strength = statement.column_double(5);
  out_row.confidence = statement.column_double(6);
  out_row.stop_price = statement.column_optional_double(7);
  out_row.target_price = statement.column_optional_double(8);
}

const TableSql& table_sql(RowTag<RiskVerdictRecord>) {
  static const TableSql sql =
      make_table_sql("risk_verdicts", {"sequence", "time_ns", "tier", "rule", "intent_sequence",
                                       "allowed", "reason", "values_json", "slot"});
  return sql;
}

void bind_row(Statement& statement, const RiskVerdictRecord& row) {
  statement.bind(1, row.sequence);
  statement.bind(2, row.time_ns);
  statement.bind(3, std::string_view(row.tier));
  statement.bind(4, std::string_view(row.rule));
  statement.bind(5, row.intent_sequence);
  statement.bind(6, row.allowed);
  statement.bind(7, std::string_view(row.reason));
  statement.bind(8, std::string_view(row.values_json));
  statement.bind(9, std::string_view(row.slot));
}

void read_row(const Statement& statement, RiskVerdictRecord& out_row) {
  out_row.sequence = statement.column_int64(0);
  out_row.time_ns = statement.column_int64(1);
  out_row.tier = statement.column_text(2);
  out_row.rule = statement.column_text(3);
  out_row.intent_sequence = statement.column_int64(4);
  out_row.allowed = statement.column_int64(5) != 0;
  out_row.reason = statement.column_text(6);
  out_row.values_json = statement.column_text(7);
  out_row.slot = statement.column_text(8);
}

// The row holds an order's latest state. The WHERE keeps a stale update (queued late, or resent
// by a venue) from rolling a newer state back.
const TableSql& table_sql(RowTag<OrderRecord>) {
  static const TableSql sql = make_table_sql(
      "orders",
      {"client_order_id", "sequence", "time_ns", "symbol", "side", "type", "time_in_force",
       "quantity", "price", "stop_price", "status", "tag", "venue_order_id", "updated_time_ns"},
      "ON CONFLICT (client_order_id) DO UPDATE SET sequence = excluded.sequence, "
      "time_ns = excluded.time_ns, symbol = excluded.symbol, side = excluded.side, "
      "type = excluded.type, time_in_force = excluded.time_in_force, "
      "quantity = excluded.quantity, price = excluded.price, stop_price = excluded.stop_price, "
      "status = excluded.status, tag = excluded.tag, venue_order_id = excluded.venue_order_id, "
      "updated_time_ns = excluded.updated_time_ns "
      "WHERE excluded.updated_time_ns >= orders.updated_time_ns");
  return sql;
}

void bind_row(Statement& statement, const OrderRecord& row) {
  statement.bind(1, std::string_view(row.client_order_id));
  statement.bind(2, row.sequence);
  statement.bind(3, row.time_ns);
  statement.bind(4, std::string_view(row.symbol));
  statement.bind(5, std::string_view(row.side));
  statement.bind(6, std::string_view(row.type));
  statement.bind(7, std::string_view(row.time_in_force));
  statement.bind(8, row.quantity);
  statement.bind(9, row.price);
  statement.bind(10, row.stop_price);
  statement.bind(11, std::string_view(row.status));
  statement.bind(12, std::string_view(row.tag));
  statement.bind(13, std::string_view(row.venue_order_id));
  statement.bind(14, row.updated_time_ns);
}

void read_row(const Statement& statement, OrderRecord& out_row) {
  out_row.client_order_id = statement.column_text(0);
  out_row.sequence = statement.column_int64(1);
  out_row.time_ns = statement.column_int64(2);
  out_row.symbol = statement.column_text(3);
  out_row.side = statement.column_text(4);
  out_row.type = statement.column_text(5);
  out_row.time_in_force = statement.column_text(6);
  out_row.quantity = statement.column_double(7);
  out_row.price = statement.column_optional_double(8);
  out_row.stop_price = statement.column_optional_double(9);
  out_row.status = statement.column_text(10);
  out_row.tag = statement.column_text(11);
  out_row.venue_order_id = statement.column_text(12);
  out_row.updated_time_ns = statement.column_int64(13);
}

const TableSql& table_sql(RowTag<FillRecord>) {
  static const TableSql sql = make_table_sql("fills",
                                             {"trade_id", "client_order_id", "time_ns", "symbol",
                                              "side", "quantity", "price", "fee", "fee_currency"},
                                             "ON CONFLICT (trade_id) DO NOTHING");
  return sql;
}

void bind_row(Statement& statement, const FillRecord& row) {
  statement.bind(1, std::string_view(row.trade_id));
  statement.bind(2, std::string_view(row.client_order_id));
  statement.bind(3, row.time_ns);
  statement.bind(4, std::string_view(row.symbol));
  statement.bind(5, std::string_view(row.side));
  statement.bind(6, row.quantity);
  statement.bind(7, row.price);
  statement.bind(8, row.fee);
  statement.bind(9, std::string_view(row.fee_currency));
}

void read_row(const Statement& statement, FillRecord& out_row) {
  out_row.trade_id = statement.column_text(0);
  out_row.client_order_id = statement.column_text(1);
  out_row.time_ns = statement.column_int64(2);
  out_row.symbol = statement.column_text(3);
  out_row.side = statement.column_text(4);
  out_row.quantity = statement.column_double(5);
  out_row.price = statement.column_double(6);
  out_row.fee = statement.column_double(7);
  out_row.fee_currency = statement.column_text(8);
}

const TableSql& table_sql(RowTag<TradeRecord>) {
  static const TableSql sql =
      make_table_sql("trades", {"pair", "entry_time_ns", "entry_price", "exit_time_ns",
                                "exit_price", "quantity", "fees", "pnl", "exit_reason"});
  return sql;
}

void bind_row(Statement& statement, const TradeRecord& row) {
  statement.bind(1, std::string_view(row.pair));
  statement.bind(2, row.entry_time_ns);
  statement.bind(3, row.entry_price);
  statement.bind(4, row.exit_time_ns);
  statement.bind(5, row.exit_price);
  statement.bind(6, row.quantity);
  statement.bind(7, row.fees);
  statement.bind(8, row.pnl);
  statement.bind(9, std::string_view(row.exit_reason));
}

void read_row(const Statement& statement, TradeRecord& out_row) {
  out_row.pair = statement.column_text(0);
  out_row.entry_time_ns = statement.column_int64(1);
  out_row.entry_price = statement.column_double(2);
  out_row.exit_time_ns = statement.column_int64(3);
  out_row.exit_price = statement.column_double(4);
  out_row.quantity = statement.column_double(5);
  out_row.fees = statement.column_double(6);
  out_row.pnl = statement.column_double(7);
  out_row.exit_reason = statement.column_text(8);
}

const TableSql& table_sql(RowTag<BalanceRecord>) {
  static const TableSql sql =
      make_table_sql("balances", {"time_ns", "asset", "free", "locked", "reason"});
  return sql;
}

void bind_row(Statement& statement, const BalanceRecord& row) {
  statement.bind(1, row.time_ns);
  statement.bind(2, std::string_view(row.asset));
  statement.bind(3, row.free);
  statement.bind(4, row.locked);
  statement.bind(5, std::string_view(row.reason));
}

void read_row(const Statement& statement, BalanceRecord& out_row) {
  out_row.time_ns = statement.column_int64(0);
  out_row.asset = statement.column_text(1);
  out_row.free = statement.column_double(2);
  out_row.locked = statement.column_double(3);
  out_row.reason = statement.column_text(4);
}

const TableSql& table_sql(RowTag<TentacleLoadRecord>) {
  static const TableSql sql =
      make_table_sql("tentacle_loads",
                     {"time_ns", "name", "kind", "version", "file", "sha256", "status", "message"});
  return sql;
}

void bind_row(Statement& statement, const TentacleLoadRecord& row) {
  statement.bind(1, row.time_ns);
  statement.bind(2, std::string_view(row.name));
  statement.bind(3, std::string_view(row.kind));
  statement.bind(4, std::string_view(row.version));
  statement.bind(5, std::string_view(row.file));
  statement.bind(6, std::string_view(row.sha256));
  statement.bind(7, std::string_view(row.status));
  statement.bind(8, std::string_view(row.message));
}

void read_row(const Statement& statement, TentacleLoadRecord& out_row) {
  out_row.time_ns = statement.column_int64(0);
  out_row.name = statement.column_text(1);
  out_row.kind = statement.column_text(2);
  out_row.version = statement.column_text(3);
  out_row.file = statement.column_text(4);
  out_row.sha256 = statement.column_text(5);
  out_row.status = statement.column_text(6);
  out_row.message = statement.column_text(7);
}

const TableSql& table_sql(RowTag<TentacleSwapRecord>) {
  static const TableSql sql = make_table_sql(
      "tentacle_swaps", {"time_ns", "name", "kind", "from_version", "to_version", "trigger",
                         "pause_ns", "state_bytes", "handoff", "outcome", "unload", "message"});
  return sql;
}

void bind_row(Statement& statement, const TentacleSwapRecord& row) {
  statement.bind(1, row.time_ns);
  statement.bind(2, std::string_view(row.name));
  statement.bind(3, std::string_view(row.kind));
  statement.bind(4, std::string_view(row.from_version));
  statement.bind(5, std::string_view(row.to_version));
  statement.bind(6, std::string_view(row.trigger));
  statement.bind(7, row.pause_ns);
  statement.bind(8, row.state_bytes);
  statement.bind(9, std::string_view(row.handoff));
  statement.bind(10, std::string_view(row.outcome));
  statement.bind(11, std::string_view(row.unload));
  statement.bind(12, std::string_view(row.message));
}

void read_row(const Statement& statement, TentacleSwapRecord& out_row) {
  out_row.time_ns = statement.column_int64(0);
  out_row.name = statement.column_text(1);
  out_row.kind = statement.column_text(2);
  out_row.from_version = statement.column_text(3);
  out_row.to_version = statement.column_text(4);
  out_row.trigger = statement.column_text(5);
  out_row.pause_ns = statement.column_int64(6);
  out_row.state_bytes = statement.column_int64(7);
  out_row.handoff = statement.column_text(8);
  out_row.outcome = statement.column_text(9);
  out_row.unload = statement.column_text(10);
  out_row.message = statement.column_text(11);
}

const TableSql& table_sql(RowTag<RunRecord>) {
  static const TableSql sql =
      make_table_sql("runs", {"id", "started_ns", "mode", "config_json", "finished_ns"});
  return sql;
}

void read_row(const Statement& statement, RunRecord& out_row) {
  out_row.id = statement.column_int64(0);
  out_row.started_ns = statement.column_int64(1);
  out_row.mode = statement.column_text(2);
  out_row.config_json = statement.column_text(3);
  out_row.finished_ns = statement.column_optional_int64(4);
}

// The executor is the one writer of a live order and applies the stale-update rule itself, so
// a second write of the same client order id simply replaces the row.
const TableSql& table_sql(RowTag<LiveOrderRecord>) {
  static const TableSql sql = make_table_sql(
      "orders_live",
      {"client_order_id", "symbol", "side", "type", "time_in_force", "quantity", "price", "state",
       "venue_order_id", "executed_quantity", "cumulative_quote", "venue_update_ms", "created_ns",
       "updated_ns", "reason"},
      "ON CONFLICT (client_order_id) DO UPDATE SET state = excluded.state, "
      "venue_order_id = excluded.venue_order_id, executed_quantity = excluded.executed_quantity, "
      "cumulative_quote = excluded.cumulative_quote, venue_update_ms = excluded.venue_update_ms, "
      "updated_ns = excluded.updated_ns, reason = excluded.reason");
  return sql;
}

void bind_row(Statement& statement, const LiveOrderRecord& row) {
  statement.bind(1, std::string_view(row.client_order_id));
  statement.bind(2, std::string_view(row.symbol));
  statement.bind(3, std::string_view(row.side));
  statement.bind(4, std::string_view(row.type));
  statement.bind(5, std::string_view(row.time_in_force));
  statement.bind(6, std::string_view(row.quantity));
  statement.bind(7, std::string_view(row.price));
  statement.bind(8, std::string_view(row.state));
  statement.bind(9, row.venue_order_id);
  statement.bind(10, std::string_view(row.executed_quantity));
  statement.bind(11, std::string_view(row.cumulative_quote));
  statement.bind(12, row.venue_update_ms);
  statement.bind(13, row.created_ns);
  statement.bind(14, row.updated_ns);
  statement.bind(15, std::string_view(row.reason));
}

void read_row(const Statement& statement, LiveOrderRecord& out_row) {
  out_row.client_order_id = statement.column_text(0);
  out_row.symbol = statement.column_text(1);
  out_row.side = statement.column_text(2);
  out_row.type = statement.column_text(3);
  out_row.time_in_force = statement.column_text(4);
  out_row.quantity = statement.column_text(5);
  out_row.price = statement.column_text(6);
  out_row.state = statement.column_text(7);
  out_row.venue_order_id = statement.column_int64(8);
  out_row.executed_quantity = statement.column_text(9);
  out_row.cumulative_quote = statement.column_text(10);
  out_row.venue_update_ms = statement.column_int64(11);
  out_row.created_ns = statement.column_int64(12);
  out_row.updated_ns = statement.column_int64(13);
  out_row.reason = statement.column_text(14);
}

}  // namespace cephalo::storage_rows
