// Clock: the one source of "now" for the core; simulated in backtests, the wall clock otherwise.
// Thread-safety: now_ns may be read from any thread; advance_to is called by the loop thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cephalo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ns() const = 0;
  // The loop reports each event's time before dispatching it; only a simulated clock moves.
  virtual void advance_to(int64_t event_time_ns) = 0;
  virtual bool simulated() const = 0;
};

// Time is whatever the last event said: replays run as fast as the CPU allows and stay
// deterministic because nothing reads the wall clock.
class SimulatedClock final : public Clock {
 public:
  int64_t now_ns() const override { return now_.load(std::memory_order_relaxed); }
  void advance_to(int64_t event_time_ns) override {
    if (event_time_ns > now_.load(std::memory_order_relaxed)) {
      now_.store(event_time_ns, std::memory_order_relaxed);
    }
  }
  bool simulated() const override { return true; }

 private:
  std::atomic<int64_t> now_{0};
};

class WallClock final : public Clock {
 public:
  int64_t now_ns() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void advance_to(int64_t) override {}
  bool simulated() const override { return false; }
};

}  // namespace cephalo
