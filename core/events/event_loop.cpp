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

uint64_t EventLoop::schedule(Event event) {
  const uint64_t token = scheduled_count_++;
  scheduled_.push(Scheduled{std::move(event), token});
  arm_wall_timer();
  return token;
}

void EventLoop::cancel_scheduled(uint64_t token) {
  cancelled_.insert(token);
}

void EventLoop::fire_scheduled(int64_t time_ns) {
  while (!scheduled_.empty() && scheduled_.top().event.exchange_time_ns <= time_ns) {
    Event event = scheduled_.top().event;
    const uint64_t token = scheduled_.top().order;
    scheduled_.pop();
    if (cancelled_.erase(token) > 0) continue;
    ingest(event);
  }
}

void EventLoop::arm_wall_timer() {
  // Replays fire scheduled events from pump(), on the data's time; only the wall clock needs a
  // real timer (live, or an idle loop waiting for posted events).
  if (clock_.simulated() || scheduled_.empty()) return;
  const int64_t wait_ns = scheduled_.top().event.exchange_time_ns - clock_.now_ns();
  wall_timer_.expires_after(std::chrono::nanoseconds(std::max<int64_t>(0, wait_ns)));
  wall_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    fire_scheduled(clock_.now_ns());
    arm_wall_timer();
  });
}

void EventLoop::post(std::function<void()> task) {
  boost::asio::post(io_, std::move(task));
}

void EventLoop::post_event(Event event) {
  event.receive_time_ns = clock_.now_ns();
  boost::asio::post(io_, [this, event = std::move(event)]() mutable {
    if (!scheduled_.empty()) fire_scheduled(event.exchange_time_ns);
    ingest(event);
  });
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
  if (!derived_.empty()) dispatch_derived();
}

void EventLoop::dispatch_derived() {
  while (!derived_.empty()) {
    Event derived = std::move(derived_.front());
    derived_.pop_front();
    derived.sequence = next_sequence_++;
    ++dispatched_;
    if (dispatcher_) dispatcher_(derived);
  }
}

bool EventLoop::due(const Event& event, EventSource* source, bool until_stopped) {
  const auto now = std::chrono::steady_clock::now();
  if (!pace_origin_) pace_origin_.emplace(now, event.exchange_time_ns);
  const auto market_ns = static_cast<double>(event.exchange_time_ns - pace_origin_->second);
  const auto when =
      pace_origin_->first + std::chrono::nanoseconds(static_cast<int64_t>(market_ns / pace_));
  if (when <= now) return true;
  pace_timer_.expires_at(when);
  pace_timer_.async_wait([this, source, until_stopped](const boost::system::error_code& error) {
    if (!error) pump(source, until_stopped);
  });
  return false;
}

void EventLoop::pump(EventSource* source, bool until_stopped) {
  for (int i = 0; i < kReplaySlice; ++i) {
    if (stop_requested_.load(std::memory_order_relaxed)) return;
    if (!holding_) {
      if (!source->next(held_)) {
        if (!until_stopped) {
          work_.reset();
          io_.stop();
        }
        return;
      }
    }
    holding_ = true;
    if (pace_ > 0 && !due(held_, source, until_stopped)) return;
    holding_ = false;
    if (!scheduled_.empty()) fire_scheduled(held_.exchange_time_ns);
    ingest(held_);
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
