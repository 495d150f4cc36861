// Backtest throughput: the whole pipeline (SMA crossover across the ABI, simulated exchange,
// portfolio) against the hand-written loop, from the binary cache and from CSV, with peak RSS.
// Thread-safety: single-threaded program. Usage: backtest_bench BARS [WORK_DIR [REPEATS]]
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app_paths.hpp"
#include "bench_support.hpp"
#include "bot.hpp"
#include "data/ohlcv_cache.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/ohlcv_reader.hpp"
#include "data/random_walk.hpp"
#include "hand_loop.hpp"
#include "logging/logging.hpp"

namespace fs = std::filesystem;
using namespace cephalo;
using bench::Clock;
using bench::seconds_since;

namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

// `journal`: the default storage settings (journal_decisions on: signals, intents, verdicts,
// orders, fills, balances, trades in SQLite; journal_market_data auto, off for a backtest), or
// the lean run without any journal (journal_decisions off).
Result<RunSummary> run_pipeline(const fs::path& data, const fs::path& work, bool journal) {
  // A fresh database each run: appended to, it grows by ~1 GB per journaled 10M-bar run, and a
  // run's inserts (and the page cache's dirty backlog) would depend on the runs before it.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(work / ("bench.sqlite" + std::string(suffix)));
  }
  const std::string yaml =
      "mode: backtest\n"
      "market:\n  feeds: [{symbol: BENCH/USD, timeframe: 1m, file: " +
      data.string() +
      "}]\n"
      "  bad_rows: reject\n"
      "pipeline:\n"
      "  strategies: [{tentacle: sma_crossover, params: {fast: 10, slow: 50}}]\n"
      "  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.99}}\n"
      "backtest: {starting_cash: 10000}\n"
      "storage: {path: " +
      (work / "bench.sqlite").string() + (journal ? std::string() : ", journal_decisions: false") +
      "}\n"
      "logging: {level: error, console: false, file: ''}\n";
  return bench::run_quietly(yaml, (work / "bench.yaml").string());
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t bars = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const fs::path work = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "cephalo-bench";
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  fs::create_directories(work);
  const fs::path csv = bench::random_walk_csv(work, bars);
  if (csv.empty()) return 1;
  const fs::path cache = work / "cache";
  setenv("CEPHALO_CACHE_DIR", cache.c_str(), 1);

  std::printf("bars: %lld (random walk, seed 42) in %s\n", static_cast<long long>(bars),
              csv.c_str());

  // Each figure is the best of `repeats` runs: the shared VM's other work only ever adds time.
  double hand_csv_seconds = 1e300, hand_seconds = 1e300, report_loop_seconds = 1e300;
  bench::HandLoopResult hand;
  bench::HandLoopReport hand_report;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    // Hand-written loop including its CSV parsing, then on already-parsed bars.
    auto start = Clock::now();
    const auto parsed = load_ohlcv(csv, 60'000, BadRowPolicy::kReject);
    (void)bench::run_hand_loop(parsed.bars, 10, 50, 10000, 0.99, 0.001);
    hand_csv_seconds = std::min(hand_csv_seconds, seconds_since(start));
    start = Clock::now();
    hand = bench::run_hand_loop(parsed.bars, 10, 50, 10000, 0.99, 0.001);
    hand_seconds = std::min(hand_seconds, seconds_since(start));
    start = Clock::now();
    hand_report = bench::run_hand_loop_with_report(parsed.bars, 10, 50, 10000, 0.99, 0.001);
    report_loop_seconds = std::min(report_loop_seconds, seconds_since(start));
  }

  const double mbars = static_cast<double>(bars) / 1e6;
  std::printf("hand loop (parsed bars):     %8.3f s  %8.2f M bars/s  trades %lld\n", hand_seconds,
              mbars / hand_seconds, static_cast<long long>(hand.trades));
  std::printf("hand loop incl. CSV parsing: %8.3f s  %8.2f M bars/s\n", hand_csv_seconds,
              mbars / hand_csv_seconds);
  std::printf(
      "hand loop + report arithmetic (compensated sums, equity, drawdown, returns): %.3f s  "
      "%.2f M bars/s  trades %lld\n",
      report_loop_seconds, mbars / report_loop_seconds,
      static_cast<long long>(hand_report.result.trades));
  double final_equity = 0;
  double cache_with_journal = 0, loop_with_journal = 0;
  for (const bool journal : {true, false}) {
    double csv_seconds = 1e300, cache_seconds = 1e300, loop_seconds = 1e300;
    // CPU of the fastest run from the cache: this thread (the loop, start-up and report) and the
    // others (the journal's writer, the cache check). Unlike wall times they do not grow when
    // the VM is busy, so they say where a quiet machine's time would go.
    double loop_cpu = 0, other_cpu = 0;
    size_t trades = 0;
    for (int repeat = 0; repeat < repeats; ++repeat) {
      // From CSV (a fresh cache: parse, validate, write the cache), then from the cache.
      fs::remove_all(cache);
      auto start = Clock::now();
      auto from_csv = run_pipeline(csv, work, journal);
      csv_seconds = std::min(csv_seconds, seconds_since(start));
      start = Clock::now();
      const double thread_start = thread_cpu_seconds(), process_start = process_cpu_seconds();
      auto from_cache = run_pipeline(csv, work, journal);
      if (seconds_since(start) < cache_seconds) {
        loop_cpu = thread_cpu_seconds() - thread_start;
        other_cpu = process_cpu_seconds() - process_start - loop_cpu;
      }
      cache_seconds = std::min(cache_seconds, seconds_since(start));
      if (!from_csv.ok() || !from_cache.ok()) {
        std::fprintf(stderr, "pipeline failed: %s\n",
                     (from_csv.ok() ? from_cache.error() : from_csv.error()).c_str());
        return 1;
      }
      loop_seconds = std::min(loop_seconds, from_cache->replay_seconds);
      trades = from_cache->backtest->trades.size();
      final_equity = from_cache->backtest->final_equity;
    }
    std::printf("-- decisions journaled to SQLite: %s\n", journal ? "yes" : "no");
    std::printf(
        "pipeline from binary cache:  %8.3f s  %8.2f M bars/s  trades %zu  (%.1fx the loop)\n",
        cache_seconds, mbars / cache_seconds, trades, cache_seconds / hand_seconds);
    std::printf("  of which the event loop:   %8.3f s  %8.2f M bars/s  (%.1fx the loop)\n",
                loop_seconds, mbars / loop_seconds, loop_seconds / hand_seconds);
    std::printf(
        "  CPU: this thread %.3f s, the other threads (journal writer, cache check) %.3f s\n",
        loop_cpu, other_cpu);
    std::printf(
        "  against the loop with the report arithmetic: %.1fx (whole), %.1fx (event loop)\n",
        cache_seconds / report_loop_seconds, loop_seconds / report_loop_seconds);
    std::printf(
        "pipeline from CSV:           %8.3f s  %8.2f M bars/s  (%.2fx the loop with parsing)\n",
        csv_seconds, mbars / csv_seconds, csv_seconds / hand_csv_seconds);
    if (journal) {
      cache_with_journal = cache_seconds;
      loop_with_journal = loop_seconds;
    } else {
      // Issue 14's yardstick: the default backtest against the same run without any journal.
      std::printf(
          "default journal / no journal: %.2fx (whole run from the cache), %.2fx (event "
          "loop)\n",
          cache_with_journal / cache_seconds, loop_with_journal / loop_seconds);
    }
  }
  std::printf("final equity: pipeline %.10g, hand loop %.10g\n", final_equity, hand.final_equity);
  std::printf("peak RSS: %ld MB\n", peak_rss_mb());
  return 0;
}
