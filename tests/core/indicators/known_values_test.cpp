// Values computed by hand (exact fractions) on short series, and TA-Lib's zero-division rules.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "indicator_test_support.hpp"

namespace cephalo {
namespace {

std::vector<IndicatorBar> closes(const std::vector<double>& values) {
  std::vector<IndicatorBar> bars;
  for (const double c : values) bars.push_back({c, c, c, c, 1.0});
  return bars;
}

// Six bars used by the OHLC examples below; the fractions in the comments are exact.
const std::vector<IndicatorBar> kBars = {
    {0, 10, 9, 9.5, 100},   {0, 11, 9.5, 10.5, 200}, {0, 12, 10, 11, 150},
    {0, 11, 10, 10.5, 300}, {0, 13, 11, 12.5, 250},  {0, 12, 11, 11.5, 100},
};

std::vector<std::vector<double>> run(std::string_view item, const std::vector<IndicatorBar>& b) {
  auto indicator = indicator_test::make(item);
  return indicator_test::stream(*indicator, b);
}

TEST_CASE("Wilder's RSI example: 14 periods on the classic 20 closes") {
  // StockCharts' RSI table (Wilder's method) prints 70.46, 66.25, 66.48, 69.35, 66.29, 57.92;
  // the exact values below come from the same closes in rational arithmetic.
  const auto bars = closes({44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08,
                            45.89, 46.03, 45.61, 46.28, 46.28, 46.00, 46.03, 46.41, 46.22, 45.64});
  const auto rsi = run("rsi:14", bars)[0];
  const double expected[] = {70.46413502109705, 66.24961855355508, 66.48094183471267,
                             69.3468531629087,  66.29471265892626, 57.91502067008556};
  for (size_t i = 0; i < 6; ++i) CHECK(rsi[14 + i] == doctest::Approx(expected[i]).epsilon(1e-12));
}

TEST_CASE("SMA, EMA and WMA on 1..6") {
  const auto bars = closes({1, 2, 3, 4, 5, 6});
  CHECK(run("sma:3", bars)[0][2] == 2.0);
  CHECK(run("sma:3", bars)[0][5] == 5.0);
  // EMA(3): k = 1/2, seed mean(1,2,3) = 2, then 3, 4, 5.
  const auto ema = run("ema:3", bars)[0];
  CHECK(ema[2] == 2.0);
  CHECK(ema[3] == 3.0);
  CHECK(ema[5] == 5.0);
  // WMA(3) at bar 2: (1*1 + 2*2 + 3*3)/6 = 14/6; at bar 3: (2 + 6 + 12)/6 = 20/6.
  const auto wma = run("wma:3", bars)[0];
  CHECK(wma[2] == doctest::Approx(14.0 / 6).epsilon(1e-15));
  CHECK(wma[3] == doctest::Approx(20.0 / 6).epsilon(1e-15));
}

TEST_CASE("MACD(2,3,2) on 1,2,4,3,5,6,4") {
  // Bar 2: slow seed mean(1,2,4) = 7/3, fast seed mean(2,4) = 3, MACD 2/3. Bar 3: fast 3,
  // slow 8/3, MACD 1/3; signal seed mean(2/3, 1/3) = 1/2. Then (exact fractions):
  // bar 4: 1/2, 1/2; bar 5: 19/36, 14/27; bar 6: 5/216, 61/324.
  const auto macd = run("macd:2:3:2", closes({1, 2, 4, 3, 5, 6, 4}));
  CHECK(std::isnan(macd[0][2]));
  const double line[] = {1.0 / 3, 1.0 / 2, 19.0 / 36, 5.0 / 216};
  const double signal[] = {1.0 / 2, 1.0 / 2, 14.0 / 27, 61.0 / 324};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(macd[0][3 + i] == doctest::Approx(line[i]).epsilon(1e-13));
    CHECK(macd[1][3 + i] == doctest::Approx(signal[i]).epsilon(1e-13));
    CHECK(macd[2][3 + i] == doctest::Approx(line[i] - signal[i]).epsilon(1e-12).scale(1));
  }
}

TEST_CASE("Bollinger Bands on 2,4,4,4,5,5,7,9: mean 5, population deviation 2") {
  const auto bands = run("bbands:8:2", closes({2, 4, 4, 4, 5, 5, 7, 9}));
  CHECK(bands[0][7] == 9.0);
  CHECK(bands[1][7] == 5.0);
  CHECK(bands[2][7] == 1.0);
}

TEST_CASE("ATR(3): true ranges 3/2, 2, 1, 5/2, 3/2") {
  // The first bar's range (1) is not used; ATR = mean(3/2, 2, 1) = 3/2, then 11/6, 31/18.
  const auto atr = run("atr:3", kBars)[0];
  CHECK(atr[3] == doctest::Approx(1.5).epsilon(1e-15));
  CHECK(atr[4] == doctest::Approx(11.0 / 6).epsilon(1e-15));
  CHECK(atr[5] == doctest::Approx(31.0 / 18).epsilon(1e-15));
}

TEST_CASE("CCI(3): typical prices 19/2, 31/3, 11, 21/2, 73/6, 23/2") {
  const auto cci = run("cci:3", kBars)[0];
  CHECK(cci[2] == doctest::Approx(650.0 / 7).epsilon(1e-12));
  CHECK(cci[3] == doctest::Approx(-200.0 / 7).epsilon(1e-12));
  CHECK(cci[4] == doctest::Approx(100.0).epsilon(1e-12));
  CHECK(cci[5] == doctest::Approx(12.5).epsilon(1e-12));
}

TEST_CASE("MFI(2) from typical price times volume") {
  const auto mfi = run("mfi:2", kBars)[0];
  CHECK(mfi[2] == doctest::Approx(100.0).epsilon(1e-12));
  CHECK(mfi[3] == doctest::Approx(275.0 / 8).epsilon(1e-12));
  CHECK(mfi[4] == doctest::Approx(36500.0 / 743).epsilon(1e-12));
  CHECK(mfi[5] == doctest::Approx(36500.0 / 503).epsilon(1e-12));
}

TEST_CASE("Williams %R(3) and slow stochastic(3,2,2)") {
  const auto willr = run("willr:3", kBars)[0];
  CHECK(willr[2] == doctest::Approx(-100.0 / 3).epsilon(1e-14));
  CHECK(willr[3] == doctest::Approx(-60.0).epsilon(1e-14));
  CHECK(willr[4] == doctest::Approx(-50.0 / 3).epsilon(1e-14));
  CHECK(willr[5] == doctest::Approx(-50.0).epsilon(1e-14));
  // fast %K 200/3, 40, 250/3, 50; slow %K (SMA 2) 160/3, 185/3, 200/3; slow %D 115/2, 385/6.
  const auto stoch = run("stoch:3:2:2", kBars);
  CHECK(std::isnan(stoch[0][3]));
  CHECK(stoch[0][4] == doctest::Approx(185.0 / 3).epsilon(1e-14));
  CHECK(stoch[1][4] == doctest::Approx(115.0 / 2).epsilon(1e-14));
  CHECK(stoch[0][5] == doctest::Approx(200.0 / 3).epsilon(1e-14));
  CHECK(stoch[1][5] == doctest::Approx(385.0 / 6).epsilon(1e-14));
}

TEST_CASE("OBV starts at the first volume; ROC in percent") {
  std::vector<IndicatorBar> bars;
  const double c[] = {10, 11, 11, 10, 12};
  const double v[] = {100, 200, 300, 400, 500};
  for (size_t i = 0; i < 5; ++i) bars.push_back({c[i], c[i], c[i], c[i], v[i]});
  const auto obv = run("obv", bars)[0];
  const double expected[] = {100, 300, 300, -100, 400};
  for (size_t i = 0; i < 5; ++i) CHECK(obv[i] == expected[i]);
  const auto roc = run("roc:2", bars)[0];
  CHECK(roc[2] == doctest::Approx(10.0).epsilon(1e-13));  // 11/10
  CHECK(roc[4] == doctest::Approx(100.0 * (12.0 / 11 - 1)).epsilon(1e-13));
}

TEST_CASE("TA-Lib's zero rules: no movement and no range read 0") {
  const auto flat = closes(std::vector<double>(30, 3.25));
  CHECK(run("rsi:14", flat)[0][14] == 0.0);    // gains + losses == 0
  CHECK(run("willr:14", flat)[0][13] == 0.0);  // HH == LL
  CHECK(run("stoch:14:3:3", flat)[0][17] == 0.0);
  CHECK(run("cci:20", flat)[0][19] == 0.0);  // no deviation
  CHECK(run("adx:5", flat)[0][9] == 0.0);    // no true range
  CHECK(run("atr:5", flat)[0][5] == 0.0);
  CHECK(run("roc:1", closes({0, 5}))[0][1] == 0.0);  // division by a zero close
  // No volume at all: no money flow, MFI 0.
  std::vector<IndicatorBar> no_volume;
  for (int i = 0; i < 20; ++i) no_volume.push_back({1, 1.0 + i, 0.5 + i, 1.0 + i, 0.0});
  CHECK(run("mfi:14", no_volume)[0][14] == 0.0);
}

}  // namespace
}  // namespace cephalo
