// BinanceConnector: Binance spot's REST API behind ExchangeConnector (signing, server time, rate
// limits from exchangeInfo and the X-MBX headers, documented error codes). The retired listenKey
// endpoints (POST/PUT/DELETE /api/v3/userDataStream, gone since 2026-02-20) are not part of it:
// order updates come over the WebSocket API (user_data_stream.hpp).
// Thread-safety: any thread; calls are serialised inside (see exchange_connector.hpp).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exchange/binance/signing.hpp"
#include "exchange/exchange_connector.hpp"
#include "exchange/net/http_transport.hpp"
#include "exchange/net/rate_limiter.hpp"
#include "exchange/server_clock.hpp"

namespace cephalo::exchange {

struct BinanceConfig {
  std::string api_key;
  std::string api_secret;  // HMAC keys: from the environment via *_env keys; never logged
  // Ed25519 / RSA keys: the private key (exchange.private_key_file); replaces api_secret.
  std::optional<PrivateKey> private_key;
  int64_t recv_window_ms = 5000;
  RateLimitConfig rate_limit;
  // selfTradePreventionMode sent with every order (enums.md "STP Modes"); empty: the symbol's
  // default (EXPIRE_MAKER on Binance today).
  std::string self_trade_prevention;
};

// A WebSocket API request as JSON text, for the user data stream (user_data_stream.hpp).
struct WsApiRequest {
  std::string id;
  std::string json;
};

class BinanceConnector final : public ExchangeConnector {
 public:
  BinanceConnector(BinanceConfig config, std::shared_ptr<HttpTransport> transport,
                   const MillisClock& clock = system_millis_clock());

  VenueResult<int64_t> server_time_ms() override;
  VenueResult<ExchangeInfo> exchange_info(const std::vector<std::string>& symbols) override;
  VenueResult<VenueOrder> place_order(const OrderRequest& request) override;
  VenueResult<bool> test_order(const OrderRequest& request) override;
  VenueResult<VenueOrder> cancel_order(const std::string& symbol,
                                       const std::string& client_order_id) override;
  VenueResult<VenueOrder> query_order(const std::string& symbol,
                                      const std::string& client_order_id) override;
  VenueResult<std::vector<VenueOrder>> open_orders(const std::string& symbol) override;
  VenueResult<AccountInfo> account() override;
  VenueResult<std::vector<Balance>> balances() override;
  VenueResult<std::vector<VenueTrade>> trades(const std::string& symbol,
                                              int64_t from_trade_id) override;
  VenueResult<std::vector<VenueTrade>> order_trades(const std::string& symbol,
                                                    int64_t venue_order_id) override;
  VenueResult<std::vector<KlineBar>> klines(const std::string& symbol, const std::string& interval,
                                            int64_t start_ms, int64_t end_ms, int limit) override;
  // referencePrice when the symbol has a non-null one, else avgPrice (filters.md); weight 2 + 2.
  VenueResult<FilterPrice> filter_price(const std::string& symbol) override;

  // The WebSocket API requests that start the user data stream on a fresh connection, signed now
  // (web-socket-api.md "User Data Stream requests"): HMAC and RSA keys send one
  // userDataStream.subscribe.signature; Ed25519 keys log the session on (session.logon) and then
  // send userDataStream.subscribe. Ids are `prefix` + "-logon" / "-subscribe".
  std::vector<WsApiRequest> user_stream_subscription(const std::string& id_prefix);
  ApiKeyType key_type() const { return signer_->key_type(); }
  // At start-up: wait (calling `on_wait` with the reason, then sleeping) instead of refusing when
  // the request-weight window is spent or the venue asked to back off; false: refuse as in
  // trading, where a late order is worse than none.
  void set_patient(bool patient, std::function<void(const std::string&)> on_wait = {});
  // exchangeInfo's rateLimits, once read: the REQUEST_WEIGHT and ORDERS limits the limiter uses.
  void apply_rate_limits(const std::vector<RateLimitRule>& rules);

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
  VenueResult<HttpResponse> call(const Call& call, const QueryString& query);
  VenueResult<HttpResponse> call_once(const Call& call, const QueryString& query);
  Status sync_time();

  BinanceConfig config_;
  std::shared_ptr<HttpTransport> transport_;
  ServerClock clock_;
  RateLimiter limiter_;
  std::mutex signer_mutex_;
  std::unique_ptr<RequestSigner> signer_;
  std::atomic<bool> patient_{false};
  std::function<void(const std::string&)> on_wait_;
};

}  // namespace cephalo::exchange
