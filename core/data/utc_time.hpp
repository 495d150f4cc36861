// Epoch-millisecond timestamps printed as ISO-8601 UTC, so problems name a time a reader can check.
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace cephalo {

// 1515560100000 -> "2018-01-10T04:55:00Z"; milliseconds are shown only when non-zero.
std::string format_utc_ms(int64_t epoch_ms);

}  // namespace cephalo
