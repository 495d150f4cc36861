// A run's market data: each feed's bars loaded (and resampled) once, then replayed by any number
// of runs without copying them.
// Thread-safety: load_run_feeds and finish_cache_writes on one thread; a loaded RunFeeds is read
// only, so runs on other threads may replay it (each with its own NameTable and ReplaySource).
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "data/cache_write_job.hpp"
#include "data/mapped_bars.hpp"
#include "data/ohlcv_load_result.hpp"
#include "events/replay_source.hpp"
#include "model/name_table.hpp"
#include "model/result.hpp"

namespace cephalo {

// One feed as replayed: the file's own bars (mapped from the binary cache, or parsed), or the
// candles of a higher timeframe built from them.
struct LoadedFeed {
  std::string symbol;
  std::string timeframe;
  int64_t interval_ns = 0;
  std::shared_ptr<const MappedBars> bars;  // shared read-only by every run that replays it
  // Replayed as read (not resampled): how to parse the file again if a cached block turns out
  // corrupt while a run reads it (MappedCandleFeed).
  bool as_read = false;
  std::filesystem::path file;
  int64_t source_ms = 0;
  BadRowPolicy policy = BadRowPolicy::kSkip;
};

struct RunFeeds {
  std::vector<LoadedFeed> feeds;  // in config order
  std::vector<std::string> data_warnings;
  int64_t main_interval_ns = 0;  // the first feed's candle length, for the report
  // Cache files written on other threads from freshly parsed bars (each sharing its feed's
  // bars); finish_cache_writes waits for them.
  std::vector<CacheWriteJob> cache_writes;
};

// Loads the config's feeds (none in live mode: they stream from the exchange). Each file is
// validated (bad rows per market.bad_rows) and mapped from the binary cache, so a long backtest's
// memory is the mapped file. Fails, naming the feed, when a file cannot be loaded, or in a
// backtest when a higher timeframe cannot be built; a paper run skips such a feed (logged).
Result<RunFeeds> load_run_feeds(const Config& config, spdlog::logger& log);

// Adds every feed to `source`, names interned in `names`; `log` tells of a corrupt cache block.
void replay_feeds(const RunFeeds& feeds, NameTable& names, ReplaySource& source,
                  const std::shared_ptr<spdlog::logger>& log);

// Waits for the cache writes started by the load and logs where each went (or why not).
void finish_cache_writes(RunFeeds& feeds, spdlog::logger& log);

}  // namespace cephalo
