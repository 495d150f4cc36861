// The log ring's storage.
// Thread-safety: see log_ring.hpp.
#include "engine/commands/log_ring.hpp"

#include <algorithm>
#include <chrono>

namespace cephalo {

void LogRing::sink_it_(const spdlog::details::log_msg& message) {
  if (entries_.size() >= capacity_) {
    entries_.pop_front();
    ++dropped_;
  }
  Entry entry;
  entry.line.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           message.time.time_since_epoch())
                           .count();
  const auto level_name = spdlog::level::to_string_view(message.level);
  entry.line.level.assign(level_name.data(), level_name.size());
  entry.line.text.assign(message.payload.data(), message.payload.size());
  entry.level = static_cast<int>(message.level);
  entries_.push_back(std::move(entry));
}

std::vector<LogLine> LogRing::lines(size_t limit, int min_level, uint64_t* dropped) {
  std::lock_guard lock(mutex_);
  std::vector<LogLine> out;
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < limit; ++it) {
    if (it->level >= min_level) out.push_back(it->line);
  }
  std::reverse(out.begin(), out.end());
  if (dropped != nullptr) *dropped = dropped_;
  return out;
}

}  // namespace cephalo
