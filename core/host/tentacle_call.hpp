// TentacleCall: which tentacle build the calling thread is running code of right now, so a fatal
// signal can be blamed on it (CrashRecorder). Set around every call into a tentacle.
// Thread-safety: one slot per thread; only that thread writes it, and its signal handler reads it.
#pragma once

#include <atomic>

namespace cephalo {

// The build's crash label ("<sha256>\t<name>\t<version>", owned by its TentacleLibrary) and the
// callback's name (a string literal). Lock-free atomics: a signal handler may read them, and a
// relaxed store costs what a plain one does on the per-event path.
struct TentacleCall {
  std::atomic<const char*> label{nullptr};
  std::atomic<const char*> callback{nullptr};
};

// The calling thread's slot. A thread-local, not a member of anything, because the one reader is
// a signal handler, which can reach nothing else; it is trivially destructible (no destructor
// runs at thread exit) and lives in the core, never in a tentacle.
inline thread_local TentacleCall current_tentacle_call;

// Marks the calling thread as inside `callback` of the build labelled `label` until it goes. Calls
// into tentacles do not nest (a tentacle never calls another), so leaving clears the slot.
class TentacleCallScope {
 public:
  TentacleCallScope(const char* label, const char* callback) {
    current_tentacle_call.label.store(label, std::memory_order_relaxed);
    current_tentacle_call.callback.store(callback, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  ~TentacleCallScope() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    current_tentacle_call.label.store(nullptr, std::memory_order_relaxed);
  }
  TentacleCallScope(const TentacleCallScope&) = delete;
  TentacleCallScope& operator=(const TentacleCallScope&) = delete;
};

}  // namespace cephalo
