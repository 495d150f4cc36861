// Helpers for the indicator tests.
// Thread-safety: test code; single-threaded.
#include "indicator_test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "data/ohlcv_reader.hpp"
#include "data/timeframe.hpp"
#include "indicators/indicator_spec.hpp"

namespace cephalo::indicator_test {

const std::vector<std::string>& bundled_files() {
  static const std::vector<std::string> files = {"ETH_BTC-5m.csv", "LTC_BTC-5m.csv",
                                                 "XRP_ETH-5m.csv", "ADA_BTC-5m.csv",
                                                 "ETH_BTC-1m.csv", "XRP_USDT_USDT-1h-futures.csv"};
  return files;
}

std::vector<IndicatorBar> load_bars(const std::string& file_name) {
  const std::string path = std::string(CEPHALO_TEST_DATA_DIR) + "/" + file_name;
  const auto timeframe = timeframe_from_filename(path);
  const int64_t interval = timeframe ? timeframe_to_ms(*timeframe) : 0;
  const auto loaded = load_ohlcv(path, interval, BadRowPolicy::kReject);
  for (const auto& problem : loaded.problems) MESSAGE(problem.to_string());
  REQUIRE(loaded.ok);
  std::vector<IndicatorBar> bars;
  bars.reserve(loaded.bars.size());
  for (const auto& b : loaded.bars) bars.push_back({b.open, b.high, b.low, b.close, b.volume});
  REQUIRE(bars.size() > 50);
  return bars;
}

talib_reference::Bars as_arrays(const std::vector<IndicatorBar>& bars) {
  talib_reference::Bars out;
  for (const auto& b : bars) {
    out.open.push_back(b.open);
    out.high.push_back(b.high);
    out.low.push_back(b.low);
    out.close.push_back(b.close);
    out.volume.push_back(b.volume);
  }
  return out;
}

std::unique_ptr<StreamingIndicator> make(std::string_view item) {
  auto made = make_indicator(item);
  INFO(item);
  REQUIRE_MESSAGE(made.ok(), made.error());
  return std::move(*made);
}

std::vector<std::vector<double>> stream(StreamingIndicator& indicator,
                                        const std::vector<IndicatorBar>& bars) {
  std::vector<std::vector<double>> columns(indicator.output_count(),
                                           std::vector<double>(bars.size(), std::nan("")));
  for (size_t t = 0; t < bars.size(); ++t) {
    indicator.update(bars[t]);
    if (!indicator.ready()) continue;
    for (size_t i = 0; i < columns.size(); ++i) columns[i][t] = indicator.value(i);
  }
  return columns;
}

size_t first_value_index(const std::vector<double>& column) {
  for (size_t i = 0; i < column.size(); ++i) {
    if (!std::isnan(column[i])) return i;
  }
  return column.size();
}

}  // namespace cephalo::indicator_test
