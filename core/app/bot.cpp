// The wiring of one run: what `cephalo run` does, kept out of main so tests can drive it. Each
// stage has its own file (run_store, run_tentacles, run_feeds, run_accounts, run_controls,
// run_report); this one orders them and owns what lives for the whole run.
// Thread-safety: see bot.hpp.
#include "bot.hpp"

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <optional>
#include <set>

#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/crash_recorder.hpp"
#include "host/pipeline.hpp"
#include "host/private_copy.hpp"
#include "model/market.hpp"
#include "pipeline_plan.hpp"
#include "run_accounts.hpp"
#include "run_controls.hpp"
#include "run_report.hpp"
#include "run_store.hpp"
#include "run_tentacles.hpp"

namespace cephalo {

namespace {

// The config's calendar, already validated (times, days and dates parse).
TradingCalendar calendar_from(const CalendarConfig& config) {
  std::vector<TradingSession> sessions;
  for (const auto& entry : config.sessions) {
    TradingSession session;
    for (const auto& day : entry.days)
      session.days[static_cast<size_t>(*parse_weekday(day))] = true;
    session.open_minute = *parse_time_of_day(entry.open);
    session.close_minute = *parse_time_of_day(entry.close);
    sessions.push_back(session);
  }
  std::set<int64_t> holidays;
  for (const auto& date : config.holidays) holidays.insert(*parse_calendar_date(date));
  return TradingCalendar(config.utc_offset_minutes, std::move(sessions), std::move(holidays));
}

}  // namespace

bool problems_fail_run(const std::vector<Problem>& problems, const std::string& policy) {
  // The tentacles' own failures, which `quarantine` says the run may carry on through.
  static const std::set<std::string> kTolerated = {"tentacle_quarantined", "tentacle_not_started",
                                                   "swap_rolled_back", "tentacle_crashed"};
  for (const Problem& problem : problems) {
    if (policy != "quarantine" || kTolerated.count(problem.kind) == 0) return true;
  }
  return false;
}

Result<RunSummary> run_bot(const Config& config, const BotOptions& options) {
  return run_bot(config, options, RunInputs{});
}

Result<RunSummary> run_bot(const Config& config, const BotOptions& options,
                           const RunInputs& inputs) {
  auto& log = *options.logger;
  // Without storage nothing can recover a paper or live bot, so only a backtest may go without.
  if (!inputs.store && config.mode != RunMode::kBacktest) {
    return Error{"a " + mode_text(config.mode) + " run always stores its journal (storage.path)"};
  }
  // The run's latest log lines for the `logs` query, when something can ask (see run_controls):
  // a sink added before any thread of the run logs, removed after the last one ended (declared
  // first, so destroyed last).
  std::optional<LogRingAttachment> log_ring;
  RunSummary summary;
  WallClock wall_clock;
  SimulatedClock simulated_clock;
  // Replays (backtest and paper) run on the data's own time; live runs on the wall clock.
  Clock& clock = config.mode == RunMode::kLive ? static_cast<Clock&>(wall_clock) : simulated_clock;

  // 1. Storage. Null when the run is not stored: then nothing below writes a row.
  std::unique_ptr<SqliteRepository> repository;
  if (inputs.store) {
    auto opened = open_run_store(config, options, wall_clock, summary);
    if (!opened.ok()) return Error{opened.error()};
    repository = std::move(opened.value());
  }

  // 2. Tentacles: the pipeline's packages loaded, every other one only looked at (its code never
  // runs in a process that does not use it); a build that crashed a bot is not started again.
  // Loaded here unless the caller loaded them once for many runs.
  ProblemList problems;
  const bool stop_on_failure = config.run.on_tentacle_failure == "stop";
  const TentacleFolders folders = tentacle_folders_for(config, options.folders);
  const std::filesystem::path copy_folder =
      options.copy_folder.empty() ? default_private_copy_folder() : options.copy_folder;
  std::optional<PipelineLibraries> own_libraries;
  if (inputs.libraries == nullptr) {
    own_libraries = load_pipeline_libraries(config, folders, copy_folder,
                                            read_crash_log(crash_log_path(folders.user)), log);
  }
  const PipelineLibraries& loaded = inputs.libraries ? *inputs.libraries : *own_libraries;
  if (repository) {
    for (const TentacleLoadRecord& record : loaded.records) repository->record(record);
  }
  for (const Problem& problem : loaded.problems) {
    problems.add(problem.kind, problem.where, problem.message, problem.count);
  }
  summary.loads = loaded.loads;
  summary.libraries_loaded = loaded.by_name.size();

  NameTable names;
  EventLoop loop(clock);
  // A journal that cannot be written stops the run at once: it is a backtest's record and a live
  // bot's recovery source. Live, a refused record stops it too (it refuses to trade on). The
  // guard unhooks the loop before it is destroyed, waiting out a call in progress.
  const bool live_mode = config.mode == RunMode::kLive;
  if (repository) {
    repository->set_problem_listener(
        [&loop, &log, live_mode](const StorageProblems& refused, bool stopped) {
          if (!stopped && !live_mode) return;
          log.error("{}; stopping the run", refused.describe());
          loop.stop();
        });
  }
  struct ListenerGuard {
    SqliteRepository* repository;
    ~ListenerGuard() {
      if (repository != nullptr) repository->set_problem_listener({});
    }
  } listener_guard{repository.get()};
  // Without the decision journal (a backtest for its figures only) the pipeline and the paper
  // venues write nothing per event; the run, tentacle loads, quarantines and swaps are stored.
  Repository* journal = config.storage.journal_decisions ? repository.get() : nullptr;
  Pipeline pipeline(loop, names, repository.get(), options.logger);
  // A/B slots share evaluators, data and indicators; each has its own strategies, trading mode,
  // sub-account and risk engine. Without `slots:` the pipeline is the one slot.
  const std::vector<SlotConfig> slots = effective_slots(config);
  for (const auto& slot : slots) summary.slots.push_back(slot.name);
  pipeline.set_slots(summary.slots);
  pipeline.set_live_slot(static_cast<SlotIndex>(initial_live_slot(slots)));
  if (auto started = start_planned_tentacles(config, slots, loaded, pipeline, repository.get(),
                                             wall_clock, summary, problems, log);
      !started.ok()) {
    return Error{started.error()};
  }
  // Only the pipeline keeps libraries from here on, so a hot swap can really unload one (those
  // loaded once for many runs stay loaded: a backtest swaps nothing).
  own_libraries.reset();
  // The command/query set will be there (see run_controls): its log ring goes on now, while this
  // is the only thread that logs.
  const bool controllable = run_is_controllable(config, pipeline);
  if (controllable) log_ring.emplace(options.logger);

  // 3. Feeds: loaded here (see load_run_feeds) unless the caller loaded them once for many runs.
  // A file parsed because its cache was missing or stale is replayed from memory while its cache
  // file is written on another thread; those writes are waited for after the run.
  std::optional<RunFeeds> own_feeds;
  if (inputs.feeds == nullptr) {
    auto feeds_loaded = load_run_feeds(config, log);
    if (!feeds_loaded.ok()) return Error{feeds_loaded.error()};
    own_feeds = std::move(feeds_loaded.value());
  }
  const RunFeeds& feeds = inputs.feeds ? *inputs.feeds : *own_feeds;
  summary.data_warnings = feeds.data_warnings;
  ReplaySource source;
  replay_feeds(feeds, names, source, options.logger);

  // 4. Accounts: one sub-account and one risk engine per slot.
  RunAccounts accounts;
  const uint64_t per_pair = config.feeds.empty() ? 0 : source.total() / config.feeds.size();
  if (auto made = make_accounts(config, slots, journal, per_pair, pipeline, accounts, log);
      !made.ok()) {
    return Error{made.error()};
  }
  // 5. Live: connect, load filters and reconcile with the venue before any strategy sees an event.
  std::unique_ptr<LiveSession> live;
  if (config.mode == RunMode::kLive) {
    auto opened_live = LiveSession::open(config, loop, names, *repository, options.logger);
    if (!opened_live.ok()) return Error{opened_live.error()};
    live = std::move(opened_live.value());
    attach_live_account(config, slots, journal, *live, pipeline, accounts);
  }
  pipeline.set_journal(config.storage.journal_market_data, config.storage.journal_decisions);
  const TradingCalendar calendar = calendar_from(config.calendar);
  if (!calendar.always_open()) pipeline.set_calendar(&calendar);

  // 6. Controls. Paper and live bots change while they run: new builds, reload commands, edited
  // parameters.
  HotSwapper swapper(pipeline, loop, repository.get(), options.logger);
  const RunControlTargets targets{config,  options,  pipeline,           loop,
                                  swapper, accounts, wall_clock.now_ns(), source.total()};
  RunControls controls;
  if (controllable) start_control_service(targets, *log_ring, controls);
  swapper.add_listener([&problems](const TentacleSwapRecord& record) {
    if (record.outcome == "swapped") return;
    problems.add("swap_rolled_back", record.kind + " " + record.name + " " + record.to_version,
                 record.message + " (the running version kept trading)");
  });
  pipeline.set_quarantine_listener([&](const TentacleInstance& instance) {
    const auto& manifest = instance.library().manifest();
    problems.add(
        "tentacle_quarantined",
        std::string(kind_to_string(manifest.kind)) + " " + manifest.name + " " + manifest.version,
        instance.failure() + (stop_on_failure ? "; the run stopped after this event "
                                                "(run.on_tentacle_failure: stop)"
                                              : "; the run went on without it "
                                                "(run.on_tentacle_failure: quarantine)"));
    if (!stop_on_failure) return;
    log.error("run.on_tentacle_failure is stop: stopping the run after this event");
    loop.stop();
  });
  if (config.mode != RunMode::kBacktest) {
    if (auto started = start_live_reload(targets, folders, copy_folder, controls); !started.ok()) {
      return Error{started.error()};
    }
  }
  if (config.mode == RunMode::kPaper) loop.set_pace(config.replay_speed);

  // 7. The loop.
  std::optional<boost::asio::signal_set> signals;
  if (options.handle_signals) {
    signals.emplace(loop.io_context(), SIGINT, SIGTERM);
    signals->async_wait([&loop, &log](const boost::system::error_code& error, int signal) {
      if (error) return;
      log.warn("signal {} received: finishing the current event and stopping", signal);
      loop.stop();
    });
  }
  const uint64_t total = source.total();
  uint64_t replayed = 0;
  constexpr uint64_t kProgressEvery = 1 << 16;
  loop.set_dispatcher([&](const Event& event) {
    pipeline.dispatch(event);
    if (options.progress && event.type() == CEPHALO_EVENT_CANDLE &&
        (++replayed % kProgressEvery == 0 || replayed == total)) {
      options.progress(replayed, total);
    }
  });
  log.info("run {} started: mode {}, {} tentacles running, {} candles to replay", summary.run_id,
           mode_name(config.mode), summary.running.size(), source.total());
  const auto replay_start = std::chrono::steady_clock::now();
  // Live runs until SIGINT/SIGTERM (or a stop command). A paper replay of files ends with its
  // data unless run.at_end_of_data says to wait for a signal (e.g. to keep the control socket).
  const bool waits_at_end = config.mode == RunMode::kLive || config.run.at_end_of_data == "wait";
  const bool until_stopped =
      config.mode != RunMode::kBacktest && options.handle_signals && waits_at_end;
  if (config.mode == RunMode::kPaper) {
    loop.post([&log, &source, waits_at_end] {
      log.info("replaying {} candles as a live market; {}", source.total(),
               waits_at_end ? "SIGINT or SIGTERM stops"
                            : "stops at the end of the data (or on SIGINT/SIGTERM)");
    });
  }
  if (live) {
    if (auto streaming = live->begin_streaming(); !streaming.ok()) return Error{streaming.error()};
  }
  loop.run(&source, until_stopped);
  // Paper: the same graceful shutdown as a signal's, only the reason differs.
  if (config.mode == RunMode::kPaper && !loop.stopping()) {
    log.info("replay finished: no more market data");
  }
  // 8. Shutdown. Nothing waits for the loop any more: commands still waiting are answered,
  // queries take the latest snapshot, so the control socket's threads end at once.
  if (controls.control) controls.control->shutdown();
  if (live) live->shut_down();  // cancels or keeps open orders (run.on_shutdown), stores balances
  if (controls.live_reload) controls.live_reload->stop();
  summary.replay_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - replay_start).count();
  log.info("replay finished: {} events in {:.3f} s", loop.dispatched(), summary.replay_seconds);
  if (own_feeds) finish_cache_writes(*own_feeds, log);
  if (signals) signals->cancel();
  for (const auto& instance : pipeline.instances()) {
    if (instance->kind() != CEPHALO_KIND_INTERFACE) continue;
    const uint64_t dropped = instance->subscription().dropped();
    problems.add("events_dropped", "interface " + std::string(instance->name().view()),
                 "events dropped because the interface read them too slowly (its queue holds " +
                     std::to_string(Subscription::kCapacity) + "; the oldest went first)",
                 dropped);
  }
  pipeline.shutdown();
  if (!source.failure().empty()) {
    // Not a result: what was replayed stays journaled, but the run is never marked finished.
    const std::string why = "the replay stopped early: " + source.failure();
    log.error("{}", why);
    if (repository) (void)repository->flush();
    return Error{why};
  }

  // 9. The report, and the run marked finished.
  build_run_report(config, slots, pipeline, loop, accounts, feeds.main_interval_ns, summary);
  summary.problems = problems.snapshot();
  summary.problems_fail_run = problems_fail_run(summary.problems, config.run.on_tentacle_failure);
  if (summary.backtest) summary.backtest->problems = summary.problems;
  if (!repository) return summary;
  if (auto finished = finish_run_store(*repository, summary, wall_clock); !finished.ok()) {
    return Error{finished.error()};
  }
  return summary;
}

}  // namespace cephalo
