// Adverse price slippage for market and stop fills, by the configured model.
// Thread-safety: pure functions; safe from any thread.
#include "execution/slippage.hpp"

namespace cephalo {

double slippage_bps(const SlippageConfig& config, double quantity, double bar_volume) {
  if (config.model == SlippageModel::kFixedBps) return config.base_bps;
  const double participation = bar_volume > 0 ? quantity / bar_volume : 1.0;
  return config.base_bps + config.impact_bps * participation;
}

double slipped_price(cephalo_side side, double price, double bps) {
  if (bps == 0) return price;
  const double fraction = bps / 10'000.0;
  return side == CEPHALO_SIDE_BUY ? price * (1 + fraction) : price * (1 - fraction);
}

}  // namespace cephalo
