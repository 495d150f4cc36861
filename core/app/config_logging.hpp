// The process logger built from a config's logging section, shared by the commands that run the
// bot. Thread-safety: call from main; the logger it returns is thread-safe.
#pragma once

#include "config/config.hpp"
#include "logging/logging.hpp"

namespace cephalo {

inline Result<std::shared_ptr<spdlog::logger>> make_logger_for(const LoggingConfig& logging) {
  LogOptions options;
  options.level = logging.level;
  options.console = logging.console;
  options.file = logging.file;
  options.max_file_size_mb = logging.max_file_size_mb;
  options.max_files = logging.max_files;
  return make_logger(options);
}

}  // namespace cephalo
