// Live trading settings: defaults, values from the file, file:line errors, and feeds that need a
// file everywhere except in live mode.
#include <doctest/doctest.h>

#include <cstdlib>

#include "config/config.hpp"
#include "config_test_support.hpp"

namespace cephalo {
namespace {

using test::all_problems;
using test::find_problem;

TEST_CASE("live settings have defaults") {
  const auto result = load_config_text("", "empty.yaml", {});
  REQUIRE(result.ok());
  const Config& config = *result.config;
  CHECK(config.exchange.ws_url.empty());
  CHECK(config.exchange.recv_window_ms == 5000);
  CHECK(config.exchange.weight_budget_per_minute == 1200);
  CHECK(config.exchange.order_type == "limit");
  CHECK(config.exchange.limit_offset_bps == 0);
  CHECK(config.exchange.order_timeout_ms == 60000);
  CHECK(config.exchange.unknown_grace_ms == 10000);
  CHECK(config.exchange.staleness_ms == 10000);
  CHECK(config.run.on_shutdown == "cancel");
  CHECK(config.run.at_end_of_data == "stop");
}

TEST_CASE("run.at_end_of_data is stop or wait, and anything else is named at its line") {
  const auto wait = load_config_text("mode: paper\nrun:\n  at_end_of_data: wait\n", "p.yaml", {});
  INFO(all_problems(wait));
  REQUIRE(wait.ok());
  CHECK(wait.config->run.at_end_of_data == "wait");

  const auto bad = load_config_text("mode: paper\nrun:\n  at_end_of_data: forever\n", "p.yaml", {});
  CHECK_FALSE(bad.ok());
  const auto* problem = find_problem(bad, "run.at_end_of_data");
  REQUIRE(problem != nullptr);
  CHECK(problem->where.file == "p.yaml");
  CHECK(problem->where.line == 3);
  CHECK(problem->message.find("stop, wait") != std::string::npos);
}

TEST_CASE("live settings are read from the file, and bad ones named with file and line") {
  ::setenv("CEPHALO_TEST_LIVE_KEY", "k", 1);
  ::setenv("CEPHALO_TEST_LIVE_SECRET", "s", 1);
  const std::string text =
      "mode: live\n"
      "market:\n"
      "  feeds:\n"
      "    - {symbol: ETH/BTC, timeframe: 5m}\n"
      "exchange:\n"
      "  base_url: http://127.0.0.1:9000\n"
      "  ws_url: ws://127.0.0.1:9000\n"
      "  api_key_env: CEPHALO_TEST_LIVE_KEY\n"
      "  api_secret_env: CEPHALO_TEST_LIVE_SECRET\n"
      "  limit_offset_bps: 5\n"
      "  order_type: market\n"
      "run: {on_shutdown: keep}\n";
  const auto good = load_config_text(text, "live.yaml", {});
  INFO(all_problems(good));
  REQUIRE(good.ok());
  CHECK(good.config->exchange.ws_url == "ws://127.0.0.1:9000");
  CHECK(good.config->exchange.limit_offset_bps == 5);
  CHECK(good.config->exchange.order_type == "market");
  CHECK(good.config->run.on_shutdown == "keep");
  CHECK(good.config->feeds.front().file.empty());  // live: candles stream from the exchange

  const auto bad =
      load_config_text(text, "live.yaml", {"run.on_shutdown=flatten", "exchange.recv_window_ms=0"});
  CHECK_FALSE(bad.ok());
  REQUIRE(find_problem(bad, "run.on_shutdown") != nullptr);
  CHECK(find_problem(bad, "run.on_shutdown")->message.find("cancel, keep") != std::string::npos);
  REQUIRE(find_problem(bad, "exchange.recv_window_ms") != nullptr);
}

TEST_CASE("backtest and paper feeds still need a file") {
  const auto result = load_config_text(
      "mode: paper\nmarket:\n  feeds:\n    - {symbol: ETH/BTC, timeframe: 5m}\n", "paper.yaml", {});
  CHECK_FALSE(result.ok());
  const auto* missing = find_problem(result, "market.feeds.0.file");
  REQUIRE(missing != nullptr);
  CHECK(missing->where.line == 4);
  CHECK(missing->message == "required key 'file' is missing");
}

}  // namespace
}  // namespace cephalo
