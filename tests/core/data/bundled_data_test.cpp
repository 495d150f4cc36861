// The bundled real candle files load cleanly with the row counts, times and gaps in data/README.md.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>

#include "data/ohlcv_reader.hpp"
#include "data/utc_time.hpp"

namespace {

using namespace cephalo;

const std::filesystem::path kDataDir = CEPHALO_TEST_DATA_DIR;

int64_t utc_ms(int y, unsigned mo, unsigned d, int h, int mi) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{mo} / day{d}};
  return duration_cast<milliseconds>((date + hours{h} + minutes{mi}).time_since_epoch()).count();
}

struct BundledFile {
  const char* name;
  size_t rows;
  int64_t first_ms;
  int64_t last_ms;
  int64_t missing;
};

// Copied from the table in data/README.md.
const BundledFile kBundled[] = {
    {"ETH_BTC-1m.csv", 14397, utc_ms(2018, 1, 20, 4, 53), utc_ms(2018, 1, 30, 4, 50), 1},
    {"ADA_BTC-5m.csv", 5720, utc_ms(2018, 1, 10, 4, 55), utc_ms(2018, 1, 30, 4, 50), 40},
    {"ETH_BTC-5m.csv", 5760, utc_ms(2018, 1, 10, 4, 55), utc_ms(2018, 1, 30, 4, 50), 0},
    {"LTC_BTC-5m.csv", 5760, utc_ms(2018, 1, 10, 4, 55), utc_ms(2018, 1, 30, 4, 50), 0},
    {"XRP_ETH-5m.csv", 712, utc_ms(2019, 10, 11, 0, 0), utc_ms(2019, 10, 13, 11, 15), 0},
    {"XRP_USDT_USDT-1h-futures.csv", 100, utc_ms(2021, 11, 17, 1, 0), utc_ms(2021, 11, 21, 4, 0),
     0},
};

int64_t total_missing(const OhlcvLoadResult& result) {
  return std::accumulate(result.gaps.begin(), result.gaps.end(), int64_t{0},
                         [](int64_t sum, const GapInfo& gap) { return sum + gap.missing_bars; });
}

TEST_CASE("every bundled CSV loads with the rows, times and gaps the README states") {
  for (const BundledFile& expected : kBundled) {
    CAPTURE(expected.name);
    const std::filesystem::path path = kDataDir / expected.name;
    const auto timeframe = timeframe_from_filename(path);
    REQUIRE(timeframe.has_value());
    const int64_t interval = timeframe_to_ms(*timeframe);
    REQUIRE(interval > 0);

    for (const BadRowPolicy policy : {BadRowPolicy::kReject, BadRowPolicy::kSkip}) {
      const OhlcvLoadResult result = load_ohlcv(path, interval, policy);
      CHECK(result.ok);
      CHECK(result.problems.empty());
      CHECK(result.dropped_rows == 0);
      REQUIRE(result.bars.size() == expected.rows);
      CHECK(format_utc_ms(result.bars.front().open_time_ms) == format_utc_ms(expected.first_ms));
      CHECK(format_utc_ms(result.bars.back().open_time_ms) == format_utc_ms(expected.last_ms));
      CHECK(total_missing(result) == expected.missing);
      // Gaps are reported, never filled: rows + missing spans first..last exactly.
      CHECK(static_cast<int64_t>(result.bars.size()) + total_missing(result) ==
            (expected.last_ms - expected.first_ms) / interval + 1);
    }
  }
}

TEST_CASE("gaps say where they start and how long they are") {
  const std::filesystem::path path = kDataDir / "ETH_BTC-1m.csv";
  const OhlcvLoadResult result = load_ohlcv(path, timeframe_to_ms("1m"), BadRowPolicy::kReject);
  REQUIRE(result.ok);
  REQUIRE(result.gaps.size() == 1);
  const GapInfo& gap = result.gaps.front();
  CHECK(gap.missing_bars == 1);
  CHECK(gap.first_missing_ms == gap.after_ms + 60'000);
  // The bar after the gap is the one two minutes after the bar before it.
  bool found = false;
  for (size_t i = 1; i < result.bars.size(); ++i) {
    if (result.bars[i - 1].open_time_ms == gap.after_ms) {
      CHECK(result.bars[i].open_time_ms == gap.after_ms + 2 * 60'000);
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("no interval means no gap check") {
  const OhlcvLoadResult result = load_ohlcv(kDataDir / "ADA_BTC-5m.csv", 0, BadRowPolicy::kReject);
  CHECK(result.ok);
  CHECK(result.bars.size() == 5720);
  CHECK(result.gaps.empty());
}

TEST_CASE("ADA exponent notation is read to the exact double strtod gives") {
  const std::filesystem::path path = kDataDir / "ADA_BTC-5m.csv";
  const OhlcvLoadResult result = load_ohlcv(path, timeframe_to_ms("5m"), BadRowPolicy::kReject);
  REQUIRE(result.ok);
  // First row: 1515560100000,5.33e-05,5.33e-05,5.288e-05,5.29e-05,431401.97869504
  const OhlcvBar& first = result.bars.front();
  CHECK(first.open_time_ms == 1515560100000);
  CHECK(first.open == 5.33e-05);
  CHECK(first.high == 5.33e-05);
  CHECK(first.low == 5.288e-05);
  CHECK(first.close == 5.29e-05);
  CHECK(first.volume == 431401.97869504);

  // Every value of the file, against an independent parse of the same text.
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  size_t index = 0;
  size_t exponent_values = 0;
  while (std::getline(in, line)) {
    REQUIRE(index < result.bars.size());
    const OhlcvBar& bar = result.bars[index++];
    std::istringstream fields(line);
    std::string field;
    std::getline(fields, field, ',');
    CHECK(bar.open_time_ms == std::strtoll(field.c_str(), nullptr, 10));
    for (const double loaded : {bar.open, bar.high, bar.low, bar.close, bar.volume}) {
      std::getline(fields, field, ',');
      if (field.find('e') != std::string::npos) ++exponent_values;
      if (loaded != std::strtod(field.c_str(), nullptr)) {
        FAIL("line " << index + 1 << ": " << field << " read as " << loaded);
      }
    }
  }
  CHECK(index == result.bars.size());
  CHECK(exponent_values > 1000);  // the file really exercises exponent notation
}

}  // namespace
