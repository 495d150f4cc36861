// BarsVerifier: checks a mapped cache file's bars block by block on its own thread, ahead of the
// replay that reads them, so a verified hit costs the replay neither the hashing nor the page-ins.
// Thread-safety: wait_checked() from any thread; the checking thread is owned and joined here.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <thread>
#include <vector>

#include "data/ohlcv_bar.hpp"

namespace cephalo {

// Bars per hashed block of a cache file: ~768 KiB, small enough that the first block is checked
// in well under a millisecond, large enough that the block hashes are a few KiB for 10M bars.
inline constexpr size_t kBarsPerCheckedBlock = 16384;

// The hash of block `index` (its bars, seeded with the index so swapped blocks do not match).
uint64_t bar_block_hash(std::span<const OhlcvBar> block, size_t index);
// The hashes of every block of `bars`, in order (the last block may be short).
std::vector<uint64_t> bar_block_hashes(std::span<const OhlcvBar> bars);
// The index of the first block of `bars` whose hash differs from `expected`, or expected.size().
size_t first_bad_block(std::span<const OhlcvBar> bars, std::span<const uint64_t> expected);

class BarsVerifier {
 public:
  // Starts checking `bars` (which must stay mapped until this object is destroyed) against
  // `expected` (one hash per block). Touching each page here also pages the file in on this
  // thread, so the reader finds it resident.
  BarsVerifier(std::span<const OhlcvBar> bars, std::vector<uint64_t> expected);
  ~BarsVerifier();  // stops after the current block and joins
  BarsVerifier(const BarsVerifier&) = delete;
  BarsVerifier& operator=(const BarsVerifier&) = delete;

  // Waits until bar `index` has been checked, or the check stopped at a bad block before it.
  // Returns how many bars from the start are known good: > index, or <= index when the block
  // holding bar `index` (that count's block) failed its hash.
  size_t wait_checked(size_t index) const;

 private:
  void run();

  std::span<const OhlcvBar> bars_;
  std::vector<uint64_t> expected_;
  // Bars known good, with kFailed set once a block failed (the count then stops there). One
  // atomic word, so a waiter wakes on progress and on failure alike.
  static constexpr uint64_t kFailed = uint64_t{1} << 63;
  std::atomic<uint64_t> progress_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cephalo
