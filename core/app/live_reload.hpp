// LiveReload: what makes a running bot change without a restart. New builds dropped into a
// tentacles folder, the reload_tentacle and reload_config commands, and tentacle parameters
// edited in the config file all end as hot swaps through one HotSwapper. It also opens the
// control socket, whose requests go to the command/query set (ControlService).
// Thread-safety: constructed and started on the loop thread before the loop runs; the watcher,
// control and command threads only read the snapshot (locked) and post work to the loop.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "control_server.hpp"
#include "engine/commands/control_service.hpp"
#include "events/event_loop.hpp"
#include "host/catalog.hpp"
#include "host/hot_swap.hpp"
#include "host/package_watcher.hpp"
#include "host/smoke_test.hpp"

namespace cephalo {

struct LiveReloadSettings {
  std::filesystem::path config_file;     // watched for parameter edits; empty = not watched
  std::vector<std::string> overrides;    // --set values, applied again when it is re-read
  TentacleFolders folders;               // where packages are found
  std::filesystem::path copy_folder;     // private library copies
  std::filesystem::path control_socket;  // empty = no control channel
  bool watch_tentacles = true;
  bool watch_config = true;
  std::chrono::milliseconds debounce{300};
  // A new build is smoke-tested in a child of this cephalo executable before it is loaded here
  // (empty: not smoke-tested, for in-process tests); the child is killed after the time limit.
  std::filesystem::path smoke_binary;
  std::filesystem::path smoke_folder = default_smoke_folder();
  std::chrono::milliseconds smoke_time_limit{5000};
};

class LiveReload final : public BotControls {
 public:
  // `control` answers the control socket's requests (the command/query set).
  LiveReload(LiveReloadSettings settings, const Config& config, Pipeline& pipeline, EventLoop& loop,
             HotSwapper& swapper, std::shared_ptr<spdlog::logger> logger,
             ControlService& control);
  ~LiveReload() override;

  // Loop thread, before the loop runs. A control socket that cannot be opened is an error (the
  // user asked for it); a folder that cannot be watched is a warning.
  Status start();
  void stop();

  // BotControls: the reload_tentacle and reload_config commands (off the loop thread).
  CommandOutcome reload_tentacle(const std::string& name) override;
  CommandOutcome reload_config() override;

 private:
  struct Running {
    std::filesystem::path manifest_file;
    std::string sha256;
    std::string version;
  };
  void refresh_snapshot();  // loop thread
  // Any thread but the loop's: loads the package's library and asks for the swap; the outcome
  // is the swap record (or the refusal) once the swap finished or was refused. A build (by its
  // SHA-256) is tried once: a second request while it is being tried, or after it was refused,
  // gets that attempt's answer with "repeated": true (so the watcher and a command do not both
  // try it, and the history has one row for it).
  CommandOutcome reload_package(const TentacleManifest& manifest, const std::string& trigger);
  // The attempt itself: a private copy, its checks, the smoke test in a child process, the load
  // here, the swap on the loop. `definitive` says whether the files were complete (the checksum
  // matched), so that the outcome is the build's own and need not be tried again.
  CommandOutcome try_build(const TentacleManifest& manifest, const std::string& trigger,
                           bool& definitive);
  // The running instance's state and the candle history, taken on the loop thread, then the new
  // build rehearsed with them in a child process.
  SmokeVerdict smoke_test(const TentacleManifest& manifest, const std::filesystem::path& library);
  void on_folder_changed(const std::filesystem::path& folder);
  // The config file read again: each changed parameter entry swapped (trigger "config" from the
  // watcher, "command" from reload_config); reload_config's result.
  CommandOutcome apply_config(const std::string& trigger);
  void record_refusal(const TentacleManifest& manifest, const std::string& trigger,
                      const std::string& reason);

  LiveReloadSettings settings_;
  Pipeline& pipeline_;
  EventLoop& loop_;
  HotSwapper& swapper_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mutex_;
  std::map<std::string, Running> running_;                                 // by tentacle name
  std::vector<std::pair<std::string, std::vector<ParamSetting>>> params_;  // per planned use
  ControlService& control_service_;
  // By build SHA-256: the attempt in progress, or the refusal it ended in.
  std::map<std::string, std::shared_future<CommandOutcome>> attempts_;
  std::unique_ptr<PackageWatcher> watcher_;
  std::unique_ptr<ControlServer> control_;
};

}  // namespace cephalo
