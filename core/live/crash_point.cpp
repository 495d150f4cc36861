// Test-only crash points: reading CEPHALO_CRASH_AT and dying without cleanup.
// Thread-safety: see crash_point.hpp.
#include "live/crash_point.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

#include "model/system_text.hpp"

namespace cephalo {

CrashPoints CrashPoints::from_environment(std::string& out_problem) {
  const char* text = environment_value("CEPHALO_CRASH_AT");
  if (text == nullptr || *text == '\0') return CrashPoints();
  const std::string_view name(text);
  if (name == "after_commit") return CrashPoints(CrashPoint::kAfterCommit);
  if (name == "after_send") return CrashPoints(CrashPoint::kAfterSend);
  if (name == "before_fill_stored") return CrashPoints(CrashPoint::kBeforeFillStored);
  out_problem = "CEPHALO_CRASH_AT=" + std::string(name) +
                " is not a crash point (after_commit, after_send, before_fill_stored); ignored";
  return CrashPoints();
}

void CrashPoints::crash() {
  // SIGKILL, as `kill -9` would: no destructor, no flush, no signal handler runs.
  std::raise(SIGKILL);
  std::abort();  // unreachable: SIGKILL cannot be caught
}

Status CrashPointJournal::commit_order(const LiveOrderRecord& order) {
  Status stored = inner_.commit_order(order);
  // Only a new order's first row: the request has not left yet.
  if (stored && order.state == "pending_new" && order.venue_order_id == 0) {
    points_.reach(CrashPoint::kAfterCommit);
  }
  return stored;
}

void CrashPointJournal::record_fill(const FillRecord& fill) {
  points_.reach(CrashPoint::kBeforeFillStored);
  inner_.record_fill(fill);
}

}  // namespace cephalo
