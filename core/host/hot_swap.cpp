// The swap protocol of ARCHITECTURE.md, timed, logged and stored.
// Thread-safety: see hot_swap.hpp.
#include "host/hot_swap.hpp"

#include <chrono>

#include "host/mapped_images.hpp"

namespace cephalo {

namespace {

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string retire_instances(std::vector<std::unique_ptr<TentacleInstance>>& retired,
                             const TentacleLibrary* successor) {
  bool same_library = !retired.empty();
  for (const auto& instance : retired) {
    same_library = same_library && instance->shared_library().get() == successor;
  }
  struct Image {
    std::weak_ptr<TentacleLibrary> library;
    std::filesystem::path path;
  };
  std::vector<Image> images;
  for (auto& instance : retired) {
    const auto& library = instance->shared_library();
    images.push_back(Image{library, library->image_path()});
    instance->destroy();
    instance.reset();
  }
  retired.clear();
  if (same_library) return "kept: the new instance runs the same library";
  std::string verdict;
  for (const Image& image : images) {
    std::string problem;
    if (const long owners = image.library.use_count(); owners > 0) {
      problem = image.path.string() + " is still used by " + std::to_string(owners) +
                " other owner(s) in the core";
    } else if (image_is_mapped(image.path)) {
      problem = image.path.string() +
                " is still mapped after dlclose (something in the process pins it: a unique "
                "symbol, a thread-local with a destructor, or a library it loaded itself)";
    }
    if (!problem.empty() && verdict.find(problem) == std::string::npos) {
      verdict += (verdict.empty() ? "pinned: " : "; ") + problem;
    }
  }
  return verdict.empty() ? "unloaded" : verdict;
}

HotSwapper::HotSwapper(Pipeline& pipeline, EventLoop& loop, Repository* repository,
                       std::shared_ptr<spdlog::logger> logger)
    : pipeline_(pipeline), loop_(loop), repository_(repository), logger_(std::move(logger)) {}

TentacleSwapRecord HotSwapper::attempt(const SwapRequest& request,
                                       std::vector<std::unique_ptr<TentacleInstance>>& retired) {
  const TentacleManifest& manifest = request.library->manifest();
  TentacleSwapRecord record;
  record.time_ns = wall_now_ns();
  record.name = manifest.name;
  record.kind = kind_to_string(manifest.kind);
  record.to_version = manifest.version;
  record.trigger = request.trigger;
  const auto start = std::chrono::steady_clock::now();
  auto outcome = pipeline_.swap(request.library, request.use ? &*request.use : nullptr,
                                request.target ? &*request.target : nullptr);
  record.pause_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count();
  record.from_version = outcome.from_version;
  record.state_bytes = static_cast<int64_t>(outcome.state_bytes);
  record.handoff = outcome.handoff.empty() ? "none" : outcome.handoff;
  record.outcome = outcome.swapped ? "swapped" : "rolled_back";
  record.message = outcome.error;
  if (outcome.swapped && request.target) {
    record.message = "slot " + pipeline_.slot_name(request.target->slot) + " only";
  }
  retired = std::move(outcome.retired);
  return record;
}

void HotSwapper::finish(TentacleSwapRecord& record) {
  if (record.outcome == "swapped") {
    logger_->info(
        "hot swap: {} {} {} -> {} ({}{}{}): pause {} us, {} state bytes ({}), old library {}",
        record.kind, record.name, record.from_version, record.to_version, record.trigger,
        record.message.empty() ? "" : ", ", record.message, record.pause_ns / 1000,
        record.state_bytes, record.handoff, record.unload);
    if (record.unload != "unloaded") logger_->warn("hot swap: {} {}", record.name, record.unload);
  } else {
    logger_->error("hot swap of {} to {} rolled back ({}); the running version keeps trading: {}",
                   record.name, record.to_version, record.trigger, record.message);
    Event event;
    event.exchange_time_ns = loop_.clock().now_ns();
    event.payload = ErrorInfo{"hot_swap", "swap of " + record.name + " to " + record.to_version +
                                              " rolled back: " + record.message};
    loop_.post_event(std::move(event));
  }
  if (repository_ != nullptr) repository_->record(record);
  for (const Done& listener : listeners_) {
    if (listener) listener(record);
  }
}

size_t HotSwapper::add_listener(Done listener) {
  listeners_.push_back(std::move(listener));
  return listeners_.size() - 1;
}

void HotSwapper::remove_listener(size_t handle) {
  if (handle < listeners_.size()) listeners_[handle] = nullptr;
}

void HotSwapper::record_refusal(const TentacleManifest& manifest, const std::string& from_version,
                                const std::string& trigger, const std::string& reason) {
  TentacleSwapRecord record;
  record.time_ns = wall_now_ns();
  record.name = manifest.name;
  record.kind = kind_to_string(manifest.kind);
  record.from_version = from_version;
  record.to_version = manifest.version;
  record.trigger = trigger;
  record.handoff = "none";
  record.outcome = "rolled_back";
  record.message = reason;
  finish(record);
}

TentacleSwapRecord HotSwapper::swap_now(const SwapRequest& request) {
  std::vector<std::unique_ptr<TentacleInstance>> retired;
  TentacleSwapRecord record = attempt(request, retired);
  if (record.outcome == "swapped") {
    record.unload = retire_instances(retired, request.library.get());
  }
  finish(record);
  return record;
}

void HotSwapper::request(SwapRequest request, Done done) {
  loop_.post([this, request = std::move(request), done = std::move(done)]() mutable {
    auto retired = std::make_shared<std::vector<std::unique_ptr<TentacleInstance>>>();
    auto record = std::make_shared<TentacleSwapRecord>(attempt(request, *retired));
    const TentacleLibrary* successor = request.library.get();
    request.library.reset();  // a rolled-back library goes now; a swapped one lives in the pipeline
    loop_.post([this, retired, record, successor, done = std::move(done)] {
      if (record->outcome == "swapped") {
        record->unload = retire_instances(*retired, successor);
      }
      finish(*record);
      if (done) done(*record);
    });
  });
}

}  // namespace cephalo
