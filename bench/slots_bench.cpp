// A/B slot overhead: the same SMA crossover in 1, 2 and 4 slots on the same bars, against the
// pipeline with no strategy at all (data, candle history and the exchange only), so the cost of
// one more slot can be compared with the cost of the whole pipeline.
// Thread-safety: single-threaded program. Usage: slots_bench BARS [WORK_DIR]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app_paths.hpp"
#include "bench_support.hpp"
#include "bot.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/random_walk.hpp"
#include "logging/logging.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

// `slots` 0: one plain pipeline with the trading mode only (no strategy: the shared part).
// `journal`: whether signals, verdicts, orders, fills and trades go to SQLite (storage's
// journal_decisions); without it the figures show the event path alone.
Result<RunSummary> run_slots(const fs::path& data, const fs::path& work, int slots, bool journal) {
  std::string yaml =
      "mode: backtest\n"
      "market:\n  feeds: [{symbol: BENCH/USD, timeframe: 1m, file: " +
      data.string() +
      "}]\n"
      "  bad_rows: reject\n"
      "backtest: {starting_cash: 10000}\n"
      "storage: {path: " +
      (work / "slots.sqlite").string() +
      ", journal_market_data: false, journal_decisions: " + (journal ? "true" : "false") +
      "}\n"
      "logging: {level: error, console: false, file: ''}\n";
  if (slots == 0) {
    yaml +=
        "pipeline:\n  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, "
        "fraction: 0.99}}\n";
  } else {
    yaml += "slots:\n";
    for (int i = 0; i < slots; ++i) {
      yaml += "  - name: s" + std::to_string(i) +
              "\n    strategies: [{tentacle: sma_crossover, params: {fast: 10, slow: 50}}]\n"
              "    trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: "
              "0.99}}\n    capital_share: " +
              std::to_string(1.0 / slots) + "\n";
    }
  }
  fs::remove(work / "slots.sqlite");
  return bench::run_quietly(yaml, (work / "slots.yaml").string());
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t bars = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const fs::path work = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "cephalo-bench";
  fs::create_directories(work);
  const fs::path csv = bench::random_walk_csv(work, bars);
  if (csv.empty()) return 1;
  setenv("CEPHALO_CACHE_DIR", (work / "cache").c_str(), 1);
  std::printf("bars: %lld (random walk, seed 42); event-loop seconds, best of 3\n",
              static_cast<long long>(bars));
  (void)run_slots(csv, work, 0, false);  // warms the binary cache
  for (const bool journal : {true, false}) {
    std::printf("-- decisions journaled to SQLite: %s\n", journal ? "yes" : "no");
    double seconds[5] = {};
    for (int slots : {0, 1, 2, 4}) {
      double best = 1e300;
      size_t trades = 0;
      for (int repeat = 0; repeat < 3; ++repeat) {
        auto run = run_slots(csv, work, slots, journal);
        if (!run.ok()) {
          std::fprintf(stderr, "run with %d slots failed: %s\n", slots, run.error().c_str());
          return 1;
        }
        best = std::min(best, run->replay_seconds);
        trades = run->backtest ? run->backtest->trades.size() : 0;
      }
      seconds[slots] = best;
      std::printf("%d slot%s %s %7.3f s  %6.2f M bars/s  trades %zu\n", slots,
                  slots == 1 ? " " : "s",
                  slots == 0 ? "(trading mode only)" : "                   ", best,
                  static_cast<double>(bars) / 1e6 / best, trades);
    }
    // Each slot brings its own strategy, trading mode, sub-account (simulated exchange and
    // portfolio) and risk state; data, candle history and indicators are shared. So a run costs
    // shared + N x per-slot work: the cost of an added slot stays the same as N grows, and the
    // shared part is what one slot's run has on top of it.
    const double added_1_2 = seconds[2] - seconds[1];
    const double added_2_4 = (seconds[4] - seconds[2]) / 2;
    const double shared = seconds[1] - added_1_2;
    std::printf(
        "cost of an added slot: %.3f s (1->2 slots), %.3f s (2->4 slots); shared part %.3f s; "
        "4 slots cost %.2fx one slot's run (%.2fx if nothing were shared)\n",
        added_1_2, added_2_4, shared, seconds[4] / seconds[1], 4.0);
  }
  return 0;
}
