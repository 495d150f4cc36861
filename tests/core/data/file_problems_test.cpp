// Problems with a file as a whole (missing, empty, wrong header) fail the load, never throw.
#include <doctest/doctest.h>

#include <string>

#include "data/ohlcv_reader.hpp"
#include "temp_file.hpp"

namespace {

using namespace cephalo;
using cephalo::test::TempFile;

void check_fails_with(const OhlcvLoadResult& result, const std::filesystem::path& path,
                      const std::string& contains) {
  std::string listed;
  for (const DataProblem& problem : result.problems) listed += problem.to_string() + "\n";
  CAPTURE(listed);
  CHECK_FALSE(result.ok);
  CHECK(result.bars.empty());
  REQUIRE(result.problems.size() == 1);
  const DataProblem& problem = result.problems[0];
  CHECK(problem.row_kind == DataRowKind::kWholeFile);
  CHECK(problem.to_string().starts_with(path.string() + ": "));
  CHECK(problem.message.find(contains) != std::string::npos);
}

TEST_CASE("missing file and directory are problems, not exceptions") {
  const TempFile dir_holder("x.csv", "");
  const std::filesystem::path missing = dir_holder.path().parent_path() / "NOPE-5m.csv";
  for (const BadRowPolicy policy : {BadRowPolicy::kReject, BadRowPolicy::kSkip}) {
    check_fails_with(load_ohlcv(missing, 300'000, policy), missing, "file not found");
    const std::filesystem::path dir = dir_holder.path().parent_path();
    check_fails_with(load_ohlcv(dir, 300'000, policy), dir, "is a directory");
  }
}

TEST_CASE("empty, header-only and wrong-header CSV files") {
  const TempFile empty("EMPTY.csv", "");
  check_fails_with(load_ohlcv(empty.path(), 0, BadRowPolicy::kSkip), empty.path(), "file is empty");
  const TempFile header_only("HEADER.csv", "timestamp,open,high,low,close,volume\n");
  check_fails_with(load_ohlcv(header_only.path(), 0, BadRowPolicy::kReject), header_only.path(),
                   "contains no candles");
  const TempFile wrong("WRONG.csv", "date,open,high,low,close,volume\n1,1,1,1,1,1\n");
  check_fails_with(load_ohlcv(wrong.path(), 0, BadRowPolicy::kSkip), wrong.path(),
                   "found 'date,open,high,low,close,volume'");
}

TEST_CASE("a header in another case, with a BOM and spaces, is still the header") {
  const TempFile file("BOM.csv",
                      "\xEF\xBB\xBFTimestamp, Open, High, Low, Close, Volume\r\n"
                      "1000, 1, 2, 0.5, 1.5, 3\r\n");
  const OhlcvLoadResult result = load_ohlcv(file.path(), 0, BadRowPolicy::kReject);
  CHECK(result.ok);
  REQUIRE(result.bars.size() == 1);
  CHECK(result.bars[0] == OhlcvBar{1000, 1, 2, 0.5, 1.5, 3});
}

TEST_CASE("broken and non-array JSON") {
  const TempFile truncated("CUT.json", "[[1000, 1, 2, 0.5, 1.5, 3], [2000, 1");
  check_fails_with(load_ohlcv(truncated.path(), 0, BadRowPolicy::kSkip), truncated.path(),
                   "invalid JSON");
  const TempFile object("OBJ.json", R"({"candles": []})");
  check_fails_with(load_ohlcv(object.path(), 0, BadRowPolicy::kSkip), object.path(),
                   "expected a JSON array of candles");
  const TempFile empty_array("NONE.json", "[]");
  check_fails_with(load_ohlcv(empty_array.path(), 0, BadRowPolicy::kReject), empty_array.path(),
                   "contains no candles");
}

}  // namespace
