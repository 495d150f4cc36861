#include "data/ohlcv_cache.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

#include "data/cache_dir.hpp"
#include "data/ohlcv_cache_file.hpp"
#include "data/ohlcv_reader.hpp"
#include "data/source_stamp.hpp"
#include "model/system_text.hpp"

namespace cephalo {
namespace {

// Symlinks and "a/../b" resolved, so one file has one cache whichever way it is named.
std::string absolute_source(const std::filesystem::path& file) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::weakly_canonical(file, error);
  if (error) absolute = std::filesystem::absolute(file, error).lexically_normal();
  return absolute.string();
}

Result<CacheContents> read_cache(const std::filesystem::path& cache_file, const CacheKey& key,
                                 const std::string& problem_file, BarsCheck bars_check) {
  const int fd = ::open(cache_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error{"no cache file yet"};
    return Error{"cannot open the cache file: " + system_error_text(errno)};
  }
  std::string error;
  // Checking now reads every bar, and the replay after it does too: one call maps them all. A
  // check ahead of the reader pages them in on its own thread instead.
  MappedFile mapped =
      MappedFile::map_descriptor(fd, error, /*populate=*/bars_check == BarsCheck::kBeforeReturn);
  ::close(fd);
  if (mapped.empty()) return Error{"cannot map the cache file: " + error};
  return decode_cache_file(std::move(mapped), key, problem_file, bars_check);
}

OhlcvCachedLoad from_memory(OhlcvLoadResult&& loaded, std::string note) {
  OhlcvCachedLoad result;
  result.data = MappedBars(std::move(loaded.bars), std::move(loaded.gaps));
  result.problems = std::move(loaded.problems);
  result.dropped_rows = loaded.dropped_rows;
  result.ok = loaded.ok;
  result.cache = CacheOutcome::kNotCached;
  result.cache_note = std::move(note);
  return result;
}

}  // namespace

OhlcvCachedLoad load_ohlcv_cached(const std::filesystem::path& file, int64_t interval_ms,
                                  BadRowPolicy policy, const OhlcvCacheOptions& options) {
  std::filesystem::path cache_dir = options.cache_dir;
  if (cache_dir.empty()) {
    auto found = default_cache_dir();
    if (!found) return from_memory(load_ohlcv(file, interval_ms, policy), found.error());
    cache_dir = std::move(found.value());
  }
  // Stamped before parsing; the cache writer compares it with a stamp taken after the parse.
  const std::optional<SourceStamp> stamp = stamp_source(file);
  if (!stamp) {
    return from_memory(load_ohlcv(file, interval_ms, policy),
                       "source cannot be read; nothing cached");
  }
  const CacheKey key{absolute_source(file), interval_ms, policy, *stamp};
  const std::filesystem::path cache_file = cache_dir / cache_file_name(key);

  Result<CacheContents> cached = read_cache(cache_file, key, file.string(), options.bars_check);
  if (cached) {
    OhlcvCachedLoad result;
    result.data = std::move(cached->data);
    result.problems = std::move(cached->problems);
    result.dropped_rows = cached->dropped_rows;
    result.ok = true;
    result.cache = CacheOutcome::kHit;
    result.cache_file = cache_file;
    return result;
  }

  OhlcvLoadResult loaded = load_ohlcv(file, interval_ms, policy);
  if (!loaded.ok) {
    OhlcvCachedLoad result =
        from_memory(std::move(loaded), "the load failed; failures are not cached");
    result.cache_file = cache_file;
    return result;
  }
  // Shared, not copied: the replay and the cache writer both only read them, and whichever
  // finishes last frees them. A 10M-bar run holds them once, as it would hold the mapping.
  auto bars = std::make_shared<const std::vector<OhlcvBar>>(std::move(loaded.bars));
  auto gaps = std::make_shared<const std::vector<GapInfo>>(std::move(loaded.gaps));
  OhlcvCachedLoad result;
  result.data = MappedBars(bars, gaps);
  result.problems = loaded.problems;  // the writer stores its own copy (at most ~1000 of them)
  result.dropped_rows = loaded.dropped_rows;
  result.ok = true;
  result.cache = CacheOutcome::kBuilt;
  result.cache_note = cached.error();
  result.cache_file = cache_file;
  result.cache_write = CacheWriteJob(
      cache_file,
      [key, cache_dir, cache_file, bars = std::move(bars), gaps = std::move(gaps),
       problems = std::move(loaded.problems), dropped_rows = loaded.dropped_rows]() -> Status {
        // If the file changed during the parse, its stamp no longer matches the one taken
        // before, so bars from a half-edited file are never cached.
        if (stamp_source(key.source_path) != key.stamp) {
          return Error{"source changed while it was read; not cached"};
        }
        std::error_code made;
        std::filesystem::create_directories(cache_dir, made);
        if (made) {
          return Error{"cannot create the cache folder " + cache_dir.string() + ": " +
                       made.message()};
        }
        return write_cache_file(cache_file, key, CacheBody{*bars, *gaps, problems, dropped_rows});
      });
  return result;
}

Status OhlcvCachedLoad::finish_cache_write() {
  if (!cache_write.started()) return Ok{};
  Status written = cache_write.wait();
  if (!written.ok()) {
    cache = CacheOutcome::kNotCached;
    cache_note = written.error();
  }
  return written;
}

}  // namespace cephalo
