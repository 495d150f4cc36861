// freqtrade-style JSON arrays load to exactly the bars of the CSV they were converted from.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "data/ohlcv_reader.hpp"
#include "temp_file.hpp"

namespace {

using namespace cephalo;
using cephalo::test::TempFile;

const std::filesystem::path kDataDir = CEPHALO_TEST_DATA_DIR;

// Written the way freqtrade writes them: integer ms, shortest round-trip doubles.
std::string to_json_array(const std::vector<OhlcvBar>& bars) {
  nlohmann::json rows = nlohmann::json::array();
  for (const OhlcvBar& bar : bars) {
    rows.push_back({bar.open_time_ms, bar.open, bar.high, bar.low, bar.close, bar.volume});
  }
  return rows.dump();
}

TEST_CASE("a JSON array converted from a bundled CSV loads to the same bars and gaps") {
  for (const char* name : {"ADA_BTC-5m.csv", "ETH_BTC-1m.csv", "XRP_USDT_USDT-1h-futures.csv"}) {
    CAPTURE(name);
    const std::filesystem::path csv_path = kDataDir / name;
    const int64_t interval = timeframe_to_ms(timeframe_from_filename(csv_path).value());
    const OhlcvLoadResult csv = load_ohlcv(csv_path, interval, BadRowPolicy::kReject);
    REQUIRE(csv.ok);

    const std::string json_name = csv_path.stem().string() + ".json";
    const TempFile json_file(json_name, to_json_array(csv.bars));
    const OhlcvLoadResult json = load_ohlcv(json_file.path(), interval, BadRowPolicy::kReject);
    CHECK(json.ok);
    CHECK(json.problems.empty());
    CHECK(json.bars.size() == csv.bars.size());
    CHECK(json.bars == csv.bars);
    REQUIRE(json.gaps.size() == csv.gaps.size());
    for (size_t i = 0; i < csv.gaps.size(); ++i) {
      CHECK(json.gaps[i].after_ms == csv.gaps[i].after_ms);
      CHECK(json.gaps[i].missing_bars == csv.gaps[i].missing_bars);
    }
  }
}

TEST_CASE("JSON is detected by its leading '[' whatever the extension") {
  const TempFile file("candles.dat",
                      "\n  [[1000, 1, 2, 0.5, 1.5, 3], [2000.0, 1.5, 2, 1, 2, 0]]\n");
  const OhlcvLoadResult result = load_ohlcv(file.path(), 1000, BadRowPolicy::kReject);
  CHECK(result.ok);
  CHECK(result.bars == std::vector<OhlcvBar>{{1000, 1, 2, 0.5, 1.5, 3}, {2000, 1.5, 2, 1, 2, 0}});
}

TEST_CASE("bad JSON rows are named by their 0-based array index") {
  const std::string text = R"([
    [1000, 1, 2, 0.5, 1.5, 3],
    [2000, 1, 2, 0.5],
    "not a row",
    [3000, "1", 2, 0.5, 1.5, 3],
    [3000, 1, 2, 0.5, 1.5, null],
    [3000.5, 1, 2, 0.5, 1.5, 3],
    {"t": 3000},
    [3000, 1, [2], 0.5, 1.5, 3],
    [3000, 1, 0.9, 0.5, 1.5, 3],
    [1000, 1, 2, 0.5, 1.5, 3],
    [3000, 1, 2, 0.5, 1.5, 3]
  ])";
  struct Expected {
    int64_t index;
    const char* column;
    const char* contains;
  };
  const Expected expected[] = {
      {1, "", "expected 6 values"},
      {2, "", "found the string \"not a row\""},
      {3, "open", "expected a number, found the string \"1\""},
      {4, "volume", "found null"},
      {5, "timestamp", "found 3000.5"},
      {6, "", "found an object"},
      {7, "high", "found an array"},
      {8, "high", "below max(open, close)"},
      {9, "timestamp", "duplicate timestamp"},
  };
  const TempFile file("BAD.json", text);
  for (const BadRowPolicy policy : {BadRowPolicy::kReject, BadRowPolicy::kSkip}) {
    const OhlcvLoadResult result = load_ohlcv(file.path(), 1000, policy);
    CHECK(result.ok == (policy == BadRowPolicy::kSkip));
    if (policy == BadRowPolicy::kSkip) {
      CHECK(result.bars ==
            std::vector<OhlcvBar>{{1000, 1, 2, 0.5, 1.5, 3}, {3000, 1, 2, 0.5, 1.5, 3}});
      REQUIRE(result.gaps.size() == 1);
      CHECK(result.gaps[0].missing_bars == 1);
    } else {
      CHECK(result.bars.empty());
    }
    REQUIRE(result.problems.size() == std::size(expected));
    for (size_t i = 0; i < std::size(expected); ++i) {
      const DataProblem& problem = result.problems[i];
      CAPTURE(problem.to_string());
      CHECK(problem.row_kind == DataRowKind::kJsonIndex);
      CHECK(problem.row == expected[i].index);
      CHECK(problem.column == expected[i].column);
      CHECK(problem.message.find(expected[i].contains) != std::string::npos);
      CHECK(problem.to_string().starts_with(file.path().string() + ":[" +
                                            std::to_string(expected[i].index) + "]: "));
    }
  }
}

}  // namespace
