// SimExchangeConfig: how the simulated exchange fills, charges and slips, and each pair's rules.
// Thread-safety: plain values and a pure function.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "model/result.hpp"

namespace cephalo {

// Where a market order fills: at the open of the bar after the one it was submitted on (the
// default: the strategy decided on a closed bar and cannot trade at a price already gone), or at
// the close of that very bar, at submit time (optimistic; matches some reference backtesters).
enum class MarketFill { kNextOpen, kSignalClose };

enum class SlippageModel {
  kFixedBps,             // every market and stop fill moves base_bps against the trader
  kVolumeParticipation,  // base_bps + impact_bps x (fill quantity / bar volume)
};

// Basis points (1 bps = 0.01%) of the price, always adverse: buys pay more, sells get less.
// Limit fills are never slipped: the limit is the price.
struct SlippageConfig {
  SlippageModel model = SlippageModel::kFixedBps;
  double base_bps = 0;
  double impact_bps = 0;  // kVolumeParticipation only
};

// A venue's grid for one pair. 0 switches a rule off.
struct MarketRules {
  double tick_size = 0;     // quote: prices are multiples of it
  double lot_step = 0;      // base: quantities are floored to multiples of it
  double min_notional = 0;  // quote: quantity x price below it is rejected at submit
};

struct SimExchangeConfig {
  // Every pair the exchange trades, "BASE/QUOTE", all in the portfolio's quote currency.
  std::map<std::string, MarketRules, std::less<>> markets;
  MarketFill market_fill = MarketFill::kNextOpen;
  double maker_fee = 0;  // fraction of traded value, e.g. 0.001 = 0.1%, charged in quote
  double taker_fee = 0;  // fraction of traded value
  SlippageConfig slippage;
  // > 0: all orders of a pair together fill at most this share of a bar's volume in that bar;
  // the rest waits for later bars (GTC) or ends by its time in force. 0: no volume limit.
  double max_volume_share = 0;
};

// Every problem at once, one per line, each naming the field, the value found and what is allowed.
Status validate(const SimExchangeConfig& config);

}  // namespace cephalo
