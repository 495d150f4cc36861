// Exact decimals (parse, print, step rounding) and the local filter check before sending.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "exchange/decimal.hpp"
#include "exchange/filters.hpp"

using namespace cephalo::exchange;

namespace {
Decimal d(const char* text) {
  auto parsed = parse_decimal(text, "test");
  REQUIRE_MESSAGE(parsed.ok(), parsed.error());
  return parsed.value();
}
}  // namespace

TEST_CASE("decimals print positionally with trailing zeros trimmed, never in exponent form") {
  CHECK(format_decimal(d("0.00001")) == "0.00001");
  CHECK(format_decimal(d("0.00001000")) == "0.00001");
  CHECK(format_decimal(d("25.00000000")) == "25");
  CHECK(format_decimal(d("1.50")) == "1.5");
  CHECK(format_decimal(d("0")) == "0");
  CHECK(format_decimal(d("-0.1")) == "-0.1");
  CHECK(format_decimal(d("92233720368.54775807")) == "92233720368.54775807");
  CHECK(format_decimal(decimal_from_double(1e-5, "x").value()) == "0.00001");
  CHECK(format_decimal(decimal_from_double(0.1 + 0.2, "x").value()) == "0.3");
}

TEST_CASE("decimal parsing refuses anything that is not a plain finite decimal") {
  for (const char* bad : {"",
                          "-",
                          ".",
                          "1.",
                          ".5",
                          "1e-5",
                          "1E5",
                          "NaN",
                          "nan",
                          "Infinity",
                          "inf",
                          "-inf",
                          " 1",
                          "1 ",
                          "0x10",
                          "1,5",
                          "+1",
                          "1.2.3",
                          "0.000000001",
                          "10000000000000000000000000000.00000001",
                          "99999999999999999999999999999999999999999",
                          "--1"}) {
    auto parsed = parse_decimal(bad, "price");
    CHECK_MESSAGE(!parsed.ok(), bad);
    if (!parsed.ok()) CHECK(parsed.error().find("price") != std::string::npos);
  }
  // Zeros beyond eight decimals carry no precision and are accepted.
  CHECK(d("0.1000000000") == d("0.1"));
  CHECK(!decimal_from_double(std::nan(""), "q").ok());
  CHECK(!decimal_from_double(std::numeric_limits<double>::infinity(), "q").ok());
  CHECK(!decimal_from_double(1e29, "q").ok());
}

// Regression, issue 13: amounts were 8-decimal int64, so any value >= 9.22e10 was refused and
// sank the whole answer (a 1.5e11 BTTC balance refused startup, a 2.1e11 PEPE volume dropped).
TEST_CASE("regression_amounts_past_int64_read_exactly") {
  CHECK(format_decimal(d("92233720368.54775808")) == "92233720368.54775808");
  CHECK(format_decimal(d("150000000000.00000000")) == "150000000000");
  CHECK(format_decimal(d("210000000000.12345678")) == "210000000000.12345678");
  CHECK(format_decimal(d("-9999999999999999999999999999.99999999")) ==
        "-9999999999999999999999999999.99999999");
  CHECK(format_decimal(decimal_from_double(1.5e11, "x").value()) == "150000000000");
  Decimal notional;
  REQUIRE(multiply(d("0.00000123"), d("150000000000"), notional));
  CHECK(format_decimal(notional) == "184500");
  CHECK_FALSE(multiply(d("9999999999999999999999999999"), d("9999999999999999999999999999"),
                       notional));  // refused, not wrapped
}

TEST_CASE("rounding to a tick or step is exact integer arithmetic") {
  CHECK(round_down_to(d("0.123456"), d("0.001")) == d("0.123"));
  CHECK(round_up_to(d("0.123456"), d("0.001")) == d("0.124"));
  CHECK(round_up_to(d("0.123"), d("0.001")) == d("0.123"));
  CHECK(round_down_to(d("1234.5678"), d("0.05")) == d("1234.55"));
  CHECK(round_down_to(d("7"), d("0")) == d("7"));  // a zero step means no grid
}

TEST_CASE("shape_order rounds to the grid on the passive side and names the filter it fails") {
  SymbolFilters f;
  f.symbol = "ETHBTC";
  f.tick_size = d("0.00001");
  f.min_price = d("0.00001");
  f.max_price = d("1000");
  f.step_size = d("0.001");
  f.min_qty = d("0.001");
  f.max_qty = d("100000");
  f.min_notional = d("0.0001");

  auto buy = shape_order(f, OrderSide::kBuy, false, d("0.0512349"), d("1.23456"), {}, {});
  REQUIRE(buy.ok());
  CHECK(format_decimal(buy->price) == "0.05123");
  CHECK(format_decimal(buy->quantity) == "1.234");
  auto sell = shape_order(f, OrderSide::kSell, false, d("0.0512341"), d("1.23456"), {}, {});
  REQUIRE(sell.ok());
  CHECK(format_decimal(sell->price) == "0.05124");

  auto small = shape_order(f, OrderSide::kBuy, false, d("0.05"), d("0.0004"), {}, {});
  REQUIRE(!small.ok());
  CHECK(small.error().find("LOT_SIZE") != std::string::npos);
  CHECK(small.error().find("minQty 0.001") != std::string::npos);

  auto big = shape_order(f, OrderSide::kBuy, false, d("0.05"), d("200000"), {}, {});
  REQUIRE(!big.ok());
  CHECK(big.error().find("maxQty 100000") != std::string::npos);

  auto pricey = shape_order(f, OrderSide::kBuy, false, d("2000"), d("1"), {}, {});
  REQUIRE(!pricey.ok());
  CHECK(pricey.error().find("PRICE_FILTER: price 2000 is above maxPrice 1000") !=
        std::string::npos);

  auto dust = shape_order(f, OrderSide::kBuy, false, d("0.00002"), d("1"), {}, {});
  REQUIRE(!dust.ok());
  CHECK(dust.error().find("NOTIONAL: notional 0.00002 is below minNotional 0.0001") !=
        std::string::npos);

  // A market order's notional uses the average price (applyMinToMarket defaults to true).
  OrderContext at_005;
  at_005.average_price = d("0.05");
  CHECK(!shape_order(f, OrderSide::kBuy, true, {}, d("0.001"), {}, at_005).ok());
  CHECK(shape_order(f, OrderSide::kBuy, true, {}, d("0.01"), {}, at_005).ok());
  // A symbol that is not TRADING takes no order.
  SymbolFilters halted = f;
  halted.status = "HALT";
  auto refused = shape_order(halted, OrderSide::kBuy, false, d("0.05"), d("1"), {}, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("status is HALT") != std::string::npos);
}
