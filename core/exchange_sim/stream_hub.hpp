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
};

// "/ws/ethbtc@trade" (raw) or "/stream?streams=ethbtc@trade/ethbtc@kline_5m" (combined);
// nullopt for any other target.
std::optional<Subscription> parse_stream_target(std::string_view target);

// One WebSocket connection as the hub sees it.
class StreamSubscriber {
 public:
  virtual ~StreamSubscriber() = default;
  virtual void send_text(std::shared_ptr<const std::string> text) = 0;
  virtual void drop() = 0;  // close the TCP socket at once, with no close frame
  virtual const Subscription& subscription() const = 0;
};

class StreamHub {
 public:
  void add(std::weak_ptr<StreamSubscriber> subscriber);
  void publish(const std::string& stream, const nlohmann::json& data);
  void drop_all();
  size_t connections();

 private:
  void forget_closed();
  std::vector<std::weak_ptr<StreamSubscriber>> subscribers_;
};

}  // namespace cephalo::exchange_sim
