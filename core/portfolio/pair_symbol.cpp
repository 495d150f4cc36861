// Splits a "BASE/QUOTE" pair symbol such as "ETH/BTC" into its two currencies.
// Thread-safety: pure function; safe from any thread.
#include "portfolio/pair_symbol.hpp"

namespace cephalo {

Result<PairSymbol> parse_pair_symbol(std::string_view symbol) {
  const size_t slash = symbol.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == symbol.size() ||
      symbol.find('/', slash + 1) != std::string_view::npos) {
    return Error{"pair symbol '" + std::string(symbol) +
                 "' is not BASE/QUOTE: write it like \"ETH/BTC\""};
  }
  return PairSymbol{std::string(symbol.substr(0, slash)), std::string(symbol.substr(slash + 1))};
}

}  // namespace cephalo
