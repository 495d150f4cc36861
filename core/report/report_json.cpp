// Field names and units of the JSON report. nlohmann::ordered_json keeps insertion order, which
// makes the byte-for-byte output a function of the input alone.
#include "report/report_json.hpp"

#include <algorithm>
#include <optional>

#include "report/report_file.hpp"

namespace cephalo {
namespace {

using Json = nlohmann::ordered_json;

int64_t to_ms(int64_t time_ns) {
  int64_t ms = time_ns / 1'000'000;
  if (time_ns % 1'000'000 < 0) --ms;  // floor, so times before 1970 stay ordered
  return ms;
}

Json nullable(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json metrics_json(const Metrics& m) {
  const bool has_drawdown = m.max_drawdown > 0;
  return Json{
      {"total_return", m.total_return},
      {"cagr", nullable(m.cagr)},
      {"sharpe", nullable(m.sharpe)},
      {"sortino", nullable(m.sortino)},
      {"calmar", nullable(m.calmar)},
      {"max_drawdown", m.max_drawdown},
      {"max_drawdown_peak_time", has_drawdown ? Json(to_ms(m.max_drawdown_peak_time_ns)) : Json()},
      {"max_drawdown_trough_time",
       has_drawdown ? Json(to_ms(m.max_drawdown_trough_time_ns)) : Json()},
      {"max_drawdown_duration_ms", to_ms(m.max_drawdown_duration_ns)},
      {"max_drawdown_duration_bars", m.max_drawdown_duration_bars},
      {"trade_count", m.trade_count},
      {"wins", m.wins},
      {"losses", m.losses},
      {"win_rate", m.win_rate},
      {"gross_profit", m.gross_profit},
      {"gross_loss", m.gross_loss},
      {"profit_factor", nullable(m.profit_factor)},
      {"net_pnl", m.net_pnl},
      {"total_fees", m.total_fees},
      {"expectancy", m.expectancy},
      {"expectancy_fraction", m.expectancy_fraction},
      {"exposure", m.exposure},
      {"average_holding_time_ms", to_ms(m.average_holding_ns)},
  };
}

Json trades_json(const std::vector<ClosedTrade>& trades) {
  Json rows = Json::array();
  for (const auto& t : trades) {
    rows.push_back(Json{{"pair", t.pair},
                        {"entry_time", to_ms(t.entry_time_ns)},
                        {"entry_price", t.entry_price},
                        {"exit_time", to_ms(t.exit_time_ns)},
                        {"exit_price", t.exit_price},
                        {"quantity", t.quantity},
                        {"fees", t.fees},
                        {"pnl", t.pnl},
                        {"exit_reason", t.exit_reason}});
  }
  return rows;
}

Json open_positions_json(const std::vector<OpenPosition>& positions) {
  Json rows = Json::array();
  for (const auto& p : positions) {
    rows.push_back(Json{{"pair", p.pair},
                        {"entry_time", to_ms(p.entry_time_ns)},
                        {"entry_price", p.entry_price},
                        {"quantity", p.quantity},
                        {"fees", p.fees},
                        {"last_price", p.last_price},
                        {"unrealised_pnl", p.unrealised_pnl}});
  }
  return rows;
}

Json rejected_orders_json(const std::vector<RejectedOrder>& orders) {
  Json rows = Json::array();
  for (const auto& o : orders) {
    rows.push_back(Json{{"pair", o.pair},
                        {"time", to_ms(o.time_ns)},
                        {"side", o.side},
                        {"quantity", o.quantity},
                        {"price", o.price},
                        {"reason", o.reason}});
  }
  return rows;
}

// Two parallel arrays rather than an object per point: a third of the size for long runs.
Json equity_curve_json(const std::vector<EquityPoint>& equity) {
  Json times = Json::array(), values = Json::array();
  for (const auto& point : equity) {
    times.push_back(to_ms(point.time_ns));
    values.push_back(point.equity);
  }
  return Json{{"time", std::move(times)}, {"equity", std::move(values)}};
}

Json per_pair_json(const std::vector<PairStats>& table) {
  Json rows = Json::array();
  for (const auto& r : table) {
    rows.push_back(Json{{"pair", r.pair},
                        {"trades", r.trades},
                        {"wins", r.wins},
                        {"win_rate", r.win_rate},
                        {"pnl", r.pnl},
                        {"fees", r.fees}});
  }
  return rows;
}

Json per_exit_reason_json(const std::vector<ExitReasonStats>& table) {
  Json rows = Json::array();
  for (const auto& r : table) {
    rows.push_back(Json{{"exit_reason", r.reason}, {"count", r.count}, {"pnl", r.pnl}});
  }
  return rows;
}

Json buy_and_hold_json(const BuyAndHold& hold) {
  Json pairs = Json::array();
  for (const auto& leg : hold.pairs) {
    pairs.push_back(Json{{"pair", leg.pair},
                         {"entry_price", leg.entry_price},
                         {"exit_price", leg.exit_price},
                         {"quantity", leg.quantity},
                         {"final_value", leg.final_value},
                         {"total_return", leg.total_return}});
  }
  return Json{{"final_value", hold.final_value},
              {"total_return", hold.total_return},
              {"max_drawdown", hold.max_drawdown},
              {"pairs", std::move(pairs)}};
}

Json problems_json(const std::vector<Problem>& problems) {
  Json rows = Json::array();
  for (const auto& p : problems) {
    rows.push_back(
        Json{{"kind", p.kind}, {"where", p.where}, {"message", p.message}, {"count", p.count}});
  }
  return rows;
}

Status check_extra(const nlohmann::json& extra) {
  if (extra.is_null()) return Ok{};
  if (!extra.is_object()) {
    return Error{std::string("backtest report: the extra sections must be a JSON object, found ") +
                 extra.type_name()};
  }
  const auto& reserved = backtest_json_keys();
  for (const auto& [key, value] : extra.items()) {
    if (key == "problems" || std::find(reserved.begin(), reserved.end(), key) != reserved.end()) {
      return Error{"backtest report: extra section '" + key +
                   "' would overwrite the report's own key of that name; rename the section"};
    }
  }
  return Ok{};
}

}  // namespace

nlohmann::ordered_json metrics_to_json(const Metrics& metrics) {
  return metrics_json(metrics);
}

const std::vector<std::string>& backtest_json_keys() {
  static const std::vector<std::string> keys = {
      "report_version",  "strategy",        "config_file",  "quote_currency",
      "starting_cash",   "final_equity",    "bars",         "start_time",
      "end_time",        "bar_interval_ms", "metrics",      "trades",
      "open_positions",  "rejected_orders", "equity_curve", "per_pair",
      "per_exit_reason", "buy_and_hold"};
  return keys;
}

Result<std::string> write_backtest_json(const BacktestInput& input, const Metrics& metrics) {
  if (Status extra_ok = check_extra(input.extra); !extra_ok) return extra_ok;
  Json report{
      {"report_version", 1},
      {"strategy", input.strategy_name},
      {"config_file", input.config_file},
      {"quote_currency", input.quote_currency},
      {"starting_cash", input.starting_cash},
      {"final_equity", input.final_equity},
      {"bars", input.bars},
      {"start_time", to_ms(input.start_time_ns)},
      {"end_time", to_ms(input.end_time_ns)},
      {"bar_interval_ms", to_ms(input.bar_interval_ns)},
      {"metrics", metrics_json(metrics)},
      {"trades", trades_json(input.trades)},
      {"open_positions", open_positions_json(input.open_positions)},
      {"rejected_orders", rejected_orders_json(input.rejected_orders)},
      {"equity_curve", equity_curve_json(input.equity)},
      {"per_pair", per_pair_json(metrics.per_pair)},
      {"per_exit_reason", per_exit_reason_json(metrics.per_exit_reason)},
      {"buy_and_hold", buy_and_hold_json(metrics.buy_and_hold)},
  };
  // Only a run with problems has the key: a clean run's report is byte for byte what it was
  // before problems were reported.
  if (!input.problems.empty()) report["problems"] = problems_json(input.problems);
  // nlohmann::json keeps its object keys sorted, so the extra sections come out in a stable order.
  if (input.extra.is_object()) {
    for (const auto& [key, value] : input.extra.items()) report[key] = Json(value);
  }
  // Invalid UTF-8 in a name or reason is replaced (U+FFFD) rather than failing the whole report.
  return report.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Status write_backtest_json_file(const std::filesystem::path& path, const BacktestInput& input,
                                const Metrics& metrics) {
  Result<std::string> text = write_backtest_json(input, metrics);
  if (!text) return text.status();
  return write_report_file(path, *text);
}

}  // namespace cephalo
