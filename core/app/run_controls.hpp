// The ways into a run from outside its loop: the command/query set (interface tentacles, the
// control socket and the CLI all go through it), and for paper and live bots hot reload (new
// builds, edited parameters, the control socket's requests).
// Thread-safety: created, started and shut down on the run's thread; see each class for the rest.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <optional>

#include "bot.hpp"
#include "engine/commands/control_service.hpp"
#include "engine/commands/log_ring.hpp"
#include "host/hot_swap.hpp"
#include "live_reload.hpp"
#include "run_accounts.hpp"

namespace cephalo {

// Adds a LogRing to a logger for the life of a run (the `logs` query's lines).
class LogRingAttachment {
 public:
  static constexpr size_t kLines = 2000;
  explicit LogRingAttachment(std::shared_ptr<spdlog::logger> logger);
  ~LogRingAttachment();
  LogRingAttachment(const LogRingAttachment&) = delete;
  LogRingAttachment& operator=(const LogRingAttachment&) = delete;
  const std::shared_ptr<LogRing>& ring() const { return ring_; }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<LogRing> ring_;
};

// Whether anything can steer or ask the run: a paper or live bot, or a backtest with an
// interface tentacle. A backtest without one has nobody to ask, so it gets no command/query set.
bool run_is_controllable(const Config& config, const Pipeline& pipeline);

// What the controls reach. Everything outlives the controls.
struct RunControlTargets {
  const Config& config;
  const BotOptions& options;
  Pipeline& pipeline;
  EventLoop& loop;
  HotSwapper& swapper;
  RunAccounts& accounts;
  int64_t started_wall_ns = 0;
  uint64_t candles_total = 0;  // what the replay will feed (status: "replaying (N of M)")
};

struct RunControls {
  std::optional<ControlService> control;
  std::optional<LiveReload> live_reload;
};

// Attaches the command/query set to the pipeline; its `logs` query reads `log_ring`. The paper
// venues then keep their recent order history for the `orders` query.
void start_control_service(const RunControlTargets& targets, const LogRingAttachment& log_ring,
                           RunControls& controls);

// Paper and live: starts hot reload (the tentacle and config watchers, the control socket),
// which answers through the control service started before it.
Status start_live_reload(const RunControlTargets& targets, const TentacleFolders& folders,
                         const std::filesystem::path& copy_folder, RunControls& controls);

}  // namespace cephalo
