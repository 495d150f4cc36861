// read_regular_file: the whole text of a config, manifest or candle file, refusing anything that
// is not a regular file (a FIFO, /dev/zero, a socket: directly or through a symlink) or too big.
// Thread-safety: reentrant; reads only its arguments and the file system.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace cephalo {

// What the file is to the user, for messages: {"config file", "a YAML config file"} gives
// "config file not found; ..." and "is a FIFO (named pipe), expected a YAML config file; ...".
struct FileRole {
  std::string_view name;
  std::string_view expected;
};

inline constexpr uint64_t kNoSizeLimit = std::numeric_limits<uint64_t>::max();

// The file's bytes, or a message (without the path: callers put it in front) that says what was
// found and what to do. The file is opened non-blocking and checked with fstat before a byte is
// read, so a FIFO without a writer cannot block the open and a device that never ends is never
// read; a file over `max_bytes` is refused before it is read.
Result<std::string> read_regular_file(const std::filesystem::path& file, const FileRole& role,
                                      uint64_t max_bytes = kNoSizeLimit);

}  // namespace cephalo
