#include "data/cache_dir.hpp"

#include <cstdlib>

#include "model/system_text.hpp"

namespace cephalo {
namespace {

bool is_set(const char* value) {
  return value != nullptr && *value != '\0';
}

}  // namespace

Result<std::filesystem::path> resolve_cache_dir(const char* cephalo_cache_dir,
                                                const char* xdg_cache_home, const char* home) {
  if (is_set(cephalo_cache_dir)) return std::filesystem::path(cephalo_cache_dir);
  if (is_set(xdg_cache_home) && std::filesystem::path(xdg_cache_home).is_absolute()) {
    return std::filesystem::path(xdg_cache_home) / "cephalo";
  }
  if (is_set(home)) return std::filesystem::path(home) / ".cache" / "cephalo";
  return Error{
      "no cache folder: none of CEPHALO_CACHE_DIR, XDG_CACHE_HOME or HOME is set; set "
      "CEPHALO_CACHE_DIR to a writable folder"};
}

Result<std::filesystem::path> default_cache_dir() {
  return resolve_cache_dir(environment_value("CEPHALO_CACHE_DIR"),
                           environment_value("XDG_CACHE_HOME"), environment_value("HOME"));
}

}  // namespace cephalo
