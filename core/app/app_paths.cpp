// /proc/self/exe rather than argv[0]: correct whatever the working directory or PATH lookup.
// Thread-safety: pure functions.
#include "app_paths.hpp"

namespace cephalo {

std::filesystem::path executable_path() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("cephalo") : path;
}

std::filesystem::path share_folder() {
  return executable_path().parent_path().parent_path() / "share" / "cephalo";
}

std::filesystem::path default_config_path() {
  return share_folder() / "config" / "default.yaml";
}

}  // namespace cephalo
