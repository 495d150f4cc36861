// The loop body: ingest an event, dispatch it, then drain what it caused before taking the next.
// Thread-safety: see event_loop.hpp.
#include "events/event_loop.hpp"

#include <boost/asio/post.hpp>

namespace cephalo {

namespace {
// Events taken from a replay source per slice before posted tasks get a turn: large enough that
// the io_context costs nothing per event, small enough that a command waits microseconds.
constexpr int kReplaySlice = 4096;
}  // namespace

EventLoop::EventLoop(Clock& clock) : clock_(clock) {}

void EventLoop::emit(EventPayload payload) {
  Event event;
  event.exchange_time_ns = current_time_ns_;
  event.receive_time_ns = current_receive_ns_;
  event.payload = std::move(payload);
  derived_.push_back(std::move(event));
}

void EventLoop::post(std::function<void()> task) { boost::asio::post(io_, std::move(task)); }

void EventLoop::post_event(Event event) {
  event.receive_time_ns = clock_.now_ns();
  boost::asio::post(io_, [this, event = std::move(event)]() mutable { ingest(event); });
}

void EventLoop::stop() {
  stop_requested_.store(true);
  boost::asio::post(io_, [this] {
    work_.reset();
    io_.stop();
  });
}

void EventLoop::ingest(Event& event) {
  event.sequence = next_sequence_++;
  current_time_ns_ = event.exchange_time_ns;
  current_receive_ns_ = event.receive_time_ns;
  clock_.advance_to(event.exchange_time_ns);
  ++dispatched_;
  if (dispatcher_) dispatcher_(event);
  while (!derived_.empty()) {
    Event derived = std::move(derived_.front());
    derived_.pop_front();
    derived.sequence = next_sequence_++;
    ++dispatched_;
    if (dispatcher_) dispatcher_(derived);
  }
}

void EventLoop::pump(EventSource* source, bool until_stopped) {
  Event event;
  for (int i = 0; i < kReplaySlice; ++i) {
    if (stop_requested_.load(std::memory_order_relaxed)) return;
    if (!source->next(event)) {
      if (!until_stopped) {
        work_.reset();
        io_.stop();
      }
      return;
    }
    ingest(event);
  }
  boost::asio::post(io_, [this, source, until_stopped] { pump(source, until_stopped); });
}

void EventLoop::run(EventSource* source, bool until_stopped) {
  io_.restart();
  work_.emplace(io_.get_executor());
  if (source != nullptr) {
    boost::asio::post(io_, [this, source, until_stopped] { pump(source, until_stopped); });
  } else if (!until_stopped) {
    work_.reset();
  }
  io_.run();
  // Tasks posted before the stop still run, so no command is dropped silently.
  io_.restart();
  io_.poll();
  work_.reset();
}

}  // namespace cephalo
