// RiskConfig validation: defaults are usable, every nonsense limit is reported with its key.
#include "risk/risk_config.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace cephalo;

bool has_problem(const std::vector<std::string>& problems, const std::string& key,
                 const std::string& words) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& problem) {
    return problem.rfind(key + ": ", 0) == 0 && problem.find(words) != std::string::npos;
  });
}

TEST_CASE("the default risk config is valid") {
  CHECK(validate(RiskConfig{}).empty());
}

TEST_CASE("a stop of 100% or more is refused") {
  RiskConfig config;
  config.position.stop_loss_fraction = 1;
  const auto problems = validate(config);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "position.stop_loss_fraction: a stop 100% or more away from the entry can never trigger "
        "for a long, found 1; write a fraction below 1");
}

TEST_CASE("a position larger than the equity without leverage is refused, with leverage allowed") {
  RiskConfig config;
  config.position.max_position_fraction = 1.5;
  auto problems = validate(config);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] ==
        "position.max_position_fraction: a position larger than the equity needs leverage; "
        "max_leverage is 1, found 1.5; lower it to at most max_leverage or raise "
        "position.max_leverage");
  config.position.max_leverage = 2;
  CHECK(validate(config).empty());
}

TEST_CASE("every problem is reported at once") {
  RiskConfig config;
  config.position.stop_loss_fraction = -0.1;
  config.position.take_profit_fraction = -1;
  config.position.trailing_stop_fraction = 1.2;
  config.position.max_leverage = 0.5;
  config.position.max_position_quote = -5;
  config.strategy.max_consecutive_losses = 3;  // with no pause length
  config.strategy.min_confidence = 1.5;
  config.strategy.max_trades_per_day = -1;
  config.account.max_daily_loss_fraction = 1;
  config.account.max_drawdown_fraction = -0.2;
  config.account.day_start_utc_offset_minutes = 900;
  config.account.max_exposure_fraction = 0;
  config.account.max_open_orders = -3;
  const auto problems = validate(config);
  CHECK(problems.size() == 13);
  CHECK(has_problem(problems, "position.stop_loss_fraction", "expected 0 or more, found -0.1"));
  CHECK(has_problem(problems, "position.take_profit_fraction", "found -1"));
  CHECK(has_problem(problems, "position.trailing_stop_fraction", "can never trigger, found 1.2"));
  CHECK(has_problem(problems, "position.max_leverage", "expected 1 (spot) or more, found 0.5"));
  CHECK(has_problem(problems, "position.max_position_quote", "found -5"));
  CHECK(has_problem(problems, "strategy.max_consecutive_losses", "a loss pause needs a length"));
  CHECK(has_problem(problems, "strategy.min_confidence", "between 0 and 1, found 1.5"));
  CHECK(has_problem(problems, "strategy.max_trades_per_day", "found -1"));
  CHECK(has_problem(problems, "account.max_daily_loss_fraction", "no limit, found 1"));
  CHECK(has_problem(problems, "account.max_drawdown_fraction", "found -0.2"));
  CHECK(has_problem(problems, "account.day_start_utc_offset_minutes", "found 900"));
  CHECK(has_problem(problems, "account.max_exposure_fraction", "cannot be off"));
  CHECK(has_problem(problems, "account.max_open_orders", "found -3"));
}

TEST_CASE("exposure above the equity needs leverage") {
  RiskConfig config;
  config.account.max_exposure_fraction = 3;
  config.position.max_leverage = 2;
  const auto problems = validate(config);
  REQUIRE(problems.size() == 1);
  CHECK(has_problem(problems, "account.max_exposure_fraction", "max_leverage is 2, found 3"));
}

TEST_CASE("non-finite limits are refused") {
  RiskConfig config;
  config.position.take_profit_fraction = std::numeric_limits<double>::quiet_NaN();
  const auto problems = validate(config);
  REQUIRE(problems.size() == 1);
  CHECK(has_problem(problems, "position.take_profit_fraction", "expected a finite number"));
}

}  // namespace
