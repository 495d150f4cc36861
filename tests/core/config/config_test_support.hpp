// Helpers shared by the config tests: a scratch directory and problem lookup by key.
// Thread-safety: test-only; each TempDir owns a distinct directory.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.hpp"

namespace cephalo::test {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("cephalo_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline const ConfigProblem* find_problem(const ConfigLoadResult& result, const std::string& key) {
  for (const auto& problem : result.problems) {
    if (problem.key == key) return &problem;
  }
  return nullptr;
}

inline std::string all_problems(const ConfigLoadResult& result) {
  std::string text;
  for (const auto& problem : result.problems) text += problem.to_string() + "\n";
  return text;
}

}  // namespace cephalo::test
