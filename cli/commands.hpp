// The subcommands of the `cephalo` CLI, each registered on the CLI11 app by its own file.
// Thread-safety: called from main only.
#pragma once

#include <CLI/CLI.hpp>

namespace cephalo {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the command ran and failed (a refused install, ...)
inline constexpr int kExitBadInput = 2;  // the input was wrong (config problems, bad arguments)
// A run that went to its end (or stopped on a failing tentacle) with problems: a quarantine, a
// rolled-back swap, dropped events... (its summary and reports list them; see RunSummary).
inline constexpr int kExitProblems = 3;

// Each registers its subcommand(s); the callback stores the exit code in *exit_code.
void register_tentacles_commands(CLI::App& app, int* exit_code);
// `tentacles reload` and `tentacles history`, on the `tentacles` subcommand.
void register_live_tentacles_commands(CLI::App& tentacles, int* exit_code);
void register_config_commands(CLI::App& app, int* exit_code);
void register_run_command(CLI::App& app, int* exit_code);
void register_backtest_command(CLI::App& app, int* exit_code);
void register_indicators_command(CLI::App& app, int* exit_code);
void register_data_commands(CLI::App& app, int* exit_code);
void register_exchange_sim_command(CLI::App& app, int* exit_code);
// `slots list` and `slots promote NAME` against a running bot.
void register_slots_commands(CLI::App& app, int* exit_code);
// `ctl NAME ...`: every query and command of the command/query set, against a running bot.
void register_ctl_commands(CLI::App& app, int* exit_code);
// `runs list|show|diff|export|delete`: a database's runs and the rows each stored.
void register_runs_commands(CLI::App& app, int* exit_code);

}  // namespace cephalo
