#include "report/summary_rows.hpp"

#include "report/text_format.hpp"

namespace cephalo {

std::vector<SummaryRow> summary_rows(const BacktestInput& input, const Metrics& m) {
  using namespace report_text;
  const int decimals = amount_decimals(input.starting_cash);
  const std::string unit = input.quote_currency.empty() ? "" : " " + input.quote_currency;
  auto amount = [&](double value) { return format_fixed(value, decimals) + unit; };
  // A leading + on gains makes a column of returns readable at a glance.
  auto signed_percent = [](double fraction) {
    return (fraction > 0 ? "+" : "") + format_percent(fraction);
  };
  const std::string expectancy =
      amount(m.expectancy) + " (" + signed_percent(m.expectancy_fraction) + " of entry value)";
  const std::string win_rate = format_percent(m.win_rate) + " (" + std::to_string(m.wins) +
                               " won, " + std::to_string(m.losses) + " lost)";
  return {
      {"period", "Period (UTC)",
       format_time_utc(input.start_time_ns) + " to " + format_time_utc(input.end_time_ns)},
      {"duration", "Duration", format_duration(input.end_time_ns - input.start_time_ns)},
      {"bars", "Candles processed", std::to_string(input.bars)},
      {"starting_cash", "Starting cash", amount(input.starting_cash)},
      {"final_equity", "Final equity", amount(input.final_equity)},
      {"total_return", "Total return", signed_percent(m.total_return)},
      {"cagr", "CAGR", m.cagr ? signed_percent(*m.cagr) : "n/a"},
      {"buy_and_hold_return", "Buy and hold return", signed_percent(m.buy_and_hold.total_return)},
      {"buy_and_hold_max_drawdown", "Buy and hold max drawdown",
       format_percent(m.buy_and_hold.max_drawdown)},
      {"sharpe", "Sharpe (annualised)", format_optional(m.sharpe, 2)},
      {"sortino", "Sortino (annualised)", format_optional(m.sortino, 2)},
      {"calmar", "Calmar", format_optional(m.calmar, 2)},
      {"max_drawdown", "Max drawdown", format_percent(m.max_drawdown)},
      {"max_drawdown_duration", "Longest drawdown",
       format_duration(m.max_drawdown_duration_ns) + " (" +
           std::to_string(m.max_drawdown_duration_bars) + " bars)"},
      {"trade_count", "Closed trades", std::to_string(m.trade_count)},
      {"win_rate", "Win rate", win_rate},
      {"profit_factor", "Profit factor",
       m.profit_factor ? format_fixed(*m.profit_factor, 2) : "n/a (no losing trade)"},
      {"expectancy", "Expectancy per trade", expectancy},
      {"net_pnl", "Net pnl of closed trades", amount(m.net_pnl)},
      {"total_fees", "Fees paid", amount(m.total_fees)},
      {"exposure", "Exposure (time in market)", format_percent(m.exposure)},
      {"average_holding_time", "Average holding time", format_duration(m.average_holding_ns)},
      {"open_positions", "Open positions at the end", std::to_string(input.open_positions.size())},
      {"rejected_orders", "Rejected orders", std::to_string(input.rejected_orders.size())},
  };
}

}  // namespace cephalo
