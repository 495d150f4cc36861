// EventLoop: the one thread that owns core state; events are dispatched in (time, sequence) order.
// Thread-safety: post/post_event/stop from any thread; everything else on the loop thread only.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_set>
#include <vector>

#include "events/clock.hpp"
#include "events/event.hpp"
#include "events/event_source.hpp"

namespace cephalo {

class EventLoop {
 public:
  using Dispatcher = std::function<void(const Event&)>;

  explicit EventLoop(Clock& clock);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void set_dispatcher(Dispatcher dispatcher) { dispatcher_ = std::move(dispatcher); }
  // Replays a source as a live market: an event is taken only once the wall clock has moved by
  // its market time since the first event, divided by `speed`. 0 (default) = no waiting.
  void set_pace(double speed) { pace_ = speed; }

  // Loop thread: an event caused by the one being dispatched (an evaluation, a signal...). It gets
  // the current event's time and the next sequence number, and is dispatched before the next
  // market event, so the order is a pure function of the inputs.
  void emit(EventPayload payload);

  // Loop thread: an event due at its exchange time (a tentacle's timer). It is dispatched before
  // the first source event with a later time; live (wall clock) a timer wakes the loop for it.
  // Events due at the same time keep the order they were scheduled in. The token cancels it.
  uint64_t schedule(Event event);
  // Loop thread: the scheduled event never comes (a cancelled timer leaves no trace).
  void cancel_scheduled(uint64_t token);

  // Any thread: run a task on the loop thread (commands from interfaces, I/O completions).
  void post(std::function<void()> task);
  // Any thread: an event from outside (a live feed). receive_time_ns is stamped on arrival.
  void post_event(Event event);
  // Any thread: finish the current event, then return from run().
  void stop();

  // Loop thread (the caller becomes it). Pulls `source` (may be null) as fast as the CPU allows,
  // in slices so that posted tasks interleave; returns when the source is drained and
  // `until_stopped` is false, or when stop() is called.
  void run(EventSource* source, bool until_stopped);

  Clock& clock() { return clock_; }
  uint64_t dispatched() const { return dispatched_; }
  bool stopping() const { return stop_requested_.load(); }
  boost::asio::io_context& io_context() { return io_; }

 private:
  void ingest(Event& event);
  // The events `event`'s dispatch emitted, and theirs, in order (out of line: most candles of a
  // replay emit nothing, and their path stays short).
  void dispatch_derived();
  void pump(EventSource* source, bool until_stopped);
  // Dispatches every scheduled event due at or before time_ns.
  void fire_scheduled(int64_t time_ns);
  void arm_wall_timer();
  // With a pace: true when `event` is due now; otherwise arms the timer to resume pumping.
  bool due(const Event& event, EventSource* source, bool until_stopped);

  Clock& clock_;
  Dispatcher dispatcher_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::deque<Event> derived_;
  double pace_ = 0;
  Event held_;            // taken from the source, waiting for its time under a pace
  bool holding_ = false;  // (one reused Event: no construction per replayed event)
  std::optional<std::pair<std::chrono::steady_clock::time_point, int64_t>> pace_origin_;
  boost::asio::steady_timer pace_timer_{io_};
  struct Scheduled {
    Event event;
    uint64_t order;
  };
  struct LaterFirst {
    bool operator()(const Scheduled& a, const Scheduled& b) const {
      if (a.event.exchange_time_ns != b.event.exchange_time_ns) {
        return a.event.exchange_time_ns > b.event.exchange_time_ns;
      }
      return a.order > b.order;
    }
  };
  std::priority_queue<Scheduled, std::vector<Scheduled>, LaterFirst> scheduled_;
  uint64_t scheduled_count_ = 0;
  std::unordered_set<uint64_t> cancelled_;  // tokens still in scheduled_ that must not fire
  boost::asio::steady_timer wall_timer_{io_};
  uint64_t next_sequence_ = 1;
  int64_t current_time_ns_ = 0;
  int64_t current_receive_ns_ = 0;
  uint64_t dispatched_ = 0;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace cephalo
