// Validation reports every problem at once, each at the right file:line:column and key.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

// Line numbers in the comments are the ones the assertions expect.
const char* const kConfigWithSixMistakes =
    "mode: backtest\n"          // 1
    "colour: blue\n"            // 2  unknown key
    "market:\n"                 // 3
    "  feeds:\n"                // 4
    "    - symbol: ETH/BTC\n"   // 5
    "      timeframe: 5m\n"     // 6
    "      file: eth.csv\n"     // 7
    "    - symbol: BTC/USDT\n"  // 8  this feed has no file
    "      timeframe: 7m\n"     // 9  bad enum
    "storag:\n"                 // 10 unknown key, a typo of storage
    "  path: x.sqlite\n"        // 11
    "storage:\n"                // 12
    "  batch_size: abc\n"       // 13 wrong type
    "logging:\n"                // 14
    "  max_files: 500\n";       // 15 out of range

TEST_CASE("every mistake in a config is reported with its line, column and key") {
  const auto result = load_config_text(kConfigWithSixMistakes, "bot.yaml", {});
  INFO(all_problems(result));
  CHECK_FALSE(result.ok());
  CHECK_FALSE(result.config.has_value());
  REQUIRE(result.problems.size() == 6);

  const auto* colour = find_problem(result, "colour");
  REQUIRE(colour != nullptr);
  CHECK(colour->where.file == "bot.yaml");
  CHECK(colour->where.line == 2);
  CHECK(colour->where.column == 1);
  CHECK(colour->message.find("unknown key 'colour'") != std::string::npos);

  const auto* storag = find_problem(result, "storag");
  REQUIRE(storag != nullptr);
  CHECK(storag->where.line == 10);
  CHECK(storag->message == "unknown key 'storag'; did you mean 'storage'?");

  const auto* timeframe = find_problem(result, "market.feeds.1.timeframe");
  REQUIRE(timeframe != nullptr);
  CHECK(timeframe->where.line == 9);
  CHECK(timeframe->where.column == 18);
  CHECK(timeframe->message.find("expected one of 1m, 3m, 5m, 15m") != std::string::npos);
  CHECK(timeframe->message.find("found '7m'") != std::string::npos);

  const auto* missing_file = find_problem(result, "market.feeds.1.file");
  REQUIRE(missing_file != nullptr);
  CHECK(missing_file->where.line == 8);  // the feed that lacks it
  CHECK(missing_file->message == "required key 'file' is missing");

  const auto* batch = find_problem(result, "storage.batch_size");
  REQUIRE(batch != nullptr);
  CHECK(batch->where.line == 13);
  CHECK(batch->where.column == 15);
  CHECK(batch->message == "expected an integer from 1 to 1000000, found 'abc'");

  const auto* max_files = find_problem(result, "logging.max_files");
  REQUIRE(max_files != nullptr);
  CHECK(max_files->where.line == 15);
  CHECK(max_files->message == "expected an integer from 1 to 100, found '500'");
  CHECK(max_files->to_string() ==
        "bot.yaml:15:14: logging.max_files: expected an integer from 1 to 100, found '500'");
}

TEST_CASE("problems come out in the order of the file") {
  const auto result = load_config_text(kConfigWithSixMistakes, "bot.yaml", {});
  REQUIRE(result.problems.size() == 6);
  for (std::size_t i = 1; i < result.problems.size(); ++i) {
    const auto& before = result.problems[i - 1].where;
    const auto& after = result.problems[i].where;
    CHECK(
        (before.line < after.line || (before.line == after.line && before.column <= after.column)));
  }
}

TEST_CASE("a key written at the wrong level points to where it belongs") {
  const auto result = load_config_text("feeds: []\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message == "unknown key 'feeds'; did you mean 'market.feeds'?");
}

TEST_CASE("an unknown key with no near miss lists the keys allowed there") {
  const auto result = load_config_text("storage:\n  speed: 3\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].key == "storage.speed");
  CHECK(result.problems[0].message ==
        "unknown key 'speed'; the keys allowed in 'storage' are path, batch_size, "
        "flush_interval_ms, journal_market_data, journal_decisions");
}

TEST_CASE("tentacle params are free-form but the tentacle entry itself is checked") {
  const auto result = load_config_text(
      "pipeline:\n"
      "  evaluators:\n"
      "    - tentacle: rsi\n"
      "      params: {anything: 1, goes: [a, b]}\n"
      "    - params: {period: 3}\n"
      "      tentacel: macd\n",
      "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 2);
  const auto* typo = find_problem(result, "pipeline.evaluators.1.tentacel");
  REQUIRE(typo != nullptr);
  CHECK(typo->where.line == 6);
  CHECK(typo->message == "unknown key 'tentacel'; did you mean 'tentacle'?");
  const auto* missing = find_problem(result, "pipeline.evaluators.1.tentacle");
  REQUIRE(missing != nullptr);
  CHECK(missing->where.line == 5);
}

TEST_CASE("a symbol not of the form BASE/QUOTE is reported") {
  const auto result = load_config_text(
      "market:\n  feeds:\n    - {symbol: ETHBTC, timeframe: 1h, file: a.csv}\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].key == "market.feeds.0.symbol");
  CHECK(result.problems[0].message ==
        "expected a symbol of the form BASE/QUOTE (e.g. ETH/BTC), found 'ETHBTC'");
}

TEST_CASE("a duplicate key is reported at its second occurrence") {
  const auto result = load_config_text("mode: paper\nmode: live\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where.line == 2);
  CHECK(result.problems[0].message ==
        "key 'mode' is written twice (first at bot.yaml:1:1); keep one");
}

TEST_CASE("an empty value is reported at its key, not at the next line") {
  const auto result = load_config_text("storage:\n  path:\nlogging: {}\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        "bot.yaml:2:3: storage.path: expected a string, found nothing (write \"\" for an empty "
        "string)");
}

TEST_CASE("a bad enum value suggests the closest allowed one") {
  const auto result = load_config_text("mode: paperr\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message ==
        "expected one of backtest, paper, live; found 'paperr'; did you mean 'paper'?");
}

TEST_CASE("a YAML syntax error names the file and the line") {
  const auto result = load_config_text(
      "mode: paper\n"
      "storage:\n"
      "  path: a\n"
      " batch_size: 5\n"  // indented one space short of its siblings
      "logging:\n"
      "  level: info\n",
      "broken.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 1);
  CHECK_FALSE(result.ok());
  const auto& problem = result.problems[0];
  CHECK(problem.where.file == "broken.yaml");
  CHECK(problem.where.line == 4);
  CHECK(problem.to_string() == "broken.yaml:4:2: YAML syntax error: end of map not found");
}

TEST_CASE("a top level that is not a map is reported") {
  const auto result = load_config_text("- mode\n- paper\n", "list.yaml", {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where.line == 1);
  CHECK(result.problems[0].message.find("expected a map of settings") != std::string::npos);
}

TEST_CASE("a missing config file is one clear problem naming the file") {
  test::TempDir dir;
  const auto missing = dir.path() / "nope.yaml";
  const auto result = load_config(missing, {});
  CHECK_FALSE(result.ok());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where.file == missing.string());
  CHECK(result.problems[0].message.find("config file not found") != std::string::npos);
  CHECK(result.problems[0].to_string().rfind(missing.string() + ": config file not found", 0) == 0);
}

TEST_CASE("a missing config file does not hide problems in the --set arguments") {
  test::TempDir dir;
  const auto result = load_config(dir.path() / "nope.yaml", {"storage.batch_size=0"});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0].where.file == (dir.path() / "nope.yaml").string());
  CHECK(result.problems[1].where.file == "--set");
  CHECK(result.problems[1].key == "storage.batch_size");
}

TEST_CASE("a directory given as the config file is reported as such") {
  test::TempDir dir;
  const auto result = load_config(dir.path(), {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message == "is a directory, expected a YAML config file");
}

TEST_CASE("a config file on disk loads and records where it came from") {
  test::TempDir dir;
  const auto file = dir.write("bot.yaml", "mode: paper\n");
  const auto result = load_config(file, {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->mode == RunMode::kPaper);
  CHECK(result.config->source_file == file);
}

TEST_CASE("a syntax error in a file on disk names that file and line") {
  test::TempDir dir;
  const auto file = dir.write("bad.yaml", "mode: paper\nstorage:\n  path: a: b\n");
  const auto result = load_config(file, {});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string() ==
        file.string() + ":3:10: YAML syntax error: illegal map value");
}

}  // namespace
}  // namespace cephalo
