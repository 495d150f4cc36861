// SharedLog: an append-only record log whose views share what is already frozen, so taking a view
// of a long history costs its owner a bounded amount whatever the history's length: at most
// kChunk - 1 records copied (the unfinished chunk) and kChunk - 1 pointers (the unfinished block
// of chunks), once per change. A log may keep only its latest blocks (a bounded history).
// Thread-safety: the log belongs to one thread (the loop); a view is immutable and may be read by
// any number of threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace cephalo {

template <class T>
class SharedLogView {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // 0 is the oldest record the view holds.
  const T& operator[](size_t index) const {
    const size_t per_block = chunk_ * chunk_;
    const size_t frozen = blocks_ ? blocks_->size() * per_block : 0;
    if (index < frozen) {
      const auto& block = *(*blocks_)[index / per_block];
      const size_t within = index % per_block;
      return (*block[within / chunk_])[within % chunk_];
    }
    const size_t rest = index - frozen;
    const size_t chunk = rest / chunk_;
    const size_t open = open_block_ ? open_block_->size() : 0;
    return chunk < open ? (*(*open_block_)[chunk])[rest % chunk_] : (*tail_)[rest % chunk_];
  }

 private:
  template <class, size_t>
  friend class SharedLog;
  using Chunk = std::vector<T>;
  using Block = std::vector<std::shared_ptr<const Chunk>>;
  std::shared_ptr<const std::vector<std::shared_ptr<const Block>>> blocks_;
  std::shared_ptr<const Block> open_block_;
  std::shared_ptr<const Chunk> tail_;
  size_t size_ = 0;
  size_t chunk_ = 1;
};

// kChunk: records per chunk, and chunks per block.
template <class T, size_t kChunk = 64>
class SharedLog {
  using View = SharedLogView<T>;
  using Chunk = typename View::Chunk;
  using Block = typename View::Block;
  using Blocks = std::vector<std::shared_ptr<const Block>>;

 public:
  // max_blocks: full blocks (kChunk x kChunk records each) kept; 0: all. Older ones are let go.
  explicit SharedLog(size_t max_blocks = 0)
      : max_blocks_(max_blocks), blocks_(std::make_shared<const Blocks>()) {
    tail_.reserve(kChunk);
  }

  void append(T record) {
    tail_.push_back(std::move(record));
    tail_copy_.reset();
    if (tail_.size() < kChunk) return;
    open_block_.push_back(std::make_shared<const Chunk>(std::move(tail_)));
    tail_ = {};
    tail_.reserve(kChunk);
    open_copy_.reset();
    if (open_block_.size() < kChunk) return;
    // A block is full: a new frozen list (rare: once per kChunk x kChunk records).
    auto blocks = std::make_shared<Blocks>(*blocks_);
    blocks->push_back(std::make_shared<const Block>(std::move(open_block_)));
    if (max_blocks_ > 0 && blocks->size() > max_blocks_) blocks->erase(blocks->begin());
    blocks_ = std::move(blocks);
    open_block_ = {};
  }
  // Records a view would hold now.
  size_t size() const {
    return (blocks_->size() * kChunk + open_block_.size()) * kChunk + tail_.size();
  }

  // Everything kept so far, frozen. The unfinished chunk and block are copied once per change,
  // so views taken without an append in between share them too.
  View view() const {
    View out;
    out.chunk_ = kChunk;
    out.size_ = size();
    out.blocks_ = blocks_;
    if (!open_copy_) open_copy_ = std::make_shared<const Block>(open_block_);
    if (!tail_copy_) tail_copy_ = std::make_shared<const Chunk>(tail_);
    out.open_block_ = open_copy_;
    out.tail_ = tail_copy_;
    return out;
  }

 private:
  size_t max_blocks_;
  std::shared_ptr<const Blocks> blocks_;
  Block open_block_;  // full chunks of the unfinished block
  Chunk tail_;        // the unfinished chunk
  // view()'s copies of open_block_ and tail_, made once per change.
  mutable std::shared_ptr<const Block> open_copy_;
  mutable std::shared_ptr<const Chunk> tail_copy_;
};

}  // namespace cephalo
