// The one description of every stored record: its table, columns, key and indexes. The DDL, the
// inserts, the binding, the reads, the CSV export and `cephalo runs` are all generated from here.
// Thread-safety: constexpr descriptions only.
#pragma once

#include <tuple>
#include <variant>

#include "storage/column_table.hpp"
#include "storage/records.hpp"

namespace cephalo::storage_tables {

// Market data and the decisions taken on it, in the order the pipeline produces them. Keys are
// unique per run: a backtest's ids (bt-1, ...) repeat in every run. No table has an index on
// run_id, which cost the writer a third of its time: a run's rows are found by their rowids
// (RunExtent below), or by a key that starts with run_id.

template <>
struct Table<EventRecord> : TableDefaults {
  static constexpr std::string_view kName = "events";
  static constexpr auto kColumns = std::tuple{
      column("sequence", &EventRecord::sequence),
      column("type", &EventRecord::type),
      column("exchange_time_ns", &EventRecord::exchange_time_ns),
      column("receive_time_ns", &EventRecord::receive_time_ns),
      column("payload_json", &EventRecord::payload_json),
  };
};

// A candle the run saw, once per run: the same candle twice in one run is a conflict.
template <>
struct Table<CandleRecord> : TableDefaults {
  static constexpr std::string_view kName = "candles";
  static constexpr auto kColumns = std::tuple{
      column("symbol", &CandleRecord::symbol),
      column("timeframe", &CandleRecord::timeframe),
      column("open_time_ns", &CandleRecord::open_time_ns),
      column("open", &CandleRecord::open),
      column("high", &CandleRecord::high),
      column("low", &CandleRecord::low),
      column("close", &CandleRecord::close),
      column("volume", &CandleRecord::volume),
  };
  static constexpr std::array<std::string_view, 3> kKey = {"symbol", "timeframe", "open_time_ns"};
  static constexpr bool kWithoutRowid = true;
};

template <>
struct Table<EvaluationRecord> : TableDefaults {
  static constexpr std::string_view kName = "evaluations";
  static constexpr auto kColumns = std::tuple{
      column("sequence", &EvaluationRecord::sequence),
      column("time_ns", &EvaluationRecord::time_ns),
      column("symbol", &EvaluationRecord::symbol),
      column("evaluator", &EvaluationRecord::evaluator),
      column("value", &EvaluationRecord::value),
      column("confidence", &EvaluationRecord::confidence),
  };
};

template <>
struct Table<SignalRecord> : TableDefaults {
  static constexpr std::string_view kName = "signals";
  static constexpr auto kColumns = std::tuple{
      column("sequence", &SignalRecord::sequence),
      column("time_ns", &SignalRecord::time_ns),
      column("symbol", &SignalRecord::symbol),
      column("strategy", &SignalRecord::strategy),
      column("intent", &SignalRecord::intent),
      column("strength", &SignalRecord::strength),
      column("confidence", &SignalRecord::confidence),
      column("stop_price", &SignalRecord::stop_price),
      column("target_price", &SignalRecord::target_price),
  };
};

template <>
struct Table<OrderIntentRecord> : TableDefaults {
  static constexpr std::string_view kName = "order_intents";
  static constexpr auto kColumns = std::tuple{
      column("sequence", &OrderIntentRecord::sequence),
      column("time_ns", &OrderIntentRecord::time_ns),
      column("symbol", &OrderIntentRecord::symbol),
      column("trading_mode", &OrderIntentRecord::trading_mode),
      column("slot", &OrderIntentRecord::slot),
      column("side", &OrderIntentRecord::side),
      column("type", &OrderIntentRecord::type),
      column("time_in_force", &OrderIntentRecord::time_in_force),
      column("quantity", &OrderIntentRecord::quantity),
      column("price", &OrderIntentRecord::price),
      column("stop_price", &OrderIntentRecord::stop_price),
      column("tag", &OrderIntentRecord::tag),
  };
};

template <>
struct Table<RiskVerdictRecord> : TableDefaults {
  static constexpr std::string_view kName = "risk_verdicts";
  static constexpr auto kColumns = std::tuple{
      column("sequence", &RiskVerdictRecord::sequence),
      column("time_ns", &RiskVerdictRecord::time_ns),
      column("tier", &RiskVerdictRecord::tier),
      column("rule", &RiskVerdictRecord::rule),
      column("intent_sequence", &RiskVerdictRecord::intent_sequence),
      column("allowed", &RiskVerdictRecord::allowed),
      column("reason", &RiskVerdictRecord::reason),
      column("value", &RiskVerdictRecord::value),
      column("limit_value", &RiskVerdictRecord::limit),
      column("slot", &RiskVerdictRecord::slot),
  };
};

// An order's latest state. Upserted: each state change replaces the row; a state older than the
// stored one (updated_time_ns) is refused and reported, never rolled back onto the newer one.
template <>
struct Table<OrderRecord> : TableDefaults {
  static constexpr std::string_view kName = "orders";
  static constexpr auto kColumns = std::tuple{
      column("client_order_id", &OrderRecord::client_order_id),
      column("sequence", &OrderRecord::sequence),
      column("time_ns", &OrderRecord::time_ns),
      column("symbol", &OrderRecord::symbol),
      column("side", &OrderRecord::side),
      column("type", &OrderRecord::type),
      column("time_in_force", &OrderRecord::time_in_force),
      column("quantity", &OrderRecord::quantity),
      column("price", &OrderRecord::price),
      column("stop_price", &OrderRecord::stop_price),
      column("status", &OrderRecord::status),
      column("tag", &OrderRecord::tag),
      column("venue_order_id", &OrderRecord::venue_order_id),
      column("updated_time_ns", &OrderRecord::updated_time_ns),
  };
  static constexpr std::array<std::string_view, 1> kKey = {"client_order_id"};
  static constexpr SameKey kSameKey = SameKey::kLatestState;
  static constexpr std::string_view kNewer = "updated_time_ns";
};

// Unique per run. A live venue's fills (SYMBOL:trade id) are also kept once across runs: the
// executor reads every stored fill at start and never records one it has seen.
template <>
struct Table<FillRecord> : TableDefaults {
  static constexpr std::string_view kName = "fills";
  static constexpr auto kColumns = std::tuple{
      column("trade_id", &FillRecord::trade_id),
      column("client_order_id", &FillRecord::client_order_id),
      column("time_ns", &FillRecord::time_ns),
      column("symbol", &FillRecord::symbol),
      column("side", &FillRecord::side),
      column("quantity", &FillRecord::quantity),
      column("price", &FillRecord::price),
      column("fee", &FillRecord::fee),
      column("fee_currency", &FillRecord::fee_currency),
  };
  static constexpr std::array<std::string_view, 1> kKey = {"trade_id"};
};

template <>
struct Table<TradeRecord> : TableDefaults {
  static constexpr std::string_view kName = "trades";
  static constexpr auto kColumns = std::tuple{
      column("pair", &TradeRecord::pair),
      column("entry_time_ns", &TradeRecord::entry_time_ns),
      column("entry_price", &TradeRecord::entry_price),
      column("exit_time_ns", &TradeRecord::exit_time_ns),
      column("exit_price", &TradeRecord::exit_price),
      column("quantity", &TradeRecord::quantity),
      column("fees", &TradeRecord::fees),
      column("pnl", &TradeRecord::pnl),
      column("exit_reason", &TradeRecord::exit_reason),
  };
};

template <>
struct Table<BalanceRecord> : TableDefaults {
  static constexpr std::string_view kName = "balances";
  static constexpr auto kColumns = std::tuple{
      column("time_ns", &BalanceRecord::time_ns), column("asset", &BalanceRecord::asset),
      column("free", &BalanceRecord::free),       column("locked", &BalanceRecord::locked),
      column("reason", &BalanceRecord::reason),
  };
};

template <>
struct Table<TentacleLoadRecord> : TableDefaults {
  static constexpr std::string_view kName = "tentacle_loads";
  static constexpr auto kColumns = std::tuple{
      column("time_ns", &TentacleLoadRecord::time_ns),
      column("name", &TentacleLoadRecord::name),
      column("kind", &TentacleLoadRecord::kind),
      column("version", &TentacleLoadRecord::version),
      column("file", &TentacleLoadRecord::file),
      column("sha256", &TentacleLoadRecord::sha256),
      column("status", &TentacleLoadRecord::status),
      column("message", &TentacleLoadRecord::message),
  };
};

template <>
struct Table<TentacleSwapRecord> : TableDefaults {
  static constexpr std::string_view kName = "tentacle_swaps";
  static constexpr auto kColumns = std::tuple{
      column("time_ns", &TentacleSwapRecord::time_ns),
      column("name", &TentacleSwapRecord::name),
      column("kind", &TentacleSwapRecord::kind),
      column("from_version", &TentacleSwapRecord::from_version),
      column("to_version", &TentacleSwapRecord::to_version),
      column("trigger", &TentacleSwapRecord::trigger),
      column("pause_ns", &TentacleSwapRecord::pause_ns),
      column("state_bytes", &TentacleSwapRecord::state_bytes),
      column("handoff", &TentacleSwapRecord::handoff),
      column("outcome", &TentacleSwapRecord::outcome),
      column("unload", &TentacleSwapRecord::unload),
      column("message", &TentacleSwapRecord::message),
  };
};

// An order sent to a real venue. Its client order id is unique across runs, because the venue
// sees it: a restart (a new run) updates the orders an earlier run placed. The executor is the
// one writer and applies the stale-update rule itself, so a second write replaces the row; run_id
// stays the run that placed the order.
template <>
struct Table<LiveOrderRecord> : TableDefaults {
  static constexpr std::string_view kName = "orders_live";
  static constexpr auto kColumns = std::tuple{
      column("client_order_id", &LiveOrderRecord::client_order_id),
      column("symbol", &LiveOrderRecord::symbol),
      column("side", &LiveOrderRecord::side),
      column("type", &LiveOrderRecord::type),
      column("time_in_force", &LiveOrderRecord::time_in_force),
      column("quantity", &LiveOrderRecord::quantity),
      column("price", &LiveOrderRecord::price),
      column("state", &LiveOrderRecord::state),
      column("venue_order_id", &LiveOrderRecord::venue_order_id),
      column("executed_quantity", &LiveOrderRecord::executed_quantity),
      column("cumulative_quote", &LiveOrderRecord::cumulative_quote),
      column("venue_update_ms", &LiveOrderRecord::venue_update_ms),
      column("created_ns", &LiveOrderRecord::created_ns),
      column("updated_ns", &LiveOrderRecord::updated_ns),
      column("reason", &LiveOrderRecord::reason),
  };
  static constexpr std::array<std::string_view, 1> kKey = {"client_order_id"};
  static constexpr bool kKeyAcrossRuns = true;
  static constexpr SameKey kSameKey = SameKey::kLatestState;
  // Reconciliation at start reads every order that may still be open.
  static constexpr std::array kIndexes = {Index{"orders_live_by_state", "state"}};
};

// One run of the bot. Its id is the run_id of every row the run wrote.
template <>
struct Table<RunRecord> : TableDefaults {
  static constexpr std::string_view kName = "runs";
  static constexpr bool kPerRun = false;
  static constexpr std::string_view kRowId = "id";
  static constexpr auto kColumns = std::tuple{
      column("id", &RunRecord::id),
      column("started_ns", &RunRecord::started_ns),
      column("mode", &RunRecord::mode),
      column("config_json", &RunRecord::config_json),
      column("finished_ns", &RunRecord::finished_ns),
      column("outcome", &RunRecord::outcome),
  };
};

// Where a run's rows are in one rowid table: every row it wrote has first_rowid <= rowid, and
// rowid <= last_rowid once it finished (absent while it runs, or after a crash). SQLite gives a
// new row max(rowid) + 1, so the rows of a run lie in that range; other runs' rows that share it
// (two programs writing one file) are told apart by run_id. Written when a run starts and ends.
struct RunExtent {
  std::string table_name;
  std::int64_t first_rowid = 0;
  std::optional<std::int64_t> last_rowid;
};

template <>
struct Table<RunExtent> : TableDefaults {
  static constexpr std::string_view kName = "run_extents";
  static constexpr auto kColumns = std::tuple{
      column("table_name", &RunExtent::table_name),
      column("first_rowid", &RunExtent::first_rowid),
      column("last_rowid", &RunExtent::last_rowid),
  };
  static constexpr std::array<std::string_view, 1> kKey = {"table_name"};
  static constexpr bool kWithoutRowid = true;
};

// Every record a run journals, in one list: the writer's queue holds one of them, and a new
// file, a migration, `runs delete` and `runs export` go through all of them.
using JournalRecord =
    std::variant<EventRecord, CandleRecord, EvaluationRecord, SignalRecord, OrderIntentRecord,
                 RiskVerdictRecord, OrderRecord, FillRecord, TradeRecord, BalanceRecord,
                 TentacleLoadRecord, TentacleSwapRecord, LiveOrderRecord>;

// Calls visit(Tag<Row>{}) for every journaled record type, in JournalRecord's order.
template <class F>
void for_each_journal_table(F&& visit) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (visit(Tag<std::variant_alternative_t<I, JournalRecord>>{}), ...);
  }
  (std::make_index_sequence<std::variant_size_v<JournalRecord>>{});
}

}  // namespace cephalo::storage_tables
