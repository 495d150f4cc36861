// ExchangeConnector: what the order executor, market data and start-up checks need from a spot
// venue over request/response (REST): server time, exchangeInfo (rate limits, symbols, filters),
// orders by client order id, account and balances, trades, klines and the filters' price. Each
// exchange implements it in its own folder (binance/BinanceConnector); a live run gets it from the
// exchange registry (registry/exchange_registry.hpp) with the streams, as a VenueConnection.
// Thread-safety: implementations may be called from any thread; calls are serialised inside.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exchange/venue_error.hpp"
#include "exchange/venue_types.hpp"

namespace cephalo::exchange {

class ExchangeConnector {
 public:
  virtual ~ExchangeConnector() = default;

  virtual VenueResult<int64_t> server_time_ms() = 0;
  // The venue's rate limits and the symbols' status, permissions and filters.
  virtual VenueResult<ExchangeInfo> exchange_info(const std::vector<std::string>& symbols) = 0;
  // Never retried: kUnknownOutcome means the order may exist and must be queried by client id.
  virtual VenueResult<VenueOrder> place_order(const OrderRequest& request) = 0;
  // Validates an order (signature, API key permission, filters) without placing it: a key that
  // may not trade answers kUnauthorized.
  virtual VenueResult<bool> test_order(const OrderRequest& request) = 0;
  // The cancelled order as the venue reports it (named by origClientOrderId in the answer).
  virtual VenueResult<VenueOrder> cancel_order(const std::string& symbol,
                                               const std::string& client_order_id) = 0;
  // kOrderNotFound when the venue does not know the client id (yet).
  virtual VenueResult<VenueOrder> query_order(const std::string& symbol,
                                              const std::string& client_order_id) = 0;
  virtual VenueResult<std::vector<VenueOrder>> open_orders(const std::string& symbol) = 0;
  virtual VenueResult<AccountInfo> account() = 0;
  virtual VenueResult<std::vector<Balance>> balances() = 0;
  // Trades with id >= from_trade_id (0: the most recent ones).
  virtual VenueResult<std::vector<VenueTrade>> trades(const std::string& symbol,
                                                      int64_t from_trade_id) = 0;
  // Every trade of one order (by the venue's order id). A fill missed by the user stream may be
  // older than a later one that arrived, so "from the newest trade id seen" cannot find it.
  virtual VenueResult<std::vector<VenueTrade>> order_trades(const std::string& symbol,
                                                            int64_t venue_order_id) = 0;
  virtual VenueResult<std::vector<KlineBar>> klines(const std::string& symbol,
                                                    const std::string& interval, int64_t start_ms,
                                                    int64_t end_ms, int limit) = 0;
  // The price the symbol's PERCENT_PRICE(_BY_SIDE) and MARKET-order NOTIONAL filters use now.
  virtual VenueResult<FilterPrice> filter_price(const std::string& symbol) = 0;
};

}  // namespace cephalo::exchange
