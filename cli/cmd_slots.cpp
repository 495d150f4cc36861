// `cephalo slots list`, `cephalo slots promote NAME`, `cephalo kill` and `cephalo resume`:
// friendly faces of the command/query set's `slots` query and `promote`, `kill` and `resume`
// commands (the same requests `cephalo ctl` sends), against a running bot (paper or live).
// Thread-safety: main thread.
#include <iostream>
#include <nlohmann/json.hpp>

#include "bot_client.hpp"
#include "commands.hpp"

namespace cephalo {

namespace {

struct SlotsArgs {
  BotAddress address;
  bool json = false;
};

void add_options(CLI::App* command, SlotsArgs& args) {
  add_bot_address_options(command, args.address);
  command->add_flag("--json", args.json, "Print the bot's answer as JSON");
}

void print_slots(const nlohmann::json& result) {
  if (!result.contains("slots")) return;
  for (const auto& slot : result["slots"]) {
    std::cout << "  " << slot.value("name", "")
              << (slot.value("live", false) ? "  live" : "  paper")
              << (slot.value("pending_promotion", false) ? "  (pending promotion to live)" : "")
              << "\n";
  }
  if (result.contains("pending") && result["pending"].is_object()) {
    const auto& pending = result["pending"];
    std::cout << "pending promotion to " << pending.value("slot", "")
              << (pending.value("now", false) ? " (--now)" : "") << ": waiting for "
              << pending.value("waiting_for", "the next event") << "\n";
  }
}

// The result of an answer (empty object when it has none).
nlohmann::json result_of(const nlohmann::json& answer) {
  return answer.contains("result") && answer["result"].is_object() ? answer["result"]
                                                                    : nlohmann::json::object();
}

// `cephalo kill` and `cephalo resume`: one command with an optional reason, one message back.
void add_risk_command(CLI::App& app, const std::string& command, const std::string& help,
                      int* exit_code) {
  auto args = std::make_shared<SlotsArgs>();
  auto reason = std::make_shared<std::string>();
  auto* sub = app.add_subcommand(command, help);
  sub->add_option("--reason", *reason, "Why (kept with the risk verdict)");
  add_options(sub, *args);
  sub->callback([args, reason, command, exit_code] {
    auto answer = ask_running_bot(args->address, {{"command", command}, {"reason", *reason}},
                                  command, exit_code);
    if (!answer) return;
    if (args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo " << command << ": " << answer->value("error", "refused") << "\n";
    } else {
      std::cout << result_of(*answer).value("message", "") << "\n";
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
    auto answer = ask_running_bot(list_args->address, {{"query", "slots"}}, "slots list",
                                  exit_code);
    if (!answer) return;
    if (list_args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo slots list: " << answer->value("error", "refused") << "\n";
    } else {
      print_slots(result_of(*answer));
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
    auto answer =
        ask_running_bot(promote_args->address,
                        {{"command", "promote"}, {"slot", *name}, {"now", *now}}, "slots promote",
                        exit_code);
    if (!answer) return;
    const nlohmann::json result = result_of(*answer);
    const std::string state = result.value("state", "effective");
    if (promote_args->json) {
      std::cout << answer->dump(2) << "\n";
    } else if (!answer->value("ok", false)) {
      std::cerr << "cephalo slots promote: " << answer->value("error", "refused") << "\n";
    } else if (state == "pending") {
      std::cout << "promotion of slot " << *name << " pending: slot " << result.value("live", "")
                << " stays live until the switch\n";
      print_slots(result);
    } else if (state == "cancelled") {
      std::cout << "pending promotion of slot " << result.value("cancelled", "")
                << " cancelled: slot " << result.value("live", "") << " stays live\n";
      print_slots(result);
    } else {
      std::cout << "slot " << result.value("live", "") << " is live (was "
                << result.value("was", "") << ")\n";
      print_slots(result);
    }
    *exit_code = answer->value("ok", false) ? kExitOk : kExitFailure;
  });
}

}  // namespace cephalo
