#include "data/cache_write_job.hpp"

#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace cephalo {
namespace {

// No exception may leave a thread (it would terminate the process), nor cross to the caller.
Status run_guarded(const std::function<Status()>& write) {
  try {
    return write();
  } catch (const std::exception& error) {
    return Error{std::string("cache writer failed: ") + error.what()};
  } catch (...) {
    return Error{"cache writer failed with an unknown exception"};
  }
}

void join(std::thread& thread) {
  if (thread.joinable()) thread.join();
}

}  // namespace

CacheWriteJob::CacheWriteJob(std::filesystem::path file, std::function<Status()> write)
    : file_(std::move(file)), state_(std::make_unique<State>()) {
  State* const state = state_.get();
  // Shared rather than copied into the thread, so it is still here if no thread can start.
  const auto shared = std::make_shared<const std::function<Status()>>(std::move(write));
  try {
    // The thread writes only state->status; this thread reads it only after the join.
    state_->thread = std::thread([state, shared] { state->status = run_guarded(*shared); });
  } catch (const std::system_error&) {
    state_->status = run_guarded(*shared);  // no thread to be had (resource limits)
  }
}

CacheWriteJob::~CacheWriteJob() {
  if (state_) join(state_->thread);
}

CacheWriteJob& CacheWriteJob::operator=(CacheWriteJob&& other) noexcept {
  if (this != &other) {
    if (state_) join(state_->thread);
    file_ = std::move(other.file_);
    state_ = std::move(other.state_);
  }
  return *this;
}

Status CacheWriteJob::wait() {
  if (!state_) return Error{"no cache write was started"};
  join(state_->thread);
  return state_->status;
}

}  // namespace cephalo
