// Pair symbols split into base and quote; anything but BASE/QUOTE is refused with an example.
#include "portfolio/pair_symbol.hpp"

#include <doctest/doctest.h>

namespace {

using namespace cephalo;

TEST_CASE("a BASE/QUOTE symbol splits into its currencies") {
  auto pair = parse_pair_symbol("ETH/BTC");
  REQUIRE(pair);
  CHECK(pair->base == "ETH");
  CHECK(pair->quote == "BTC");
}

TEST_CASE("malformed symbols are refused with the symbol and an example") {
  for (const char* bad : {"", "ETHBTC", "/BTC", "ETH/", "ETH/BTC/USD", "/"}) {
    CAPTURE(bad);
    auto pair = parse_pair_symbol(bad);
    REQUIRE_FALSE(pair);
    CHECK(pair.error() ==
          "pair symbol '" + std::string(bad) + "' is not BASE/QUOTE: write it like \"ETH/BTC\"");
  }
}

}  // namespace
