// CandleRing: the latest N candles of one series, oldest first, in storage allocated once.
// Thread-safety: a plain value; single-threaded use.
#pragma once

#include <cstddef>
#include <iterator>
#include <vector>

#include "model/market.hpp"

namespace cephalo {

// The core keeps every series' recent candles for warm-ups and the candle_history ABI. A deque
// capped by push_back + pop_front allocates and frees a block every few candles on the hot path;
// the ring overwrites its oldest candle instead and never allocates once it is full.
class CandleRing {
 public:
  explicit CandleRing(size_t capacity = 1) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Appends; once capacity() candles are held, the oldest leaves.
  void push_back(const Candle& candle) {
    if (candles_.size() < capacity_) {
      candles_.push_back(candle);
      return;
    }
    candles_[oldest_] = candle;
    oldest_ = oldest_ + 1 == capacity_ ? 0 : oldest_ + 1;
  }

  size_t size() const { return candles_.size(); }
  bool empty() const { return candles_.empty(); }
  size_t capacity() const { return capacity_; }
  // i = 0 is the oldest candle held.
  const Candle& operator[](size_t i) const {
    const size_t slot = oldest_ + i;
    return candles_[slot < candles_.size() ? slot : slot - candles_.size()];
  }
  const Candle& back() const { return (*this)[candles_.size() - 1]; }

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Candle;
    using difference_type = std::ptrdiff_t;
    using pointer = const Candle*;
    using reference = const Candle&;

    const_iterator(const CandleRing* ring, size_t index) : ring_(ring), index_(index) {}
    reference operator*() const { return (*ring_)[index_]; }
    pointer operator->() const { return &(*ring_)[index_]; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }
    bool operator!=(const const_iterator& other) const { return index_ != other.index_; }

   private:
    const CandleRing* ring_;
    size_t index_;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, candles_.size()}; }

 private:
  size_t capacity_;
  size_t oldest_ = 0;  // storage index of the oldest candle once full
  std::vector<Candle> candles_;
};

}  // namespace cephalo
