// Binance spot as a VenueConnection: the REST connector (signing with HMAC, Ed25519 or RSA
// keys), the kline streams with REST fallback, and the WebSocket API user data stream; the URLs
// of exchange.environment unless the config gives its own (a simulator, a proxy).
// Thread-safety: see venue_connection.hpp.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/key_signature.hpp"
#include "exchange/binance/binance_connector.hpp"
#include "exchange/binance/binance_endpoints.hpp"
#include "exchange/binance/market_data_handler.hpp"
#include "exchange/binance/user_data_stream.hpp"
#include "exchange/registry/exchange_registry.hpp"

namespace cephalo::exchange {

namespace {

// The three URLs of a run: the environment's (exchange.environment), unless given.
struct VenueUrls {
  std::string rest, streams, ws_api;
};
VenueUrls venue_urls(const ExchangeConfig& exchange) {
  // The schema admits only known environments.
  const BinanceEndpoints defaults =
      binance_endpoints(exchange.environment).value_or(*binance_endpoints("live"));
  VenueUrls urls{exchange.base_url.empty() ? defaults.rest : exchange.base_url,
                 exchange.ws_url.empty() ? defaults.streams : exchange.ws_url,
                 exchange.ws_api_url};
  // A venue given by its own stream URL (a simulator, a proxy) serves the WebSocket API beside
  // it, at Binance's path.
  if (urls.ws_api.empty()) {
    urls.ws_api = exchange.ws_url.empty() ? std::string(defaults.ws_api) : exchange.ws_url + "/ws-api/v3";
  }
  return urls;
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) return Error{"cannot read " + path.string()};
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class MarketStream final : public LiveStream {
 public:
  explicit MarketStream(std::unique_ptr<MarketDataHandler> handler) : handler_(std::move(handler)) {}
  Status start() override { return handler_->start(); }
  void stop() override { handler_->stop(); }
  int64_t caught_up_at_start() const override { return handler_->caught_up_at_start(); }

 private:
  std::unique_ptr<MarketDataHandler> handler_;
};

class UserStream final : public LiveStream {
 public:
  explicit UserStream(std::unique_ptr<UserDataStream> stream) : stream_(std::move(stream)) {}
  Status start() override { return stream_->start(); }
  void stop() override { stream_->stop(); }

 private:
  std::unique_ptr<UserDataStream> stream_;
};

class BinanceVenue final : public VenueConnection {
 public:
  BinanceVenue(BinanceConfig config, std::shared_ptr<HttpTransport> transport, VenueUrls urls,
               std::string ca_file)
      : connector_(std::move(config), std::move(transport)),
        urls_(std::move(urls)),
        ca_file_(std::move(ca_file)) {}

  ExchangeConnector& connector() override { return connector_; }
  void set_patient(bool patient, std::function<void(const std::string&)> on_wait) override {
    connector_.set_patient(patient, std::move(on_wait));
  }
  std::string rest_url() const override { return urls_.rest; }
  std::string stream_url() const override { return urls_.streams; }
  std::string user_stream_description() const override {
    return "over the WebSocket API (" + urls_.ws_api + ")";
  }

  std::unique_ptr<LiveStream> market_stream(MarketStreamSettings settings, CandleHandler on_candle,
                                            MarketHealthHandler on_health) override {
    MarketDataConfig config;
    config.ws_base_url = urls_.streams;
    config.websocket.ca_file = ca_file_;
    config.feeds = std::move(settings.feeds);
    config.staleness = settings.staleness;
    config.poll_interval = settings.poll_interval;
    return std::make_unique<MarketStream>(std::make_unique<MarketDataHandler>(
        std::move(config), connector_, std::move(on_candle), std::move(on_health)));
  }

  std::unique_ptr<LiveStream> user_stream(UserStreamHandlers handlers) override {
    UserDataConfig config;
    config.ws_api_url = urls_.ws_api;
    config.websocket.ca_file = ca_file_;
    auto on_health = std::move(handlers.on_health);
    return std::make_unique<UserStream>(std::make_unique<UserDataStream>(
        config,
        [this](const std::string& prefix) { return connector_.user_stream_subscription(prefix); },
        std::move(handlers.on_report), std::move(handlers.on_balances),
        std::move(handlers.on_problem), std::move(handlers.on_resubscribed),
        [on_health](const StreamHealthEvent& health) {
          if (!on_health) return;
          on_health(health.kind == StreamHealthKind::kConnected, stream_health_name(health.kind),
                    health.detail);
        }));
  }

 private:
  BinanceConnector connector_;
  VenueUrls urls_;
  std::string ca_file_;
};

}  // namespace

Result<std::unique_ptr<VenueConnection>> open_binance_venue(const VenueSetup& setup) {
  const ExchangeConfig& exchange = setup.exchange;
  const VenueUrls urls = venue_urls(exchange);
  HttpOptions http_options;
  http_options.ca_file = exchange.ca_file.string();
  auto transport = BeastHttpTransport::open(urls.rest, http_options);
  if (!transport.ok()) return Error{"exchange.base_url: " + transport.error()};
  BinanceConfig binance;
  binance.api_key = exchange.api_key.reveal();
  binance.api_secret = exchange.api_secret.reveal();
  if (!exchange.private_key_file.empty()) {
    auto pem = read_text_file(exchange.private_key_file);
    if (!pem) return Error{"exchange.private_key_file: " + pem.error()};
    auto key = PrivateKey::from_pem(*pem);
    if (!key) {
      return Error{"exchange.private_key_file " + exchange.private_key_file.string() + ": " +
                   key.error() + "; expected the unencrypted PKCS#8 PEM private key of an Ed25519 "
                   "or RSA API key"};
    }
    if (setup.note) {
      setup.note("live: signing with the " + std::string(key_algorithm_name(key->algorithm())) +
                 " key in " + exchange.private_key_file.string());
    }
    binance.private_key = std::move(key).value();
  } else if (binance.api_secret.empty()) {
    return Error{"live trading needs the API secret: set exchange.api_secret_env to the name of "
                 "a variable holding an HMAC key's secret, or exchange.private_key_file to an "
                 "Ed25519/RSA key's PEM file"};
  }
  binance.recv_window_ms = exchange.recv_window_ms;
  binance.rate_limit.weight_budget_per_minute = exchange.weight_budget_per_minute;
  if (exchange.self_trade_prevention != "default") {
    binance.self_trade_prevention = exchange.self_trade_prevention;
  }
  return std::unique_ptr<VenueConnection>(std::make_unique<BinanceVenue>(
      std::move(binance), std::shared_ptr<HttpTransport>(std::move(transport).value()), urls,
      exchange.ca_file.string()));
}

}  // namespace cephalo::exchange
