// Test helpers: a fresh temp folder per test, file bytes, and queries through a separate
// connection. Thread-safety: none needed; each test owns its folder and files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cephalo::test {

class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::vector<char> read_bytes(const std::filesystem::path& file);
void write_bytes(const std::filesystem::path& file, const std::vector<char>& bytes);

// Runs a query returning one integer through a connection of its own, not the repository's.
std::int64_t query_int64_independently(const std::filesystem::path& file, const std::string& sql);
// Same, for one text value; returns "<no row>" when the query finds nothing.
std::string query_text_independently(const std::filesystem::path& file, const std::string& sql);

}  // namespace cephalo::test
