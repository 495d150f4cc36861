// EventLoop: the one thread that owns core state; events are dispatched in (time, sequence) order.
// Thread-safety: post/post_event/stop from any thread; everything else on the loop thread only.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

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

  // Loop thread: an event caused by the one being dispatched (an evaluation, a signal...). It gets
  // the current event's time and the next sequence number, and is dispatched before the next
  // market event, so the order is a pure function of the inputs.
  void emit(EventPayload payload);

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
  void pump(EventSource* source, bool until_stopped);

  Clock& clock_;
  Dispatcher dispatcher_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::deque<Event> derived_;
  uint64_t next_sequence_ = 1;
  int64_t current_time_ns_ = 0;
  int64_t current_receive_ns_ = 0;
  uint64_t dispatched_ = 0;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace cephalo
