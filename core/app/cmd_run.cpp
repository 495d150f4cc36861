// `cephalo run`: load the config, start the bot, print what happened.
// Thread-safety: main thread (which becomes the loop thread).
#include <iostream>

#include "app_paths.hpp"
#include "bot.hpp"
#include "commands.hpp"
#include "config_logging.hpp"
#include "report/console_summary.hpp"
#include "report/metrics.hpp"

namespace cephalo {

namespace {

struct RunArgs {
  std::string config_file;
  std::vector<std::string> overrides;
};

void print_summary(const RunSummary& summary) {
  size_t loaded = 0;
  for (const auto& report : summary.loads) loaded += report.ok ? 1 : 0;
  std::cout << "\n== Cephalo run summary ==\n"
            << "tentacles found:   " << summary.loads.size() << " (" << loaded << " loaded, "
            << summary.loads.size() - loaded << " refused)\n"
            << "tentacles running: " << summary.running.size();
  for (const auto& name : summary.running) std::cout << " " << name;
  std::cout << "\n";
  for (const auto& refusal : summary.refusals) std::cout << "  not started: " << refusal << "\n";
  std::cout << "events processed:  " << summary.events << "\n"
            << "  candles:         " << summary.candles << "\n"
            << "  evaluations:     " << summary.evaluations << "\n"
            << "  signals:         " << summary.signals << "\n"
            << "  order intents:   " << summary.order_intents << "\n"
            << "  errors:          " << summary.errors << "\n"
            << "quarantined:       " << summary.quarantined << "\n"
            << "data warnings:     " << summary.data_warnings.size() << "\n"
            << "database:          " << summary.database << "\n";
  if (summary.slots.size() > 1) std::cout << "live slot:         " << summary.live_slot << "\n";
}

}  // namespace

void register_run_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand(
      "run", "Run the bot: load the tentacles, replay or stream market data through them");
  run->add_option("-c,--config", args->config_file,
                  "Config file (default: <prefix>/share/cephalo/config/default.yaml)");
  run->add_option("--set", args->overrides, "Override a config key: --set mode=paper");
  run->callback([args, exit_code] {
    const std::string file =
        args->config_file.empty() ? default_config_path().string() : args->config_file;
    const auto loaded = load_config(file, args->overrides);
    if (!loaded.ok()) {
      for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
      std::cerr << "cephalo run: " << loaded.problems.size() << " config problem(s); nothing ran\n";
      *exit_code = kExitBadInput;
      return;
    }
    const Config& config = *loaded.config;
    auto logger = make_logger_for(config.logging);
    if (!logger.ok()) {
      std::cerr << "cephalo run: " << logger.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    BotOptions options;
    options.folders = default_tentacle_folders(executable_path());
    options.logger = logger.value();
    options.config_text = render_redacted(loaded);
    options.config_file = file;
    options.overrides = args->overrides;
    logger.value()->info("cephalo {} starting with {}", CEPHALO_VERSION, file);
    auto summary = run_bot(config, options);
    logger.value()->flush();
    if (!summary.ok()) {
      std::cerr << "cephalo run: " << summary.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    print_summary(summary.value());
    if (summary->backtest) {
      summary->backtest->config_file = file;
      std::cout << "\n"
                << format_console_summary(*summary->backtest, compute_metrics(*summary->backtest))
                << format_slots_summary(summary->backtest->extra);
    }
    *exit_code = kExitOk;
  });
}

}  // namespace cephalo
