// A local Binance spot look-alike for testing connectors: REST + WebSocket on 127.0.0.1 over
// Boost.Beast, a matching engine driven by replayed real candles, and switchable faults.
// Thread-safety: start() on any thread; run() on one thread (the simulator's only I/O thread,
// which owns all its state); stop() and port() are safe from any thread.
//
// Transport: plain HTTP/WebSocket by default; with SimConfig::tls_cert_file/tls_key_file, TLS
// (TLS 1.2+) on every connection of the port, same routes (https://, wss://).
//
// Wire protocol: the Binance spot subset in rest_router.hpp (REST) and stream_hub.hpp (streams:
// /ws/<symbol>@kline_<interval>, @trade, @bookTicker, /ws/<listenKey>, /stream?streams=a/b).
// Control endpoints for tests (not Binance): GET /sim/state, POST /sim/faults (sim_faults.hpp),
// POST /sim/advance. The replay, the fill rules and the fee are described in market_replay.hpp
// and matching_engine.hpp; amounts are exact 1e-8 units (sim_amount.hpp).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "exchange_sim/sim_config.hpp"
#include "exchange_sim/sim_venue.hpp"
#include "model/result.hpp"

namespace cephalo::exchange_sim {

class ExchangeSimulator {
 public:
  // Binds 127.0.0.1:config.port (0: a free port), loads the TLS certificate and key when
  // configured, and applies config.faults_json; nothing is served until run().
  static Result<std::unique_ptr<ExchangeSimulator>> start(SimConfig config);
  ~ExchangeSimulator();
  ExchangeSimulator(const ExchangeSimulator&) = delete;
  ExchangeSimulator& operator=(const ExchangeSimulator&) = delete;

  int port() const { return port_; }
  bool tls() const { return tls_ != nullptr; }
  // Serves until stop() (or SIGINT/SIGTERM when stop_on_signals).
  void run(bool stop_on_signals);
  void stop();

 private:
  explicit ExchangeSimulator(SimConfig config);
  void accept_next();
  void schedule_market();

  SimConfig config_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer market_timer_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // null: plain
  std::unique_ptr<SimVenue> venue_;
  int port_ = 0;
};

}  // namespace cephalo::exchange_sim
