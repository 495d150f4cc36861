// What the pipeline benchmarks share: the seeded random-walk CSV they all read, and running a
// config text as a silent bot.
// Thread-safety: single-threaded benchmark programs.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "app_paths.hpp"
#include "bot.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/random_walk.hpp"
#include "logging/logging.hpp"

namespace cephalo::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// WORK/BENCH_USD-1m-<bars>.csv, generated (seed 42) unless it exists; empty path on failure.
inline std::filesystem::path random_walk_csv(const std::filesystem::path& work, int64_t bars) {
  const auto csv = work / ("BENCH_USD-1m-" + std::to_string(bars) + ".csv");
  if (std::filesystem::exists(csv)) return csv;
  RandomWalkSpec spec;
  spec.bars = bars;
  spec.seed = 42;
  auto walk = generate_random_walk(spec);
  if (!walk.ok() || !write_ohlcv_csv(csv, walk.value()).ok()) {
    std::fprintf(stderr, "cannot generate %s\n", csv.c_str());
    return {};
  }
  return csv;
}

// Runs `yaml` (named `display_name` in errors) with the built-in tentacles and no output.
inline Result<RunSummary> run_quietly(const std::string& yaml, const std::string& display_name) {
  auto loaded = load_config_text(yaml, display_name, {});
  if (!loaded.ok()) return Error{loaded.problems.front().to_string()};
  BotOptions options;
  options.folders = default_tentacle_folders(executable_path());
  options.logger = make_null_logger();
  options.handle_signals = false;
  return run_bot(*loaded.config, options);
}

}  // namespace cephalo::bench
