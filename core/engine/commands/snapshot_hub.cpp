// Publishing snapshots on demand.
// Thread-safety: see snapshot_hub.hpp.
#include "engine/commands/snapshot_hub.hpp"

#include <algorithm>

namespace cephalo {

SnapshotHub::SnapshotHub(EventLoop& loop, SnapshotBuilder& builder,
                         std::chrono::milliseconds fresh_for, std::chrono::milliseconds stale_for,
                         std::chrono::milliseconds patience)
    : loop_(loop),
      builder_(builder),
      fresh_for_(fresh_for),
      stale_for_(stale_for),
      patience_(patience) {}

std::shared_ptr<const BotSnapshot> SnapshotHub::fresh() {
  std::unique_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (latest_ && now - latest_at_ <= fresh_for_) return latest_;
  if (closed_) return latest_;
  if (!refresh_posted_) {
    refresh_posted_ = true;  // one build answers every query waiting now
    loop_.post([this] { publish_now(); });
  }
  if (latest_ && now - latest_at_ <= stale_for_) return latest_;
  const uint64_t seen = publications_;
  published_.wait_for(lock, patience_, [&] { return publications_ != seen || closed_; });
  return latest_;
}

void SnapshotHub::publish_now() {
  const auto start = std::chrono::steady_clock::now();
  std::shared_ptr<const BotSnapshot> built = builder_.build();
  const auto end = std::chrono::steady_clock::now();
  const int64_t took = std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
  {
    std::lock_guard lock(mutex_);
    latest_ = std::move(built);
    latest_at_ = end;
    ++publications_;
    refresh_posted_ = false;
    ++stats_.builds;
    stats_.total_build_ns += took;
    stats_.longest_build_ns = std::max(stats_.longest_build_ns, took);
  }
  published_.notify_all();
}

void SnapshotHub::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  published_.notify_all();
}

SnapshotHub::Stats SnapshotHub::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace cephalo
