// The cache key the bars-cache fuzz target decodes with, and its seeds were written with.
// Thread-safety: constants.
#pragma once

#include "data/ohlcv_cache_file.hpp"

namespace cephalo::fuzz {

inline CacheKey bars_cache_key() {
  CacheKey key;
  key.source_path = "/fuzz/data/ETH_BTC-5m.csv";
  key.interval_ms = 300'000;
  key.policy = BadRowPolicy::kSkip;
  key.stamp = SourceStamp{4096, 1'700'000'000'000'000'000, 0x5eed};
  return key;
}

}  // namespace cephalo::fuzz
