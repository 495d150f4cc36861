// One WebSocket stream from a venue (market streams or the user data stream), kept up on its
// own thread: answers pings, reconnects with exponential backoff and jitter, reconnects
// proactively before the venue's 24 h cut, and treats a silent socket as dead.
// Thread-safety: start()/stop() from one owning thread; callbacks run on the client's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo::exchange {

enum class StreamHealthKind {
  kConnected,     // handshake done; messages will flow
  kStale,         // no message for `staleness`: the socket is closed and reopened
  kDisconnected,  // the connection failed or closed; a reconnect is scheduled
  kRotating,      // proactive reconnect before the venue's 24 h limit
};
const char* stream_health_name(StreamHealthKind kind);

struct StreamHealthEvent {
  StreamHealthKind kind = StreamHealthKind::kConnected;
  std::string detail;
  std::chrono::milliseconds next_attempt_in{0};  // for kDisconnected/kStale
};

struct WebSocketOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds staleness{0};  // 0: never stale (user data can be quiet for hours)
  std::chrono::milliseconds max_connection_age{std::chrono::hours(23) + std::chrono::minutes(30)};
  std::chrono::milliseconds backoff_initial{250};
  std::chrono::milliseconds backoff_max{30'000};
  uint64_t jitter_seed = 0;  // 0: seeded from the clock; tests fix it
  std::string ca_file;  // PEM CA bundle for wss:// instead of the system store (see HttpOptions)
};

class WebSocketClient {
 public:
  using MessageHandler = std::function<void(std::string_view message)>;
  using HealthHandler = std::function<void(const StreamHealthEvent& event)>;

  // `url`: ws://HOST:PORT/PATH or wss://HOST[:PORT]/PATH, e.g.
  // ws://127.0.0.1:9000/stream?streams=ethbtc@kline_5m/btcusdt@kline_5m
  WebSocketClient(std::string url, WebSocketOptions options, MessageHandler on_message,
                  HealthHandler on_health);
  ~WebSocketClient();  // stops
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Starts the thread; connection failures are reported through health events and retried.
  Status start();
  // Closes the socket and joins the thread; no callback runs after it returns.
  void stop();
  // Sends one text frame on the current connection (any thread; queued, in order). Dropped when
  // no connection is up: whatever a connection needs (a subscription) is sent from the health
  // handler's kConnected, which runs again after every reconnect.
  void send(std::string text);
  // Closes the current connection; the client reconnects as after any drop (serverShutdown).
  void reconnect();
  // Runs `task` on the client's thread after `delay` (dropped if the client stops first).
  void schedule(std::chrono::milliseconds delay, std::function<void()> task);

  // Exponential backoff with "equal jitter": half fixed, half random, capped.
  static std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial,
                                                 std::chrono::milliseconds max,
                                                 uint64_t random_value);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cephalo::exchange
