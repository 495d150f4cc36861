// Every indicator on every bundled file equals the TA-Lib batch reference to 1e-9, with the same
// lookback (first row with a value).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "indicator_test_support.hpp"

namespace cephalo {
namespace {

namespace ref = talib_reference;
using Columns = std::vector<ref::Column>;

struct Case {
  std::string item;
  // Oscillators (bounded, percent-like) are compared with an absolute floor of 1e-9; price- and
  // volume-like columns relative to the column's own magnitude, which is far stricter than a
  // floor of 1 on coins quoted at 5e-5.
  bool oscillator;
  std::function<Columns(const ref::Bars&)> reference;
};

Columns one(ref::Column column) {
  return Columns{std::move(column)};
}

std::vector<Case> cases() {
  return {
      {"sma:10", false, [](const ref::Bars& b) { return one(ref::sma(b.close, 10)); }},
      {"sma:50", false, [](const ref::Bars& b) { return one(ref::sma(b.close, 50)); }},
      {"ema:20", false, [](const ref::Bars& b) { return one(ref::ema(b.close, 20)); }},
      {"ema:2", false, [](const ref::Bars& b) { return one(ref::ema(b.close, 2)); }},
      {"wma:20", false, [](const ref::Bars& b) { return one(ref::wma(b.close, 20)); }},
      {"rsi:14", true, [](const ref::Bars& b) { return one(ref::rsi(b.close, 14)); }},
      {"rsi:2", true, [](const ref::Bars& b) { return one(ref::rsi(b.close, 2)); }},
      {"macd:12:26:9", false, [](const ref::Bars& b) { return ref::macd(b.close, 12, 26, 9); }},
      {"macd:5:35:1", false, [](const ref::Bars& b) { return ref::macd(b.close, 5, 35, 1); }},
      {"bbands:20:2", false, [](const ref::Bars& b) { return ref::bbands(b.close, 20, 2.0); }},
      {"bbands:5:2.5", false, [](const ref::Bars& b) { return ref::bbands(b.close, 5, 2.5); }},
      {"atr:14", false, [](const ref::Bars& b) { return one(ref::atr(b, 14)); }},
      {"atr:1", false, [](const ref::Bars& b) { return one(ref::atr(b, 1)); }},
      {"stoch:14:3:3", true, [](const ref::Bars& b) { return ref::stoch(b, 14, 3, 3); }},
      {"stoch:5:1:1", true, [](const ref::Bars& b) { return ref::stoch(b, 5, 1, 1); }},
      {"adx:14", true, [](const ref::Bars& b) { return one(ref::adx(b, 14)); }},
      {"adx:2", true, [](const ref::Bars& b) { return one(ref::adx(b, 2)); }},
      {"cci:20", true, [](const ref::Bars& b) { return one(ref::cci(b, 20)); }},
      {"obv", false, [](const ref::Bars& b) { return one(ref::obv(b)); }},
      {"mfi:14", true, [](const ref::Bars& b) { return one(ref::mfi(b, 14)); }},
      {"willr:14", true, [](const ref::Bars& b) { return one(ref::willr(b, 14)); }},
      {"roc:10", true, [](const ref::Bars& b) { return one(ref::roc(b.close, 10)); }},
      {"roc:1", true, [](const ref::Bars& b) { return one(ref::roc(b.close, 1)); }},
  };
}

double max_abs(const ref::Column& column) {
  double m = 0;
  for (const double v : column) {
    if (!std::isnan(v)) m = std::max(m, std::fabs(v));
  }
  return m;
}

TEST_CASE("every indicator on every bundled file equals the TA-Lib reference") {
  for (const auto& file : indicator_test::bundled_files()) {
    const auto bars = indicator_test::load_bars(file);
    const auto arrays = indicator_test::as_arrays(bars);
    for (const auto& c : cases()) {
      CAPTURE(file);
      CAPTURE(c.item);
      auto indicator = indicator_test::make(c.item);
      const auto actual = indicator_test::stream(*indicator, bars);
      const auto expected = c.reference(arrays);
      REQUIRE(actual.size() == expected.size());
      for (size_t out = 0; out < actual.size(); ++out) {
        const std::string column = indicator->column_names()[out];
        CAPTURE(column);
        CHECK(indicator_test::first_value_index(actual[out]) == indicator->lookback());
        CHECK(indicator_test::first_value_index(expected[out]) == indicator->lookback());
        // A column that is identically 0 (the histogram with signal period 1) must match exactly.
        const double scale = c.oscillator ? 1.0 : max_abs(expected[out]);
        size_t mismatches = 0;
        size_t compared = 0;
        for (size_t t = 0; t < bars.size(); ++t) {
          const double a = actual[out][t], b = expected[out][t];
          if (std::isnan(a) != std::isnan(b)) {
            ++mismatches;
            continue;
          }
          if (std::isnan(b)) continue;
          ++compared;
          if (std::fabs(a - b) <= 1e-9 * std::max(std::fabs(b), scale)) continue;
          if (++mismatches <= 3) {
            FAIL_CHECK("row " << t << ": streaming " << a << " vs reference " << b);
          }
        }
        CHECK(mismatches == 0);
        CHECK(compared == bars.size() - indicator->lookback());
      }
    }
  }
}

}  // namespace
}  // namespace cephalo
