// Thread-safety: see run_controls.hpp.
#include "run_controls.hpp"

#include <algorithm>
#include <string>

namespace cephalo {

namespace {

// Order changes each paper sub-account keeps for the `orders` query (three or so per order; open
// orders are always known).
constexpr size_t kOrderHistory = 2000;

}  // namespace

LogRingAttachment::LogRingAttachment(std::shared_ptr<spdlog::logger> logger)
    : logger_(std::move(logger)), ring_(std::make_shared<LogRing>(kLines)) {
  logger_->sinks().push_back(ring_);
}

LogRingAttachment::~LogRingAttachment() {
  auto& sinks = logger_->sinks();
  sinks.erase(std::remove(sinks.begin(), sinks.end(), ring_), sinks.end());
}

bool run_is_controllable(const Config& config, const Pipeline& pipeline) {
  if (config.mode != RunMode::kBacktest) return true;
  return std::any_of(
      pipeline.instances().begin(), pipeline.instances().end(),
      [](const auto& instance) { return instance->kind() == CEPHALO_KIND_INTERFACE; });
}

void start_control_service(const RunControlTargets& targets, const LogRingAttachment& log_ring,
                           RunControls& controls) {
  const Config& config = targets.config;
  Pipeline& pipeline = targets.pipeline;
  const uint64_t candles_total = targets.candles_total;
  auto connection = [&config, &pipeline, candles_total]() -> std::string {
    if (config.mode == RunMode::kLive) return "live";
    const uint64_t candles = pipeline.stats().events_by_type[CEPHALO_EVENT_CANDLE];
    if (candles >= candles_total) return "replay finished";
    return "replaying (" + std::to_string(candles) + " of " + std::to_string(candles_total) +
           " candles)";
  };
  ControlService& control = controls.control.emplace(
      SnapshotSources{pipeline, targets.loop, config.mode, targets.started_wall_ns, connection},
      targets.options.logger);
  control.set_swapper(config.mode != RunMode::kBacktest ? &targets.swapper : nullptr);
  control.set_log_ring(log_ring.ring());
  control.snapshot_builder().set_config_text(targets.options.config_text,
                                             targets.options.config_file.string());
  for (auto& venue : targets.accounts.venues) {
    if (venue) venue->keep_order_history(kOrderHistory);
  }
  control.attach();
}

Status start_live_reload(const RunControlTargets& targets, const TentacleFolders& folders,
                         const std::filesystem::path& copy_folder, RunControls& controls) {
  const Config& config = targets.config;
  const BotOptions& options = targets.options;
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
  LiveReload& reload =
      controls.live_reload.emplace(std::move(settings), config, targets.pipeline, targets.loop,
                                   targets.swapper, options.logger, *controls.control);
  controls.control->set_controls(&reload);
  return reload.start();
}

}  // namespace cephalo
