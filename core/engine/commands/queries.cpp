// The query handlers: each reads one immutable snapshot (and the log ring) on the asking thread,
// so the loop does none of this work.
// Thread-safety: pure functions of the snapshot; any thread.
#include <cephalo/tentacle.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_set>

#include "engine/commands/bot_snapshot.hpp"
#include "engine/commands/handlers.hpp"
#include "engine/commands/log_ring.hpp"
#include "indicators/indicator_spec.hpp"
#include "report/slot_comparison.hpp"
#include "risk/risk_verdict.hpp"

namespace cephalo::handlers {

namespace {

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t integer_arg(const nlohmann::json& request, const char* name, int64_t otherwise,
                    int64_t low, int64_t high) {
  if (!request.contains(name)) return otherwise;
  const int64_t value = request[name].get<int64_t>();
  if (value < low || value > high) {
    throw RequestError(std::string("field '") + name + "' must be between " + std::to_string(low) +
                       " and " + std::to_string(high) + ", found " + std::to_string(value));
  }
  return value;
}

std::string string_arg(const nlohmann::json& request, const char* name, std::string otherwise) {
  return request.contains(name) ? request[name].get<std::string>() : std::move(otherwise);
}

// The slots a request names: its "slot", or every slot.
std::vector<const SlotSnapshot*> selected_slots(const BotSnapshot& snapshot,
                                                const nlohmann::json& request) {
  const std::string wanted = string_arg(request, "slot", "");
  std::vector<const SlotSnapshot*> slots;
  std::string known;
  for (const SlotSnapshot& slot : snapshot.slots) {
    if (wanted.empty() || slot.name == wanted) slots.push_back(&slot);
    known += (known.empty() ? "" : ", ") + slot.name;
  }
  if (slots.empty()) throw RequestError("no slot named '" + wanted + "' (slots: " + known + ")");
  return slots;
}

nlohmann::json order_json(const std::string& slot, const OrderRow& order) {
  return {{"slot", slot},
          {"client_order_id", order.client_order_id},
          {"symbol", order.symbol},
          {"side", order.side},
          {"type", order.type},
          {"time_in_force", order.time_in_force},
          {"status", order.status},
          {"quantity", order.quantity},
          {"remaining", order.remaining},
          {"price", order.price},
          {"stop_price", order.stop_price},
          {"created_ns", order.created_ns},
          {"updated_ns", order.updated_ns},
          {"tag", order.tag}};
}

nlohmann::json trade_json(const std::string& slot, const ClosedTrade& trade) {
  return {{"slot", slot},
          {"pair", trade.pair},
          {"entry_time_ns", trade.entry_time_ns},
          {"entry_price", trade.entry_price},
          {"exit_time_ns", trade.exit_time_ns},
          {"exit_price", trade.exit_price},
          {"quantity", trade.quantity},
          {"fees", trade.fees},
          {"pnl", trade.pnl},
          {"exit_reason", trade.exit_reason}};
}

// One slot's records for a page: how many, the time of record i (0 the oldest; times do not
// decrease with i) and its JSON.
struct PageSource {
  size_t size = 0;
  std::function<int64_t(size_t)> time;
  std::function<nlohmann::json(size_t)> json;
};

// One page, newest first, across the slots' records (ties: the earlier slot, then the later
// record). Only the records the page can reach are looked at, and only the page's are made JSON:
// a run's whole history is not copied for a page of 50.
nlohmann::json page(const std::vector<PageSource>& sources, const char* array,
                    const nlohmann::json& request) {
  const int64_t offset = integer_arg(request, "offset", 0, 0, INT64_MAX);
  const int64_t limit = integer_arg(request, "limit", 50, 1, 1000);
  const size_t needed = static_cast<size_t>(std::min<int64_t>(offset + limit, INT64_MAX / 2));
  struct Candidate {
    int64_t time_ns;
    size_t source, index;
  };
  std::vector<Candidate> candidates;
  size_t total = 0;
  for (size_t s = 0; s < sources.size(); ++s) {
    const PageSource& source = sources[s];
    total += source.size;
    const size_t first = source.size > needed ? source.size - needed : 0;
    for (size_t i = source.size; i-- > first;) candidates.push_back({source.time(i), s, i});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.time_ns != b.time_ns) return a.time_ns > b.time_ns;
    return a.source < b.source;
  });
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = static_cast<size_t>(std::min<int64_t>(offset, candidates.size()));
       i < candidates.size() && items.size() < static_cast<size_t>(limit); ++i) {
    items.push_back(sources[candidates[i].source].json(candidates[i].index));
  }
  return {{"total", total}, {"offset", offset}, {array, std::move(items)}};
}

constexpr int64_t kNsPerDay = 86'400'000'000'000;

// The day (since 1970-01-01, UTC) a time in ns falls on.
int64_t day_of(int64_t time_ns) {
  return time_ns >= 0 ? time_ns / kNsPerDay : -((-time_ns + kNsPerDay - 1) / kNsPerDay);
}

std::chrono::year_month_day date_of(int64_t day) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}};
}

// The first day of the period `day` falls in (day, ISO week from Monday, or month), as a day
// number: arithmetic only, since the pnl query buckets every closed trade.
int64_t period_start(int64_t day, const std::string& period) {
  if (period == "week") return day - ((day + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
  if (period == "month") {
    const auto date = date_of(day);
    return std::chrono::sys_days{date.year() / date.month() / 1}.time_since_epoch().count();
  }
  return day;
}

// 2024-01-31, 2024-W05 (ISO: the week's Thursday names the year) or 2024-01.
std::string period_label(int64_t start, const std::string& period) {
  char label[32];
  if (period == "week") {
    const auto thursday = date_of(start + 3);
    const int64_t january_first =
        std::chrono::sys_days{thursday.year() / 1 / 1}.time_since_epoch().count();
    const long long week = (start + 3 - january_first) / 7 + 1;
    std::snprintf(label, sizeof label, "%04d-W%02lld", static_cast<int>(thursday.year()), week);
    return label;
  }
  const auto date = date_of(start);
  if (period == "month") {
    std::snprintf(label, sizeof label, "%04d-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()));
  } else {
    std::snprintf(label, sizeof label, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  }
  return label;
}

nlohmann::json nullable(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nullable(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ping(const QueryEnv&, const nlohmann::json&) {
  return {{"pong", true}};
}

nlohmann::json status(const QueryEnv& env, const nlohmann::json&) {
  const BotSnapshot& snapshot = env.snapshot;
  const int64_t now = wall_now_ns();
  std::string live_slot;
  for (const SlotSnapshot& slot : snapshot.slots) {
    if (slot.live) live_slot = slot.name;
  }
  return {{"mode", snapshot.mode},
          {"abi", std::to_string(CEPHALO_ABI_MAJOR) + "." + std::to_string(CEPHALO_ABI_MINOR)},
          {"api_version", kControlApiVersion},
          {"started_at_ns", snapshot.started_wall_ns},
          {"uptime_s", static_cast<double>(now - snapshot.started_wall_ns) / 1e9},
          {"clock_ns", snapshot.clock_ns},
          {"events", snapshot.sequence},
          {"connection", snapshot.connection},
          {"stopping", snapshot.stopping},
          {"slots", snapshot.slots.size()},
          {"live_slot", live_slot},
          {"snapshot_age_ms", static_cast<double>(now - snapshot.taken_wall_ns) / 1e6}};
}

nlohmann::json balances(const QueryEnv& env, const nlohmann::json& request) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    if (!slot->has_account) continue;
    const AccountSnapshot& account = slot->account;
    nlohmann::json assets = nlohmann::json::array();
    for (const BalanceRow& balance : account.balances) {
      assets.push_back(
          {{"asset", balance.asset}, {"free", balance.free}, {"locked", balance.locked}});
    }
    accounts.push_back({{"slot", slot->name},
                        {"live", slot->live},
                        {"quote_currency", account.quote_currency},
                        {"cash", account.cash},
                        {"equity", account.equity},
                        {"starting_cash", account.starting_cash},
                        {"balances", std::move(assets)}});
  }
  return {{"accounts", std::move(accounts)}};
}

nlohmann::json positions(const QueryEnv& env, const nlohmann::json& request) {
  nlohmann::json rows = nlohmann::json::array();
  double total = 0;
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    for (const PositionRow& position : slot->account.positions) {
      rows.push_back({{"slot", slot->name},
                      {"symbol", position.symbol},
                      {"quantity", position.quantity},
                      {"entry_price", position.entry_price},
                      {"last_price", position.last_price},
                      {"unrealised_pnl", position.unrealised_pnl},
                      {"entry_time_ns", position.entry_time_ns}});
      total += position.unrealised_pnl;
    }
  }
  return {{"positions", std::move(rows)}, {"total_unrealised_pnl", total}};
}

nlohmann::json open_orders(const QueryEnv& env, const nlohmann::json& request) {
  nlohmann::json rows = nlohmann::json::array();
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    for (const OrderRow& order : slot->account.open_orders) {
      rows.push_back(order_json(slot->name, order));
    }
  }
  return {{"orders", std::move(rows)}};
}

nlohmann::json orders(const QueryEnv& env, const nlohmann::json& request) {
  std::vector<PageSource> sources;
  // Each order's state now is its latest row: the rows of the orders changed last, newest first,
  // one per id (as many as a page can reach), then reversed to the oldest-first order page() reads.
  std::vector<std::vector<const OrderRow*>> latest_rows;
  const int64_t reach = integer_arg(request, "offset", 0, 0, INT64_MAX) +
                        integer_arg(request, "limit", 50, 1, 1000);
  bool available = true;
  const auto slots = selected_slots(env.snapshot, request);
  latest_rows.reserve(slots.size());
  std::vector<size_t> totals;
  for (const SlotSnapshot* slot : slots) {
    available = available && slot->account.has_order_history;
    const auto& updates = slot->account.order_updates;
    std::unordered_set<std::string> seen;
    std::vector<const OrderRow*> rows;
    for (size_t i = updates.size(); i-- > 0;) {
      const OrderRow& row = updates[i];
      if (!seen.insert(row.client_order_id).second) continue;
      if (static_cast<int64_t>(rows.size()) < reach) rows.push_back(&row);
    }
    std::reverse(rows.begin(), rows.end());
    totals.push_back(seen.size());
    latest_rows.push_back(std::move(rows));
  }
  for (size_t s = 0; s < slots.size(); ++s) {
    const auto& rows = latest_rows[s];
    const std::string& name = slots[s]->name;
    sources.push_back({rows.size(), [&rows](size_t i) { return rows[i]->updated_ns; },
                       [&rows, &name](size_t i) { return order_json(name, *rows[i]); }});
  }
  nlohmann::json answer = page(sources, "orders", request);
  size_t total = 0;
  for (size_t count : totals) total += count;
  answer["total"] = total;  // every order the kept changes name, not only those a page reaches
  answer["available"] = available;
  return answer;
}

nlohmann::json fills(const QueryEnv& env, const nlohmann::json& request) {
  std::vector<PageSource> sources;
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    const auto& log = slot->fills;
    const std::string& name = slot->name;
    sources.push_back({log.size(), [&log](size_t i) { return log[i].time_ns; },
                       [&log, &name](size_t i) {
                         const FillRow& fill = log[i];
                         return nlohmann::json{{"slot", name},
                                               {"time_ns", fill.time_ns},
                                               {"symbol", fill.symbol},
                                               {"side", fill.side},
                                               {"client_order_id", fill.client_order_id},
                                               {"quantity", fill.quantity},
                                               {"price", fill.price},
                                               {"fee", fill.fee},
                                               {"fee_currency", fill.fee_currency}};
                       }});
  }
  return page(sources, "fills", request);
}

nlohmann::json trades(const QueryEnv& env, const nlohmann::json& request) {
  std::vector<PageSource> sources;
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    const auto& log = slot->trades;
    const std::string& name = slot->name;
    sources.push_back({log.size(), [&log](size_t i) { return log[i].exit_time_ns; },
                       [&log, &name](size_t i) { return trade_json(name, log[i]); }});
  }
  return page(sources, "trades", request);
}

nlohmann::json performance(const QueryEnv& env, const nlohmann::json& request) {
  nlohmann::json rows = nlohmann::json::array();
  int64_t total_trades = 0;
  double total_pnl = 0;
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    struct Pair {
      int64_t trades = 0, wins = 0, losses = 0;
      double pnl = 0, fees = 0, best = 0, worst = 0;
    };
    std::map<std::string, Pair> pairs;  // pair order
    for (size_t i = 0; i < slot->trades.size(); ++i) {
      const ClosedTrade& trade = slot->trades[i];
      Pair& pair = pairs[trade.pair];
      pair.best = pair.trades == 0 ? trade.pnl : std::max(pair.best, trade.pnl);
      pair.worst = pair.trades == 0 ? trade.pnl : std::min(pair.worst, trade.pnl);
      ++pair.trades;
      pair.wins += trade.pnl > 0 ? 1 : 0;
      pair.losses += trade.pnl < 0 ? 1 : 0;
      pair.pnl += trade.pnl;
      pair.fees += trade.fees;
    }
    for (const auto& [name, pair] : pairs) {
      rows.push_back({{"slot", slot->name},
                      {"pair", name},
                      {"trades", pair.trades},
                      {"wins", pair.wins},
                      {"losses", pair.losses},
                      {"win_rate", static_cast<double>(pair.wins) / pair.trades},
                      {"pnl", pair.pnl},
                      {"fees", pair.fees},
                      {"average_pnl", pair.pnl / pair.trades},
                      {"best_pnl", pair.best},
                      {"worst_pnl", pair.worst}});
      total_trades += pair.trades;
      total_pnl += pair.pnl;
    }
  }
  return {{"pairs", std::move(rows)}, {"total_trades", total_trades}, {"total_pnl", total_pnl}};
}

nlohmann::json pnl(const QueryEnv& env, const nlohmann::json& request) {
  const std::string period = string_arg(request, "period", "day");
  if (period != "day" && period != "week" && period != "month") {
    throw RequestError("field 'period' must be day, week or month, found '" + period + "'");
  }
  const int64_t limit = integer_arg(request, "limit", 30, 1, 1000);
  struct Bucket {
    int64_t trades = 0;
    double pnl = 0;
  };
  nlohmann::json periods = nlohmann::json::array();
  std::vector<std::pair<int64_t, nlohmann::json>> rows;  // (start, row)
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    std::map<int64_t, Bucket> buckets;  // by the period's first day
    for (size_t i = 0; i < slot->trades.size(); ++i) {
      const ClosedTrade& trade = slot->trades[i];
      Bucket& bucket = buckets[period_start(day_of(trade.exit_time_ns), period)];
      ++bucket.trades;
      bucket.pnl += trade.pnl;
    }
    for (const auto& [start, bucket] : buckets) {
      rows.emplace_back(start, nlohmann::json{{"slot", slot->name},
                                              {"label", period_label(start, period)},
                                              {"start_ns", start * kNsPerDay},
                                              {"trades", bucket.trades},
                                              {"pnl", bucket.pnl}});
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [start, row] : rows) {
    if (periods.size() >= static_cast<size_t>(limit)) break;
    periods.push_back(std::move(row));
  }
  return {{"period", period}, {"periods", std::move(periods)}};
}

nlohmann::json equity(const QueryEnv& env, const nlohmann::json& request) {
  const auto points = static_cast<size_t>(integer_arg(request, "points", 200, 2, 1000));
  nlohmann::json curves = nlohmann::json::array();
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    if (!slot->has_account) continue;
    const std::vector<EquityPoint>& curve = slot->equity;
    nlohmann::json list = nlohmann::json::array();
    const size_t count = std::min(points, curve.size());
    // Evenly spread over the snapshot's points, first and last included.
    for (size_t k = 0; k < count; ++k) {
      const size_t i = count == 1 ? curve.size() - 1 : k * (curve.size() - 1) / (count - 1);
      list.push_back({{"time_ns", curve[i].time_ns}, {"equity", curve[i].equity}});
    }
    curves.push_back({{"slot", slot->name}, {"points", std::move(list)}});
  }
  return {{"curves", std::move(curves)}};
}

nlohmann::json candles(const QueryEnv& env, const nlohmann::json& request) {
  const std::string symbol = request["symbol"].get<std::string>();
  const std::string timeframe = request["timeframe"].get<std::string>();
  const auto limit = static_cast<size_t>(integer_arg(request, "limit", 100, 1, 500));
  const SeriesSnapshot* series = nullptr;
  std::string known;
  for (const SeriesSnapshot& candidate : env.snapshot.series) {
    if (candidate.symbol == symbol && candidate.timeframe == timeframe) series = &candidate;
    known += (known.empty() ? "" : ", ") + candidate.symbol + " " + candidate.timeframe;
  }
  if (series == nullptr) {
    throw RequestError("no candles of " + symbol + " " + timeframe + " (series: " +
                       (known.empty() ? "none yet" : known) + ")");
  }
  // Each indicator runs over every candle the snapshot holds, so the answered ones are warm.
  std::vector<std::string> specs;
  std::vector<std::unique_ptr<StreamingIndicator>> indicators;
  if (request.contains("indicators")) {
    std::string problems;
    for (const auto& item : request["indicators"]) {
      if (!item.is_string()) {
        problems += (problems.empty() ? "" : "; ") + std::string("indicator specs are strings");
        continue;
      }
      auto made = make_indicator(item.get<std::string>());
      if (!made.ok()) {
        problems += (problems.empty() ? "" : "; ") + made.error();
        continue;
      }
      specs.push_back(item.get<std::string>());
      indicators.push_back(std::move(made.value()));
    }
    if (!problems.empty()) throw RequestError(problems);
  }
  const auto& rows = series->candles;
  const size_t first = rows.size() - std::min(limit, rows.size());
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    nlohmann::json values = nlohmann::json::object();
    for (size_t k = 0; k < indicators.size(); ++k) {
      StreamingIndicator& indicator = *indicators[k];
      indicator.update(IndicatorBar{row.open, row.high, row.low, row.close, row.volume});
      if (i < first) continue;
      if (!indicator.ready()) {
        values[specs[k]] = nullptr;
        continue;
      }
      nlohmann::json outputs = nlohmann::json::array();
      for (size_t o = 0; o < indicator.output_count(); ++o) {
        outputs.push_back(nullable(indicator.value(o)));
      }
      values[specs[k]] = std::move(outputs);
    }
    if (i < first) continue;
    list.push_back({{"open_time_ns", row.open_time_ns},
                    {"open", row.open},
                    {"high", row.high},
                    {"low", row.low},
                    {"close", row.close},
                    {"volume", row.volume},
                    {"indicators", std::move(values)}});
  }
  return {{"symbol", symbol}, {"timeframe", timeframe}, {"candles", std::move(list)}};
}

nlohmann::json risk(const QueryEnv& env, const nlohmann::json& request) {
  nlohmann::json rows = nlohmann::json::array();
  for (const SlotSnapshot* slot : selected_slots(env.snapshot, request)) {
    if (!slot->has_risk) continue;
    const RiskCounts& counts = slot->counts;
    nlohmann::json tiers = nlohmann::json::object();
    for (RiskTier tier : {RiskTier::kPosition, RiskTier::kStrategy, RiskTier::kAccount}) {
      const RiskRuleCount count = counts.of(tier);
      tiers[risk_tier_name(tier)] = {{"passed", count.passed}, {"refused", count.refused}};
    }
    nlohmann::json rules = nlohmann::json::object();
    for (size_t i = 0; i < kRiskRuleCount; ++i) {
      const auto rule = static_cast<RiskRule>(i);
      const RiskRuleCount& count = counts.of(rule);
      if (count.passed + count.refused == 0) continue;
      rules[risk_rule_name(rule)] = {{"tier", risk_tier_name(tier_of(rule))},
                                     {"passed", count.passed},
                                     {"refused", count.refused}};
    }
    const RiskState& state = slot->risk;
    rows.push_back({{"slot", slot->name},
                    {"killed", state.killed},
                    {"drawdown_halted", state.drawdown_halted},
                    {"daily_loss_halted", state.daily_loss_halted},
                    {"loss_paused", state.loss_paused},
                    {"entries_paused", state.entries_paused},
                    {"pause_reason", slot->pause_reason},
                    {"consecutive_losses", state.consecutive_losses},
                    {"start_of_day_equity", state.start_of_day_equity},
                    {"peak_equity", state.peak_equity},
                    {"intents", counts.intents},
                    {"allowed", counts.allowed},
                    {"refused", counts.refused},
                    {"exits", counts.exits},
                    {"kills", counts.kills},
                    {"by_tier", std::move(tiers)},
                    {"by_rule", std::move(rules)}});
  }
  return {{"slots", std::move(rows)}};
}

nlohmann::json tentacles(const QueryEnv& env, const nlohmann::json&) {
  nlohmann::json rows = nlohmann::json::array();
  if (!env.snapshot.tentacles) return {{"tentacles", std::move(rows)}};
  for (const TentacleRow& row : *env.snapshot.tentacles) {
    rows.push_back({{"name", row.name},
                    {"kind", row.kind},
                    {"version", row.version},
                    {"abi", row.abi},
                    {"slot", row.slot},
                    {"status", row.status},
                    {"failure", row.failure},
                    {"library", row.library},
                    {"sha256", row.sha256},
                    {"author", row.author},
                    {"license", row.license},
                    {"signer", nullptr}});
  }
  return {{"tentacles", std::move(rows)}};
}

nlohmann::json swaps(const QueryEnv& env, const nlohmann::json& request) {
  const auto& log = env.snapshot.swaps;
  const PageSource source{log.size(), [&log](size_t i) { return log[i].time_ns; },
                          [&log](size_t i) {
                            const TentacleSwapRecord& swap = log[i];
                            return nlohmann::json{
                                {"time_ns", swap.time_ns},
                                {"tentacle", swap.name},
                                {"kind", swap.kind},
                                {"from_version", swap.from_version},
                                {"to_version", swap.to_version},
                                {"trigger", swap.trigger},
                                {"pause_us", static_cast<double>(swap.pause_ns) / 1000.0},
                                {"state_bytes", swap.state_bytes},
                                {"handoff", swap.handoff},
                                {"outcome", swap.outcome},
                                {"unload", swap.unload},
                                {"message", swap.message}};
                          }};
  return page({source}, "swaps", request);
}

nlohmann::json slots(const QueryEnv& env, const nlohmann::json&) {
  const BotSnapshot& snapshot = env.snapshot;
  nlohmann::json rows = nlohmann::json::array();
  std::vector<BacktestInput> inputs;  // per slot: its trades, for the comparison
  for (const SlotSnapshot& slot : snapshot.slots) {
    double pnl = 0;
    BacktestInput input;
    for (size_t i = 0; i < slot.trades.size(); ++i) {
      pnl += slot.trades[i].pnl;
      input.trades.push_back(slot.trades[i]);
    }
    const double equity = slot.has_account ? slot.account.equity : 0;
    const double start = slot.has_account ? slot.account.starting_cash : 0;
    rows.push_back({{"name", slot.name},
                    {"live", slot.live},
                    {"pending_promotion", slot.pending_promotion},
                    {"equity", equity},
                    {"return", start > 0 ? equity / start - 1 : 0.0},
                    {"trades", slot.trades.size()},
                    {"pnl", pnl}});
    inputs.push_back(std::move(input));
  }
  nlohmann::json pending = nullptr;
  if (snapshot.pending_promotion) {
    pending = {{"slot", snapshot.pending_promotion->slot},
               {"waiting_for", snapshot.pending_promotion->waiting_for},
               {"now", snapshot.pending_promotion->now}};
  }
  nlohmann::json comparison = nlohmann::json::array();
  for (size_t i = 1; i < inputs.size(); ++i) {
    const DifferenceEstimate estimate = bootstrap_mean_difference(
        trade_returns(inputs.front()), trade_returns(inputs[i]), BootstrapSettings{});
    comparison.push_back({{"slot", snapshot.slots[i].name},
                          {"baseline", snapshot.slots.front().name},
                          {"mean_trade_return",
                           {{"difference", optional_number(estimate.difference)},
                            {"low", optional_number(estimate.low)},
                            {"high", optional_number(estimate.high)},
                            {"significant", estimate.significant},
                            {"baseline_trades", estimate.baseline_count},
                            {"trades", estimate.other_count}}}});
  }
  return {{"slots", std::move(rows)},
          {"pending", std::move(pending)},
          {"comparison", std::move(comparison)}};
}

nlohmann::json config(const QueryEnv& env, const nlohmann::json&) {
  return {{"file", env.snapshot.config_file},
          {"text", env.snapshot.config_text ? *env.snapshot.config_text : std::string()}};
}

nlohmann::json logs(const QueryEnv& env, const nlohmann::json& request) {
  const auto limit = static_cast<size_t>(integer_arg(request, "limit", 100, 1, 1000));
  const std::string level_name = string_arg(request, "level", "info");
  const auto level = spdlog::level::from_str(level_name);
  if (level == spdlog::level::off && level_name != "off") {
    throw RequestError("field 'level' must be trace, debug, info, warning, error or critical, "
                       "found '" + level_name + "'");
  }
  nlohmann::json lines = nlohmann::json::array();
  uint64_t dropped = 0;
  if (env.logs != nullptr) {
    for (const LogLine& line : env.logs->lines(limit, static_cast<int>(level), &dropped)) {
      lines.push_back({{"time_ns", line.time_ns}, {"level", line.level}, {"text", line.text}});
    }
  }
  return {{"lines", std::move(lines)}, {"dropped", dropped}};
}

}  // namespace cephalo::handlers
