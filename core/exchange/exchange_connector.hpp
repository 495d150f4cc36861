// ExchangeConnector: what the order executor and market data need from a spot venue, by client
// order id; BinanceConnector implements it over REST (signing, server time, rate limits).
// Thread-safety: implementations may be called from any thread; calls are serialised inside.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exchange/http_transport.hpp"
#include "exchange/rate_limiter.hpp"
#include "exchange/server_clock.hpp"
#include "exchange/signing.hpp"
#include "exchange/venue_error.hpp"
#include "exchange/venue_types.hpp"

namespace cephalo::exchange {

class ExchangeConnector {
 public:
  virtual ~ExchangeConnector() = default;

  virtual VenueResult<int64_t> server_time_ms() = 0;
  virtual VenueResult<std::vector<SymbolFilters>> exchange_filters(
      const std::vector<std::string>& symbols) = 0;
  // Never retried: kUnknownOutcome means the order may exist and must be queried by client id.
  virtual VenueResult<VenueOrder> place_order(const OrderRequest& request) = 0;
  virtual VenueResult<VenueOrder> cancel_order(const std::string& symbol,
                                               const std::string& client_order_id) = 0;
  // kOrderNotFound when the venue does not know the client id (yet).
  virtual VenueResult<VenueOrder> query_order(const std::string& symbol,
                                              const std::string& client_order_id) = 0;
  virtual VenueResult<std::vector<VenueOrder>> open_orders(const std::string& symbol) = 0;
  virtual VenueResult<std::vector<Balance>> balances() = 0;
  // Trades with id >= from_trade_id (0: the most recent ones).
  virtual VenueResult<std::vector<VenueTrade>> trades(const std::string& symbol,
                                                      int64_t from_trade_id) = 0;
  virtual VenueResult<std::vector<KlineBar>> klines(const std::string& symbol,
                                                    const std::string& interval, int64_t start_ms,
                                                    int64_t end_ms, int limit) = 0;
  virtual VenueResult<std::string> start_user_stream() = 0;
  virtual VenueResult<bool> keepalive_user_stream(const std::string& listen_key) = 0;
};

struct BinanceConfig {
  std::string api_key;
  std::string api_secret;  // from the environment via config's *_env keys; never logged
  int64_t recv_window_ms = 5000;
  RateLimitConfig rate_limit;
};

class BinanceConnector final : public ExchangeConnector {
 public:
  BinanceConnector(BinanceConfig config, std::shared_ptr<HttpTransport> transport,
                   MillisClock clock = system_millis_clock());

  VenueResult<int64_t> server_time_ms() override;
  VenueResult<std::vector<SymbolFilters>> exchange_filters(
      const std::vector<std::string>& symbols) override;
  VenueResult<VenueOrder> place_order(const OrderRequest& request) override;
  VenueResult<VenueOrder> cancel_order(const std::string& symbol,
                                       const std::string& client_order_id) override;
  VenueResult<VenueOrder> query_order(const std::string& symbol,
                                      const std::string& client_order_id) override;
  VenueResult<std::vector<VenueOrder>> open_orders(const std::string& symbol) override;
  VenueResult<std::vector<Balance>> balances() override;
  VenueResult<std::vector<VenueTrade>> trades(const std::string& symbol,
                                              int64_t from_trade_id) override;
  VenueResult<std::vector<KlineBar>> klines(const std::string& symbol, const std::string& interval,
                                            int64_t start_ms, int64_t end_ms, int limit) override;
  VenueResult<std::string> start_user_stream() override;
  VenueResult<bool> keepalive_user_stream(const std::string& listen_key) override;

  // The signed query for a new order, exactly as place_order sends it (the benchmark and the
  // commit-before-send path use it).
  std::string signed_order_query(const OrderRequest& request, int64_t timestamp_ms);

  const ServerClock& clock() const { return clock_; }
  const RateLimiter& rate_limiter() const { return limiter_; }

 private:
  struct Call {
    const char* method;
    const char* path;
    int64_t weight;
    bool signed_request;
    bool api_key;
    bool order_placement;
  };
  VenueResult<HttpResponse> call(const Call& call, QueryString query);
  Status sync_time();

  BinanceConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  ServerClock clock_;
  RateLimiter limiter_;
  std::mutex signer_mutex_;
  RequestSigner signer_;
};

}  // namespace cephalo::exchange
