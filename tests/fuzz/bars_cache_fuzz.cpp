// Fuzz target: the binary candle cache reader (core/data/ohlcv_cache_file), decode_cache_file on
// a mapping of the input, as a replay maps a cache file someone may have edited. Built with
// ohlcv_cache_file.cpp compiled under FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which skips the
// hash comparisons only, so mutated files reach the bounds checks behind them (a real attacker
// can recompute the non-cryptographic hashes anyway).
// Thread-safety: libFuzzer calls it from one thread; a check ahead of the reader runs on its own.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

#include "bars_cache_key.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = ::memfd_create("fuzz-bars", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  size_t written = 0;
  while (written < size) {
    const ssize_t wrote = ::write(fd, data + written, size - written);
    FUZZ_CHECK(wrote > 0);
    written += static_cast<size_t>(wrote);
  }
  std::string error;
  cephalo::MappedFile mapped = cephalo::MappedFile::map_descriptor(fd, error);
  ::close(fd);
  if (mapped.empty()) return 0;
  // The last byte picks the mode, so both are reached from every seed.
  const auto check = size > 0 && (data[size - 1] & 1) != 0 ? cephalo::BarsCheck::kAheadOfReader
                                                           : cephalo::BarsCheck::kBeforeReturn;
  auto decoded = cephalo::decode_cache_file(std::move(mapped), cephalo::fuzz::bars_cache_key(),
                                            "fuzz.csv", check);
  if (!decoded) return 0;
  const auto bars = decoded->data.bars();
  const size_t usable = decoded->data.wait_checked(bars.empty() ? 0 : bars.size() - 1);
  // Every usable bar and gap is read, as a replay would. Unsigned, so the sum wraps: with the
  // hashes off, a bar between the checked first and last one may hold any time.
  uint64_t sum = 0;
  for (size_t i = 0; i < usable && i < bars.size(); ++i) {
    sum += static_cast<uint64_t>(bars[i].open_time_ms);
  }
  for (const auto& gap : decoded->data.gaps()) sum += static_cast<uint64_t>(gap.missing_bars);
  for (const auto& problem : decoded->problems) sum += problem.message.size();
  FUZZ_CHECK(usable <= bars.size());
  if (sum == 1) std::fputc(' ', stderr);  // keeps the reads from being optimised away
  return 0;
}
