// Exchanges behind the registry (issue 15, must-show 6): a second, test-only exchange registered
// by one line is picked by exchange.name through the whole live start-up (filters, account, key,
// reconciliation, streams); an unknown name is refused with the known names; the built-in table
// is the one the config schema reads.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "../storage/temp_folder.hpp"
#include "config/config.hpp"
#include "events/event_loop.hpp"
#include "exchange/registry/exchange_registry.hpp"
#include "live/live_session.hpp"
#include "logging/logging.hpp"
#include "scripted_exchange/scripted_exchange.hpp"
#include "storage/sqlite_repository.hpp"

using namespace cephalo;

namespace {

Config live_config(const std::string& exchange_name) {
  Config config;
  config.mode = RunMode::kLive;
  FeedConfig feed;
  feed.symbol = "ETH/BTC";
  feed.timeframe = "5m";
  config.feeds = {feed};
  config.exchange.name = exchange_name;
  config.exchange.unknown_grace_ms = 0;
  return config;
}

}  // namespace

TEST_CASE("a test-only exchange registered by one line is picked by exchange.name") {
  exchange::ExchangeRegistry exchanges = exchange::ExchangeRegistry::builtin();
  exchanges.add({"scripted", "a test-only exchange", &test::open_scripted_exchange});  // the line
  CHECK(exchanges.names() == std::vector<std::string>{"binance", "scripted"});

  test::ScriptedExchangeState& state = test::scripted_exchange_state();
  state.opened = 0;
  state.streams_started = 0;
  exchange::SymbolFilters filters = test::eth_btc();
  filters.status = "TRADING";
  filters.spot_trading_allowed = true;
  state.venue.filters = {filters};
  state.venue.venue_balances = {{"BTC", test::d("1"), test::d("0")}};

  test::TempFolder folder;
  auto repository = SqliteRepository::open(folder.file("live.sqlite"), SqliteOptions{}).value();
  REQUIRE(repository->start_run(1, "live", "{}").ok());  // every row belongs to a run
  SimulatedClock clock;
  EventLoop loop(clock);
  NameTable names;
  const Config config = live_config("scripted");
  auto session =
      LiveSession::open(config, exchanges, loop, names, *repository, make_null_logger());
  REQUIRE_MESSAGE(session.ok(), session.error());
  CHECK(state.opened == 1);
  REQUIRE((*session)->begin_streaming().ok());
  CHECK(state.streams_started == 2);  // market data and the user stream, both the scripted ones
  // The venue the pipeline trades on reads the scripted account.
  CHECK((*session)->venue().cash() == doctest::Approx(1.0));
  (*session)->shut_down();
}

TEST_CASE("an unknown exchange.name is refused with the known names") {
  exchange::ExchangeRegistry exchanges = exchange::ExchangeRegistry::builtin();
  exchanges.add({"scripted", "a test-only exchange", &test::open_scripted_exchange});
  const Config config = live_config("kraken");
  auto refused = exchanges.open(exchange::VenueSetup{config.exchange, {}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error() ==
        "exchange.name: 'kraken' is not a known exchange; known: binance, scripted");

  // The config file is checked against the same table (exchanges.def), with file:line.
  const auto loaded = load_config_text("mode: live\nexchange:\n  name: kraken\n", "bot.yaml", {});
  REQUIRE_FALSE(loaded.ok());
  bool named = false;
  for (const ConfigProblem& problem : loaded.problems) {
    const std::string text = problem.to_string();
    if (text.find("exchange.name") == std::string::npos) continue;
    named = true;
    CHECK(text.find("bot.yaml:3") != std::string::npos);
    CHECK(text.find("binance") != std::string::npos);
    CHECK(text.find("kraken") != std::string::npos);
  }
  CHECK(named);
}
