// Client order ids unique across runs and restarts: a run tag plus a sequence, within Binance's
// limit ^[.A-Z:/a-z0-9_-]{1,36}$.
// Thread-safety: ClientOrderIds is used by one thread (the executor's).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cephalo::orders {

// A run tag from the process start time and a random number, in base 36: "lq3k9z1x-4f2a". Two
// runs share a tag only if they start in the same millisecond and draw the same 32-bit number.
std::string make_run_tag(int64_t start_ms, uint32_t random);

bool is_valid_client_order_id(std::string_view id);

// Protective stops resting on the exchange carry their kind in their id, so a restart that finds
// one filled while the bot was down books the round trip with the right exit reason.
inline constexpr std::string_view kStopLossSuffix = ".s";
inline constexpr std::string_view kTrailingStopSuffix = ".t";
// "stop_loss" / "trailing_stop" for an id with one of those suffixes, else empty.
std::string exit_reason_of_client_id(std::string_view id);

class ClientOrderIds {
 public:
  // Tags longer than 22 characters are cut, so any sequence below 36^7 (7.8e10) and a kind
  // suffix fit in 36.
  explicit ClientOrderIds(const std::string& run_tag);
  std::string next(std::string_view kind_suffix = {});  // "cph-<tag>-<seq base 36><suffix>"
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  uint64_t sequence_ = 0;
};

}  // namespace cephalo::orders
