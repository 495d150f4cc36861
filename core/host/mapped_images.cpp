// Linux only, like the rest of the host (dlopen, ELF checks).
// Thread-safety: see mapped_images.hpp.
#include "host/mapped_images.hpp"

#include <fstream>
#include <string>

namespace cephalo {

bool image_is_mapped(const std::filesystem::path& image) {
  std::ifstream maps("/proc/self/maps");
  const std::string wanted = image.string();
  std::string line;
  while (std::getline(maps, line)) {
    const auto at = line.find(wanted);
    if (at == std::string::npos) continue;
    const auto rest = std::string_view(line).substr(at + wanted.size());
    if (rest.empty() || rest == " (deleted)") return true;
  }
  return false;
}

}  // namespace cephalo
