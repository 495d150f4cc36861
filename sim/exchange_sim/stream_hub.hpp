// WebSocket fan-out: which connection listens to which stream, and sending an event to them.
// Thread-safety: not thread-safe; used on the simulator's I/O thread only.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cephalo::exchange_sim {

// Binance stream names: "ethbtc@kline_5m", "ethbtc@trade", "ethbtc@bookTicker", or a listenKey
// for the user data stream.
struct Subscription {
  std::vector<std::string> streams;
  bool combined = false;  // /stream?streams=...: each payload is {"stream":..., "data":...}
  bool ws_api = false;    // /ws-api/v3: the WebSocket API (requests in, responses and events out)
};

// A WebSocket API connection's session (web-socket-api.md "Session Authentication", "User Data
// Stream subscription").
struct WsApiSession {
  int64_t connected_since_ms = 0;
  std::string logged_on_key;  // session.logon's API key; empty when not logged on
  int64_t authorized_since_ms = 0;
  std::vector<int64_t> subscriptions;  // active user data subscriptions (ids)
  int64_t next_subscription_id = 0;    // ids count up per connection from 0
  int64_t logon_subscription = -1;     // the one userDataStream.subscribe made (ends on logout)
};

// "/ws/ethbtc@trade" (raw), "/stream?streams=ethbtc@trade/ethbtc@kline_5m" (combined) or
// "/ws-api/v3" (the WebSocket API); nullopt for any other target.
std::optional<Subscription> parse_stream_target(std::string_view target);

// One WebSocket connection as the hub sees it.
class StreamSubscriber {
 public:
  virtual ~StreamSubscriber() = default;
  virtual void send_text(std::shared_ptr<const std::string> text) = 0;
  virtual void drop() = 0;  // close the TCP socket at once, with no close frame
  virtual const Subscription& subscription() const = 0;
  // The WebSocket API session of a /ws-api/v3 connection, else null.
  virtual WsApiSession* ws_api_session() { return nullptr; }
};

class StreamHub {
 public:
  void add(std::weak_ptr<StreamSubscriber> subscriber);
  void publish(const std::string& stream, const nlohmann::json& data);
  // A user data event to every active WebSocket API subscription, as
  // {"subscriptionId": N, "event": {...}} (user-data-stream.md).
  void publish_user_event(const nlohmann::json& event);
  // Ends every user data subscription with eventStreamTerminated (as Binance does on logout or
  // unsubscribe); returns how many ended.
  int64_t terminate_user_subscriptions(int64_t now_ms);
  // Sends serverShutdown to every WebSocket API connection (web-socket-api.md "Server Shutdown").
  void announce_shutdown(int64_t now_ms);
  void drop_all();
  size_t connections();

 private:
  void forget_closed();
  std::vector<std::weak_ptr<StreamSubscriber>> subscribers_;
};

}  // namespace cephalo::exchange_sim
