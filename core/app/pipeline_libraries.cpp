// The run's tentacle libraries: used ones loaded, the rest only looked at, crashed ones replaced.
// Thread-safety: see pipeline_libraries.hpp.
#include "pipeline_libraries.hpp"

#include <chrono>
#include <set>

#include "host/crash_recorder.hpp"
#include "host/host_context.hpp"
#include "host/installer.hpp"
#include "pipeline_plan.hpp"

namespace cephalo {

namespace {

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TentacleLoadRecord load_record(const LoadReport& report, const std::string& sha,
                               const std::string& status) {
  return TentacleLoadRecord{wall_now_ns(),        report.name, report.kind, report.version,
                            report.file.string(), sha,         status,      report.reason};
}

// The manifest to start for a used package: its own, or, when that build crashed a bot, the one
// install kept before it. An error says why neither can run.
Result<TentacleManifest> build_to_start(const TentacleManifest& manifest,
                                        const std::map<std::string, CrashRecord>& crashes,
                                        spdlog::logger& log, ProblemList& problems) {
  const auto crash = crashes.find(manifest.sha256);
  if (crash == crashes.end()) return manifest;
  const std::string crashed = describe_tentacle(manifest) + " " + describe_crash(crash->second);
  auto previous = read_manifest(previous_manifest_file(manifest.file, manifest.name));
  if (!previous.ok() || crashes.count(previous->sha256) > 0) {
    return Error{crashed +
                 "; this build is refused and no earlier build that did not crash is "
                 "kept (install a fixed build)"};
  }
  const std::string message = crashed + "; starting its previous build " + previous->version +
                              " (kept by install) instead. `cephalo tentacles rollback " +
                              manifest.name + "` makes that permanent";
  log.warn("{}", message);
  problems.add(
      "tentacle_crashed",
      std::string(kind_to_string(manifest.kind)) + " " + manifest.name + " " + manifest.version,
      message);
  return previous.value();
}

}  // namespace

PipelineLibraries load_pipeline_libraries(const Config& config, const TentacleFolders& folders,
                                          const std::filesystem::path& copy_folder,
                                          const std::map<std::string, CrashRecord>& crashes,
                                          spdlog::logger& log) {
  ProblemList problems;
  std::set<std::string> used;
  for (const auto& planned : planned_uses(config)) used.insert(planned.use->tentacle);
  PipelineLibraries result;
  for (const auto& entry : scan_tentacle_folders(folders)) {
    const std::string sha = entry.manifest ? entry.manifest->sha256 : "";
    LoadReport report = report_for(entry, nullptr, "");
    const bool wanted = report.ok && used.count(entry.manifest->name) > 0;
    if (!wanted) {
      // Not loaded: code nobody runs never runs. A problem with its manifest is still told.
      if (!report.ok) log.error("tentacle refused: {}", report.reason);
      result.records.push_back(load_record(report, sha, report.ok ? "available" : "refused"));
      result.loads.push_back(std::move(report));
      continue;
    }
    auto manifest = build_to_start(*entry.manifest, crashes, log, problems);
    auto library = manifest.ok()
                       ? TentacleLibrary::load(manifest.value(), core_host_api(), copy_folder)
                       : Result<std::shared_ptr<TentacleLibrary>>(Error{manifest.error()});
    if (library.ok()) {
      CatalogEntry started = entry;
      started.manifest = library.value()->manifest();
      report = report_for(started, library.value().get(), "");
      result.by_name[entry.manifest->name] = library.value();
      log.info("tentacle {} {} {} loaded ({})", report.kind, report.name, report.version,
               report.origin);
    } else {
      report = report_for(entry, nullptr, library.error());
      report.crashed = crashes.count(sha) > 0;
      log.error("tentacle refused: {}", report.reason);
    }
    result.records.push_back(load_record(report,
                                         library.ok() ? library.value()->manifest().sha256 : sha,
                                         library.ok() ? "loaded" : report.status()));
    result.loads.push_back(std::move(report));
  }
  result.problems = problems.snapshot();
  return result;
}

}  // namespace cephalo
