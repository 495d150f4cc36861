// TentacleInstance: one created tentacle (library + instance pointer + parameters + status).
// Thread-safety: loop thread, except set_error/last_error and the subscription, which lock.
#pragma once

#include <cephalo/tentacle.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "host/host_context.hpp"
#include "host/parameter_value.hpp"
#include "host/tentacle_call.hpp"
#include "host/tentacle_library.hpp"
#include "model/name_table.hpp"

// The opaque handle of the ABI: the core's per-instance context.
struct cephalo_host {
  cephalo::TentacleInstance* instance;
};

namespace cephalo {

// Events for an interface tentacle, as JSON, handed from the loop to the tentacle's own thread.
// Bounded: a slow interface loses its oldest events (counted) rather than stalling trading.
class Subscription {
 public:
  static constexpr size_t kCapacity = 65536;
  void push(std::string json);
  // Copies the oldest event into out without removing it: CEPHALO_OK, CEPHALO_NOT_FOUND on
  // timeout, CEPHALO_CLOSED once closed. pop_front removes it once the reader has it.
  cephalo_status peek(int32_t timeout_ms, std::string& out);
  void pop_front();
  // No more pushes; readers drain what is queued, then get CEPHALO_CLOSED.
  void close();
  // Waits until a reader took everything queued, at most `limit`; false on timeout.
  bool wait_drained(std::chrono::milliseconds limit);
  uint64_t dropped() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable drained_;
  std::deque<std::string> queue_;
  uint64_t dropped_ = 0;
  bool closed_ = false;
};

class TentacleInstance {
 public:
  // `use` is the config entry the instance came from: a new build or new parameters are resolved
  // against it again when the tentacle is hot-swapped.
  TentacleInstance(std::shared_ptr<TentacleLibrary> library, ParameterValues parameters,
                   HostContext& context, Name name, TentacleUse use = {});
  ~TentacleInstance();
  TentacleInstance(const TentacleInstance&) = delete;
  TentacleInstance& operator=(const TentacleInstance&) = delete;

  // Calls the tentacle's create; the error carries its set_error message.
  Status create();
  // Calls on_event; false when it failed: the instance is then quarantined and failure() says
  // why. Inline, and a plain bool: every candle reaches every strategy and trading mode here.
  bool deliver(const cephalo_event& event) {
    if (quarantined_ || instance_ == nullptr || on_event_ == nullptr) return true;
    dispatching_ = true;
    cephalo_status status;
    {
      const TentacleCallScope inside(crash_label_, "on_event");
      status = on_event_(instance_, &event);
    }
    dispatching_ = false;
    if (status == CEPHALO_OK) return true;
    quarantine_after(status);
    return false;
  }
  // Why the failed deliver() quarantined the instance.
  const std::string& failure() const { return failure_; }
  // Stops the subscription (so interface threads see CEPHALO_CLOSED) and destroys the instance.
  void destroy();
  // The hot-swap handoff: the state blob of this instance, and restoring one into it. The errors
  // carry the tentacle's set_error message.
  // save_state writes into `out` (cleared first): a caller that swaps often reuses one buffer, so
  // a large state costs a copy, not a fresh allocation and its page faults, inside the pause.
  Status save_state(std::string& out);
  Result<std::string> save_state();
  Status load_state(uint32_t state_version, std::string_view bytes);

  const TentacleLibrary& library() const { return *library_; }
  const std::shared_ptr<TentacleLibrary>& shared_library() const { return library_; }
  const TentacleUse& use() const { return use_; }
  cephalo_kind kind() const { return library_->descriptor().kind; }
  Name name() const { return name_; }
  bool quarantined() const { return quarantined_; }
  void quarantine() { quarantined_ = true; }
  const ParameterValues& parameters() const { return parameters_; }
  HostContext& context() { return context_; }
  // context().indicator_service(), read once: the per-candle indicator read goes straight to it.
  const IndicatorService* indicator_service() const { return indicator_service_; }
  Subscription& subscription() { return subscription_; }

  void set_error(std::string message);
  std::string take_error();
  // A call of this instance the host refused (emit_*, position_size, ...): `reason` becomes the
  // instance's error, as set_error, and stays readable through refusal_reason (ABI 1.5) until
  // the next refusal. Any thread.
  void refuse(std::string reason);
  // The host's last refusal; empty when there was none. Any thread.
  std::string refusal() const;
  // query_json's answer that did not fit the caller's buffer, kept for the caller's retry with
  // the same request text (ABI 1.5). Any thread.
  void keep_oversized_answer(std::string request, std::string answer);
  bool take_oversized_answer(std::string_view request, std::string& answer);
  // True while on_event runs: emitting is allowed only then.
  bool dispatching() const { return dispatching_; }
  // The A/B slot a strategy or trading mode belongs to (0 without slots; evaluators and
  // interfaces are shared and stay 0). What it emits is stamped with it.
  uint32_t slot() const { return slot_; }
  void set_slot(uint32_t slot) { slot_ = slot; }

 private:
  void quarantine_after(cephalo_status failed);
  // What a failed call reports: the tentacle's own reason (take_error), with the host's last
  // refusal added when the tentacle's text does not carry it (an SDK before 1.5 replaced it by
  // its own generic text), so the most specific reason is never lost.
  std::string failure_reason(cephalo_status failed);
  std::string failure_;

  std::shared_ptr<TentacleLibrary> library_;
  // library_'s on_event, read once: the library is fixed for the instance's life.
  cephalo_status (*on_event_)(void*, const cephalo_event*) = nullptr;
  const char* crash_label_;  // library_'s, for the crash log
  ParameterValues parameters_;
  HostContext& context_;
  const IndicatorService* indicator_service_;
  Name name_;
  TentacleUse use_;
  cephalo_host handle_{this};
  void* instance_ = nullptr;
  bool quarantined_ = false;
  bool dispatching_ = false;
  uint32_t slot_ = 0;
  mutable std::mutex error_mutex_;
  std::string last_error_;
  std::string last_refusal_;
  std::mutex oversized_mutex_;
  std::string oversized_request_, oversized_answer_;
  Subscription subscription_;
};

}  // namespace cephalo
