// Hot-swap pause: how long the event loop stops for one swap, with 0, 64 KiB and 1 MiB of state.
// Replays real candles through a pipeline running the swap_probe fixture and swaps it between two
// builds (v1 <-> v2) every few events, 1000 times per state size. Prints p50/p99/max of the pause
// (the loop task that builds the new instance, hands state over and switches), of the retirement
// (destroy + dlclose + /proc/self/maps check, a later loop task) and of the library load (done
// off the loop thread in a running bot, shown for completeness).
// With CEPHALO_BINARY it also does what a running bot does before each swap (LiveReload): the
// capture (a loop task: the running instance's save_state and a copy of the candle history) and,
// for one swap in 20, the smoke test in a child process (off the loop thread in a bot; the pause
// is measured without it, as the bot's is).
// Usage: swap_bench SWAP_PROBE_DIR DATA_DIR [SWAPS [CEPHALO_BINARY]]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/ohlcv_reader.hpp"
#include "events/event_loop.hpp"
#include "events/replay_source.hpp"
#include "host/hot_swap.hpp"
#include "host/smoke_test.hpp"
#include "logging/logging.hpp"

namespace fs = std::filesystem;
using namespace cephalo;
using Stopwatch = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[index];
}

// CPU time of this thread: unlike wall time it excludes being preempted by other processes, so on
// a busy machine it bounds what the swap itself costs.
double thread_cpu_micros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

double micros(Stopwatch::duration duration) {
  return std::chrono::duration<double, std::micro>(duration).count();
}

class EverySource final : public EventSource {
 public:
  EverySource(std::vector<Candle> candles, size_t every, std::function<bool()> between)
      : candles_(std::move(candles)), every_(every), between_(std::move(between)) {}
  bool next(Event& out) override {
    if (handed_ > 0 && handed_ % every_ == 0 && !between_()) return false;
    const Candle& candle = candles_[handed_ % candles_.size()];
    out.payload =
        Candle{candle.symbol, candle.timeframe, static_cast<int64_t>(handed_) * 300'000'000'000,
               candle.open,   candle.high,      candle.low,
               candle.close,  candle.volume};
    out.exchange_time_ns = out.receive_time_ns = static_cast<int64_t>(handed_) * 300'000'000'000;
    ++handed_;
    return true;
  }

 private:
  std::vector<Candle> candles_;
  size_t every_;
  std::function<bool()> between_;
  size_t handed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: swap_bench SWAP_PROBE_DIR DATA_DIR [SWAPS [CEPHALO_BINARY]]\n");
    return 2;
  }
  const fs::path probes = argv[1];
  const fs::path data = argv[2];
  const int swaps = argc > 3 ? std::stoi(argv[3]) : 1000;
  const fs::path cephalo_binary = argc > 4 ? fs::path(argv[4]) : fs::path();
  const fs::path copies = fs::temp_directory_path() / "cephalo-swap-bench";

  TentacleManifest manifests[2];
  for (int i = 0; i < 2; ++i) {
    auto manifest = read_manifest(probes / (i == 0 ? "v1" : "v2") / "strategies" / "swap_probe" /
                                  "tentacle.yaml");
    if (!manifest.ok()) {
      std::fprintf(stderr, "%s\n", manifest.error().c_str());
      return 1;
    }
    manifests[i] = manifest.value();
  }
  const auto loaded = load_ohlcv(data / "ETH_BTC-5m.csv", 300'000, BadRowPolicy::kReject);
  if (!loaded.ok) return 1;

  std::printf("hot swap pause, %d swaps per state size (swap_probe v1 <-> v2, every 50 events)\n",
              swaps);
  std::printf("%-10s %10s %10s %10s | %10s %10s | %10s %10s | %10s %10s | %10s %10s | %10s %10s\n",
              "state", "pause p50", "p99", "max", "retire p50", "p99", "load p50", "p99", "cpu p50",
              "p99", "capture 50", "p99", "smoke p50", "p99");
  for (const int64_t padding : {int64_t{0}, int64_t{64 * 1024}, int64_t{1024 * 1024}}) {
    NameTable names;
    std::vector<Candle> candles;
    for (const OhlcvBar& bar : loaded.bars) {
      candles.push_back(Candle{names.intern("ETH/BTC"), names.intern("5m"),
                               bar.open_time_ms * 1'000'000, bar.open, bar.high, bar.low, bar.close,
                               bar.volume});
    }
    SimulatedClock clock;
    EventLoop loop(clock);
    Pipeline pipeline(loop, names, nullptr, make_null_logger());
    HotSwapper swapper(pipeline, loop, nullptr, make_null_logger());
    TentacleUse use;
    use.tentacle = "swap_probe";
    use.params.push_back(ParamSetting{"state_padding", std::to_string(padding), {}});
    auto first = TentacleLibrary::load(manifests[0], core_host_api(), copies);
    if (!first.ok() || !pipeline.add(first.value(), use).ok()) return 1;
    first.value().reset();

    std::vector<double> pauses, retires, loads, cpu, captures, smokes;
    int done = 0;
    std::string failure;
    EverySource source(std::move(candles), 50, [&] {
      if (done == swaps) return false;
      const TentacleManifest& next = manifests[(done + 1) % 2];
      if (!cephalo_binary.empty()) {
        // LiveReload::smoke_test's loop task, then (off the loop in a bot) the child.
        const auto capture_start = Stopwatch::now();
        SmokeRequest request;
        request.package = SmokePackage{next.file, {}, next.sha256};
        std::string blob;
        const auto& running = *pipeline.instances().front();
        if (!pipeline.instances().front()->save_state(blob).ok()) return false;
        request.state = HandedState{running.library().descriptor().state_version, std::move(blob)};
        request.params = running.use().params;
        for (const Candle* candle : pipeline.recent_candles()) request.candles.push_back(*candle);
        captures.push_back(micros(Stopwatch::now() - capture_start));
        if (done % 20 == 0) {
          const auto smoke_start = Stopwatch::now();
          const SmokeVerdict verdict =
              run_smoke_test(cephalo_binary, default_smoke_folder(), request);
          smokes.push_back(micros(Stopwatch::now() - smoke_start));
          if (!verdict.passed) {
            failure = "smoke test: " + verdict.failure;
            return false;
          }
        }
      }
      const auto load_start = Stopwatch::now();
      auto library = TentacleLibrary::load(next, core_host_api(), copies);
      loads.push_back(micros(Stopwatch::now() - load_start));
      if (!library.ok()) {
        failure = library.error();
        return false;
      }
      const auto swap_start = Stopwatch::now();
      const double cpu_start = thread_cpu_micros();
      const auto record =
          swapper.swap_now(SwapRequest{library.value(), std::nullopt, "bench", std::nullopt});
      cpu.push_back(thread_cpu_micros() - cpu_start);
      const double total = micros(Stopwatch::now() - swap_start);
      if (record.outcome != "swapped" || record.unload != "unloaded") {
        failure = record.message + record.unload;
        return false;
      }
      pauses.push_back(static_cast<double>(record.pause_ns) / 1000.0);
      retires.push_back(total - pauses.back());
      ++done;
      return true;
    });
    loop.set_dispatcher([&](const Event& event) { pipeline.dispatch(event); });
    loop.run(&source, false);
    if (!failure.empty() || done != swaps) {
      std::fprintf(stderr, "swap %d failed: %s\n", done, failure.c_str());
      return 1;
    }
    const std::string label = padding == 0 ? "0" : std::to_string(padding / 1024) + " KiB";
    if (captures.empty()) captures.push_back(0);
    if (smokes.empty()) smokes.push_back(0);
    std::printf(
        "%-10s %9.1fus %9.1fus %9.1fus | %9.1fus %9.1fus | %9.1fus %9.1fus | %9.1fus %9.1fus | "
        "%9.1fus %9.1fus | %9.1fms %9.1fms\n",
        label.c_str(), percentile(pauses, 0.5), percentile(pauses, 0.99), percentile(pauses, 1.0),
        percentile(retires, 0.5), percentile(retires, 0.99), percentile(loads, 0.5),
        percentile(loads, 0.99), percentile(cpu, 0.5), percentile(cpu, 0.99),
        percentile(captures, 0.5), percentile(captures, 0.99), percentile(smokes, 0.5) / 1000,
        percentile(smokes, 0.99) / 1000);
    pipeline.shutdown();
  }
  return 0;
}
