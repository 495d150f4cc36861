// MappedFile: a whole file mapped read-only with POSIX mmap, unmapped with its owner (internal).
// Thread-safety: immutable mapping; safe to read from many threads; move only.
#pragma once

#include <cstddef>
#include <string>

namespace cephalo {

// Pages are read from the page cache on first touch and can be dropped by the kernel at any time,
// so a 10M-bar file costs address space, not heap: resident memory never exceeds the file.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Maps the whole of an open descriptor (which the caller still owns and may close afterwards:
  // the mapping keeps the file alive). On failure returns an empty mapping and sets `error`.
  // `populate`: map every page now, for a caller about to read the whole file (one call instead
  // of a page fault per 4 KiB); otherwise pages come in as they are touched.
  static MappedFile map_descriptor(int fd, std::string& error, bool populate = false);

  const std::byte* data() const { return static_cast<const std::byte*>(address_); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  void* address_ = nullptr;
  size_t size_ = 0;
};

}  // namespace cephalo
