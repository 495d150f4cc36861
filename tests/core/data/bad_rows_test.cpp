// Every kind of bad CSV row is named by file, line and column, under both policies.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "data/ohlcv_reader.hpp"
#include "temp_file.hpp"

namespace {

using namespace cephalo;
using cephalo::test::TempFile;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kT0 = 1'700'000'040'000;  // 2023-11-14T22:14:00Z, on the minute

std::string t(int64_t minutes) {
  return std::to_string(kT0 + minutes * kMinute);
}

struct Row {
  std::string text;
  const char* column;    // nullptr: a good row (or a blank line) that must be kept
  const char* contains;  // what the problem message must say
};

// One row per kind of problem; line numbers follow from the order (header = line 1).
const std::vector<Row> kRows = {
    {t(0) + ",1.0,1.5,0.5,1.2,10", nullptr, nullptr},
    {t(1) + ",1.0,1.5,0.5", "", "expected 6 fields"},
    {t(1) + ",1.0,abc,0.5,1.2,10", "high", "'abc'"},
    {"12x,1.0,1.5,0.5,1.2,10", "timestamp", "'12x'"},
    {t(1) + ",1.0,1.5,0.5,,10", "close", "empty field"},
    {t(1) + ",1e400,1.5,0.5,1.2,10", "open", "out of range"},
    {t(1) + ",1.0,1.5,0.5,nan,10", "close", "finite"},
    {t(1) + ",1.0,1.5,0.5,1.2,inf", "volume", "finite"},
    {t(1) + ",0,1.5,0.5,1.2,10", "open", "above 0"},
    {t(1) + ",1.0,1.5,-0.5,1.2,10", "low", "above 0"},
    {t(1) + ",1.0,1.1,0.5,1.2,10", "high", "below max(open, close)"},
    {t(1) + ",1.0,1.5,1.1,1.2,10", "low", "above min(open, close)"},
    {t(1) + ",1.0,1.5,0.5,1.2,-3", "volume", "volume of 0 or more"},
    {t(1) + ",2.0,2.5,1.5,2.2,20", nullptr, nullptr},
    {t(1) + ",1.0,1.5,0.5,1.2,10", "timestamp", "duplicate timestamp"},
    {t(0) + ",1.0,1.5,0.5,1.2,10", "timestamp", "earlier than"},
    {std::to_string(kT0 + kMinute + 90'000) + ",1.0,1.5,0.5,1.2,10", "timestamp", "not a multiple"},
    {"", nullptr, nullptr},  // a blank line is neither a candle nor a problem
    {t(4) + ",4.0,4.5,3.5,4.2,40\r", nullptr, nullptr},  // CRLF line ending
    {t(5) + ",1.0,1.5,0.5,1.2,10,7", "", "found 7"},
    {t(5) + ",5.0,5.5,4.5,5.2,0", nullptr, nullptr},  // zero volume is a real, quiet candle
};

const std::vector<OhlcvBar> kGoodBars = {
    {kT0, 1.0, 1.5, 0.5, 1.2, 10},
    {kT0 + kMinute, 2.0, 2.5, 1.5, 2.2, 20},
    {kT0 + 4 * kMinute, 4.0, 4.5, 3.5, 4.2, 40},
    {kT0 + 5 * kMinute, 5.0, 5.5, 4.5, 5.2, 0},
};

std::string file_text() {
  std::string text = "timestamp,open,high,low,close,volume\n";
  for (const Row& row : kRows) text += row.text + "\n";
  return text;
}

struct ExpectedProblem {
  int64_t line;
  std::string column;
  std::string contains;
};

std::vector<ExpectedProblem> expected_problems() {
  std::vector<ExpectedProblem> expected;
  for (size_t i = 0; i < kRows.size(); ++i) {
    if (kRows[i].column) {
      expected.push_back({static_cast<int64_t>(i) + 2, kRows[i].column, kRows[i].contains});
    }
  }
  return expected;
}

void check_problems(const OhlcvLoadResult& result, const std::filesystem::path& path,
                    bool skipped) {
  const std::vector<ExpectedProblem> expected = expected_problems();
  REQUIRE(result.problems.size() == expected.size());
  CHECK(result.dropped_rows == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const DataProblem& problem = result.problems[i];
    CAPTURE(problem.to_string());
    CHECK(problem.file == path.string());
    CHECK(problem.row_kind == DataRowKind::kCsvLine);
    CHECK(problem.row == expected[i].line);
    CHECK(problem.column == expected[i].column);
    CHECK(problem.message.find(expected[i].contains) != std::string::npos);
    CHECK((problem.message.find("skipped") != std::string::npos) == skipped);
    CHECK(problem.to_string().starts_with(path.string() + ":" + std::to_string(expected[i].line) +
                                          ": "));
  }
}

TEST_CASE("reject: every bad row is listed with its line, and nothing loads") {
  const TempFile file("BAD_ROWS-1m.csv", file_text());
  const OhlcvLoadResult result = load_ohlcv(file.path(), kMinute, BadRowPolicy::kReject);
  CHECK_FALSE(result.ok);
  CHECK(result.bars.empty());
  check_problems(result, file.path(), false);
}

TEST_CASE("skip: bad rows are dropped with one warning each, good rows are kept") {
  const TempFile file("BAD_ROWS-1m.csv", file_text());
  const OhlcvLoadResult result = load_ohlcv(file.path(), kMinute, BadRowPolicy::kSkip);
  CHECK(result.ok);
  CHECK(result.bars == kGoodBars);
  check_problems(result, file.path(), true);
  // Minutes 2 and 3 are absent between the kept bars: reported, not filled.
  REQUIRE(result.gaps.size() == 1);
  CHECK(result.gaps[0].after_ms == kT0 + kMinute);
  CHECK(result.gaps[0].first_missing_ms == kT0 + 2 * kMinute);
  CHECK(result.gaps[0].missing_bars == 2);
}

TEST_CASE("problems point back at the row they conflict with") {
  const TempFile file("DUP-1m.csv", "timestamp,open,high,low,close,volume\n" + t(0) +
                                        ",1,1,1,1,1\n" + t(1) + ",1,1,1,1,1\n" + t(1) +
                                        ",1,1,1,1,1\n");
  const OhlcvLoadResult result = load_ohlcv(file.path(), kMinute, BadRowPolicy::kReject);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].row == 4);
  CHECK(result.problems[0].message.find("same as line 3") != std::string::npos);
  CHECK(result.problems[0].message.find("2023-11-14T22:15:00Z") != std::string::npos);
}

TEST_CASE("a wrong timeframe is caught as off-grid rows, not miscounted as gaps") {
  // 1m candles loaded as 5m: every step is 1/5 of the interval.
  std::string text = "timestamp,open,high,low,close,volume\n";
  for (int i = 0; i < 4; ++i) text += t(i) + ",1,1,1,1,1\n";
  const TempFile file("ONE_MINUTE.csv", text);
  const OhlcvLoadResult result = load_ohlcv(file.path(), 5 * kMinute, BadRowPolicy::kReject);
  CHECK_FALSE(result.ok);
  CHECK(result.gaps.empty());
  REQUIRE(result.problems.size() == 3);
  CHECK(result.problems[0].message.find("check the timeframe") != std::string::npos);
}

TEST_CASE("skip: a file whose every row is bad fails, saying so") {
  const TempFile file("ALL_BAD.csv", "timestamp,open,high,low,close,volume\n1,x,1,1,1,1\n");
  const OhlcvLoadResult result = load_ohlcv(file.path(), 0, BadRowPolicy::kSkip);
  CHECK_FALSE(result.ok);
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0].row == 2);
  CHECK(result.problems[1].row_kind == DataRowKind::kWholeFile);
  CHECK(result.problems[1].message.find("no valid candles") != std::string::npos);
}

TEST_CASE("a flood of bad rows is listed up to the cap, the rest counted") {
  std::string text = "timestamp,open,high,low,close,volume\n";
  const size_t bad = kMaxListedDataProblems + 500;
  for (size_t i = 0; i < bad; ++i) text += "oops\n";
  text += t(0) + ",1,1,1,1,1\n";
  const TempFile file("FLOOD.csv", text);
  const OhlcvLoadResult result = load_ohlcv(file.path(), 0, BadRowPolicy::kSkip);
  CHECK(result.ok);
  CHECK(result.bars.size() == 1);
  CHECK(result.dropped_rows == bad);
  REQUIRE(result.problems.size() == kMaxListedDataProblems + 1);
  CHECK(result.problems.back().message == "500 more problems not listed");
}

}  // namespace
