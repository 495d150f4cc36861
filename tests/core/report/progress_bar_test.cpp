// The progress bar redraws by count (every 1/200 of the total), never by time.
#include "report/progress_bar.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace cephalo::test {
namespace {

TEST_CASE("a disabled bar writes nothing") {
  std::ostringstream out;
  {
    ProgressBar bar(1000, out, false);
    for (int i = 0; i <= 1000; ++i) bar.update(i);
    bar.finish();
  }
  CHECK(out.str().empty());
}

TEST_CASE("redraws happen every 1/200 of the total, plus the start; finish ends the line") {
  std::ostringstream out;
  ProgressBar bar(100'000, out, true, "backtest");
  for (int64_t i = 0; i <= 100'000; ++i) bar.update(i);
  CHECK(bar.redraws() == 201);  // 0, 500, 1000, ..., 100000
  bar.finish();
  CHECK(bar.redraws() == 201);  // the full bar is already on screen
  const std::string text = out.str();
  CHECK(text.back() == '\n');
  CHECK(text.find("\rbacktest [..............................]   0.0% 0/100000") == 0);
  CHECK(text.find("\rbacktest [##############################] 100.0% 100000/100000\n") !=
        std::string::npos);
  CHECK(text.find("50.0% 50000/100000") != std::string::npos);
}

TEST_CASE("the last partial step still draws 100%") {
  std::ostringstream out;
  ProgressBar bar(201, out, true);  // step 2: the draw at 200 would be the last by count
  for (int64_t i = 0; i <= 201; ++i) bar.update(i);
  CHECK(out.str().find("100.0% 201/201") != std::string::npos);
}

TEST_CASE("finish draws the last state when it is not on screen; the destructor finishes") {
  std::ostringstream out;
  {
    ProgressBar bar(1000, out, true);
    bar.update(0);
    bar.update(3);  // below the next step: not drawn yet
  }
  CHECK(out.str() ==
        "\r[..............................]   0.0% 0/1000"
        "\r[..............................]   0.3% 3/1000\n");
}

TEST_CASE("values past the total count as the total; a zero total finishes at once") {
  std::ostringstream out;
  ProgressBar bar(10, out, true);
  bar.update(50);
  CHECK(out.str().find("100.0% 10/10") != std::string::npos);
  std::ostringstream empty_out;
  ProgressBar empty(0, empty_out, true);
  empty.finish();
  CHECK(empty_out.str() == "\r[##############################] 100.0% 0/0\n");
}

}  // namespace
}  // namespace cephalo::test
