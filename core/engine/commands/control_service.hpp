// ControlService: the one way into a running bot from outside its loop. It checks each request
// against the command/query table, answers queries from the latest snapshot on the asking thread,
// runs commands on the loop thread between two events (or, for reloads, on its own worker thread
// while the loop does its part), and wraps every answer in the documented envelope.
// Thread-safety: query/command/handle from any thread except the loop's (handle blocks); the
// constructor, attach() and shutdown() from the thread that owns the run.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/commands/control_api.hpp"
#include "engine/commands/log_ring.hpp"
#include "engine/commands/request_parser.hpp"
#include "engine/commands/snapshot_builder.hpp"
#include "engine/commands/snapshot_hub.hpp"
#include "host/control_port.hpp"

namespace cephalo {

struct ControlSettings {
  // A snapshot this young answers a query without asking the loop for a new one.
  std::chrono::milliseconds fresh_for{10};
  // An older one asks for a new one, and still answers at once while it is at most this old.
  std::chrono::milliseconds stale_for{250};
  // An older one (or none) waits for the new one at most this long, then takes the latest.
  std::chrono::milliseconds patience{2000};
  // How long a blocking caller (the control socket) waits for the loop to run a command.
  std::chrono::milliseconds command_timeout{30000};
};

class ControlService final : public ControlPort {
 public:
  ControlService(SnapshotSources sources, std::shared_ptr<spdlog::logger> logger,
                 ControlSettings settings = {});
  ~ControlService() override;
  ControlService(const ControlService&) = delete;
  ControlService& operator=(const ControlService&) = delete;

  // What commands may use beyond the pipeline and loop (null: the commands needing them refuse).
  void set_swapper(HotSwapper* swapper) { swapper_ = swapper; }
  void set_controls(BotControls* controls) { controls_ = controls; }
  // The log ring the `logs` query reads (null: no lines).
  void set_log_ring(std::shared_ptr<LogRing> ring) { logs_ = std::move(ring); }
  // Makes this the pipeline's control port and activity sink, and the swapper's observer's
  // target (see snapshot_builder()).
  void attach();
  SnapshotBuilder& snapshot_builder() { return builder_; }
  const SnapshotHub& snapshot_hub() const { return hub_; }

  // ControlPort: interface tentacles.
  std::string query(std::string_view request_json, const std::string& caller) override;
  void command(std::string_view request_json, const std::string& caller, Done done) override;

  // Any request, query or command, answered when done (the control socket, the CLI, tests).
  // Blocks the calling thread at most command_timeout for the loop; never call it on the loop.
  nlohmann::json handle(const nlohmann::json& request, const std::string& caller);
  nlohmann::json handle_text(std::string_view request_json, const std::string& caller);

  // The loop has stopped: queries take the latest snapshot, commands waiting for the loop are
  // answered with an error at once, the worker thread ends.
  void shutdown();

 private:
  using Parsed = ParsedRequest;
  nlohmann::json answer_query(const Parsed& parsed);
  static nlohmann::json command_answer(const Parsed& parsed, const CommandOutcome& outcome);
  // On the loop thread: runs a loop command, publishes a snapshot, then `finish(outcome)`.
  void run_on_loop(const Parsed& parsed, const std::string& caller,
                   const std::function<void(CommandOutcome)>& finish);
  CommandOutcome run_blocking(const Parsed& parsed, const std::string& caller);
  void worker_loop();

  SnapshotSources sources_;
  std::shared_ptr<spdlog::logger> logger_;
  ControlSettings settings_;
  SnapshotBuilder builder_;
  SnapshotHub hub_;
  HotSwapper* swapper_ = nullptr;
  std::optional<size_t> swap_listener_;  // the handle attach() got from the swapper
  BotControls* controls_ = nullptr;
  std::shared_ptr<LogRing> logs_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<std::function<void()>> jobs_;  // blocking commands from interfaces
  std::thread worker_;
};

}  // namespace cephalo
