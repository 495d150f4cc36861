// HotSwapper: replaces a running tentacle between two events and records every attempt.
// Thread-safety: request() from any thread; swap_now() and the callbacks on the loop thread.
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/event_loop.hpp"
#include "host/pipeline.hpp"
#include "storage/repository.hpp"

namespace cephalo {

struct SwapRequest {
  std::shared_ptr<TentacleLibrary> library;  // loaded and checked already, off the loop thread
  std::optional<TentacleUse> use;            // new parameters; none = keep each instance's own
  std::string trigger;                       // file, command, config
  // Only this instance (new parameters for one A/B slot's copy); none: every instance.
  std::optional<Pipeline::SwapTarget> target;
};

// Destroys the retired instances and lets go of their libraries, then checks that each library
// image really left the process: "unloaded", or "pinned: ..." saying what holds it. A swap to new
// parameters keeps the library (`successor` runs it): "kept: ...".
std::string retire_instances(std::vector<std::unique_ptr<TentacleInstance>>& retired,
                             const TentacleLibrary* successor);

class HotSwapper {
 public:
  using Done = std::function<void(const TentacleSwapRecord&)>;

  HotSwapper(Pipeline& pipeline, EventLoop& loop, Repository* repository,
             std::shared_ptr<spdlog::logger> logger);

  // Loop thread, between events: the swap, then at once the retirement of the old instance.
  TentacleSwapRecord swap_now(const SwapRequest& request);
  // Any thread: the swap runs as one loop task between two events; the old instance is retired
  // in a later task, so its destruction and dlclose are not part of the pause. `done` runs on
  // the loop thread with the finished record.
  void request(SwapRequest request, Done done);
  // Any thread: a new build that could not even be loaded (manifest, checksum, ABI) is a swap
  // attempt too, logged, stored and raised like a rollback.
  void record_refusal(const TentacleManifest& manifest, const std::string& from_version,
                      const std::string& trigger, const std::string& reason);
  // Told of every finished attempt (swapped, rolled back or refused): the run's problems list
  // takes the rollbacks, the query set keeps the swap history. Add before any swap; called on
  // the loop thread, or on the thread that called record_refusal. Returns the handle that
  // remove_listener takes.
  size_t add_listener(Done listener);
  // Before the listener's owner goes; later attempts no longer reach it.
  void remove_listener(size_t handle);

 private:
  // The swap itself; fills everything but the unload outcome.
  TentacleSwapRecord attempt(const SwapRequest& request,
                             std::vector<std::unique_ptr<TentacleInstance>>& retired);
  void finish(TentacleSwapRecord& record);

  Pipeline& pipeline_;
  EventLoop& loop_;
  Repository* repository_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<Done> listeners_;  // an empty one was removed
};

}  // namespace cephalo
