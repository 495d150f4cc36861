// Sma::update_close, the indicator service's path without a virtual call, is update() bit for bit.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "indicator_test_support.hpp"
#include "indicators/sma.hpp"

namespace cephalo {
namespace {

uint64_t bits_of(double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

TEST_CASE("Sma::update_close gives update()'s values bit for bit, through volatile and flat bars") {
  std::vector<IndicatorBar> bars;
  for (const auto& b : indicator_test::load_bars("XRP_USDT_USDT-1h-futures.csv")) bars.push_back(b);
  uint64_t state = 777;
  for (int i = 0; i < 3000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double c = 0.01 + static_cast<double>(state >> 11) * 0x1p-53 * 500.0;
    bars.push_back({c, c, c, c, 1});
    // Short flat runs too: the window restarts its sums on each one that fills it.
    if (i % 97 == 0) {
      for (int k = 0; k < 12; ++k) bars.push_back({c, c, c, c, 1});
    }
  }
  for (const int period : {1, 2, 10, 50}) {
    CAPTURE(period);
    Sma by_bar(period);
    Sma by_close(period);
    size_t ready = 0;
    for (const IndicatorBar& bar : bars) {
      by_bar.update(bar);
      by_close.update_close(bar.close);
      REQUIRE(by_close.bars_seen() == by_bar.bars_seen());
      REQUIRE(by_close.ready() == by_bar.ready());
      // Bits, not ==: NaN while warming must match too, and no rounding may differ.
      REQUIRE(bits_of(by_close.value(0)) == bits_of(by_bar.value(0)));
      if (by_bar.ready()) ++ready;
    }
    CHECK(ready == bars.size() - static_cast<size_t>(period - 1));
  }
}

}  // namespace
}  // namespace cephalo
