// The venue's clock as seen from here: a local clock plus a measured offset, for `timestamp`.
// Thread-safety: all methods may be called from any thread (the offset is atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace cephalo::exchange {

// Milliseconds since the epoch UTC; injected so tests control time.
using MillisClock = std::function<int64_t()>;
MillisClock system_millis_clock();

class ServerClock {
 public:
  explicit ServerClock(MillisClock local) : local_(std::move(local)) {}

  // From GET /api/v3/time: the server stamped its time somewhere between our send and receive,
  // so the midpoint is the best estimate of the local time that corresponds to it.
  void observe_server_time(int64_t server_ms, int64_t local_sent_ms, int64_t local_received_ms) {
    offset_ms_.store(server_ms - (local_sent_ms + local_received_ms) / 2);
    synced_.store(true);
  }
  int64_t now_ms() const { return local_() + offset_ms_.load(); }
  int64_t local_ms() const { return local_(); }
  int64_t offset_ms() const { return offset_ms_.load(); }
  bool synced() const { return synced_.load(); }
  // After -1021 the offset is known to be wrong: the next signed request resyncs first.
  void invalidate() { synced_.store(false); }

 private:
  MillisClock local_;
  std::atomic<int64_t> offset_ms_{0};
  std::atomic<bool> synced_{false};
};

}  // namespace cephalo::exchange
