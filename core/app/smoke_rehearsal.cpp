// The rehearsal itself: the same Pipeline, host services and simulated exchange a bot uses, with
// the one tentacle under test, fed the candles the bot last saw.
// Thread-safety: see smoke_rehearsal.hpp.
#include "smoke_rehearsal.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <optional>

#include "backtest_venue.hpp"
#include "data/timeframe.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/crash_recorder.hpp"
#include "host/pipeline.hpp"
#include "host/smoke_test.hpp"

namespace cephalo {

namespace {

// The tentacle's own log lines go to stderr, where the parent keeps the last few for its message;
// stdout carries only the stage and result lines.
std::shared_ptr<spdlog::logger> stderr_logger() {
  auto logger =
      std::make_shared<spdlog::logger>("smoke", std::make_shared<spdlog::sinks::stderr_sink_st>());
  logger->set_level(spdlog::level::warn);
  logger->set_pattern("%l: %v");
  return logger;
}

// Checks the package and loads its library, on the parent's word about which bytes to expect.
Result<std::shared_ptr<TentacleLibrary>> load_package(size_t index, const SmokePackage& package) {
  write_smoke_stage(index, "check");
  auto manifest = read_manifest(package.manifest_file);
  if (!manifest.ok()) return Error{"manifest invalid: " + manifest.error()};
  if (!package.sha256.empty() && manifest->sha256 != package.sha256) {
    return Error{describe_tentacle(manifest.value()) + ": its manifest changed (sha256 " +
                 manifest->sha256 + ", expected " + package.sha256 + ")"};
  }
  write_smoke_stage(index, "load");
  return TentacleLibrary::load_image(manifest.value(), core_host_api(), package.library);
}

// The candles by series, each in time order, as the bot's replay would hand them out.
void add_feeds(const std::vector<SmokeJob::CandleRow>& rows, NameTable& names,
               ReplaySource& source) {
  std::map<std::pair<std::string, std::string>, std::vector<Candle>> series;
  for (const auto& row : rows) {
    series[{row.symbol, row.timeframe}].push_back(
        Candle{names.intern(row.symbol), names.intern(row.timeframe), row.open_time_ns, row.open,
               row.high, row.low, row.close, row.volume});
  }
  for (auto& [key, candles] : series) {
    const int64_t interval_ms = timeframe_to_ms(key.second);
    if (interval_ms <= 0) continue;
    source.add_feed(std::move(candles), interval_ms * 1'000'000);
  }
}

// The first quarantine in the pipeline, as an error: a failing on_event refuses the build too.
Status quarantine_of(const Pipeline& pipeline) {
  for (const auto& instance : pipeline.instances()) {
    if (instance->quarantined()) return Error{instance->failure()};
  }
  return Ok{};
}

// A venue for the tentacle's portfolio view and its order intents: the quote currency of the
// candles' first pair, the default starting cash.
Result<std::unique_ptr<BacktestVenue>> make_venue(const SmokeJob& job) {
  Config config;
  const std::string symbol = job.candles.empty() ? "ETH/BTC" : job.candles.front().symbol;
  FeedConfig feed;
  feed.symbol = symbol;
  feed.timeframe = "5m";
  config.feeds.push_back(std::move(feed));
  return BacktestVenue::create(config, nullptr, job.candles.size());
}

// One instance of the build in a pipeline of its own, the way a bot runs it, each step announced
// as a stage before it runs.
class Rehearsal {
 public:
  Rehearsal(const SmokeJob& job, std::shared_ptr<TentacleLibrary> library)
      : job_(job), library_(std::move(library)) {}

  Status create() {
    auto venue = make_venue(job_);
    if (!venue.ok()) return Error{venue.error()};
    venue_ = std::move(venue.value());
    pipeline_.set_venue(venue_.get());
    TentacleUse use;
    use.tentacle = library_->manifest().name;
    use.params = job_.params;
    use.where = SourceLocation{"(smoke test)", 0, 0};
    write_smoke_stage(0, "create");
    return pipeline_.add(library_, use);
  }
  Status load_state(const HandedState& state) {
    write_smoke_stage(0, "load_state");
    return instance().load_state(state.version, state.bytes);
  }
  // The candles, and whatever the tentacle and the simulated exchange make of them (signals,
  // order intents, fills); a failing on_event (a quarantine) is an error.
  Status on_events(std::vector<SmokeJob::CandleRow>::const_iterator first,
                   std::vector<SmokeJob::CandleRow>::const_iterator last) {
    write_smoke_stage(0, "on_event");
    ReplaySource source;
    add_feeds(std::vector<SmokeJob::CandleRow>(first, last), names_, source);
    loop_.set_dispatcher([this](const Event& event) { pipeline_.dispatch(event); });
    loop_.run(&source, false);
    return quarantine_of(pipeline_);
  }
  Result<HandedState> save_state() {
    write_smoke_stage(0, "save_state");
    std::string blob;
    if (auto saved = instance().save_state(blob); !saved.ok()) return Error{saved.error()};
    return HandedState{library_->descriptor().state_version, std::move(blob)};
  }
  void destroy() {
    write_smoke_stage(0, "destroy");
    pipeline_.shutdown();
  }

 private:
  TentacleInstance& instance() { return *pipeline_.instances().front(); }

  const SmokeJob& job_;
  std::shared_ptr<TentacleLibrary> library_;
  NameTable names_;
  SimulatedClock clock_;
  EventLoop loop_{clock_};
  std::unique_ptr<BacktestVenue> venue_;
  Pipeline pipeline_{loop_, names_, nullptr, stderr_logger()};
};

// With the running instance's state (a hot swap): create, load_state, the candles, save_state,
// destroy. Without it (install, verify --smoke): a first instance gets half the candles and saves
// its state, then a second one is created, loads it and gets the rest, as a swap would do it.
Status rehearse(const SmokeJob& job, const std::shared_ptr<TentacleLibrary>& library) {
  std::optional<HandedState> state = job.state;
  auto rest = job.candles.begin();
  if (!state) {
    rest += static_cast<long>(job.candles.size() / 2);
    Rehearsal first(job, library);
    if (auto created = first.create(); !created.ok()) return created;
    if (auto delivered = first.on_events(job.candles.begin(), rest); !delivered.ok()) {
      return delivered;
    }
    auto saved = first.save_state();
    if (!saved.ok()) return Error{saved.error()};
    state = std::move(saved.value());
    first.destroy();
  }
  Rehearsal second(job, library);
  if (auto created = second.create(); !created.ok()) return created;
  // A swap hands state over only to a build that reads that version (else it warms up).
  if (state->version == library->descriptor().state_version) {
    if (auto loaded = second.load_state(*state); !loaded.ok()) return loaded;
  }
  if (auto delivered = second.on_events(rest, job.candles.end()); !delivered.ok()) {
    return delivered;
  }
  if (auto saved = second.save_state(); !saved.ok()) return Error{saved.error()};
  second.destroy();
  return Ok{};
}

}  // namespace

void run_smoke_rehearsal(const std::filesystem::path& request_folder) {
  // A crash here is expected now and then: no core file for it.
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  auto job = read_smoke_job(request_folder);
  if (!job.ok()) {
    std::fprintf(stderr, "cephalo tentacles smoke: %s\n", job.error().c_str());
    std::fflush(stderr);
    ::_exit(2);
  }
  // The crash log of this child names the callback a crash happened in (the parent reads it).
  auto recorder = CrashRecorder::install(request_folder / "crash.log", false);
  for (size_t index = 0; index < job->packages.size(); ++index) {
    auto library = load_package(index, job->packages[index]);
    if (!library.ok()) {
      write_smoke_result(index, false, library.error());
      continue;
    }
    Status outcome = Ok{};
    if (job->depth == SmokeRequest::Depth::kFull) outcome = rehearse(job.value(), library.value());
    write_smoke_stage(index, "unload");
    library.value().reset();
    write_smoke_result(index, outcome.ok(), outcome.ok() ? "" : outcome.error());
  }
  // Straight out: no static destructors or leak checks of this throwaway process.
  ::_exit(0);
}

}  // namespace cephalo
