// `cephalo config validate|show`: every problem at once, secrets never printed.
// Thread-safety: main thread.
#include <iostream>

#include "app_paths.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "run_checks.hpp"

namespace cephalo {

namespace {

struct ConfigArgs {
  std::string file;
  std::vector<std::string> overrides;
};

void add_config_args(CLI::App& command, ConfigArgs& args) {
  command.add_option("file", args.file, "Config file (YAML)")->required();
  command.add_option("--set", args.overrides, "Override a key: --set storage.path=x.sqlite");
}

int print_problems(const ConfigLoadResult& result) {
  for (const auto& problem : result.problems) std::cerr << problem.to_string() << "\n";
  std::cerr << result.problems.size() << " problem" << (result.problems.size() == 1 ? "" : "s")
            << " found\n";
  return kExitBadInput;
}

}  // namespace

void register_config_commands(CLI::App& app, int* exit_code) {
  auto* config = app.add_subcommand("config", "Check and inspect configuration files");
  config->require_subcommand(1);

  auto validate_args = std::make_shared<ConfigArgs>();
  auto* validate = config->add_subcommand(
      "validate", "Check a config; lists every problem with file:line:column and key");
  add_config_args(*validate, *validate_args);
  validate->callback([validate_args, exit_code] {
    const auto result = load_config(validate_args->file, validate_args->overrides);
    if (!result.ok()) {
      *exit_code = print_problems(result);
      return;
    }
    // The tentacles' own parameters are checked against their installed manifests (no code is
    // loaded), so a typo in a parameter is found before a run (`run` and `backtest` refuse the
    // same problems with the same lines).
    const auto problems = pipeline_problems(*result.config);
    if (!problems.empty()) {
      print_pipeline_problems(problems, std::cerr);
      *exit_code = kExitBadInput;
      return;
    }
    std::cout << validate_args->file << ": ok\n";
    *exit_code = kExitOk;
  });

  auto show_args = std::make_shared<ConfigArgs>();
  auto* show = config->add_subcommand(
      "show", "Print the merged config (defaults, file, --set) with secrets redacted");
  add_config_args(*show, *show_args);
  show->callback([show_args, exit_code] {
    const auto result = load_config(show_args->file, show_args->overrides);
    std::cout << render_redacted(result) << "\n";
    *exit_code = result.ok() ? kExitOk : print_problems(result);
  });
}

}  // namespace cephalo
