// The wiring of one run: what `cephalo run` does, kept out of main so tests can drive it.
// Thread-safety: see bot.hpp.
#include "bot.hpp"

#include <algorithm>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "backtest_venue.hpp"
#include "engine/commands/control_service.hpp"
#include "engine/commands/log_ring.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/crash_recorder.hpp"
#include "host/host_context.hpp"
#include "host/pipeline.hpp"
#include "host/private_copy.hpp"
#include "live_reload.hpp"
#include "live_session.hpp"
#include "model/market.hpp"
#include "model/system_text.hpp"
#include "pipeline_libraries.hpp"
#include "pipeline_plan.hpp"
#include "report/slot_report.hpp"
#include "risk/risk_engine.hpp"
#include "run_feeds.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {

namespace {

// Order changes each paper sub-account keeps for the `orders` query (three or so per order; open
// orders are always known).
constexpr size_t kOrderHistory = 2000;

// The backtest JSON's `risk` section: verdict counts overall, by tier and by rule, and events.
nlohmann::json risk_counts_json(const RiskCounts& counts) {
  nlohmann::json tiers = nlohmann::json::object();
  for (RiskTier tier : {RiskTier::kPosition, RiskTier::kStrategy, RiskTier::kAccount}) {
    const RiskRuleCount count = counts.of(tier);
    tiers[risk_tier_name(tier)] = {{"passed", count.passed}, {"refused", count.refused}};
  }
  nlohmann::json rules = nlohmann::json::object();
  for (size_t i = 0; i < kRiskRuleCount; ++i) {
    const auto rule = static_cast<RiskRule>(i);
    const RiskRuleCount& count = counts.of(rule);
    if (count.passed + count.refused == 0) continue;
    rules[risk_rule_name(rule)] = {{"tier", risk_tier_name(tier_of(rule))},
                                   {"passed", count.passed},
                                   {"refused", count.refused}};
  }
  return {{"intents", counts.intents},
          {"allowed", counts.allowed},
          {"refused", counts.refused},
          {"exits", counts.exits},
          {"by_tier", tiers},
          {"by_rule", rules},
          {"loss_pauses", counts.loss_pauses},
          {"daily_loss_halts", counts.daily_loss_halts},
          {"drawdown_halts", counts.drawdown_halts},
          {"kills", counts.kills},
          {"protective_exits",
           {{"stop_loss", counts.stop_loss_exits},
            {"take_profit", counts.take_profit_exits},
            {"trailing_stop", counts.trailing_stop_exits}}}};
}

// The config's storage settings, plus the test-only conflict hook (inert unless set, like
// CEPHALO_CRASH_AT): CEPHALO_TEST_STORAGE_CONFLICT=TABLE:N writes the Nth record of TABLE twice,
// so the database refuses the second as it would any conflict (tests/cli/runs_cli.sh).
Result<SqliteOptions> storage_options_for(const StorageConfig& storage) {
  SqliteOptions options;
  options.batch_size = static_cast<size_t>(storage.batch_size);
  options.flush_interval_ms = storage.flush_interval_ms;
  const char* hook = environment_value("CEPHALO_TEST_STORAGE_CONFLICT");
  if (hook == nullptr || *hook == '\0') return options;
  const std::string text(hook);
  const auto colon = text.rfind(':');
  const long long nth = colon == std::string::npos ? 0 : std::atoll(text.c_str() + colon + 1);
  if (colon == 0 || nth <= 0) {
    return Error{"CEPHALO_TEST_STORAGE_CONFLICT: expected TABLE:N (e.g. fills:3), found '" + text +
                 "'"};
  }
  options.test_conflict_table = text.substr(0, colon);
  options.test_conflict_nth = nth;
  return options;
}

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

// What a slot's run is called in reports: its strategies, or the trading mode that runs on its own
// (grid, dca) when it has no strategy.
std::string run_name(const SlotConfig& slot) {
  std::string name;
  for (const auto& use : slot.strategies) name += (name.empty() ? "" : "+") + use.tentacle;
  if (name.empty() && slot.trading_mode) name = slot.trading_mode->tentacle;
  return name;
}

// Adds a LogRing to a logger for the life of a run.
class LogRingAttachment {
 public:
  static constexpr size_t kLines = 2000;
  explicit LogRingAttachment(std::shared_ptr<spdlog::logger> logger)
      : logger_(std::move(logger)), ring_(std::make_shared<LogRing>(kLines)) {
    logger_->sinks().push_back(ring_);
  }
  ~LogRingAttachment() {
    auto& sinks = logger_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), ring_), sinks.end());
  }
  LogRingAttachment(const LogRingAttachment&) = delete;
  LogRingAttachment& operator=(const LogRingAttachment&) = delete;
  const std::shared_ptr<LogRing>& ring() const { return ring_; }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<LogRing> ring_;
};

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
  // The run's latest log lines for the `logs` query, when something can ask (see `control`
  // below): a sink added before any thread of the run logs, removed after the last one ended
  // (declared first, so destroyed last).
  std::optional<LogRingAttachment> log_ring;
  RunSummary summary;
  WallClock wall_clock;
  SimulatedClock simulated_clock;
  // Replays (backtest and paper) run on the data's own time; live runs on the wall clock.
  Clock& clock = config.mode == RunMode::kLive ? static_cast<Clock&>(wall_clock) : simulated_clock;

  // Null when the run is not stored: then nothing below writes a row (run, loads, journal).
  std::unique_ptr<SqliteRepository> repository;
  if (inputs.store) {
    summary.database = config.storage.path.string();
    auto storage_options = storage_options_for(config.storage);
    if (!storage_options.ok()) return Error{storage_options.error()};
    auto opened = SqliteRepository::open(config.storage.path, storage_options.value());
    if (!opened.ok()) return Error{opened.error()};
    repository = std::move(opened.value());
    if (!repository->migration_note().empty()) log.warn("{}", repository->migration_note());
    auto run_id = repository->start_run(wall_clock.now_ns(), mode_text(config.mode), options.config_text);
    if (!run_id.ok()) return Error{run_id.error()};
    summary.run_id = run_id.value();
  }

  // Tentacles: the pipeline's packages loaded, every other one only looked at (its code never
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
  auto libraries = loaded.by_name;
  summary.loads = loaded.loads;
  summary.libraries_loaded = libraries.size();

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
  for (const auto& [use, kind, slot] : planned_uses(config)) {
    const std::string where = use->where.to_string();
    const auto found = libraries.find(use->tentacle);
    std::string refusal;
    if (found == libraries.end()) {
      // The most specific reason: why its package was refused (a crash, a checksum, ...).
      // A named copy of the binding: clang 14 (the TSan and fuzz builds) cannot capture one.
      const std::string& wanted = use->tentacle;
      const auto load = std::find_if(
          summary.loads.begin(), summary.loads.end(),
          [&](const LoadReport& report) { return report.name == wanted && !report.ok; });
      refusal = where + ": tentacle '" + use->tentacle + "' is not available" +
                (load != summary.loads.end()
                     ? ": " + load->reason
                     : " (not installed, or refused: see `cephalo tentacles list`)");
    } else if (found->second->descriptor().kind != kind) {
      refusal = where + ": tentacle '" + use->tentacle + "' is a " +
                kind_to_string(found->second->descriptor().kind) + ", but is listed as a " +
                kind_to_string(kind);
    } else if (auto added = pipeline.add(found->second, *use, slot); !added.ok()) {
      // Parameter problems already start with their own file:line; a failing create does not.
      const bool placed = added.error().rfind(use->where.file, 0) == 0;
      refusal = placed ? added.error() : where + ": " + added.error();
    }
    if (refusal.empty()) {
      const bool in_slot = !config.slots.empty() &&
                           (kind == CEPHALO_KIND_STRATEGY || kind == CEPHALO_KIND_TRADING_MODE);
      summary.running.push_back(std::string(kind_to_string(kind)) + "/" + use->tentacle +
                                (in_slot ? "@" + slots[slot].name : ""));
      continue;
    }
    if (repository) {
      repository->record(TentacleLoadRecord{wall_clock.now_ns(), use->tentacle,
                                            kind_to_string(kind), "", "", "", "refused", refusal});
    }
    summary.refusals.push_back(refusal);
    if (!stop_on_failure) {
      log.error("{} (run.on_tentacle_failure is quarantine: continuing without it)", refusal);
      problems.add("tentacle_not_started", std::string(kind_to_string(kind)) + " " + use->tentacle,
                   refusal);
    }
  }
  if (stop_on_failure && !summary.refusals.empty()) {
    std::string why = "not started: a tentacle the pipeline names cannot start";
    for (const auto& refusal : summary.refusals) why += "\n  " + refusal;
    why += "\n(fix it, or set run.on_tentacle_failure: quarantine to run without it)";
    log.error("{}", why);
    if (repository) (void)repository->flush();
    return Error{why};
  }
  // Only the pipeline keeps libraries from here on, so a hot swap can really unload one (those
  // loaded once for many runs stay loaded: a backtest swaps nothing).
  libraries.clear();
  own_libraries.reset();
  // The command/query set will be there (see `control` below): its log ring goes on now, while
  // this is the only thread that logs.
  const bool has_interfaces =
      std::any_of(pipeline.instances().begin(), pipeline.instances().end(),
                  [](const auto& instance) { return instance->kind() == CEPHALO_KIND_INTERFACE; });
  const bool controllable = config.mode != RunMode::kBacktest || has_interfaces;
  if (controllable) log_ring.emplace(options.logger);

  // Feeds: loaded here (see load_run_feeds) unless the caller loaded them once for many runs.
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
  const int64_t main_interval_ns = feeds.main_interval_ns;

  // One sub-account (venue) and one risk engine per slot, indexed like the slots.
  std::vector<std::unique_ptr<BacktestVenue>> venues;
  std::vector<std::unique_ptr<RiskEngine>> risks;
  // Live too: the slots that do not trade for real shadow the live one on paper.
  {
    const uint64_t per_pair = config.feeds.empty() ? 0 : source.total() / config.feeds.size();
    for (SlotIndex index = 0; index < slots.size(); ++index) {
      const SlotConfig& slot = slots[index];
      risks.push_back(std::make_unique<RiskEngine>(slot.risk));
      // A stored pass has its figures in typed columns (value, limit_value): its text would say
      // them again. A refusal keeps its reason, which says what to change.
      risks.back()->set_explain_passes(false);
      if (config.mode == RunMode::kLive && index == pipeline.live_slot()) {
        venues.push_back(nullptr);  // the real account, attached once the session is open
        pipeline.set_risk(risks.back().get(), index);
        continue;
      }
      // Without slots the ids stay "bt-1", ...; with them each slot's are its own ("fast/bt-1").
      auto created = BacktestVenue::create(config, journal, per_pair, slot.capital_share,
                                           config.slots.empty() ? "" : slot.name + "/");
      if (!created.ok()) return Error{created.error()};
      venues.push_back(std::move(created.value()));
      pipeline.set_venue(venues.back().get(), index);
      pipeline.set_risk(risks.back().get(), index);
    }
  }
  if (!config.slots.empty()) {
    for (SlotIndex index = 0; index < slots.size(); ++index) {
      log.info(
          "slot {}: {} of the capital, {}", slots[index].name, slots[index].capital_share,
          index == pipeline.live_slot()
              ? (config.mode == RunMode::kLive ? "live" : "live role (this run is " + mode_text(config.mode) + ")")
              : "shadow on paper");
    }
  }
  // Live: connect, load filters and reconcile with the venue before any strategy sees an event.
  std::unique_ptr<LiveSession> live;
  std::vector<std::unique_ptr<BacktestVenue>> demoted;  // paper sub-accounts of former live slots
  if (config.mode == RunMode::kLive) {
    auto opened_live = LiveSession::open(config, loop, names, *repository, options.logger);
    if (!opened_live.ok()) return Error{opened_live.error()};
    live = std::move(opened_live.value());
    // The live slot's sub-account is the real one; its risk engine stays the slot's own.
    pipeline.set_real_venue(&live->venue());
    // Stops resting on the exchange follow the live slot's levels (exchange.stop_on_exchange).
    live->set_protective_levels([&risks, &pipeline](std::string_view symbol) {
      return risks[pipeline.live_slot()]->position(symbol);
    });
    // A slot that stops trading for real (a promotion) continues on a fresh paper sub-account
    // funded with the real account's equity at the switch; its ids "<slot>/pN/bt-M" stay apart
    // from any earlier paper sub-account of the same slot.
    pipeline.set_paper_account_factory([&config, journal, &demoted, &slots](
                                           SlotIndex slot, double cash) -> Result<ExecutionVenue*> {
      const std::string prefix = slots[slot].name + "/p" + std::to_string(demoted.size() + 1) + "/";
      auto created = BacktestVenue::create_funded(config, journal, 0, cash, prefix);
      if (!created.ok()) return Error{created.error()};
      demoted.push_back(std::move(created.value()));
      return static_cast<ExecutionVenue*>(demoted.back().get());
    });
  }
  pipeline.set_journal(config.storage.journal_market_data, config.storage.journal_decisions);
  const TradingCalendar calendar = calendar_from(config.calendar);
  if (!calendar.always_open()) pipeline.set_calendar(&calendar);

  // Paper and live bots change while they run: new builds, reload commands, edited parameters.
  HotSwapper swapper(pipeline, loop, repository.get(), options.logger);
  // The command/query set, the one way in from outside the loop: interface tentacles, the
  // control socket and the CLI through it. A backtest without interfaces has nobody to ask, so
  // it gets none (and its venues keep no order history).
  std::optional<ControlService> control;
  if (controllable) {
    const uint64_t candles_total = source.total();
    auto connection = [&config, &pipeline, candles_total]() -> std::string {
      if (config.mode == RunMode::kLive) return "live";
      const uint64_t candles = pipeline.stats().events_by_type[CEPHALO_EVENT_CANDLE];
      if (candles >= candles_total) return "replay finished";
      return "replaying (" + std::to_string(candles) + " of " + std::to_string(candles_total) +
             " candles)";
    };
    control.emplace(SnapshotSources{pipeline, loop, config.mode, wall_clock.now_ns(), connection},
                    options.logger);
    control->set_swapper(config.mode != RunMode::kBacktest ? &swapper : nullptr);
    control->set_log_ring(log_ring->ring());
    control->snapshot_builder().set_config_text(options.config_text, options.config_file.string());
    for (auto& venue : venues) {
      if (venue) venue->keep_order_history(kOrderHistory);
    }
    control->attach();
  }
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
  std::optional<LiveReload> live_reload;
  if (config.mode != RunMode::kBacktest) {
    LiveReloadSettings settings;
    settings.config_file = options.config_file;
    settings.overrides = options.overrides;
    settings.folders = folders;
    settings.copy_folder = copy_folder;
    settings.control_socket = control_socket_for(config);
    settings.watch_tentacles = config.control.watch_tentacles;
    settings.watch_config = config.control.watch_config && !options.config_file.empty();
    settings.debounce = std::chrono::milliseconds(config.control.debounce_ms);
    settings.smoke_binary = options.smoke_binary;
    settings.smoke_time_limit = std::chrono::milliseconds(config.control.smoke_timeout_ms);
    live_reload.emplace(std::move(settings), config, pipeline, loop, swapper, options.logger,
                        *control);
    control->set_controls(&*live_reload);
    if (auto started = live_reload->start(); !started.ok()) return Error{started.error()};
  }
  if (config.mode == RunMode::kPaper) loop.set_pace(config.replay_speed);

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
  const bool until_stopped = config.mode != RunMode::kBacktest && options.handle_signals && waits_at_end;
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
  // Nothing waits for the loop any more: commands still waiting are answered, queries take the
  // latest snapshot, so the control socket's threads end at once.
  if (control) control->shutdown();
  if (live) live->shut_down();  // cancels or keeps open orders (run.on_shutdown), stores balances
  if (live_reload) live_reload->stop();
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

  const auto& counts = pipeline.stats().events_by_type;
  summary.events = loop.dispatched();
  summary.candles = counts[CEPHALO_EVENT_CANDLE];
  summary.evaluations = counts[CEPHALO_EVENT_EVALUATION];
  summary.signals = counts[CEPHALO_EVENT_SIGNAL];
  summary.order_intents = counts[CEPHALO_EVENT_ORDER_INTENT];
  summary.errors = counts[CEPHALO_EVENT_ERROR];
  summary.quarantined = pipeline.stats().quarantined;

  summary.live_slot = pipeline.slot_name(pipeline.live_slot());
  // Live runs have no simulated report: the venue's books are the record (orders_live, fills).
  if (!venues.empty() && config.mode != RunMode::kLive) {
    std::vector<SlotReport> reports;
    for (SlotIndex index = 0; index < slots.size(); ++index) {
      const SlotConfig& slot = slots[index];
      SlotReport report;
      report.name = slot.name;
      for (const auto& use : slot.strategies) report.strategies.push_back(use.tentacle);
      report.trading_mode = slot.trading_mode ? slot.trading_mode->tentacle : "";
      report.capital_share = slot.capital_share;
      report.live = index == pipeline.live_slot();
      report.input = venues[index]->finish(run_name(slot), static_cast<int64_t>(summary.candles),
                                           main_interval_ns);
      report.input.extra["risk"] = risk_counts_json(risks[index]->counts());
      reports.push_back(std::move(report));
    }
    if (config.slots.empty()) {
      summary.backtest = std::move(reports.front().input);
    } else {
      std::string name = "A/B slots";
      for (size_t i = 0; i < reports.size(); ++i) {
        name += (i == 0 ? ": " : " vs ") + reports[i].name + " (" + run_name(slots[i]) + ")";
      }
      summary.backtest = combine_slots(reports, name);
      add_slots_section(reports, BootstrapSettings{}, summary.backtest->extra);
    }
    // Which rows of the database are this report's (cephalo runs show ID); none when unstored.
    if (repository) summary.backtest->extra["run_id"] = summary.run_id;
  }
  summary.problems = problems.snapshot();
  summary.problems_fail_run = problems_fail_run(summary.problems, config.run.on_tentacle_failure);
  if (summary.backtest) summary.backtest->problems = summary.problems;
  if (!repository) return summary;
  // Nothing is dropped silently: a record the database refused (named by table and key) or a
  // writer that stopped fails the run, with every reason.
  const Status flushed = repository->flush();
  const StorageProblems storage_problems = repository->problems();
  if (storage_problems.any() || !flushed.ok()) {
    const std::string why = storage_problems.any() ? storage_problems.describe() : flushed.error();
    (void)repository->finish_run(summary.run_id, wall_clock.now_ns(), "failed: " + why);
    return Error{why};
  }
  // The run finished; the outcome says whether its problems fail it (exit code 3).
  const std::string outcome =
      summary.problems_fail_run
          ? "completed with problems: " + std::to_string(summary.problems.size())
          : std::string("completed");
  if (auto finished = repository->finish_run(summary.run_id, wall_clock.now_ns(), outcome);
      !finished.ok()) {
    return Error{finished.error()};
  }
  return summary;
}

}  // namespace cephalo
