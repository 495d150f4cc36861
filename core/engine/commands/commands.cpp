// The command handlers: the loop ones act on the pipeline between two events; reload_tentacle
// and reload_config wait for the loop from another thread.
// Thread-safety: see control_api.hpp (LoopCommandHandler, BlockingCommandHandler).
#include <algorithm>
#include <optional>

#include "engine/commands/handlers.hpp"
#include "events/event_loop.hpp"
#include "host/hot_swap.hpp"
#include "host/pipeline.hpp"

namespace cephalo::handlers {

namespace {

std::string text_arg(const nlohmann::json& request, const char* name) {
  return request.contains(name) ? request[name].get<std::string>() : std::string();
}

// "by <who>[: <reason>]": what the risk verdicts and the log keep of an operator's command
// ("by the control socket: ...", "by my_dashboard: ...").
std::string by(const CommandEnv& env, const nlohmann::json& request) {
  const std::string reason = text_arg(request, "reason");
  const std::string who = env.caller == kControlSocketCaller ? "the control socket" : env.caller;
  return "by " + who + (reason.empty() ? "" : ": " + reason);
}

// The slots a command applied to: its "slot", or every slot.
nlohmann::json slot_names(const Pipeline& pipeline, const std::string& slot) {
  nlohmann::json names = nlohmann::json::array();
  for (SlotIndex index = 0; index < pipeline.slot_count(); ++index) {
    if (slot.empty() || pipeline.slot_name(index) == slot)
      names.push_back(pipeline.slot_name(index));
  }
  return names;
}

// A parameter's value as the config would hold it: scalar text, or YAML flow text (JSON is YAML).
std::string param_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

nlohmann::json slots_state(const Pipeline& pipeline) {
  nlohmann::json slots = nlohmann::json::array();
  const auto pending = pipeline.pending_promotion();
  for (SlotIndex index = 0; index < pipeline.slot_count(); ++index) {
    slots.push_back({{"name", pipeline.slot_name(index)},
                     {"live", index == pipeline.live_slot()},
                     {"pending_promotion", pending && pending->to == pipeline.slot_name(index)}});
  }
  nlohmann::json answer{{"slots", std::move(slots)}, {"pending", nullptr}};
  if (pending) {
    answer["pending"] = {
        {"slot", pending->to}, {"waiting_for", pending->waiting_for}, {"now", pending->now}};
  }
  return answer;
}

}  // namespace

nlohmann::json swap_record_json(const TentacleSwapRecord& record) {
  return {{"tentacle", record.name},
          {"kind", record.kind},
          {"from_version", record.from_version},
          {"to_version", record.to_version},
          {"trigger", record.trigger},
          {"pause_us", static_cast<double>(record.pause_ns) / 1000.0},
          {"state_bytes", record.state_bytes},
          {"handoff", record.handoff},
          {"outcome", record.outcome},
          {"unload", record.unload},
          {"message", record.message}};
}

CommandOutcome swap_outcome(const TentacleSwapRecord& record) {
  if (record.outcome == "swapped") return CommandOutcome::success(swap_record_json(record));
  return CommandOutcome::failure(
      "swap of " + record.name + " to " + record.to_version + " rolled back: " + record.message,
      swap_record_json(record));
}

void stop(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  env.loop.stop();
  reply(CommandOutcome::success(
      {{"message", "stopping after the current event (" + by(env, request) + ")"}}));
}

void pause_entries(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  const std::string slot = text_arg(request, "slot");
  if (Status paused = env.pipeline.pause_entries(by(env, request), slot); !paused.ok()) {
    throw RequestError(paused.error());
  }
  reply(CommandOutcome::success(
      {{"message", "entries paused (exits still allowed) until resume_entries"},
       {"slots", slot_names(env.pipeline, slot)}}));
}

void resume_entries(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  const std::string slot = text_arg(request, "slot");
  if (Status resumed = env.pipeline.resume_entries(by(env, request), slot); !resumed.ok()) {
    throw RequestError(resumed.error());
  }
  reply(CommandOutcome::success(
      {{"message", "entries resumed"}, {"slots", slot_names(env.pipeline, slot)}}));
}

void kill(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  if (Status killed = env.pipeline.kill_switch(by(env, request)); !killed.ok()) {
    throw RequestError(killed.error());
  }
  reply(CommandOutcome::success(
      {{"message",
        "kill switch thrown: open orders cancelled, entries halted (exits still allowed)"}}));
}

void resume(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  if (Status resumed = env.pipeline.resume_trading(by(env, request)); !resumed.ok()) {
    throw RequestError(resumed.error());
  }
  reply(CommandOutcome::success(
      {{"message", "trading resumed: kill switch, halts and loss pause lifted in every slot"}}));
}

void force_exit(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  auto exits = env.pipeline.force_exit(text_arg(request, "symbol"), text_arg(request, "slot"),
                                       by(env, request));
  if (!exits.ok()) throw RequestError(exits.error());
  nlohmann::json list = nlohmann::json::array();
  std::string message;
  for (const Pipeline::ForcedExit& exit : exits.value()) {
    list.push_back({{"slot", exit.slot}, {"symbol", exit.symbol}, {"quantity", exit.quantity}});
    message +=
        (message.empty() ? "closed at market: " : ", ") + exit.symbol + " in slot " + exit.slot;
  }
  reply(CommandOutcome::success({{"message", message}, {"exits", std::move(list)}}));
}

void cancel_order(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  const std::string id = text_arg(request, "client_order_id");
  if (Status cancelled = env.pipeline.cancel_order(id, text_arg(request, "slot"));
      !cancelled.ok()) {
    throw RequestError(cancelled.error());
  }
  reply(CommandOutcome::success(
      {{"message", "order " + id + " cancelled"}, {"client_order_id", id}}));
}

void set_params(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  if (env.swapper == nullptr)
    throw RequestError("set_params: this run does not hot-swap (backtest)");
  const std::string name = text_arg(request, "tentacle");
  const std::string slot = text_arg(request, "slot");
  const auto libraries = env.pipeline.running_libraries(name);
  if (libraries.empty()) throw RequestError("tentacle '" + name + "' is not running in this bot");
  // The instance's own config entry, with the given parameters replacing their namesakes.
  std::optional<Pipeline::SwapTarget> target;
  TentacleUse use;
  bool found = false;
  std::vector<std::string> running_in;
  for (const auto& instance : env.pipeline.instances()) {
    if (instance->name().view() == name) {
      running_in.push_back(env.pipeline.slot_name(instance->slot()));
    }
  }
  // Each A/B slot's instance has parameters of its own: the request must say whose change.
  if (slot.empty() && running_in.size() > 1) {
    std::string list;
    for (const auto& in : running_in) list += (list.empty() ? "" : ", ") + in;
    throw RequestError("tentacle '" + name + "' runs " + std::to_string(running_in.size()) +
                       " times (slots " + list + "): name one with \"slot\"");
  }
  for (const auto& instance : env.pipeline.instances()) {
    if (instance->name().view() != name) continue;
    const std::string instance_slot = env.pipeline.slot_name(instance->slot());
    if (!slot.empty() && instance_slot != slot) continue;
    use = instance->use();
    found = true;
    if (!slot.empty()) target = Pipeline::SwapTarget{instance->slot(), 0};
    break;
  }
  if (!found) throw RequestError("tentacle '" + name + "' does not run in slot " + slot);
  // Where a refusal points: the request, not a config file (whoever sent it, the same text).
  const SourceLocation where{"set_params request", 1, 1};
  for (const auto& item : request["params"].items()) {
    // Not a structured binding: clang 14 (the TSan and fuzz builds) cannot capture one.
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    auto existing = std::find_if(use.params.begin(), use.params.end(),
                                 [&key](const ParamSetting& param) { return param.name == key; });
    if (existing != use.params.end()) {
      existing->value = param_text(value);
      existing->where = where;
    } else {
      use.params.push_back(ParamSetting{key, param_text(value), where});
    }
  }
  env.swapper->request(SwapRequest{libraries.front(), use, "command", target},
                       [reply](const TentacleSwapRecord& record) { reply(swap_outcome(record)); });
}

void promote(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply) {
  const std::string name = text_arg(request, "slot");
  const bool now = request.value("now", false);
  auto promoted = env.pipeline.promote(name, env.caller, now);
  if (!promoted.ok()) throw RequestError(promoted.error());
  using State = Pipeline::Promotion::State;
  const State state = promoted->state;
  nlohmann::json result = slots_state(env.pipeline);
  result["live"] = env.pipeline.slot_name(env.pipeline.live_slot());
  result["was"] = promoted->from;
  result["state"] = state == State::kEffective   ? "effective"
                    : state == State::kPending   ? "pending"
                    : state == State::kCancelled ? "cancelled"
                                                 : "already_live";
  result["waiting_for"] = state == State::kPending ? promoted->waiting_for : "";
  result["cancelled"] = state == State::kCancelled ? promoted->to : "";
  reply(CommandOutcome::success(std::move(result)));
}

CommandOutcome reload_tentacle(CommandEnv& env, const nlohmann::json& request) {
  if (env.controls == nullptr) {
    throw RequestError("reload_tentacle: this run does not hot-swap (backtest)");
  }
  return env.controls->reload_tentacle(text_arg(request, "tentacle"));
}

CommandOutcome reload_config(CommandEnv& env, const nlohmann::json&) {
  if (env.controls == nullptr) {
    throw RequestError("reload_config: this run does not reload its config (backtest)");
  }
  return env.controls->reload_config();
}

}  // namespace cephalo::handlers
