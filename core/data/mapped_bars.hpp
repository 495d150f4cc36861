// MappedBars: loaded candles and their gaps as read-only spans, mapped from a cache file or owned.
// Thread-safety: immutable after construction; safe to read from many threads; move only (a
// check running ahead of the reader is joined before the mapping goes).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "data/bars_verifier.hpp"
#include "data/mapped_file.hpp"
#include "data/ohlcv_bar.hpp"
#include "data/ohlcv_load_result.hpp"

namespace cephalo {

// A backtest over 10M bars reads them through bars() straight from the page cache: the process
// holds at most the mapped file, never a second heap copy. Freshly parsed bars (while their cache
// file is written in the background, or when none could be written) are served from memory
// through the same interface, shared read-only with the cache writer rather than copied.
class MappedBars {
 public:
  MappedBars() = default;
  // Views into `file`; both spans must lie inside it.
  MappedBars(MappedFile file, std::span<const OhlcvBar> bars, std::span<const GapInfo> gaps);
  // The same, with the bars still being checked against `block_hashes` on another thread: read
  // them only up to wait_checked().
  MappedBars(MappedFile file, std::span<const OhlcvBar> bars, std::span<const GapInfo> gaps,
             std::vector<uint64_t> block_hashes);
  MappedBars(std::vector<OhlcvBar> bars, std::vector<GapInfo> gaps);
  // Shares vectors that no one may modify any more (e.g. with a cache writer thread).
  MappedBars(std::shared_ptr<const std::vector<OhlcvBar>> bars,
             std::shared_ptr<const std::vector<GapInfo>> gaps);
  MappedBars(MappedBars&& other) noexcept;
  MappedBars& operator=(MappedBars&& other) noexcept;
  MappedBars(const MappedBars&) = delete;
  MappedBars& operator=(const MappedBars&) = delete;
  ~MappedBars();

  std::span<const OhlcvBar> bars() const { return bars_; }
  std::span<const GapInfo> gaps() const { return gaps_; }
  bool is_mapped() const { return !file_.empty(); }
  // How many bars from the start are known good once bar `index` is: > index, or <= index when
  // the check ahead of the reader found the block holding bar `index` corrupt. Waits for that
  // check when one is running; bars() is all checked otherwise.
  size_t wait_checked(size_t index) const {
    return verifier_ ? verifier_->wait_checked(index) : bars_.size();
  }

 private:
  MappedFile file_;
  // Moving a shared_ptr keeps the vector where it is, so the spans stay valid across moves.
  std::shared_ptr<const std::vector<OhlcvBar>> owned_bars_;
  std::shared_ptr<const std::vector<GapInfo>> owned_gaps_;
  std::span<const OhlcvBar> bars_;
  std::span<const GapInfo> gaps_;
  // Declared after file_, so it is destroyed (its thread joined) before the mapping goes.
  std::unique_ptr<BarsVerifier> verifier_;
};

}  // namespace cephalo
