// The host's side of "no exception crosses the ABI": every entry point of the host services
// table runs inside one catch-all, so an exception thrown while serving a tentacle (a full
// allocator, a bug in the core) becomes CEPHALO_ERROR with its reason kept for the tentacle
// (refusal_reason), instead of unwinding through a tentacle that may be plain C.
// Thread-safety: as the wrapped entry point.
#pragma once

#include <cstdint>
#include <exception>
#include <type_traits>

#include "cephalo/tentacle.h"

namespace cephalo {

// Keeps `what` as the instance's refusal reason (when `host` has one) and logs nothing: the
// tentacle sees the status and can ask why. Never throws.
void report_host_exception(cephalo_host* host, const char* what) noexcept;

template <auto Entry>
struct GuardedEntry;

template <class Result, class... Args, Result (*Entry)(cephalo_host*, Args...)>
struct GuardedEntry<Entry> {
  static Result call(cephalo_host* host, Args... args) noexcept {
    try {
      return Entry(host, args...);
    } catch (const std::exception& error) {
      report_host_exception(host, error.what());
    } catch (...) {
      report_host_exception(host, "an unknown exception");
    }
    if constexpr (std::is_same_v<Result, cephalo_status>) {
      return CEPHALO_ERROR;
    } else if constexpr (!std::is_void_v<Result>) {
      return Result{};  // host_now_ns: 0, as for a host without an instance
    }
  }
};

}  // namespace cephalo
