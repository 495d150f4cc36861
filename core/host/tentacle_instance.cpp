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
      crash_label_(library_->crash_label()),
      parameters_(std::move(parameters)),
      context_(context),
      indicator_service_(context.indicator_service()),
      name_(name),
      use_(std::move(use)) {}

TentacleInstance::~TentacleInstance() {
  destroy();
}

Status TentacleInstance::create() {
  cephalo_status status;
  {
    const TentacleCallScope inside(crash_label_, "create");
    status = library_->functions().create(library_->host_api(), &handle_, &instance_);
  }
  if (status != CEPHALO_OK) {
    instance_ = nullptr;
    return Error{describe_tentacle(library_->manifest()) + ": create failed (" +
                 cephalo_status_name(status) + "): " + failure_reason(status)};
  }
  return Ok{};
}

void TentacleInstance::quarantine_after(cephalo_status status) {
  quarantined_ = true;
  failure_ = describe_tentacle(library_->manifest()) + ": quarantined after on_event failed (" +
             cephalo_status_name(status) + "): " + failure_reason(status);
}

std::string TentacleInstance::failure_reason(cephalo_status status) {
  std::string reason = take_error();
  const std::string refused = refusal();
  if (!refused.empty() && reason.find(refused) == std::string::npos) {
    reason += (reason.empty() ? "" : " (") + std::string("the host's last refusal: ") + refused +
              (reason.empty() ? "" : ")");
  }
  if (reason.empty()) reason = std::string(cephalo_status_name(status)) + ", no reason given";
  return reason;
}

void TentacleInstance::destroy() {
  subscription_.close();
  if (instance_ != nullptr) {
    const TentacleCallScope inside(crash_label_, "destroy");
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
  cephalo_status status;
  {
    const TentacleCallScope inside(crash_label_, "save_state");
    status = library_->functions().save_state(instance_, &writer);
  }
  if (status != CEPHALO_OK) {
    return Error{describe_tentacle(library_->manifest()) + ": save_state failed (" +
                 cephalo_status_name(status) + "): " + failure_reason(status)};
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
  cephalo_status status;
  {
    const TentacleCallScope inside(crash_label_, "load_state");
    status = library_->functions().load_state(instance_, state_version, bytes.data(), bytes.size());
  }
  if (status != CEPHALO_OK) {
    return Error{describe_tentacle(library_->manifest()) + ": load_state failed (" +
                 cephalo_status_name(status) + "): " + failure_reason(status)};
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

void TentacleInstance::refuse(std::string reason) {
  std::lock_guard lock(error_mutex_);
  last_error_ = reason;
  last_refusal_ = std::move(reason);
}

std::string TentacleInstance::refusal() const {
  std::lock_guard lock(error_mutex_);
  return last_refusal_;
}

void TentacleInstance::keep_oversized_answer(std::string request, std::string answer) {
  std::lock_guard lock(oversized_mutex_);
  oversized_request_ = std::move(request);
  oversized_answer_ = std::move(answer);
}

bool TentacleInstance::take_oversized_answer(std::string_view request, std::string& answer) {
  std::lock_guard lock(oversized_mutex_);
  if (oversized_answer_.empty() || request != oversized_request_) return false;
  answer = std::move(oversized_answer_);
  oversized_answer_.clear();
  oversized_request_.clear();
  return true;
}

}  // namespace cephalo
