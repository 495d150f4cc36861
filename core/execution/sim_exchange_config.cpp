// SimExchangeConfig: how the simulated exchange fills, charges and slips, and each pair's rules.
// Thread-safety: plain values and a pure function.
#include "execution/sim_exchange_config.hpp"

#include <cmath>
#include <vector>

#include "portfolio/amount_text.hpp"

namespace cephalo {
namespace {

void require(std::vector<std::string>& problems, bool ok, const std::string& field, double value,
             const char* allowed) {
  if (ok) return;
  problems.push_back(field + " is " + amount_text(value) + ", expected " + allowed);
}

bool finite_at_least_zero(double value) {
  return std::isfinite(value) && value >= 0;
}

}  // namespace

Status validate(const SimExchangeConfig& config) {
  std::vector<std::string> problems;
  if (config.markets.empty()) problems.push_back("markets is empty: list at least one pair");
  for (const auto& [pair, rules] : config.markets) {
    const std::string at = "markets[" + pair + "].";
    require(problems, finite_at_least_zero(rules.tick_size), at + "tick_size", rules.tick_size,
            "a finite number >= 0 (0: no tick)");
    require(problems, finite_at_least_zero(rules.lot_step), at + "lot_step", rules.lot_step,
            "a finite number >= 0 (0: no lot step)");
    require(problems, finite_at_least_zero(rules.min_notional), at + "min_notional",
            rules.min_notional, "a finite number >= 0 (0: no minimum)");
  }
  require(problems, finite_at_least_zero(config.maker_fee) && config.maker_fee < 1, "maker_fee",
          config.maker_fee, "a fraction in [0, 1), e.g. 0.001 for 0.1%");
  require(problems, finite_at_least_zero(config.taker_fee) && config.taker_fee < 1, "taker_fee",
          config.taker_fee, "a fraction in [0, 1), e.g. 0.001 for 0.1%");
  require(problems, finite_at_least_zero(config.slippage.base_bps), "slippage.base_bps",
          config.slippage.base_bps, "a finite number of basis points >= 0");
  require(problems, finite_at_least_zero(config.slippage.impact_bps), "slippage.impact_bps",
          config.slippage.impact_bps, "a finite number of basis points >= 0");
  require(problems, finite_at_least_zero(config.max_volume_share) && config.max_volume_share <= 1,
          "max_volume_share", config.max_volume_share, "a share in [0, 1] (0: no volume limit)");
  if (problems.empty()) return Ok{};
  std::string message = "simulated exchange config has " + std::to_string(problems.size()) +
                        (problems.size() == 1 ? " problem:" : " problems:");
  for (const std::string& problem : problems) message += "\n  " + problem;
  return Error{message};
}

}  // namespace cephalo
