// The handlers the command/query table (control_api.cpp) dispatches to: queries read a snapshot
// (queries.cpp), commands act on the loop thread or wait for it off the loop (commands.cpp).
// Thread-safety: queries on any thread; see each command kind in control_api.hpp.
#pragma once

#include "engine/commands/control_api.hpp"
#include "storage/records.hpp"

namespace cephalo::handlers {

nlohmann::json ping(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json status(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json balances(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json positions(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json open_orders(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json orders(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json fills(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json trades(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json performance(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json pnl(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json equity(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json candles(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json risk(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json tentacles(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json swaps(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json slots(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json config(const QueryEnv& env, const nlohmann::json& request);
nlohmann::json logs(const QueryEnv& env, const nlohmann::json& request);

void stop(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void pause_entries(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void resume_entries(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void kill(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void resume(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void force_exit(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void cancel_order(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void set_params(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
void promote(CommandEnv& env, const nlohmann::json& request, const CommandReply& reply);
CommandOutcome reload_tentacle(CommandEnv& env, const nlohmann::json& request);
CommandOutcome reload_config(CommandEnv& env, const nlohmann::json& request);

// A swap record as the documented swap fields (reload_tentacle, set_params).
nlohmann::json swap_record_json(const TentacleSwapRecord& record);
CommandOutcome swap_outcome(const TentacleSwapRecord& record);

}  // namespace cephalo::handlers
