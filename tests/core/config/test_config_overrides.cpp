// --set on a list item, on a whole list, and `key=null` (issue 20): each form as the README shows
// it, on the shipped default config, with the merged result checked key by key.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

// Two strategies with params, as a user's config has them.
const char* const kTwoStrategies =
    "pipeline:\n"
    "  evaluators:\n"
    "    - tentacle: rsi\n"
    "      params: {period: 14}\n"
    "  strategies:\n"
    "    - tentacle: threshold\n"
    "      params: {buy_below: -0.5, sell_above: 0.5}\n"
    "    - tentacle: sma_crossover\n"
    "      params: {fast: 10, slow: 50}\n"
    "  trading_mode:\n"
    "    tentacle: spot\n";

std::vector<std::string> param_names(const TentacleUse& use) {
  std::vector<std::string> names;
  for (const auto& param : use.params) names.push_back(param.name);
  return names;
}

TEST_CASE("regression: --set on a list item replaces the item, it does not merge into it") {
  // Before: the new tentacle kept the old one's params (buy_below, sell_above), which it does not
  // declare, so the run dropped them with a warning or refused to start.
  const auto result =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.0={tentacle: my_cross}"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& strategies = result.config->pipeline.strategies;
  REQUIRE(strategies.size() == 2);
  CHECK(strategies[0].tentacle == "my_cross");
  CHECK(strategies[0].params.empty());
  CHECK(strategies[1].tentacle == "sma_crossover");  // the other item is untouched
  CHECK(param_names(strategies[1]) == std::vector<std::string>{"fast", "slow"});
}

TEST_CASE("--set inside a list item still changes one key of it") {
  const auto result =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.1.params.fast=5"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& cross = result.config->pipeline.strategies[1];
  REQUIRE(cross.params.size() == 2);
  CHECK(cross.params[0].value == "5");
  CHECK(cross.params[1].value == "50");
}

TEST_CASE("--set with the next index adds an item; one past it is refused") {
  const auto added =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.2={tentacle: dca}"});
  INFO(all_problems(added));
  REQUIRE(added.ok());
  REQUIRE(added.config->pipeline.strategies.size() == 3);
  CHECK(added.config->pipeline.strategies[2].tentacle == "dca");

  const auto refused =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.3={tentacle: dca}"});
  const auto* problem = find_problem(refused, "pipeline.strategies.3");
  REQUIRE(problem != nullptr);
  CHECK(problem->message.find("item 3 does not exist: 'pipeline.strategies' has 2 item(s), "
                              "numbered from 0 (use 2 to add one)") != std::string::npos);
}

TEST_CASE("--set of a whole list replaces the list") {
  const auto result =
      load_config_text(kTwoStrategies, "bot.yaml",
                       {"pipeline.strategies=[{tentacle: dca, params: {every_bars: 12}}]"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& strategies = result.config->pipeline.strategies;
  REQUIRE(strategies.size() == 1);
  CHECK(strategies[0].tentacle == "dca");
  CHECK(param_names(strategies[0]) == std::vector<std::string>{"every_bars"});
  CHECK(strategies[0].params[0].where.file == "--set");
}

TEST_CASE("--set key=null removes the key, and a defaulted key gets its default back") {
  const auto result = load_config_text(
      std::string(kTwoStrategies) + "storage:\n  batch_size: 7\n", "bot.yaml",
      {"pipeline.strategies.1.params=null", "storage.batch_size=~", "pipeline.trading_mode=Null"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->pipeline.strategies[1].tentacle == "sma_crossover");
  CHECK(result.config->pipeline.strategies[1].params.empty());
  CHECK(result.config->storage.batch_size == 10000);  // the built-in default
  CHECK_FALSE(result.config->pipeline.trading_mode.has_value());
  CHECK_FALSE(result.merged["pipeline"]["trading_mode"].IsDefined());
}

TEST_CASE("--set list.N=null removes the item; a key that is not there is no problem") {
  const auto result =
      load_config_text(kTwoStrategies, "bot.yaml",
                       {"pipeline.strategies.0=null", "risk.position.no_such_key=null",
                        "pipeline.evaluators.0.params.not_set=null"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  REQUIRE(result.config->pipeline.strategies.size() == 1);
  CHECK(result.config->pipeline.strategies[0].tentacle == "sma_crossover");
  CHECK(param_names(result.config->pipeline.evaluators[0]) == std::vector<std::string>{"period"});

  const auto past_end =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.2=null"});
  const auto* problem = find_problem(past_end, "pipeline.strategies.2");
  REQUIRE(problem != nullptr);
  CHECK(problem->message.find("item 2 does not exist") != std::string::npos);
}

TEST_CASE("an empty --set value is still the empty string, not a removal") {
  const auto result =
      load_config_text("logging:\n  file: a.jsonl\n", "bot.yaml", {"logging.file="});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  CHECK(result.config->logging.file.empty());
}

TEST_CASE("a map given with --set still merges into the map that is there") {
  const auto result =
      load_config_text(kTwoStrategies, "bot.yaml", {"pipeline.strategies.1.params={fast: 3}"});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& cross = result.config->pipeline.strategies[1];
  REQUIRE(cross.params.size() == 2);
  CHECK(cross.params[0].value == "3");
  CHECK(cross.params[1].value == "50");
}

// The `--set` lines of README.md's "Config layers" section, as a shell would pass them.
std::vector<std::string> readme_set_examples() {
  std::ifstream in(std::filesystem::path(CEPHALO_SOURCE_DIR) / "README.md");
  std::vector<std::string> examples;
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("### ")) in_section = line.starts_with("### Config layers");
    if (!in_section || !line.starts_with("--set ")) continue;
    std::string argument = line.substr(6);
    if (argument.starts_with('\'')) {
      argument = argument.substr(1, argument.find('\'', 1) - 1);
    } else {
      argument = argument.substr(0, argument.find(' '));
    }
    examples.push_back(argument);
  }
  return examples;
}

TEST_CASE("the README's --set examples load on the shipped default config") {
  const std::filesystem::path default_config =
      std::filesystem::path(CEPHALO_SOURCE_DIR) / "config/default.yaml";
  const std::vector<std::string> examples = readme_set_examples();
  REQUIRE(examples.size() == 8);
  CHECK(examples[1] == "pipeline.strategies.0={tentacle: my_cross}");
  for (const auto& example : examples) {
    const auto result = load_config(default_config, {example});
    INFO(example, "\n", all_problems(result));
    CHECK(result.ok());
  }
  const auto replaced = load_config(default_config, {examples[1]});
  REQUIRE(replaced.ok());
  REQUIRE(replaced.config->pipeline.strategies.size() == 1);
  CHECK(replaced.config->pipeline.strategies[0].tentacle == "my_cross");
  CHECK(replaced.config->pipeline.strategies[0].params.empty());
  const auto added = load_config(default_config, {examples[4]});
  REQUIRE(added.ok());
  REQUIRE(added.config->pipeline.strategies.size() == 2);
  CHECK(added.config->pipeline.strategies[1].tentacle == "my_cross");
  const auto removed = load_config(default_config, {examples[5]});
  REQUIRE(removed.ok());
  CHECK(removed.config->pipeline.strategies[0].params.empty());
  const auto emptied = load_config(default_config, {examples[7]});
  REQUIRE(emptied.ok());
  CHECK(emptied.config->logging.file.empty());
}

}  // namespace
}  // namespace cephalo
