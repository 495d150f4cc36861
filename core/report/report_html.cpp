// Page layout: header and headline figures, charts, then the tables. Everything a record carries
// as text (pair, reason, names) goes through html_escape.
#include "report/report_html.hpp"

#include <cctype>

#include "report/report_file.hpp"
#include "report/slot_report.hpp"
#include "report/summary_rows.hpp"
#include "report/svg_charts.hpp"
#include "report/text_format.hpp"

namespace cephalo {
namespace {

using report_text::format_duration;
using report_text::format_fixed;
using report_text::format_percent;
using report_text::format_price;
using report_text::format_time_utc;
using report_text::html_escape;

constexpr const char* kStyle = R"css(
:root { --up: #1b9e77; --down: #d9534f; --line: #2b6cb0; --muted: #6b7280; --grid: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: #f6f7f9; color: #111827;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.subtitle, .note, .empty { color: var(--muted); margin: 0 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
         margin: 16px 0; }
.card { background: #fff; border: 1px solid var(--grid); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.panel { background: #fff; border: 1px solid var(--grid); border-radius: 8px; padding: 12px; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-size: 12px; fill: var(--muted); }
.chart .plot-area { fill: #fff; stroke: var(--grid); }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .baseline { stroke: #9ca3af; stroke-dasharray: 4 4; }
.chart .line { fill: none; stroke-width: 1.5; }
.chart .equity-line { stroke: var(--line); }
.chart .hold-line { stroke: #9ca3af; stroke-dasharray: 6 3; }
.chart .drawdown-area { fill: rgba(217, 83, 79, 0.25); stroke: var(--down); stroke-width: 1; }
.chart .wick { fill: none; stroke-width: 1; }
.chart .wick.up { stroke: var(--up); } .chart .wick.down { stroke: var(--down); }
.chart .body.up { fill: var(--up); } .chart .body.down { fill: var(--down); }
.chart .trade-line { stroke-width: 1.2; stroke-dasharray: 3 2; }
.chart .trade-line.win { stroke: #15803d; } .chart .trade-line.loss { stroke: #b91c1c; }
.chart .marker { stroke: #111827; stroke-width: 0.8; }
.chart .marker.entry { fill: #2563eb; } .chart .marker.exit { fill: #f59e0b; }
.chart .marker.entry.open { fill: #a855f7; }
.chart .no-data { font-size: 16px; }
.legend-entry { color: #2563eb; } .legend-exit { color: #f59e0b; } .legend-open { color: #a855f7; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid var(--grid); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--grid); text-align: left; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #eef1f5; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; }
.pos { color: #15803d; } .neg { color: #b91c1c; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px; }
#metrics-table th { font-weight: 500; color: #374151; background: none; position: static; }
pre { background: #fff; border: 1px solid var(--grid); border-radius: 8px; padding: 12px;
      overflow: auto; }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
)css";

std::string sign_class(double value) {
  return value > 0 ? "num pos" : value < 0 ? "num neg" : "num";
}

struct Cell {
  std::string text;       // escaped here
  std::string css_class;  // "num" for a right-aligned number, "num pos"/"num neg" for money
};

struct HtmlTable {
  std::string id;
  std::vector<Cell> header;
  std::vector<std::vector<Cell>> rows;
  std::string empty_note;  // shown instead of rows when there are none
};

std::string render(const HtmlTable& table) {
  std::string out = "<table id=\"" + html_escape(table.id) + "\">\n<thead><tr>";
  for (const auto& cell : table.header) {
    out += "<th" + (cell.css_class.empty() ? "" : " class=\"" + cell.css_class + "\"") + ">" +
           html_escape(cell.text) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const auto& cell : row) {
      out += "<td" + (cell.css_class.empty() ? "" : " class=\"" + cell.css_class + "\"") + ">" +
             html_escape(cell.text) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (table.rows.empty() && !table.empty_note.empty()) {
    out += "<p class=\"empty\">" + html_escape(table.empty_note) + "</p>\n";
  }
  return out;
}

// What went wrong without stopping the run, right under the title so it is not missed; nothing
// (not even the heading) for a clean run, whose report then stays byte for byte as it was.
std::string problems_section(const std::vector<Problem>& problems) {
  if (problems.empty()) return "";
  HtmlTable table{
      "problems-table", {{"Kind", ""}, {"Where", ""}, {"Count", "num"}, {"What", ""}}, {}, ""};
  for (const Problem& problem : problems) {
    table.rows.push_back({{problem.kind, ""},
                          {problem.where, ""},
                          {std::to_string(problem.count), "num"},
                          {problem.message, ""}});
  }
  return "<h2 id=\"problems\">Problems (" + std::to_string(problems.size()) +
         ")</h2>\n<div class=\"scroll\">\n" + render(table) + "</div>\n";
}

// The three risk tiers: what happened to the intents (risk-summary-table: counts, halts, kills,
// protective exits) and every rule's passed/refused count by tier (risk-table); nothing for a
// run without a risk engine.
std::string risk_section(const nlohmann::json& extra) {
  if (!extra.is_object() || !extra.contains("risk") || !extra["risk"].is_object()) return "";
  const nlohmann::json& risk = extra["risk"];
  const auto count = [&risk](const char* key) {
    return std::to_string(risk.value(key, static_cast<int64_t>(0)));
  };
  HtmlTable summary{"risk-summary-table", {{"What", ""}, {"Count", "num"}}, {}, ""};
  const std::pair<const char*, const char*> lines[] = {{"Order intents checked", "intents"},
                                                       {"allowed", "allowed"},
                                                       {"refused", "refused"},
                                                       {"exits (never blocked)", "exits"},
                                                       {"loss pauses", "loss_pauses"},
                                                       {"daily-loss halts", "daily_loss_halts"},
                                                       {"drawdown halts", "drawdown_halts"},
                                                       {"kill switch", "kills"}};
  for (const auto& [label, key] : lines) summary.rows.push_back({{label, ""}, {count(key), "num"}});
  if (risk.contains("protective_exits") && risk["protective_exits"].is_object()) {
    for (const auto& [reason, n] : risk["protective_exits"].items()) {
      summary.rows.push_back(
          {{"protective exits: " + reason, ""}, {std::to_string(n.get<int64_t>()), "num"}});
    }
  }
  HtmlTable rules{"risk-table",
                  {{"Tier", ""}, {"Rule", ""}, {"Passed", "num"}, {"Refused", "num"}},
                  {},
                  "no rule was checked"};
  if (risk.contains("by_rule") && risk["by_rule"].is_object()) {
    // Position, strategy, account: the order an intent passes them in.
    for (const char* tier : {"position", "strategy", "account"}) {
      for (const auto& [rule, figures] : risk["by_rule"].items()) {
        if (figures.value("tier", std::string()) != tier) continue;
        const int64_t refused = figures.value("refused", static_cast<int64_t>(0));
        rules.rows.push_back(
            {{tier, ""},
             {rule, ""},
             {std::to_string(figures.value("passed", static_cast<int64_t>(0))), "num"},
             {std::to_string(refused), refused > 0 ? "num neg" : "num"}});
      }
    }
  }
  return "<h2>Risk checks</h2>\n<div class=\"tables\">\n<section>\n" + render(summary) +
         "</section>\n<section>\n" + render(rules) + "</section>\n</div>\n";
}

// The A/B slots side by side (slots-table) and their differences from the first slot with the
// bootstrap intervals (slot-comparison-table); nothing for a run without slots.
std::string slots_section(const nlohmann::json& extra) {
  const auto tables = slot_tables(extra);
  if (!tables) return "";
  const auto html_table = [](std::string id, const TextTable& text) {
    HtmlTable table{std::move(id), {}, {}, "no slots"};
    for (size_t c = 0; c < text.header.size(); ++c) {
      table.header.push_back({text.header[c], c == 0 ? "" : "num"});
    }
    for (const auto& row : text.rows) {
      std::vector<Cell> cells;
      for (size_t c = 0; c < row.size(); ++c) cells.push_back({row[c], c == 0 ? "" : "num"});
      table.rows.push_back(std::move(cells));
    }
    return table;
  };
  std::string out =
      "<h2>A/B slots</h2>\n<p class=\"note\">Each slot trades its own sub-account; the metrics "
      "above are all of them together.</p>\n<div class=\"scroll\">\n" +
      render(html_table("slots-table", tables->side_by_side)) + "</div>\n";
  if (!tables->comparison.rows.empty()) {
    out += "<h3>Compared with the first slot</h3>\n<div class=\"scroll\">\n" +
           render(html_table("slot-comparison-table", tables->comparison)) + "</div>\n" +
           "<p class=\"note\" id=\"slot-comparison-method\">" + html_escape(tables->method_note) +
           "</p>\n";
  }
  return out;
}

std::string metrics_table(const BacktestInput& input, const Metrics& metrics) {
  std::string out = "<table id=\"metrics-table\">\n<tbody>\n";
  for (const auto& row : summary_rows(input, metrics)) {
    out += "<tr data-key=\"" + html_escape(row.key) + "\"><th>" + html_escape(row.label) +
           "</th><td class=\"num\">" + html_escape(row.value) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string headline_cards(const Metrics& m) {
  auto card = [](const std::string& label, const std::string& value, const std::string& css) {
    return "<div class=\"card\"><div class=\"label\">" + html_escape(label) +
           "</div><div class=\"value " + css + "\">" + html_escape(value) + "</div></div>\n";
  };
  auto tone = [](double value) { return value > 0 ? "pos" : value < 0 ? "neg" : ""; };
  std::string out = "<div class=\"cards\" id=\"summary-cards\">\n";
  out += card("Total return", (m.total_return > 0 ? "+" : "") + format_percent(m.total_return),
              tone(m.total_return));
  out += card(
      "Buy and hold",
      (m.buy_and_hold.total_return > 0 ? "+" : "") + format_percent(m.buy_and_hold.total_return),
      tone(m.buy_and_hold.total_return));
  out += card("Max drawdown", format_percent(m.max_drawdown), m.max_drawdown > 0 ? "neg" : "");
  out += card("Sharpe", report_text::format_optional(m.sharpe, 2), "");
  out += card("Trades", std::to_string(m.trade_count), "");
  out += card("Win rate", m.trade_count > 0 ? format_percent(m.win_rate, 1) : "n/a", "");
  out += card("Profit factor", report_text::format_optional(m.profit_factor, 2), "");
  return out + "</div>\n";
}

HtmlTable trades_table(const BacktestInput& input, int decimals) {
  HtmlTable table{"trades-table",
                  {{"#", "num"},
                   {"Pair", ""},
                   {"Entry (UTC)", ""},
                   {"Entry price", "num"},
                   {"Exit (UTC)", ""},
                   {"Exit price", "num"},
                   {"Quantity", "num"},
                   {"Held", "num"},
                   {"Fees", "num"},
                   {"Pnl", "num"},
                   {"Exit reason", ""}},
                  {},
                  "No closed trades."};
  int64_t number = 0;
  for (const auto& t : input.trades) {
    table.rows.push_back({{std::to_string(++number), "num"},
                          {t.pair, ""},
                          {format_time_utc(t.entry_time_ns), ""},
                          {format_price(t.entry_price), "num"},
                          {format_time_utc(t.exit_time_ns), ""},
                          {format_price(t.exit_price), "num"},
                          {format_price(t.quantity), "num"},
                          {format_duration(t.exit_time_ns - t.entry_time_ns), "num"},
                          {format_fixed(t.fees, decimals), "num"},
                          {format_fixed(t.pnl, decimals), sign_class(t.pnl)},
                          {t.exit_reason, ""}});
  }
  return table;
}

HtmlTable per_pair_table(const Metrics& metrics, int decimals) {
  HtmlTable table{
      "per-pair-table",
      {{"Pair", ""}, {"Trades", "num"}, {"Win rate", "num"}, {"Pnl", "num"}, {"Fees", "num"}},
      {},
      "No pairs."};
  for (const auto& r : metrics.per_pair) {
    table.rows.push_back({{r.pair, ""},
                          {std::to_string(r.trades), "num"},
                          {r.trades > 0 ? format_percent(r.win_rate) : "-", "num"},
                          {format_fixed(r.pnl, decimals), sign_class(r.pnl)},
                          {format_fixed(r.fees, decimals), "num"}});
  }
  return table;
}

HtmlTable exit_reasons_table(const Metrics& metrics, int decimals) {
  HtmlTable table{"exit-reasons-table",
                  {{"Exit reason", ""}, {"Trades", "num"}, {"Pnl", "num"}},
                  {},
                  "No closed trades."};
  for (const auto& r : metrics.per_exit_reason) {
    table.rows.push_back({{r.reason.empty() ? "(untagged)" : r.reason, ""},
                          {std::to_string(r.count), "num"},
                          {format_fixed(r.pnl, decimals), sign_class(r.pnl)}});
  }
  return table;
}

HtmlTable buy_and_hold_table(const Metrics& metrics, int decimals) {
  HtmlTable table{"buy-and-hold-table",
                  {{"Pair", ""},
                   {"First open", "num"},
                   {"Last close", "num"},
                   {"Quantity", "num"},
                   {"Final value", "num"},
                   {"Return", "num"}},
                  {},
                  "No candles to compare with."};
  for (const auto& leg : metrics.buy_and_hold.pairs) {
    table.rows.push_back({{leg.pair, ""},
                          {format_price(leg.entry_price), "num"},
                          {format_price(leg.exit_price), "num"},
                          {format_price(leg.quantity), "num"},
                          {format_fixed(leg.final_value, decimals), "num"},
                          {format_percent(leg.total_return), sign_class(leg.total_return)}});
  }
  return table;
}

HtmlTable open_positions_table(const BacktestInput& input, int decimals) {
  HtmlTable table{"open-positions-table",
                  {{"Pair", ""},
                   {"Entry (UTC)", ""},
                   {"Entry price", "num"},
                   {"Quantity", "num"},
                   {"Fees", "num"},
                   {"Last price", "num"},
                   {"Unrealised pnl", "num"}},
                  {},
                  "No position was open at the end."};
  for (const auto& p : input.open_positions) {
    table.rows.push_back(
        {{p.pair, ""},
         {format_time_utc(p.entry_time_ns), ""},
         {format_price(p.entry_price), "num"},
         {format_price(p.quantity), "num"},
         {format_fixed(p.fees, decimals), "num"},
         {format_price(p.last_price), "num"},
         {format_fixed(p.unrealised_pnl, decimals), sign_class(p.unrealised_pnl)}});
  }
  return table;
}

HtmlTable rejected_orders_table(const BacktestInput& input) {
  HtmlTable table{"rejected-orders-table",
                  {{"Time (UTC)", ""},
                   {"Pair", ""},
                   {"Side", ""},
                   {"Quantity", "num"},
                   {"Price", "num"},
                   {"Reason", ""}},
                  {},
                  "No order was rejected."};
  for (const auto& o : input.rejected_orders) {
    table.rows.push_back({{format_time_utc(o.time_ns), ""},
                          {o.pair, ""},
                          {o.side, ""},
                          {format_price(o.quantity), "num"},
                          {o.price > 0 ? format_price(o.price) : "-", "num"},
                          {o.reason, ""}});
  }
  return table;
}

std::string charts(const BacktestInput& input, const Metrics& metrics) {
  std::string out = "<h2>Equity</h2>\n<div class=\"panel\">\n";
  const std::vector<EquityPoint> hold = buy_and_hold_curve(input);
  std::vector<report_svg::LineSeries> lines = {{"equity-line", "Strategy equity", input.equity}};
  if (!hold.empty()) lines.push_back({"hold-line", "Buy and hold", hold});
  out += report_svg::line_chart("equity-chart", lines, input.starting_cash, input.quote_currency);
  out += "</div>\n<h2>Drawdown</h2>\n<div class=\"panel\">\n";
  out += report_svg::drawdown_chart("drawdown-chart", input.equity, drawdown_curve(input));
  out += "<p class=\"note\">Depth below the highest equity so far; max " +
         html_escape(format_percent(metrics.max_drawdown)) + ".</p>\n</div>\n";

  out += "<h2>Prices and trades</h2>\n";
  out +=
      "<p class=\"note\"><span class=\"legend-entry\">&#9650;</span> entry &nbsp; "
      "<span class=\"legend-exit\">&#9660;</span> exit &nbsp; "
      "<span class=\"legend-open\">&#9650;</span> still open &nbsp; dashed line: green for a "
      "gain, red for a loss. Hover a marker for details.</p>\n";
  for (const auto& series : input.candles) {
    std::vector<ClosedTrade> trades;
    for (const auto& trade : input.trades) {
      if (trade.pair == series.pair) trades.push_back(trade);
    }
    std::vector<OpenPosition> positions;
    for (const auto& position : input.open_positions) {
      if (position.pair == series.pair) positions.push_back(position);
    }
    const size_t bars = series.open_time_ns.size();
    const size_t bucket = report_svg::candle_bucket_size(bars, report_svg::kMaxCandleColumns);
    out += "<h3>" + html_escape(series.pair) + " <span class=\"note\">" +
           html_escape(series.timeframe) + ", " + std::to_string(bars) + " candles" +
           (bucket > 1 ? ", " + std::to_string(bucket) + " per column" : "") + ", " +
           std::to_string(trades.size()) + " trades</span></h3>\n<div class=\"panel\">\n";
    out += report_svg::candle_chart(candle_chart_id(series.pair), series, trades, positions);
    out += "</div>\n";
  }
  if (input.candles.empty()) out += "<p class=\"empty\">No candles were recorded.</p>\n";
  return out;
}

}  // namespace

std::string candle_chart_id(const std::string& pair) {
  std::string id = "candles-" + pair;
  for (char& c : id) {
    if (std::isspace(static_cast<unsigned char>(c))) c = '_';
  }
  return id;
}

std::string write_backtest_html(const BacktestInput& input, const Metrics& metrics) {
  const int decimals = report_text::amount_decimals(input.starting_cash);
  const std::string name = input.strategy_name.empty() ? "(unnamed strategy)" : input.strategy_name;
  const std::string unit = input.quote_currency.empty() ? "" : " (" + input.quote_currency + ")";
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may be fetched: the report must look the same offline and years from now.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Backtest report: " +
      html_escape(name) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>Backtest report: " + html_escape(name) + "</h1>\n";
  out += "<p class=\"subtitle\">" +
         html_escape((input.config_file.empty() ? "" : "Config " + input.config_file + " · ") +
                     format_time_utc(input.start_time_ns) + " to " +
                     format_time_utc(input.end_time_ns) + " UTC · " + std::to_string(input.bars) +
                     " candles · quote currency " + input.quote_currency) +
         "</p>\n";
  out += problems_section(input.problems);
  out += headline_cards(metrics);
  out += charts(input, metrics);

  // Metrics beside the per-pair and per-exit-reason tables; they stack on a narrow screen.
  out += "<div class=\"tables\">\n<section>\n<h2>Metrics</h2>\n" + metrics_table(input, metrics) +
         "</section>\n<section>\n<h2>Per pair" + html_escape(unit) + "</h2>\n" +
         render(per_pair_table(metrics, decimals)) + "<h2>Per exit reason" + html_escape(unit) +
         "</h2>\n" + render(exit_reasons_table(metrics, decimals)) + "</section>\n</div>\n";
  out += slots_section(input.extra);
  out += risk_section(input.extra);
  out += "<h2>Buy and hold" + html_escape(unit) + "</h2>\n" +
         render(buy_and_hold_table(metrics, decimals));
  out += "<h2>Trades (" + std::to_string(input.trades.size()) + ")" + html_escape(unit) +
         "</h2>\n<div class=\"scroll\">\n" + render(trades_table(input, decimals)) + "</div>\n";
  out += "<h2>Open positions at the end" + html_escape(unit) + "</h2>\n" +
         render(open_positions_table(input, decimals));
  out += "<h2>Rejected orders (" + std::to_string(input.rejected_orders.size()) + ")</h2>\n" +
         "<div class=\"scroll\">\n" + render(rejected_orders_table(input)) + "</div>\n";
  nlohmann::json other_sections = input.extra;
  if (other_sections.is_object()) {
    // Slots and risk are drawn as tables; the rest is shown as data until the report draws it.
    other_sections.erase("slots");
    other_sections.erase("slot_comparison");
    other_sections.erase("risk");
  }
  if (other_sections.is_object() && !other_sections.empty()) {
    out +=
        "<h2>Other sections</h2>\n<pre id=\"extra-sections\">" +
        html_escape(other_sections.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) +
        "</pre>\n";
  }
  out += "<footer>Cephalo backtest report. Times are UTC; amounts in " +
         html_escape(input.quote_currency.empty() ? "the quote currency" : input.quote_currency) +
         ".</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

Status write_backtest_html_file(const std::filesystem::path& path, const BacktestInput& input,
                                const Metrics& metrics) {
  return write_report_file(path, write_backtest_html(input, metrics));
}

}  // namespace cephalo
