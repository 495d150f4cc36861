// `cephalo indicators --data FILE --out OUT.csv --indicators SPEC`: streaming indicators to a CSV.
// Thread-safety: main thread.
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "data/ohlcv_reader.hpp"
#include "data/timeframe.hpp"
#include "indicators/indicator_spec.hpp"

namespace cephalo {

namespace {

struct IndicatorsArgs {
  std::string data;
  std::string out;
  std::string spec;
};

// Appends a value as printf's %.17g would (17 significant digits: round-trips every double).
void append_number(std::string& line, double value) {
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 17);
  line.append(buffer, result.ptr);
}

void append_number(std::string& line, int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  line.append(buffer, result.ptr);
}

int run_indicators(const IndicatorsArgs& args) {
  // The spec first: a typo should not wait for a large file to load.
  auto indicators = parse_indicator_spec(args.spec);
  if (!indicators) {
    std::cerr << "cephalo indicators: --indicators: " << indicators.error() << "\n"
              << "known indicators (parameters after ':'):\n"
              << indicator_spec_help();
    return kExitBadInput;
  }

  const auto timeframe = timeframe_from_filename(args.data);
  const int64_t interval_ms = timeframe ? timeframe_to_ms(*timeframe) : 0;
  const auto loaded = load_ohlcv(args.data, interval_ms, BadRowPolicy::kReject);
  if (!loaded.ok) {
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
    std::cerr << "cephalo indicators: " << loaded.problems.size() << " data problem"
              << (loaded.problems.size() == 1 ? "" : "s") << " in " << args.data << "\n";
    return kExitBadInput;
  }
  if (!loaded.gaps.empty()) {
    // Not an error: exchanges skip candles. Indicators count bars, not time, across a gap.
    std::cerr << "cephalo indicators: note: " << args.data << " has " << loaded.gaps.size()
              << " gap" << (loaded.gaps.size() == 1 ? "" : "s")
              << " in time; indicators treat the bars on either side as consecutive\n";
  }

  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << "cephalo indicators: --out " << args.out
              << ": cannot open for writing: " << std::generic_category().message(errno) << "\n";
    return kExitFailure;
  }
  std::string line = "timestamp";
  for (const auto& indicator : *indicators) {
    for (const auto& name : indicator->column_names()) line += "," + name;
  }
  line += "\n";

  // Rows are batched into one buffer and written in large blocks.
  constexpr size_t kFlushBytes = 1 << 20;
  for (const auto& bar : loaded.bars) {
    const IndicatorBar input{bar.open, bar.high, bar.low, bar.close, bar.volume};
    append_number(line, bar.open_time_ms);
    for (const auto& indicator : *indicators) {
      indicator->update(input);
      const bool ready = indicator->ready();
      for (size_t i = 0; i < indicator->output_count(); ++i) {
        line += ',';
        if (ready) append_number(line, indicator->value(i));  // warm-up rows stay empty
      }
    }
    line += '\n';
    if (line.size() >= kFlushBytes) {
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
      line.clear();
    }
  }
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.close();
  if (!out) {
    std::cerr << "cephalo indicators: --out " << args.out
              << ": writing failed (disk full or file removed?)\n";
    return kExitFailure;
  }
  std::cerr << "cephalo indicators: " << loaded.bars.size() << " bars -> " << args.out << "\n";
  return kExitOk;
}

}  // namespace

void register_indicators_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<IndicatorsArgs>();
  auto* command = app.add_subcommand(
      "indicators", "Compute TA-Lib-equal streaming indicators over a candle file into a CSV");
  command->add_option("--data", args->data, "Candle file (CSV or freqtrade JSON)")->required();
  command->add_option("--out", args->out, "Output CSV: timestamp, then one column per output")
      ->required();
  command
      ->add_option("--indicators", args->spec,
                   "Comma-separated list, e.g. sma:10,ema:20,rsi:14,macd:12:26:9,bbands:20:2,"
                   "atr:14,stoch:14:3:3,wma:20,adx:14,cci:20,obv,mfi:14,willr:14,roc:10")
      ->required();
  command->callback([args, exit_code] { *exit_code = run_indicators(*args); });
}

}  // namespace cephalo
