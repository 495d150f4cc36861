// A test-only exchange behind the registry: FakeVenue's scripted answers as its connector and
// streams that start and stop without a socket. It shows what adding an exchange takes (a folder
// with a VenueConnection and an opener, then one registration line) and lets a test pick it by
// exchange.name through the whole live start-up.
// Thread-safety: single-threaded tests.
#pragma once

#include <memory>

#include "../../orders/fake_venue.hpp"
#include "exchange/registry/exchange_registry.hpp"

namespace cephalo::test {

struct ScriptedExchangeState {
  FakeVenue venue;
  int streams_started = 0;
  int opened = 0;
};

class ScriptedExchange final : public exchange::VenueConnection {
 public:
  explicit ScriptedExchange(ScriptedExchangeState& state) : state_(state) {}
  exchange::ExchangeConnector& connector() override { return state_.venue; }
  void set_patient(bool, std::function<void(const std::string&)>) override {}
  std::string rest_url() const override { return "scripted://rest"; }
  std::string stream_url() const override { return "scripted://streams"; }
  std::string user_stream_description() const override { return "in memory"; }

  class Stream final : public exchange::LiveStream {
   public:
    explicit Stream(int& started) : started_(started) {}
    Status start() override {
      ++started_;
      return Ok{};
    }
    void stop() override {}

   private:
    int& started_;
  };
  std::unique_ptr<exchange::LiveStream> market_stream(exchange::MarketStreamSettings,
                                                      exchange::CandleHandler,
                                                      exchange::MarketHealthHandler) override {
    return std::make_unique<Stream>(state_.streams_started);
  }
  std::unique_ptr<exchange::LiveStream> user_stream(exchange::UserStreamHandlers) override {
    return std::make_unique<Stream>(state_.streams_started);
  }

 private:
  ScriptedExchangeState& state_;
};

// The opener. A registry entry holds a plain function, so the state it scripts lives in one
// place per test binary; tests reset it.
inline ScriptedExchangeState& scripted_exchange_state() {
  static ScriptedExchangeState state;
  return state;
}
inline Result<std::unique_ptr<exchange::VenueConnection>> open_scripted_exchange(
    const exchange::VenueSetup&) {
  ++scripted_exchange_state().opened;
  return std::unique_ptr<exchange::VenueConnection>(
      std::make_unique<ScriptedExchange>(scripted_exchange_state()));
}

}  // namespace cephalo::test
