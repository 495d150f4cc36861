// A cheap look at a file's ELF header before dlopen: is it a shared library, is it complete?
// Thread-safety: pure function.
#pragma once

#include <filesystem>

#include "model/result.hpp"

namespace cephalo {

// Ok when the file is a 64-bit little-endian ELF shared object for this machine whose header has
// the standard sizes, whose program headers, section headers and loadable segments all lie
// inside the file, and which has a dynamic section; otherwise says which of these failed.
Status check_shared_library_file(const std::filesystem::path& file);

}  // namespace cephalo
