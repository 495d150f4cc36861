#include "report/report_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "model/system_text.hpp"

namespace cephalo {

Status write_report_file(const std::filesystem::path& path, std::string_view content) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return Error{"cannot create the report folder " + path.parent_path().string() + ": " +
                 error.message()};
  }
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  // Plain write(2), so the system's own reason (no space left, file too large) reaches the user.
  const int file = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (file < 0) {
    return Error{"cannot write the report " + temporary.string() + ": " + system_error_text(errno)};
  }
  std::string failure;
  for (std::size_t written = 0; written < content.size() && failure.empty();) {
    const ssize_t n = ::write(file, content.data() + written, content.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      failure = system_error_text(errno);
    } else if (n == 0) {
      failure = system_error_text(ENOSPC);
    }
  }
  if (::close(file) != 0 && failure.empty()) failure = system_error_text(errno);
  if (!failure.empty()) {
    std::filesystem::remove(temporary, error);  // no half report left behind
    return Error{"cannot write the report " + path.string() + ": " + failure +
                 " (nothing was written; free some space or write it elsewhere)"};
  }
  std::filesystem::rename(temporary, path, error);
  if (error) {
    const std::string reason = error.message();
    std::filesystem::remove(temporary, error);
    return Error{"cannot move the report into place at " + path.string() + ": " + reason};
  }
  return Ok{};
}

}  // namespace cephalo
