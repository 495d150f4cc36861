// The HTML report as text: self-contained, stable ids, escaped names, tables with one row per
// record, candles aggregated with markers still at the right columns.
#include "report/report_html.hpp"

#include <doctest/doctest.h>

#include <string>

#include "report/svg_charts.hpp"
#include "report_fixture.hpp"

namespace cephalo::test {
namespace {

size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// From the element with this id to the first `closing` after it.
std::string element(const std::string& html, const std::string& id, const std::string& closing) {
  const size_t start = html.find("id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  const size_t end = html.find(closing, start);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

size_t body_rows(const std::string& html, const std::string& table_id) {
  const std::string table = element(html, table_id, "</table>");
  const size_t body = table.find("<tbody>");
  return body == std::string::npos ? 0 : count_of(table.substr(body), "<tr");
}

std::string html_of(const BacktestInput& input) {
  return write_backtest_html(input, compute_metrics(input));
}

TEST_CASE("the page is self-contained: no network address, no script, a CSP forbidding loads") {
  const std::string html = html_of(sample_backtest());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find(" href=") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(html.find("</html>\n") != std::string::npos);
}

TEST_CASE("charts and tables carry the ids a browser test looks for") {
  const std::string html = html_of(sample_backtest());
  for (const char* id : {"metrics-table", "equity-chart", "drawdown-chart", "candles-BTC/USDT",
                         "candles-ETH/USDT", "trades-table", "per-pair-table", "exit-reasons-table",
                         "open-positions-table", "rejected-orders-table", "buy-and-hold-table"}) {
    CHECK_MESSAGE(html.find("id=\"" + std::string(id) + "\"") != std::string::npos, id);
  }
  CHECK(count_of(element(html, "equity-chart", "</svg>"), "<path class=\"line ") == 2);
  CHECK(element(html, "drawdown-chart", "</svg>").find("drawdown-area") != std::string::npos);
}

TEST_CASE("each table has one body row per record") {
  const BacktestInput input = sample_backtest();
  const std::string html = html_of(input);
  CHECK(body_rows(html, "trades-table") == 4);
  CHECK(body_rows(html, "per-pair-table") == 2);
  CHECK(body_rows(html, "exit-reasons-table") == 3);
  CHECK(body_rows(html, "open-positions-table") == 1);
  CHECK(body_rows(html, "rejected-orders-table") == 1);
  CHECK(body_rows(html, "buy-and-hold-table") == 2);
  CHECK(body_rows(html, "metrics-table") == 24);
  CHECK(element(html, "trades-table", "</table>").find("stop_loss") != std::string::npos);
}

TEST_CASE("each pair's chart has an entry marker per trade and open position, an exit per trade") {
  const std::string html = html_of(sample_backtest());
  const std::string btc = element(html, "candles-BTC/USDT", "</svg>");
  CHECK(count_of(btc, "class=\"marker entry\"") == 3);
  CHECK(count_of(btc, "class=\"marker exit\"") == 3);
  CHECK(count_of(btc, "class=\"trade-line ") == 3);
  const std::string eth = element(html, "candles-ETH/USDT", "</svg>");
  CHECK(count_of(eth, "class=\"marker entry\"") == 1);
  CHECK(count_of(eth, "class=\"marker entry open\"") == 1);
  CHECK(count_of(eth, "class=\"marker exit\"") == 1);
}

TEST_CASE("names are escaped everywhere they appear") {
  BacktestInput input = sample_backtest();
  const std::string evil = "<script>alert(1)</script>";
  input.strategy_name = "a & b";
  input.candles[0].pair = evil;
  input.trades[0].pair = evil;
  input.trades[0].exit_reason = "\"quoted\" 'reason'";
  input.rejected_orders[0].reason = "<b>bold</b>";
  input.extra = {
      {"custom", {{"note", "</pre><script>"}}},
      {"risk",
       {{"by_rule", {{"<i>rule</i>", {{"tier", "account"}, {"passed", 1}, {"refused", 0}}}}}}}};
  const std::string html = html_of(input);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>bold") == std::string::npos);
  CHECK(html.find("id=\"candles-&lt;script&gt;alert(1)&lt;/script&gt;\"") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&quot;quoted&quot; &#39;reason&#39;") != std::string::npos);
  CHECK(html.find("a &amp; b") != std::string::npos);
  CHECK(html.find("&lt;/pre&gt;&lt;script&gt;") != std::string::npos);
  CHECK(html.find("<td>&lt;i&gt;rule&lt;/i&gt;</td>") != std::string::npos);  // the risk table
}

TEST_CASE("problems get a table at the top; a clean run's page has none and is unchanged") {
  BacktestInput input = sample_backtest();
  const std::string clean = html_of(input);
  CHECK(clean.find("problems") == std::string::npos);
  input.problems = {{"tentacle_quarantined", "evaluator <rsi> 1.0.0", "boom & bust", 2}};
  const std::string html = html_of(input);
  CHECK(body_rows(html, "problems-table") == 1);
  CHECK(html.find("evaluator &lt;rsi&gt; 1.0.0") != std::string::npos);
  CHECK(html.find("boom &amp; bust") != std::string::npos);
  CHECK(html.find("id=\"problems\"") < html.find("class=\"cards\""));
  input.problems.clear();
  CHECK(html_of(input) == clean);
}

TEST_CASE("a candle chart id replaces whitespace so it stays one token") {
  CHECK(candle_chart_id("BTC USDT") == "candles-BTC_USDT");
  CHECK(candle_chart_id("ETH/BTC") == "candles-ETH/BTC");
}

TEST_CASE("long series are merged into at most kMaxCandleColumns columns of true OHLC") {
  std::vector<double> closes;
  for (int i = 0; i < 5000; ++i) closes.push_back(100 + (i % 97) - (i % 13));
  const CandleSeries series = make_series("BTC/USDT", kT0Ns, 100, closes);
  const size_t bucket = report_svg::candle_bucket_size(5000, report_svg::kMaxCandleColumns);
  CHECK(bucket == 9);  // ceil(5000 / 600)
  const auto columns = report_svg::aggregate_candles(series, report_svg::kMaxCandleColumns);
  REQUIRE(columns.size() == 556);  // ceil(5000 / 9)
  // Column 1 merges bars 9..17.
  double high = 0, low = 1e9;
  for (size_t i = 9; i < 18; ++i) {
    high = std::max(high, series.high[i]);
    low = std::min(low, series.low[i]);
  }
  CHECK(columns[1].first_bar == 9);
  CHECK(columns[1].open_time_ns == series.open_time_ns[9]);
  CHECK(columns[1].open == series.open[9]);
  CHECK(columns[1].close == series.close[17]);
  CHECK(columns[1].high == high);
  CHECK(columns[1].low == low);
  // The last column holds the 5 bars left over.
  CHECK(columns.back().first_bar == 4995);
  CHECK(columns.back().close == series.close[4999]);
  CHECK(report_svg::aggregate_candles(series, 10000).size() == 5000);
}

TEST_CASE("a marker lands on the column holding its bar") {
  std::vector<double> closes(5000, 100.0);
  BacktestInput input = flat_backtest();
  input.candles = {make_series("BTC/USDT", kT0Ns, 100, closes)};
  // Entry in bar 4500 (column 500), exit in bar 4999 (column 555, the last).
  input.trades = {ClosedTrade{"BTC/USDT", kT0Ns + 4500 * kHourNs + 1, 100, kT0Ns + 4999 * kHourNs,
                              100, 1, 0, 0, "signal"}};
  const std::string chart = element(html_of(input), "candles-BTC/USDT", "</svg>");
  // Plot from x=84 to x=1180 (1096 wide) in 556 columns; a column's centre is at 84 + (c + .5) w.
  const double width = 1096.0 / 556.0;
  char expected_entry[64], expected_exit[64];
  std::snprintf(expected_entry, sizeof expected_entry, "class=\"marker entry\" d=\"M%.1f,",
                84 + 500.5 * width);
  std::snprintf(expected_exit, sizeof expected_exit, "class=\"marker exit\" d=\"M%.1f,",
                84 + 555.5 * width);
  CHECK_MESSAGE(chart.find(expected_entry) != std::string::npos, expected_entry);
  CHECK_MESSAGE(chart.find(expected_exit) != std::string::npos, expected_exit);
}

TEST_CASE("an empty run still renders every section without NaN") {
  BacktestInput input = flat_backtest();
  input.equity.clear();
  const std::string html = html_of(input);
  CHECK(html.find("nan") == std::string::npos);
  CHECK(html.find("No closed trades.") != std::string::npos);
  CHECK(element(html, "equity-chart", "</svg>").find("No equity points") != std::string::npos);
  CHECK(element(html, "drawdown-chart", "</svg>").find("No equity points") != std::string::npos);
  CHECK(body_rows(html, "trades-table") == 0);
}

TEST_CASE("the same input gives byte-identical HTML") {
  CHECK(html_of(sample_backtest()) == html_of(sample_backtest()));
}

}  // namespace
}  // namespace cephalo::test
