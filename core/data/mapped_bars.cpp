#include "data/mapped_bars.hpp"

#include <memory>
#include <utility>

namespace cephalo {

MappedBars::MappedBars(MappedFile file, std::span<const OhlcvBar> bars,
                       std::span<const GapInfo> gaps)
    : file_(std::move(file)), bars_(bars), gaps_(gaps) {}

MappedBars::MappedBars(MappedFile file, std::span<const OhlcvBar> bars,
                       std::span<const GapInfo> gaps, std::vector<uint64_t> block_hashes)
    : file_(std::move(file)),
      bars_(bars),
      gaps_(gaps),
      verifier_(std::make_unique<BarsVerifier>(bars, std::move(block_hashes))) {}

MappedBars::~MappedBars() = default;

MappedBars::MappedBars(std::vector<OhlcvBar> bars, std::vector<GapInfo> gaps)
    : MappedBars(std::make_shared<const std::vector<OhlcvBar>>(std::move(bars)),
                 std::make_shared<const std::vector<GapInfo>>(std::move(gaps))) {}

MappedBars::MappedBars(std::shared_ptr<const std::vector<OhlcvBar>> bars,
                       std::shared_ptr<const std::vector<GapInfo>> gaps)
    : owned_bars_(std::move(bars)), owned_gaps_(std::move(gaps)) {
  if (owned_bars_) bars_ = *owned_bars_;
  if (owned_gaps_) gaps_ = *owned_gaps_;
}

// Written out so a moved-from object is empty rather than a view of buffers it no longer owns.
MappedBars::MappedBars(MappedBars&& other) noexcept
    : file_(std::move(other.file_)),
      owned_bars_(std::move(other.owned_bars_)),
      owned_gaps_(std::move(other.owned_gaps_)),
      bars_(std::exchange(other.bars_, {})),
      gaps_(std::exchange(other.gaps_, {})),
      verifier_(std::move(other.verifier_)) {}

MappedBars& MappedBars::operator=(MappedBars&& other) noexcept {
  if (this != &other) {
    verifier_ = std::move(other.verifier_);  // joins this object's own check before its unmap
    file_ = std::move(other.file_);
    owned_bars_ = std::move(other.owned_bars_);
    owned_gaps_ = std::move(other.owned_gaps_);
    bars_ = std::exchange(other.bars_, {});
    gaps_ = std::exchange(other.gaps_, {});
  }
  return *this;
}

}  // namespace cephalo
