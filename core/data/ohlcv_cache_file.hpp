// The binary candle cache file: its name, an atomic writer and a distrustful reader (internal).
// Thread-safety: reentrant; concurrent writers of one file are safe (temp file, then rename).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "data/mapped_bars.hpp"
#include "data/mapped_file.hpp"
#include "data/ohlcv_load_result.hpp"
#include "data/source_stamp.hpp"
#include "model/result.hpp"

namespace cephalo {

// Layout, all integers in host byte order (the header records which; another order is rebuilt):
//   header (CacheHeader in the .cpp: magic, version, sizes, key, counts, hashes)
//   bars      bar_count x OhlcvBar, the in-memory layout, so it maps as a span without copying
//   gaps      gap_count x GapInfo
//   key       the absolute source path (a name-hash collision must not serve another file)
//   problems  problem_count x {u32 kind, u32 column bytes, u32 message bytes, u32 0, i64 row,
//             column, message}; the file name is not stored: it is the caller's path at load
//   blocks    one u64 hash per kBarsPerCheckedBlock bars (bar_block_hash), so the bars can be
//             checked block by block ahead of a replay instead of all before it
// Every section is covered by a hash, and the file size must match the counts exactly.
// 2: hash64 with the folded multiply; 3: the bars hashed per block.
inline constexpr uint32_t kCacheFormatVersion = 3;

// What a cache file must match to be used: the source, as stamped before it was parsed, and the
// load parameters that shape its bars and problems.
struct CacheKey {
  std::string source_path;  // absolute
  int64_t interval_ms = 0;
  BadRowPolicy policy = BadRowPolicy::kReject;
  SourceStamp stamp;
};

// "<stem>-<16 hex digits>.bars": readable in a listing, unique per source path, policy and
// interval. The format version is not part of the name, so a new version replaces old files.
std::string cache_file_name(const CacheKey& key);

// What a cache file stores, borrowed for the write: the bars are written straight from the
// caller's memory, never copied (10M bars are 480 MB).
struct CacheBody {
  std::span<const OhlcvBar> bars;
  std::span<const GapInfo> gaps;
  std::span<const DataProblem> problems;
  size_t dropped_rows = 0;
};

// Writes to a temporary file beside `target` and renames it into place, so a concurrent reader
// sees the old file or the new one, never a half-written one. No fsync: a file cut short by a
// crash fails its size or hash check and is rebuilt. Only reads `body`, so another thread may
// read the same bars meanwhile. On failure the temporary file is removed.
Status write_cache_file(const std::filesystem::path& target, const CacheKey& key,
                        const CacheBody& body);

struct CacheContents {
  MappedBars data;
  std::vector<DataProblem> problems;
  size_t dropped_rows = 0;
};

// When a hit's bars (the one part that grows with the data) are checked against their hashes.
enum class BarsCheck {
  kBeforeReturn,  // all of them, before decode_cache_file returns
  // On another thread, block by block, while the caller reads them up to
  // MappedBars::wait_checked(): for a replay, which then pays for neither the hashing nor the
  // page-ins, and must handle a corrupt block when it reaches it.
  kAheadOfReader,
};

// Checks everything in `mapped` against `key` and its own hashes; the error says what did not
// match (it becomes the reason a cache was rebuilt). `problem_file` is put in each problem.
Result<CacheContents> decode_cache_file(MappedFile mapped, const CacheKey& key,
                                        const std::string& problem_file, BarsCheck bars_check);

}  // namespace cephalo
