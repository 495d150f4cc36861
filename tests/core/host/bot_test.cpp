// A whole run on real data with good and bad tentacles: the bad are refused or quarantined with
// their reasons, the good keep trading, and storage keeps the record.
// Thread-safety: single-threaded test (the test thread becomes the loop thread).
#include "bot.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "logging/logging.hpp"
#include "package_fixture.hpp"
#include "storage/sqlite_repository.hpp"

namespace fs = std::filesystem;
using namespace cephalo;

namespace {

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("a run with broken tentacles refuses them, quarantines the thrower and keeps trading") {
  test::ScratchDir scratch("bot");
  const fs::path extra = scratch.path() / "tentacles";
  for (const auto& [kind, name] :
       std::vector<std::pair<std::string, std::string>>{{"strategies", "fixture_good"},
                                                        {"strategies", "fixture_create_fails"},
                                                        {"evaluators", "fixture_throws"},
                                                        {"evaluators", "fixture_abi_major"}}) {
    test::copy_package(test::fixture_package(kind, name), extra / kind);
  }
  fs::create_directories(extra / "evaluators" / "garbage");
  test::write_text(extra / "evaluators" / "garbage" / "libcephalo_garbage.so", "not a library");

  const fs::path database = scratch.path() / "bot.sqlite";
  const std::string config_text =
      "mode: backtest\n"
      "tentacles:\n"
      "  folders: [" +
      extra.string() +
      "]\n"
      "  user_folder: " +
      (scratch.path() / "user").string() +
      "\n"
      "market:\n"
      "  feeds:\n"
      "    - {symbol: ETH/BTC, timeframe: 5m, file: " CEPHALO_TEST_DATA_DIR
      "/ETH_BTC-5m.csv}\n"
      "pipeline:\n"
      "  evaluators:\n"
      "    - tentacle: rsi\n"
      "    - tentacle: fixture_throws\n"
      "    - tentacle: fixture_abi_major\n"
      "  strategies:\n"
      "    - tentacle: evaluator_threshold\n"
      "    - tentacle: fixture_create_fails\n"
      "    - tentacle: fixture_good\n"
      "  trading_mode: {tentacle: spot, params: {order_quote_amount: 0.1}}\n"
      "  interfaces:\n"
      "    - tentacle: console_log\n"
      "storage: {path: " +
      database.string() +
      "}\n"
      "logging: {level: error, console: false, file: \"\"}\n";
  const auto loaded = load_config_text(config_text, (scratch.path() / "bot.yaml").string(), {});
  REQUIRE_MESSAGE(loaded.ok(), (loaded.problems.empty() ? "" : loaded.problems[0].to_string()));

  BotOptions options;
  options.folders.builtin = CEPHALO_BUILTIN_DIR;
  options.logger = make_null_logger();
  options.handle_signals = false;
  auto run = run_bot(*loaded.config, options);
  REQUIRE_MESSAGE(run.ok(), run.error());
  const RunSummary& summary = run.value();

  // Found: every built-in + 4 fixtures + the garbage library; refused: abi_major and garbage.
  size_t builtins = 0;
  for (const auto& entry : fs::recursive_directory_iterator(CEPHALO_BUILTIN_DIR)) {
    builtins += entry.path().filename() == "tentacle.yaml" ? 1 : 0;
  }
  REQUIRE(builtins >= 5);
  CHECK(summary.loads.size() == builtins + 5);
  size_t refused_loads = 0;
  for (const auto& report : summary.loads) refused_loads += report.ok ? 0 : 1;
  CHECK(refused_loads == 2);

  for (const char* name :
       {"evaluator/rsi", "evaluator/fixture_throws", "strategy/fixture_good",
        "strategy/evaluator_threshold", "trading_mode/spot", "interface/console_log"}) {
    CHECK_MESSAGE(
        std::find(summary.running.begin(), summary.running.end(), name) != summary.running.end(),
        name);
  }
  REQUIRE(summary.refusals.size() == 2);
  CHECK(any_contains(summary.refusals, "'fixture_abi_major' is not available"));
  CHECK(any_contains(summary.refusals, "fixture_create_fails: refusing to be created"));
  CHECK(any_contains(summary.refusals, "bot.yaml:"));

  CHECK(summary.candles == 5760);
  CHECK(summary.quarantined == 1);
  CHECK(summary.errors == 1);
  CHECK(summary.evaluations > 5000);  // RSI evaluates every candle once warm
  CHECK(summary.signals >= 576);      // fixture_good alone signals on every 10th candle
  CHECK(summary.order_intents > 0);

  auto repository = SqliteRepository::open(database);
  REQUIRE_MESSAGE(repository.ok(), repository.error());
  CHECK(repository.value()->count("candles").value() == 5760);
  CHECK(repository.value()->count("signals").value() == static_cast<int64_t>(summary.signals));
  CHECK(repository.value()->count("evaluations").value() ==
        static_cast<int64_t>(summary.evaluations));
  const auto loads = repository.value()->tentacle_loads().value();
  const auto with_status = [&](const std::string& status) {
    return std::count_if(loads.begin(), loads.end(),
                         [&](const TentacleLoadRecord& load) { return load.status == status; });
  };
  CHECK(with_status("loaded") == static_cast<std::ptrdiff_t>(builtins + 3));
  CHECK(with_status("refused") == 4);  // 2 at load, 2 in the pipeline
  CHECK(with_status("quarantined") == 1);
  const auto runs = repository.value()->runs().value();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].finished_ns.has_value());
}

TEST_CASE("a trading calendar: intents outside its sessions are refused, the rest trade") {
  test::ScratchDir scratch("bot-calendar");
  const std::string config_text =
      "mode: backtest\n"
      "market:\n"
      "  feeds:\n"
      "    - {symbol: ETH/BTC, timeframe: 5m, file: " CEPHALO_TEST_DATA_DIR
      "/ETH_BTC-5m.csv}\n"
      "pipeline:\n"
      "  strategies: [{tentacle: sma_crossover, params: {fast: 5, slow: 20}}]\n"
      "  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.5}}\n"
      "calendar:\n"
      "  utc_offset_minutes: 60\n"
      "  sessions:\n"
      "    - {days: [mon, tue, wed, thu, fri], open: '09:00', close: '17:30'}\n"
      "storage: {path: " +
      (scratch.path() / "bot.sqlite").string() +
      "}\n"
      "logging: {level: error, console: false, file: \"\"}\n";
  const auto loaded = load_config_text(config_text, (scratch.path() / "bot.yaml").string(), {});
  REQUIRE_MESSAGE(loaded.ok(), (loaded.problems.empty() ? "" : loaded.problems[0].to_string()));
  BotOptions options;
  options.folders.builtin = CEPHALO_BUILTIN_DIR;
  options.logger = make_null_logger();
  options.handle_signals = false;
  auto run = run_bot(*loaded.config, options);
  REQUIRE_MESSAGE(run.ok(), run.error());
  REQUIRE(run->backtest.has_value());

  // The same session rule, computed here from the intent's time: local = UTC + 1 h.
  const auto in_session = [](int64_t time_ns) {
    const int64_t local_minutes = time_ns / 60'000'000'000 + 60;
    const int64_t day = local_minutes / (24 * 60);
    const int64_t minute = local_minutes % (24 * 60);
    const int64_t weekday = (day + 3) % 7;  // 1970-01-01 was a Thursday; Monday = 0
    return weekday < 5 && minute >= 9 * 60 && minute < 17 * 60 + 30;
  };
  size_t closed = 0;
  for (const auto& rejected : run->backtest->rejected_orders) {
    if (rejected.reason.find("market closed") == std::string::npos) continue;
    ++closed;
    CHECK_FALSE(in_session(rejected.time_ns));
  }
  CHECK(closed > 0);
  REQUIRE(!run->backtest->trades.empty());
  for (const auto& trade : run->backtest->trades) {
    CAPTURE(trade.entry_time_ns);
    // The intent comes at the signal candle's close, which is the open the order fills at.
    CHECK(in_session(trade.entry_time_ns));
  }
}
