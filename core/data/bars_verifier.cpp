// BarsVerifier: block hashes and the checking thread.
// Thread-safety: see bars_verifier.hpp.
#include "data/bars_verifier.hpp"

#include <algorithm>
#include <utility>

#include "data/hash64.hpp"

namespace cephalo {

namespace {

std::span<const OhlcvBar> block_of(std::span<const OhlcvBar> bars, size_t index) {
  const size_t first = index * kBarsPerCheckedBlock;
  return bars.subspan(first, std::min(kBarsPerCheckedBlock, bars.size() - first));
}

size_t block_count(size_t bars) {
  return (bars + kBarsPerCheckedBlock - 1) / kBarsPerCheckedBlock;
}

}  // namespace

uint64_t bar_block_hash(std::span<const OhlcvBar> block, size_t index) {
  return hash64(block.data(), block.size_bytes(), index);
}

std::vector<uint64_t> bar_block_hashes(std::span<const OhlcvBar> bars) {
  std::vector<uint64_t> hashes(block_count(bars.size()));
  for (size_t i = 0; i < hashes.size(); ++i) hashes[i] = bar_block_hash(block_of(bars, i), i);
  return hashes;
}

size_t first_bad_block(std::span<const OhlcvBar> bars, std::span<const uint64_t> expected) {
  for (size_t i = 0; i < expected.size(); ++i) {
    if (bar_block_hash(block_of(bars, i), i) != expected[i]) return i;
  }
  return expected.size();
}

BarsVerifier::BarsVerifier(std::span<const OhlcvBar> bars, std::vector<uint64_t> expected)
    : bars_(bars), expected_(std::move(expected)), thread_([this] { run(); }) {}

BarsVerifier::~BarsVerifier() {
  stop_.store(true, std::memory_order_relaxed);
  thread_.join();
}

void BarsVerifier::run() {
  uint64_t good = 0;
  for (size_t i = 0; i < expected_.size(); ++i) {
    if (stop_.load(std::memory_order_relaxed)) break;
    const std::span<const OhlcvBar> block = block_of(bars_, i);
    if (bar_block_hash(block, i) != expected_[i]) {
      progress_.store(good | kFailed, std::memory_order_release);
      progress_.notify_all();
      return;
    }
    good += block.size();
    progress_.store(good, std::memory_order_release);
    progress_.notify_all();
  }
}

size_t BarsVerifier::wait_checked(size_t index) const {
  uint64_t now = progress_.load(std::memory_order_acquire);
  while ((now & kFailed) == 0 && now <= index && now < bars_.size()) {
    progress_.wait(now, std::memory_order_acquire);
    now = progress_.load(std::memory_order_acquire);
  }
  return static_cast<size_t>(now & ~kFailed);
}

}  // namespace cephalo
