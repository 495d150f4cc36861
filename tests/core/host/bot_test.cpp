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

namespace {

// The broken-tentacles run's config: good and bad tentacles from an extra folder, the bundled
// ETH/BTC 5m candles, `extra_yaml` appended.
std::string broken_run_config(const fs::path& scratch, const std::string& extra_yaml) {
  const fs::path extra = scratch / "tentacles";
  for (const auto& [kind, name] :
       std::vector<std::pair<std::string, std::string>>{{"strategies", "fixture_good"},
                                                        {"strategies", "fixture_create_fails"},
                                                        {"evaluators", "fixture_throws"},
                                                        {"evaluators", "fixture_abi_major"}}) {
    if (!fs::exists(extra / kind / name)) {
      test::copy_package(test::fixture_package(kind, name), extra / kind);
    }
  }
  fs::create_directories(extra / "evaluators" / "garbage");
  test::write_text(extra / "evaluators" / "garbage" / "libcephalo_garbage.so", "not a library");
  return "mode: backtest\n"
         "tentacles:\n"
         "  folders: [" +
         extra.string() +
         "]\n"
         "  user_folder: " +
         (scratch / "user").string() +
         "\n"
         "market:\n"
         "  feeds:\n"
         "    - {symbol: ETH/BTC, timeframe: 5m, file: " CEPHALO_TEST_DATA_DIR
         "/ETH_BTC-5m.csv}\n"
         "storage: {path: " +
         (scratch / "bot.sqlite").string() +
         ", journal_market_data: true}\n"  // a backtest stores no candles unless asked
         "logging: {level: error, console: false, file: \"\"}\n" +
         extra_yaml;
}

const Problem* find_problem(const std::vector<Problem>& problems, const std::string& kind,
                            const std::string& where_part) {
  for (const Problem& problem : problems) {
    if (problem.kind == kind && problem.where.find(where_part) != std::string::npos) {
      return &problem;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a run with broken tentacles refuses them, quarantines the thrower and keeps trading") {
  test::ScratchDir scratch("bot");
  const fs::path database = scratch.path() / "bot.sqlite";
  // run.on_tentacle_failure: quarantine: the run goes on without what fails, and says so.
  const std::string config_text =
      broken_run_config(scratch.path(),
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
                        "run: {on_tentacle_failure: quarantine}\n");
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
  // Only what the pipeline uses is loaded (7 tentacles, abi_major refused); the other built-ins
  // are only looked at.
  CHECK(summary.libraries_loaded == 7);
  CHECK(with_status("loaded") == 7);
  CHECK(with_status("available") == static_cast<std::ptrdiff_t>(builtins - 4));
  CHECK(with_status("refused") == 4);  // 2 at load, 2 in the pipeline
  CHECK(with_status("quarantined") == 1);
  // Each is a problem of the run, tolerated by run.on_tentacle_failure: quarantine.
  REQUIRE(summary.problems.size() == 3);
  CHECK(find_problem(summary.problems, "tentacle_not_started", "strategy fixture_create_fails"));
  CHECK(find_problem(summary.problems, "tentacle_not_started", "evaluator fixture_abi_major"));
  const Problem* quarantine =
      find_problem(summary.problems, "tentacle_quarantined", "evaluator fixture_throws");
  REQUIRE(quarantine != nullptr);
  CHECK(quarantine->count == 1);
  CHECK(quarantine->message.find("the run went on without it") != std::string::npos);
  CHECK_FALSE(summary.problems_fail_run);
  REQUIRE(summary.backtest.has_value());
  CHECK(summary.backtest->problems == summary.problems);
  const auto runs = repository.value()->runs().value();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].finished_ns.has_value());
}

TEST_CASE("run.on_tentacle_failure: stop (the default) refuses to start without a tentacle") {
  test::ScratchDir scratch("bot-stop");
  const std::string config_text = broken_run_config(scratch.path(),
                                                    "pipeline:\n"
                                                    "  evaluators: [{tentacle: rsi}]\n"
                                                    "  strategies:\n"
                                                    "    - tentacle: evaluator_threshold\n"
                                                    "    - tentacle: fixture_create_fails\n"
                                                    "  trading_mode: {tentacle: spot}\n");
  const auto loaded = load_config_text(config_text, (scratch.path() / "bot.yaml").string(), {});
  REQUIRE(loaded.ok());
  BotOptions options;
  options.folders.builtin = CEPHALO_BUILTIN_DIR;
  options.logger = make_null_logger();
  options.handle_signals = false;
  auto run = run_bot(*loaded.config, options);
  REQUIRE_FALSE(run.ok());
  CHECK(run.error().find("not started: a tentacle the pipeline names cannot start") !=
        std::string::npos);
  CHECK(run.error().find("bot.yaml:") != std::string::npos);
  CHECK(run.error().find("fixture_create_fails: refusing to be created") != std::string::npos);
  CHECK(run.error().find("run.on_tentacle_failure: quarantine") != std::string::npos);
}

TEST_CASE("run.on_tentacle_failure: stop ends the run at the first quarantine, as a problem") {
  test::ScratchDir scratch("bot-quarantine");
  const std::string config_text = broken_run_config(scratch.path(),
                                                    "pipeline:\n"
                                                    "  evaluators:\n"
                                                    "    - tentacle: rsi\n"
                                                    "    - tentacle: fixture_throws\n"
                                                    "  strategies: [{tentacle: fixture_good}]\n"
                                                    "  trading_mode: {tentacle: spot}\n");
  const auto loaded = load_config_text(config_text, (scratch.path() / "bot.yaml").string(), {});
  REQUIRE(loaded.ok());
  BotOptions options;
  options.folders.builtin = CEPHALO_BUILTIN_DIR;
  options.logger = make_null_logger();
  options.handle_signals = false;
  auto run = run_bot(*loaded.config, options);
  REQUIRE_MESSAGE(run.ok(), run.error());
  CHECK(run->quarantined == 1);
  CHECK(run->candles < 5760);  // stopped early
  REQUIRE(run->problems.size() == 1);
  CHECK(run->problems[0].kind == "tentacle_quarantined");
  CHECK(run->problems[0].where == "evaluator fixture_throws 1.0.0");
  CHECK(run->problems[0].message.find("the run stopped after this event") != std::string::npos);
  CHECK(run->problems_fail_run);
  REQUIRE(run->backtest.has_value());
  CHECK(run->backtest->problems == run->problems);
}

TEST_CASE("problems fail a run unless run.on_tentacle_failure: quarantine tolerates them") {
  const std::vector<Problem> tentacle_only = {{"tentacle_quarantined", "evaluator x 1.0.0", "m", 1},
                                              {"swap_rolled_back", "strategy y 2.0.0", "m", 3}};
  CHECK(problems_fail_run(tentacle_only, "stop"));
  CHECK_FALSE(problems_fail_run(tentacle_only, "quarantine"));
  auto dropped = tentacle_only;
  dropped.push_back({"events_dropped", "interface web", "m", 12});
  CHECK(problems_fail_run(dropped, "quarantine"));
  CHECK_FALSE(problems_fail_run({}, "stop"));
}

TEST_CASE("a build that crashed a bot is not started again: the version install kept runs") {
  test::ScratchDir scratch("bot-crashed");
  const fs::path user = scratch.path() / "user";
  // Installed by copying, as `tentacles install` leaves them: the crashed build, and the one it
  // replaced kept beside it.
  test::copy_package(test::crash_probe_package("late_segv"), user / "strategies");
  fs::create_directories(user / "strategies" / ".crash_probe.previous");
  for (const auto& file : fs::directory_iterator(test::crash_probe_package("good"))) {
    fs::copy_file(file.path(),
                  user / "strategies" / ".crash_probe.previous" / file.path().filename());
  }
  auto crashed = read_manifest(user / "strategies" / "crash_probe" / "tentacle.yaml");
  REQUIRE(crashed.ok());
  // What the signal handler of the bot that died wrote.
  test::write_text(user / ".crashed-builds",
                   "1790000000\t11\t" + crashed->sha256 + "\tcrash_probe\t2.4.1\ton_event\n" +
                       "17900000");  // and a line cut short by the dying process
  const std::string config_text =
      "mode: backtest\n"
      "tentacles: {user_folder: " +
      user.string() +
      "}\n"
      "market:\n"
      "  feeds:\n"
      "    - {symbol: ETH/BTC, timeframe: 5m, file: " CEPHALO_TEST_DATA_DIR
      "/ETH_BTC-5m.csv}\n"
      "pipeline:\n"
      "  strategies: [{tentacle: crash_probe}]\n"
      "  trading_mode: {tentacle: spot}\n"
      "storage: {path: " +
      (scratch.path() / "bot.sqlite").string() +
      "}\n"
      "logging: {level: error, console: false, file: \"\"}\n";
  const auto loaded = load_config_text(config_text, (scratch.path() / "bot.yaml").string(), {});
  REQUIRE(loaded.ok());
  BotOptions options;
  options.folders.builtin = CEPHALO_BUILTIN_DIR;
  options.logger = make_null_logger();
  options.handle_signals = false;
  auto run = run_bot(*loaded.config, options);
  REQUIRE_MESSAGE(run.ok(), run.error());
  // It ran to the end on 1.0.0 (2.4.1 would have died at candle 1500), trading, and says so.
  CHECK(run->candles == 5760);
  CHECK(run->signals > 400);
  REQUIRE(run->problems.size() == 1);
  CHECK(run->problems[0].kind == "tentacle_crashed");
  CHECK(run->problems[0].where == "strategy crash_probe 2.4.1");
  CHECK(run->problems[0].message.find("with SIGSEGV in on_event") != std::string::npos);
  CHECK(run->problems[0].message.find("starting its previous build 1.0.0 (kept by install)") !=
        std::string::npos);
  CHECK(run->problems_fail_run);  // stop: a crashed build is not a clean run
  const auto load =
      std::find_if(run->loads.begin(), run->loads.end(),
                   [](const LoadReport& report) { return report.name == "crash_probe"; });
  REQUIRE(load != run->loads.end());
  CHECK(load->version == "1.0.0");

  // Without a kept version the crashed build is refused, and the run does not start.
  fs::remove_all(user / "strategies" / ".crash_probe.previous");
  auto refused = run_bot(*loaded.config, options);
  REQUIRE_FALSE(refused.ok());
  CHECK_MESSAGE(refused.error().find("crashed a bot on 2026-09-21 14:13:20 UTC with SIGSEGV in "
                                     "on_event; this build is refused") != std::string::npos,
                refused.error());
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
