// SourceStamp: size, mtime and fingerprint that tell a cache its source changed (internal).
// Thread-safety: pure functions over the file system; safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace cephalo {

// Size and mtime catch every ordinary edit, copy or download; the fingerprint catches a rewrite
// that keeps both (tools that restore mtimes, coarse-mtime file systems). It hashes only the first
// and last 64 KiB, so checking a 600 MB file stays cheap: an edit confined to the middle of a
// file that also kept its size and its mtime to the nanosecond is not detected.
struct SourceStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // st_mtim, ns since epoch
  uint64_t fingerprint = 0;

  friend bool operator==(const SourceStamp&, const SourceStamp&) = default;
};

inline constexpr uint64_t kFingerprintEdgeBytes = 64 * 1024;

// nullopt when the file cannot be opened or read (the loader then reports why).
std::optional<SourceStamp> stamp_source(const std::filesystem::path& file);

}  // namespace cephalo
