// Logger construction: readable console lines and JSON lines in a size-rotated file.
// Thread-safety: make_logger is called once from main; the returned logger is thread-safe.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>

#include "model/result.hpp"

namespace cephalo {

struct LogOptions {
  std::string level = "info";  // trace | debug | info | warn | error
  bool console = true;
  std::filesystem::path file;  // empty: no file
  int max_file_size_mb = 10;
  int max_files = 5;
};

// Fails (without throwing) when the log folder cannot be created or the file opened.
Result<std::shared_ptr<spdlog::logger>> make_logger(const LogOptions& options);

// A logger that drops everything, for commands and tests that need one but print nothing.
std::shared_ptr<spdlog::logger> make_null_logger();

}  // namespace cephalo
