// load_ohlcv_cached: load_ohlcv through a memory-mapped binary cache, so reruns skip parsing.
// Thread-safety: reentrant, concurrent loads of a file are safe; a miss writes on a joined thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/cache_write_job.hpp"
#include "data/data_problem.hpp"
#include "data/mapped_bars.hpp"
#include "data/ohlcv_cache_file.hpp"
#include "data/ohlcv_load_result.hpp"
#include "model/result.hpp"

namespace cephalo {

struct OhlcvCacheOptions {
  std::filesystem::path cache_dir;  // empty: default_cache_dir() (CEPHALO_CACHE_DIR, XDG, HOME)
  // A hit's bars are hashed every time (a few ms per million bars), so a cache file damaged on
  // disk is rebuilt rather than trusted: before the load returns (a damaged file is rebuilt
  // then), or ahead of a reader that handles a corrupt block itself (see BarsCheck).
  BarsCheck bars_check = BarsCheck::kBeforeReturn;
};

enum class CacheOutcome {
  kHit,  // mapped from a valid cache file; the source was not parsed
  // Parsed (first load, or the old file did not match) and being written to the cache in the
  // background by `cache_write`; the bars are served from memory meanwhile. Built once that
  // write succeeded: finish_cache_write() turns a failed one into kNotCached.
  kBuilt,
  kNotCached,  // parsed and returned from memory: the load failed, or the cache was unusable
};

// The same content as OhlcvLoadResult (bars, problems, gaps, dropped rows, ok), with the bars and
// gaps as spans over the mapped cache file (a hit) or over the parsed bars in memory, plus what
// the cache did and why.
struct OhlcvCachedLoad {
  MappedBars data;                    // bars() and gaps(); empty unless ok
  std::vector<DataProblem> problems;  // as load_ohlcv gives them, with the caller's path
  size_t dropped_rows = 0;
  bool ok = false;
  CacheOutcome cache = CacheOutcome::kNotCached;
  std::string cache_note;            // why it was built or not cached: "source mtime changed", ...
  std::filesystem::path cache_file;  // empty when no cache folder could be chosen
  // kBuilt: the cache file being written, sharing data's bars read-only. Destroying the result
  // (or the job, once moved out) joins it; move it out to keep the write running meanwhile.
  CacheWriteJob cache_write;

  // Waits for cache_write, if one was started (else Ok), and returns its status. If it failed,
  // cache becomes kNotCached and cache_note the reason ("cannot create the cache folder ...").
  Status finish_cache_write();
};

// Same arguments and results as load_ohlcv. Only successful loads are cached; under kSkip their
// problems and dropped-row count are stored with the bars, so a hit reports them as a parse
// would. A hit is mapped and its bars hashed as options.bars_check says. On a miss the parsed
// bars are returned at once and the cache file is written on another thread (cache_write), so a
// first run overlaps the write with its replay. A cache that cannot be read or written never fails
// the load: the file is parsed and the reason is in cache_note (or in cache_write's status). The
// cache file is named by a hash of the absolute source path, the policy and the interval, and is
// rebuilt when the source's size, mtime (ns) or fingerprint (first and last 64 KiB) changed, or
// when the cache file fails any of its own checks.
OhlcvCachedLoad load_ohlcv_cached(const std::filesystem::path& file, int64_t interval_ms,
                                  BadRowPolicy policy, const OhlcvCacheOptions& options = {});

}  // namespace cephalo
