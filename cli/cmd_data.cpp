// `cephalo data inspect|generate`: what a candle file holds, and seeded synthetic candle files.
// Thread-safety: main thread.
#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "commands.hpp"
#include "data/ohlcv_csv_writer.hpp"
#include "data/ohlcv_reader.hpp"
#include "data/random_walk.hpp"
#include "data/timeframe.hpp"
#include "data/utc_time.hpp"

namespace cephalo {

namespace {

constexpr const char* kKnownTimeframes = "1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w";
// Enough to see where a file's holes are; the total says how many more there are.
constexpr size_t kListedGaps = 5;

struct InspectArgs {
  std::string file;
  std::string timeframe;
  bool json = false;
};

struct GenerateArgs {
  int64_t bars = 0;
  uint64_t seed = 0;
  std::string out;
  std::string interval = "1m";
  RandomWalkSpec spec;  // the defaults of the remaining options
};

struct Timeframe {
  std::string name;    // empty when unknown
  std::string source;  // "--timeframe" or "the file name"
  int64_t ms = 0;
};

int64_t missing_bars(const OhlcvLoadResult& result) {
  return std::accumulate(result.gaps.begin(), result.gaps.end(), int64_t{0},
                         [](int64_t sum, const GapInfo& gap) { return sum + gap.missing_bars; });
}

nlohmann::json inspect_json(const InspectArgs& args, const Timeframe& timeframe,
                            const OhlcvLoadResult& result) {
  nlohmann::json out{{"file", args.file},
                     {"ok", result.ok},
                     {"rows", result.bars.size()},
                     {"skipped_rows", result.dropped_rows}};
  if (!result.bars.empty()) {
    out["first"] = format_utc_ms(result.bars.front().open_time_ms);
    out["last"] = format_utc_ms(result.bars.back().open_time_ms);
  }
  out["timeframe"] = timeframe.name.empty() ? nlohmann::json() : nlohmann::json(timeframe.name);
  out["timeframe_source"] = timeframe.source;
  nlohmann::json gaps = nlohmann::json::array();
  for (size_t i = 0; i < result.gaps.size() && i < kListedGaps; ++i) {
    gaps.push_back({{"after", format_utc_ms(result.gaps[i].after_ms)},
                    {"first_missing", format_utc_ms(result.gaps[i].first_missing_ms)},
                    {"missing_bars", result.gaps[i].missing_bars}});
  }
  out["gaps"] = {{"count", result.gaps.size()},
                 {"missing_bars", missing_bars(result)},
                 {"first", std::move(gaps)}};
  nlohmann::json problems = nlohmann::json::array();
  for (const DataProblem& problem : result.problems) problems.push_back(problem.to_string());
  out["problems"] = std::move(problems);
  return out;
}

void print_inspect_text(const InspectArgs& args, const Timeframe& timeframe,
                        const OhlcvLoadResult& result) {
  std::cout << "file:      " << args.file << "\n";
  std::cout << "rows:      " << result.bars.size();
  if (result.dropped_rows > 0) {
    std::cout << " (" << result.dropped_rows << " bad row" << (result.dropped_rows == 1 ? "" : "s")
              << " skipped)";
  }
  std::cout << "\n";
  if (!result.bars.empty()) {
    std::cout << "first:     " << format_utc_ms(result.bars.front().open_time_ms) << "\n";
    std::cout << "last:      " << format_utc_ms(result.bars.back().open_time_ms) << "\n";
  }
  if (timeframe.name.empty()) {
    std::cout << "timeframe: unknown (not in the file name); pass --timeframe to check gaps\n";
  } else {
    std::cout << "timeframe: " << timeframe.name << " (from " << timeframe.source << ")\n";
    const int64_t missing = missing_bars(result);
    std::cout << "gaps:      " << result.gaps.size() << " (" << missing << " missing bar"
              << (missing == 1 ? "" : "s") << ")\n";
    for (size_t i = 0; i < result.gaps.size() && i < kListedGaps; ++i) {
      const GapInfo& gap = result.gaps[i];
      std::cout << "  after " << format_utc_ms(gap.after_ms) << ": " << gap.missing_bars
                << " missing from " << format_utc_ms(gap.first_missing_ms) << "\n";
    }
    if (result.gaps.size() > kListedGaps) {
      std::cout << "  ... and " << result.gaps.size() - kListedGaps << " more gaps\n";
    }
  }
  std::cout << "problems:  " << result.problems.size() << "\n";
  for (const DataProblem& problem : result.problems) {
    std::cout << "  " << problem.to_string() << "\n";
  }
}

// Skip policy: inspecting reports every bad row and still describes the rest of the file.
// Exit: 0 clean, 1 loaded with problems, 2 not loadable (missing, bad header, no candles) or a
// bad --timeframe.
int run_inspect(const InspectArgs& args) {
  Timeframe timeframe;
  if (!args.timeframe.empty()) {
    timeframe = {args.timeframe, "--timeframe", timeframe_to_ms(args.timeframe)};
    if (timeframe.ms == 0) {
      std::cerr << "--timeframe: '" << args.timeframe << "' is not a timeframe; use one of "
                << kKnownTimeframes << "\n";
      return kExitBadInput;
    }
  } else if (auto named = timeframe_from_filename(args.file)) {
    timeframe = {*named, "the file name", timeframe_to_ms(*named)};
  }
  const OhlcvLoadResult result = load_ohlcv(args.file, timeframe.ms, BadRowPolicy::kSkip);
  if (args.json) {
    std::cout << inspect_json(args, timeframe, result).dump(2) << "\n";
  } else if (result.ok) {
    print_inspect_text(args, timeframe, result);
  } else {
    for (const DataProblem& problem : result.problems) std::cerr << problem.to_string() << "\n";
  }
  if (!result.ok) return kExitBadInput;
  return result.problems.empty() ? kExitOk : kExitFailure;
}

int run_generate(GenerateArgs args) {
  if (args.bars < 1) {
    std::cerr << "--bars: expected 1 or more candles, got " << args.bars << "\n";
    return kExitBadInput;
  }
  args.spec.bars = args.bars;
  args.spec.seed = args.seed;
  args.spec.interval_ms = timeframe_to_ms(args.interval);
  if (args.spec.interval_ms == 0) {
    std::cerr << "--interval: '" << args.interval << "' is not a timeframe; use one of "
              << kKnownTimeframes << "\n";
    return kExitBadInput;
  }
  if (const Status valid = check_random_walk_spec(args.spec); !valid) {
    std::cerr << "data generate: " << valid.error() << "\n";
    return kExitBadInput;
  }
  // Streamed bar by bar: 10M bars never sit in memory at once.
  Result<OhlcvCsvWriter> writer = OhlcvCsvWriter::open(args.out);
  if (!writer) {
    std::cerr << "data generate: " << writer.error() << "\n";
    return kExitFailure;
  }
  RandomWalk walk(args.spec);
  for (int64_t i = 0; i < args.spec.bars; ++i) {
    if (const Status added = writer->add(walk.next()); !added) {
      std::cerr << "data generate: " << added.error() << "\n";
      return kExitFailure;
    }
  }
  if (const Status finished = writer->finish(); !finished) {
    std::cerr << "data generate: " << finished.error() << "\n";
    return kExitFailure;
  }
  std::cout << args.out << ": " << writer->rows() << " rows (" << args.interval << ", seed "
            << args.spec.seed << ")\n";
  return kExitOk;
}

}  // namespace

void register_data_commands(CLI::App& app, int* exit_code) {
  auto* data = app.add_subcommand("data", "Inspect candle files and generate synthetic ones");
  data->require_subcommand(1);

  auto inspect_args = std::make_shared<InspectArgs>();
  auto* inspect = data->add_subcommand(
      "inspect", "Rows, time range, timeframe, gaps and every bad row (file:row) of a candle file");
  inspect->add_option("file", inspect_args->file, "Candle file (.csv or freqtrade .json)")
      ->required();
  inspect->add_option("--timeframe", inspect_args->timeframe,
                      "Candle interval (1m, 5m, 1h, ...); default: from the file name");
  inspect->add_flag("--json", inspect_args->json, "Print the report as JSON");
  inspect->callback([inspect_args, exit_code] { *exit_code = run_inspect(*inspect_args); });

  auto generate_args = std::make_shared<GenerateArgs>();
  auto* generate = data->add_subcommand(
      "generate", "Write a seeded geometric random walk as a candle CSV (same seed, same bytes)");
  generate->add_option("--bars", generate_args->bars, "Number of candles (1 or more)")->required();
  generate->add_option("--seed", generate_args->seed, "Random seed")->required();
  generate->add_option("--out", generate_args->out, "Output CSV path")->required();
  generate->add_option("--interval", generate_args->interval, "Candle interval (1m, 5m, 1h, ...)")
      ->capture_default_str();
  generate
      ->add_option("--start-price", generate_args->spec.start_price,
                   "First open, in quote currency")
      ->capture_default_str();
  generate
      ->add_option("--volatility", generate_args->spec.volatility,
                   "Standard deviation of each candle's log return")
      ->capture_default_str();
  generate
      ->add_option("--start-ms", generate_args->spec.start_ms,
                   "First candle open time, epoch ms UTC")
      ->capture_default_str();
  generate->callback([generate_args, exit_code] { *exit_code = run_generate(*generate_args); });
}

}  // namespace cephalo
