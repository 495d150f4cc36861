// A parameter sweep's cost: RUNS backtests of one config on BARS bars in one process through
// run_backtest (tentacles and data prepared once, nothing stored), against RUNS `cephalo
// backtest` processes of the same config (issue 15, item 4). Both sides render the JSON report
// of every run; the bench checks that the two give the same report.
// Thread-safety: single-threaded program. Usage: sweep_bench [BARS [RUNS [WORK_DIR]]]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "app_paths.hpp"
#include "backtest_runner.hpp"
#include "bench_support.hpp"
#include "logging/logging.hpp"
#include "report/metrics.hpp"
#include "report/report_json.hpp"

namespace fs = std::filesystem;
using namespace cephalo;
using bench::Clock;
using bench::seconds_since;

namespace {

// The sweep's config: the SMA crossover with spot sizing, no decision journal (a process still
// stores its run row, as `cephalo backtest` always does).
fs::path write_config(const fs::path& work, const fs::path& data) {
  const fs::path file = work / "sweep.yaml";
  std::ofstream out(file);
  out << "mode: backtest\n"
         "market:\n  feeds: [{symbol: BENCH/USD, timeframe: 1m, file: "
      << data.string()
      << "}]\n"
         "  bad_rows: reject\n"
         "pipeline:\n"
         "  strategies: [{tentacle: sma_crossover, params: {fast: 10, slow: 50}}]\n"
         "  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.99}}\n"
         "backtest: {starting_cash: 10000}\n"
         "storage: {path: "
      << (work / "sweep.sqlite").string()
      << ", journal_decisions: false}\n"
         "logging: {level: error, console: false, file: ''}\n";
  return file;
}

// A report without what differs between a stored and an unstored run of the same config.
nlohmann::json comparable(const std::string& text) {
  nlohmann::json report = nlohmann::json::parse(text);
  report.erase("run_id");
  report.erase("config_file");
  return report;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t bars = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 100;
  const fs::path work = argc > 3 ? fs::path(argv[3]) : fs::temp_directory_path() / "cephalo-bench";
  fs::create_directories(work);
  const fs::path csv = bench::random_walk_csv(work, bars);
  if (csv.empty()) return 1;
  setenv("CEPHALO_CACHE_DIR", (work / "cache").c_str(), 1);
  const fs::path config_file = write_config(work, csv);
  const fs::path cephalo = executable_path().parent_path() / "cephalo";
  const fs::path process_json = work / "sweep-process.json";
  const std::string command = cephalo.string() + " backtest -c " + config_file.string() +
                              " --json " + process_json.string() + " >/dev/null 2>&1";
  std::printf("sweep: %d runs on %lld bars (random walk, seed 42) in %s\n", runs,
              static_cast<long long>(bars), csv.c_str());

  // One process first, untimed: it writes the binary cache both sides then map.
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "`%s` failed\n", command.c_str());
    return 1;
  }

  auto start = Clock::now();
  for (int run = 0; run < runs; ++run) {
    if (std::system(command.c_str()) != 0) {
      std::fprintf(stderr, "`%s` failed\n", command.c_str());
      return 1;
    }
  }
  const double process_seconds = seconds_since(start);
  const std::string process_report = read_text(process_json);

  start = Clock::now();
  const auto loaded = load_config(config_file, {});
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.problems.front().to_string().c_str());
    return 1;
  }
  auto prepared = prepare_backtest(*loaded.config, default_tentacle_folders(executable_path()),
                                   make_null_logger());
  if (!prepared.ok()) {
    std::fprintf(stderr, "prepare_backtest: %s\n", prepared.error().c_str());
    return 1;
  }
  const double prepare_seconds = seconds_since(start);
  RunPlan plan;
  plan.config = &*loaded.config;
  plan.prepared = &prepared.value();
  std::string in_process_report;
  for (int run = 0; run < runs; ++run) {
    auto summary = run_backtest(plan);
    if (!summary.ok() || !summary->backtest) {
      std::fprintf(stderr, "run_backtest: %s\n",
                   summary.ok() ? "no report" : summary.error().c_str());
      return 1;
    }
    auto json = write_backtest_json(*summary->backtest, compute_metrics(*summary->backtest));
    if (!json.ok()) {
      std::fprintf(stderr, "report: %s\n", json.error().c_str());
      return 1;
    }
    in_process_report = std::move(json.value());
  }
  const double in_process_seconds = seconds_since(start);

  const bool same = comparable(process_report) == comparable(in_process_report);
  std::printf("%d `cephalo backtest` processes: %8.3f s  (%.3f s a run)\n", runs, process_seconds,
              process_seconds / runs);
  std::printf("%d run_backtest calls:           %8.3f s  (%.3f s a run; prepare %.3f s)\n", runs,
              in_process_seconds, (in_process_seconds - prepare_seconds) / runs, prepare_seconds);
  std::printf("in-process speed-up: %.2fx\n", process_seconds / in_process_seconds);
  std::printf("reports (run_id and config_file aside): %s\n", same ? "identical" : "DIFFERENT");
  return same ? 0 : 1;
}
