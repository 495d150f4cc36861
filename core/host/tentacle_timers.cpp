// Thread-safety: see tentacle_timers.hpp.
#include "host/tentacle_timers.hpp"

#include <utility>

namespace cephalo {

namespace {

Event timer_event(uint64_t id, int64_t due_ns, int64_t period_ns) {
  Event event;
  event.exchange_time_ns = event.receive_time_ns = due_ns;
  event.payload = TimerFired{id, due_ns, period_ns};
  return event;
}

}  // namespace

uint64_t TentacleTimers::set(TentacleInstance& owner, int64_t first_due_ns, int64_t period_ns) {
  const uint64_t id = next_id_++;
  timers_[id] = Timer{&owner, period_ns, loop_.schedule(timer_event(id, first_due_ns, period_ns))};
  return id;
}

bool TentacleTimers::cancel(const TentacleInstance& owner, uint64_t id) {
  const auto found = timers_.find(id);
  if (found == timers_.end() || found->second.owner != &owner) return false;
  loop_.cancel_scheduled(found->second.loop_token);
  timers_.erase(found);
  return true;
}

TentacleInstance* TentacleTimers::fire(const TimerFired& timer,
                                       const std::function<bool(const TentacleInstance*)>& alive) {
  const auto found = timers_.find(timer.timer_id);
  if (found == timers_.end()) return nullptr;
  TentacleInstance* owner = found->second.owner;
  // An instance that set a timer and then went (a swap rolled back after its create) takes its
  // timers with it.
  if (!alive(owner)) {
    timers_.erase(found);
    return nullptr;
  }
  if (timer.period_ns > 0) {
    const int64_t next_due = timer.due_ns + timer.period_ns;
    found->second.loop_token =
        loop_.schedule(timer_event(timer.timer_id, next_due, timer.period_ns));
  } else {
    timers_.erase(found);
  }
  return owner;
}

void TentacleTimers::transfer(const TentacleInstance* from, TentacleInstance* to) {
  for (auto& [id, timer] : timers_) {
    if (timer.owner == from) timer.owner = to;
  }
}

}  // namespace cephalo
