// The terminal summary shows the key figures and both tables with the right values.
#include "report/console_summary.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "report_fixture.hpp"

namespace cephalo::test {
namespace {

// The line that starts with `label` (after the one-space indent), or "" when there is none.
std::string line_of(const std::string& text, const std::string& label) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(" " + label, 0) == 0) return line;
  }
  return "";
}

TEST_CASE("the summary lists the key metrics with units") {
  const BacktestInput input = sample_backtest();
  const std::string text = format_console_summary(input, compute_metrics(input));
  CHECK(text.rfind("Backtest of sma_crossover (config/examples/backtest.yaml)\n", 0) == 0);
  CHECK(line_of(text, "Starting cash").find("1000.00 USDT") != std::string::npos);
  CHECK(line_of(text, "Final equity").find("1200.00 USDT") != std::string::npos);
  CHECK(line_of(text, "Total return").find("+20.00%") != std::string::npos);
  CHECK(line_of(text, "Max drawdown").find("20.00%") != std::string::npos);
  CHECK(line_of(text, "Longest drawdown").find("4h 0m (4 bars)") != std::string::npos);
  CHECK(line_of(text, "Closed trades").find("4") != std::string::npos);
  CHECK(line_of(text, "Win rate").find("50.00% (2 won, 1 lost)") != std::string::npos);
  CHECK(line_of(text, "Profit factor").find("5.48") != std::string::npos);  // 57.5 / 10.5
  CHECK(line_of(text, "Exposure").find("70.00%") != std::string::npos);
  CHECK(line_of(text, "Buy and hold return").find("+7.00%") != std::string::npos);
  CHECK(text.find("nan") == std::string::npos);
}

TEST_CASE("problems are listed one per line with their count; none prints nothing") {
  CHECK(format_problems({}).empty());
  const std::string text =
      format_problems({{"tentacle_quarantined", "evaluator rsi 1.0.0", "boom", 1},
                       {"events_dropped", "interface web", "read too slowly", 12}});
  CHECK(text ==
        "\nProblems (2):\n tentacle_quarantined evaluator rsi 1.0.0: boom\n"
        " events_dropped interface web (x12): read too slowly\n");
}

TEST_CASE("the per-pair and per-exit-reason tables have a row each") {
  const BacktestInput input = sample_backtest();
  const std::string text = format_console_summary(input, compute_metrics(input));
  const std::string btc = line_of(text, "BTC/USDT");
  CHECK(btc.find(" 3 ") != std::string::npos);
  CHECK(btc.find("66.67%") != std::string::npos);
  CHECK(btc.find("57.50") != std::string::npos);
  CHECK(line_of(text, "ETH/USDT").find("-10.50") != std::string::npos);
  CHECK(line_of(text, "stop_loss").find("-10.50") != std::string::npos);
  CHECK(line_of(text, "take_profit").find("48.50") != std::string::npos);
  CHECK(line_of(text, "signal").find("9.00") != std::string::npos);
}

TEST_CASE("a run without trades says so instead of printing NaN") {
  const BacktestInput input = flat_backtest();
  const std::string text = format_console_summary(input, compute_metrics(input));
  CHECK(text.find("nan") == std::string::npos);
  CHECK(line_of(text, "Profit factor").find("n/a (no losing trade)") != std::string::npos);
  CHECK(text.find("(no closed trades)") != std::string::npos);
}

TEST_CASE("amounts in a small quote currency keep their significant digits") {
  BacktestInput input = sample_backtest();
  input.quote_currency = "BTC";
  input.starting_cash = 0.5;
  input.final_equity = 0.5123456;
  const std::string text = format_console_summary(input, compute_metrics(input));
  CHECK(line_of(text, "Final equity").find("0.512346 BTC") != std::string::npos);
}

}  // namespace
}  // namespace cephalo::test
