// Helpers for the execution tests: hand-made bars and orders, and a portfolio with an exchange.
// Thread-safety: test code, single-threaded.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "execution/sim_exchange.hpp"
#include "portfolio/portfolio.hpp"

namespace cephalo::test {

inline constexpr int64_t kMinuteNs = 60'000'000'000;

// Bar number `index` of a one-minute series: opens at index minutes, closes a minute later.
inline Bar bar(int index, double open, double high, double low, double close, double volume = 1'000,
               std::string symbol = "ETH/BTC") {
  return Bar{std::move(symbol),
             index * kMinuteNs,
             (index + 1) * kMinuteNs,
             open,
             high,
             low,
             close,
             volume};
}

struct OrderSpec {
  cephalo_order_type type = CEPHALO_ORDER_MARKET;
  double price = 0;
  double stop_price = 0;
  cephalo_time_in_force tif = CEPHALO_TIF_GTC;
  std::string tag;
  std::string symbol = "ETH/BTC";
};

inline OrderSpec market_with(cephalo_time_in_force tif, std::string tag = "") {
  return OrderSpec{CEPHALO_ORDER_MARKET, 0, 0, tif, std::move(tag), "ETH/BTC"};
}
inline OrderSpec limit_at(double price, cephalo_time_in_force tif = CEPHALO_TIF_GTC,
                          std::string tag = "") {
  return OrderSpec{CEPHALO_ORDER_LIMIT, price, 0, tif, std::move(tag), "ETH/BTC"};
}
inline OrderSpec stop_at(double stop_price, std::string tag = "") {
  return OrderSpec{CEPHALO_ORDER_STOP, 0, stop_price, CEPHALO_TIF_GTC, std::move(tag), "ETH/BTC"};
}
inline OrderSpec stop_limit_at(double stop_price, double limit_price,
                               cephalo_time_in_force tif = CEPHALO_TIF_GTC) {
  return OrderSpec{CEPHALO_ORDER_STOP_LIMIT, limit_price, stop_price, tif, "", "ETH/BTC"};
}

inline OrderRequest order(std::string id, cephalo_side side, double quantity, OrderSpec spec = {},
                          int64_t time_ns = 0) {
  return OrderRequest{std::move(id), spec.symbol,     side,     spec.type, spec.tif, quantity,
                      spec.price,    spec.stop_price, spec.tag, time_ns};
}

inline SimExchangeConfig one_pair_config(MarketRules rules = {}) {
  SimExchangeConfig config;
  config.markets.emplace("ETH/BTC", rules);
  return config;
}

// A portfolio and the exchange that books into it; not movable, as the exchange points at it.
struct Venue {
  explicit Venue(SimExchangeConfig config, double cash = 10'000)
      : portfolio(Portfolio::create("BTC", cash).value()) {
    auto created = SimExchange::create(std::move(config), portfolio);
    REQUIRE_MESSAGE(created, created.error());
    exchange.emplace(std::move(created).value());
  }
  Venue(const Venue&) = delete;
  Venue& operator=(const Venue&) = delete;

  std::vector<ExecutionReport> submit(const OrderRequest& request, const Bar& current) {
    return exchange->submit(request, current);
  }
  std::vector<ExecutionReport> on_bar(const Bar& next) { return exchange->on_bar(next); }

  Portfolio portfolio;
  std::optional<SimExchange> exchange;
};

inline std::vector<OrderUpdate> updates(const std::vector<ExecutionReport>& reports) {
  std::vector<OrderUpdate> out;
  for (const ExecutionReport& report : reports) out.push_back(report.update);
  return out;
}

// The single fill among `reports`; fails the test if there is not exactly one.
inline SimFill only_fill(const std::vector<ExecutionReport>& reports) {
  std::vector<SimFill> fills;
  for (const ExecutionReport& report : reports) {
    if (report.fill) fills.push_back(*report.fill);
  }
  REQUIRE(fills.size() == 1);
  return fills[0];
}

}  // namespace cephalo::test

namespace doctest {
template <>
struct StringMaker<cephalo::OrderUpdate> {
  static String convert(cephalo::OrderUpdate update) { return cephalo::order_update_name(update); }
};
}  // namespace doctest
