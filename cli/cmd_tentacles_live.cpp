// `cephalo tentacles reload NAME` (the command/query set's reload_tentacle, asked of a running
// bot) and `cephalo tentacles history` (every swap attempt stored in the database).
// Thread-safety: main thread.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app_paths.hpp"
#include "bot_client.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "storage/sqlite_repository.hpp"

namespace cephalo {

namespace {

struct RunningBotArgs {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string socket;
  std::string database;
  bool json = false;
};

void add_bot_options(CLI::App* command, RunningBotArgs& args) {
  command->add_option("-c,--config", args.config_file,
                      "The running bot's config (default: the default config)");
  command->add_option("--set", args.overrides, "Config overrides the bot was started with");
}

// The config the bot runs with says where its socket and database are.
std::optional<Config> load_bot_config(const RunningBotArgs& args, int* exit_code) {
  const std::string file =
      args.config_file.empty() ? default_config_path().string() : args.config_file;
  auto loaded = load_config(file, args.overrides);
  if (!loaded.ok()) {
    for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
    *exit_code = kExitBadInput;
    return std::nullopt;
  }
  return *loaded.config;
}

// The swap record in a reload_tentacle answer, as one line.
std::string describe_swap(const nlohmann::json& answer) {
  const nlohmann::json record =
      answer.contains("result") && answer["result"].is_object() ? answer["result"]
                                                                : nlohmann::json::object();
  auto text = [&](const char* key) {
    return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : "";
  };
  if (text("outcome") == "swapped") {
    std::ostringstream out;
    out << "swapped " << text("kind") << " " << text("tentacle") << " " << text("from_version")
        << " -> " << text("to_version") << ": pause " << std::fixed << std::setprecision(1)
        << record.value("pause_us", 0.0) << " us, " << record.value("state_bytes", 0)
        << " state bytes (" << text("handoff") << "), old library " << text("unload");
    return out.str();
  }
  std::string message = text("message");
  if (message.empty()) message = answer.value("error", "refused");
  return "not swapped: " + message;
}

void print_history(const std::vector<TentacleSwapRecord>& swaps) {
  std::cout << std::left << std::setw(25) << "TIME (UTC)" << std::setw(18) << "TENTACLE"
            << std::setw(18) << "FROM -> TO" << std::setw(9) << "TRIGGER" << std::right
            << std::setw(11) << "PAUSE us" << std::setw(10) << "STATE B"
            << "  " << std::left << std::setw(8) << "HANDOFF" << std::setw(12) << "OUTCOME"
            << "UNLOAD / REASON\n";
  for (const auto& swap : swaps) {
    const std::time_t seconds = swap.time_ns / 1'000'000'000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &utc);
    std::cout << std::left << std::setw(25) << when << std::setw(18) << swap.name << std::setw(18)
              << (swap.from_version + " -> " + swap.to_version) << std::setw(9) << swap.trigger
              << std::right << std::setw(11) << std::fixed << std::setprecision(1)
              << swap.pause_ns / 1000.0 << std::setw(10) << swap.state_bytes << "  " << std::left
              << std::setw(8) << swap.handoff << std::setw(12) << swap.outcome
              << (swap.outcome == "swapped" ? swap.unload : swap.message) << "\n";
  }
}

nlohmann::json history_json(const std::vector<TentacleSwapRecord>& swaps) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& swap : swaps) {
    rows.push_back({{"time_ns", swap.time_ns},
                    {"tentacle", swap.name},
                    {"kind", swap.kind},
                    {"from_version", swap.from_version},
                    {"to_version", swap.to_version},
                    {"trigger", swap.trigger},
                    {"pause_us", swap.pause_ns / 1000.0},
                    {"state_bytes", swap.state_bytes},
                    {"handoff", swap.handoff},
                    {"outcome", swap.outcome},
                    {"unload", swap.unload},
                    {"message", swap.message}});
  }
  return rows;
}

}  // namespace

void register_live_tentacles_commands(CLI::App& tentacles, int* exit_code) {
  auto reload_args = std::make_shared<RunningBotArgs>();
  auto tentacle = std::make_shared<std::string>();
  auto* reload = tentacles.add_subcommand(
      "reload", "Hot-swap a tentacle of a running bot (paper/live) to the build in its folder");
  reload->add_option("name", *tentacle, "Tentacle name")->required();
  add_bot_options(reload, *reload_args);
  reload->add_option("--socket", reload_args->socket,
                     "The bot's control socket (default: from the config)");
  reload->add_flag("--json", reload_args->json, "Print the swap record as JSON");
  reload->callback([reload_args, tentacle, exit_code] {
    BotAddress address{reload_args->config_file, reload_args->overrides, reload_args->socket};
    auto answer = ask_running_bot(address, {{"command", "reload_tentacle"}, {"tentacle", *tentacle}},
                                  "tentacles reload", exit_code);
    if (!answer) return;
    if (reload_args->json) {
      // The swap record (with "ok", and the refusal's "error"); the whole answer when there is
      // no record (e.g. the tentacle is not running).
      nlohmann::json printed = answer.value();
      if (answer->contains("result") && (*answer)["result"].is_object()) {
        printed = (*answer)["result"];
        printed["ok"] = answer->value("ok", false);
        if (answer->contains("error")) printed["error"] = (*answer)["error"];
      }
      std::cout << printed.dump(2) << "\n";
    } else {
      std::cout << describe_swap(answer.value()) << "\n";
    }
    *exit_code = answer->value("ok", false) ? kExitOk : kExitFailure;
  });

  auto history_args = std::make_shared<RunningBotArgs>();
  auto* history = tentacles.add_subcommand(
      "history", "Every hot swap a bot attempted: when, what, pause, state handed over, outcome");
  add_bot_options(history, *history_args);
  history->add_option("--db", history_args->database,
                      "The bot's database (default: storage.path from the config)");
  history->add_flag("--json", history_args->json, "Print JSON instead of a table");
  history->callback([history_args, exit_code] {
    std::filesystem::path database = history_args->database;
    if (database.empty()) {
      auto config = load_bot_config(*history_args, exit_code);
      if (!config) return;
      database = config->storage.path;
    }
    if (!std::filesystem::exists(database)) {
      std::cerr << "cephalo tentacles history: no database at " << database.string()
                << " (has the bot run with this config?)\n";
      *exit_code = kExitFailure;
      return;
    }
    auto opened = SqliteRepository::open(database, SqliteOptions{});
    if (!opened.ok()) {
      std::cerr << "cephalo tentacles history: " << opened.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    auto swaps = opened.value()->tentacle_swaps();
    if (!swaps.ok()) {
      std::cerr << "cephalo tentacles history: " << swaps.error() << "\n";
      *exit_code = kExitFailure;
      return;
    }
    if (history_args->json) {
      std::cout << history_json(swaps.value()).dump(2) << "\n";
    } else if (swaps->empty()) {
      std::cout << "no hot swaps recorded in " << database.string() << "\n";
    } else {
      print_history(swaps.value());
    }
    *exit_code = kExitOk;
  });
}

}  // namespace cephalo
