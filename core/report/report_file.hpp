// Writing a finished report to disk so a reader never sees half a file.
// Thread-safety: safe from any thread for distinct paths.
#pragma once

#include <filesystem>
#include <string_view>

#include "model/result.hpp"

namespace cephalo {

// Writes `content` to `<path>.tmp` and renames it over `path`; creates missing parent folders.
// The error names the file and the system's reason.
Status write_report_file(const std::filesystem::path& path, std::string_view content);

}  // namespace cephalo
