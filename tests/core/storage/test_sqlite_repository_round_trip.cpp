// Every record type written through SqliteRepository reads back field for field, also after the
// file is closed and opened again; keys are unique per run, and a repeated key is reported.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "storage/sqlite_repository.hpp"
#include "storage/text.hpp"
#include "temp_folder.hpp"

namespace cephalo {
namespace {

constexpr std::int64_t kTime = 1'700'000'000'123'456'789;  // 2023-11-14, in ns

std::unique_ptr<SqliteRepository> open_or_fail(const std::filesystem::path& file,
                                               SqliteOptions options = {}) {
  auto opened = SqliteRepository::open(file, options);
  REQUIRE_MESSAGE(opened.ok(), opened.error());
  return std::move(opened).value();
}

template <class T>
T value_or_fail(Result<T> result) {
  REQUIRE_MESSAGE(result.ok(), result.error());
  return std::move(result).value();
}

EventRecord sample_event() {
  return {42, "candle_closed", kTime, kTime + 1'500,
          R"({"symbol":"BTC/USDT","note":"it's \"ok\""})"};
}
CandleRecord sample_candle(std::int64_t open_time_ns) {
  return {"BTC/USDT", "1m", open_time_ns, 37000.5, 37100.25, 36950.125, 0.1 + 0.2, 12.345678901};
}
EvaluationRecord sample_evaluation() {
  return {43, kTime, "ETH/USDT", "rsi", -0.75, std::numeric_limits<double>::quiet_NaN()};
}
SignalRecord sample_signal() {
  return {44, kTime, "BTC/USDT", "sma_crossover", "enter_long", 0.8, 0.9, 36000.0, std::nullopt};
}
OrderIntentRecord sample_intent() {
  return {44,      kTime, "BTC/USDT", "spot",  "slot-a", "buy",
          "limit", "gtc", 0.015,      37000.0, {},       "entry"};
}
RiskVerdictRecord sample_verdict() {
  return {45,
          kTime,
          "account",
          "max_exposure",
          44,
          false,
          "exposure 0.6 > limit 0.5",
          0.6,
          std::numeric_limits<double>::infinity(),
          "slot-b"};
}
OrderRecord sample_order(const std::string& id, const std::string& status,
                         std::int64_t updated_ns) {
  return {id,    46,      kTime, "BTC/USDT", "buy",    "limit", "gtc",
          0.015, 37000.0, {},    status,     "slot-a", "",      updated_ns};
}
FillRecord sample_fill(const std::string& trade_id) {
  return {trade_id, "c-1", kTime, "BTC/USDT", "buy", 0.005, 37000.0, 0.0000075, "BTC"};
}
TradeRecord sample_trade() {
  return {"BTC/USDT", kTime, 37000.0,      kTime + 3'600'000'000'000, 37500.0, 0.015,
          0.555,      6.945, "take_profit"};
}
BalanceRecord sample_balance() {
  return {kTime, "USDT", 9444.45, 555.0, "fill t-1"};
}
TentacleLoadRecord sample_load() {
  return {kTime,
          "rsi",
          "evaluator",
          "1.2.0",
          "/opt/cephalo/tentacles/librsi.so",
          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          "refused",
          "ABI major 2 does not match host 1 — naïve ünïcode kept"};
}

void check_all_samples(const SqliteRepository& repository) {
  const auto events = value_or_fail(repository.events());
  REQUIRE(events.size() == 1);
  CHECK(events[0].sequence == 42);
  CHECK(events[0].type == "candle_closed");
  CHECK(events[0].exchange_time_ns == kTime);
  CHECK(events[0].receive_time_ns == kTime + 1'500);
  CHECK(events[0].payload_json == sample_event().payload_json);

  const auto candles = value_or_fail(repository.candles("BTC/USDT", "1m"));
  REQUIRE(candles.size() == 1);
  CHECK(candles[0].symbol == "BTC/USDT");
  CHECK(candles[0].timeframe == "1m");
  CHECK(candles[0].open_time_ns == kTime);
  CHECK(candles[0].open == 37000.5);
  CHECK(candles[0].high == 37100.25);
  CHECK(candles[0].low == 36950.125);
  CHECK(candles[0].close == 0.1 + 0.2);  // bit-exact, not approximately
  CHECK(candles[0].volume == 12.345678901);
  CHECK(value_or_fail(repository.candles("BTC/USDT", "1h")).empty());

  const auto evaluations = value_or_fail(repository.evaluations());
  REQUIRE(evaluations.size() == 1);
  CHECK(evaluations[0].sequence == 43);
  CHECK(evaluations[0].time_ns == kTime);
  CHECK(evaluations[0].symbol == "ETH/USDT");
  CHECK(evaluations[0].evaluator == "rsi");
  CHECK(evaluations[0].value == -0.75);
  CHECK(std::isnan(evaluations[0].confidence));

  const auto signals = value_or_fail(repository.signals());
  REQUIRE(signals.size() == 1);
  CHECK(signals[0].sequence == 44);
  CHECK(signals[0].time_ns == kTime);
  CHECK(signals[0].symbol == "BTC/USDT");
  CHECK(signals[0].strategy == "sma_crossover");
  CHECK(signals[0].intent == "enter_long");
  CHECK(signals[0].strength == 0.8);
  CHECK(signals[0].confidence == 0.9);
  CHECK(signals[0].stop_price == std::optional<double>(36000.0));
  CHECK_FALSE(signals[0].target_price.has_value());

  const auto verdicts = value_or_fail(repository.risk_verdicts());
  REQUIRE(verdicts.size() == 1);
  CHECK(verdicts[0].sequence == 45);
  CHECK(verdicts[0].time_ns == kTime);
  CHECK(verdicts[0].tier == "account");
  CHECK(verdicts[0].rule == "max_exposure");
  CHECK(verdicts[0].intent_sequence == 44);
  CHECK_FALSE(verdicts[0].allowed);
  CHECK(verdicts[0].reason == "exposure 0.6 > limit 0.5");
  CHECK(verdicts[0].value == 0.6);
  CHECK(verdicts[0].limit == std::numeric_limits<double>::infinity());
  CHECK(verdicts[0].slot == "slot-b");

  const auto intents = value_or_fail(repository.run_rows<OrderIntentRecord>(1));
  REQUIRE(intents.size() == 1);
  CHECK(intents[0].sequence == 44);
  CHECK(intents[0].time_ns == kTime);
  CHECK(intents[0].symbol == "BTC/USDT");
  CHECK(intents[0].trading_mode == "spot");
  CHECK(intents[0].slot == "slot-a");
  CHECK(intents[0].side == "buy");
  CHECK(intents[0].type == "limit");
  CHECK(intents[0].time_in_force == "gtc");
  CHECK(intents[0].quantity == 0.015);
  CHECK(intents[0].price == std::optional<double>(37000.0));
  CHECK_FALSE(intents[0].stop_price.has_value());
  CHECK(intents[0].tag == "entry");

  const auto orders = value_or_fail(repository.orders());
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].client_order_id == "c-1");
  CHECK(orders[0].sequence == 46);
  CHECK(orders[0].time_ns == kTime);
  CHECK(orders[0].symbol == "BTC/USDT");
  CHECK(orders[0].side == "buy");
  CHECK(orders[0].type == "limit");
  CHECK(orders[0].time_in_force == "gtc");
  CHECK(orders[0].quantity == 0.015);
  CHECK(orders[0].price == std::optional<double>(37000.0));
  CHECK_FALSE(orders[0].stop_price.has_value());
  CHECK(orders[0].status == "new");
  CHECK(orders[0].tag == "slot-a");
  CHECK(orders[0].venue_order_id.empty());
  CHECK(orders[0].updated_time_ns == kTime);

  const auto fills = value_or_fail(repository.fills());
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].trade_id == "t-1");
  CHECK(fills[0].client_order_id == "c-1");
  CHECK(fills[0].time_ns == kTime);
  CHECK(fills[0].symbol == "BTC/USDT");
  CHECK(fills[0].side == "buy");
  CHECK(fills[0].quantity == 0.005);
  CHECK(fills[0].price == 37000.0);
  CHECK(fills[0].fee == 0.0000075);
  CHECK(fills[0].fee_currency == "BTC");

  const auto trades = value_or_fail(repository.trades());
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].pair == "BTC/USDT");
  CHECK(trades[0].entry_time_ns == kTime);
  CHECK(trades[0].entry_price == 37000.0);
  CHECK(trades[0].exit_time_ns == kTime + 3'600'000'000'000);
  CHECK(trades[0].exit_price == 37500.0);
  CHECK(trades[0].quantity == 0.015);
  CHECK(trades[0].fees == 0.555);
  CHECK(trades[0].pnl == 6.945);
  CHECK(trades[0].exit_reason == "take_profit");

  const auto balances = value_or_fail(repository.balances());
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].time_ns == kTime);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == 9444.45);
  CHECK(balances[0].locked == 555.0);
  CHECK(balances[0].reason == "fill t-1");

  const auto loads = value_or_fail(repository.tentacle_loads());
  REQUIRE(loads.size() == 1);
  CHECK(loads[0].time_ns == kTime);
  CHECK(loads[0].name == "rsi");
  CHECK(loads[0].kind == "evaluator");
  CHECK(loads[0].version == "1.2.0");
  CHECK(loads[0].file == "/opt/cephalo/tentacles/librsi.so");
  CHECK(loads[0].sha256 == sample_load().sha256);
  CHECK(loads[0].status == "refused");
  CHECK(loads[0].message == sample_load().message);
}

TEST_CASE("every record type round-trips through a SQLite file, also after reopening") {
  test::TempFolder folder;
  const auto file = folder.file("journal.sqlite");
  std::int64_t run_id = 0;
  {
    auto repository = open_or_fail(file);
    run_id = value_or_fail(repository->start_run(kTime, "backtest", R"({"storage":{}})"));
    CHECK(run_id > 0);
    repository->record(sample_event());
    repository->record(sample_candle(kTime));
    repository->record(sample_evaluation());
    repository->record(sample_signal());
    repository->record(sample_intent());
    repository->record(sample_verdict());
    repository->record(sample_order("c-1", "new", kTime));
    repository->record(sample_fill("t-1"));
    repository->record(sample_trade());
    repository->record(sample_balance());
    repository->record(sample_load());
    const Status flushed = repository->flush();
    REQUIRE_MESSAGE(flushed.ok(), flushed.error());
    check_all_samples(*repository);
    REQUIRE(repository->finish_run(run_id, kTime + 10, "completed").ok());
    CHECK_FALSE(repository->problems().any());
  }
  auto reopened = open_or_fail(file);
  check_all_samples(*reopened);
  const auto runs = value_or_fail(reopened->runs());
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].id == run_id);
  CHECK(runs[0].started_ns == kTime);
  CHECK(runs[0].mode == "backtest");
  CHECK(runs[0].config_json == R"({"storage":{}})");
  CHECK(runs[0].finished_ns == std::optional<std::int64_t>(kTime + 10));
  CHECK(runs[0].outcome == "completed");
  CHECK(value_or_fail(reopened->count_by_run("fills")) ==
        std::vector<std::pair<std::int64_t, std::int64_t>>{{run_id, 1}});
}

TEST_CASE("a second run gets a new id and an unknown run cannot be finished") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("runs.sqlite"));
  const auto first = value_or_fail(repository->start_run(1, "paper", "{}"));
  const auto second = value_or_fail(repository->start_run(2, "live", "{}"));
  CHECK(second != first);
  const Status missing = repository->finish_run(second + 100, 3, "completed");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find(storage_text::cat("no run with id ", std::to_string(second + 100))) !=
        std::string::npos);
  const auto runs = value_or_fail(repository->runs());
  REQUIRE(runs.size() == 2);
  CHECK_FALSE(runs[0].finished_ns.has_value());
  CHECK_FALSE(runs[1].finished_ns.has_value());
}

// Regression (issue 14): two backtests into one file lost the second's rows whose keys (bt-1,
// bt-fill-1, ...) the first had stored, without a word.
TEST_CASE("rows of two runs with the same keys are both kept, each under its run") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("two_runs.sqlite"));
  const auto first = value_or_fail(repository->start_run(1, "backtest", "{}"));
  repository->record(sample_order("bt-1", "filled", kTime));
  repository->record(sample_fill("bt-fill-1"));
  repository->record(sample_candle(kTime));
  const auto second = value_or_fail(repository->start_run(2, "backtest", "{}"));
  OrderRecord other = sample_order("bt-1", "rejected", kTime - 5);  // older than run 1's
  repository->record(other);
  repository->record(sample_fill("bt-fill-1"));
  repository->record(sample_candle(kTime));
  REQUIRE(repository->flush().ok());
  CHECK_FALSE(repository->problems().any());
  for (const auto run : {first, second}) {
    CHECK(value_or_fail(repository->run_rows<OrderRecord>(run)).size() == 1);
    CHECK(value_or_fail(repository->run_rows<FillRecord>(run)).size() == 1);
    CHECK(value_or_fail(repository->run_rows<CandleRecord>(run)).size() == 1);
  }
  CHECK(value_or_fail(repository->run_rows<OrderRecord>(second)).at(0).status == "rejected");
  CHECK(value_or_fail(repository->run_rows<OrderRecord>(first)).at(0).status == "filled");
}

// A run's rows are found by the rowids it started from (no index on run_id): two programs
// writing one file interleave their rows, and each run still reads back exactly its own.
TEST_CASE("two programs writing one file at once: each run reads back its own rows") {
  test::TempFolder folder;
  const auto file = folder.file("shared.sqlite");
  auto first = open_or_fail(file);
  const auto run_a = value_or_fail(first->start_run(1, "paper", "{}"));
  first->record(sample_fill("a-1"));
  REQUIRE(first->flush().ok());
  auto second = open_or_fail(file);
  const auto run_b = value_or_fail(second->start_run(2, "paper", "{}"));
  for (int i = 0; i < 3; ++i) {
    first->record(sample_fill("a-" + std::to_string(i + 2)));
    REQUIRE(first->flush().ok());
    second->record(sample_fill("b-" + std::to_string(i + 1)));
    REQUIRE(second->flush().ok());
  }
  REQUIRE(second->finish_run(run_b, 3, "completed").ok());
  first->record(sample_fill("a-5"));  // run a writes on after run b finished
  REQUIRE(first->flush().ok());
  auto ids = [&](std::int64_t run) {
    std::vector<std::string> trade_ids;
    for (const auto& fill : value_or_fail(first->run_rows<FillRecord>(run))) {
      trade_ids.push_back(fill.trade_id);
    }
    return trade_ids;
  };
  CHECK(ids(run_a) == std::vector<std::string>{"a-1", "a-2", "a-3", "a-4", "a-5"});
  CHECK(ids(run_b) == std::vector<std::string>{"b-1", "b-2", "b-3"});
  REQUIRE(first->finish_run(run_a, 4, "completed").ok());
  CHECK(ids(run_a).size() == 5);
  // Deleting one run leaves the other's rows.
  const auto deleted = value_or_fail(first->delete_run(run_a));
  REQUIRE(deleted.size() == 1);
  CHECK(deleted[0] == std::pair<std::string, std::int64_t>{"fills", 5});
  CHECK(ids(run_b).size() == 3);
  CHECK(value_or_fail(first->count("fills")) == 3);
  CHECK(value_or_fail(first->runs()).size() == 1);
}

TEST_CASE("a candle recorded twice in one run is refused by its key; the first one stays") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("candles.sqlite"));
  const auto run = value_or_fail(repository->start_run(1, "paper", "{}"));
  repository->record(sample_candle(kTime));
  CandleRecord replayed = sample_candle(kTime);
  replayed.close = 1.0;
  repository->record(replayed);
  repository->record(sample_candle(kTime + 60'000'000'000));
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(flushed.error().find(storage_text::cat("table candles, key (run ", std::to_string(run),
                                               ", symbol 'BTC/USDT', timeframe '1m', open_time_ns ",
                                               std::to_string(kTime), ")")) != std::string::npos);
  const auto candles = value_or_fail(repository->candles("BTC/USDT", "1m"));
  REQUIRE(candles.size() == 2);
  CHECK(candles[0].open_time_ns == kTime);
  CHECK(candles[0].close == 0.1 + 0.2);
  CHECK(candles[1].open_time_ns == kTime + 60'000'000'000);
  CHECK(repository->problems().refused == 1);
}

TEST_CASE("a fill resent with the same trade_id in one run is refused by name, not ignored") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("fills.sqlite"));
  (void)value_or_fail(repository->start_run(1, "live", "{}"));
  repository->record(sample_fill("t-1"));
  FillRecord resent = sample_fill("t-1");
  resent.quantity = 99;
  repository->record(resent);
  repository->record(sample_fill("t-2"));
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(flushed.error().find("trade_id 't-1'") != std::string::npos);
  const auto fills = value_or_fail(repository->fills());
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].trade_id == "t-1");
  CHECK(fills[0].quantity == 0.005);
  CHECK(fills[1].trade_id == "t-2");
}

TEST_CASE("an order recorded again replaces its row; a stale update is refused and reported") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("orders.sqlite"));
  (void)value_or_fail(repository->start_run(1, "paper", "{}"));
  repository->record(sample_order("c-1", "new", kTime));
  repository->record(sample_order("c-2", "new", kTime));
  OrderRecord acknowledged = sample_order("c-1", "open", kTime + 5);
  acknowledged.venue_order_id = "V-991";
  repository->record(acknowledged);
  repository->record(sample_order("c-1", "filled", kTime + 9));
  repository->record(sample_order("c-1", "new", kTime + 1));  // arrives late: refused
  const Status flushed = repository->flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(flushed.error().find("client_order_id 'c-1'") != std::string::npos);
  CHECK(flushed.error().find("a newer state of this row is stored") != std::string::npos);

  const auto orders = value_or_fail(repository->orders());
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].client_order_id == "c-1");
  CHECK(orders[0].status == "filled");
  CHECK(orders[0].updated_time_ns == kTime + 9);
  CHECK(orders[0].venue_order_id.empty());  // the whole row is the latest record
  CHECK(orders[1].client_order_id == "c-2");
  CHECK(orders[1].status == "new");
}

TEST_CASE("count names the known tables and refuses others") {
  test::TempFolder folder;
  auto repository = open_or_fail(folder.file("count.sqlite"));
  for (const char* table :
       {"events", "candles", "evaluations", "signals", "order_intents", "risk_verdicts", "orders",
        "fills", "trades", "balances", "tentacle_loads", "tentacle_swaps", "orders_live", "runs"}) {
    CAPTURE(table);
    CHECK(value_or_fail(repository->count(table)) == 0);
  }
  const auto unknown = repository->count("sqlite_master; DROP TABLE fills");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().find("expected one of: runs, events, candles") != std::string::npos);
  CHECK(value_or_fail(repository->count("fills")) == 0);
}

}  // namespace
}  // namespace cephalo
