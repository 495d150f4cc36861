#include "data/mapped_file.hpp"

#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "model/system_text.hpp"

namespace cephalo {

MappedFile::~MappedFile() {
  if (address_ != nullptr) ::munmap(address_, size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : address_(std::exchange(other.address_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (address_ != nullptr) ::munmap(address_, size_);
    address_ = std::exchange(other.address_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile MappedFile::map_descriptor(int fd, std::string& error, bool populate) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    error = std::string("cannot stat: ") + system_error_text(errno);
    return {};
  }
  if (info.st_size <= 0) {
    error = "file is empty";
    return {};
  }
  const auto size = static_cast<size_t>(info.st_size);
  // MAP_SHARED of a read-only mapping: clean pages are shared with the page cache, never copied.
  void* address =
      ::mmap(nullptr, size, PROT_READ, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
  if (address == MAP_FAILED) {
    error = std::string("cannot map: ") + system_error_text(errno);
    return {};
  }
  MappedFile mapped;
  mapped.address_ = address;
  mapped.size_ = size;
  return mapped;
}

}  // namespace cephalo
