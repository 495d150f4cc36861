#include "model/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "model/system_text.hpp"

namespace cephalo {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// "is a FIFO", or "is a symlink to /dev/zero, a character device" when a link led there.
std::string found_text(const std::filesystem::path& file, mode_t mode) {
  std::error_code error;
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(file, error))) {
    const auto target = std::filesystem::canonical(file, error);
    if (!error) return "is a symlink to " + target.string() + ", " + kind_of(mode);
  }
  return "is " + kind_of(mode);
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string> read_regular_file(const std::filesystem::path& file, const FileRole& role,
                                      uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, possibly forever. It
  // changes nothing for a regular file, the only kind read past the fstat below.
  const Descriptor fd(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      std::error_code error;
      return Error{std::string(role.name) +
                   " not found; check the path (relative paths start at the working directory " +
                   std::filesystem::current_path(error).string() + ")"};
    }
    return Error{"cannot open the " + std::string(role.name) + ": " + system_error_text(errno)};
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    return Error{"cannot stat the " + std::string(role.name) + ": " + system_error_text(errno)};
  }
  if (!S_ISREG(info.st_mode)) {
    std::string message =
        found_text(file, info.st_mode) + ", expected " + std::string(role.expected);
    if (!S_ISDIR(info.st_mode)) {
      message +=
          "; only regular files are read (a pipe or device may never end): save the data "
          "to a file and name that";
    }
    return Error{message};
  }
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size > max_bytes) {
    return Error{"is " + std::to_string(size) + " bytes, more than the " +
                 std::to_string(max_bytes) + " a " + std::string(role.name) +
                 " may have; is this the right file?"};
  }
  // Read straight into a string of the stat'd size; a file that grows meanwhile is read on.
  std::string text(static_cast<size_t>(size), '\0');
  size_t have = 0;
  char more[1 << 14];
  while (true) {
    const bool inside = have < text.size();
    char* const into = inside ? text.data() + have : more;
    const size_t room = inside ? text.size() - have : sizeof more;
    const ssize_t got = ::read(fd.get(), into, room);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return Error{"cannot read the " + std::string(role.name) + ": " + system_error_text(errno)};
    }
    if (got == 0) break;
    if (!inside) text.append(more, static_cast<size_t>(got));
    have += static_cast<size_t>(got);
    if (have > max_bytes) {
      return Error{"grew past " + std::to_string(max_bytes) + " bytes while it was read, more " +
                   "than a " + std::string(role.name) + " may have"};
    }
  }
  text.resize(have);
  return text;
}

}  // namespace cephalo
