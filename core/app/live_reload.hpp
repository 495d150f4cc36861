// LiveReload: what makes a running bot change without a restart. New builds dropped into a
// tentacles folder, `cephalo tentacles reload NAME` over the control socket, and tentacle
// parameters edited in the config file all end as hot swaps through one HotSwapper.
// Thread-safety: constructed and started on the loop thread before the loop runs; the watcher and
// control threads only read the snapshot (locked) and post work to the loop.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "control_server.hpp"
#include "events/event_loop.hpp"
#include "host/catalog.hpp"
#include "host/hot_swap.hpp"
#include "host/package_watcher.hpp"

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
};

class LiveReload {
 public:
  LiveReload(LiveReloadSettings settings, const Config& config, Pipeline& pipeline, EventLoop& loop,
             HotSwapper& swapper, std::shared_ptr<spdlog::logger> logger);
  ~LiveReload();

  // Loop thread, before the loop runs. A control socket that cannot be opened is an error (the
  // user asked for it); a folder that cannot be watched is a warning.
  Status start();
  void stop();
  // Extra control commands (kill, promote...) registered by the bot; `reload`, `status`, `ping`
  // and `stop` are built in.
  using Command = std::function<nlohmann::json(const nlohmann::json& request)>;
  void add_command(std::string name, Command command);

 private:
  struct Running {
    std::filesystem::path manifest_file;
    std::string sha256;
    std::string version;
  };
  void refresh_snapshot();  // loop thread
  nlohmann::json handle(const nlohmann::json& request);
  // Any thread but the loop's: loads the package's library and asks for the swap; the answer
  // is the swap record (or the refusal) as JSON once the swap finished or was refused.
  nlohmann::json reload_package(const TentacleManifest& manifest, const std::string& trigger);
  void on_folder_changed(const std::filesystem::path& folder);
  void on_config_changed();
  nlohmann::json record_json(const TentacleSwapRecord& record) const;
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
  std::map<std::string, Command> commands_;
  std::unique_ptr<PackageWatcher> watcher_;
  std::unique_ptr<ControlServer> control_;
};

}  // namespace cephalo
