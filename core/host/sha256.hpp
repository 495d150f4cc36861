// SHA-256 of a file, as written into and checked against tentacle manifests.
// Thread-safety: pure function.
#pragma once

#include <filesystem>
#include <string>

#include "model/result.hpp"

namespace cephalo {

// Lower-case hex digest; an error when the file cannot be read.
Result<std::string> sha256_file_hex(const std::filesystem::path& file);

}  // namespace cephalo
