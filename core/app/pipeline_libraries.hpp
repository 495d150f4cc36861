// Which tentacle builds a run starts: the packages its pipeline names, each checked before any of
// its code runs; a build that crashed a bot is replaced by the version install kept before it.
// Thread-safety: the run's thread, before the loop runs.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "host/catalog.hpp"
#include "model/problems.hpp"
#include "storage/records.hpp"

namespace cephalo {

struct PipelineLibraries {
  std::map<std::string, std::shared_ptr<TentacleLibrary>> by_name;  // loaded, by tentacle name
  std::vector<LoadReport> loads;  // every package found: loaded, refused, crashed or not used
  // The same as stored tentacle loads, for each run that uses these libraries to store once it
  // has started (a record needs its run).
  std::vector<TentacleLoadRecord> records;
  // A used build replaced by the one before it ("tentacle_crashed"): each run's problem too.
  std::vector<Problem> problems;
};

// Scans the folders and loads (from private copies in `copy_folder`) only the packages the
// config's pipeline uses, so a broken library nobody uses cannot take the run down. A used build
// listed in `crashes` (read_crash_log) is refused; when install kept the version before it
// (.<name>.previous) and that one did not crash, it runs instead, which is logged and added to
// `problems` ("tentacle_crashed"). Every package's outcome is in `records`, to be stored.
PipelineLibraries load_pipeline_libraries(const Config& config, const TentacleFolders& folders,
                                          const std::filesystem::path& copy_folder,
                                          const std::map<std::string, CrashRecord>& crashes,
                                          spdlog::logger& log);

}  // namespace cephalo
