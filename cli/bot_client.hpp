// The CLI's side of the control socket: where a running bot listens, and one request to it.
// Every `cephalo` subcommand that talks to a running bot (ctl, kill, resume, slots, tentacles
// reload) goes through ask_running_bot, so they find the bot and report failures alike.
// Thread-safety: main thread.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cephalo {

struct BotAddress {
  std::string config_file;  // the running bot's config (empty: the default config)
  std::vector<std::string> overrides;
  std::string socket;  // the control socket outright (empty: derived from the config)
};

// -c/--config, --set and --socket on `command`.
void add_bot_address_options(CLI::App* command, BotAddress& address);

// The bot's answer to `request`, or nullopt after printing why there is none to stderr (with
// `what` naming the command) and setting *exit_code.
std::optional<nlohmann::json> ask_running_bot(const BotAddress& address,
                                              const nlohmann::json& request, const std::string& what,
                                              int* exit_code);

}  // namespace cephalo
