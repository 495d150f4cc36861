// The three hot-reload triggers and the control commands, all ending in HotSwapper.
// Thread-safety: see live_reload.hpp.
#include "live_reload.hpp"

#include <algorithm>
#include <future>

#include "engine/commands/handlers.hpp"
#include "host/private_copy.hpp"
#include "host/sha256.hpp"
#include "pipeline_plan.hpp"

namespace cephalo {

namespace {

constexpr auto kSwapAnswerTimeout = std::chrono::seconds(30);

bool same_params(const std::vector<ParamSetting>& a, const std::vector<ParamSetting>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::vector<ParamSetting>>> params_of(const Config& config) {
  std::vector<std::pair<std::string, std::vector<ParamSetting>>> params;
  for (const auto& planned : planned_uses(config)) {
    params.emplace_back(planned.use->tentacle, planned.use->params);
  }
  return params;
}

}  // namespace

LiveReload::LiveReload(LiveReloadSettings settings, const Config& config, Pipeline& pipeline,
                       EventLoop& loop, HotSwapper& swapper, std::shared_ptr<spdlog::logger> logger,
                       ControlService& control)
    : settings_(std::move(settings)),
      pipeline_(pipeline),
      loop_(loop),
      swapper_(swapper),
      logger_(std::move(logger)),
      params_(params_of(config)),
      control_service_(control) {}

LiveReload::~LiveReload() {
  stop();
}

Status LiveReload::start() {
  refresh_snapshot();
  if (settings_.watch_tentacles || settings_.watch_config) {
    std::vector<std::filesystem::path> roots;
    if (settings_.watch_tentacles) {
      roots.push_back(settings_.folders.user);
      for (const auto& extra : settings_.folders.extra) roots.push_back(extra);
    }
    watcher_ = std::make_unique<PackageWatcher>(
        roots, settings_.watch_config ? settings_.config_file : std::filesystem::path(),
        settings_.debounce,
        PackageWatcher::Callbacks{
            [this](const std::filesystem::path& folder) { on_folder_changed(folder); },
            [this] { (void)apply_config("config"); }},
        logger_);
    if (auto started = watcher_->start(); !started.ok()) {
      logger_->warn("hot reload from files is off: {}", started.error());
      watcher_.reset();
    }
  }
  if (!settings_.control_socket.empty()) {
    control_ = std::make_unique<ControlServer>(
        settings_.control_socket,
        [this](const std::string& line) {
          return control_service_.handle_text(line, kControlSocketCaller);
        },
        logger_);
    if (auto started = control_->start(); !started.ok()) return started;
    logger_->info("control socket {} (cephalo ctl status -c CONFIG; cephalo ctl --help)",
                  settings_.control_socket.string());
  }
  return Ok{};
}

void LiveReload::stop() {
  // The loop has stopped by now: a reload that waits for it would wait for ever, so the threads
  // go first and any answer still pending times out on the client's side.
  if (watcher_) watcher_->stop();
  if (control_) control_->stop();
}

void LiveReload::refresh_snapshot() {
  std::map<std::string, Running> running;
  for (const auto& instance : pipeline_.instances()) {
    const TentacleManifest& manifest = instance->library().manifest();
    running[manifest.name] = Running{manifest.file, manifest.sha256, manifest.version};
  }
  std::lock_guard lock(mutex_);
  running_ = std::move(running);
}

void LiveReload::record_refusal(const TentacleManifest& manifest, const std::string& trigger,
                                const std::string& reason) {
  std::string from_version;
  {
    std::lock_guard lock(mutex_);
    if (auto found = running_.find(manifest.name); found != running_.end()) {
      from_version = found->second.version;
    }
  }
  swapper_.record_refusal(manifest, from_version, trigger, reason);
}

CommandOutcome LiveReload::reload_package(const TentacleManifest& manifest,
                                          const std::string& trigger) {
  std::promise<CommandOutcome> mine;
  std::shared_future<CommandOutcome> earlier;
  {
    std::lock_guard lock(mutex_);
    if (auto found = attempts_.find(manifest.sha256); found != attempts_.end()) {
      earlier = found->second;
    } else {
      attempts_[manifest.sha256] = mine.get_future().share();
    }
  }
  if (earlier.valid()) {
    if (earlier.wait_for(kSwapAnswerTimeout) != std::future_status::ready) {
      return CommandOutcome::failure("reload_tentacle: the same build of " + manifest.name +
                                     " is being tried and has not finished");
    }
    CommandOutcome answer = earlier.get();
    const std::string outcome =
        answer.result.is_object() ? answer.result.value("outcome", std::string("?")) : "?";
    logger_->info("{} {} ({}): this build was tried already ({}); not tried again", manifest.name,
                  manifest.version, trigger, outcome);
    if (answer.result.is_object()) answer.result["repeated"] = true;
    return answer;
  }
  bool definitive = false;
  CommandOutcome answer = try_build(manifest, trigger, definitive);
  if (answer.result.is_object()) answer.result["repeated"] = false;
  mine.set_value(answer);
  // A swapped build may be tried again later (swapping back to it), and so may one whose files
  // were not complete yet (a copy in progress); a build refused for what it did is not.
  if (answer.ok || !definitive) {
    std::lock_guard lock(mutex_);
    attempts_.erase(manifest.sha256);
  }
  return answer;
}

SmokeVerdict LiveReload::smoke_test(const TentacleManifest& manifest,
                                    const std::filesystem::path& library) {
  SmokeRequest request;
  request.package = SmokePackage{manifest.file, library, manifest.sha256};
  request.time_limit = settings_.smoke_time_limit;
  // What the swap would hand over, taken between two events like the swap itself. Shared with
  // the loop's task, which may outlive this call when the loop does not answer in time.
  struct Taken {
    std::promise<void> done;
    std::optional<HandedState> state;
    std::vector<ParamSetting> params;
    std::vector<Candle> candles;
  };
  auto taken = std::make_shared<Taken>();
  auto done = taken->done.get_future();
  loop_.post([this, name = manifest.name, taken] {
    for (const auto& instance : pipeline_.instances()) {
      if (instance->name().view() != name) continue;
      std::string blob;
      if (instance->save_state(blob).ok()) {
        taken->state = HandedState{instance->library().descriptor().state_version, blob};
      }
      taken->params = instance->use().params;
      break;
    }
    for (const Candle* candle : pipeline_.recent_candles()) taken->candles.push_back(*candle);
    taken->done.set_value();
  });
  if (done.wait_for(kSwapAnswerTimeout) != std::future_status::ready) {
    SmokeVerdict verdict;
    verdict.failure = "the loop did not hand over the state within 30 s (is it busy?)";
    return verdict;
  }
  request.state = std::move(taken->state);
  request.params = std::move(taken->params);
  request.candles = std::move(taken->candles);
  return run_smoke_test(settings_.smoke_binary, settings_.smoke_folder, request);
}

CommandOutcome LiveReload::try_build(const TentacleManifest& manifest, const std::string& trigger,
                                     bool& definitive) {
  // A refusal before the swap is a swap record too (stored by record_refusal), answered as one.
  auto refuse = [&](const std::string& reason) -> CommandOutcome {
    record_refusal(manifest, trigger, reason);
    TentacleSwapRecord refused;
    refused.name = manifest.name;
    refused.kind = kind_to_string(manifest.kind);
    refused.to_version = manifest.version;
    refused.trigger = trigger;
    refused.handoff = "none";
    refused.outcome = "rolled_back";
    refused.message = reason;
    {
      std::lock_guard lock(mutex_);
      if (auto found = running_.find(manifest.name); found != running_.end()) {
        refused.from_version = found->second.version;
      }
    }
    return handlers::swap_outcome(refused);
  };
  // One private copy is checked, rehearsed and loaded: what runs is exactly what was tried.
  auto copy = PrivateCopy::make(manifest.library_path(), settings_.copy_folder, manifest.name);
  if (!copy.ok()) return refuse(describe_tentacle(manifest) + ": " + copy.error());
  if (auto checked = check_before_load(manifest, copy->path()); !checked.ok()) {
    return refuse(checked.error());
  }
  definitive =
      true;  // the files are what the manifest describes: what follows is the build's doing
  if (!settings_.smoke_binary.empty()) {
    const SmokeVerdict verdict = smoke_test(manifest, copy->path());
    if (!verdict.passed) {
      // The child's own errors start with the same name; it is said once.
      const std::string who = describe_tentacle(manifest) + ": ";
      const std::string failure =
          verdict.failure.rfind(who, 0) == 0 ? verdict.failure.substr(who.size()) : verdict.failure;
      return refuse(who + "refused by the smoke test (run in a child process, stage " +
                    (verdict.stage.empty() ? "start" : verdict.stage) + "): " + failure);
    }
    logger_->info("smoke test of {} {} passed in {:.0f} ms (child process)", manifest.name,
                  manifest.version, verdict.seconds * 1000);
  }
  auto library = TentacleLibrary::load_image(manifest, core_host_api(), copy->path());
  if (!library.ok()) return refuse(library.error());
  auto answer = std::make_shared<std::promise<CommandOutcome>>();
  auto future = answer->get_future();
  swapper_.request(SwapRequest{library.value(), std::nullopt, trigger, std::nullopt},
                   [this, answer](const TentacleSwapRecord& record) {
                     refresh_snapshot();
                     answer->set_value(handlers::swap_outcome(record));
                   });
  library.value().reset();
  if (future.wait_for(kSwapAnswerTimeout) != std::future_status::ready) {
    return CommandOutcome::failure("the swap of " + manifest.name +
                                   " did not finish within 30 s (is the loop busy?)");
  }
  return future.get();
}

void LiveReload::on_folder_changed(const std::filesystem::path& folder) {
  auto manifest = read_manifest(folder / "tentacle.yaml");
  if (!manifest.ok()) {
    logger_->warn("tentacle folder {} changed but its manifest is not readable yet: {}",
                  folder.string(), manifest.error());
    return;
  }
  // Complete means the library on disk is the one the manifest describes; an install still in
  // progress (or a half-copied file) is left alone until its next change.
  const auto digest = sha256_file_hex(manifest->library_path());
  if (!digest.ok() || digest.value() != manifest->sha256) {
    logger_->info("tentacle {} in {}: library does not match its manifest yet; waiting",
                  manifest->name, folder.string());
    return;
  }
  Running running;
  {
    std::lock_guard lock(mutex_);
    const auto found = running_.find(manifest->name);
    if (found == running_.end()) {
      logger_->info("tentacle {} {} is available in {} (not in this bot's pipeline)",
                    manifest->name, manifest->version, folder.string());
      return;
    }
    running = found->second;
  }
  std::error_code ec;
  if (!std::filesystem::equivalent(running.manifest_file, folder / "tentacle.yaml", ec)) {
    logger_->warn("tentacle {} changed in {}, but the running one comes from {}: not swapped",
                  manifest->name, folder.string(), running.manifest_file.string());
    return;
  }
  if (running.sha256 == manifest->sha256) return;  // touched, not changed
  logger_->info("new build of {} ({} -> {}) in {}: swapping", manifest->name, running.version,
                manifest->version, folder.string());
  reload_package(manifest.value(), "file");
}

CommandOutcome LiveReload::apply_config(const std::string& trigger) {
  auto loaded = load_config(settings_.config_file, settings_.overrides);
  if (!loaded.ok()) {
    std::string problems;
    for (const auto& problem : loaded.problems) {
      logger_->error("config change not applied: {}", problem.to_string());
      problems += (problems.empty() ? "" : "; ") + problem.to_string();
    }
    return CommandOutcome::failure("config not applied: " + problems);
  }
  auto now = params_of(*loaded.config);
  std::vector<std::pair<std::string, std::vector<ParamSetting>>> before;
  {
    std::lock_guard lock(mutex_);
    before = params_;
  }
  bool same_shape = now.size() == before.size();
  for (size_t i = 0; same_shape && i < now.size(); ++i) {
    same_shape = now[i].first == before[i].first;
  }
  nlohmann::json applied = nlohmann::json::array();
  if (!same_shape) {
    logger_->warn(
        "{}: the pipeline's tentacles changed; that needs a restart (only parameter "
        "changes are applied while running)",
        settings_.config_file.string());
    return CommandOutcome::success(
        {{"message", "the pipeline's tentacles changed: that needs a restart; nothing applied"},
         {"applied", std::move(applied)},
         {"restart_needed", true}});
  }
  const auto planned = planned_uses(*loaded.config);
  for (size_t i = 0; i < now.size(); ++i) {
    if (same_params(now[i].second, before[i].second)) continue;
    TentacleUse use = *planned[i].use;
    // The same tentacle may run several times (A/B slots, each with its own parameters): only
    // the instance this config entry created gets the new ones, found by its slot and its place
    // among that tentacle's instances in the slot (the order they were created in).
    std::optional<Pipeline::SwapTarget> target;
    const auto uses_of_it = std::count_if(
        planned.begin(), planned.end(),
        [&use](const PlannedUse& other) { return other.use->tentacle == use.tentacle; });
    if (uses_of_it > 1) {
      const auto earlier = std::count_if(
          planned.begin(), planned.begin() + static_cast<std::ptrdiff_t>(i),
          [&](const PlannedUse& other) {
            return other.use->tentacle == use.tentacle && other.slot == planned[i].slot;
          });
      target = Pipeline::SwapTarget{planned[i].slot, static_cast<size_t>(earlier)};
    }
    logger_->info("{}: new parameters for {}: applying", use.where.to_string(), use.tentacle);
    auto answer = std::make_shared<std::promise<TentacleSwapRecord>>();
    auto done = answer->get_future();
    loop_.post([this, use, target, answer, trigger] {
      const auto libraries = pipeline_.running_libraries(use.tentacle);
      if (libraries.empty()) {
        TentacleSwapRecord none;
        none.name = use.tentacle;
        none.outcome = "rolled_back";
        none.message = "not running in this bot";
        answer->set_value(none);
        return;
      }
      swapper_.request(SwapRequest{libraries.front(), use, trigger, target},
                       [this, answer](const TentacleSwapRecord& record) {
                         refresh_snapshot();
                         answer->set_value(record);
                       });
    });
    nlohmann::json entry{{"tentacle", use.tentacle}, {"where", use.where.to_string()}};
    if (done.wait_for(kSwapAnswerTimeout) == std::future_status::ready) {
      const TentacleSwapRecord record = done.get();
      entry["outcome"] = record.outcome;
      entry["message"] = record.message;
    } else {
      entry["outcome"] = "rolled_back";
      entry["message"] = "the swap did not finish within 30 s (is the loop busy?)";
    }
    applied.push_back(std::move(entry));
  }
  {
    std::lock_guard lock(mutex_);
    params_ = std::move(now);
  }
  const size_t count = applied.size();
  return CommandOutcome::success(
      {{"message", count == 0 ? std::string("no parameter changed")
                              : std::to_string(count) + " parameter change" +
                                    (count == 1 ? "" : "s") + " applied"},
       {"applied", std::move(applied)},
       {"restart_needed", false}});
}

CommandOutcome LiveReload::reload_config() {
  if (settings_.config_file.empty()) {
    return CommandOutcome::failure("reload_config: this bot was started without a config file");
  }
  return apply_config("command");
}

CommandOutcome LiveReload::reload_tentacle(const std::string& name) {
  std::filesystem::path manifest_file;
  {
    std::lock_guard lock(mutex_);
    const auto found = running_.find(name);
    if (found == running_.end()) {
      return CommandOutcome::failure("reload_tentacle: tentacle '" + name +
                                     "' is not running in this bot");
    }
    manifest_file = found->second.manifest_file;
  }
  auto manifest = read_manifest(manifest_file);
  if (!manifest.ok()) return CommandOutcome::failure("reload_tentacle: " + manifest.error());
  return reload_package(manifest.value(), "command");
}

}  // namespace cephalo
