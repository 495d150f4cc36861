// Journal throughput: rows per second through SqliteRepository's batched writer into a fresh
// SQLite file, in the mix a backtest journals and for one table alone, best of N runs.
// Thread-safety: single-threaded program (plus the repository's writer thread).
// Usage: journal_bench [ROWS [WORK_DIR [REPEATS [BATCH_SIZE [mix|signals|both]]]]]; the fifth
// argument runs one part alone, for `perf stat` (its instruction counts do not depend on load).
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "storage/sqlite_repository.hpp"

namespace fs = std::filesystem;
using namespace cephalo;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double queue_seconds = 0;  // the producer's time to queue every record
  double total_seconds = 0;  // from the first record queued to flush() returning
  // CPU seconds: the producer's (this thread) and the rest of the process (the writer thread).
  // They do not depend on what else the machine runs, unlike the wall times above.
  double producer_cpu = 0;
  double writer_cpu = 0;
};

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

void remove_database(const fs::path& file) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(file.string() + suffix);
}

// Runs `produce` (which queues `rows` records) against a fresh file; fails loudly.
Timing time_rows(const fs::path& file, std::size_t batch_size,
                 const std::function<void(Repository&)>& produce) {
  remove_database(file);
  SqliteOptions options;
  options.batch_size = batch_size;
  options.max_queued = std::max(options.max_queued, batch_size);
  auto opened = SqliteRepository::open(file, options);
  if (!opened.ok() || !opened.value()->start_run(1, "backtest", "{}").ok()) {
    std::fprintf(stderr, "cannot open %s\n", file.c_str());
    std::exit(1);
  }
  Repository& repository = *opened.value();
  const double producer_start = thread_cpu_seconds();
  const double process_start = process_cpu_seconds();
  const auto start = Clock::now();
  produce(repository);
  const double producer_cpu = thread_cpu_seconds() - producer_start;
  const auto queued = Clock::now();
  if (Status flushed = repository.flush(); !flushed.ok()) {
    std::fprintf(stderr, "flush failed: %s\n", flushed.error().c_str());
    std::exit(1);
  }
  const auto done = Clock::now();
  const double process_cpu = process_cpu_seconds() - process_start;
  return {std::chrono::duration<double>(queued - start).count(),
          std::chrono::duration<double>(done - start).count(), producer_cpu,
          process_cpu - producer_cpu};
}

// One round trip as a backtest journals it (sma_crossover -> spot, risk checks on): per side a
// signal, an order intent, its three risk verdicts (passes, so no reason text), the order's final
// state, its fill and the balance after it; then the closed trade. 17 rows, in the proportions
// the backtest benchmark's run stores them (27,420 orders and 82,260 verdicts per million bars).
std::size_t journal_round_trip(Repository& repository, std::int64_t n) {
  constexpr int kVerdictsPerIntent = 3;
  const std::int64_t t = 1'600'000'000'000'000'000 + n * 3'600'000'000'000;
  std::size_t rows = 0;
  for (int side = 0; side < 2; ++side) {
    const std::int64_t sequence = n * 100 + side * 50;
    const std::int64_t time_ns = t + side * 1'800'000'000'000;
    const std::int64_t filled_ns = time_ns + 60'000'000'000;
    const char* side_name = side == 0 ? "buy" : "sell";
    repository.record(SignalRecord{sequence, time_ns, "BENCH/USD", "sma_crossover",
                                   side == 0 ? "enter_long" : "exit_long", 1.0, 1.0, std::nullopt,
                                   std::nullopt});
    repository.record(OrderIntentRecord{sequence + 1, time_ns, "BENCH/USD", "spot", "main",
                                        side_name, "market", "gtc", 0.5 + n * 1e-6, std::nullopt,
                                        std::nullopt, ""});
    for (int v = 0; v < kVerdictsPerIntent; ++v) {
      repository.record(RiskVerdictRecord{sequence + 1, time_ns, "position",
                                          "max_position_fraction", sequence + 1, true, "", 0.99,
                                          1.0, "main"});
    }
    const std::string id = "bt-" + std::to_string(2 * n + side + 1);
    const std::string trade_id = "sim-" + std::to_string(2 * n + side + 1);
    repository.record(OrderRecord{id,
                                  sequence + 1,
                                  time_ns,
                                  "BENCH/USD",
                                  side_name,
                                  "market",
                                  "gtc",
                                  0.5,
                                  {},
                                  {},
                                  "filled",
                                  "",
                                  "",
                                  filled_ns});
    repository.record(
        FillRecord{trade_id, id, filled_ns, "BENCH/USD", side_name, 0.5, 100.25, 0.05, "USD"});
    repository.record(BalanceRecord{filled_ns, "USD", 9950.0 + n, 0, "fill " + trade_id});
    rows += 5 + kVerdictsPerIntent;
  }
  repository.record(
      TradeRecord{"BENCH/USD", t, 100.0, t + 1'800'000'000'000, 100.5, 0.5, 0.1, 0.15, "signal"});
  return rows + 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const fs::path work = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "cephalo-bench";
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  const std::size_t batch_size =
      argc > 4 ? std::strtoull(argv[4], nullptr, 10) : SqliteOptions{}.batch_size;
  const std::string parts = argc > 5 ? argv[5] : "both";
  const bool run_mix = parts != "signals", run_single = parts != "mix";
  fs::create_directories(work);
  const fs::path file = work / "journal_bench.sqlite";
  std::printf("journal_bench: %lld rows per run into a fresh %s, batch_size %zu, best of %d\n",
              static_cast<long long>(rows), file.c_str(), batch_size, repeats);

  Timing mix{1e300, 1e300}, single{1e300, 1e300};
  std::size_t mix_rows = 0;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    if (run_mix) {
      const Timing m = time_rows(file, batch_size, [&](Repository& repository) {
        mix_rows = 0;
        for (std::int64_t n = 0; mix_rows < static_cast<std::size_t>(rows); ++n) {
          mix_rows += journal_round_trip(repository, n);
        }
      });
      if (m.total_seconds < mix.total_seconds) mix = m;
    }
    if (run_single) {
      const Timing s = time_rows(file, batch_size, [&](Repository& repository) {
        for (std::int64_t n = 0; n < rows; ++n) {
          repository.record(SignalRecord{n, 1'600'000'000'000'000'000 + n * 60'000'000'000,
                                         "BENCH/USD", "sma_crossover", "enter_long", 1.0, 1.0,
                                         std::nullopt, std::nullopt});
        }
      });
      if (s.total_seconds < single.total_seconds) single = s;
    }
  }
  auto print = [](const char* what, double written, const Timing& timing) {
    std::printf("%s\n", what);
    std::printf("  %.0f rows in %.3f s: %.2f M rows/s written (queued in %.3f s)\n", written,
                timing.total_seconds, written / 1e6 / timing.total_seconds, timing.queue_seconds);
    std::printf(
        "  CPU: writer thread %.0f ns a row (%.2f M rows per CPU-second), producer %.0f ns\n",
        timing.writer_cpu * 1e9 / written, written / 1e6 / timing.writer_cpu,
        timing.producer_cpu * 1e9 / written);
  };
  if (run_mix) {
    print("backtest mix (signals, intents, verdicts, orders, fills, balances, trades):",
          static_cast<double>(mix_rows), mix);
  }
  if (run_single) print("signals alone:", static_cast<double>(rows), single);
  remove_database(file);
  return 0;
}
