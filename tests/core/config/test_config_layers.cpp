// Layers: built-in defaults <- config file <- --set overrides, and the typed Config built from
// them.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

TEST_CASE("an empty config gets every built-in default") {
  const auto result = load_config_text("", "empty.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const Config& config = *result.config;
  CHECK(config.mode == RunMode::kBacktest);
  CHECK(config.tentacles.folders.empty());
  CHECK(config.tentacles.user_folder.empty());
  CHECK(config.feeds.empty());
  CHECK(config.pipeline.evaluators.empty());
  CHECK_FALSE(config.pipeline.trading_mode.has_value());
  CHECK(config.storage.path == "cephalo-backtest.sqlite");
  CHECK(config.storage.batch_size == 10000);
  CHECK_FALSE(config.storage.journal_market_data);  // auto: a backtest keeps its candles in files
  CHECK(config.storage.flush_interval_ms == 200);
  CHECK(config.logging.level == "info");
  CHECK(config.logging.console);
  CHECK(config.logging.file == "logs/cephalo.jsonl");
  CHECK(config.logging.max_file_size_mb == 10);
  CHECK(config.logging.max_files == 5);
  CHECK(config.exchange.name == "binance");
  CHECK(config.exchange.base_url.empty());
  CHECK(config.exchange.api_key.empty());
  CHECK(config.source_file == "empty.yaml");
}

TEST_CASE("a file setting one key of a section keeps the defaults of the others") {
  const auto result = load_config_text(
      "storage:\n  batch_size: 7\nlogging:\n  console: false\n  file: ''\n", "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->storage.batch_size == 7);
  CHECK(result.config->storage.path == "cephalo-backtest.sqlite");
  CHECK(result.config->storage.flush_interval_ms == 200);
  CHECK_FALSE(result.config->logging.console);
  CHECK(result.config->logging.file.empty());
  CHECK(result.config->logging.level == "info");
  // The merged tree shows the result of all layers, for `config show`.
  CHECK(result.merged["storage"]["batch_size"].as<int>() == 7);
  CHECK(result.merged["storage"]["path"].as<std::string>() == "cephalo-{mode}.sqlite");
}

TEST_CASE("a section left empty in the file keeps its defaults") {
  const auto result = load_config_text("storage:\nlogging:\n", "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->storage.batch_size == 10000);
  CHECK(result.config->logging.level == "info");
}

const char* const kPipelineConfig =
    "pipeline:\n"                 // 1
    "  evaluators:\n"             // 2
    "    - tentacle: rsi\n"       // 3
    "      params:\n"             // 4
    "        period: 14\n"        // 5
    "        source: close\n"     // 6
    "        levels: [30, 70]\n"  // 7
    "  trading_mode:\n"           // 8
    "    tentacle: spot\n"        // 9
    "storage:\n"                  // 10
    "  batch_size: 500\n";        // 11

TEST_CASE("tentacle uses keep each param's text and location") {
  const auto result = load_config_text(kPipelineConfig, "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& evaluators = result.config->pipeline.evaluators;
  REQUIRE(evaluators.size() == 1);
  CHECK(evaluators[0].tentacle == "rsi");
  CHECK(evaluators[0].where.line == 3);
  REQUIRE(evaluators[0].params.size() == 3);
  CHECK(evaluators[0].params[0].name == "period");
  CHECK(evaluators[0].params[0].value == "14");
  CHECK(evaluators[0].params[0].where.file == "bot.yaml");
  CHECK(evaluators[0].params[0].where.line == 5);
  CHECK(evaluators[0].params[0].where.column == 17);
  CHECK(evaluators[0].params[1].value == "close");
  CHECK(evaluators[0].params[2].value == "[30, 70]");
  CHECK(evaluators[0].params[2].where.line == 7);
  REQUIRE(result.config->pipeline.trading_mode.has_value());
  CHECK(result.config->pipeline.trading_mode->tentacle == "spot");
  CHECK(result.config->pipeline.trading_mode->params.empty());
}

TEST_CASE("--set overrides win over the file and the defaults") {
  const auto result =
      load_config_text(kPipelineConfig, "bot.yaml",
                       {"storage.batch_size=42", "pipeline.evaluators.0.params.period=21",
                        "mode=paper", "pipeline.evaluators.1={tentacle: macd, params: {fast: 12}}",
                        "logging.file=", "tentacles.folders=[/opt/tentacles]"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const Config& config = *result.config;
  CHECK(config.storage.batch_size == 42);
  CHECK(config.storage.flush_interval_ms == 200);
  CHECK(config.mode == RunMode::kPaper);
  CHECK(config.logging.file.empty());
  REQUIRE(config.tentacles.folders.size() == 1);
  CHECK(config.tentacles.folders[0] == "/opt/tentacles");
  REQUIRE(config.pipeline.evaluators.size() == 2);
  const auto& period = config.pipeline.evaluators[0].params[0];
  CHECK(period.name == "period");
  CHECK(period.value == "21");
  CHECK(period.where.file == "--set");
  CHECK(period.where.line == 2);     // the second --set argument
  CHECK(period.where.column == 37);  // where "21" starts in it
  // Untouched siblings keep their file values and locations.
  CHECK(config.pipeline.evaluators[0].params[1].value == "close");
  CHECK(config.pipeline.evaluators[0].params[1].where.line == 6);
  CHECK(config.pipeline.evaluators[1].tentacle == "macd");
  REQUIRE(config.pipeline.evaluators[1].params.size() == 1);
  CHECK(config.pipeline.evaluators[1].params[0].value == "12");
  CHECK(config.pipeline.evaluators[1].params[0].where.file == "--set");
}

TEST_CASE("a later --set of the same key wins") {
  const auto result =
      load_config_text("", "bot.yaml", {"logging.level=debug", "logging.level=warn"});
  REQUIRE(result.ok());
  CHECK(result.config->logging.level == "warn");
}

TEST_CASE("bad --set arguments are each reported, naming the argument") {
  const auto result =
      load_config_text(kPipelineConfig, "bot.yaml",
                       {"storage.batch_size=abc", "storage.flush_interval=5", "logging",
                        "pipeline.evaluators.3.params.x=1", "mode.x=1", "logging.level=[unclosed"});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 6);
  for (std::size_t i = 0; i < result.problems.size(); ++i) {
    CHECK(result.problems[i].where.file == "--set");
    CHECK(result.problems[i].where.line == static_cast<int>(i) + 1);
  }
  const auto* batch = find_problem(result, "storage.batch_size");
  REQUIRE(batch != nullptr);
  CHECK(batch->where.column == 20);
  CHECK(batch->to_string() ==
        "--set:1:20: storage.batch_size: expected an integer from 1 to 1000000, found 'abc' "
        "(in --set storage.batch_size=abc)");

  const auto* typo = find_problem(result, "storage.flush_interval");
  REQUIRE(typo != nullptr);
  CHECK(typo->message ==
        "unknown key 'flush_interval'; did you mean 'flush_interval_ms'? "
        "(in --set storage.flush_interval=5)");

  CHECK(result.problems[2].message.find("expected key.path=value") != std::string::npos);

  const auto* past_end = find_problem(result, "pipeline.evaluators.3.params.x");
  REQUIRE(past_end != nullptr);
  CHECK(past_end->message.find("item 3 does not exist: 'pipeline.evaluators' has 1 item(s)") !=
        std::string::npos);

  const auto* into_scalar = find_problem(result, "mode.x");
  REQUIRE(into_scalar != nullptr);
  CHECK(into_scalar->message.find("'mode' holds a single value") != std::string::npos);

  CHECK(result.problems[5].key == "logging.level");
  CHECK(result.problems[5].message.find("YAML syntax error") != std::string::npos);
  CHECK(result.problems[5].message.find("(in --set logging.level=[unclosed)") != std::string::npos);
}

TEST_CASE("file problems and --set problems are reported together, file first") {
  const auto result =
      load_config_text("storage:\n  batch_size: 0\n", "bot.yaml", {"logging.max_files=0"});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 2);
  CHECK(result.problems[0].where.file == "bot.yaml");
  CHECK(result.problems[0].where.line == 2);
  CHECK(result.problems[1].where.file == "--set");
  CHECK(result.problems[1].key == "logging.max_files");
}

TEST_CASE("a --set fixes a bad value in the file") {
  const auto result =
      load_config_text("storage:\n  batch_size: 0\n", "bot.yaml", {"storage.batch_size=10"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->storage.batch_size == 10);
}

TEST_CASE("relative feed paths resolve against the config file's directory") {
  test::TempDir dir;
  const auto file = dir.write("configs/bot.yaml",
                              "market:\n"
                              "  feeds:\n"
                              "    - symbol: ETH/BTC\n"
                              "      timeframe: 5m\n"
                              "      file: ../data/ETH_BTC-5m.csv\n"
                              "    - symbol: BTC/USDT\n"
                              "      timeframe: 1h\n"
                              "      file: /srv/data/BTC_USDT-1h.csv\n"
                              "tentacles:\n"
                              "  folders: [extra]\n"
                              "storage:\n"
                              "  path: run/cephalo.sqlite\n");
  const auto result = load_config(file, {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& feeds = result.config->feeds;
  REQUIRE(feeds.size() == 2);
  CHECK(feeds[0].symbol == "ETH/BTC");
  CHECK(feeds[0].timeframe == "5m");
  CHECK(feeds[0].file == (dir.path() / "data/ETH_BTC-5m.csv").lexically_normal());
  CHECK(feeds[0].where.line == 3);
  CHECK(feeds[1].file == "/srv/data/BTC_USDT-1h.csv");
  REQUIRE(result.config->tentacles.folders.size() == 1);
  CHECK(result.config->tentacles.folders[0] == dir.path() / "configs/extra");
  // Storage and logging paths are the run's, relative to the working directory.
  CHECK(result.config->storage.path == "run/cephalo.sqlite");
}

TEST_CASE("a feed path given with --set stays relative to the working directory") {
  test::TempDir dir;
  const auto file =
      dir.write("configs/bot.yaml",
                "market:\n  feeds:\n    - {symbol: ETH/BTC, timeframe: 5m, file: a.csv}\n");
  const auto result = load_config(file, {"market.feeds.0.file=data/b.csv"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->feeds[0].file == "data/b.csv");
}

TEST_CASE("each mode journals to its own database by default") {
  const auto paper = load_config_text("mode: paper\n", "bot.yaml", {});
  REQUIRE(paper.ok());
  CHECK(paper.config->storage.path == "cephalo-paper.sqlite");
  const auto pinned =
      load_config_text("mode: paper\nstorage: {path: one.sqlite}\n", "bot.yaml", {});
  REQUIRE(pinned.ok());
  CHECK(pinned.config->storage.path == "one.sqlite");
}

TEST_CASE("paper mode refuses API secrets, naming the key and its line") {
  const auto result = load_config_text(
      "mode: paper\nexchange:\n  name: binance\n  api_key_env: CEPHALO_TEST_KEY\n", "bot.yaml", {});
  REQUIRE_FALSE(result.ok());
  const std::string text = all_problems(result);
  CHECK(text.find("bot.yaml:4") != std::string::npos);
  CHECK(text.find("exchange.api_key_env") != std::string::npos);
  CHECK(text.find("paper mode refuses API secrets") != std::string::npos);
}
TEST_CASE("a trading calendar's mistakes are reported at their lines") {
  const auto result = load_config_text(
      "calendar:\n"
      "  sessions:\n"
      "    - {days: [mon, fryday], open: '09:30', close: '25:00'}\n"
      "    - {days: [tue], open: '16:00', close: '09:30'}\n"
      "  holidays: ['2026-02-30']\n",
      "bot.yaml", {});
  REQUIRE_FALSE(result.ok());
  const std::string text = all_problems(result);
  CHECK(text.find("bot.yaml:3") != std::string::npos);  // fryday, 25:00
  CHECK(text.find("a time of day HH:MM") != std::string::npos);
  CHECK(text.find("bot.yaml:5") != std::string::npos);  // 2026-02-30
  CHECK(text.find("a date YYYY-MM-DD") != std::string::npos);
  const auto overnight = load_config_text(
      "calendar:\n  sessions:\n    - {days: [tue], open: '16:00', close: '09:30'}\n", "bot.yaml",
      {});
  REQUIRE_FALSE(overnight.ok());
  INFO(all_problems(overnight));
  CHECK(all_problems(overnight).find("bot.yaml:3") != std::string::npos);
  CHECK(all_problems(overnight).find("not after open 16:00") != std::string::npos);
}

// Issue 14: a backtest's candles are in its data files already; paper and live keep theirs.
TEST_CASE("storage.journal_market_data auto: off for a backtest, on for paper and live") {
  auto market_data = [](const std::string& yaml) {
    const auto result = load_config_text(yaml, "bot.yaml", {});
    INFO(all_problems(result));
    REQUIRE(result.ok());
    return result.config->storage.journal_market_data;
  };
  CHECK_FALSE(market_data("mode: backtest\n"));
  CHECK(market_data("mode: paper\n"));
  CHECK(market_data("mode: backtest\nstorage: {journal_market_data: true}\n"));
  CHECK_FALSE(market_data("mode: paper\nstorage: {journal_market_data: false}\n"));
  const auto wrong =
      load_config_text("storage: {journal_market_data: sometimes}\n", "bot.yaml", {});
  CHECK_FALSE(wrong.ok());
}

}  // namespace
}  // namespace cephalo
