// LiveSession: everything `cephalo run` needs for mode: live, in start-up order: the exchange
// connection (REST transport, signing, server time), the symbols' filters, reconciliation of the
// journal with the venue BEFORE any strategy runs (refusing to trade when it fails), then the
// streams (market data and user data) and the order timers; and the graceful stop that cancels
// or keeps open orders (run.on_shutdown) and stores the venue's final balances.
// Thread-safety: create, begin_streaming() and shut_down() on the loop thread (outside or inside
// EventLoop::run); stream and timer callbacks are posted into the loop.
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string_view>

#include "config/config.hpp"
#include "events/event_loop.hpp"
#include "exchange/registry/exchange_registry.hpp"
#include "host/execution_venue.hpp"
#include "model/name_table.hpp"
#include "risk/risk_engine.hpp"
#include "storage/repository.hpp"

namespace cephalo {

class LiveSession {
 public:
  // Connects, syncs the clock, loads filters and reconciles; an error says why trading is
  // refused and what to do (nothing was sent to the venue then).
  static Result<std::unique_ptr<LiveSession>> open(const Config& config, EventLoop& loop,
                                                   NameTable& names, Repository& repository,
                                                   const std::shared_ptr<spdlog::logger>& logger);
  // As above, on the exchange `exchanges` registers under config.exchange.name (the one-argument
  // form uses ExchangeRegistry::builtin()).
  static Result<std::unique_ptr<LiveSession>> open(const Config& config,
                                                   const exchange::ExchangeRegistry& exchanges,
                                                   EventLoop& loop, NameTable& names,
                                                   Repository& repository,
                                                   const std::shared_ptr<spdlog::logger>& logger);
  ~LiveSession();
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  ExecutionVenue& venue();
  // Where stops resting on the exchange (exchange.stop_on_exchange) read the core's levels: the
  // live slot's risk engine's tracked position of a symbol (null: none).
  void set_protective_levels(std::function<const TrackedPosition*(std::string_view)> levels_of);
  // Market data and the user data stream start; order checks and resyncs are scheduled.
  Status begin_streaming();
  // Streams stopped, open orders cancelled or kept per run.on_shutdown, balances stored.
  void shut_down();

 private:
  struct Parts;
  explicit LiveSession(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace cephalo
