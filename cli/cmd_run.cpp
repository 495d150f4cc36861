// `cephalo run`: load the config, start the bot, print what happened.
// Thread-safety: main thread (which becomes the loop thread).
#include <iostream>

#include "app_paths.hpp"
#include "bot.hpp"
#include "commands.hpp"
#include "config_logging.hpp"
#include "report/console_summary.hpp"
#include "report/metrics.hpp"
#include "report/report_json.hpp"
#include "run_checks.hpp"

namespace cephalo {

namespace {

struct RunArgs {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string json_file;  // the paper account's report, in `cephalo backtest --json`'s format
};

void print_summary(const RunSummary& summary) {
  size_t usable = 0;  // packages that passed their checks, loaded or not used by this pipeline
  for (const auto& report : summary.loads) usable += report.ok ? 1 : 0;
  std::cout << "\n== Cephalo run summary ==\n"
            << "tentacles found:   " << summary.loads.size() << " (" << summary.libraries_loaded
            << " loaded, " << summary.loads.size() - usable << " refused)\n"
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
  std::cout << "problems:          " << summary.problems.size()
            << (summary.problems.empty()    ? ""
                : summary.problems_fail_run ? " (exit status 3)"
                                            : " (tolerated: run.on_tentacle_failure is quarantine)")
            << "\n"
            << format_problems(summary.problems);
}

}  // namespace

void register_run_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand(
      "run", "Run the bot: load the tentacles, replay or stream market data through them");
  run->add_option("-c,--config", args->config_file,
                  "Config file (default: <prefix>/share/cephalo/config/default.yaml)");
  run->add_option("--set", args->overrides, "Override a config key: --set mode=paper");
  run->add_option("--json", args->json_file,
                  "Write the paper account's report here at the end (the backtest's JSON format)");
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
    if (const auto problems = pipeline_problems(config); !problems.empty()) {
      print_pipeline_problems(problems, std::cerr);
      std::cerr << "cephalo run: nothing ran (`cephalo config validate` lists the same)\n";
      *exit_code = kExitBadInput;
      return;
    }
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
    options.smoke_binary = executable_path();
    logger.value()->info("cephalo {} starting with {}", CEPHALO_VERSION, file);
    const auto crash_recorder = record_tentacle_crashes(config, std::cerr);
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
      const Metrics metrics = compute_metrics(*summary->backtest);
      std::cout << "\n"
                << format_console_summary(*summary->backtest, metrics)
                << format_slots_summary(summary->backtest->extra);
      if (!args->json_file.empty()) {
        if (auto written = write_backtest_json_file(args->json_file, *summary->backtest, metrics);
            !written.ok()) {
          std::cerr << "cephalo run: " << written.error() << "\n";
          *exit_code = kExitFailure;
          return;
        }
        std::cout << "JSON report: " << args->json_file << "\n";
      }
    } else if (!args->json_file.empty()) {
      // A live account's report is the venue's statement; the run's records are in the database.
      std::cerr << "cephalo run: --json: a " << mode_name(config.mode)
                << " run has no account report to write; `cephalo runs export` gives its rows\n";
      *exit_code = kExitFailure;
      return;
    }
    *exit_code = summary->problems_fail_run ? kExitProblems : kExitOk;
  });
}

}  // namespace cephalo
