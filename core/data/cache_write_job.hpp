// CacheWriteJob: writes a binary cache file on its own thread while the caller replays the bars.
// Thread-safety: the job object belongs to one thread; the write it runs may only read shared data.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "model/result.hpp"

namespace cephalo {

// Writing a 10M-bar cache file (hash, 480 MB into the page cache, rename) takes a sizeable part of
// a first run from CSV; on its own thread it overlaps the replay on a second core. The job is
// never detached: wait() or the destructor joins it, so no write is still running when its owner
// (and at last the process) goes away, and a temporary file is never left half-written by us.
class CacheWriteJob {
 public:
  CacheWriteJob() = default;  // no write started
  // Starts `write` on a new thread. If no thread can be started it runs here and now: only the
  // overlap is lost. `file` is the cache file it writes, for messages.
  CacheWriteJob(std::filesystem::path file, std::function<Status()> write);
  ~CacheWriteJob();  // joins
  CacheWriteJob(CacheWriteJob&& other) noexcept = default;
  CacheWriteJob& operator=(CacheWriteJob&& other) noexcept;  // joins the job it replaces
  CacheWriteJob(const CacheWriteJob&) = delete;
  CacheWriteJob& operator=(const CacheWriteJob&) = delete;

  bool started() const { return state_ != nullptr; }
  // The cache file written; empty when no write was started.
  const std::filesystem::path& file() const { return file_; }
  // Blocks until the write is over, then says whether the cache file is in place, or why not.
  // May be called again: it returns the same. Without a started write, an error says so.
  Status wait();

 private:
  // On the heap, so the running thread's view of it survives moves of the job.
  struct State {
    Status status;  // written by the thread, read after the join
    std::thread thread;
  };
  std::filesystem::path file_;
  std::unique_ptr<State> state_;
};

}  // namespace cephalo
