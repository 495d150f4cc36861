// Loading a run's feeds once (cache, validation, resampling) and replaying them in each run.
// Thread-safety: see run_feeds.hpp.
#include "run_feeds.hpp"

#include "data/ohlcv_cache.hpp"
#include "data/resample.hpp"
#include "data/timeframe.hpp"
#include "mapped_candle_feed.hpp"

namespace cephalo {

namespace {

constexpr int64_t kNanosPerMilli = 1'000'000;

std::string cache_origin(const OhlcvCachedLoad& loaded) {
  if (loaded.cache == CacheOutcome::kHit) return "binary cache";
  return loaded.cache_write.started() ? "parsed; writing the cache meanwhile: " + loaded.cache_note
                                      : "parsed; " + loaded.cache_note;
}

}  // namespace

Result<RunFeeds> load_run_feeds(const Config& config, spdlog::logger& log) {
  RunFeeds result;
  const BadRowPolicy policy =
      config.bad_rows == "reject" ? BadRowPolicy::kReject : BadRowPolicy::kSkip;
  // Live mode: the feeds stream from the exchange (LiveSession), no file is replayed.
  if (config.mode == RunMode::kLive) return result;
  for (const auto& feed : config.feeds) {
    const int64_t interval_ms = timeframe_to_ms(feed.timeframe);
    std::string source_timeframe = feed.source_timeframe;
    if (source_timeframe.empty()) {
      source_timeframe = timeframe_from_filename(feed.file).value_or(feed.timeframe);
    }
    const int64_t source_ms = timeframe_to_ms(source_timeframe);
    // A feed replayed as it is reads the bars in order, so their check can run ahead of it on
    // another thread; a resampled one reads them all at once, checked.
    OhlcvCacheOptions cache_options;
    if (source_ms == interval_ms) cache_options.bars_check = BarsCheck::kAheadOfReader;
    auto loaded = load_ohlcv_cached(feed.file, source_ms, policy, cache_options);
    for (const auto& problem : loaded.problems) {
      result.data_warnings.push_back(problem.to_string());
      log.warn("{}", problem.to_string());
    }
    if (!loaded.ok) {
      const std::string refusal = feed.where.to_string() + ": feed " + feed.symbol + " " +
                                  feed.timeframe + " not loaded from " + feed.file.string();
      log.error("{}", refusal);
      // A paper run without one of its feeds would trade the others (or nothing) and exit 0: it
      // refuses to start, as a backtest does.
      return Error{refusal +
                   (loaded.problems.empty() ? "" : ": " + loaded.problems.front().to_string())};
    }
    if (!loaded.data.gaps().empty()) {
      log.info("{}: {} gaps in time (missing candles are not filled)", feed.file.string(),
               loaded.data.gaps().size());
    }
    log.info("feed {} {}: {} candles from {} ({})", feed.symbol, feed.timeframe,
             loaded.data.bars().size(), feed.file.string(), cache_origin(loaded));
    if (loaded.cache_write.started()) result.cache_writes.push_back(std::move(loaded.cache_write));
    if (result.main_interval_ns == 0) result.main_interval_ns = interval_ms * kNanosPerMilli;
    LoadedFeed replayed{.symbol = feed.symbol,
                        .timeframe = feed.timeframe,
                        .interval_ns = interval_ms * kNanosPerMilli,
                        .bars = nullptr,
                        .as_read = source_ms == interval_ms,
                        .file = feed.file,
                        .source_ms = source_ms,
                        .policy = policy};
    if (replayed.as_read) {
      replayed.bars = std::make_shared<const MappedBars>(std::move(loaded.data));
      result.feeds.push_back(std::move(replayed));
      continue;
    }
    // A higher timeframe built from a lower one: buckets aligned to epoch multiples, each an
    // event when its bucket closes, so it never shows a later lower-timeframe candle early.
    auto resampled = resample(loaded.data.bars(), source_ms, interval_ms);
    if (!resampled.ok()) {
      const std::string refusal = feed.where.to_string() + ": cannot build " + feed.timeframe +
                                  " candles from " + source_timeframe + " data in " +
                                  feed.file.string() + ": " + resampled.error();
      log.error("{}", refusal);
      if (config.mode == RunMode::kBacktest) return Error{refusal};
      continue;
    }
    log.info("feed {} {}: {} candles resampled from {} {} candles", feed.symbol, feed.timeframe,
             resampled->size(), loaded.data.bars().size(), source_timeframe);
    replayed.bars = std::make_shared<const MappedBars>(
        std::make_shared<const std::vector<OhlcvBar>>(std::move(resampled.value())),
        std::make_shared<const std::vector<GapInfo>>());
    result.feeds.push_back(std::move(replayed));
  }
  return result;
}

void replay_feeds(const RunFeeds& feeds, NameTable& names, ReplaySource& source,
                  const std::shared_ptr<spdlog::logger>& log) {
  for (const LoadedFeed& feed : feeds.feeds) {
    MappedCandleFeed::Reload reload;
    if (feed.as_read) {
      reload = [log, file = feed.file, source_ms = feed.source_ms,
                policy = feed.policy](size_t first_bad_bar) {
        log->error(
            "{}: the cached candles are corrupt from bar {}; parsing the file again (the "
            "cache file is rebuilt)",
            file.string(), first_bad_bar);
        return load_ohlcv_cached(file, source_ms, policy);
      };
    }
    source.add_feed(
        std::make_unique<MappedCandleFeed>(feed.bars, names.intern(feed.symbol),
                                           names.intern(feed.timeframe), std::move(reload)),
        feed.interval_ns);
  }
}

void finish_cache_writes(RunFeeds& feeds, spdlog::logger& log) {
  for (CacheWriteJob& write : feeds.cache_writes) {
    if (Status written = write.wait(); written.ok()) {
      log.info("cache written: {}", write.file().string());
    } else {
      log.warn("cache not written: {}", written.error());
    }
  }
  feeds.cache_writes.clear();  // told once, however many runs replay the feeds
}

}  // namespace cephalo
