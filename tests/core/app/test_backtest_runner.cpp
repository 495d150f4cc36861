// run_backtest: many backtests in one process over tentacles and data prepared once give the same
// report every time, store nothing unless asked, and leave nothing behind (RSS stays flat).
// Thread-safety: single-threaded tests (the test thread is each run's loop thread).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "../storage/temp_folder.hpp"
#include "backtest_runner.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/random_walk.hpp"
#include "logging/logging.hpp"
#include "report/metrics.hpp"
#include "report/report_json.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

// A seeded 1m random walk of `bars` candles as TEST_USD-1m.csv in `folder`.
fs::path random_walk_file(const fs::path& folder, int64_t bars, uint64_t seed) {
  RandomWalkSpec spec;
  spec.bars = bars;
  spec.seed = seed;
  auto walk = generate_random_walk(spec);
  REQUIRE(walk.ok());
  const fs::path file = folder / "TEST_USD-1m.csv";
  REQUIRE(write_ohlcv_csv(file, walk.value()).ok());
  return file;
}

Config backtest_config(const fs::path& folder, const fs::path& data, int fast, int slow) {
  const std::string yaml =
      "mode: backtest\n"
      "tentacles: {user_folder: " +
      (folder / "user").string() +
      "}\n"
      "market:\n  feeds: [{symbol: TEST/USD, timeframe: 1m, file: " +
      data.string() +
      "}]\n"
      "pipeline:\n"
      "  strategies: [{tentacle: sma_crossover, params: {fast: " +
      std::to_string(fast) + ", slow: " + std::to_string(slow) +
      "}}]\n"
      "  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.5}}\n"
      "backtest: {starting_cash: 10000}\n"
      "storage: {path: " +
      (folder / "runs.sqlite").string() +
      "}\n"
      "logging: {level: error, console: false, file: ''}\n";
  auto loaded = load_config_text(yaml, (folder / "sweep.yaml").string(), {});
  REQUIRE_MESSAGE(loaded.ok(), (loaded.problems.empty() ? "" : loaded.problems[0].to_string()));
  return *loaded.config;
}

TentacleFolders builtin_folders() {
  TentacleFolders folders;
  folders.builtin = CEPHALO_BUILTIN_DIR;
  return folders;
}

std::string report_json(const Result<RunSummary>& run) {
  REQUIRE_MESSAGE(run.ok(), run.error());
  REQUIRE(run->backtest.has_value());
  const BacktestInput& input = *run->backtest;
  auto json = write_backtest_json(input, compute_metrics(input));
  REQUIRE_MESSAGE(json.ok(), json.error());
  return json.value();
}

#if defined(__SANITIZE_ADDRESS__)
#define CEPHALO_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CEPHALO_TEST_UNDER_ASAN 1
#endif
#endif

#ifdef CEPHALO_TEST_UNDER_ASAN
// Under AddressSanitizer freed blocks sit in its quarantine (up to 256 MiB) before reuse, so the
// resident set grows with every run whatever the code does. What the check is after, memory the
// runs keep, is the allocator's count of live heap bytes.
// Declared here because GCC ships no sanitizer/allocator_interface.h; both runtimes export it.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
constexpr const char* kMemoryMeasure = "live heap";
int64_t memory_in_use() { return static_cast<int64_t>(__sanitizer_get_current_allocated_bytes()); }
#else
// Resident set size in bytes (/proc/self/statm's second field is in pages).
constexpr const char* kMemoryMeasure = "RSS";
int64_t memory_in_use() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0, resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}
#endif

// The cache folder for the test's data files: the test's own, not the user's.
struct CacheFolder {
  explicit CacheFolder(const fs::path& folder) {
    ::setenv("CEPHALO_CACHE_DIR", (folder / "cache").c_str(), 1);
  }
  ~CacheFolder() { ::unsetenv("CEPHALO_CACHE_DIR"); }
  CacheFolder(const CacheFolder&) = delete;
  CacheFolder& operator=(const CacheFolder&) = delete;
};

// A sweep's fixed part: a 10k-bar random walk (seeded `seed`), the SMA crossover config on it
// and the backtest prepared once, with a plan that runs it unstored.
struct Sweep {
  explicit Sweep(uint64_t seed)
      : cache(folder.path()),
        data(random_walk_file(folder.path(), 10'000, seed)),
        config(backtest_config(folder.path(), data, 10, 50)),
        prepared(prepare_backtest(config, builtin_folders(), make_null_logger())) {
    REQUIRE_MESSAGE(prepared.ok(), prepared.error());
    plan.config = &config;
    plan.prepared = &prepared.value();
  }
  test::TempFolder folder;
  CacheFolder cache;
  fs::path data;
  Config config;
  Result<PreparedBacktest> prepared;
  RunPlan plan;
};

}  // namespace

TEST_CASE("two backtests in one process give byte-identical reports and store nothing") {
  Sweep sweep(7);
  RunPlan& plan = sweep.plan;
  auto first_run = run_backtest(plan);
  const std::string first = report_json(first_run);
  CHECK(first_run->backtest->trades.size() > 10);  // a report worth comparing
  const std::string second = report_json(run_backtest(plan));
  CHECK(first == second);
  // Unstored: no database, and no run_id pointing into one.
  CHECK_FALSE(fs::exists(sweep.folder.path() / "runs.sqlite"));
  CHECK(first.find("\"run_id\"") == std::string::npos);

  SUBCASE("a sweep's other parameters change the report; going back gives the first again") {
    const Config other = backtest_config(sweep.folder.path(), sweep.data, 5, 20);
    RunPlan other_plan = plan;
    other_plan.config = &other;
    CHECK(report_json(run_backtest(other_plan)) != first);
    CHECK(report_json(run_backtest(plan)) == first);
  }
  SUBCASE("stored when asked, with the run_id, and otherwise the same report") {
    plan.store = true;
    auto stored = run_backtest(plan);
    const std::string json = report_json(stored);
    CHECK(fs::exists(sweep.folder.path() / "runs.sqlite"));
    CHECK(stored->run_id > 0);
    CHECK(json.find("\"run_id\": " + std::to_string(stored->run_id)) != std::string::npos);
  }
  SUBCASE("a config whose feeds are not the prepared ones is refused") {
    Config other = sweep.config;
    other.feeds.front().symbol = "OTHER/USD";
    RunPlan other_plan = plan;
    other_plan.config = &other;
    auto refused = run_backtest(other_plan);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().find("not the prepared feed") != std::string::npos);
  }
}

TEST_CASE("1,000 backtests on 10k bars in one process: identical reports, RSS flat") {
  Sweep sweep(11);
  const RunPlan& plan = sweep.plan;

  constexpr int kRuns = 1000;
  constexpr int kWarmUp = 10;  // allocator pools and lazily mapped pages settle in the first runs
  const std::string first = report_json(run_backtest(plan));
  int64_t in_use_after_warm_up = 0;
  int differing = 0;
  for (int run = 2; run <= kRuns; ++run) {
    if (report_json(run_backtest(plan)) != first) ++differing;
    if (run == kWarmUp) in_use_after_warm_up = memory_in_use();
  }
  const int64_t growth = memory_in_use() - in_use_after_warm_up;
  MESSAGE(std::string(kMemoryMeasure), " after run ", kWarmUp, ": ", in_use_after_warm_up / 1024,
          " KiB; growth to run ", kRuns, ": ", growth / 1024, " KiB");
  CHECK(differing == 0);
  CHECK(growth <= 1024 * 1024);
}
