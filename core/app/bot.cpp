// The wiring of one run: what `cephalo run` does, kept out of main so tests can drive it.
// Thread-safety: see bot.hpp.
#include "bot.hpp"

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <map>

#include "backtest_venue.hpp"
#include "data/cache_write_job.hpp"
#include "data/ohlcv_cache.hpp"
#include "data/resample.hpp"
#include "data/timeframe.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/host_context.hpp"
#include "host/pipeline.hpp"
#include "host/private_copy.hpp"
#include "live_reload.hpp"
#include "live_session.hpp"
#include "mapped_candle_feed.hpp"
#include "model/market.hpp"
#include "pipeline_plan.hpp"
#include "report/slot_report.hpp"
#include "risk/risk_engine.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {

namespace {

constexpr int64_t kNanosPerMilli = 1'000'000;

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

TentacleLoadRecord load_record(int64_t time_ns, const LoadReport& report, const std::string& sha) {
  return TentacleLoadRecord{time_ns,
                            report.name,
                            report.kind,
                            report.version,
                            report.file.string(),
                            sha,
                            report.ok ? "loaded" : "refused",
                            report.reason};
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

// Runs `work` on the loop thread between two events and returns its answer to the control thread
// that asked; the loop owns the pipeline, so nothing else may touch it.
nlohmann::json on_loop(EventLoop& loop, std::function<nlohmann::json()> work) {
  auto answer = std::make_shared<std::promise<nlohmann::json>>();
  auto future = answer->get_future();
  loop.post([answer, work = std::move(work)] { answer->set_value(work()); });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    return {{"ok", false}, {"error", "the bot's loop did not answer within 30 s (is it busy?)"}};
  }
  return future.get();
}

nlohmann::json slots_json(const Pipeline& pipeline) {
  nlohmann::json slots = nlohmann::json::array();
  const auto pending = pipeline.pending_promotion();
  for (SlotIndex index = 0; index < pipeline.slot_count(); ++index) {
    nlohmann::json slot{{"name", pipeline.slot_name(index)},
                        {"live", index == pipeline.live_slot()}};
    if (pending && pending->to == pipeline.slot_name(index)) slot["pending_promotion"] = true;
    slots.push_back(std::move(slot));
  }
  return slots;
}

// The slots and, when one is waiting to become live, what it waits for.
nlohmann::json slots_answer(const Pipeline& pipeline) {
  nlohmann::json answer{{"ok", true}, {"slots", slots_json(pipeline)}};
  if (const auto pending = pipeline.pending_promotion()) {
    answer["pending"] = {
        {"slot", pending->to}, {"waiting_for", pending->waiting_for}, {"now", pending->now}};
  }
  return answer;
}

// `slots` (which slot is live), `promote` (make another one live) and `kill` (the kill switch) on
// the control socket.
void add_slot_commands(LiveReload& live_reload, Pipeline& pipeline, EventLoop& loop) {
  live_reload.add_command("slots", [&pipeline, &loop](const nlohmann::json&) {
    return on_loop(loop, [&pipeline] { return slots_answer(pipeline); });
  });
  // The kill switch (risk.account): cancels every open order and halts new entries in every slot.
  live_reload.add_command("kill", [&pipeline, &loop](const nlohmann::json& request) {
    const std::string why = request.value("reason", std::string());
    return on_loop(loop, [&pipeline, why] {
      auto killed = pipeline.kill_switch("by the control socket" + (why.empty() ? "" : ": " + why));
      if (!killed.ok()) return nlohmann::json{{"ok", false}, {"error", killed.error()}};
      return nlohmann::json{{"ok", true},
                            {"message",
                             "kill switch thrown: open orders cancelled, entries "
                             "halted (exits still allowed)"}};
    });
  });
  // After a kill switch or a halt: the operator lets every slot enter positions again.
  live_reload.add_command("resume", [&pipeline, &loop](const nlohmann::json& request) {
    const std::string why = request.value("reason", std::string());
    return on_loop(loop, [&pipeline, why] {
      auto resumed =
          pipeline.resume_trading("by the control socket" + (why.empty() ? "" : ": " + why));
      if (!resumed.ok()) return nlohmann::json{{"ok", false}, {"error", resumed.error()}};
      return nlohmann::json{{"ok", true},
                            {"message",
                             "trading resumed: kill switch, halts and loss pause lifted in "
                             "every slot"}};
    });
  });
  // In live mode a promotion waits until the real account can change hands (Pipeline::promote);
  // the answer says whether it is done, pending (and on what) or cancelled.
  live_reload.add_command("promote", [&pipeline, &loop](const nlohmann::json& request) {
    if (!request.contains("slot") || !request["slot"].is_string()) {
      return nlohmann::json{{"ok", false}, {"error", "promote needs \"slot\": NAME"}};
    }
    const std::string name = request["slot"].get<std::string>();
    const bool now = request.value("now", false);
    return on_loop(loop, [&pipeline, name, now] {
      auto promoted = pipeline.promote(name, "control socket", now);
      if (!promoted.ok()) return nlohmann::json{{"ok", false}, {"error", promoted.error()}};
      using State = Pipeline::Promotion::State;
      const State state = promoted->state;
      nlohmann::json answer = slots_answer(pipeline);
      answer["live"] = pipeline.slot_name(pipeline.live_slot());
      answer["was"] = promoted->from;
      answer["state"] = state == State::kEffective   ? "effective"
                        : state == State::kPending   ? "pending"
                        : state == State::kCancelled ? "cancelled"
                                                     : "already_live";
      if (state == State::kPending) answer["waiting_for"] = promoted->waiting_for;
      if (state == State::kCancelled) answer["cancelled"] = promoted->to;
      return answer;
    });
  });
}

}  // namespace

Result<RunSummary> run_bot(const Config& config, const BotOptions& options) {
  auto& log = *options.logger;
  RunSummary summary;
  WallClock wall_clock;
  SimulatedClock simulated_clock;
  // Replays (backtest and paper) run on the data's own time; live runs on the wall clock.
  Clock& clock = config.mode == "live" ? static_cast<Clock&>(wall_clock) : simulated_clock;

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
  const TentacleFolders folders = tentacle_folders_for(config, options.folders);
  const std::filesystem::path copy_folder =
      options.copy_folder.empty() ? default_private_copy_folder() : options.copy_folder;
  std::map<std::string, std::shared_ptr<TentacleLibrary>> libraries;
  for (const auto& entry : scan_tentacle_folders(folders)) {
    LoadReport report;
    if (entry.manifest && entry.problem.empty()) {
      auto library = TentacleLibrary::load(*entry.manifest, core_host_api(), copy_folder);
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
    repository->record(
        load_record(wall_clock.now_ns(), report, entry.manifest ? entry.manifest->sha256 : ""));
    summary.loads.push_back(std::move(report));
  }

  NameTable names;
  EventLoop loop(clock);
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
      refusal = where + ": tentacle '" + use->tentacle +
                "' is not available (not installed, or refused: see `cephalo tentacles list`)";
    } else if (found->second->descriptor().kind != kind) {
      refusal = where + ": tentacle '" + use->tentacle + "' is a " +
                kind_to_string(found->second->descriptor().kind) + ", but is listed as a " +
                kind_to_string(kind);
    } else if (auto added = pipeline.add(found->second, *use, slot); !added.ok()) {
      refusal = added.error();
    }
    if (refusal.empty()) {
      const bool in_slot = !config.slots.empty() &&
                           (kind == CEPHALO_KIND_STRATEGY || kind == CEPHALO_KIND_TRADING_MODE);
      summary.running.push_back(std::string(kind_to_string(kind)) + "/" + use->tentacle +
                                (in_slot ? "@" + slots[slot].name : ""));
      continue;
    }
    log.error("{} (continuing without it)", refusal);
    repository->record(TentacleLoadRecord{wall_clock.now_ns(), use->tentacle, kind_to_string(kind),
                                          "", "", "", "refused", refusal});
    summary.refusals.push_back(refusal);
  }
  // Only the pipeline keeps libraries from here on, so a hot swap can really unload one.
  libraries.clear();

  // Feeds: each file validated (bad rows per market.bad_rows), then mapped from the binary cache
  // so a long backtest's memory is the mapped file, not a copy of it. A file parsed because its
  // cache was missing or stale is replayed from memory while its cache file is written on another
  // thread; those writes are kept here (each sharing its feed's bars) and waited for after the run.
  ReplaySource source;
  std::vector<CacheWriteJob> cache_writes;
  const BadRowPolicy policy =
      config.bad_rows == "reject" ? BadRowPolicy::kReject : BadRowPolicy::kSkip;
  int64_t main_interval_ns = 0;
  // Live mode: the feeds stream from the exchange (LiveSession), no file is replayed.
  const std::vector<FeedConfig> no_feeds;
  for (const auto& feed : config.mode == "live" ? no_feeds : config.feeds) {
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
      summary.data_warnings.push_back(problem.to_string());
      log.warn("{}", problem.to_string());
    }
    if (!loaded.ok) {
      const std::string refusal = feed.where.to_string() + ": feed " + feed.symbol + " " +
                                  feed.timeframe + " not loaded from " + feed.file.string();
      log.error("{}", refusal);
      if (config.mode == "backtest")
        return Error{refusal +
                     (loaded.problems.empty() ? "" : ": " + loaded.problems.front().to_string())};
      continue;
    }
    if (!loaded.data.gaps().empty()) {
      log.info("{}: {} gaps in time (missing candles are not filled)", feed.file.string(),
               loaded.data.gaps().size());
    }
    log.info("feed {} {}: {} candles from {} ({})", feed.symbol, feed.timeframe,
             loaded.data.bars().size(), feed.file.string(),
             loaded.cache == CacheOutcome::kHit ? "binary cache"
             : loaded.cache_write.started()
                 ? "parsed; writing the cache meanwhile: " + loaded.cache_note
                 : "parsed; " + loaded.cache_note);
    if (loaded.cache_write.started()) cache_writes.push_back(std::move(loaded.cache_write));
    if (main_interval_ns == 0) main_interval_ns = interval_ms * kNanosPerMilli;
    const Name symbol = names.intern(feed.symbol);
    const Name timeframe = names.intern(feed.timeframe);
    if (source_ms == interval_ms) {
      auto reload = [&log, file = feed.file, source_ms, policy](size_t first_bad_bar) {
        log.error(
            "{}: the cached candles are corrupt from bar {}; parsing the file again (the "
            "cache file is rebuilt)",
            file.string(), first_bad_bar);
        return load_ohlcv_cached(file, source_ms, policy);
      };
      source.add_feed(std::make_unique<MappedCandleFeed>(std::move(loaded.data), symbol, timeframe,
                                                         std::move(reload)),
                      interval_ms * kNanosPerMilli);
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
      if (config.mode == "backtest") return Error{refusal};
      continue;
    }
    log.info("feed {} {}: {} candles resampled from {} {} candles", feed.symbol, feed.timeframe,
             resampled->size(), loaded.data.bars().size(), source_timeframe);
    std::vector<Candle> candles;
    candles.reserve(resampled->size());
    for (const OhlcvBar& bar : resampled.value()) {
      candles.push_back(Candle{symbol, timeframe, bar.open_time_ms * kNanosPerMilli, bar.open,
                               bar.high, bar.low, bar.close, bar.volume});
    }
    source.add_feed(std::move(candles), interval_ms * kNanosPerMilli);
  }

  // One sub-account (venue) and one risk engine per slot, indexed like the slots.
  std::vector<std::unique_ptr<BacktestVenue>> venues;
  std::vector<std::unique_ptr<RiskEngine>> risks;
  // Live too: the slots that do not trade for real shadow the live one on paper.
  {
    const uint64_t per_pair = config.feeds.empty() ? 0 : source.total() / config.feeds.size();
    for (SlotIndex index = 0; index < slots.size(); ++index) {
      const SlotConfig& slot = slots[index];
      risks.push_back(std::make_unique<RiskEngine>(slot.risk));
      risks.back()->set_explain_passes(config.storage.journal_decisions);
      if (config.mode == "live" && index == pipeline.live_slot()) {
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
              ? (config.mode == "live" ? "live" : "live role (this run is " + config.mode + ")")
              : "shadow on paper");
    }
  }
  // Live: connect, load filters and reconcile with the venue before any strategy sees an event.
  std::unique_ptr<LiveSession> live;
  std::vector<std::unique_ptr<BacktestVenue>> demoted;  // paper sub-accounts of former live slots
  if (config.mode == "live") {
    auto opened_live = LiveSession::open(config, loop, names, *repository, options.logger);
    if (!opened_live.ok()) return Error{opened_live.error()};
    live = std::move(opened_live.value());
    // The live slot's sub-account is the real one; its risk engine stays the slot's own.
    pipeline.set_real_venue(&live->venue());
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
  std::optional<LiveReload> live_reload;
  if (config.mode != "backtest") {
    LiveReloadSettings settings;
    settings.config_file = options.config_file;
    settings.overrides = options.overrides;
    settings.folders = folders;
    settings.copy_folder = copy_folder;
    settings.control_socket = control_socket_for(config);
    settings.watch_tentacles = config.control.watch_tentacles;
    settings.watch_config = config.control.watch_config && !options.config_file.empty();
    settings.debounce = std::chrono::milliseconds(config.control.debounce_ms);
    live_reload.emplace(std::move(settings), config, pipeline, loop, swapper, options.logger);
    add_slot_commands(*live_reload, pipeline, loop);
    if (auto started = live_reload->start(); !started.ok()) return Error{started.error()};
  }
  if (config.mode == "paper") loop.set_pace(config.replay_speed);

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
  log.info("run {} started: mode {}, {} tentacles running, {} candles to replay", run_id.value(),
           config.mode, summary.running.size(), source.total());
  const auto replay_start = std::chrono::steady_clock::now();
  // Live runs until SIGINT/SIGTERM (or a stop command). A paper replay of files ends with its
  // data unless run.at_end_of_data says to wait for a signal (e.g. to keep the control socket).
  const bool waits_at_end = config.mode == "live" || config.run.at_end_of_data == "wait";
  const bool until_stopped = config.mode != "backtest" && options.handle_signals && waits_at_end;
  if (config.mode == "paper") {
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
  if (config.mode == "paper" && !loop.stopping()) {
    log.info("replay finished: no more market data");
  }
  if (live) live->shut_down();  // cancels or keeps open orders (run.on_shutdown), stores balances
  if (live_reload) live_reload->stop();
  summary.replay_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - replay_start).count();
  log.info("replay finished: {} events in {:.3f} s", loop.dispatched(), summary.replay_seconds);
  for (CacheWriteJob& write : cache_writes) {
    if (Status written = write.wait(); written.ok()) {
      log.info("cache written: {}", write.file().string());
    } else {
      log.warn("cache not written: {}", written.error());
    }
  }
  if (signals) signals->cancel();
  pipeline.shutdown();
  if (!source.failure().empty()) {
    // Not a result: what was replayed stays journaled, but the run is never marked finished.
    const std::string why = "the replay stopped early: " + source.failure();
    log.error("{}", why);
    (void)repository->flush();
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
  if (!venues.empty() && config.mode != "live") {
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
  }
  if (auto flushed = repository->flush(); !flushed.ok()) return Error{flushed.error()};
  if (auto finished = repository->finish_run(run_id.value(), wall_clock.now_ns()); !finished.ok()) {
    return Error{finished.error()};
  }
  return summary;
}

}  // namespace cephalo
