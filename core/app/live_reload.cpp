// The three hot-reload triggers and the control commands, all ending in HotSwapper.
// Thread-safety: see live_reload.hpp.
#include "live_reload.hpp"

#include <algorithm>
#include <future>

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
                       EventLoop& loop, HotSwapper& swapper, std::shared_ptr<spdlog::logger> logger)
    : settings_(std::move(settings)),
      pipeline_(pipeline),
      loop_(loop),
      swapper_(swapper),
      logger_(std::move(logger)),
      params_(params_of(config)) {}

LiveReload::~LiveReload() {
  stop();
}

void LiveReload::add_command(std::string name, Command command) {
  std::lock_guard lock(mutex_);
  commands_[std::move(name)] = std::move(command);
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
            [this] { on_config_changed(); }},
        logger_);
    if (auto started = watcher_->start(); !started.ok()) {
      logger_->warn("hot reload from files is off: {}", started.error());
      watcher_.reset();
    }
  }
  if (!settings_.control_socket.empty()) {
    control_ = std::make_unique<ControlServer>(
        settings_.control_socket, [this](const nlohmann::json& request) { return handle(request); },
        logger_);
    if (auto started = control_->start(); !started.ok()) return started;
    logger_->info("control socket {} (cephalo tentacles reload NAME -c CONFIG)",
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

nlohmann::json LiveReload::record_json(const TentacleSwapRecord& record) const {
  return {{"ok", record.outcome == "swapped"},
          {"tentacle", record.name},
          {"kind", record.kind},
          {"from_version", record.from_version},
          {"to_version", record.to_version},
          {"trigger", record.trigger},
          {"pause_us", record.pause_ns / 1000.0},
          {"state_bytes", record.state_bytes},
          {"handoff", record.handoff},
          {"outcome", record.outcome},
          {"unload", record.unload},
          {"message", record.message}};
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

nlohmann::json LiveReload::reload_package(const TentacleManifest& manifest,
                                          const std::string& trigger) {
  auto library = TentacleLibrary::load(manifest, core_host_api(), settings_.copy_folder);
  if (!library.ok()) {
    record_refusal(manifest, trigger, library.error());
    return {{"ok", false},
            {"tentacle", manifest.name},
            {"to_version", manifest.version},
            {"outcome", "rolled_back"},
            {"message", library.error()}};
  }
  auto answer = std::make_shared<std::promise<nlohmann::json>>();
  auto future = answer->get_future();
  swapper_.request(SwapRequest{library.value(), std::nullopt, trigger, std::nullopt},
                   [this, answer](const TentacleSwapRecord& record) {
                     refresh_snapshot();
                     answer->set_value(record_json(record));
                   });
  library.value().reset();
  if (future.wait_for(kSwapAnswerTimeout) != std::future_status::ready) {
    return {{"ok", false}, {"message", "the swap did not finish within 30 s (is the loop busy?)"}};
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

void LiveReload::on_config_changed() {
  auto loaded = load_config(settings_.config_file, settings_.overrides);
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) {
      logger_->error("config change not applied: {}", problem.to_string());
    }
    return;
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
  if (!same_shape) {
    logger_->warn(
        "{}: the pipeline's tentacles changed; that needs a restart (only parameter "
        "changes are applied while running)",
        settings_.config_file.string());
    return;
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
    auto answer = std::make_shared<std::promise<void>>();
    auto done = answer->get_future();
    loop_.post([this, use, target, answer] {
      const auto libraries = pipeline_.running_libraries(use.tentacle);
      if (libraries.empty()) {
        answer->set_value();
        return;
      }
      swapper_.request(SwapRequest{libraries.front(), use, "config", target},
                       [this, answer](const TentacleSwapRecord&) {
                         refresh_snapshot();
                         answer->set_value();
                       });
    });
    done.wait_for(kSwapAnswerTimeout);
  }
  std::lock_guard lock(mutex_);
  params_ = std::move(now);
}

nlohmann::json LiveReload::handle(const nlohmann::json& request) {
  const std::string command = request["command"].get<std::string>();
  if (command == "ping") return {{"ok", true}};
  if (command == "stop") {
    loop_.stop();
    return {{"ok", true}, {"message", "stopping after the current event"}};
  }
  if (command == "status") {
    nlohmann::json tentacles = nlohmann::json::array();
    std::lock_guard lock(mutex_);
    for (const auto& [name, running] : running_) {
      tentacles.push_back({{"name", name}, {"version", running.version}});
    }
    return {{"ok", true}, {"tentacles", tentacles}};
  }
  if (command == "reload") {
    if (!request.contains("tentacle") || !request["tentacle"].is_string()) {
      return {{"ok", false}, {"error", "reload needs \"tentacle\": NAME"}};
    }
    const std::string name = request["tentacle"].get<std::string>();
    std::filesystem::path manifest_file;
    {
      std::lock_guard lock(mutex_);
      const auto found = running_.find(name);
      if (found == running_.end()) {
        return {{"ok", false}, {"error", "tentacle '" + name + "' is not running in this bot"}};
      }
      manifest_file = found->second.manifest_file;
    }
    auto manifest = read_manifest(manifest_file);
    if (!manifest.ok()) return {{"ok", false}, {"error", manifest.error()}};
    return reload_package(manifest.value(), "command");
  }
  Command extra;
  {
    std::lock_guard lock(mutex_);
    if (auto found = commands_.find(command); found != commands_.end()) extra = found->second;
  }
  if (extra) return extra(request);
  return {{"ok", false}, {"error", "unknown command '" + command + "'"}};
}

}  // namespace cephalo
