// run_backtest: a backtest as a function call, for parameter sweeps: tentacle libraries and market
// data are loaded once (prepare_backtest) and reused by every run, which returns its report in
// memory and stores nothing unless asked.
// Thread-safety: prepare on one thread; a PreparedBacktest is then only read. Runs on one thread
// at a time (the tentacles' instances are per run, but a library's global state is not).
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot.hpp"
#include "config/config.hpp"
#include "host/catalog.hpp"
#include "pipeline_libraries.hpp"
#include "run_feeds.hpp"

namespace cephalo {

// What every run of one backtest shares; loaded once, read only afterwards.
struct PreparedBacktest {
  PipelineLibraries libraries;             // the pipeline's tentacles, by name (scanned once)
  RunFeeds feeds;                          // each feed's bars, mapped or parsed once
  std::shared_ptr<spdlog::logger> logger;  // the runs log here (set up once, not per run)
};

// Loads what `config`'s pipeline names from `folders` (with the config's own folders applied)
// and `config`'s feeds. Fails when a feed cannot be loaded. A tentacle that cannot load is not
// an error here: each run refuses or goes on without it, per run.on_tentacle_failure.
Result<PreparedBacktest> prepare_backtest(const Config& config, const TentacleFolders& folders,
                                          std::shared_ptr<spdlog::logger> logger);

struct RunPlan {
  // The run's config, mode backtest. A sweep changes tentacle parameters (or risk, fees, ...)
  // between runs; its feeds must be the prepared ones and its tentacles among those prepared.
  const Config* config = nullptr;
  const PreparedBacktest* prepared = nullptr;
  // Store the run in config.storage.path (run row, tentacle loads, journal per storage.*) and
  // put its run_id in the report, as `cephalo backtest` does. Off: no SQLite at all.
  bool store = false;
  std::string config_text;      // kept with a stored run (secrets redacted)
  bool handle_signals = false;  // SIGINT/SIGTERM stop the run after the current event
  // Called now and then with candles replayed so far and the total; for a progress bar.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// One backtest. Its report is summary.backtest (write_backtest_json renders it); two runs of the
// same plan give the same report. Fails as run_bot does, and when the plan's config is not a
// backtest or its feeds are not the prepared ones.
Result<RunSummary> run_backtest(const RunPlan& plan);

}  // namespace cephalo
