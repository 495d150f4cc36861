// Start-up refusals shared by `run`, `backtest` and `config validate`.
// Thread-safety: see run_checks.hpp.
#include "run_checks.hpp"

#include "app_paths.hpp"
#include "pipeline_plan.hpp"

namespace cephalo {

std::vector<std::string> pipeline_problems(const Config& config) {
  return check_pipeline(config,
                        tentacle_folders_for(config, default_tentacle_folders(executable_path())));
}

void print_pipeline_problems(const std::vector<std::string>& problems, std::ostream& err) {
  for (const auto& line : problems) err << line << "\n";
  err << problems.size() << " problem" << (problems.size() == 1 ? "" : "s") << " found\n";
}

std::unique_ptr<CrashRecorder> record_tentacle_crashes(const Config& config, std::ostream& err) {
  const auto folders = tentacle_folders_for(config, default_tentacle_folders(executable_path()));
  const auto log = crash_log_path(folders.user);
  if (log.empty()) {
    err << "warning: no user tentacle folder (HOME and CEPHALO_HOME unset): a crash inside a "
           "tentacle will not be remembered at the next start\n";
    return nullptr;
  }
  auto recorder = CrashRecorder::install(log);
  if (!recorder.ok()) {
    err << "warning: " << recorder.error()
        << ": a crash inside a tentacle will not be remembered at the next start\n";
    return nullptr;
  }
  return std::move(recorder.value());
}

}  // namespace cephalo
