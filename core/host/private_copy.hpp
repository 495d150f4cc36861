// PrivateCopy: a uniquely named copy of a library file, removed when the copy object goes.
// Thread-safety: one owner; distinct copies may be made from any threads at once.
#pragma once

#include <filesystem>
#include <string>

#include "model/result.hpp"

namespace cephalo {

class PrivateCopy {
 public:
  // Copies `source` to a new file in `folder` (created 0700 if missing) named after `label`.
  static Result<PrivateCopy> make(const std::filesystem::path& source,
                                  const std::filesystem::path& folder, const std::string& label);
  PrivateCopy(PrivateCopy&& other) noexcept;
  PrivateCopy& operator=(PrivateCopy&& other) noexcept;
  PrivateCopy(const PrivateCopy&) = delete;
  PrivateCopy& operator=(const PrivateCopy&) = delete;
  ~PrivateCopy();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit PrivateCopy(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Where a process keeps its private library copies: <temp>/cephalo-<uid>/loaded.
std::filesystem::path default_private_copy_folder();

}  // namespace cephalo
