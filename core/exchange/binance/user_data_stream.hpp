// The account's user data stream over Binance's WebSocket API (user-data-stream.md; listenKeys
// are retired since 2026-02-20): one connection to the WebSocket API, a signed subscription on
// every (re)connect (userDataStream.subscribe.signature, or session.logon + userDataStream.subscribe
// for Ed25519 keys), a fresh subscription when the venue ends one (eventStreamTerminated), a new
// connection on serverShutdown, and executionReport / outboundAccountPosition parsed for the
// executor and the portfolio. Every subscription after the first one follows a gap in which
// events may have been lost: the owner is told, to re-read orders, fills and balances over REST.
// Thread-safety: start()/stop() from the owning thread; callbacks run on the stream's thread
// (post them into the event loop).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exchange/binance/binance_connector.hpp"
#include "exchange/net/websocket_client.hpp"

namespace cephalo::exchange {

struct UserDataConfig {
  // The WebSocket API endpoint, e.g. "wss://ws-api.binance.com:443/ws-api/v3" or
  // "ws://127.0.0.1:9000/ws-api/v3" (the simulator).
  std::string ws_api_url;
  // How long start() waits for the first subscription's answer.
  std::chrono::milliseconds subscribe_timeout{10'000};
  WebSocketOptions websocket;  // staleness stays 0: an idle account sends nothing for hours
};

class UserDataStream {
 public:
  using ReportHandler = std::function<void(const ExecutionReport&)>;
  using BalanceHandler = std::function<void(const AccountPosition&)>;
  using ProblemHandler = std::function<void(const std::string& problem)>;
  // A subscription is active again after a gap (reconnect or termination): `why` says which.
  using ResubscribedHandler = std::function<void(const std::string& why)>;
  using HealthHandler = WebSocketClient::HealthHandler;
  // Signed requests that start a subscription on a fresh connection (BinanceConnector::
  // user_stream_subscription), made anew each time so the timestamp is current.
  using SubscriptionRequests = std::function<std::vector<WsApiRequest>(const std::string& prefix)>;

  UserDataStream(UserDataConfig config, SubscriptionRequests requests, ReportHandler on_report,
                 BalanceHandler on_balances, ProblemHandler on_problem,
                 ResubscribedHandler on_resubscribed = {}, HealthHandler on_health = {});
  ~UserDataStream();
  UserDataStream(const UserDataStream&) = delete;
  UserDataStream& operator=(const UserDataStream&) = delete;

  // Connects and waits for the first subscription's answer: a refusal (a wrong key, a key
  // without USER_STREAM permission) or no answer in time is returned, since without the stream
  // no order update arrives.
  Status start();
  void stop();
  int64_t subscriptions() const;  // successful subscriptions so far
  int64_t terminations() const;   // eventStreamTerminated events seen

 private:
  void on_message(std::string_view message);
  void on_health(const StreamHealthEvent& event);
  void subscribe(const std::string& why);

  UserDataConfig config_;
  SubscriptionRequests requests_;
  ReportHandler on_report_;
  BalanceHandler on_balances_;
  ProblemHandler on_problem_;
  ResubscribedHandler on_resubscribed_;
  HealthHandler on_health_;
  std::unique_ptr<WebSocketClient> socket_;

  mutable std::mutex mutex_;
  std::condition_variable answered_;
  std::optional<Status> first_answer_;
  int64_t request_counter_ = 0;
  std::string pending_subscribe_id_;  // the subscribe request awaiting its answer
  std::string pending_why_;
  int64_t subscriptions_ = 0;
  int64_t terminations_ = 0;
  int refusals_in_a_row_ = 0;  // a refused re-subscription is tried again, 1 s, 2 s, ... 60 s later
};

}  // namespace cephalo::exchange
