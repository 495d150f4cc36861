#include "data/ohlcv_cache_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "data/bars_verifier.hpp"
#include "data/hash64.hpp"
#include "model/system_text.hpp"

namespace cephalo {
namespace {

// Mapping the bars section as OhlcvBar objects needs the in-memory layout to be exactly the
// one written: no padding, no pointers, nothing a constructor must set up.
static_assert(std::is_trivially_copyable_v<OhlcvBar> && std::is_standard_layout_v<OhlcvBar>);
static_assert(sizeof(OhlcvBar) == 48 && alignof(OhlcvBar) == 8 && offsetof(OhlcvBar, volume) == 40);
static_assert(std::is_trivially_copyable_v<GapInfo> && sizeof(GapInfo) == 24);

constexpr char kMagic[8] = {'C', 'E', 'P', 'H', 'B', 'A', 'R', 'S'};
constexpr uint32_t kByteOrderTag = 0x01020304;

struct CacheHeader {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint32_t byte_order;  // kByteOrderTag as the writing host stores it
  uint32_t bar_size;
  uint32_t gap_size;
  uint32_t policy;
  int64_t interval_ms;
  uint64_t source_size;
  int64_t source_mtime_ns;
  uint64_t source_fingerprint;
  uint64_t bar_count;
  uint64_t gap_count;
  uint64_t key_bytes;
  uint64_t problem_count;
  uint64_t problem_bytes;
  uint64_t dropped_rows;
  uint64_t bars_per_block;  // kBarsPerCheckedBlock when written; the block hashes are in the tail
  uint64_t tail_hash;       // gaps, key and problems
  uint64_t header_hash;     // every header byte before this field
};
static_assert(std::is_trivially_copyable_v<CacheHeader> && sizeof(CacheHeader) == 136);
// The bars follow the header directly, so the header keeps them 8-byte aligned in the mapping.
static_assert(sizeof(CacheHeader) % alignof(OhlcvBar) == 0);

constexpr size_t kProblemFixedBytes = 24;

// The bars-cache fuzz target (tests/fuzz) compiles this file with the hash comparisons off, so
// mutated files reach the bounds checks behind them; no other build defines the macro.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kCompareHashes = false;
#else
constexpr bool kCompareHashes = true;
#endif

uint64_t header_hash(const CacheHeader& header) {
  return hash64(&header, offsetof(CacheHeader, header_hash));
}

template <class T>
void append_raw(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::string encode_problems(std::span<const DataProblem> problems) {
  std::string out;
  for (const DataProblem& problem : problems) {
    append_raw(out, static_cast<uint32_t>(problem.row_kind));
    append_raw(out, static_cast<uint32_t>(problem.column.size()));
    append_raw(out, static_cast<uint32_t>(problem.message.size()));
    append_raw(out, uint32_t{0});
    append_raw(out, problem.row);
    out += problem.column;
    out += problem.message;
  }
  return out;
}

// Bounds are checked before every read: the bytes come from a file anyone could have edited.
bool decode_problems(const std::byte* data, size_t size, uint64_t count, const std::string& file,
                     std::vector<DataProblem>& out) {
  size_t at = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (size - at < kProblemFixedBytes) return false;
    uint32_t kind = 0;
    uint32_t column_bytes = 0;
    uint32_t message_bytes = 0;
    int64_t row = 0;
    std::memcpy(&kind, data + at, 4);
    std::memcpy(&column_bytes, data + at + 4, 4);
    std::memcpy(&message_bytes, data + at + 8, 4);
    std::memcpy(&row, data + at + 16, 8);
    at += kProblemFixedBytes;
    if (kind > static_cast<uint32_t>(DataRowKind::kJsonIndex)) return false;
    if (size - at < uint64_t{column_bytes} + message_bytes) return false;
    const auto* text = reinterpret_cast<const char*>(data + at);
    out.push_back(DataProblem{file, static_cast<DataRowKind>(kind), row,
                              std::string(text, column_bytes),
                              std::string(text + column_bytes, message_bytes)});
    at += uint64_t{column_bytes} + message_bytes;
  }
  return at == size;
}

bool write_all(int fd, const void* data, size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t wrote = ::write(fd, bytes, size);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    bytes += wrote;
    size -= static_cast<size_t>(wrote);
  }
  return true;
}

std::string hex64(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) text[static_cast<size_t>(i)] = kDigits[value & 15];
  return text;
}

// Unique per process, call and moment, so concurrent writers (threads or processes) never share
// a temporary file, and a stale one left by a crash is never reopened.
std::filesystem::path temporary_beside(const std::filesystem::path& target) {
  static std::atomic<uint64_t> counter{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return target.parent_path() /
         ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
          std::to_string(counter++) + "-" + hex64(static_cast<uint64_t>(now)).substr(8));
}

}  // namespace

std::string cache_file_name(const CacheKey& key) {
  std::string identity = key.source_path;
  identity += '\0';
  identity += std::to_string(key.interval_ms);
  identity += '\0';
  identity += std::to_string(static_cast<int>(key.policy));
  return std::filesystem::path(key.source_path).stem().string() + "-" + hex64(hash64(identity)) +
         ".bars";
}

Status write_cache_file(const std::filesystem::path& target, const CacheKey& key,
                        const CacheBody& body) {
  const std::string problems = encode_problems(body.problems);
  std::string tail(reinterpret_cast<const char*>(body.gaps.data()), body.gaps.size_bytes());
  tail += key.source_path;
  tail += problems;
  const std::vector<uint64_t> blocks = bar_block_hashes(body.bars);
  tail.append(reinterpret_cast<const char*>(blocks.data()), blocks.size() * sizeof(uint64_t));

  CacheHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kCacheFormatVersion;
  header.header_size = sizeof(CacheHeader);
  header.byte_order = kByteOrderTag;
  header.bar_size = sizeof(OhlcvBar);
  header.gap_size = sizeof(GapInfo);
  header.policy = static_cast<uint32_t>(key.policy);
  header.interval_ms = key.interval_ms;
  header.source_size = key.stamp.size;
  header.source_mtime_ns = key.stamp.mtime_ns;
  header.source_fingerprint = key.stamp.fingerprint;
  header.bar_count = body.bars.size();
  header.gap_count = body.gaps.size();
  header.key_bytes = key.source_path.size();
  header.problem_count = body.problems.size();
  header.problem_bytes = problems.size();
  header.dropped_rows = body.dropped_rows;
  header.bars_per_block = kBarsPerCheckedBlock;
  header.tail_hash = hash64(tail);
  header.header_hash = header_hash(header);

  const std::filesystem::path temporary = temporary_beside(target);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{"cannot create " + temporary.string() + ": " + system_error_text(errno)};
  }
  std::string failure;
  if (!write_all(fd, &header, sizeof header) ||
      !write_all(fd, body.bars.data(), body.bars.size_bytes()) ||
      !write_all(fd, tail.data(), tail.size())) {
    failure = "cannot write " + temporary.string() + ": " + system_error_text(errno);
  } else if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    failure = "cannot rename " + temporary.string() + " to " + target.string() + ": " +
              system_error_text(errno);
  }
  ::close(fd);
  if (!failure.empty()) {
    ::unlink(temporary.c_str());
    return Error{failure};
  }
  return Ok{};
}

Result<CacheContents> decode_cache_file(MappedFile mapped, const CacheKey& key,
                                        const std::string& problem_file, BarsCheck bars_check) {
  const std::byte* const data = mapped.data();
  const size_t size = mapped.size();
  CacheHeader header;
  if (size < sizeof header) return Error{"cache file is shorter than its header"};
  std::memcpy(&header, data, sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) {
    return Error{"not a cache file (wrong magic)"};
  }
  if (header.version != kCacheFormatVersion) {
    return Error{"cache format version " + std::to_string(header.version) + ", expected " +
                 std::to_string(kCacheFormatVersion)};
  }
  if (header.header_size != sizeof header || header.byte_order != kByteOrderTag ||
      header.bar_size != sizeof(OhlcvBar) || header.gap_size != sizeof(GapInfo)) {
    return Error{"cache file written by a build with another layout or byte order"};
  }
  if (kCompareHashes && header.header_hash != header_hash(header)) {
    return Error{"cache header is corrupt (hash)"};
  }
  if (header.source_size != key.stamp.size) return Error{"source size changed"};
  if (header.source_mtime_ns != key.stamp.mtime_ns) return Error{"source mtime changed"};
  if (header.source_fingerprint != key.stamp.fingerprint) {
    return Error{"source content changed (fingerprint)"};
  }
  if (header.policy != static_cast<uint32_t>(key.policy) || header.interval_ms != key.interval_ms) {
    return Error{"cache file is for another policy or interval (name collision)"};
  }
  if (header.bars_per_block != kBarsPerCheckedBlock) {
    return Error{"cache file written with another block size"};
  }
  // Each count is bounded by the file size before it is multiplied, so nothing overflows.
  const uint64_t body = size - sizeof header;
  if (header.bar_count > body / sizeof(OhlcvBar) || header.gap_count > body / sizeof(GapInfo) ||
      header.key_bytes > body || header.problem_bytes > body) {
    return Error{"cache file is truncated or its counts are corrupt"};
  }
  const uint64_t bars_bytes = header.bar_count * sizeof(OhlcvBar);
  const uint64_t gaps_bytes = header.gap_count * sizeof(GapInfo);
  const uint64_t block_count = (header.bar_count + kBarsPerCheckedBlock - 1) / kBarsPerCheckedBlock;
  const uint64_t blocks_bytes = block_count * sizeof(uint64_t);
  if (bars_bytes + gaps_bytes + header.key_bytes + header.problem_bytes + blocks_bytes != body) {
    return Error{"cache file size does not match its counts (truncated?)"};
  }
  const std::byte* const bars = data + sizeof header;
  const std::byte* const tail = bars + bars_bytes;
  const size_t tail_bytes = static_cast<size_t>(body - bars_bytes);
  if (kCompareHashes && hash64(tail, tail_bytes) != header.tail_hash) {
    return Error{"cache file is corrupt (hash)"};
  }
  const std::string_view stored_key(reinterpret_cast<const char*>(tail + gaps_bytes),
                                    static_cast<size_t>(header.key_bytes));
  if (stored_key != key.source_path) {
    return Error{"cache file belongs to another source (name collision)"};
  }
  // The problems end anywhere, so the block hashes after them are copied out, not cast.
  std::vector<uint64_t> block_hashes(static_cast<size_t>(block_count));
  std::memcpy(block_hashes.data(), tail + (tail_bytes - blocks_bytes),
              static_cast<size_t>(blocks_bytes));
  // The mapping is page-aligned and the sections 8-byte aligned within it; mmap'd bytes of an
  // implicit-lifetime, trivially copyable type are used as objects the way read() buffers are.
  const std::span<const OhlcvBar> bar_span(reinterpret_cast<const OhlcvBar*>(bars),
                                           static_cast<size_t>(header.bar_count));
  const std::span<const GapInfo> gap_span(reinterpret_cast<const GapInfo*>(tail),
                                          static_cast<size_t>(header.gap_count));
  // The bars were range-checked when parsed, and are sorted, so a first or last time outside
  // 1970..2262 means a crafted or damaged file: rebuilt from the source, whose reader names the
  // row. (Two bars: a check ahead of the reader still pages in only their blocks.)
  if (!bar_span.empty() &&
      (bar_span.front().open_time_ms < 0 ||
       bar_span.back().open_time_ms > kMaxCandleTimeMs - std::max<int64_t>(header.interval_ms, 0) ||
       bar_span.front().open_time_ms > bar_span.back().open_time_ms)) {
    return Error{"cache file bars have times outside 1970..2262 or out of order (corrupt)"};
  }
  if (kCompareHashes && bars_check == BarsCheck::kBeforeReturn) {
    const size_t bad = first_bad_block(bar_span, block_hashes);
    if (bad < block_hashes.size()) {
      return Error{"cache file bars are corrupt (hash of the block from bar " +
                   std::to_string(bad * kBarsPerCheckedBlock) + ")"};
    }
  }
  CacheContents contents;
  const std::byte* const problems = tail + gaps_bytes + header.key_bytes;
  if (!decode_problems(problems, static_cast<size_t>(header.problem_bytes), header.problem_count,
                       problem_file, contents.problems)) {
    return Error{"cache file problem list is corrupt"};
  }
  contents.dropped_rows = static_cast<size_t>(header.dropped_rows);
  contents.data = bars_check == BarsCheck::kBeforeReturn
                      ? MappedBars(std::move(mapped), bar_span, gap_span)
                      : MappedBars(std::move(mapped), bar_span, gap_span, std::move(block_hashes));
  return contents;
}

}  // namespace cephalo
