#include "data/source_stamp.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "data/hash64.hpp"

namespace cephalo {
namespace {

bool read_at(int fd, unsigned char* out, size_t size, uint64_t offset) {
  while (size > 0) {
    const ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;  // a file that shrank while we read it is a changed file
    out += got;
    size -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

}  // namespace

std::optional<SourceStamp> stamp_source(const std::filesystem::path& file) {
  // O_NONBLOCK: a FIFO named as a data file must not block the open; fstat then refuses it.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  std::optional<SourceStamp> stamp;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    SourceStamp found;
    found.size = static_cast<uint64_t>(info.st_size);
    found.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 +
                     static_cast<int64_t>(info.st_mtim.tv_nsec);
    const uint64_t head = std::min(found.size, kFingerprintEdgeBytes);
    const uint64_t tail = std::min(found.size - head, kFingerprintEdgeBytes);
    std::vector<unsigned char> edges(static_cast<size_t>(head + tail));
    if (read_at(fd, edges.data(), static_cast<size_t>(head), 0) &&
        read_at(fd, edges.data() + head, static_cast<size_t>(tail), found.size - tail)) {
      found.fingerprint = hash64(edges.data(), edges.size(), found.size);
      stamp = found;
    }
  }
  ::close(fd);
  return stamp;
}

}  // namespace cephalo
