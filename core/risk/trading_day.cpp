// Trading day numbering with a UTC offset.
// Thread-safety: pure function.
#include "risk/trading_day.hpp"

namespace cephalo {

int64_t trading_day(int64_t time_ns, int utc_offset_minutes) {
  const int64_t local_ns = time_ns + int64_t{utc_offset_minutes} * 60'000'000'000;
  // Floor, not truncation: times before the epoch (and negative offsets near it) stay correct.
  int64_t day = local_ns / kNsPerDay;
  if (local_ns % kNsPerDay < 0) --day;
  return day;
}

}  // namespace cephalo
