// Timeframe names map to fixed intervals; unknown ones are refused, and file names reveal theirs.
#include "data/timeframe.hpp"

#include <doctest/doctest.h>

#include "data/data_problem.hpp"
#include "data/utc_time.hpp"

namespace {

using namespace cephalo;

TEST_CASE("known timeframes in milliseconds") {
  CHECK(timeframe_to_ms("1m") == 60'000);
  CHECK(timeframe_to_ms("3m") == 180'000);
  CHECK(timeframe_to_ms("5m") == 300'000);
  CHECK(timeframe_to_ms("15m") == 900'000);
  CHECK(timeframe_to_ms("30m") == 1'800'000);
  CHECK(timeframe_to_ms("1h") == 3'600'000);
  CHECK(timeframe_to_ms("2h") == 7'200'000);
  CHECK(timeframe_to_ms("4h") == 14'400'000);
  CHECK(timeframe_to_ms("6h") == 21'600'000);
  CHECK(timeframe_to_ms("8h") == 28'800'000);
  CHECK(timeframe_to_ms("12h") == 43'200'000);
  CHECK(timeframe_to_ms("1d") == 86'400'000);
  CHECK(timeframe_to_ms("3d") == 259'200'000);
  CHECK(timeframe_to_ms("1w") == 604'800'000);
}

TEST_CASE("unknown timeframes give 0") {
  for (const char* unknown : {"", "m", "5", "7m", "1M", "1y", "5M", "05m", " 5m", "5m ", "1H"}) {
    CAPTURE(unknown);
    CHECK(timeframe_to_ms(unknown) == 0);
  }
}

TEST_CASE("timeframe from a data file name") {
  CHECK(timeframe_from_filename("ETH_BTC-5m.csv") == "5m");
  CHECK(timeframe_from_filename("/data/XRP_USDT_USDT-1h-futures.csv") == "1h");
  CHECK(timeframe_from_filename("data/ETH_BTC-1m.json") == "1m");
  CHECK(timeframe_from_filename("BTC_USDT-1d") == "1d");
  CHECK_FALSE(timeframe_from_filename("prices.csv").has_value());
  CHECK_FALSE(timeframe_from_filename("ETH_BTC-7m.csv").has_value());
  CHECK_FALSE(timeframe_from_filename("ETH_BTC-5mfoo.csv").has_value());
}

TEST_CASE("problem text: FILE:ROW: COLUMN: message") {
  DataProblem problem{"a.csv", DataRowKind::kCsvLine, 12, "high", "too low"};
  CHECK(problem.to_string() == "a.csv:12: high: too low");
  problem.row_kind = DataRowKind::kJsonIndex;
  CHECK(problem.to_string() == "a.csv:[12]: high: too low");
  problem.column.clear();
  problem.row_kind = DataRowKind::kWholeFile;
  CHECK(problem.to_string() == "a.csv: too low");
}

TEST_CASE("UTC formatting of epoch ms") {
  CHECK(format_utc_ms(1515560100000) == "2018-01-10T04:55:00Z");
  CHECK(format_utc_ms(0) == "1970-01-01T00:00:00Z");
  CHECK(format_utc_ms(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_utc_ms(1637110800123) == "2021-11-17T01:00:00.123Z");
}

}  // namespace
