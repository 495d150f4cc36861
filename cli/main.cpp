// Entry point of the `cephalo` binary: parses the command line and runs one subcommand.
// Thread-safety: main thread.
#include <cephalo/tentacle.h>

#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Cephalo: an algorithmic trading bot whose strategies are hot-swappable plugins"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and the tentacle ABI version");
  int exit_code = cephalo::kExitOk;
  cephalo::register_run_command(app, &exit_code);
  cephalo::register_backtest_command(app, &exit_code);
  cephalo::register_indicators_command(app, &exit_code);
  cephalo::register_data_commands(app, &exit_code);
  cephalo::register_tentacles_commands(app, &exit_code);
  cephalo::register_config_commands(app, &exit_code);
  cephalo::register_exchange_sim_command(app, &exit_code);
  cephalo::register_slots_commands(app, &exit_code);
  cephalo::register_ctl_commands(app, &exit_code);
  cephalo::register_runs_commands(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cephalo::kExitOk : cephalo::kExitBadInput;
  }
  if (show_version) {
    std::cout << "cephalo " << CEPHALO_VERSION << " (tentacle ABI " << CEPHALO_ABI_MAJOR << "."
              << CEPHALO_ABI_MINOR << ")\n";
    return cephalo::kExitOk;
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return cephalo::kExitBadInput;
  }
  return exit_code;
}
