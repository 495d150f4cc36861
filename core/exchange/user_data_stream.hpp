// The account's user data stream: a listenKey from REST, the /ws/<listenKey> socket, the
// keepalive every 30 minutes, and executionReport / outboundAccountPosition parsed for the
// executor and the portfolio.
// Thread-safety: start()/stop() from the owning thread; callbacks run on the stream's threads
// (post them into the event loop).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "exchange/exchange_connector.hpp"
#include "exchange/websocket_client.hpp"

namespace cephalo::exchange {

struct UserDataConfig {
  std::string ws_base_url;  // "ws://127.0.0.1:9000" or "wss://stream.binance.com:9443"
  // Binance closes a listenKey after 60 minutes without a keepalive; it suggests every 30.
  std::chrono::milliseconds keepalive_interval{30 * 60 * 1000};
  WebSocketOptions websocket;  // staleness stays 0: an idle account sends nothing for hours
};

class UserDataStream {
 public:
  using ReportHandler = std::function<void(const ExecutionReport&)>;
  using BalanceHandler = std::function<void(const AccountPosition&)>;
  using ProblemHandler = std::function<void(const std::string& problem)>;
  using HealthHandler = WebSocketClient::HealthHandler;

  UserDataStream(UserDataConfig config, ExchangeConnector& rest, ReportHandler on_report,
                 BalanceHandler on_balances, ProblemHandler on_problem,
                 HealthHandler on_health = {});
  ~UserDataStream();
  UserDataStream(const UserDataStream&) = delete;
  UserDataStream& operator=(const UserDataStream&) = delete;

  // Gets the listenKey (a failure is returned: without it there are no order updates) and opens
  // the socket.
  Status start();
  void stop();
  const std::string& listen_key() const { return listen_key_; }

 private:
  void on_message(std::string_view message);
  void keepalive_loop();

  UserDataConfig config_;
  ExchangeConnector& rest_;
  ReportHandler on_report_;
  BalanceHandler on_balances_;
  ProblemHandler on_problem_;
  HealthHandler on_health_;
  std::string listen_key_;
  std::unique_ptr<WebSocketClient> socket_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread keepalive_;
};

}  // namespace cephalo::exchange
