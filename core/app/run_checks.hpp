// What `run` and `backtest` do before a run starts: refuse a config `config validate` would
// refuse, with the same messages, and record a crash in tentacle code for the next start.
// Thread-safety: main thread.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "host/crash_recorder.hpp"

namespace cephalo {

// The pipeline's problems (`config validate`'s second half: tentacles missing, refused or in the
// wrong role, parameters unknown or out of range), one line each with the config's file:line.
std::vector<std::string> pipeline_problems(const Config& config);

// Prints `problems` and "N problem(s) found" to err, as `config validate` does.
void print_pipeline_problems(const std::vector<std::string>& problems, std::ostream& err);

// The crash recorder for this run's tentacles, appending to the user folder's crash log; null
// (with a warning on err) when there is no user folder or the log cannot be opened, in which
// case a crash is not remembered.
std::unique_ptr<CrashRecorder> record_tentacle_crashes(const Config& config, std::ostream& err);

}  // namespace cephalo
