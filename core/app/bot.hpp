// run_bot: one run of the bot from a validated Config: tentacles, feeds, loop, storage, summary.
// Thread-safety: call from one thread, which becomes the loop thread for the run.
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "host/catalog.hpp"
#include "model/problems.hpp"
#include "pipeline_libraries.hpp"
#include "report/backtest_report.hpp"
#include "run_feeds.hpp"

namespace cephalo {

struct BotOptions {
  TentacleFolders folders;  // builtin and default user folder; the config may override/extend
  std::shared_ptr<spdlog::logger> logger;
  std::string config_text;     // the merged config (secrets redacted), kept with the run
  bool handle_signals = true;  // SIGINT/SIGTERM stop the loop gracefully
  // For hot reload (paper and live): the config file and --set overrides to re-read when the
  // file changes, and where private library copies go (empty: the default temp folder).
  std::filesystem::path config_file;
  std::vector<std::string> overrides;
  std::filesystem::path copy_folder;
  // The cephalo executable, for smoke tests of new builds in a child process before a hot swap
  // (`cephalo tentacles smoke`); empty: hot swaps are not smoke-tested (in-process tests).
  std::filesystem::path smoke_binary;
  // Called now and then with candles replayed so far and the total; for a progress bar.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct RunSummary {
  uint64_t events = 0;
  uint64_t candles = 0;
  uint64_t evaluations = 0;
  uint64_t signals = 0;
  uint64_t order_intents = 0;
  uint64_t errors = 0;
  uint64_t quarantined = 0;
  std::vector<LoadReport> loads;      // every tentacle found, loaded or refused
  size_t libraries_loaded = 0;        // of those, the ones the pipeline uses, loaded
  std::vector<std::string> refusals;  // tentacles the config asked for that did not start
  std::vector<std::string> data_warnings;
  std::vector<std::string> running;  // tentacles that ran, "kind/name"
  std::string database;
  int64_t run_id = 0;  // the run's id in the database: every row it stored carries it
  double replay_seconds = 0;  // wall time of the event loop alone, for benchmarks and logs
  // Set in backtest and paper: what the reports need. With A/B slots it is the whole account (the
  // sub-accounts added up) and its extra `slots` section compares the slots.
  std::optional<BacktestInput> backtest;
  std::vector<std::string> slots;  // slot names in config order ("main" without slots)
  std::string live_slot;           // the live one at the end of the run
  // What went wrong without stopping the run: quarantines, rolled-back swaps, crashed builds
  // replaced, tentacles not started, dropped events. Also in `backtest->problems`.
  std::vector<Problem> problems;
  // Whether those make the run a failure (exit status 3): any problem does, except that
  // run.on_tentacle_failure: quarantine tolerates the tentacles' own (see problems_fail_run).
  bool problems_fail_run = false;
};

// Fails when the run cannot start (storage cannot open, no data at all, or, with
// run.on_tentacle_failure: stop, a tentacle the pipeline names cannot start). A tentacle that
// fails while running is quarantined; with `stop` the run then stops after the current event,
// with `quarantine` it goes on without it. Either way it is in `problems`.
Result<RunSummary> run_bot(const Config& config, const BotOptions& options);

// What a run may be handed ready-made instead of loading it: a backtest sweep loads its tentacles
// and data once for many runs (backtest_runner.hpp). Both must come from a config with the same
// feeds and pipeline tentacles as the run's; they are only read, and outlive the run.
struct RunInputs {
  const PipelineLibraries* libraries = nullptr;  // null: the run loads them (options.folders)
  const RunFeeds* feeds = nullptr;               // null: the run loads them
  // False: no SQLite at all (no run row, no tentacle loads, no journal, no run_id in the
  // report). Only a backtest may run unstored.
  bool store = true;
};

// run_bot with some of its inputs prepared by the caller; run_bot(config, options) prepares none.
Result<RunSummary> run_bot(const Config& config, const BotOptions& options,
                           const RunInputs& inputs);

// Whether these problems fail a run under run.on_tentacle_failure `policy` (stop | quarantine).
bool problems_fail_run(const std::vector<Problem>& problems, const std::string& policy);

}  // namespace cephalo
