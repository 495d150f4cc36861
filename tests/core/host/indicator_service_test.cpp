// The indicator service behind the host API: handles (ABI 1.4) read the same values as names.
// Thread-safety: single-threaded tests.
#include "host/indicator_service.hpp"

#include <doctest/doctest.h>

#include <string>

#include "indicators/indicator_spec.hpp"

using namespace cephalo;

namespace {

Candle candle_at(NameTable& names, const char* symbol, int index, double close) {
  return Candle{names.intern(symbol),
                names.intern("5m"),
                index * int64_t{300'000'000'000},
                close,
                close + 1,
                close - 1,
                close,
                10.0};
}

}  // namespace

TEST_CASE("a handle reads what the name reads, on every candle, from the first") {
  NameTable names;
  IndicatorService service;
  const Name eth = names.intern("ETH/BTC");
  const Name ltc = names.intern("LTC/BTC");
  const Name five = names.intern("5m");
  std::string error;
  const uint64_t sma = service.handle(eth, five, "sma:3", nullptr, error);
  const uint64_t again = service.handle(eth, five, "sma:3", nullptr, error);
  const uint64_t other_pair = service.handle(ltc, five, "sma:3", nullptr, error);
  const uint64_t macd = service.handle(eth, five, "macd:3:5:2", nullptr, error);
  CHECK(error.empty());
  CHECK(sma != 0);
  CHECK(again == sma);
  CHECK(other_pair != sma);
  CHECK(macd != sma);
  int ready = 0;
  for (int i = 0; i < 40; ++i) {
    const double close = 100 + (i % 7) * 1.5 - (i % 3);
    service.on_candle(candle_at(names, "ETH/BTC", i, close));
    service.on_candle(candle_at(names, "LTC/BTC", i, close * 2));
    double by_handle[3] = {0, 0, 0};
    double by_name[3] = {0, 0, 0};
    uint32_t count_handle = 0;
    uint32_t count_name = 0;
    const cephalo_status a = service.values(&macd, 1, by_handle, 3, &count_handle);
    const cephalo_status b =
        service.values(eth, five, "macd:3:5:2", nullptr, by_name, 3, &count_name, error);
    REQUIRE(a == b);
    CHECK(count_handle == 3);
    if (a != CEPHALO_OK) {
      CHECK(a == CEPHALO_NOT_FOUND);  // warming up
      continue;
    }
    ++ready;
    for (int k = 0; k < 3; ++k) CHECK(by_handle[k] == by_name[k]);
    double eth_sma = 0, ltc_sma = 0;
    uint32_t count = 0;
    REQUIRE(service.values(&sma, 1, &eth_sma, 1, &count) == CEPHALO_OK);
    REQUIRE(service.values(&other_pair, 1, &ltc_sma, 1, &count) == CEPHALO_OK);
    // Several handles in one call: each one's outputs in turn, each count reported.
    const uint64_t three[] = {sma, macd, other_pair};
    double together[5] = {0, 0, 0, 0, 0};
    uint32_t counts[3] = {0, 0, 0};
    REQUIRE(service.values(three, 3, together, 5, counts) == CEPHALO_OK);
    CHECK(counts[0] == 1);
    CHECK(counts[1] == 3);
    CHECK(counts[2] == 1);
    CHECK(together[0] == eth_sma);
    for (int k = 0; k < 3; ++k) CHECK(together[1 + k] == by_handle[k]);
    CHECK(together[4] == ltc_sma);
    CHECK(service.values(three, 3, together, 4, counts) == CEPHALO_BUFFER_TOO_SMALL);
    CHECK(ltc_sma == doctest::Approx(2 * eth_sma));  // each handle sees its own series
  }
  CHECK(ready > 30);
}

TEST_CASE("bad specs and unknown handles are refused") {
  NameTable names;
  IndicatorService service;
  std::string error;
  CHECK(service.handle(names.intern("ETH/BTC"), names.intern("5m"), "sma:zero", nullptr, error) ==
        0);
  CHECK_FALSE(error.empty());
  double value = 0;
  uint32_t count = 0;
  const uint64_t zero = 0, one = 1;
  CHECK(service.values(&zero, 1, &value, 1, &count) == CEPHALO_INVALID_ARGUMENT);
  CHECK(service.values(&one, 1, &value, 1, &count) == CEPHALO_INVALID_ARGUMENT);  // none yet
  error.clear();
  const uint64_t sma =
      service.handle(names.intern("ETH/BTC"), names.intern("5m"), "sma:2", nullptr, error);
  const uint64_t unknown = sma + 1;
  CHECK(service.values(&unknown, 1, &value, 1, &count) == CEPHALO_INVALID_ARGUMENT);
  CHECK(service.values(&sma, 1, nullptr, 0, &count) == CEPHALO_NOT_FOUND);  // no candle yet
  // A warming handle makes the call NOT_FOUND even when another one could not fit either.
  const uint64_t both[] = {sma, sma};
  uint32_t counts[2] = {0, 0};
  CHECK(service.values(both, 2, nullptr, 0, counts) == CEPHALO_NOT_FOUND);
  CHECK(counts[1] == 1);
}

TEST_CASE("on_candle feeds each indicator only its own timeframe, SMAs exactly as update() does") {
  NameTable names;
  IndicatorService service;
  const Name eth = names.intern("ETH/BTC");
  const Name five = names.intern("5m");
  const Name hour = names.intern("1h");
  std::string error;
  const uint64_t sma_five = service.handle(eth, five, "sma:4", nullptr, error);
  const uint64_t sma_hour = service.handle(eth, hour, "sma:4", nullptr, error);
  const uint64_t ema_five = service.handle(eth, five, "ema:3", nullptr, error);
  REQUIRE(error.empty());
  // The same indicators fed directly, by update(): what the service must read back.
  auto direct_sma = make_indicator("sma:4").value();
  auto direct_ema = make_indicator("ema:3").value();
  auto direct_hour = make_indicator("sma:4").value();
  for (int i = 0; i < 60; ++i) {
    const double close = 100 + (i % 5) * 0.37 - (i % 4) * 0.11;
    const Candle candle = candle_at(names, "ETH/BTC", i, close);
    service.on_candle(candle);
    const IndicatorBar bar{candle.open, candle.high, candle.low, candle.close, candle.volume};
    direct_sma->update(bar);
    direct_ema->update(bar);
    if (i % 12 == 11) {  // an hourly candle every twelfth five-minute one
      Candle hourly = candle;
      hourly.timeframe = hour;
      hourly.close = close * 3;
      service.on_candle(hourly);
      direct_hour->update(IndicatorBar{close * 3, close * 3, close * 3, close * 3, 1});
    }
    const uint64_t handles[] = {sma_five, ema_five};
    double values[2] = {0, 0};
    uint32_t counts[2] = {0, 0};
    const cephalo_status status = service.values(handles, 2, values, 2, counts);
    CHECK(counts[0] == 1);
    CHECK(counts[1] == 1);
    if (!direct_sma->ready() || !direct_ema->ready()) {
      CHECK(status == CEPHALO_NOT_FOUND);
      continue;
    }
    REQUIRE(status == CEPHALO_OK);
    CHECK(values[0] == direct_sma->value(0));
    CHECK(values[1] == direct_ema->value(0));
    double hourly_value = 0;
    uint32_t hourly_count = 0;
    const cephalo_status hourly = service.values(&sma_hour, 1, &hourly_value, 1, &hourly_count);
    CHECK(hourly == (direct_hour->ready() ? CEPHALO_OK : CEPHALO_NOT_FOUND));
    if (hourly == CEPHALO_OK) CHECK(hourly_value == direct_hour->value(0));
  }
  CHECK(direct_hour->ready());  // five hourly candles: the 4-bar average was read
}

TEST_CASE("the read's status does not depend on which handle warms up or overflows") {
  NameTable names;
  IndicatorService service;
  const Name eth = names.intern("ETH/BTC");
  const Name five = names.intern("5m");
  std::string error;
  const uint64_t fast = service.handle(eth, five, "sma:2", nullptr, error);
  const uint64_t bands = service.handle(eth, five, "bbands:3:2", nullptr, error);
  const uint64_t slow = service.handle(eth, five, "sma:6", nullptr, error);
  for (int i = 0; i < 4; ++i) service.on_candle(candle_at(names, "ETH/BTC", i, 10.0 + i));
  double values[8] = {};
  uint32_t counts[3] = {};
  // fast and bands are ready, slow is not: NOT_FOUND whether or not the buffer is large enough,
  // and whichever comes first.
  const uint64_t ready_then_warming[] = {fast, bands, slow};
  const uint64_t warming_then_ready[] = {slow, bands, fast};
  CHECK(service.values(ready_then_warming, 3, values, 8, counts) == CEPHALO_NOT_FOUND);
  CHECK(service.values(ready_then_warming, 3, values, 1, counts) == CEPHALO_NOT_FOUND);
  CHECK(service.values(warming_then_ready, 3, values, 1, counts) == CEPHALO_NOT_FOUND);
  CHECK(counts[0] == 1);
  CHECK(counts[1] == 3);
  CHECK(counts[2] == 1);
  // All ready: four values need a capacity of four; the first that fit are the first handle's.
  const uint64_t two[] = {fast, bands};
  CHECK(service.values(two, 2, values, 3, counts) == CEPHALO_BUFFER_TOO_SMALL);
  CHECK(service.values(two, 2, values, 4, counts) == CEPHALO_OK);
  CHECK(values[0] == 12.5);  // (12 + 13) / 2
  CHECK(values[2] == 12.0);  // the bands' middle line: SMA(3) of 11, 12, 13
  // An unknown handle is refused even after a warming one.
  const uint64_t unknown[] = {slow, slow + 1};
  CHECK(service.values(unknown, 2, values, 8, counts) == CEPHALO_INVALID_ARGUMENT);
}
