// A cheap look at a file's ELF header before dlopen: is it a shared library, is it complete?
// Thread-safety: pure function.
#pragma once

#include <filesystem>

#include "model/result.hpp"

namespace cephalo {

// Ok when the file is a 64-bit ELF shared object for this machine whose header, program headers
// and section headers all lie inside the file; otherwise says which of these failed.
Status check_shared_library_file(const std::filesystem::path& file);

}  // namespace cephalo
