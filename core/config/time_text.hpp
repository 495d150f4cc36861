// Points in time written in a config: epoch milliseconds or ISO-8601 UTC ("2018-01-10T04:55:00Z").
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cephalo {

// ns since epoch UTC; nullopt when `text` is neither a whole number of milliseconds since the epoch
// nor "YYYY-MM-DDTHH:MM[:SS]Z" (the trailing Z is required: a time without a zone is ambiguous).
std::optional<int64_t> parse_config_time_ns(std::string_view text);

}  // namespace cephalo
