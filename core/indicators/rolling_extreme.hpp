// RollingExtreme: the highest (or lowest) of the latest N values in amortized O(1) per value.
// Thread-safety: a plain value; single-threaded use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cephalo {

// A monotonic queue: values that can never be the extreme again (an older value beaten by a
// newer one) are dropped, so the front is always the window's extreme. Each value enters and
// leaves once: amortized O(1), storage allocated once.
template <bool kHighest>
class RollingExtreme {
 public:
  explicit RollingExtreme(size_t length) : length_(length == 0 ? 1 : length), slots_(length_ + 1) {}

  void push(double x) {
    // Drop from the back what x beats (ties too: the newer copy lives longer).
    while (size_ > 0 && beats_or_ties(x, slots_[back_index()].value)) --size_;
    slots_[wrap(head_ + size_)] = Slot{index_, x};
    ++size_;
    // Drop from the front what has left the window.
    while (slots_[head_].index + length_ <= index_) {
      head_ = wrap(head_ + 1);
      --size_;
    }
    ++index_;
  }

  // Precondition: at least one push.
  double value() const { return slots_[head_].value; }

 private:
  struct Slot {
    uint64_t index = 0;
    double value = 0;
  };
  static bool beats_or_ties(double x, double y) { return kHighest ? x >= y : x <= y; }
  size_t wrap(size_t i) const { return i >= slots_.size() ? i - slots_.size() : i; }
  size_t back_index() const { return wrap(head_ + size_ - 1); }

  size_t length_;
  std::vector<Slot> slots_;  // ring; at most length_ live slots
  size_t head_ = 0;
  size_t size_ = 0;
  uint64_t index_ = 0;  // index of the next push
};

using RollingHighest = RollingExtreme<true>;
using RollingLowest = RollingExtreme<false>;

}  // namespace cephalo
