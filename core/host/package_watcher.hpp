// PackageWatcher: tells when a tentacle package folder or the config file changed and went quiet.
// Thread-safety: start/stop from one thread; callbacks run on the watcher's own thread.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "model/result.hpp"

namespace cephalo {

class PackageWatcher {
 public:
  struct Callbacks {
    // A folder under a tentacles root in which files were written or moved in; called once the
    // folder has been quiet for the debounce time (an install writes several files).
    std::function<void(const std::filesystem::path& folder)> folder_changed;
    // The config file was saved (written or replaced by rename) and went quiet.
    std::function<void()> config_changed;
  };

  PackageWatcher(std::vector<std::filesystem::path> tentacle_roots,
                 std::filesystem::path config_file, std::chrono::milliseconds debounce,
                 Callbacks callbacks, std::shared_ptr<spdlog::logger> logger);
  ~PackageWatcher();
  PackageWatcher(const PackageWatcher&) = delete;
  PackageWatcher& operator=(const PackageWatcher&) = delete;

  // Sets up inotify watches (roots that do not exist yet are skipped) and starts the thread.
  Status start();
  void stop();

 private:
  void run();
  void watch_tree(const std::filesystem::path& folder, int depth);
  void handle_events();
  void fire_due();

  std::vector<std::filesystem::path> roots_;
  std::filesystem::path config_file_;
  std::chrono::milliseconds debounce_;
  Callbacks callbacks_;
  std::shared_ptr<spdlog::logger> logger_;
  int inotify_fd_ = -1;
  int stop_fd_ = -1;                              // eventfd: wakes the thread to stop
  std::map<int, std::filesystem::path> watched_;  // watch descriptor -> folder
  std::map<std::filesystem::path, std::chrono::steady_clock::time_point> pending_folders_;
  std::optional<std::chrono::steady_clock::time_point> pending_config_;
  std::thread thread_;
};

}  // namespace cephalo
