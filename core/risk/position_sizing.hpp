// Position sizing for trading modes: how much to enter so the order fits the risk limits.
// Thread-safety: pure functions.
#pragma once

#include <cephalo/tentacle.h>

#include <string_view>

#include "risk/account_view.hpp"
#include "risk/risk_config.hpp"

namespace cephalo {

// The most an entry of `side` on `symbol` at `price` (quote per base) can add, in base units,
// and still pass max_position_fraction, max_position_quote, max_leverage and max_exposure against
// `account` (resting orders counted as filled). 0 when nothing fits or the inputs are not usable.
// Slightly under the exact bound so that quantity × price rounding never fails the check.
double entry_headroom_quantity(const RiskConfig& config, const AccountView& account,
                               std::string_view symbol, cephalo_side side, double price);

// Each sizer returns a base quantity, capped at `headroom` (from entry_headroom_quantity), and 0
// for unusable inputs (non-positive equity or price, non-finite values).

// Notional = fraction × equity: "put 10 % of the account in each trade".
double size_fixed_fraction(double equity, double price, double fraction, double headroom);

// Loses `risk_fraction` × equity if the stop is hit: quantity = risk / |entry − stop|. The loss
// is at the stop price; a gap through the stop loses more, which no sizing can prevent.
double size_risk_per_trade(double equity, double entry_price, double stop_price,
                           double risk_fraction, double headroom);

// Scales the notional so the position's volatility is `target_volatility` of equity:
// notional = equity × target / asset_volatility. Both volatilities are fractions of price over
// the same period (e.g. daily standard deviation of returns, or ATR / price).
double size_volatility_target(double equity, double price, double target_volatility,
                              double asset_volatility, double headroom);

}  // namespace cephalo
