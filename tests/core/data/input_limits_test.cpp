// Limits on candle input (issue 20's bad-input audit, findings 6 and 8): special files are
// refused at once, and times outside 1970..2262 are refused with the file and row named.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "data/ohlcv_cache.hpp"
#include "data/ohlcv_cache_file.hpp"
#include "data/ohlcv_reader.hpp"
#include "temp_dir.hpp"
#include "temp_file.hpp"

namespace {

using namespace cephalo;
using cephalo::test::TempFile;

std::string listed(const std::vector<DataProblem>& problems) {
  std::string text;
  for (const DataProblem& problem : problems) text += problem.to_string() + "\n";
  return text;
}

void check_refused(const std::filesystem::path& file, const std::string& found) {
  for (const BadRowPolicy policy : {BadRowPolicy::kReject, BadRowPolicy::kSkip}) {
    const OhlcvLoadResult direct = load_ohlcv(file, 300'000, policy);
    CAPTURE(listed(direct.problems));
    CHECK_FALSE(direct.ok);
    REQUIRE(direct.problems.size() == 1);
    CHECK(direct.problems[0].to_string().rfind(file.string() + ": " + found +
                                                   ", expected a candle file (.csv or .json); "
                                                   "only regular files are read",
                                               0) == 0);
    // The cached path stamps the source first: that open must not block on a FIFO either.
    const test::TempDir cache("limits-cache");
    const OhlcvCachedLoad cached = load_ohlcv_cached(file, 300'000, policy, {cache.path()});
    CHECK_FALSE(cached.ok);
    REQUIRE(cached.problems.size() == 1);
    CHECK(cached.problems[0].message.rfind(found, 0) == 0);
  }
}

TEST_CASE("regression: audit 6, /dev/zero, /dev/urandom, a FIFO and a symlink are refused") {
  // Before: /dev/zero and /dev/urandom were read until memory ran out, a FIFO blocked the open.
  check_refused("/dev/zero", "is a character device");
  check_refused("/dev/urandom", "is a character device");
  const test::TempDir dir("limits-special");
  const auto fifo = dir.path() / "ETH_BTC-5m.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  check_refused(fifo, "is a FIFO (named pipe)");
  const auto link = dir.path() / "LINK-5m.csv";
  std::filesystem::create_symlink("/dev/zero", link);
  check_refused(link, "is a symlink to /dev/zero, a character device");
}

TEST_CASE("a symlink to a regular candle file is still read") {
  const TempFile file("REAL-5m.csv", "timestamp,open,high,low,close,volume\n0,1,2,0.5,1.5,3\n");
  const auto link = file.path().parent_path() / "LINKED-5m.csv";
  std::filesystem::create_symlink(file.path(), link);
  const OhlcvLoadResult result = load_ohlcv(link, 300'000, BadRowPolicy::kReject);
  CHECK(result.ok);
  CHECK(result.bars.size() == 1);
}

TEST_CASE("regression: audit 8, times past 2262 or before 1970 are refused with the row") {
  // Before: 9300000000000000 ms became year -31005 once turned into nanoseconds, and the
  // backtest stored the wrapped times.
  const TempFile csv("FAR-5m.csv",
                     "timestamp,open,high,low,close,volume\n"
                     "1515560100000,1,2,0.5,1.5,3\n"
                     "9300000000000000,1,2,0.5,1.5,3\n");
  const OhlcvLoadResult result = load_ohlcv(csv.path(), 300'000, BadRowPolicy::kReject);
  CHECK_FALSE(result.ok);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        csv.path().string() +
            ":3: timestamp: timestamp 9300000000000000 ms is outside the years 1970 to 2262 (0 "
            "to 9223371736854 ms since 1970, the range nanosecond times can hold); the column "
            "must be epoch milliseconds (a time in microseconds or nanoseconds is 1000x larger)");

  const TempFile json("FAR-5m.json", "[[-300000, 1, 2, 0.5, 1.5, 3], [0, 1, 2, 0.5, 1.5, 3]]");
  const OhlcvLoadResult skipped = load_ohlcv(json.path(), 300'000, BadRowPolicy::kSkip);
  CAPTURE(listed(skipped.problems));
  CHECK(skipped.ok);
  REQUIRE(skipped.bars.size() == 1);
  CHECK(skipped.bars[0].open_time_ms == 0);
  REQUIRE(skipped.problems.size() == 1);
  CHECK(skipped.problems[0].to_string().rfind(
            json.path().string() + ":[0]: timestamp: timestamp -300000 ms is outside", 0) == 0);
}

TEST_CASE("the last candle whose close fits in int64 nanoseconds is accepted, one later is not") {
  const int64_t last = kMaxCandleTimeMs - 60'000;  // 1m candles
  const std::string header = "timestamp,open,high,low,close,volume\n";
  const TempFile fits("EDGE-1m.csv", header + std::to_string(last) + ",1,2,0.5,1.5,3\n");
  const OhlcvLoadResult ok = load_ohlcv(fits.path(), 60'000, BadRowPolicy::kReject);
  CHECK(ok.ok);
  REQUIRE(ok.bars.size() == 1);
  CHECK(ok.bars[0].open_time_ms * 1'000'000 + 60'000'000'000 > 0);  // no wrap for the close
  const TempFile past("EDGE-1m.csv", header + std::to_string(last + 60'000) + ",1,2,0.5,1.5,3\n");
  CHECK_FALSE(load_ohlcv(past.path(), 60'000, BadRowPolicy::kReject).ok);
}

TEST_CASE("regression: audit 8, a cache file holding times past 2262 is not used") {
  const test::TempDir dir("limits-cache-file");
  const auto file = dir.path() / "x.bars";
  CacheKey key;
  key.source_path = "/data/X-5m.csv";
  key.interval_ms = 300'000;
  const std::vector<OhlcvBar> bars = {{0, 1, 2, 0.5, 1.5, 3},
                                      {9'300'000'000'000'000, 1, 2, 0.5, 1.5, 3}};
  REQUIRE(write_cache_file(file, key, CacheBody{bars, {}, {}, 0}).ok());
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string error;
  MappedFile mapped = MappedFile::map_descriptor(fd, error);
  ::close(fd);
  const auto decoded =
      decode_cache_file(std::move(mapped), key, "/data/X-5m.csv", BarsCheck::kBeforeReturn);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error() ==
        "cache file bars have times outside 1970..2262 or out of order (corrupt)");
}

}  // namespace
