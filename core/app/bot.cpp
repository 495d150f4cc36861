// The wiring of one run: what `cephalo run` does, kept out of main so tests can drive it.
// Thread-safety: see bot.hpp.
#include "bot.hpp"

#include <boost/asio/signal_set.hpp>
#include <map>

#include "data/ohlcv_reader.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/host_context.hpp"
#include "host/pipeline.hpp"
#include "model/market.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {

namespace {

constexpr int64_t kNanosPerMilli = 1'000'000;

struct PlannedUse {
  const TentacleUse* use;
  cephalo_kind kind;
};

std::vector<PlannedUse> planned_uses(const PipelineConfig& pipeline) {
  std::vector<PlannedUse> uses;
  for (const auto& use : pipeline.evaluators) uses.push_back({&use, CEPHALO_KIND_EVALUATOR});
  for (const auto& use : pipeline.strategies) uses.push_back({&use, CEPHALO_KIND_STRATEGY});
  if (pipeline.trading_mode) {
    uses.push_back({&*pipeline.trading_mode, CEPHALO_KIND_TRADING_MODE});
  }
  for (const auto& use : pipeline.interfaces) uses.push_back({&use, CEPHALO_KIND_INTERFACE});
  return uses;
}

TentacleLoadRecord load_record(int64_t time_ns, const LoadReport& report, const std::string& sha) {
  return TentacleLoadRecord{time_ns,      report.name,
                            report.kind,  report.version,
                            report.file.string(), sha,
                            report.ok ? "loaded" : "refused", report.reason};
}

}  // namespace

Result<RunSummary> run_bot(const Config& config, const BotOptions& options) {
  auto& log = *options.logger;
  RunSummary summary;
  WallClock wall_clock;
  SimulatedClock simulated_clock;
  // Replays (backtest and, until live feeds exist, paper) run on the data's own time.
  Clock& clock = simulated_clock;

  summary.database = config.storage.path.string();
  SqliteOptions storage_options;
  storage_options.batch_size = static_cast<size_t>(config.storage.batch_size);
  storage_options.flush_interval_ms = config.storage.flush_interval_ms;
  auto opened = SqliteRepository::open(config.storage.path, storage_options);
  if (!opened.ok()) return Error{opened.error()};
  auto repository = std::move(opened.value());
  auto run_id = repository->start_run(wall_clock.now_ns(), config.mode, options.config_text);
  if (!run_id.ok()) return Error{run_id.error()};

  // Tentacles: load every package found, so a broken one is reported up front.
  TentacleFolders folders = options.folders;
  if (!config.tentacles.user_folder.empty()) folders.user = config.tentacles.user_folder;
  for (const auto& extra : config.tentacles.folders) folders.extra.push_back(extra);
  std::map<std::string, std::shared_ptr<TentacleLibrary>> libraries;
  for (const auto& entry : scan_tentacle_folders(folders)) {
    LoadReport report;
    if (entry.manifest && entry.problem.empty()) {
      auto library = TentacleLibrary::load(*entry.manifest, core_host_api());
      report = report_for(entry, library.ok() ? library.value().get() : nullptr,
                          library.ok() ? "" : library.error());
      if (library.ok()) libraries[entry.manifest->name] = library.value();
    } else {
      report = report_for(entry, nullptr, "");
    }
    if (report.ok) {
      log.info("tentacle {} {} {} loaded ({})", report.kind, report.name, report.version,
               report.origin);
    } else {
      log.error("tentacle refused: {}", report.reason);
    }
    repository->record(load_record(wall_clock.now_ns(), report,
                                   entry.manifest ? entry.manifest->sha256 : ""));
    summary.loads.push_back(std::move(report));
  }

  NameTable names;
  EventLoop loop(clock);
  Pipeline pipeline(loop, names, repository.get(), options.logger);
  for (const auto& [use, kind] : planned_uses(config.pipeline)) {
    const std::string where = use->where.to_string();
    const auto found = libraries.find(use->tentacle);
    std::string refusal;
    if (found == libraries.end()) {
      refusal = where + ": tentacle '" + use->tentacle +
                "' is not available (not installed, or refused: see `cephalo tentacles list`)";
    } else if (found->second->descriptor().kind != kind) {
      refusal = where + ": tentacle '" + use->tentacle + "' is a " +
                kind_to_string(found->second->descriptor().kind) + ", but is listed as a " +
                kind_to_string(kind);
    } else if (auto added = pipeline.add(found->second, *use); !added.ok()) {
      refusal = added.error();
    }
    if (refusal.empty()) {
      summary.running.push_back(std::string(kind_to_string(kind)) + "/" + use->tentacle);
      continue;
    }
    log.error("{} (continuing without it)", refusal);
    repository->record(TentacleLoadRecord{wall_clock.now_ns(), use->tentacle,
                                          kind_to_string(kind), "", "", "", "refused", refusal});
    summary.refusals.push_back(refusal);
  }

  // Feeds: each file validated; bad rows are skipped with a warning naming file and row.
  ReplaySource source;
  for (const auto& feed : config.feeds) {
    const int64_t interval_ms = timeframe_to_ms(feed.timeframe);
    auto loaded = load_ohlcv(feed.file, interval_ms, BadRowPolicy::kSkip);
    for (const auto& problem : loaded.problems) {
      summary.data_warnings.push_back(problem.to_string());
      log.warn("{}", problem.to_string());
    }
    if (!loaded.ok) {
      log.error("{}: feed {} {} not loaded", feed.where.to_string(), feed.symbol, feed.timeframe);
      continue;
    }
    if (!loaded.gaps.empty()) {
      log.info("{}: {} gaps in time (missing candles are not filled)", feed.file.string(),
               loaded.gaps.size());
    }
    std::vector<Candle> candles;
    candles.reserve(loaded.bars.size());
    const Name symbol = names.intern(feed.symbol);
    const Name timeframe = names.intern(feed.timeframe);
    for (const auto& bar : loaded.bars) {
      candles.push_back(Candle{symbol, timeframe, bar.open_time_ms * kNanosPerMilli, bar.open,
                               bar.high, bar.low, bar.close, bar.volume});
    }
    log.info("feed {} {}: {} candles from {}", feed.symbol, feed.timeframe, candles.size(),
             feed.file.string());
    source.add_feed(std::move(candles), interval_ms * kNanosPerMilli);
  }

  std::optional<boost::asio::signal_set> signals;
  if (options.handle_signals) {
    signals.emplace(loop.io_context(), SIGINT, SIGTERM);
    signals->async_wait([&loop, &log](const boost::system::error_code& error, int signal) {
      if (error) return;
      log.warn("signal {} received: finishing the current event and stopping", signal);
      loop.stop();
    });
  }
  loop.set_dispatcher([&pipeline](const Event& event) { pipeline.dispatch(event); });
  log.info("run {} started: mode {}, {} tentacles running, {} candles to replay", run_id.value(),
           config.mode, summary.running.size(), source.total());
  loop.run(&source, false);
  if (signals) signals->cancel();
  pipeline.shutdown();

  const auto& counts = pipeline.stats().events_by_type;
  summary.events = loop.dispatched();
  summary.candles = counts[CEPHALO_EVENT_CANDLE];
  summary.evaluations = counts[CEPHALO_EVENT_EVALUATION];
  summary.signals = counts[CEPHALO_EVENT_SIGNAL];
  summary.order_intents = counts[CEPHALO_EVENT_ORDER_INTENT];
  summary.errors = counts[CEPHALO_EVENT_ERROR];
  summary.quarantined = pipeline.stats().quarantined;

  if (auto flushed = repository->flush(); !flushed.ok()) return Error{flushed.error()};
  if (auto finished = repository->finish_run(run_id.value(), wall_clock.now_ns());
      !finished.ok()) {
    return Error{finished.error()};
  }
  return summary;
}

}  // namespace cephalo
