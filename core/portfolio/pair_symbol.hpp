// Splits a "BASE/QUOTE" pair symbol such as "ETH/BTC" into its two currencies.
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo {

struct PairSymbol {
  std::string base;   // the currency bought and sold: quantities are in it
  std::string quote;  // the currency prices, cash and fees are in
};

// Refuses anything but two non-empty currency names around exactly one '/'.
Result<PairSymbol> parse_pair_symbol(std::string_view symbol);

}  // namespace cephalo
