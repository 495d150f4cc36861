#include "report/report_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

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
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Error{"cannot write the report " + temporary.string() + ": " + std::strerror(errno)};
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      const std::string reason = std::strerror(errno);
      out.close();
      std::filesystem::remove(temporary, error);
      return Error{"cannot write the report " + temporary.string() + ": " + reason +
                   " (is the disk full?)"};
    }
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
