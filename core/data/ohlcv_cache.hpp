// load_ohlcv_cached: load_ohlcv through a memory-mapped binary cache, so reruns skip parsing.
// Thread-safety: reentrant; concurrent loads of one file, by threads or processes, are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/data_problem.hpp"
#include "data/mapped_bars.hpp"
#include "data/ohlcv_load_result.hpp"

namespace cephalo {

struct OhlcvCacheOptions {
  std::filesystem::path cache_dir;  // empty: default_cache_dir() (CEPHALO_CACHE_DIR, XDG, HOME)
  // Hash the bars on every hit (a few ms per million bars) so a cache file damaged on disk is
  // rebuilt rather than trusted. Off only for callers that verify some other way.
  bool verify_bars = true;
};

enum class CacheOutcome {
  kHit,        // mapped from a valid cache file; the source was not parsed
  kBuilt,      // parsed, then written to the cache (first load, or the old file did not match)
  kNotCached,  // parsed and returned from memory: the load failed, or the cache was unusable
};

// The same content as OhlcvLoadResult (bars, problems, gaps, dropped rows, ok), with the bars and
// gaps as spans over the mapped cache file, plus what the cache did and why.
struct OhlcvCachedLoad {
  MappedBars data;                    // bars() and gaps(); empty unless ok
  std::vector<DataProblem> problems;  // as load_ohlcv gives them, with the caller's path
  size_t dropped_rows = 0;
  bool ok = false;
  CacheOutcome cache = CacheOutcome::kNotCached;
  std::string cache_note;            // why it was built or not cached: "source mtime changed", ...
  std::filesystem::path cache_file;  // empty when no cache folder could be chosen
};

// Same arguments and results as load_ohlcv. Only successful loads are cached; under kSkip their
// problems and dropped-row count are stored with the bars, so a hit reports them as a parse
// would. A cache that cannot be read or written never fails the load: the file is parsed and the
// reason is in cache_note. The cache file is named by a hash of the absolute source path, the
// policy and the interval, and is rebuilt when the source's size, mtime (ns) or fingerprint
// (first and last 64 KiB) changed, or when the cache file fails any of its own checks.
OhlcvCachedLoad load_ohlcv_cached(const std::filesystem::path& file, int64_t interval_ms,
                                  BadRowPolicy policy, const OhlcvCacheOptions& options = {});

}  // namespace cephalo
