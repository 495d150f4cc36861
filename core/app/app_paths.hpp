// Where the running binary lives and the folders found relative to it (relocatable installs).
// Thread-safety: pure functions (read /proc/self/exe).
#pragma once

#include <filesystem>

namespace cephalo {

std::filesystem::path executable_path();
// <prefix>/share/cephalo, where the default config and sample data live.
std::filesystem::path share_folder();
std::filesystem::path default_config_path();

}  // namespace cephalo
