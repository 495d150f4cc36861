// `cephalo slots list`, `cephalo slots promote NAME`, `cephalo kill` and `cephalo resume`:
// commands to a running bot (paper or live) over its control socket: which A/B slot is live,
// make another one live, throw the kill switch and lift it.
// Thread-safety: main thread.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app_paths.hpp"
#include "commands.hpp"
#include "config/config.hpp"
#include "control_server.hpp"

namespace cephalo {

namespace {

struct SlotsArgs {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string socket;
  bool json = false;
};

void add_options(CLI::App* command, SlotsArgs& args) {
  command->add_option("-c,--config", args.config_file,
                      "The running bot's config (default: the default config)");
  command->add_option("--set", args.overrides, "Config overrides the bot was started with");
  command->add_option("--socket", args.socket,
                      "The bot's control socket (default: from the config)");
  command->add_flag("--json", args.json, "Print the bot's answer as JSON");
}

// The bot's answer, or nullopt after printing why there is none (exit code set).
std::optional<nlohmann::json> ask_bot(const SlotsArgs& args, const nlohmann::json& request,
                                      const char* command, int* exit_code) {
  std::filesystem::path socket = args.socket;
  if (socket.empty()) {
    const std::string file =
        args.config_file.empty() ? default_config_path().string() : args.config_file;
    auto loaded = load_config(file, args.overrides);
    if (!loaded.ok()) {
      for (const auto& problem : loaded.problems) std::cerr << problem.to_string() << "\n";
      *exit_code = kExitBadInput;
      return std::nullopt;
    }
    socket = control_socket_for(*loaded.config);
  }
  auto answer = send_control_request(socket, request, std::chrono::seconds(60));
  if (!answer.ok()) {
    std::cerr << "cephalo " << command << ": " << answer.error() << "\n";
    *exit_code = kExitFailure;
    return std::nullopt;
  }
  return answer.value();
}

void print_slots(const nlohmann::json& answer) {
  if (!answer.contains("slots")) return;
  for (const auto& slot : answer["slots"]) {
    std::cout << "  " << slot.value("name", "")
              << (slot.value("live", false) ? "  live" : "  paper")
              << (slot.value("pending_promotion", false) ? "  (pending promotion to live)" : "")
              << "\n";
  }
  if (answer.contains("pending") && answer["pending"].is_object()) {
    const auto& pending = answer["pending"];
    std::cout << "pending promotion to " << pending.value("slot", "")
              << (pending.value("now", false) ? " (--now)" : "") << ": waiting for "
              << pending.value("waiting_for", "the next event") << "\n";
  }
}

// `cephalo kill` and `cephalo resume`: one request with an optional reason, one message back.
void add_risk_command(CLI::App& app, const std::string& command, const std::string& help,
                      int* exit_code) {
  auto args = std::make_shared<SlotsArgs>();
  auto reason = std::make_shared<std::string>();
  auto* sub = app.add_subcommand(command, help);
  sub->add_option("--reason", *reason, "Why (kept with the risk verdict)");
  add_options(sub, *args);
  sub->callback([args, reason, command, exit_code] {
    auto answer =
        ask_bot(*args, {{"command", command}, {"reason", *reason}}, command.c_str(), exit_code);
    if (!answer) return;
    if (args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo " << command << ": " << answer->value("error", "refused") << "\n";
    } else {
      std::cout << answer->value("message", "") << "\n";
    }
    *exit_code = answer->value("ok", false) ? kExitOk : kExitFailure;
  });
}

}  // namespace

void register_slots_commands(CLI::App& app, int* exit_code) {
  auto* slots = app.add_subcommand("slots", "A/B slots of a running bot: which is live, promote");
  slots->require_subcommand(1);

  auto list_args = std::make_shared<SlotsArgs>();
  auto* list = slots->add_subcommand("list", "The running bot's slots and which one is live");
  add_options(list, *list_args);
  list->callback([list_args, exit_code] {
    auto answer = ask_bot(*list_args, {{"command", "slots"}}, "slots list", exit_code);
    if (!answer) return;
    if (list_args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo slots list: " << answer->value("error", "refused") << "\n";
    } else {
      print_slots(*answer);
    }
    *exit_code = answer->value("ok", false) ? kExitOk : kExitFailure;
  });

  add_risk_command(app, "kill",
                   "Kill switch of a running bot: cancel every open order and halt new entries",
                   exit_code);
  add_risk_command(app, "resume",
                   "Let a running bot enter positions again after a kill switch or a risk halt",
                   exit_code);

  auto promote_args = std::make_shared<SlotsArgs>();
  auto name = std::make_shared<std::string>();
  auto now = std::make_shared<bool>(false);
  auto* promote = slots->add_subcommand(
      "promote",
      "Make slot NAME the live one in a running bot; the others shadow it on paper. Live: pending "
      "until the live slot is flat on the real account and NAME on paper; promoting the live slot "
      "cancels a pending promotion");
  promote->add_option("name", *name, "Slot name (as in the config's slots:)")->required();
  promote->add_flag("--now", *now,
                    "Live: do not wait for the strategies; cancel the live slot's open orders, "
                    "sell its position at market (and flatten NAME's paper position), then switch");
  add_options(promote, *promote_args);
  promote->callback([promote_args, name, now, exit_code] {
    auto answer = ask_bot(*promote_args, {{"command", "promote"}, {"slot", *name}, {"now", *now}},
                          "slots promote", exit_code);
    if (!answer) return;
    const std::string state = answer->value("state", "effective");
    if (promote_args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo slots promote: " << answer->value("error", "refused") << "\n";
    } else if (state == "pending") {
      std::cout << "promotion of slot " << *name << " pending: slot " << answer->value("live", "")
                << " stays live until the switch\n";
      print_slots(*answer);
    } else if (state == "cancelled") {
      std::cout << "pending promotion of slot " << answer->value("cancelled", "")
                << " cancelled: slot " << answer->value("live", "") << " stays live\n";
      print_slots(*answer);
    } else {
      std::cout << "slot " << answer->value("live", "") << " is live (was "
                << answer->value("was", "") << ")\n";
      print_slots(*answer);
    }
    *exit_code = answer->value("ok", false) ? kExitOk : kExitFailure;
  });
}

}  // namespace cephalo
