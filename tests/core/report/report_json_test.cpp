// The JSON report: every key, units (ms), null for undefined metrics, determinism, extras.
#include "report/report_json.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "report_fixture.hpp"

namespace cephalo::test {
namespace {

nlohmann::json parsed_report(const BacktestInput& input) {
  Result<std::string> text = write_backtest_json(input, compute_metrics(input));
  REQUIRE_MESSAGE(text.ok(), text.error());
  return nlohmann::json::parse(*text);
}

TEST_CASE("the report has every top-level key, in the documented order") {
  const BacktestInput input = sample_backtest();
  Result<std::string> text = write_backtest_json(input, compute_metrics(input));
  REQUIRE(text.ok());
  const auto ordered = nlohmann::ordered_json::parse(*text);
  std::vector<std::string> keys;
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  CHECK(keys == backtest_json_keys());
  for (const char* key :
       {"starting_cash", "final_equity", "bars", "trades", "open_positions", "rejected_orders",
        "metrics", "equity_curve", "per_pair", "per_exit_reason", "buy_and_hold"}) {
    CHECK_MESSAGE(ordered.contains(key), key);
  }
  CHECK(ordered["starting_cash"] == 1000.0);
  CHECK(ordered["final_equity"] == 1200.0);
  CHECK(ordered["bars"] == 20);
  CHECK(ordered["quote_currency"] == "USDT");
}

TEST_CASE("trades carry every field, with times in epoch milliseconds") {
  const nlohmann::json report = parsed_report(sample_backtest());
  REQUIRE(report["trades"].size() == 4);
  const nlohmann::json& trade = report["trades"][1];
  CHECK(trade["pair"] == "ETH/USDT");
  CHECK(trade["entry_time"] == (kT0Ns + 2 * kHourNs) / 1'000'000);
  CHECK(trade["entry_time"] == 1'700'007'200'000);
  CHECK(trade["exit_time"] == 1'700'021'600'000);  // 6 h after kT0
  CHECK(trade["entry_price"] == 50.0);
  CHECK(trade["exit_price"] == 45.0);
  CHECK(trade["quantity"] == 2.0);
  CHECK(trade["fees"] == 0.5);
  CHECK(trade["pnl"] == -10.5);
  CHECK(trade["exit_reason"] == "stop_loss");

  REQUIRE(report["open_positions"].size() == 1);
  CHECK(report["open_positions"][0]["entry_time"] == 1'700'032'400'000);
  CHECK(report["open_positions"][0]["unrealised_pnl"] == 1.8);
  REQUIRE(report["rejected_orders"].size() == 1);
  CHECK(report["rejected_orders"][0]["time"] == 1'700'014'400'000);
  CHECK(report["rejected_orders"][0]["reason"] == "insufficient cash");
}

TEST_CASE("the equity curve is exact: every point, times in ms, values as given") {
  const nlohmann::json curve = parsed_report(sample_backtest())["equity_curve"];
  REQUIRE(curve["time"].size() == 10);
  REQUIRE(curve["equity"].size() == 10);
  CHECK(curve["time"][0] == 1'700'000'000'000);
  CHECK(curve["time"][9] == 1'700'032'400'000);
  CHECK(curve["equity"][6] == 968.0);
}

TEST_CASE("metrics, tables and buy-and-hold sections carry the computed values") {
  const nlohmann::json report = parsed_report(sample_backtest());
  const nlohmann::json& m = report["metrics"];
  CHECK(m["max_drawdown"].get<double>() == doctest::Approx(0.2));
  CHECK(m["max_drawdown_duration_ms"] == 4 * 3'600'000);
  CHECK(m["max_drawdown_duration_bars"] == 4);
  CHECK(m["max_drawdown_peak_time"] == 1'700'014'400'000);
  CHECK(m["trade_count"] == 4);
  CHECK(m["win_rate"] == 0.5);
  CHECK(m["profit_factor"].get<double>() == doctest::Approx(57.5 / 10.5));
  CHECK(m["exposure"].get<double>() == doctest::Approx(0.7));
  CHECK(m["average_holding_time_ms"] == 7 * 3'600'000 / 4);
  REQUIRE(report["per_pair"].size() == 2);
  CHECK(report["per_pair"][0]["pair"] == "BTC/USDT");
  CHECK(report["per_pair"][0]["trades"] == 3);
  REQUIRE(report["per_exit_reason"].size() == 3);
  CHECK(report["per_exit_reason"][2]["exit_reason"] == "take_profit");
  CHECK(report["buy_and_hold"]["final_value"].get<double>() == doctest::Approx(1070));
  CHECK(report["buy_and_hold"]["pairs"].size() == 2);
}

TEST_CASE("a run without trades writes no NaN or infinity, and null where a metric is undefined") {
  const BacktestInput input = flat_backtest();
  Result<std::string> text = write_backtest_json(input, compute_metrics(input));
  REQUIRE(text.ok());
  for (const char* bad : {"nan", "NaN", "inf", "Infinity"}) {
    CHECK_MESSAGE(text->find(bad) == std::string::npos, bad);
  }
  const nlohmann::json report = nlohmann::json::parse(*text);
  const nlohmann::json& m = report["metrics"];
  CHECK(m["profit_factor"].is_null());
  CHECK(m["max_drawdown_peak_time"].is_null());
  CHECK(m["sharpe"] == 0.0);
  CHECK(m["sortino"] == 0.0);
  CHECK(m["win_rate"] == 0.0);
  CHECK(m["expectancy"] == 0.0);
  CHECK(report["trades"].is_array());
  CHECK(report["trades"].empty());
  CHECK(report["buy_and_hold"]["total_return"] == 0.0);
  // Every other metric is a plain number.
  // (No structured binding: doctest's CHECK captures in a lambda, which clang 14 refuses for one.)
  for (const auto& item : m.items()) {
    const std::string& key = item.key();
    if (key == "profit_factor" || key == "max_drawdown_peak_time" ||
        key == "max_drawdown_trough_time") {
      continue;
    }
    CHECK_MESSAGE(item.value().is_number(), key);
  }
}

TEST_CASE("the same input gives byte-identical output") {
  const BacktestInput input = sample_backtest();
  const Metrics metrics = compute_metrics(input);
  Result<std::string> first = write_backtest_json(input, metrics);
  Result<std::string> second = write_backtest_json(input, compute_metrics(sample_backtest()));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first == *second);
}

TEST_CASE("doubles read back to the very same value") {
  BacktestInput input = sample_backtest();
  input.trades[0].pnl = 0.1 + 0.2;  // 0.30000000000000004
  input.trades[0].entry_price = 1.0 / 3.0;
  input.equity[3].equity = 1050.0000000000002;
  const nlohmann::json report = parsed_report(input);
  CHECK(report["trades"][0]["pnl"].get<double>() == 0.1 + 0.2);
  CHECK(report["trades"][0]["entry_price"].get<double>() == 1.0 / 3.0);
  CHECK(report["equity_curve"]["equity"][3].get<double>() == 1050.0000000000002);
}

TEST_CASE("extra sections are merged at the top level after the report's own keys") {
  BacktestInput input = sample_backtest();
  input.extra = {{"risk", {{"verdicts", 12}, {"refused", 3}}}, {"slots", {"a", "b"}}};
  const nlohmann::json report = parsed_report(input);
  CHECK(report["risk"]["refused"] == 3);
  CHECK(report["slots"] == nlohmann::json({"a", "b"}));
}

TEST_CASE("an extra section may not overwrite a report key, nor be anything but an object") {
  BacktestInput input = sample_backtest();
  input.extra = {{"trades", 1}};
  Result<std::string> clash = write_backtest_json(input, compute_metrics(input));
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().find("'trades'") != std::string::npos);

  input.extra = nlohmann::json::array({1, 2});
  Result<std::string> not_object = write_backtest_json(input, compute_metrics(input));
  REQUIRE_FALSE(not_object.ok());
  CHECK(not_object.error().find("array") != std::string::npos);
}

TEST_CASE("a run's problems follow the report's own keys; a clean run has no problems key") {
  BacktestInput input = sample_backtest();
  const std::string clean = write_backtest_json(input, compute_metrics(input)).value();
  CHECK(clean.find("\"problems\"") == std::string::npos);
  input.problems = {{"tentacle_quarantined", "evaluator rsi 1.0.0", "boom", 1},
                    {"swap_rolled_back", "strategy x 2.0.0", "crashed with SIGSEGV in create", 3}};
  input.extra = {{"risk", {{"refused", 3}}}};
  const auto ordered =
      nlohmann::ordered_json::parse(write_backtest_json(input, compute_metrics(input)).value());
  std::vector<std::string> keys;
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  std::vector<std::string> expected = backtest_json_keys();
  expected.push_back("problems");
  expected.push_back("risk");
  CHECK(keys == expected);
  REQUIRE(ordered["problems"].size() == 2);
  CHECK(ordered["problems"][1] ==
        nlohmann::ordered_json{{"kind", "swap_rolled_back"},
                               {"where", "strategy x 2.0.0"},
                               {"message", "crashed with SIGSEGV in create"},
                               {"count", 3}});
  // An extra section may not take the name either.
  input.problems.clear();
  input.extra = {{"problems", 1}};
  CHECK_FALSE(write_backtest_json(input, compute_metrics(input)).ok());
}

TEST_CASE("times before 1970 are floored to the millisecond") {
  BacktestInput input = sample_backtest();
  input.trades[0].entry_time_ns = -1;  // 1 ns before the epoch
  CHECK(parsed_report(input)["trades"][0]["entry_time"] == -1);
}

TEST_CASE("names that are not valid UTF-8 do not stop the report") {
  BacktestInput input = sample_backtest();
  input.trades[0].exit_reason = "bad\xff";
  const nlohmann::json report = parsed_report(input);
  CHECK(report["trades"][0]["exit_reason"] == "bad\xEF\xBF\xBD");
}

}  // namespace
}  // namespace cephalo::test

namespace cephalo::test {
namespace {

std::filesystem::path fresh_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("cephalo_report_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  return folder;
}

TEST_CASE("the JSON file holds exactly the string, in a folder created for it") {
  const BacktestInput input = sample_backtest();
  const Metrics metrics = compute_metrics(input);
  const auto folder = fresh_folder("json");
  const auto path = folder / "nested" / "report.json";
  const Status written = write_backtest_json_file(path, input, metrics);
  REQUIRE_MESSAGE(written.ok(), written.error());
  std::ifstream in(path, std::ios::binary);
  const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(on_disk == *write_backtest_json(input, metrics));
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  std::filesystem::remove_all(folder);
}

TEST_CASE("a report that cannot be written says which file and why") {
  const auto folder = fresh_folder("blocked");
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "a_file") << "x";
  const auto path = folder / "a_file" / "report.json";  // a file where a folder should be
  const BacktestInput input = sample_backtest();
  const Status written = write_backtest_json_file(path, input, compute_metrics(input));
  REQUIRE_FALSE(written.ok());
  CHECK(written.error().find((folder / "a_file").string()) != std::string::npos);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace cephalo::test
