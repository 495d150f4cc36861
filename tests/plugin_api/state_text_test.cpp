// Tests of cephalo/state_text.hpp, the SDK's text format for tentacle state blobs.
// Thread-safety: n/a; single-threaded doctest cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <cephalo/state_text.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// The message a reader throws for `bytes`, or "" when it reads them without complaint.
std::string read_error(const std::string& bytes) {
  try {
    const cephalo::StateTextReader in(bytes, "cephalo-test-state", "test");
    for (const cephalo::StateTextLine& line : in) {
      line.expect_fields(4);
      (void)line.text(0, "name");
      (void)line.number(1, "price");
      (void)line.integer(2, "count");
      (void)line.boolean(3, "open");
    }
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// The SDK promises C++17 to out-of-tree tentacles; this target is built as C++17 to hold it to
// that.
static_assert(__cplusplus == 201703L, "state_text_test must be built as C++17");

TEST_CASE("state text: fields and lines come back as written, text escaped and unescaped") {
  const std::vector<std::string> names = {"ETH/BTC",       "tab\there", "new\nline", "back\\slash",
                                          "\\t literally", "",          "trailing\\"};
  const std::vector<double> numbers = {
      0.1, 1.0 / 3.0, -0.0, 1e-308, 5e-324, 1e308, std::numeric_limits<double>::infinity()};

  cephalo::StateTextWriter out("cephalo-test-state");
  out.integer(42);
  for (size_t i = 0; i < names.size(); ++i) {
    out.line().text(names[i]).number(numbers[i]).integer(INT64_MIN + static_cast<int64_t>(i));
    out.boolean(i % 2 == 0);
  }
  const std::string blob = out.str();
  CHECK(blob.rfind("cephalo-test-state\t42\nETH/BTC\t0.1\t", 0) == 0);
  CHECK(blob.back() == '\n');
  // A text field never adds a line: one per record plus the header.
  CHECK(std::count(blob.begin(), blob.end(), '\n') == static_cast<long>(names.size() + 1));

  const cephalo::StateTextReader in(blob, "cephalo-test-state", "test");
  REQUIRE(in.header().size() == 2);
  CHECK(in.header().integer(1, "period") == 42);
  REQUIRE(in.record_count() == names.size());
  size_t i = 0;
  for (const cephalo::StateTextLine& line : in) {
    CHECK(line.line_number() == i + 2);
    line.expect_fields(4);
    CHECK(line.text(0, "name") == names[i]);
    const double number = line.number(1, "price");
    CHECK(std::memcmp(&number, &numbers[i], sizeof number) == 0);  // bit for bit, -0.0 included
    CHECK(line.integer(2, "count") == INT64_MIN + static_cast<int64_t>(i));
    CHECK(line.boolean(3, "open") == (i % 2 == 0));
    ++i;
  }
}

TEST_CASE("state text: a header-only blob has no records, with or without its last newline") {
  const std::string blob = cephalo::StateTextWriter("cephalo-test-state").str();
  CHECK(blob == "cephalo-test-state\n");
  CHECK(cephalo::StateTextReader(blob, "cephalo-test-state", "test").record_count() == 0);
  CHECK(
      cephalo::StateTextReader("cephalo-test-state", "cephalo-test-state", "test").record_count() ==
      0);
}

TEST_CASE("state text: another magic is refused, naming what was expected and found") {
  CHECK(read_error("cephalo-other-state\nx\t1\t2\t1\n") ==
        "test state line 1: expected the header 'cephalo-test-state', found "
        "'cephalo-other-state'; this is not a state this tentacle wrote");
  CHECK(read_error("").find("expected the header 'cephalo-test-state', found ''") !=
        std::string::npos);
  CHECK(read_error("garbage").find("found 'garbage'") != std::string::npos);
}

TEST_CASE("state text: a bad field names its line, field and what was found") {
  CHECK(read_error("cephalo-test-state\nETH/BTC\t0.5\t3\t1\nBTC/USD\t1.5x\t3\t0\n") ==
        "test state line 3: field 2 (price): expected a number, found '1.5x'");
  CHECK(read_error("cephalo-test-state\nETH/BTC\t0.5\t3.0\t1\n") ==
        "test state line 2: field 3 (count): expected an integer, found '3.0'");
  CHECK(read_error("cephalo-test-state\nETH/BTC\t\t3\t1\n") ==
        "test state line 2: field 2 (price): expected a number, found ''");
  CHECK(read_error("cephalo-test-state\nETH/BTC\t0.5\t3\tyes\n") ==
        "test state line 2: field 4 (open): expected 1 or 0, found 'yes'");
  CHECK(read_error("cephalo-test-state\nbad\\x\t0.5\t3\t1\n")
            .find("line 2: field 1 (name): expected text with only") != std::string::npos);
  CHECK(read_error("cephalo-test-state\nETH/BTC\t0.5\t3\n") ==
        "test state line 2: expected 4 fields, found 3");
  CHECK(read_error("cephalo-test-state\nETH/BTC\t0.5\t3\t1\n") == "");
}

TEST_CASE("state text: a missing field is an error, not an out-of-range read") {
  const cephalo::StateTextReader in("cephalo-test-state\nS\n", "cephalo-test-state", "test");
  const cephalo::StateTextLine& line = *in.begin();
  CHECK(line.raw(0) == "S");
  CHECK_THROWS_WITH_AS(line.number(1, "price"),
                       "test state line 2: expected at least 2 fields, found 1",
                       std::invalid_argument);
}

TEST_CASE("state text: another state version is refused, naming both") {
  CHECK_NOTHROW(cephalo::require_state_version("test", 2, 2));
  CHECK_THROWS_WITH_AS(cephalo::require_state_version("test", 1, 2),
                       "test: cannot read state version 1, expected 2", std::invalid_argument);
}
