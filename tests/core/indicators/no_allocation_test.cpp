// update() never allocates: every buffer an indicator needs is sized when it is built.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>

#include "indicator_test_support.hpp"
#include "indicators/indicator_spec.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Counting replacements for the global allocation functions of this test binary.
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace cephalo {
namespace {

TEST_CASE("streaming a whole file through every indicator allocates nothing") {
  const auto bars = indicator_test::load_bars("ETH_BTC-1m.csv");
  auto indicators = parse_indicator_spec(
      "sma:10,sma:50,ema:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stoch:14:3:3,wma:20,adx:14,"
      "cci:20,obv,mfi:14,willr:14,roc:10");
  REQUIRE(indicators.ok());
  const long before = g_allocations.load();
  double checksum = 0;
  for (const auto& bar : bars) {
    for (const auto& indicator : *indicators) {
      indicator->update(bar);
      if (indicator->ready()) checksum += indicator->value(0);
    }
  }
  const long after = g_allocations.load();
  CHECK(after - before == 0);
  CHECK(std::isfinite(checksum));
  // The counter does count: building one more indicator allocates.
  auto extra = make_indicator("sma:5");
  CHECK(g_allocations.load() > after);
}

}  // namespace
}  // namespace cephalo
