// Calls into a tentacle's function table and keeps what it said about failures.
// Thread-safety: see tentacle_instance.hpp.
#include "host/tentacle_instance.hpp"

#include <chrono>

namespace cephalo {

void Subscription::push(std::string json) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() >= kCapacity) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(std::move(json));
  }
  ready_.notify_one();
}

cephalo_status Subscription::peek(int32_t timeout_ms, std::string& out) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, std::chrono::milliseconds(std::max(timeout_ms, 0)),
                  [this] { return closed_ || !queue_.empty(); });
  // After close the reader still gets what was queued, so it sees the run's last events.
  if (queue_.empty()) return closed_ ? CEPHALO_CLOSED : CEPHALO_NOT_FOUND;
  out = queue_.front();
  return CEPHALO_OK;
}

void Subscription::pop_front() {
  bool empty = false;
  {
    std::lock_guard lock(mutex_);
    if (!queue_.empty()) queue_.pop_front();
    empty = queue_.empty();
  }
  if (empty) drained_.notify_all();
}

void Subscription::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

bool Subscription::wait_drained(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return drained_.wait_for(lock, limit, [this] { return queue_.empty(); });
}

uint64_t Subscription::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

TentacleInstance::TentacleInstance(std::shared_ptr<TentacleLibrary> library,
                                   ParameterValues parameters, HostContext& context, Name name,
                                   TentacleUse use)
    : library_(std::move(library)),
      on_event_(library_->functions().on_event),
      parameters_(std::move(parameters)),
      context_(context),
      indicator_service_(context.indicator_service()),
      name_(name),
      use_(std::move(use)) {}

TentacleInstance::~TentacleInstance() {
  destroy();
}

Status TentacleInstance::create() {
  const cephalo_status status =
      library_->functions().create(library_->host_api(), &handle_, &instance_);
  if (status != CEPHALO_OK) {
    instance_ = nullptr;
    std::string reason = take_error();
    if (reason.empty()) reason = "no reason given";
    return Error{describe_tentacle(library_->manifest()) + ": create failed (status " +
                 std::to_string(status) + "): " + reason};
  }
  return Ok{};
}

void TentacleInstance::quarantine_after(cephalo_status status) {
  quarantined_ = true;
  std::string reason = take_error();
  if (reason.empty()) reason = "status " + std::to_string(status) + ", no reason given";
  failure_ =
      describe_tentacle(library_->manifest()) + ": quarantined after on_event failed: " + reason;
}

void TentacleInstance::destroy() {
  subscription_.close();
  if (instance_ != nullptr) {
    library_->functions().destroy(instance_);
    instance_ = nullptr;
  }
}

Result<std::string> TentacleInstance::save_state() {
  std::string blob;
  if (auto saved = save_state(blob); !saved.ok()) return Error{saved.error()};
  return blob;
}

Status TentacleInstance::save_state(std::string& blob) {
  blob.clear();
  if (instance_ == nullptr) return Error{describe_tentacle(library_->manifest()) + ": not created"};
  if (library_->functions().save_state == nullptr) return Ok{};  // stateless by declaration
  const cephalo_state_writer writer{
      sizeof(cephalo_state_writer), 0, &blob,
      [](void* context, const void* bytes, uint64_t size) -> cephalo_status {
        if (size > 0 && bytes == nullptr) return CEPHALO_INVALID_ARGUMENT;
        static_cast<std::string*>(context)->append(static_cast<const char*>(bytes), size);
        return CEPHALO_OK;
      }};
  const cephalo_status status = library_->functions().save_state(instance_, &writer);
  if (status != CEPHALO_OK) {
    std::string reason = take_error();
    return Error{describe_tentacle(library_->manifest()) + ": save_state failed (status " +
                 std::to_string(status) + "): " + (reason.empty() ? "no reason given" : reason)};
  }
  return Ok{};
}

Status TentacleInstance::load_state(uint32_t state_version, std::string_view bytes) {
  if (instance_ == nullptr) return Error{describe_tentacle(library_->manifest()) + ": not created"};
  if (library_->functions().load_state == nullptr) {
    return bytes.empty() ? Status{Ok{}}
                         : Status{Error{describe_tentacle(library_->manifest()) +
                                        ": has no load_state but was handed " +
                                        std::to_string(bytes.size()) + " bytes of state"}};
  }
  const cephalo_status status =
      library_->functions().load_state(instance_, state_version, bytes.data(), bytes.size());
  if (status != CEPHALO_OK) {
    std::string reason = take_error();
    return Error{describe_tentacle(library_->manifest()) + ": load_state failed (status " +
                 std::to_string(status) + "): " + (reason.empty() ? "no reason given" : reason)};
  }
  return Ok{};
}

void TentacleInstance::set_error(std::string message) {
  std::lock_guard lock(error_mutex_);
  last_error_ = std::move(message);
}

std::string TentacleInstance::take_error() {
  std::lock_guard lock(error_mutex_);
  return std::exchange(last_error_, {});
}

}  // namespace cephalo
