// TentacleTimers: the timers tentacles set through the host services table. Each is an event
// scheduled on the loop at its due time (TimerFired); a periodic one schedules its next when it
// fires. A timer belongs to the tentacle that set it and follows it across a hot swap.
// Thread-safety: loop thread only (the pipeline's).
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>

#include "events/event_loop.hpp"
#include "host/tentacle_instance.hpp"

namespace cephalo {

class TentacleTimers {
 public:
  explicit TentacleTimers(EventLoop& loop) : loop_(loop) {}

  // Schedules the first firing at `first_due_ns`, then every `period_ns` (0: once). Its id.
  uint64_t set(TentacleInstance& owner, int64_t first_due_ns, int64_t period_ns);
  // False when `owner` has no timer `id` (never set, already fired once, or someone else's).
  bool cancel(const TentacleInstance& owner, uint64_t id);
  // The timer's event came: schedules its next firing (periodic) or forgets it (one-shot), and
  // returns whom to tell; null when the timer was cancelled or its owner is gone (`alive` says;
  // its timers go with it).
  TentacleInstance* fire(const TimerFired& timer,
                         const std::function<bool(const TentacleInstance*)>& alive);
  // A hot swap: `from`'s timers are `to`'s from now on (their ids are part of the state handed
  // over).
  void transfer(const TentacleInstance* from, TentacleInstance* to);

 private:
  struct Timer {
    TentacleInstance* owner;
    int64_t period_ns;
    uint64_t loop_token;  // its next scheduled event, to cancel it
  };
  EventLoop& loop_;
  std::unordered_map<uint64_t, Timer> timers_;
  uint64_t next_id_ = 1;
};

}  // namespace cephalo
