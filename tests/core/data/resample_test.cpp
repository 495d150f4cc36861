// Resampling 1m candles reproduces the exchange's own 5m candles, and buckets follow the epoch
// grid.
#include "data/resample.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "data/ohlcv_reader.hpp"

namespace {

using namespace cephalo;

const std::filesystem::path kDataDir = CEPHALO_TEST_DATA_DIR;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kFiveMinutes = 300'000;

std::map<int64_t, OhlcvBar> by_time(const std::vector<OhlcvBar>& bars) {
  std::map<int64_t, OhlcvBar> out;
  for (const OhlcvBar& bar : bars) out.emplace(bar.open_time_ms, bar);
  return out;
}

bool same_ohlc(const OhlcvBar& a, const OhlcvBar& b) {
  return a.open == b.open && a.high == b.high && a.low == b.low && a.close == b.close;
}

TEST_CASE("ETH_BTC 1m resampled to 5m matches ETH_BTC-5m on every complete overlapping bucket") {
  const OhlcvLoadResult minute =
      load_ohlcv(kDataDir / "ETH_BTC-1m.csv", kMinute, BadRowPolicy::kReject);
  const OhlcvLoadResult five =
      load_ohlcv(kDataDir / "ETH_BTC-5m.csv", kFiveMinutes, BadRowPolicy::kReject);
  REQUIRE(minute.ok);
  REQUIRE(five.ok);
  const auto exchange = by_time(five.bars);

  const auto complete = resample(minute.bars, kMinute, kFiveMinutes, {.complete_only = true});
  REQUIRE(complete.ok());
  // 2881 buckets touch the 1m file; three are partial: the first (2 of 5 candles), the one
  // with the missing minute, and the last (the file ends on its first minute).
  CHECK(complete->size() == 2878);
  size_t compared = 0;
  for (const OhlcvBar& bucket : complete.value()) {
    const auto found = exchange.find(bucket.open_time_ms);
    REQUIRE(found != exchange.end());  // the 5m file covers the whole 1m range
    CAPTURE(bucket.open_time_ms);
    CHECK(same_ohlc(bucket, found->second));
    // Volumes are sums of doubles, so they agree to rounding, not to the bit.
    CHECK(std::abs(bucket.volume - found->second.volume) <= 1e-12 * found->second.volume);
    ++compared;
  }
  CHECK(compared == 2878);
}

TEST_CASE("partial buckets are emitted from the candles they have") {
  const OhlcvLoadResult minute =
      load_ohlcv(kDataDir / "ETH_BTC-1m.csv", kMinute, BadRowPolicy::kReject);
  const OhlcvLoadResult five =
      load_ohlcv(kDataDir / "ETH_BTC-5m.csv", kFiveMinutes, BadRowPolicy::kReject);
  const auto all = resample(minute.bars, kMinute, kFiveMinutes);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2881);
  // data/README.md: every overlapping 5m candle matches except the first, partial one, which
  // the exchange built from minutes before the 1m file starts.
  const auto exchange = by_time(five.bars);
  size_t mismatches = 0;
  for (const OhlcvBar& bucket : all.value()) {
    if (!same_ohlc(bucket, exchange.at(bucket.open_time_ms))) ++mismatches;
  }
  CHECK(mismatches == 1);
  CHECK(!same_ohlc(all->front(), exchange.at(all->front().open_time_ms)));
  // The first bucket starts on the 5m grid even though its first candle is at :53.
  CHECK(all->front().open_time_ms % kFiveMinutes == 0);
  CHECK(all->front().open_time_ms == minute.bars.front().open_time_ms - 3 * kMinute);
  CHECK(all->front().open == minute.bars[0].open);
  CHECK(all->front().close == minute.bars[1].close);
}

TEST_CASE("bucket arithmetic on a hand-made series") {
  // Minutes 0..6 with minute 2 missing, and two minutes before 1970.
  const std::vector<OhlcvBar> bars = {
      {-2 * kMinute, 5, 6, 4, 5.5, 1},
      {-1 * kMinute, 5.5, 9, 5, 6, 2},
      {0, 10, 11, 9, 10.5, 1},
      {kMinute, 10.5, 12, 10, 11, 2},
      {3 * kMinute, 11, 11.5, 8, 9, 4},
      {4 * kMinute, 9, 10, 8.5, 9.5, 8},
      {5 * kMinute, 9.5, 10, 9, 9.8, 16},
  };
  const auto out = resample(bars, kMinute, kFiveMinutes);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 3);
  CHECK(out.value()[0] == OhlcvBar{-kFiveMinutes, 5, 9, 4, 6, 3});
  CHECK(out.value()[1] == OhlcvBar{0, 10, 12, 8, 9.5, 15});
  CHECK(out.value()[2] == OhlcvBar{kFiveMinutes, 9.5, 10, 9, 9.8, 16});
  const auto complete = resample(bars, kMinute, kFiveMinutes, {.complete_only = true});
  REQUIRE(complete.ok());
  CHECK(complete->empty());  // every bucket above is short of a candle

  const auto same = resample(bars, kMinute, kMinute);
  REQUIRE(same.ok());
  CHECK(same.value() == bars);
  const auto empty = resample({}, kMinute, kFiveMinutes);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("resample refuses what it cannot do, saying why") {
  const std::vector<OhlcvBar> bars = {{0, 1, 1, 1, 1, 1}, {kMinute, 1, 1, 1, 1, 1}};
  const auto not_multiple = resample(bars, 2 * kMinute, kFiveMinutes);
  CHECK(!not_multiple.ok());
  CHECK(not_multiple.error().find("not a multiple") != std::string::npos);
  const auto zero = resample(bars, 0, kFiveMinutes);
  CHECK(!zero.ok());
  CHECK(zero.error().find("positive") != std::string::npos);
  const std::vector<OhlcvBar> unsorted = {{kMinute, 1, 1, 1, 1, 1}, {kMinute, 1, 1, 1, 1, 1}};
  const auto refused = resample(unsorted, kMinute, kFiveMinutes);
  CHECK(!refused.ok());
  CHECK(refused.error().find("strictly increasing") != std::string::npos);
}

}  // namespace
