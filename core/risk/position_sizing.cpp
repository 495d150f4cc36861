// Position sizing helpers bounded by the position, leverage and exposure limits.
// Thread-safety: pure functions.
#include "risk/position_sizing.hpp"

#include <algorithm>
#include <cmath>

namespace cephalo {
namespace {

bool usable(double equity, double price) {
  return std::isfinite(equity) && std::isfinite(price) && equity > 0 && price > 0;
}

double capped(double quantity, double headroom) {
  if (!std::isfinite(quantity) || quantity <= 0 || !(headroom > 0)) return 0;
  return std::min(quantity, headroom);
}

}  // namespace

double entry_headroom_quantity(const RiskConfig& config, const AccountView& account,
                               std::string_view symbol, cephalo_side side, double price) {
  if (!usable(account.equity, price)) return 0;
  const double equity = account.equity;
  const double others = gross_notional_except(account, symbol);
  // The largest |position| (quote) this pair may reach.
  double cap = config.position.max_position_fraction * equity;
  if (config.position.max_position_quote > 0) {
    cap = std::min(cap, config.position.max_position_quote);
  }
  cap = std::min(cap, config.position.max_leverage * equity - others);
  cap = std::min(cap, config.account.max_exposure_fraction * equity - others);
  const double cap_quantity = cap / price;
  if (!(cap_quantity > 0)) return 0;
  // Signed toward `side`: the position plus this side's resting orders grow with the entry; the
  // other side's resting orders give the far worst case, which the entry cannot change.
  const double toward = side == CEPHALO_SIDE_BUY ? 1 : -1;
  double grown = toward * position_quantity(account, symbol);
  double far = grown;
  for (const AccountOrder& order : account.open_orders) {
    if (order.symbol != symbol) continue;
    if (order.side == side) {
      grown += order.quantity;
    } else {
      far -= order.quantity;
    }
  }
  if (std::fabs(far) > cap_quantity) return 0;
  const double room = cap_quantity - grown;
  return room > 0 ? room * (1 - 1e-12) : 0;
}

double size_fixed_fraction(double equity, double price, double fraction, double headroom) {
  if (!usable(equity, price) || !(fraction > 0)) return 0;
  return capped(fraction * equity / price, headroom);
}

double size_risk_per_trade(double equity, double entry_price, double stop_price,
                           double risk_fraction, double headroom) {
  if (!usable(equity, entry_price) || !(risk_fraction > 0) || !(stop_price > 0)) return 0;
  const double distance = std::fabs(entry_price - stop_price);
  if (!(distance > 0)) return 0;
  return capped(risk_fraction * equity / distance, headroom);
}

double size_volatility_target(double equity, double price, double target_volatility,
                              double asset_volatility, double headroom) {
  if (!usable(equity, price) || !(target_volatility > 0) || !(asset_volatility > 0)) return 0;
  return capped(equity * target_volatility / asset_volatility / price, headroom);
}

}  // namespace cephalo
