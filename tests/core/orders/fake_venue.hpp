// A scripted ExchangeConnector for executor tests: answers are set per test, calls are counted.
// Thread-safety: single-threaded tests only.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>

#include "exchange/decimal.hpp"
#include "exchange/exchange_connector.hpp"
#include "exchange/filters.hpp"

namespace cephalo::test {

using namespace cephalo::exchange;

// An exact decimal from its text ("0.001"), for scripted answers.
inline Decimal d(const char* text) {
  return parse_decimal(text, "test").value();
}

// ETHBTC with Binance-like filters: tick 0.00001, step and min quantity 0.001, min notional 0.0001.
inline SymbolFilters eth_btc() {
  SymbolFilters f;
  f.symbol = "ETHBTC";
  f.base_asset = "ETH";
  f.quote_asset = "BTC";
  f.tick_size = d("0.00001");
  f.step_size = d("0.001");
  f.min_qty = d("0.001");
  f.min_notional = d("0.0001");
  return f;
}

class FakeVenue final : public ExchangeConnector {
 public:
  std::function<VenueResult<VenueOrder>(const OrderRequest&)> on_place;
  std::map<std::string, VenueOrder> orders;  // what query/cancel/openOrders see, by client id
  std::vector<VenueTrade> venue_trades;
  std::vector<Balance> venue_balances;
  std::vector<SymbolFilters> filters;  // what exchangeInfo lists
  bool fail_reads = false;
  int place_calls = 0, query_calls = 0, cancel_calls = 0;

  static VenueError error(VenueErrorKind kind, std::string message = "scripted") {
    return VenueError{kind, 0, 0, std::move(message)};
  }

  VenueResult<int64_t> server_time_ms() override { return VenueResult<int64_t>::success(1); }
  VenueResult<ExchangeInfo> exchange_info(const std::vector<std::string>&) override {
    return VenueResult<ExchangeInfo>::success(ExchangeInfo{{}, filters});
  }
  VenueResult<bool> test_order(const OrderRequest&) override {
    return VenueResult<bool>::success(true);
  }
  VenueResult<AccountInfo> account() override {
    if (fail_reads)
      return VenueResult<AccountInfo>::failure(error(VenueErrorKind::kTransport, "down"));
    return VenueResult<AccountInfo>::success(AccountInfo{true, "SPOT", {"SPOT"}, venue_balances});
  }
  VenueResult<VenueOrder> place_order(const OrderRequest& request) override {
    ++place_calls;
    return on_place(request);
  }
  VenueResult<VenueOrder> cancel_order(const std::string&, const std::string& id) override {
    ++cancel_calls;
    auto found = orders.find(id);
    if (found == orders.end()) {
      return VenueResult<VenueOrder>::failure(error(VenueErrorKind::kOrderNotFound));
    }
    found->second.status = VenueOrderStatus::kCanceled;
    found->second.update_time_ms += 1;
    return VenueResult<VenueOrder>::success(found->second);
  }
  VenueResult<VenueOrder> query_order(const std::string&, const std::string& id) override {
    ++query_calls;
    if (fail_reads)
      return VenueResult<VenueOrder>::failure(error(VenueErrorKind::kTransport, "down"));
    auto found = orders.find(id);
    if (found == orders.end()) {
      return VenueResult<VenueOrder>::failure(error(VenueErrorKind::kOrderNotFound));
    }
    return VenueResult<VenueOrder>::success(found->second);
  }
  VenueResult<std::vector<VenueOrder>> open_orders(const std::string& symbol) override {
    if (fail_reads) {
      return VenueResult<std::vector<VenueOrder>>::failure(
          error(VenueErrorKind::kTransport, "down"));
    }
    std::vector<VenueOrder> out;
    for (auto& [id, o] : orders) {
      if (o.symbol == symbol &&
          (o.status == VenueOrderStatus::kNew || o.status == VenueOrderStatus::kPartiallyFilled)) {
        out.push_back(o);
      }
    }
    return VenueResult<std::vector<VenueOrder>>::success(out);
  }
  VenueResult<std::vector<Balance>> balances() override {
    if (fail_reads)
      return VenueResult<std::vector<Balance>>::failure(error(VenueErrorKind::kTransport, "down"));
    return VenueResult<std::vector<Balance>>::success(venue_balances);
  }
  VenueResult<std::vector<VenueTrade>> trades(const std::string& symbol, int64_t from) override {
    std::vector<VenueTrade> out;
    for (const auto& t : venue_trades) {
      if (t.symbol == symbol && t.trade_id >= from) out.push_back(t);
    }
    return VenueResult<std::vector<VenueTrade>>::success(out);
  }
  VenueResult<std::vector<VenueTrade>> order_trades(const std::string& symbol,
                                                    int64_t venue_order_id) override {
    std::vector<VenueTrade> out;
    for (const auto& t : venue_trades) {
      if (t.symbol == symbol && t.order_id == venue_order_id) out.push_back(t);
    }
    return VenueResult<std::vector<VenueTrade>>::success(out);
  }
  VenueResult<std::vector<KlineBar>> klines(const std::string&, const std::string&, int64_t,
                                            int64_t, int) override {
    return VenueResult<std::vector<KlineBar>>::success({});
  }
  // Unset: no filter price (the venue answers an error), so the reference price stands in.
  std::optional<Decimal> average_price;
  VenueResult<FilterPrice> filter_price(const std::string&) override {
    if (!average_price) {
      return VenueResult<FilterPrice>::failure(
          {exchange::VenueErrorKind::kTransport, 0, 0, "no average price in this fake"});
    }
    return VenueResult<FilterPrice>::success({*average_price, "avgPrice 5 min"});
  }
};

}  // namespace cephalo::test
