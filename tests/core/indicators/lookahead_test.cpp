// No lookahead: the value at bar t is the same whether or not later bars exist, or what they hold.
#include <doctest/doctest.h>

#include <cmath>

#include "indicator_test_support.hpp"

namespace cephalo {
namespace {

constexpr const char* kAll[] = {"sma:10",      "ema:20", "wma:20",       "rsi:14", "macd:12:26:9",
                                "bbands:20:2", "atr:14", "stoch:14:3:3", "adx:14", "cci:20",
                                "obv",         "mfi:14", "willr:14",     "roc:10"};

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

TEST_CASE("values up to bar t do not change when the file is cut or altered after t") {
  const auto full = indicator_test::load_bars("LTC_BTC-5m.csv");
  for (const size_t cut : {size_t{0}, size_t{13}, size_t{33}, full.size() / 2, full.size() - 2}) {
    // Truncated at `cut`, and a copy whose future is replaced by wild prices.
    const std::vector<IndicatorBar> truncated(full.begin(), full.begin() + cut + 1);
    std::vector<IndicatorBar> altered = full;
    for (size_t t = cut + 1; t < altered.size(); ++t) altered[t] = {9e9, 1e10, 1, 5e9, 1e12};
    for (const char* item : kAll) {
      CAPTURE(item);
      CAPTURE(cut);
      auto a = indicator_test::make(item);
      auto b = indicator_test::make(item);
      auto c = indicator_test::make(item);
      const auto on_full = indicator_test::stream(*a, full);
      const auto on_truncated = indicator_test::stream(*b, truncated);
      const auto on_altered = indicator_test::stream(*c, altered);
      size_t differences = 0;
      for (size_t out = 0; out < on_full.size(); ++out) {
        for (size_t t = 0; t <= cut; ++t) {
          if (!same(on_full[out][t], on_truncated[out][t])) ++differences;
          if (!same(on_full[out][t], on_altered[out][t])) ++differences;
        }
      }
      CHECK(differences == 0);
      // The altered future really changed the later values (the check above is not vacuous).
      if (cut + 1 < full.size() && cut >= a->lookback()) {
        CHECK_FALSE(same(on_full[0][cut + 1], on_altered[0][cut + 1]));
      }
    }
  }
}

}  // namespace
}  // namespace cephalo
