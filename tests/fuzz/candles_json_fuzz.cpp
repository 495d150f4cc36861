// Fuzz target: the freqtrade JSON candle reader (core/data/ohlcv_json) with the validator behind
// it, under both bad-row policies, with and without an expected interval. Thread-safety: libFuzzer
// calls it from one thread.
#include <cstdint>
#include <string_view>

#include "candle_invariants.hpp"
#include "data/ohlcv_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& [interval, policy] :
       {std::pair{int64_t{300'000}, cephalo::BadRowPolicy::kReject},
        std::pair{int64_t{0}, cephalo::BadRowPolicy::kSkip}}) {
    cephalo::OhlcvValidator validator("fuzz.json", cephalo::DataRowKind::kJsonIndex, interval,
                                      policy);
    cephalo::parse_ohlcv_json(text, validator);
    cephalo::fuzz::check_candle_load(std::move(validator).finish(), interval, policy);
  }
  return 0;
}
