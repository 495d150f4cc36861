// `*_env` keys read secrets from the environment, and no secret reaches a message or `config show`.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ostream>
#include <type_traits>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

constexpr const char* kKeyValue = "sup3r-s3cret-key-value";
constexpr const char* kLiteralPassword = "hunter2-literal";

// Sets the test variables for one test case and removes them after, so cases stay independent.
struct Environment {
  Environment() {
    ::setenv("CEPHALO_TEST_API_KEY", kKeyValue, 1);
    ::unsetenv("CEPHALO_TEST_MISSING_SECRET");
  }
  ~Environment() { ::unsetenv("CEPHALO_TEST_API_KEY"); }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
};

std::string config_in_mode(const std::string& mode) {
  return "mode: " + mode +
         "\n"
         "exchange:\n"
         "  api_key_env: CEPHALO_TEST_API_KEY\n"
         "  api_secret_env: CEPHALO_TEST_MISSING_SECRET\n"  // line 4
         "pipeline:\n"
         "  interfaces:\n"
         "    - tentacle: telegram\n"
         "      params:\n"
         "        bot_token_env: CEPHALO_TEST_API_KEY\n"
         "        password: " +
         std::string(kLiteralPassword) + "\n";
}

bool mentions_secret(const std::string& text) {
  return text.find(kKeyValue) != std::string::npos ||
         text.find(kLiteralPassword) != std::string::npos;
}

TEST_CASE("*_env keys read their secret from the environment") {
  Environment environment;
  const auto result = load_config_text(config_in_mode("backtest"), "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.ok());
  const auto& exchange = result.config->exchange;
  CHECK(exchange.api_key_env == "CEPHALO_TEST_API_KEY");
  CHECK(exchange.api_key.reveal() == kKeyValue);
  // Not set, and not live: no problem, just no secret.
  CHECK(exchange.api_secret.empty());
  // Any *_env key works, tentacle params included.
  const auto token = result.config->secrets.find("pipeline.interfaces.0.params.bot_token");
  REQUIRE(token != result.config->secrets.end());
  CHECK(token->second.reveal() == kKeyValue);
  CHECK(result.config->secrets.count("exchange.api_secret") == 0);
}

TEST_CASE("a missing secret variable is a problem in live mode only, naming the variable") {
  Environment environment;
  const auto result = load_config_text(config_in_mode("live"), "bot.yaml", {});
  INFO(all_problems(result));
  REQUIRE(result.problems.size() == 1);
  const auto& problem = result.problems[0];
  CHECK(problem.key == "exchange.api_secret_env");
  CHECK(problem.where.line == 4);
  CHECK(problem.message.find("'CEPHALO_TEST_MISSING_SECRET' is not set") != std::string::npos);
  CHECK_FALSE(mentions_secret(problem.to_string()));
}

TEST_CASE("secrets never appear in problem messages") {
  Environment environment;
  const auto result = load_config_text(
      config_in_mode("live") + "storage:\n  password: [x]\n", "bot.yaml",
      {std::string("exchange.api_key=") + kKeyValue, std::string("exchange.token=") + kKeyValue,
       std::string("exchange.api_secret_env=") + kLiteralPassword + "/x",
       std::string("pipeline.interfaces.0.params.password=[") + kKeyValue});
  INFO(all_problems(result));
  // storage.password unknown, exchange.api_key unknown, exchange.token unknown, the pasted
  // "secret" in api_secret_env, and the --set with a YAML syntax error.
  REQUIRE(result.problems.size() == 5);
  CHECK(find_problem(result, "exchange.api_key") != nullptr);
  CHECK(find_problem(result, "exchange.token") != nullptr);
  const auto* pasted = find_problem(result, "exchange.api_secret_env");
  REQUIRE(pasted != nullptr);
  CHECK(pasted->message.find("expected the name of an environment variable") != std::string::npos);
  for (const auto& problem : result.problems) {
    CHECK_FALSE(mentions_secret(problem.to_string()));
  }
  CHECK(all_problems(result).find("***redacted***") != std::string::npos);
}

TEST_CASE("config show redacts secrets and says whether each *_env variable is set") {
  Environment environment;
  const auto result = load_config_text(config_in_mode("backtest"), "bot.yaml", {});
  REQUIRE(result.ok());
  const std::string shown = render_redacted(result);
  INFO(shown);
  CHECK_FALSE(mentions_secret(shown));
  CHECK(shown.find("password: \"***redacted***\"") != std::string::npos);
  CHECK(shown.find("api_key_env: CEPHALO_TEST_API_KEY  # set in the environment, value "
                   "***redacted***") != std::string::npos);
  CHECK(shown.find("api_secret_env: CEPHALO_TEST_MISSING_SECRET  # not set in the environment") !=
        std::string::npos);
  // The rest is the ordinary merged config, defaults included.
  CHECK(shown.find("batch_size: 10000") != std::string::npos);
  CHECK(shown.find("  folders: []\n") != std::string::npos);
  CHECK(shown.find("mode: backtest") != std::string::npos);
}

TEST_CASE("config show hides a secret pasted into a *_env key") {
  const auto result =
      load_config_text("exchange:\n  api_key_env: sk-live-1234/abcd\n", "bot.yaml", {});
  REQUIRE(result.problems.size() == 1);
  const std::string shown = render_redacted(result);
  INFO(shown);
  CHECK(shown.find("sk-live-1234/abcd") == std::string::npos);
  CHECK(shown.find("api_key_env: \"***redacted***\"") != std::string::npos);
  CHECK(result.problems[0].to_string().find("sk-live-1234/abcd") == std::string::npos);
}

template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) {
  out << value;
};

TEST_CASE("a Secret cannot be printed or converted by accident") {
  static_assert(!Streamable<Secret>);
  static_assert(!std::is_convertible_v<Secret, std::string>);
  static_assert(!std::is_convertible_v<std::string, Secret>);
  const Secret secret("value");
  CHECK(secret.reveal() == "value");
  CHECK_FALSE(secret.empty());
  CHECK(Secret().empty());
}

}  // namespace
}  // namespace cephalo
