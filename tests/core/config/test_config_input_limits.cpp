// Limits on config input (issue 20's bad-input audit, findings 4, 5, 6, 7 and 11): each test
// holds the input that hung, aborted or leaked before, and checks the clear refusal instead.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

// 9 levels of 10 aliases each: 10^9 leaves from ~300 bytes, as in the audit.
std::string billion_laughs() {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string previous = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + previous;
    text += "]\n";
  }
  return text;
}

TEST_CASE("regression: audit 4, a billion-laughs config is refused, not expanded") {
  const std::string text = billion_laughs();
  CHECK(text.size() < 700);
  const auto result = load_config_text(text, "laughs.yaml", {});
  INFO(all_problems(result));
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where.file == "laughs.yaml");
  CHECK(result.problems[0].where.line == 5);  // a4: its 10 copies of a3 pass 10^5 in total
  CHECK(result.problems[0].message.find("aliases expand to more than 100000 values in total") !=
        std::string::npos);
}

TEST_CASE("regression: audit 4, the same through --set") {
  // Each level aliases the previous anchor of the same name, so it grows tenfold per level.
  std::string growing = "[&l0 [1,1,1,1,1,1,1,1,1,1]";
  for (int level = 1; level <= 8; ++level) {
    const std::string previous = "*l" + std::to_string(level - 1);
    growing += ", &l" + std::to_string(level) + " [" + previous;
    for (int i = 1; i < 10; ++i) growing += "," + previous;
    growing += "]";
  }
  growing += "]";
  const auto result = load_config_text("", "bot.yaml", {"tentacles.folders=" + growing});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].key == "tentacles.folders.4.7");
  CHECK(result.problems[0].where.file == "--set");
  CHECK(result.problems[0].message.find("aliases expand to more than") != std::string::npos);
}

TEST_CASE("an anchor shared by a few strategies still works") {
  const auto used = load_config_text(
      "pipeline:\n"
      "  evaluators:\n"
      "    - {tentacle: rsi, params: &p {period: 14, source: close}}\n"
      "    - {tentacle: rsi_slow, params: *p}\n",
      "bot.yaml", {});
  INFO(all_problems(used));
  REQUIRE(used.ok());
  REQUIRE(used.config->pipeline.evaluators.size() == 2);
  const auto& copied = used.config->pipeline.evaluators[1].params;
  REQUIRE(copied.size() == 2);
  CHECK(copied[0].value == "14");
  CHECK(copied[1].value == "close");
}

TEST_CASE("regression: audit 11, a 10k-deep config says how deep and where") {
  const std::string text = "a: " + std::string(10'000, '[') + std::string(10'000, ']') + "\n";
  const auto result = load_config_text(text, "deep.yaml", {});
  REQUIRE(result.problems.size() == 1);
  const std::string message = result.problems[0].to_string();
  CHECK(message.rfind("deep.yaml:1:", 0) == 0);
  CHECK(message.find("nested more than 64 levels deep (at line 1)") != std::string::npos);

  std::string block;
  for (int depth = 0; depth < 70; ++depth) block += std::string(2 * depth, ' ') + "k:\n";
  const auto indented = load_config_text(block, "deep.yaml", {});
  REQUIRE(indented.problems.size() == 1);
  CHECK(indented.problems[0].message.find("nested more than 64 levels deep (at line 65)") !=
        std::string::npos);
}

TEST_CASE("regression: audit 4, a recursive alias is refused") {
  std::vector<ConfigProblem> problems;
  const auto tree =
      read_yaml_tree("a: &loop [*loop]\n", YamlSource{"t.yaml"}, "", YamlLimits{}, problems);
  CHECK_FALSE(tree.has_value());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() ==
        "t.yaml:1:11: a.0: this alias refers to the anchor it is inside (a recursive alias); a "
        "value cannot contain itself");
}

TEST_CASE("regression: audit 4, a config over 4 MiB is refused before it is parsed") {
  test::TempDir dir;
  const auto file = dir.write("big.yaml", "# " + std::string((4u << 20) + 10, 'x') + "\n");
  const auto result = load_config(file, {});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where.line == 0);
  CHECK(result.problems[0].message.find("bytes, more than the 4194304 a config file may have") !=
        std::string::npos);
  const auto text = load_config_text(std::string((4u << 20) + 1, ' '), "big.yaml", {});
  REQUIRE(text.problems.size() == 1);
  CHECK(text.problems[0].message.find("more than the 4194304") != std::string::npos);
}

std::string many_keys(const std::string& section, int count) {
  std::string text = section + ":\n";
  for (int i = 0; i < count; ++i)
    text += "  key" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  return text;
}

TEST_CASE("regression: audit 5, 40k keys in one map load, with the problems capped") {
  // Before: more than 60 s (a duplicate check, a merge and a YAML emit each quadratic).
  const auto unknown = load_config_text(many_keys("storage", 40'000), "keys.yaml", {});
  REQUIRE(unknown.problems.size() == 101);
  CHECK(unknown.problems[0].to_string().rfind("keys.yaml:2:3: storage.key0: unknown key", 0) == 0);
  CHECK(unknown.problems[100].message ==
        "39900 more problems not listed; fix the 100 above and run again");

  // Under a tentacle's params every key is allowed here (the manifest checks them later).
  std::string text = "pipeline:\n  evaluators:\n    - tentacle: rsi\n      params:\n";
  for (int i = 0; i < 40'000; ++i) text += "        key" + std::to_string(i) + ": 1\n";
  const auto params = load_config_text(text, "keys.yaml", {});
  INFO(all_problems(params));
  REQUIRE(params.ok());
  REQUIRE(params.config->pipeline.evaluators[0].params.size() == 40'000);
  CHECK(params.config->pipeline.evaluators[0].params[39'999].name == "key39999");
}

TEST_CASE("regression: audit 5, 40k duplicate keys are each found, the list capped") {
  std::string text = "storage:\n";
  for (int i = 0; i < 40'000; ++i) text += "  batch_size: 1\n";
  const auto result = load_config_text(text, "dup.yaml", {});
  REQUIRE(result.problems.size() == 101);
  CHECK(result.problems[0].to_string() ==
        "dup.yaml:3:3: storage.batch_size: key 'batch_size' is written twice (first at "
        "dup.yaml:2:3); keep one");
}

TEST_CASE("regression: audit 6, a FIFO, /dev/zero or a symlink to it is refused as a config") {
  test::TempDir dir;
  const auto fifo = dir.path() / "config.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto from_fifo = load_config(fifo, {});  // before: blocked in open() for a writer
  REQUIRE(from_fifo.problems.size() == 1);
  CHECK(from_fifo.problems[0].to_string() ==
        fifo.string() +
            ": is a FIFO (named pipe), expected a YAML config file; only regular files are read "
            "(a pipe or device may never end): save the data to a file and name that");

  const auto from_zero = load_config("/dev/zero", {});  // before: read until memory ran out
  REQUIRE(from_zero.problems.size() == 1);
  CHECK(from_zero.problems[0].message.rfind("is a character device, expected a YAML config file",
                                            0) == 0);

  const auto link = dir.path() / "linked.yaml";
  std::filesystem::create_symlink("/dev/urandom", link);
  const auto from_link = load_config(link, {});
  REQUIRE(from_link.problems.size() == 1);
  CHECK(from_link.problems[0].message.rfind(
            "is a symlink to /dev/urandom, a character device, expected a YAML config file", 0) ==
        0);
}

// A Binance-style key: 64 letters and digits in both cases, which a shell accepts as a name.
constexpr const char* kPastedKey =
    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

TEST_CASE("regression: audit 7, an API key pasted into *_env is refused and never echoed") {
  const std::string text =
      std::string("mode: live\nexchange:\n  api_key_env: ") + kPastedKey + "\n";
  const auto result = load_config_text(text, "bot.yaml", {});
  REQUIRE_FALSE(result.ok());
  const auto* problem = find_problem(result, "exchange.api_key_env");
  REQUIRE(problem != nullptr);
  CHECK(problem->where.line == 3);
  CHECK(problem->message.find("upper-case letters, digits and _") != std::string::npos);
  CHECK(all_problems(result).find(kPastedKey) == std::string::npos);
  CHECK(all_problems(result).find("vmPUZE") == std::string::npos);
  const std::string shown = render_redacted(result);
  CHECK(shown.find(kPastedKey) == std::string::npos);
  CHECK(shown.find("api_key_env: \"***redacted***\"") != std::string::npos);

  // Through --set, and in a paper config (which refuses API keys for another reason too).
  const auto by_set = load_config_text("mode: paper\n", "bot.yaml",
                                       {std::string("exchange.api_secret_env=") + kPastedKey});
  REQUIRE_FALSE(by_set.ok());
  CHECK(all_problems(by_set).find(kPastedKey) == std::string::npos);
  CHECK(render_redacted(by_set).find(kPastedKey) == std::string::npos);
}

TEST_CASE("*_env names: upper case, digits and _, at most 48 characters") {
  CHECK(is_valid_env_name("BINANCE_API_KEY"));
  CHECK(is_valid_env_name("_X1"));
  CHECK(is_valid_env_name(std::string(48, 'K')));
  CHECK_FALSE(is_valid_env_name(std::string(49, 'K')));
  CHECK_FALSE(is_valid_env_name("binance_api_key"));  // lower case: refused, most keys have it
  CHECK_FALSE(is_valid_env_name("1KEY"));
  CHECK_FALSE(is_valid_env_name("KEY-1"));
  CHECK_FALSE(is_valid_env_name(""));
  CHECK_FALSE(is_valid_env_name(kPastedKey));
}

}  // namespace
}  // namespace cephalo
