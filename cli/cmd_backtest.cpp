// `cephalo backtest`: one run on recorded data through the simulated exchange, then reports.
// Thread-safety: main thread (which becomes the loop thread).
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app_paths.hpp"
#include "backtest_runner.hpp"
#include "commands.hpp"
#include "config_logging.hpp"
#include "data/timeframe.hpp"
#include "report/backtest_report.hpp"
#include "report/console_summary.hpp"
#include "report/metrics.hpp"
#include "report/progress_bar.hpp"
#include "report/report_file.hpp"
#include "report/report_html.hpp"
#include "report/report_json.hpp"
#include "run_checks.hpp"

namespace cephalo {

namespace {

struct BacktestArgs {
  std::string config_file;
  std::string data_file;
  std::string json_file;
  std::string html_file;
  std::vector<std::string> overrides;
};

// "ETH_BTC-5m.csv" -> "ETH/BTC": the pair spelled the way the bundled files name it.
std::optional<std::string> symbol_from_filename(const std::filesystem::path& file) {
  const std::string stem = file.stem().string();
  const std::string pair = stem.substr(0, stem.find('-'));
  const auto underscore = pair.find('_');
  if (underscore == std::string::npos || underscore == 0 || underscore + 1 >= pair.size()) {
    return std::nullopt;
  }
  const auto second = pair.find('_', underscore + 1);
  return pair.substr(0, underscore) + "/" +
         pair.substr(underscore + 1,
                     second == std::string::npos ? std::string::npos : second - underscore - 1);
}

// The risk section of a backtest as a short table: what was refused, by which tier and rule.
std::string format_risk_summary(const nlohmann::json& risk) {
  std::ostringstream out;
  out << "\nRisk checks: " << risk.value("intents", 0) << " intents, " << risk.value("allowed", 0)
      << " allowed, " << risk.value("refused", 0) << " refused (" << risk.value("exits", 0)
      << " exits, never blocked); " << risk.value("loss_pauses", 0) << " loss pauses, "
      << risk.value("daily_loss_halts", 0) << " daily-loss halts, "
      << risk.value("drawdown_halts", 0) << " drawdown halts, " << risk.value("kills", 0)
      << " kills\n";
  if (risk.contains("protective_exits")) {
    const nlohmann::json& exits = risk["protective_exits"];
    out << "Protective exits: " << exits.value("stop_loss", 0) << " stop loss, "
        << exits.value("take_profit", 0) << " take profit, " << exits.value("trailing_stop", 0)
        << " trailing stop\n";
  }
  if (risk.contains("by_rule")) {
    out << " Tier      Rule                      Passed  Refused\n";
    for (const auto& [rule, count] : risk["by_rule"].items()) {
      if (count.value("refused", 0) == 0) continue;
      out << " " << std::left << std::setw(9) << count.value("tier", "") << " " << std::setw(24)
          << rule << " " << std::right << std::setw(7) << count.value("passed", 0) << " "
          << std::setw(8) << count.value("refused", 0) << "\n";
    }
  }
  return out.str();
}

int backtest_command(const BacktestArgs& args) {
  const std::string file =
      args.config_file.empty() ? default_config_path().string() : args.config_file;
  std::vector<std::string> overrides = args.overrides;
  overrides.insert(overrides.begin(), "mode=backtest");
  const auto loaded = load_config(file, overrides);
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
    std::cerr << "cephalo backtest: " << loaded.problems.size() << " config problem(s)\n";
    return kExitBadInput;
  }
  Config config = *loaded.config;
  if (!args.data_file.empty()) {
    const std::filesystem::path data(args.data_file);
    const auto symbol = symbol_from_filename(data);
    const auto timeframe = timeframe_from_filename(data);
    if (!symbol || !timeframe) {
      std::cerr << "cephalo backtest: --data " << args.data_file
                << ": cannot tell the pair and timeframe from the file name (expected "
                   "BASE_QUOTE-<timeframe>.csv, e.g. ETH_BTC-5m.csv)\n";
      return kExitBadInput;
    }
    config.feeds = {FeedConfig{*symbol, *timeframe, data, SourceLocation{"--data", 1, 1}, ""}};
  }

  if (const auto problems = pipeline_problems(config); !problems.empty()) {
    print_pipeline_problems(problems, std::cerr);
    std::cerr << "cephalo backtest: nothing ran (`cephalo config validate` lists the same)\n";
    return kExitBadInput;
  }
  auto logger = make_logger_for(config.logging);
  if (!logger.ok()) {
    std::cerr << "cephalo backtest: " << logger.error() << "\n";
    return kExitFailure;
  }
  const auto crash_recorder = record_tentacle_crashes(config, std::cerr);
  auto prepared =
      prepare_backtest(config, default_tentacle_folders(executable_path()), logger.value());
  if (!prepared.ok()) {
    logger.value()->flush();
    std::cerr << "cephalo backtest: " << prepared.error() << "\n";
    return kExitFailure;
  }
  // Stored like any run, so `cephalo runs` knows it and the report names its run_id.
  RunPlan plan;
  plan.config = &config;
  plan.prepared = &prepared.value();
  plan.store = true;
  plan.config_text = render_redacted(loaded);
  plan.handle_signals = true;
  std::optional<ProgressBar> progress;
  const bool interactive = ::isatty(STDERR_FILENO) != 0;
  plan.progress = [&progress, interactive](uint64_t done, uint64_t total) {
    if (!progress) progress.emplace(total, std::cerr, interactive, "backtest");
    progress->update(done);
  };
  auto run = run_backtest(plan);
  if (progress) progress->finish();
  finish_cache_writes(prepared->feeds, *logger.value());
  logger.value()->flush();
  if (!run.ok()) {
    std::cerr << "cephalo backtest: " << run.error() << "\n";
    return kExitFailure;
  }
  if (!run->backtest) {
    std::cerr << "cephalo backtest: the run produced no backtest results\n";
    return kExitFailure;
  }
  BacktestInput& input = *run->backtest;
  input.config_file = file;
  const Metrics metrics = compute_metrics(input);
  std::cout << format_console_summary(input, metrics);
  if (input.extra.contains("risk")) std::cout << format_risk_summary(input.extra["risk"]);
  std::cout << format_slots_summary(input.extra);
  for (const auto& refusal : run->refusals) std::cout << "not started: " << refusal << "\n";
  std::cout << format_problems(input.problems);
  if (!args.json_file.empty()) {
    if (auto written = write_backtest_json_file(args.json_file, input, metrics); !written.ok()) {
      std::cerr << "cephalo backtest: " << written.error() << "\n";
      return kExitFailure;
    }
    std::cout << "JSON report: " << args.json_file << "\n";
  }
  if (!args.html_file.empty()) {
    if (auto written = write_report_file(args.html_file, write_backtest_html(input, metrics));
        !written.ok()) {
      std::cerr << "cephalo backtest: " << written.error() << "\n";
      return kExitFailure;
    }
    std::cout << "HTML report: " << args.html_file << "\n";
  }
  if (run->problems_fail_run) {
    std::cerr << "cephalo backtest: " << input.problems.size()
              << " problem(s) (listed above and in the reports): exit status 3\n";
    return kExitProblems;
  }
  return kExitOk;
}

}  // namespace

void register_backtest_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<BacktestArgs>();
  auto* backtest = app.add_subcommand(
      "backtest", "Run a strategy on recorded data through the simulated exchange and report");
  backtest->add_option("-c,--config", args->config_file,
                       "Config file (default: <prefix>/share/cephalo/config/default.yaml)");
  backtest->add_option("--data", args->data_file,
                       "Use this candle file instead of the config's feeds (BASE_QUOTE-TF.csv)");
  backtest->add_option("--json", args->json_file, "Write the JSON report here");
  backtest->add_option("--html", args->html_file, "Write the self-contained HTML report here");
  backtest->add_option("--set", args->overrides,
                       "Override a config key: --set backtest.fees.taker=0");
  backtest->callback([args, exit_code] { *exit_code = backtest_command(*args); });
}

}  // namespace cephalo
