// Builds the process logger from LogOptions; spdlog's own exceptions stay inside this file.
// Thread-safety: see logging.hpp.
#include "logging/logging.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "logging/json_formatter.hpp"

namespace cephalo {

Result<std::shared_ptr<spdlog::logger>> make_logger(const LogOptions& options) {
  try {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) {
      auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
      console->set_pattern("%H:%M:%S.%e %^%-5l%$ %v");
      sinks.push_back(console);
    }
    if (!options.file.empty()) {
      std::error_code ec;
      if (options.file.has_parent_path()) {
        std::filesystem::create_directories(options.file.parent_path(), ec);
      }
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          options.file.string(), static_cast<size_t>(options.max_file_size_mb) * 1024 * 1024,
          static_cast<size_t>(options.max_files));
      file->set_formatter(std::make_unique<JsonLineFormatter>());
      sinks.push_back(file);
    }
    auto logger = std::make_shared<spdlog::logger>("cephalo", sinks.begin(), sinks.end());
    const auto level = spdlog::level::from_str(options.level);
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
    return logger;
  } catch (const spdlog::spdlog_ex& e) {
    return Error{"cannot set up logging to '" + options.file.string() + "': " + e.what()};
  }
}

std::shared_ptr<spdlog::logger> make_null_logger() {
  return std::make_shared<spdlog::logger>("null",
                                          std::make_shared<spdlog::sinks::null_sink_mt>());
}

}  // namespace cephalo
