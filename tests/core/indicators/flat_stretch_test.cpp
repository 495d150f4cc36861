// Moving averages do not drift: after a volatile stretch, a long flat market reads exactly flat.
#include <doctest/doctest.h>

#include <cstdint>

#include "indicator_test_support.hpp"

namespace cephalo {
namespace {

TEST_CASE("10,000 flat bars after a volatile stretch: SMA(10) == SMA(50) == price, exactly") {
  std::vector<IndicatorBar> bars;
  // The volatile stretch: a real market (values of every magnitude the sums must carry), then
  // a deterministic jumpy tail with wide moves.
  for (const auto& b : indicator_test::load_bars("XRP_USDT_USDT-1h-futures.csv")) bars.push_back(b);
  uint64_t state = 12345;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double c = 0.1 + static_cast<double>(state >> 11) * 0x1p-53 * 1000.0;
    bars.push_back({c, c * 1.01, c * 0.99, c, 1e6 * c});
  }
  const double price = 0.07133;  // not a sum-friendly binary fraction
  const size_t flat_from = bars.size();
  for (int i = 0; i < 10000; ++i) bars.push_back({price, price, price, price, 5});

  auto sma10 = indicator_test::make("sma:10");
  auto sma50 = indicator_test::make("sma:50");
  auto wma20 = indicator_test::make("wma:20");
  auto bands = indicator_test::make("bbands:20:2");
  auto ema20 = indicator_test::make("ema:20");
  size_t checked = 0;
  for (size_t t = 0; t < bars.size(); ++t) {
    for (auto* indicator : {sma10.get(), sma50.get(), wma20.get(), bands.get(), ema20.get()}) {
      indicator->update(bars[t]);
    }
    if (t < flat_from + 50) continue;
    ++checked;
    // Exact equality on purpose: a crossover must never fire on rounding noise.
    REQUIRE(sma10->value(0) == price);
    REQUIRE(sma50->value(0) == price);
    REQUIRE(sma10->value(0) == sma50->value(0));
    REQUIRE(wma20->value(0) == price);
    REQUIRE(bands->value(0) == price);
    REQUIRE(bands->value(1) == price);
    REQUIRE(bands->value(2) == price);
    if (t >= flat_from + 2000) REQUIRE(ema20->value(0) == price);  // converged, not stuck
  }
  CHECK(checked == 10000 - 50);
}

TEST_CASE("a real file at 5e-5 prices then flat: every average reads exactly the last close") {
  // The bundled files have no flat run of even 10 closes, so one is appended to a real history.
  auto bars = indicator_test::load_bars("ADA_BTC-5m.csv");
  const double price = bars.back().close;
  const size_t flat_from = bars.size();
  for (int i = 0; i < 3000; ++i) bars.push_back({price, price, price, price, 1000});
  auto sma10 = indicator_test::make("sma:10");
  auto sma50 = indicator_test::make("sma:50");
  auto bands = indicator_test::make("bbands:20:2");
  auto stoch = indicator_test::make("stoch:14:3:3");
  size_t checked = 0;
  for (size_t t = 0; t < bars.size(); ++t) {
    for (auto* indicator : {sma10.get(), sma50.get(), bands.get(), stoch.get()}) {
      indicator->update(bars[t]);
    }
    if (t < flat_from + 50) continue;
    ++checked;
    REQUIRE(sma10->value(0) == price);
    REQUIRE(sma50->value(0) == price);
    REQUIRE(bands->value(0) == price);
    REQUIRE(bands->value(2) == price);
    REQUIRE(stoch->value(0) == 0.0);  // no range: %K reads 0, and its averages exactly 0
    REQUIRE(stoch->value(1) == 0.0);
  }
  CHECK(checked == 3000 - 50);
}

}  // namespace
}  // namespace cephalo
