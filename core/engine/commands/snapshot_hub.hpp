// SnapshotHub: where the loop publishes snapshots and queries pick the latest one up. Nothing is
// built unless somebody asks: a query finding the latest snapshot older than `fresh_for` posts one
// build to the loop (which runs it between two events). It answers from the snapshot it has when
// that is at most `stale_for` old, and only waits for the new one (at most `patience`) when there
// is none or it is older: the loop never waits for a query, queries rarely wait for the loop, and
// a run nobody queries builds no snapshot.
// Thread-safety: fresh() and close() from any thread; publish_now() on the loop thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "engine/commands/bot_snapshot.hpp"
#include "engine/commands/snapshot_builder.hpp"
#include "events/event_loop.hpp"

namespace cephalo {

class SnapshotHub {
 public:
  SnapshotHub(EventLoop& loop, SnapshotBuilder& builder, std::chrono::milliseconds fresh_for,
              std::chrono::milliseconds stale_for, std::chrono::milliseconds patience);

  // Any thread. Null only when no snapshot was ever published and the loop did not build one
  // within `patience`.
  std::shared_ptr<const BotSnapshot> fresh();
  // Loop thread: builds and publishes one now (after a command, so its effect is visible).
  void publish_now();
  // Any thread: the loop will not build any more; waiting queries get the latest at once.
  void close();

  struct Stats {
    uint64_t builds = 0;
    int64_t longest_build_ns = 0;  // the loop's longest pause for one build
    int64_t total_build_ns = 0;
  };
  Stats stats() const;
  std::chrono::milliseconds fresh_for() const { return fresh_for_; }

 private:
  EventLoop& loop_;
  SnapshotBuilder& builder_;
  const std::chrono::milliseconds fresh_for_;
  const std::chrono::milliseconds stale_for_;
  const std::chrono::milliseconds patience_;
  mutable std::mutex mutex_;
  std::condition_variable published_;
  std::shared_ptr<const BotSnapshot> latest_;
  std::chrono::steady_clock::time_point latest_at_{};
  uint64_t publications_ = 0;
  bool refresh_posted_ = false;
  bool closed_ = false;
  Stats stats_;
};

}  // namespace cephalo
