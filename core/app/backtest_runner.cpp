// run_backtest: the run_bot stages over prepared libraries and feeds.
// Thread-safety: see backtest_runner.hpp.
#include "backtest_runner.hpp"

#include "host/crash_recorder.hpp"
#include "host/private_copy.hpp"
#include "pipeline_plan.hpp"

namespace cephalo {

namespace {

// Whether the run's feeds are the ones prepared (same order, market and candle length), so the
// run replays what its config names.
Status check_feeds(const Config& config, const RunFeeds& prepared) {
  const bool same_count = config.feeds.size() == prepared.feeds.size();
  for (size_t i = 0; same_count && i < config.feeds.size(); ++i) {
    const FeedConfig& feed = config.feeds[i];
    if (feed.symbol != prepared.feeds[i].symbol || feed.timeframe != prepared.feeds[i].timeframe) {
      return Error{feed.where.to_string() + ": feed " + feed.symbol + " " + feed.timeframe +
                   " is not the prepared feed " + prepared.feeds[i].symbol + " " +
                   prepared.feeds[i].timeframe + " (prepare the backtest with this config)"};
    }
  }
  if (!same_count) {
    return Error{"the config has " + std::to_string(config.feeds.size()) +
                 " feeds, the prepared backtest " + std::to_string(prepared.feeds.size()) +
                 " (prepare the backtest with this config)"};
  }
  return Ok{};
}

}  // namespace

Result<PreparedBacktest> prepare_backtest(const Config& config, const TentacleFolders& folders,
                                          std::shared_ptr<spdlog::logger> logger) {
  const TentacleFolders used_folders = tentacle_folders_for(config, folders);
  PreparedBacktest prepared;
  prepared.libraries =
      load_pipeline_libraries(config, used_folders, default_private_copy_folder(),
                              read_crash_log(crash_log_path(used_folders.user)), *logger);
  auto feeds = load_run_feeds(config, *logger);
  if (!feeds.ok()) return Error{feeds.error()};
  prepared.feeds = std::move(feeds.value());
  prepared.logger = std::move(logger);
  return prepared;
}

Result<RunSummary> run_backtest(const RunPlan& plan) {
  if (plan.config == nullptr || plan.prepared == nullptr) {
    return Error{"run_backtest: the plan needs a config and a prepared backtest"};
  }
  const Config& config = *plan.config;
  if (config.mode != RunMode::kBacktest) {
    return Error{"run_backtest: the config's mode is " + mode_text(config.mode) +
                 ", expected backtest"};
  }
  if (Status same = check_feeds(config, plan.prepared->feeds); !same.ok()) {
    return Error{same.error()};
  }
  BotOptions options;
  options.logger = plan.prepared->logger;
  options.config_text = plan.config_text;
  options.handle_signals = plan.handle_signals;
  options.progress = plan.progress;
  return run_bot(config, options,
                 RunInputs{&plan.prepared->libraries, &plan.prepared->feeds, plan.store});
}

}  // namespace cephalo
