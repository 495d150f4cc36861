// The command/query table and what it drives: argument checks, answer checks, documentation.
// Thread-safety: see control_api.hpp.
#include "engine/commands/control_api.hpp"

#include <cephalo/tentacle.h>

#include <sstream>

#include "engine/commands/handlers.hpp"

namespace cephalo {

namespace {

FieldSpec required(std::string name, std::string type, std::string doc) {
  return FieldSpec{std::move(name), std::move(type), std::move(doc), true, "", false};
}
FieldSpec optional(std::string name, std::string type, std::string doc, std::string otherwise) {
  return FieldSpec{std::move(name), std::move(type), std::move(doc), false, std::move(otherwise),
                   false};
}
FieldSpec out(std::string name, std::string type, std::string doc) {
  return FieldSpec{std::move(name), std::move(type), std::move(doc), false, "", false};
}
// An answer field that differs between two identical requests (a clock, a measured pause).
FieldSpec varying(std::string name, std::string type, std::string doc) {
  return FieldSpec{std::move(name), std::move(type), std::move(doc), false, "", true};
}

FieldSpec slot_arg() {
  return optional("slot", "string", "Only this A/B slot (its name in the config's `slots:`).",
                  "every slot");
}
FieldSpec reason_arg() {
  return optional("reason", "string", "Why, kept with the risk verdict and in the log.", "none");
}
std::vector<FieldSpec> paging_args(const std::string& what) {
  return {slot_arg(),
          optional("offset", "integer", "How many of the newest " + what + " to skip.", "0"),
          optional("limit", "integer", "How many to answer, 1 to 1000.", "50")};
}
std::vector<FieldSpec> paged(const std::string& array, std::vector<FieldSpec> element) {
  std::vector<FieldSpec> fields{out("total", "integer", "How many there are in all."),
                                out("offset", "integer", "The request's offset."),
                                out(array, "array", "Newest first.")};
  for (FieldSpec& field : element) {
    field.name = array + "[]." + field.name;
    fields.push_back(std::move(field));
  }
  return fields;
}
std::vector<FieldSpec> prefixed(const std::string& array, std::vector<FieldSpec> element) {
  for (FieldSpec& field : element) field.name = array + "[]." + field.name;
  return element;
}

std::vector<FieldSpec> order_fields() {
  return {out("slot", "string", "The A/B slot whose account holds it."),
          out("client_order_id", "string", "The core's id of the order (empty if the venue has none)."),
          out("symbol", "string", "BASE/QUOTE."),
          out("side", "string", "buy | sell."),
          out("type", "string", "market | limit | stop | stop_limit (empty if unknown)."),
          out("time_in_force", "string", "gtc | ioc | fok (empty if unknown)."),
          out("status", "string", "pending_new, new, partially_filled, filled, cancelled, rejected, expired, refused_by_risk."),
          out("quantity", "number", "Base units ordered."),
          out("remaining", "number", "Base units not filled yet."),
          out("price", "number", "Limit price, quote per base; 0 for market orders."),
          out("stop_price", "number", "Trigger or protective level, quote per base; 0 if none."),
          out("created_ns", "integer", "When it was placed, ns since epoch UTC (core clock)."),
          out("updated_ns", "integer", "Its last change, ns since epoch UTC (core clock)."),
          out("tag", "string", "Why it was placed (its exit reason), or the risk refusal.")};
}

std::vector<FieldSpec> swap_fields() {
  return {out("tentacle", "string", "The tentacle's name."),
          out("kind", "string", "evaluator | strategy | trading_mode | interface."),
          out("from_version", "string", "The running version before."),
          out("to_version", "string", "The version swapped to (or refused)."),
          out("trigger", "string", "file | command | config."),
          varying("pause_us", "number", "How long the loop did not process events, microseconds."),
          out("state_bytes", "integer", "State handed from the old instance to the new one."),
          out("handoff", "string", "state | warmup | none."),
          out("outcome", "string", "swapped | rolled_back."),
          out("unload", "string", "unloaded | pinned: ... | kept: ... (empty if not swapped)."),
          out("message", "string", "Why it rolled back, or which slot alone it touched.")};
}

std::vector<FieldSpec> slot_line_fields() {
  return {out("slots", "array", "Every slot, in config order."),
          out("slots[].name", "string", "Slot name."),
          out("slots[].live", "boolean", "The slot that trades for real (in live mode)."),
          out("slots[].pending_promotion", "boolean", "A promotion to live is pending for it."),
          out("pending", "object|null", "The pending promotion, or null."),
          out("pending.slot", "string", "The slot waiting to become live."),
          out("pending.waiting_for", "string", "What the switch waits for."),
          out("pending.now", "boolean", "Asked with now: flattening instead of waiting.")};
}

std::vector<RequestSpec> make_table() {
  using K = RequestKind;
  std::vector<RequestSpec> table;
  auto query = [&](std::string name, std::string summary, std::vector<FieldSpec> args,
                   std::vector<FieldSpec> result, QueryHandler handler) {
    table.push_back(RequestSpec{std::move(name), K::kQuery, std::move(summary), std::move(args),
                                std::move(result), handler, nullptr, nullptr});
  };
  auto command = [&](std::string name, std::string summary, std::vector<FieldSpec> args,
                     std::vector<FieldSpec> result, LoopCommandHandler handler) {
    table.push_back(RequestSpec{std::move(name), K::kCommand, std::move(summary), std::move(args),
                                std::move(result), nullptr, handler, nullptr});
  };
  auto blocking = [&](std::string name, std::string summary, std::vector<FieldSpec> args,
                      std::vector<FieldSpec> result, BlockingCommandHandler handler) {
    table.push_back(RequestSpec{std::move(name), K::kCommand, std::move(summary), std::move(args),
                                std::move(result), nullptr, nullptr, handler});
  };

  // ---- Queries -------------------------------------------------------------------------------
  query("ping", "Is a bot there? Answers without waiting for its loop.", {},
        {out("pong", "boolean", "Always true.")}, handlers::ping);
  table.back().reads_snapshot = false;
  query("status", "The run: mode, uptime, the core's clock, what feeds it.", {},
        {out("mode", "string", "backtest | paper | live."),
         out("abi", "string", "The tentacle ABI this core provides, MAJOR.MINOR."),
         out("api_version", "integer", "This command/query set's version."),
         out("started_at_ns", "integer", "When the run started, ns since epoch UTC (wall clock)."),
         varying("uptime_s", "number", "Seconds since the run started (wall clock)."),
         out("clock_ns", "integer", "The core's clock: the data's time in a replay, ns since epoch UTC."),
         out("events", "integer", "Events the loop had dispatched at the snapshot."),
         out("connection", "string", "What feeds the loop and its health: replaying, replay finished, live ..."),
         out("stopping", "boolean", "A stop was asked for; the loop finishes its current event."),
         out("slots", "integer", "How many A/B slots run (1 without `slots:`)."),
         out("live_slot", "string", "The slot that trades for real in live mode."),
         varying("snapshot_age_ms", "number", "How old the snapshot answering was, milliseconds.")},
        handlers::status);
  query("balances", "Each account's cash, equity and assets.", {slot_arg()},
        {out("accounts", "array", "One per slot with an account, in config order."),
         out("accounts[].slot", "string", "Slot name."),
         out("accounts[].live", "boolean", "The live slot."),
         out("accounts[].quote_currency", "string", "The currency of cash, equity and P&L."),
         out("accounts[].cash", "number", "Quote currency available."),
         out("accounts[].equity", "number", "Cash plus positions at their marks, quote."),
         out("accounts[].starting_cash", "number", "Quote at the start (0 for a live account)."),
         out("accounts[].balances", "array", "Each asset held."),
         out("accounts[].balances[].asset", "string", "Asset, e.g. BTC."),
         out("accounts[].balances[].free", "number", "Units free to trade."),
         out("accounts[].balances[].locked", "number", "Units reserved by open orders.")},
        handlers::balances);
  query("positions", "Open positions with their unrealised P&L.", {slot_arg()},
        {out("positions", "array", "Every non-flat position."),
         out("positions[].slot", "string", "Slot name."),
         out("positions[].symbol", "string", "BASE/QUOTE."),
         out("positions[].quantity", "number", "Base units, signed (negative: short)."),
         out("positions[].entry_price", "number", "Average entry, quote per base (0 if unknown)."),
         out("positions[].last_price", "number", "The mark, quote per base."),
         out("positions[].unrealised_pnl", "number", "At the mark, after entry fees, quote."),
         out("positions[].entry_time_ns", "integer", "When it opened, ns since epoch UTC (0 if unknown)."),
         out("total_unrealised_pnl", "number", "The sum, quote.")},
        handlers::positions);
  {
    auto fields = prefixed("orders", order_fields());
    fields.insert(fields.begin(), out("orders", "array", "Every resting order, slot by slot."));
    query("open_orders", "Orders resting at the venue.", {slot_arg()}, fields,
          handlers::open_orders);
  }
  {
    auto fields = paged("orders", order_fields());
    fields.push_back(out("available", "boolean",
                         "The venue keeps an order history (false: only open_orders is known)."));
    query("orders", "Recent orders in any state, paged, the latest changed first.",
          paging_args("orders"),
          fields, handlers::orders);
  }
  query("fills", "Recent fills, paged, newest first.", paging_args("fills"),
        paged("fills", {out("slot", "string", "Slot name."),
                        out("time_ns", "integer", "When, ns since epoch UTC (core clock)."),
                        out("symbol", "string", "BASE/QUOTE."),
                        out("side", "string", "buy | sell."),
                        out("client_order_id", "string", "The order it filled."),
                        out("quantity", "number", "Base units."),
                        out("price", "number", "Quote per base."),
                        out("fee", "number", "In fee_currency."),
                        out("fee_currency", "string", "Asset the fee was paid in.")}),
        handlers::fills);
  query("trades", "Closed round trips (flat to flat), paged, newest first.", paging_args("trades"),
        paged("trades", {out("slot", "string", "Slot name."),
                         out("pair", "string", "BASE/QUOTE."),
                         out("entry_time_ns", "integer", "First entry fill, ns since epoch UTC."),
                         out("entry_price", "number", "Average entry, quote per base."),
                         out("exit_time_ns", "integer", "Last exit fill, ns since epoch UTC."),
                         out("exit_price", "number", "Average exit, quote per base."),
                         out("quantity", "number", "Base units."),
                         out("fees", "number", "All its fees, quote."),
                         out("pnl", "number", "After fees, quote."),
                         out("exit_reason", "string", "signal, stop_loss, take_profit, trailing_stop, force_exit, ...")}),
        handlers::trades);
  query("performance", "Closed-trade performance by pair.", {slot_arg()},
        {out("pairs", "array", "One row per slot and pair that closed a trade."),
         out("pairs[].slot", "string", "Slot name."),
         out("pairs[].pair", "string", "BASE/QUOTE."),
         out("pairs[].trades", "integer", "Closed trades."),
         out("pairs[].wins", "integer", "Trades with pnl > 0."),
         out("pairs[].losses", "integer", "Trades with pnl < 0."),
         out("pairs[].win_rate", "number", "wins / trades (0 without trades)."),
         out("pairs[].pnl", "number", "Sum after fees, quote."),
         out("pairs[].fees", "number", "Sum, quote."),
         out("pairs[].average_pnl", "number", "pnl / trades, quote."),
         out("pairs[].best_pnl", "number", "The best trade, quote."),
         out("pairs[].worst_pnl", "number", "The worst trade, quote."),
         out("total_trades", "integer", "Over every row."),
         out("total_pnl", "number", "Over every row, quote.")},
        handlers::performance);
  query("pnl", "Realised P&L by day, ISO week or month (UTC), newest first.",
        {slot_arg(),
         optional("period", "string", "day | week | month.", "day"),
         optional("limit", "integer", "How many periods, 1 to 1000.", "30")},
        {out("period", "string", "The request's period."),
         out("periods", "array", "Periods with at least one trade closed, newest first."),
         out("periods[].slot", "string", "Slot name."),
         out("periods[].label", "string", "2024-01-31, 2024-W05 or 2024-01."),
         out("periods[].start_ns", "integer", "The period's first instant, ns since epoch UTC."),
         out("periods[].trades", "integer", "Trades closed in it (by exit time)."),
         out("periods[].pnl", "number", "Their pnl after fees, quote.")},
        handlers::pnl);
  query("equity", "The equity curve, downsampled.",
        {slot_arg(),
         optional("points", "integer", "At most this many points per curve, 2 to 1000.", "200")},
        {out("curves", "array", "One per slot with an account."),
         out("curves[].slot", "string", "Slot name."),
         out("curves[].points", "array", "Oldest first, first and last recorded point included."),
         out("curves[].points[].time_ns", "integer", "ns since epoch UTC (core clock)."),
         out("curves[].points[].equity", "number", "Cash plus positions at their marks, quote.")},
        handlers::equity);
  query("candles", "The latest candles of a series with indicator values.",
        {required("symbol", "string", "BASE/QUOTE, a feed of the run."),
         required("timeframe", "string", "The feed's timeframe, e.g. 5m."),
         optional("limit", "integer", "How many of the latest candles, 1 to 500.", "100"),
         optional("indicators", "array",
                  "Indicator specs (strings) as the core's indicators take them: sma:10, "
                  "rsi:14, macd:12:26:9, bbands:20:2 ... Computed by the core's indicator code "
                  "over the snapshot's last 500 candles of the series, so an indicator that "
                  "depends on all history (EMA, RSI, MACD) is seeded at the first of them.",
                  "none")},
        {out("symbol", "string", "The request's symbol."),
         out("timeframe", "string", "The request's timeframe."),
         out("candles", "array", "Oldest first."),
         out("candles[].open_time_ns", "integer", "The candle's open, ns since epoch UTC."),
         out("candles[].open", "number", "Quote per base."),
         out("candles[].high", "number", "Quote per base."),
         out("candles[].low", "number", "Quote per base."),
         out("candles[].close", "number", "Quote per base."),
         out("candles[].volume", "number", "Base units."),
         out("candles[].indicators", "object",
             "Per requested spec, its outputs in order (macd: macd, signal, hist); null while "
             "it warms up.")},
        handlers::candles);
  query("risk", "Each slot's risk state: halts, pauses, the kill switch, verdict counts.",
        {slot_arg()},
        {out("slots", "array", "One per slot with a risk engine."),
         out("slots[].slot", "string", "Slot name."),
         out("slots[].killed", "boolean", "The kill switch is on."),
         out("slots[].drawdown_halted", "boolean", "Halted by the drawdown limit."),
         out("slots[].daily_loss_halted", "boolean", "Halted for the day by the daily loss limit."),
         out("slots[].loss_paused", "boolean", "Paused after a loss streak."),
         out("slots[].entries_paused", "boolean", "Entries paused by an operator."),
         out("slots[].pause_reason", "string", "The operator's reason (empty if not paused)."),
         out("slots[].consecutive_losses", "integer", "Current loss streak."),
         out("slots[].start_of_day_equity", "number", "Quote."),
         out("slots[].peak_equity", "number", "Quote."),
         out("slots[].intents", "integer", "Order intents judged."),
         out("slots[].allowed", "integer", "Of them allowed."),
         out("slots[].refused", "integer", "Of them refused."),
         out("slots[].exits", "integer", "Of them exits (always allowed)."),
         out("slots[].kills", "integer", "Kill switches thrown."),
         out("slots[].by_tier", "object", "position, strategy, account: {passed, refused}."),
         out("slots[].by_rule", "object", "Per rule seen: {tier, passed, refused}.")},
        handlers::risk);
  query("tentacles", "The running tentacles: versions, ABI, signer, status.", {},
        {out("tentacles", "array", "Every running instance, in creation order."),
         out("tentacles[].name", "string", "Its name."),
         out("tentacles[].kind", "string", "evaluator | strategy | trading_mode | interface."),
         out("tentacles[].version", "string", "Semantic version."),
         out("tentacles[].abi", "string", "The ABI it needs, MAJOR.MINOR."),
         out("tentacles[].slot", "string", "Its A/B slot (empty for shared kinds)."),
         out("tentacles[].status", "string", "running | quarantined."),
         out("tentacles[].failure", "string", "Why it was quarantined (empty if running)."),
         out("tentacles[].library", "string", "The library file."),
         out("tentacles[].sha256", "string", "The library's checksum, from its manifest."),
         out("tentacles[].author", "string", "From its manifest."),
         out("tentacles[].license", "string", "From its manifest."),
         out("tentacles[].signer", "string|null",
             "Who signed its package; null: this cephalo does not sign packages yet.")},
        handlers::tentacles);
  query("swaps", "Hot-swap attempts of this run, paged, newest first.",
        {optional("offset", "integer", "How many of the newest to skip.", "0"),
         optional("limit", "integer", "How many to answer, 1 to 1000.", "50")},
        [&] {
          auto fields = paged("swaps", swap_fields());
          fields.push_back(varying("swaps[].time_ns", "integer", "When, ns since epoch UTC (wall clock)."));
          return fields;
        }(),
        handlers::swaps);
  {
    auto fields = slot_line_fields();
    fields.insert(fields.begin() + 4,
                  {out("slots[].equity", "number", "Its account's equity, quote (0 without one)."),
                   out("slots[].return", "number", "equity / starting cash - 1 (0 without one)."),
                   out("slots[].trades", "integer", "Closed trades."),
                   out("slots[].pnl", "number", "Their pnl after fees, quote.")});
    fields.push_back(out("comparison", "array", "Each slot after the first against the first."));
    fields.push_back(out("comparison[].slot", "string", "The slot compared."));
    fields.push_back(out("comparison[].baseline", "string", "The first slot."));
    fields.push_back(out("comparison[].mean_trade_return", "object",
                         "other - baseline mean trade return (pnl / entry notional) with its "
                         "seeded 95 % bootstrap interval: {difference, low, high, significant, "
                         "baseline_trades, trades}; numbers null when a side has < 2 trades."));
    query("slots", "The A/B slots: which is live, their figures, each against the first.", {},
          fields, handlers::slots);
  }
  query("config", "The config the bot runs with, secrets redacted.", {},
        {out("file", "string", "The config file (empty when none)."),
         out("text", "string", "The merged YAML, secret values replaced by ***redacted***.")},
        handlers::config);
  query("logs", "The run's latest log lines.",
        {optional("limit", "integer", "How many of the latest lines, 1 to 1000.", "100"),
         optional("level", "string", "The lowest level shown: trace, debug, info, warning, error, critical.", "info")},
        {varying("lines", "array", "Oldest first (later requests log lines too)."),
         varying("lines[].time_ns", "integer", "ns since epoch UTC (wall clock)."),
         varying("lines[].level", "string", "Its level."),
         varying("lines[].text", "string", "The message."),
         varying("dropped", "integer", "Older lines the ring let go.")},
        handlers::logs);

  // ---- Commands ------------------------------------------------------------------------------
  command("stop", "Stop gracefully after the current event (as SIGTERM).", {reason_arg()},
          {out("message", "string", "What happens now.")}, handlers::stop);
  command("pause_entries",
          "Refuse new entries (exits still pass), without the kill switch's cancels.",
          {reason_arg(), slot_arg()},
          {out("message", "string", "What changed."),
           out("slots", "array", "The slots paused (names).")},
          handlers::pause_entries);
  command("resume_entries", "Lift an operator's pause of entries.", {reason_arg(), slot_arg()},
          {out("message", "string", "What changed."),
           out("slots", "array", "The slots resumed (names).")},
          handlers::resume_entries);
  command("kill",
          "The kill switch: cancel every open order and refuse entries in every slot until resume.",
          {reason_arg()}, {out("message", "string", "What changed.")}, handlers::kill);
  command("resume",
          "Lift the kill switch, the drawdown and daily-loss halts and the loss pause in every slot.",
          {reason_arg()}, {out("message", "string", "What changed.")}, handlers::resume);
  command("force_exit",
          "Close one position, or all, at market now. A venue that cannot close one position on "
          "its own (the live Binance account, for now) refuses a symbol; all positions it closes.",
          {optional("symbol", "string", "BASE/QUOTE of the position to close.", "every position"),
           slot_arg(), reason_arg()},
          {out("message", "string", "What was closed."),
           out("exits", "array", "Each position closed."),
           out("exits[].slot", "string", "Slot name."),
           out("exits[].symbol", "string", "BASE/QUOTE."),
           out("exits[].quantity", "number", "The position's base units before the exit.")},
          handlers::force_exit);
  command("cancel_order",
          "Cancel one resting order (paper and backtest accounts; the live Binance account "
          "refuses it for now: the kill switch cancels every order there).",
          {required("client_order_id", "string", "The order's id (open_orders lists them)."),
           slot_arg()},
          {out("message", "string", "What was cancelled."),
           out("client_order_id", "string", "The request's id.")},
          handlers::cancel_order);
  blocking("reload_tentacle",
           "Hot-swap a running tentacle to the build in its folder. A rolled-back swap is "
           "ok:false and still carries the swap record as its result.",
           {required("tentacle", "string", "The tentacle's name.")},
           [] {
             auto fields = swap_fields();
             fields.push_back(out("repeated", "boolean",
                                  "This build (same SHA-256) was tried already, by the folder "
                                  "watcher or an earlier request: this is that attempt's answer."));
             return fields;
           }(),
           handlers::reload_tentacle);
  command("set_params",
          "Give a running tentacle new parameters (a hot swap to the same library). Checked "
          "against its manifest; a rolled-back swap is ok:false with the record as its result.",
          {required("tentacle", "string", "The tentacle's name."),
           required("params", "object", "Parameter name to value, as in the config's params:."),
           optional("slot", "string", "Only its instance in this A/B slot.", "every instance")},
          swap_fields(), handlers::set_params);
  {
    auto fields = slot_line_fields();
    fields.insert(fields.begin(),
                  {out("state", "string", "effective | pending | cancelled | already_live."),
                   out("live", "string", "The live slot now."),
                   out("was", "string", "The live slot before."),
                   out("waiting_for", "string", "pending: what the switch waits for (else empty)."),
                   out("cancelled", "string", "cancelled: the slot whose promotion was cancelled.")});
    command("promote",
            "Make an A/B slot the live one (live mode: pending until the real account can change "
            "hands; promoting the live slot cancels a pending promotion).",
            {required("slot", "string", "The slot to make live."),
             optional("now", "boolean", "Live: flatten instead of waiting for the strategies.",
                      "false")},
            fields, handlers::promote);
  }
  blocking("reload_config",
           "Read the config file again and apply changed tentacle parameters (a swap each); "
           "other changes need a restart and are listed.",
           {},
           {out("message", "string", "What was done."),
            out("applied", "array", "Each parameter change applied or refused."),
            out("applied[].tentacle", "string", "The tentacle."),
            out("applied[].where", "string", "The config entry (file:line)."),
            out("applied[].outcome", "string", "swapped | rolled_back."),
            out("applied[].message", "string", "The swap's message or why it rolled back."),
            out("restart_needed", "boolean", "The file changed more than parameters.")},
           handlers::reload_config);
  return table;
}

bool has_type(const nlohmann::json& value, const std::string& types) {
  std::stringstream list(types);
  std::string type;
  while (std::getline(list, type, '|')) {
    if ((type == "string" && value.is_string()) ||
        (type == "integer" && value.is_number_integer()) ||
        (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean()) ||
        (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
        (type == "null" && value.is_null())) {
      return true;
    }
  }
  return false;
}

std::string type_of(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  return value.type_name();
}

// Checks every value at `path` (segments split at '.', "x[]" stepping into each element).
void check_path(const nlohmann::json& node, const std::vector<std::string>& segments, size_t at,
                const std::string& where, const FieldSpec& field,
                std::vector<std::string>& problems) {
  if (at == segments.size()) {
    if (!has_type(node, field.type)) {
      problems.push_back(where + ": expected " + field.type + ", found " + type_of(node));
    }
    return;
  }
  if (node.is_null()) return;  // a documented object|null that is null has no members
  std::string key = segments[at];
  const bool each = key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0;
  if (each) key.resize(key.size() - 2);
  if (!node.is_object() || !node.contains(key)) {
    problems.push_back(where + (where.empty() ? "" : ".") + key + ": missing");
    return;
  }
  const nlohmann::json& child = node[key];
  const std::string here = where + (where.empty() ? "" : ".") + key;
  if (!each) {
    check_path(child, segments, at + 1, here, field, problems);
    return;
  }
  if (!child.is_array()) {
    problems.push_back(here + ": expected array, found " + type_of(child));
    return;
  }
  for (size_t i = 0; i < child.size(); ++i) {
    check_path(child[i], segments, at + 1, here + "[" + std::to_string(i) + "]", field, problems);
  }
}

// Keys present in `node` that no documented path names (objects documented as plain "object"
// keep whatever they hold).
void find_undocumented(const nlohmann::json& node, const std::string& prefix,
                       const std::vector<FieldSpec>& fields, std::vector<std::string>& problems) {
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    const std::string path = prefix + key;
    const FieldSpec* documented = nullptr;
    bool parent_of_documented = false;
    for (const FieldSpec& field : fields) {
      if (field.name == path) documented = &field;
      if (field.name.rfind(path + ".", 0) == 0 || field.name.rfind(path + "[].", 0) == 0) {
        parent_of_documented = true;
      }
    }
    if (documented == nullptr) {
      problems.push_back(path + ": not in the documented answer");
      continue;
    }
    if (!parent_of_documented) continue;
    if (value.is_array()) {
      for (const auto& element : value) find_undocumented(element, path + "[].", fields, problems);
    } else {
      find_undocumented(value, path + ".", fields, problems);
    }
  }
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::stringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '.')) segments.push_back(segment);
  return segments;
}

// Table cells: a '|' in a text would end the cell.
std::string cell(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

void markdown_fields(std::ostringstream& out, const std::vector<FieldSpec>& fields, bool args) {
  if (fields.empty()) {
    out << "none\n\n";
    return;
  }
  out << (args ? "| field | type | | meaning |\n|---|---|---|---|\n"
               : "| field | type | meaning |\n|---|---|---|\n");
  for (const FieldSpec& field : fields) {
    out << "| `" << field.name << "` | " << cell(field.type) << " | ";
    if (args) {
      out << cell(field.required ? "required" : "default: " + field.default_text) << " | ";
    }
    out << cell(field.doc) << (field.varies ? " *(varies)*" : "") << " |\n";
  }
  out << "\n";
}

nlohmann::json fields_json(const std::vector<FieldSpec>& fields, bool args) {
  nlohmann::json list = nlohmann::json::array();
  for (const FieldSpec& field : fields) {
    nlohmann::json entry{{"name", field.name}, {"type", field.type}, {"doc", field.doc}};
    if (args) {
      entry["required"] = field.required;
      if (!field.required) entry["default"] = field.default_text;
    } else {
      entry["varies"] = field.varies;
    }
    list.push_back(std::move(entry));
  }
  return list;
}

}  // namespace

const std::vector<RequestSpec>& control_api() {
  static const std::vector<RequestSpec> table = make_table();
  return table;
}

const RequestSpec* find_request(RequestKind kind, const std::string& name) {
  for (const RequestSpec& spec : control_api()) {
    if (spec.kind == kind && spec.name == name) return &spec;
  }
  return nullptr;
}

const std::vector<FieldSpec>& request_envelope() {
  static const std::vector<FieldSpec> fields{
      optional("query", "string", "The query's name; a request names a query or a command.",
               "none"),
      optional("command", "string", "The command's name.", "none"),
      optional("version", "integer",
               "The schema version the client speaks; one newer than the bot's is refused.", "1"),
      optional("id", "string",
               "A correlation id, echoed in the answer; interface tentacles get a command's "
               "answer as a command_result event with it.",
               "none")};
  return fields;
}

const std::vector<FieldSpec>& answer_envelope(RequestKind kind) {
  static const std::vector<FieldSpec> query_fields{
      out("version", "integer", "The schema version of the answer (1)."),
      out("query", "string", "The request's name."),
      out("id", "string", "The request's id, when it had one."),
      out("ok", "boolean", "false: refused; `error` says why."),
      out("result", "object", "The answer (ok only), as documented per query."),
      out("error", "string", "Why it was refused (not ok only)."),
      out("snapshot", "object",
          "{sequence, clock_ns}: the loop's event count and clock at the snapshot answering.")};
  static const std::vector<FieldSpec> command_fields{
      out("version", "integer", "The schema version of the answer (1)."),
      out("command", "string", "The request's name."),
      out("id", "string", "The request's id, when it had one."),
      out("ok", "boolean", "false: refused or failed; `error` says why."),
      out("result", "object",
          "The outcome, as documented per command (also on some failures, where documented)."),
      out("error", "string", "Why it was refused (not ok only).")};
  return kind == RequestKind::kQuery ? query_fields : command_fields;
}

std::vector<std::string> check_request(const RequestSpec& spec, const nlohmann::json& request) {
  std::vector<std::string> problems;
  for (const auto& [key, value] : request.items()) {
    if (key == "query" || key == "command" || key == "version" || key == "id") continue;
    const FieldSpec* field = nullptr;
    for (const FieldSpec& candidate : spec.args) {
      if (candidate.name == key) field = &candidate;
    }
    if (field == nullptr) {
      std::string known;
      for (const FieldSpec& candidate : spec.args) {
        known += (known.empty() ? "" : ", ") + candidate.name;
      }
      problems.push_back("unknown field '" + key + "' (" + spec.name + " takes " +
                         (known.empty() ? "no fields" : known) + ")");
    } else if (!has_type(value, field->type)) {
      problems.push_back("field '" + key + "' must be " + field->type + ", found " +
                         type_of(value));
    }
  }
  for (const FieldSpec& field : spec.args) {
    if (field.required && !request.contains(field.name)) {
      problems.push_back("field '" + field.name + "' (" + field.type + ") is required: " +
                         field.doc);
    }
  }
  return problems;
}

std::vector<std::string> check_result(const RequestSpec& spec, const nlohmann::json& result) {
  std::vector<std::string> problems;
  if (!result.is_object()) return {"the result is not a JSON object"};
  for (const FieldSpec& field : spec.result) {
    check_path(result, split_path(field.name), 0, "", field, problems);
  }
  find_undocumented(result, "", spec.result, problems);
  return problems;
}

nlohmann::json control_api_json() {
  nlohmann::json requests = nlohmann::json::array();
  for (const RequestSpec& spec : control_api()) {
    requests.push_back({{"name", spec.name},
                        {"kind", spec.kind == RequestKind::kQuery ? "query" : "command"},
                        {"summary", spec.summary},
                        {"args", fields_json(spec.args, true)},
                        {"result", fields_json(spec.result, false)}});
  }
  return {{"version", kControlApiVersion},
          {"request_envelope", fields_json(request_envelope(), true)},
          {"query_answer_envelope", fields_json(answer_envelope(RequestKind::kQuery), false)},
          {"command_answer_envelope", fields_json(answer_envelope(RequestKind::kCommand), false)},
          {"requests", requests}};
}

std::string control_api_markdown() {
  std::ostringstream out;
  out << "# The Cephalo command/query set, version " << kControlApiVersion << "\n\n"
      << "<!-- Generated from core/engine/commands/control_api.cpp by `cephalo ctl schema "
         "--markdown`; a test fails when this file and the table differ. -->\n\n"
      << "Everything outside the event loop that steers or reads a running bot uses these "
         "requests: the `cephalo ctl` command line, the control socket (one JSON object and a "
         "newline per request, one answer line back; `<storage.path>.sock` or "
         "`control.socket`), and interface tentacles through the ABI (ABI "
      << CEPHALO_ABI_MAJOR << "." << CEPHALO_ABI_MINOR
      << ": `query_json` answers a query synchronously, `send_command_json` queues a command "
         "whose answer arrives as a `command_result` event carrying the request's `id`).\n\n"
      << "Commands run on the loop thread between two events. Queries are answered on the "
         "asking thread from an immutable snapshot the loop publishes on demand, never by "
         "stopping the loop: a query finding the latest snapshot older than 10 ms asks the loop "
         "for a new one (built between two events) and is answered at once from the one it has "
         "while that is at most 250 ms old; only an older one (or none yet) waits for the new one, "
         "at most 2 s. A query's answer says which snapshot answered (`snapshot.sequence`, "
         "`snapshot.clock_ns`; `status` gives its age). After a command the loop publishes a "
         "snapshot at once, so a query that follows sees its effect. Numbers are JSON numbers: "
         "money in the quote currency, quantities in base units, prices in quote per base, times "
         "in ns since epoch UTC.\n\n"
      << "## Requests\n\n";
  markdown_fields(out, request_envelope(), true);
  out << "Every other field belongs to the request named; an unknown field, a missing required "
         "one or a wrong type is refused with every problem named.\n\n"
      << "## Answers\n\nA query's answer:\n\n";
  markdown_fields(out, answer_envelope(RequestKind::kQuery), false);
  out << "A command's answer:\n\n";
  markdown_fields(out, answer_envelope(RequestKind::kCommand), false);
  out << "Fields marked *(varies)* differ between two identical requests (clocks, measured "
         "pauses); everything else is the same for the same state.\n\n";
  for (RequestKind kind : {RequestKind::kQuery, RequestKind::kCommand}) {
    out << (kind == RequestKind::kQuery ? "## Queries\n\n" : "## Commands\n\n");
    for (const RequestSpec& spec : control_api()) {
      if (spec.kind != kind) continue;
      out << "### `" << spec.name << "`\n\n" << spec.summary << "\n\n"
          << "`{\"" << (kind == RequestKind::kQuery ? "query" : "command") << "\":\""
          << spec.name << "\"";
      for (const FieldSpec& field : spec.args) {
        if (field.required) out << ",\"" << field.name << "\":...";
      }
      out << "}`\n\nArguments:\n\n";
      markdown_fields(out, spec.args, true);
      out << "Result:\n\n";
      markdown_fields(out, spec.result, false);
    }
  }
  return out.str();
}

}  // namespace cephalo
