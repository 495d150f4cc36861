// mkstemps gives a name no other loader (in this process or another cephalo) can be using.
// Thread-safety: see private_copy.hpp.
#include "host/private_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "model/system_text.hpp"

namespace cephalo {

namespace {

bool copy_bytes(const std::filesystem::path& source, int target_fd) {
  std::ifstream in(source, std::ios::binary);
  if (!in) return false;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    for (std::streamsize done = 0; done < got;) {
      const ssize_t wrote =
          ::write(target_fd, buffer.data() + done, static_cast<size_t>(got - done));
      if (wrote < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      done += wrote;
    }
  }
  return in.eof();
}

}  // namespace

Result<PrivateCopy> PrivateCopy::make(const std::filesystem::path& source,
                                      const std::filesystem::path& folder,
                                      const std::string& label) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return Error{"cannot create the folder for library copies " + folder.string() + ": " +
                 ec.message()};
  ::chmod(folder.c_str(), 0700);
  std::string name = (folder / (label + "-XXXXXX.so")).string();
  const int fd = ::mkstemps(name.data(), 3);
  if (fd < 0)
    return Error{"cannot create a private copy in " + folder.string() + ": " +
                 system_error_text(errno)};
  PrivateCopy copy{std::filesystem::path(name)};
  const bool copied = copy_bytes(source, fd);
  const bool closed = ::close(fd) == 0;
  if (!copied || !closed) {
    return Error{"cannot copy " + source.string() + " to " + name + ": " +
                 system_error_text(errno)};
  }
  return copy;
}

PrivateCopy::PrivateCopy(PrivateCopy&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

PrivateCopy& PrivateCopy::operator=(PrivateCopy&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

PrivateCopy::~PrivateCopy() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

std::filesystem::path default_private_copy_folder() {
  return std::filesystem::temp_directory_path() / ("cephalo-" + std::to_string(::getuid())) /
         "loaded";
}

}  // namespace cephalo
