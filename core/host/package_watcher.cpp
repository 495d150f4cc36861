// inotify with a quiet-time debounce; the thread sleeps in poll() between changes.
// Thread-safety: see package_watcher.hpp.
#include "host/package_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "model/system_text.hpp"

namespace cephalo {

namespace {

// Package folders are <root>/<kind folder>/<name>/: three levels are enough, as in the catalog.
constexpr int kWatchDepth = 3;
constexpr uint32_t kFolderMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;

// Install's staging folder, the version it keeps (.<name>.previous) and the crash log are hidden:
// none of them is a package, and a staging folder may be gone before it could be watched (which
// used to log a warning on every install).
bool is_hidden(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

PackageWatcher::PackageWatcher(std::vector<std::filesystem::path> tentacle_roots,
                               std::filesystem::path config_file,
                               std::chrono::milliseconds debounce, Callbacks callbacks,
                               std::shared_ptr<spdlog::logger> logger)
    : roots_(std::move(tentacle_roots)),
      config_file_(std::move(config_file)),
      debounce_(debounce),
      callbacks_(std::move(callbacks)),
      logger_(std::move(logger)) {}

PackageWatcher::~PackageWatcher() {
  stop();
}

Status PackageWatcher::start() {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0)
    return Error{std::string("inotify_init1 failed: ") + system_error_text(errno)};
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) return Error{std::string("eventfd failed: ") + system_error_text(errno)};
  for (const auto& root : roots_) {
    std::error_code ec;
    if (std::filesystem::is_directory(root, ec)) watch_tree(root, 0);
  }
  if (!config_file_.empty()) {
    // The folder, not the file: editors save by writing a new file and renaming it over.
    const auto folder = std::filesystem::absolute(config_file_).parent_path();
    const int wd = ::inotify_add_watch(inotify_fd_, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
    if (wd >= 0) watched_[wd] = folder;
  }
  thread_ = std::thread([this] { run(); });
  return Ok{};
}

void PackageWatcher::stop() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    [[maybe_unused]] const auto wrote = ::write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  inotify_fd_ = stop_fd_ = -1;
}

void PackageWatcher::watch_tree(const std::filesystem::path& folder, int depth) {
  const int wd = ::inotify_add_watch(inotify_fd_, folder.c_str(), kFolderMask);
  if (wd < 0) {
    logger_->warn("cannot watch {} for new tentacle builds: {}", folder.string(),
                  system_error_text(errno));
    return;
  }
  watched_[wd] = folder;
  if (depth + 1 >= kWatchDepth) return;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.is_directory(ec) && !is_hidden(entry.path())) watch_tree(entry.path(), depth + 1);
  }
}

void PackageWatcher::handle_events() {
  alignas(inotify_event) std::array<char, 16384> buffer;
  const auto absolute_config = std::filesystem::absolute(config_file_).lexically_normal();
  for (;;) {
    const ssize_t got = ::read(inotify_fd_, buffer.data(), buffer.size());
    if (got <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    for (ssize_t offset = 0; offset < got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      const auto found = watched_.find(event->wd);
      if (found == watched_.end() || event->len == 0) continue;
      const std::filesystem::path path = found->second / event->name;
      if (!config_file_.empty() && path.lexically_normal() == absolute_config) {
        pending_config_ = now + debounce_;
        continue;
      }
      if (is_hidden(path)) continue;
      if ((event->mask & IN_ISDIR) != 0 && (event->mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
        // A package folder moved in whole (an atomic install) or a new kind folder: watch it
        // and look at what it holds.
        int depth = 0;
        for (const auto& root : roots_) {
          const auto relative = path.lexically_relative(root);
          if (!relative.empty() && *relative.begin() != "..") {
            depth = static_cast<int>(std::distance(relative.begin(), relative.end()));
          }
        }
        if (depth < kWatchDepth) watch_tree(path, depth);
        pending_folders_[path] = now + debounce_;
        continue;
      }
      pending_folders_[found->second] = now + debounce_;
    }
  }
}

void PackageWatcher::fire_due() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_folders_.begin(); it != pending_folders_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    const auto folder = it->first;
    it = pending_folders_.erase(it);
    std::error_code ec;
    if (callbacks_.folder_changed && std::filesystem::exists(folder / "tentacle.yaml", ec)) {
      callbacks_.folder_changed(folder);
    }
  }
  if (pending_config_ && *pending_config_ <= now) {
    pending_config_.reset();
    if (callbacks_.config_changed) callbacks_.config_changed();
  }
}

void PackageWatcher::run() {
  for (;;) {
    int timeout_ms = -1;
    auto next = std::optional<std::chrono::steady_clock::time_point>();
    for (const auto& [folder, when] : pending_folders_) next = next ? std::min(*next, when) : when;
    if (pending_config_) next = next ? std::min(*next, *pending_config_) : *pending_config_;
    if (next) {
      const auto wait =
          std::chrono::ceil<std::chrono::milliseconds>(*next - std::chrono::steady_clock::now());
      timeout_ms = static_cast<int>(std::max<int64_t>(0, wait.count()));
    }
    std::array<pollfd, 2> fds{pollfd{inotify_fd_, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      logger_->error("tentacle folder watch stopped: poll failed: {}", system_error_text(errno));
      return;
    }
    if ((fds[1].revents & POLLIN) != 0) return;
    if ((fds[0].revents & POLLIN) != 0) handle_events();
    fire_due();
  }
}

}  // namespace cephalo
