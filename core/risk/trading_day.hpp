// The trading day a time belongs to, for daily limits with a configurable day boundary.
// Thread-safety: pure function.
#pragma once

#include <cstdint>

namespace cephalo {

inline constexpr int64_t kNsPerDay = 86'400'000'000'000;

// Days since 1970-01-01 in the zone UTC+offset: the day starts at that zone's midnight, so with
// offset 120 (UTC+2) 21:59 UTC is one day and 22:00 UTC the next. `time_ns` is ns since epoch UTC.
int64_t trading_day(int64_t time_ns, int utc_offset_minutes);

}  // namespace cephalo
