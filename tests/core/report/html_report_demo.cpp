// Writes an HTML backtest report from the bundled real candles, for the headless-browser test and
// for people to look at. A small SMA-crossover with a stop is simulated here (not the engine's
// strategy): it only has to produce realistic trades. Prints the counts the page must show.
//
// Usage: html_report_demo <data dir> <out.html>   (prints JSON with the expected counts)
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "report/report_html.hpp"
#include "report/summary_rows.hpp"

namespace {

using cephalo::BacktestInput;
using cephalo::CandleSeries;

constexpr int64_t kNsPerMs = 1'000'000;
constexpr double kFeeRate = 0.001;

bool read_csv(const std::string& path, const std::string& pair, CandleSeries& series) {
  std::ifstream in(path);
  if (!in) return false;
  series.pair = pair;
  series.timeframe = "5m";
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string field[6];
    for (auto& f : field) std::getline(row, f, ',');
    series.open_time_ns.push_back(std::stoll(field[0]) * kNsPerMs);
    series.open.push_back(std::stod(field[1]));
    series.high.push_back(std::stod(field[2]));
    series.low.push_back(std::stod(field[3]));
    series.close.push_back(std::stod(field[4]));
    series.volume.push_back(std::stod(field[5]));
  }
  return !series.close.empty();
}

// One pair traded with `cash`: long when the 24-bar mean crosses above the 144-bar mean; out when
// it crosses back, 3% under the entry (stop) or 4% over it (target). Returns the pair's value
// after each bar.
std::vector<double> simulate(const CandleSeries& s, double cash, BacktestInput& input) {
  constexpr size_t kFast = 24, kSlow = 144;
  std::vector<double> value(s.close.size(), cash);
  double fast_sum = 0, slow_sum = 0, quantity = 0, entry_price = 0, entry_fee = 0;
  int64_t entry_time = 0, crosses = 0;
  bool was_above = true;  // no entry on the first ready bar: wait for a real cross
  for (size_t i = 0; i < s.close.size(); ++i) {
    fast_sum += s.close[i];
    slow_sum += s.close[i];
    if (i >= kFast) fast_sum -= s.close[i - kFast];
    if (i >= kSlow) slow_sum -= s.close[i - kSlow];
    const bool ready = i + 1 >= kSlow;
    const bool above = ready && fast_sum / kFast > slow_sum / kSlow;
    auto exit = [&](double price, const char* reason) {
      const double fee = quantity * price * kFeeRate;
      cash += quantity * price - fee;
      input.trades.push_back({s.pair, entry_time, entry_price, s.open_time_ns[i], price, quantity,
                              entry_fee + fee, quantity * (price - entry_price) - entry_fee - fee,
                              reason});
      quantity = 0;
    };
    // Near the end a position is opened and left open, so the report shows one.
    const bool closing_stretch = i + 20 >= s.close.size();
    if (closing_stretch) {
      if (quantity == 0 && i + 20 == s.close.size()) {
        entry_price = s.close[i];
        entry_fee = cash * kFeeRate;
        quantity = (cash - entry_fee) / entry_price;
        entry_time = s.open_time_ns[i];
        cash = 0;
      }
    } else if (quantity > 0 && s.low[i] <= entry_price * 0.97) {
      exit(entry_price * 0.97, "stop_loss");
    } else if (quantity > 0 && s.high[i] >= entry_price * 1.04) {
      exit(entry_price * 1.04, "take_profit");
    } else if (quantity > 0 && ready && !above) {
      exit(s.close[i], "signal");
    } else if (quantity == 0 && ready && above && !was_above) {
      if (++crosses % 4 == 2) {  // some refusals to fill the rejected-orders table
        input.rejected_orders.push_back({s.pair, s.open_time_ns[i], "buy", cash / s.close[i],
                                         s.close[i], "risk: position limit <img src=x>"});
      } else {
        entry_price = s.close[i];
        entry_fee = cash * kFeeRate;
        quantity = (cash - entry_fee) / entry_price;
        entry_time = s.open_time_ns[i];
        cash = 0;
      }
    }
    if (ready) was_above = above;
    value[i] = cash + quantity * s.close[i];
  }
  if (quantity > 0) {
    const double last = s.close.back();
    input.open_positions.push_back({s.pair, entry_time, entry_price, quantity, entry_fee, last,
                                    quantity * (last - entry_price) - entry_fee});
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: html_report_demo <data dir> <out.html>\n";
    return 2;
  }
  const std::string data = argv[1];
  BacktestInput input;
  input.strategy_name = "sma_crossover (demo)";
  input.config_file = "config/examples/backtest.yaml";
  input.quote_currency = "BTC";
  input.starting_cash = 1.0;
  input.bar_interval_ns = 5 * 60 * 1'000'000'000LL;
  for (const auto& [file, pair] :
       {std::pair{"ETH_BTC-5m.csv", "ETH/BTC"}, std::pair{"LTC_BTC-5m.csv", "LTC/BTC"}}) {
    CandleSeries series;
    if (!read_csv(data + "/" + file, pair, series)) {
      std::cerr << "cannot read " << data << "/" << file << "\n";
      return 1;
    }
    input.candles.push_back(std::move(series));
  }
  // The pairs' values, summed per time (both files share their timestamps).
  std::map<int64_t, double> equity;
  const double share = input.starting_cash / static_cast<double>(input.candles.size());
  for (const auto& series : input.candles) {
    const std::vector<double> value = simulate(series, share, input);
    for (size_t i = 0; i < value.size(); ++i) equity[series.open_time_ns[i]] += value[i];
    input.bars += static_cast<int64_t>(series.close.size());
  }
  for (const auto& [time, value] : equity) input.equity.push_back({time, value});
  input.final_equity = input.equity.back().equity;
  input.start_time_ns = input.equity.front().time_ns;
  input.end_time_ns = input.equity.back().time_ns;
  input.extra = {{"risk", {{"verdicts", 42}, {"refused", input.rejected_orders.size()}}}};

  const cephalo::Metrics metrics = cephalo::compute_metrics(input);
  const cephalo::Status written = cephalo::write_backtest_html_file(argv[2], input, metrics);
  if (!written) {
    std::cerr << written.error() << "\n";
    return 1;
  }
  nlohmann::json counts = {
      {"trades", input.trades.size()},
      {"open_positions", input.open_positions.size()},
      {"rejected_orders", input.rejected_orders.size()},
      {"per_pair", metrics.per_pair.size()},
      {"exit_reasons", metrics.per_exit_reason.size()},
      {"metrics", cephalo::summary_rows(input, metrics).size()},
      {"buy_and_hold", metrics.buy_and_hold.pairs.size()},
      {"pairs", nlohmann::json::array()},
  };
  for (const auto& series : input.candles) {
    size_t entries = 0, exits = 0;
    for (const auto& trade : input.trades) {
      if (trade.pair == series.pair) ++entries, ++exits;
    }
    for (const auto& position : input.open_positions) {
      if (position.pair == series.pair) ++entries;
    }
    counts["pairs"].push_back({{"pair", series.pair},
                               {"id", cephalo::candle_chart_id(series.pair)},
                               {"entries", entries},
                               {"exits", exits}});
  }
  std::cout << counts.dump() << "\n";
  return 0;
}
