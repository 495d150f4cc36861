// Live trading's start-up, streams, timers and graceful stop.
// Thread-safety: see live_session.hpp.
#include "live/live_session.hpp"

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "live/crash_point.hpp"
#include "exchange/registry/exchange_registry.hpp"
#include "live/live_feed.hpp"
#include "live/live_venue.hpp"
#include "orders/client_order_id.hpp"

namespace cephalo {

namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "ETH/BTC" → {"ETH", "BTC"}; the schema guarantees the slash.
std::pair<std::string, std::string> split_symbol(const std::string& symbol) {
  const auto slash = symbol.find('/');
  return {symbol.substr(0, slash), symbol.substr(slash + 1)};
}

}  // namespace

struct LiveSession::Parts {
  Parts(const Config& config_in, EventLoop& loop_in, Repository& repository_in,
        std::shared_ptr<spdlog::logger> logger_in, CrashPoints crash_points,
        std::unique_ptr<exchange::VenueConnection> connection_in, std::vector<LiveMarket> markets,
        const std::string& run_tag)
      : config(config_in),
        loop(loop_in),
        repository(repository_in),
        logger(std::move(logger_in)),
        connection(std::move(connection_in)),
        crash_connector(connection->connector(), crash_points),
        journal(repository_in),
        crash_journal(journal, crash_points),
        venue(
            config_in, std::move(markets), crash_connector, crash_journal, repository_in, logger,
            [] { return wall_ms() * 1'000'000; }, run_tag),
        order_timer(loop_in.io_context()),
        resync_timer(loop_in.io_context()) {}

  void schedule_order_checks() {
    order_timer.expires_after(std::chrono::milliseconds(config.exchange.order_check_ms));
    order_timer.async_wait([this](const boost::system::error_code& error) {
      if (error || stopping) return;
      venue.check_orders();
      schedule_order_checks();
    });
  }
  void schedule_resync() {
    resync_timer.expires_after(std::chrono::milliseconds(config.exchange.resync_interval_ms));
    resync_timer.async_wait([this](const boost::system::error_code& error) {
      if (error || stopping) return;
      venue.resync("the periodic check");
      schedule_resync();
    });
  }

  const Config& config;
  EventLoop& loop;
  Repository& repository;
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<exchange::VenueConnection> connection;  // exchange.name's, from the registry
  CrashPointConnector crash_connector;  // orders go through it (the after_send point)
  orders::RepositoryOrderJournal journal;
  CrashPointJournal crash_journal;
  LiveVenue venue;
  std::vector<exchange::MarketFeed> feeds;
  std::unique_ptr<LiveFeed> feed;
  std::unique_ptr<exchange::LiveStream> user_stream;
  boost::asio::steady_timer order_timer;
  boost::asio::steady_timer resync_timer;
  bool stopping = false;
  bool shut = false;
};

LiveSession::LiveSession(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

LiveSession::~LiveSession() {
  shut_down();
}

ExecutionVenue& LiveSession::venue() {
  return parts_->venue;
}

void LiveSession::set_protective_levels(
    std::function<const TrackedPosition*(std::string_view)> levels_of) {
  parts_->venue.set_levels_source(std::move(levels_of));
}

Result<std::unique_ptr<LiveSession>> LiveSession::open(
    const Config& config, EventLoop& loop, NameTable& names, Repository& repository,
    const std::shared_ptr<spdlog::logger>& logger) {
  return open(config, exchange::ExchangeRegistry::builtin(), loop, names, repository, logger);
}

Result<std::unique_ptr<LiveSession>> LiveSession::open(
    const Config& config, const exchange::ExchangeRegistry& exchanges, EventLoop& loop,
    NameTable& names, Repository& repository, const std::shared_ptr<spdlog::logger>& logger) {
  if (config.feeds.empty()) return Error{"live trading needs at least one feed (market.feeds)"};
  // A live run's log is its flight recorder: every line reaches the file at once, so a crash
  // (or kill -9) loses none. Live logs are a few lines per candle, so the cost is negligible.
  logger->flush_on(spdlog::level::info);
  std::string crash_problem;
  const CrashPoints crash_points = CrashPoints::from_environment(crash_problem);
  if (!crash_problem.empty()) logger->warn("{}", crash_problem);
  if (crash_points.armed()) logger->warn("CEPHALO_CRASH_AT is set: this run kills itself there");

  // exchange.name picks the exchange (the config schema admits only registered names).
  auto connection = exchanges.open(exchange::VenueSetup{
      config.exchange, [logger](const std::string& line) { logger->info("{}", line); }});
  if (!connection) return Error{connection.error()};
  const std::string rest_url = (*connection)->rest_url();

  std::vector<LiveMarket> markets;
  for (const FeedConfig& feed : config.feeds) {
    const auto [base, quote] = split_symbol(feed.symbol);
    bool known = false;
    for (const LiveMarket& market : markets) known |= market.symbol.view() == feed.symbol;
    if (!known) markets.push_back(LiveMarket{names.intern(feed.symbol), base + quote, base, quote});
  }
  std::random_device random;
  const std::string run_tag = orders::make_run_tag(wall_ms(), random());
  auto parts = std::make_unique<Parts>(config, loop, repository, logger, crash_points,
                                       std::move(connection).value(), std::move(markets), run_tag);

  for (const FeedConfig& feed : config.feeds) {
    const auto [base, quote] = split_symbol(feed.symbol);
    exchange::MarketFeed market_feed{base + quote, feed.timeframe, names.intern(feed.symbol),
                                     names.intern(feed.timeframe)};
    // After a restart the feed resumes after the last candle stored, so the candles closed
    // while the bot was down are fetched before streaming and none is stored twice.
    auto stored = repository.candles(feed.symbol, feed.timeframe);
    if (!stored.ok()) return Error{"reading the stored candles: " + stored.error()};
    if (!stored->empty()) {
      market_feed.resume_after_open_ms = stored->back().open_time_ns / 1'000'000;
      logger->info("live: {} {}: last stored candle opened at {} ms; catching up from there",
                   feed.symbol, feed.timeframe, market_feed.resume_after_open_ms);
    }
    parts->feeds.push_back(std::move(market_feed));
  }

  // At start a spent request-weight window (another program on the IP, a burst of restarts)
  // is waited for, with a log line, never a reason to refuse; trading turns this off.
  parts->connection->set_patient(
      true, [logger](const std::string& why) { logger->warn("live: {}", why); });
  // 1. The venue answers, and its clock is known (signed requests need the offset).
  auto server_time = parts->connection->connector().server_time_ms();
  if (!server_time.ok()) {
    return Error{"cannot reach the exchange at " + rest_url + ": " + server_time.error.message};
  }
  logger->info("live: {} answers; server time {} ms, local {} ms", rest_url, *server_time.value,
               wall_ms());
  // 2. Filters and rate limits; the symbols trade spot; the account and the key may trade.
  if (Status loaded = parts->venue.load_filters(); !loaded) {
    return Error{"live trading refused: " + loaded.error()};
  }
  if (Status account = parts->venue.check_account(); !account) {
    return Error{"live trading refused: " + account.error()};
  }
  if (Status key = parts->venue.check_key_can_trade(); !key) {
    return Error{"live trading refused: " + key.error()};
  }
  // 3. The journal against the venue. An order committed moments before a crash may not be
  // visible yet: retry until its grace has passed, then it counts as never placed.
  parts->venue.rebuild_average_prices();
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(config.exchange.unknown_grace_ms + 2000);
  auto report = parts->venue.reconcile();
  while (!report.ok() && std::chrono::steady_clock::now() < deadline) {
    logger->warn("live: {}; trying again", report.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    report = parts->venue.reconcile();
  }
  if (!report.ok()) return Error{report.error()};
  parts->venue.note_foreign_orders(report->foreign_orders);
  parts->venue.adopt_resting_stops();
  logger->info(
      "live: reconciled with the venue: {} orders checked, {} resolved, {} fills recovered; "
      "run tag {}",
      report->orders_checked, report->orders_resolved, report->fills_recovered, run_tag);
  parts->venue.set_balances(report->balances, wall_ms() * 1'000'000, "reconciled at start");
  if (Status flushed = repository.flush(); !flushed) return Error{flushed.error()};
  return std::unique_ptr<LiveSession>(new LiveSession(std::move(parts)));
}

Status LiveSession::begin_streaming() {
  Parts& p = *parts_;
  p.venue.begin_streaming();
  exchange::UserStreamHandlers user;
  user.on_report = [&p](const exchange::ExecutionReport& report) {
    p.loop.post([&p, report] { p.venue.on_execution_report(report); });
  };
  user.on_balances = [&p](const exchange::AccountPosition& position) {
    p.loop.post([&p, position] { p.venue.on_account_position(position); });
  };
  user.on_problem = [&p](const std::string& problem) { p.logger->warn("{}", problem); };
  user.on_resubscribed = [&p](const std::string& why) {
    // Events sent while no subscription was active are lost: ask REST instead.
    p.logger->info("user data stream subscribed again after a gap ({})", why);
    p.loop.post([&p, why] { p.venue.resync("the user data stream resubscribed: " + why); });
  };
  user.on_health = [&p](bool connected, const std::string& what, const std::string& detail) {
    if (connected) {
      p.logger->info("user data stream connected to {}", detail);
      return;
    }
    p.logger->warn("user data stream {}: {}", what, detail);
  };
  p.user_stream = p.connection->user_stream(std::move(user));
  if (Status started = p.user_stream->start(); !started) {
    return Error{"user data stream: " + started.error() + "; without it no order update arrives"};
  }
  p.logger->info("user data stream subscribed {}", p.connection->user_stream_description());
  p.feed = std::make_unique<LiveFeed>(p.config, p.feeds, *p.connection, p.loop, p.logger);
  if (Status started = p.feed->start(); !started) return Error{"market data: " + started.error()};
  // Trading: a spent weight window now refuses a request (an order is not worth a late send).
  p.connection->set_patient(false);
  p.schedule_order_checks();
  p.schedule_resync();
  p.logger->info("live: streaming {} feeds from {}; trading", p.feeds.size(),
                 p.connection->stream_url());
  return Ok{};
}

void LiveSession::shut_down() {
  Parts& p = *parts_;
  if (p.shut) return;
  p.shut = true;
  p.stopping = true;
  p.order_timer.cancel();
  p.resync_timer.cancel();
  if (p.feed) p.feed->stop();
  if (p.user_stream) p.user_stream->stop();
  // The cancels of a graceful stop must go out: wait for a spent weight window, as at start.
  p.connection->set_patient(true);
  p.venue.shut_down(p.config.run.on_shutdown == "cancel");
  if (Status flushed = p.repository.flush(); !flushed) {
    p.logger->error("live: storage flush at shutdown failed: {}", flushed.error());
  }
}

}  // namespace cephalo
