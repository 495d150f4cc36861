// The "dca" trading mode: dollar-cost averaging into a spot position, with a take-profit exit.
// Thread-safety: loop thread only, like every trading mode.
//
// The core's portfolio (ABI 1.1) is the truth for what is held and at what average price, so a
// rejected or partly filled order never leaves this mode believing something that is not so.
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

// The saved state is cephalo/state_text.hpp text: a header line, then one line per symbol.
constexpr std::string_view kStateMagic = "cephalo-dca-state";

class Dca final : public cephalo::TradingMode {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Dca(cephalo::Host host)
      : TradingMode(host),
        interval_bars_(host.integer("interval_bars")),
        quote_per_buy_(host.number("quote_per_buy")),
        take_profit_(host.number("take_profit")),
        max_buys_(host.integer("max_buys")) {
    if (interval_bars_ < 1) {
      throw std::invalid_argument("dca: interval_bars must be at least 1, got " +
                                  std::to_string(interval_bars_));
    }
    if (!(quote_per_buy_ > 0) || !std::isfinite(quote_per_buy_)) {
      throw std::invalid_argument("dca: quote_per_buy must be a positive number, got " +
                                  std::to_string(quote_per_buy_));
    }
    if (!(take_profit_ >= 0) || !std::isfinite(take_profit_)) {
      throw std::invalid_argument("dca: take_profit must be a fraction >= 0 (0 = never), got " +
                                  std::to_string(take_profit_));
    }
    if (max_buys_ < 0) {
      throw std::invalid_argument("dca: max_buys must be >= 0 (0 = unlimited), got " +
                                  std::to_string(max_buys_));
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close) ||
        candle.close <= 0) {
      return;
    }
    auto found = symbols_.find(std::string_view(candle.symbol));
    if (found == symbols_.end()) {
      SymbolState fresh;
      fresh.timeframe = candle.timeframe;
      found = symbols_.emplace(candle.symbol, std::move(fresh)).first;
    }
    SymbolState& state = found->second;
    // The interval counts candles of one timeframe (the first seen): 1m and 1h candles
    // interleaved would make "every 12 candles" mean nothing.
    if (state.timeframe != candle.timeframe) return;
    const int64_t bar = state.bars_seen++;
    state.last_close = candle.close;

    const cephalo::Host::Position held = host().position(candle.symbol);
    if (take_profit_ > 0 && held.quantity > 0 && held.average_price > 0 &&
        candle.close >= held.average_price * (1 + take_profit_)) {
      sell_all(candle.symbol, held.quantity, "take_profit", state);
      return;  // buying back on the bar that took the profit would undo it
    }
    if (bar % interval_bars_ == 0) buy(candle.symbol, state, "scheduled");
  }

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    if (signal.symbol == nullptr) return;
    // Spot cannot sell what it does not hold, so the short intents are not this mode's business.
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG) {
      const auto found = symbols_.find(std::string_view(signal.symbol));
      if (found == symbols_.end()) {
        host().warn(std::string("dca: ENTER_LONG for ") + signal.symbol +
                    " before any candle of it; no price to size the buy with, skipped");
        return;
      }
      buy(signal.symbol, found->second, "signal");
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG) {
      const double held = host().position(signal.symbol).quantity;
      if (held <= 0) return;
      auto found = symbols_.find(std::string_view(signal.symbol));
      if (found == symbols_.end()) found = symbols_.emplace(signal.symbol, SymbolState{}).first;
      sell_all(signal.symbol, held, "signal", found->second);
    }
  }

  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    for (const auto& [symbol, state] : symbols_) {
      out.line().text(symbol).text(state.timeframe).integer(state.bars_seen);
      out.integer(state.buys_in_position).number(state.last_close);
    }
    return out.str();
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("dca", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "dca");
    in.header().expect_fields(1);
    std::map<std::string, SymbolState, std::less<>> restored;
    for (const cephalo::StateTextLine& line : in) {
      line.expect_fields(5);
      SymbolState state;
      state.timeframe = line.text(1, "timeframe");
      state.bars_seen = line.integer(2, "bars_seen");
      state.buys_in_position = line.integer(3, "buys_in_position");
      state.last_close = line.number(4, "last_close");
      restored.insert_or_assign(line.text(0, "symbol"), std::move(state));
    }
    // Only a fully parsed state replaces the current one.
    symbols_ = std::move(restored);
  }

 private:
  struct SymbolState {
    std::string timeframe;         // the one whose candles are counted
    int64_t bars_seen = 0;         // candles of that timeframe so far
    int64_t buys_in_position = 0;  // buys proposed since this mode's last exit
    double last_close = 0;         // quote per base; 0 before the first candle
  };

  void buy(const char* symbol, SymbolState& state, const char* why) {
    if (state.last_close <= 0) return;
    if (max_buys_ > 0 && state.buys_in_position >= max_buys_) {
      host().debug(std::string("dca: ") + why + " buy of " + symbol + " skipped: max_buys " +
                   std::to_string(max_buys_) + " reached");
      return;
    }
    const double cash = host().cash();
    if (cash < quote_per_buy_) {
      host().debug(std::string("dca: ") + why + " buy of " + symbol + " skipped: cash " +
                   std::to_string(cash) + " is below quote_per_buy " +
                   std::to_string(quote_per_buy_));
      return;
    }
    emit(symbol, CEPHALO_SIDE_BUY, quote_per_buy_ / state.last_close, "dca");
    ++state.buys_in_position;  // only once the host took the intent
  }

  // The tag becomes the exit reason of the trade the sell closes.
  void sell_all(const char* symbol, double quantity, const char* tag, SymbolState& state) {
    emit(symbol, CEPHALO_SIDE_SELL, quantity, tag);
    state.buys_in_position = 0;
  }

  void emit(const char* symbol, cephalo_side side, double quantity, const char* tag) const {
    host().emit_market_order(symbol, side, quantity, tag);
  }

  int64_t interval_bars_;
  double quote_per_buy_;  // quote currency per buy
  double take_profit_;    // fraction above the average entry; 0 = never
  int64_t max_buys_;      // per position; 0 = unlimited
  std::map<std::string, SymbolState, std::less<>> symbols_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Dca)
