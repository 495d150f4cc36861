// The "spot" trading mode: on ENTER_LONG a market BUY sized from the portfolio view (or, for
// risk_per_trade, by the core's sizing within the risk limits, ABI 1.2), on EXIT_LONG a market
// SELL of the whole position. Thread-safety: loop thread only, like every trading mode.
//
// It keeps no position of its own: the core's portfolio (ABI 1.1) is the truth, so a rejected or
// partly filled order can never leave this mode believing it holds something it does not.
#include <cephalo/sdk.hpp>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr std::string_view kStateMagic = "cephalo-spot-state";

enum class Sizing { kAllIn, kFixedFraction, kFixedNotional, kRiskPerTrade };

Sizing parse_sizing(const std::string& text) {
  if (text == "all_in") return Sizing::kAllIn;
  if (text == "fixed_fraction") return Sizing::kFixedFraction;
  if (text == "fixed_notional") return Sizing::kFixedNotional;
  if (text == "risk_per_trade") return Sizing::kRiskPerTrade;
  throw std::invalid_argument(
      "spot: sizing must be all_in, fixed_fraction, fixed_notional or risk_per_trade, got '" +
      text + "'");
}

class Spot final : public cephalo::TradingMode {
 public:
  explicit Spot(cephalo::Host host)
      : TradingMode(host),
        sizing_(parse_sizing(host.string("sizing"))),
        fraction_(host.number("fraction")),
        order_quote_amount_(host.number("order_quote_amount")),
        risk_fraction_(host.number("risk_fraction")),
        stop_fraction_(host.number("stop_fraction")) {
    if (!(order_quote_amount_ > 0) || !std::isfinite(order_quote_amount_)) {
      throw std::invalid_argument("spot: order_quote_amount must be a positive number, got " +
                                  std::to_string(order_quote_amount_));
    }
    if (!(fraction_ > 0 && fraction_ <= 1)) {
      throw std::invalid_argument("spot: fraction must be in (0, 1], got " +
                                  std::to_string(fraction_));
    }
    if (!(risk_fraction_ > 0 && risk_fraction_ < 1) ||
        !(stop_fraction_ > 0 && stop_fraction_ < 1)) {
      throw std::invalid_argument("spot: risk_fraction and stop_fraction must be in (0, 1), got " +
                                  std::to_string(risk_fraction_) + " and " +
                                  std::to_string(stop_fraction_));
    }
  }

  // The signal bar's close is the price an entry is sized at.
  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || !std::isfinite(candle.close) || candle.close <= 0) return;
    // The core passes one interned pointer per symbol: remember where its entry is.
    if (candle.symbol != last_symbol_) switch_symbol(candle.symbol);
    *last_close_slot_ = candle.close;
  }

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    if (signal.symbol == nullptr) return;
    const cephalo::Host::Position held = host().position(signal.symbol);
    // Spot cannot sell what it does not hold, so the short intents are not this mode's business.
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG) {
      if (held.quantity > 0) return;  // no pyramiding: one entry per position
      const double* close = close_of(signal.symbol);
      if (close == nullptr) {
        host().warn(std::string("ENTER_LONG for ") + signal.symbol +
                    " before any candle of it; no price to size the order with, skipped");
        return;
      }
      const double quantity = sizing_ == Sizing::kRiskPerTrade ? risk_sized_quantity(signal, *close)
                                                               : entry_quote_amount() / *close;
      if (quantity > 0) emit(signal.symbol, CEPHALO_SIDE_BUY, quantity, "entry");
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG) {
      if (held.quantity <= 0) return;  // flat (for instance the entry was rejected)
      emit(signal.symbol, CEPHALO_SIDE_SELL, held.quantity, "signal");
    }
  }

  // The last close of each pair is the state: without it, an entry signalled after a swap but
  // before the pair's next candle would have no price to be sized at and would be skipped.
  // Header: the magic; then "symbol <tab> close" per pair.
  static constexpr uint32_t kStateVersion = 1;
  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    for (const auto& [symbol, close] : last_close_) out.line().text(symbol).number(close);
    return out.str();
  }
  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("spot", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "spot");
    std::map<std::string, double, std::less<>> restored;
    for (const cephalo::StateTextLine& line : in) {
      line.expect_fields(2);
      restored[line.text(0, "symbol")] = line.number(1, "close");
    }
    // Only a fully parsed state replaces the current one.
    last_close_ = std::move(restored);
    last_symbol_ = nullptr;
    last_close_slot_ = nullptr;
  }

 private:
  // The pair's last close, or nullptr before its first candle. A signal usually follows a candle
  // of its own pair, whose interned pointer the core passes again: then no lookup by name.
  const double* close_of(const char* symbol) const {
    if (symbol == last_symbol_) return last_close_slot_;
    const auto found = last_close_.find(symbol);
    return found == last_close_.end() ? nullptr : &found->second;
  }

  // Out of line: inlined, the map lookup would make every candle pay for the registers it needs.
  [[gnu::noinline]] void switch_symbol(const char* symbol) {
    last_symbol_ = symbol;
    last_close_slot_ = &last_close_[symbol];
  }

  double entry_quote_amount() const {
    switch (sizing_) {
      case Sizing::kAllIn:
        return host().cash();
      case Sizing::kFixedFraction:
        return fraction_ * host().cash();
      case Sizing::kFixedNotional:
        return order_quote_amount_;
      case Sizing::kRiskPerTrade:
        return 0;  // sized by the core instead (risk_sized_quantity)
    }
    return 0;
  }

  // Loses risk_fraction of equity at the stop: the signal's stop when it gives one below the
  // price, else close x (1 - stop_fraction) (set risk.position.stop_loss_fraction to the same value
  // so the core's stop is the one the size assumed). The core clamps it to the risk limits.
  double risk_sized_quantity(const cephalo_signal& signal, double close) const {
    const double stop = signal.stop_price > 0 && signal.stop_price < close
                            ? signal.stop_price
                            : close * (1 - stop_fraction_);
    const cephalo::Host::Sizing size =
        host().size_risk_per_trade(signal.symbol, CEPHALO_SIDE_BUY, risk_fraction_, stop, close);
    if (size.clamped) {
      host().info(std::string("entry on ") + signal.symbol + " cut by the risk limits from " +
                  std::to_string(size.unclamped_quantity) + " to " + std::to_string(size.quantity));
    }
    return size.quantity;
  }

  // The tag becomes the exit reason of the trade an exit order closes.
  void emit(const char* symbol, cephalo_side side, double quantity, const char* tag) const {
    host().emit_market_order(symbol, side, quantity, tag);
  }

  Sizing sizing_;
  double fraction_;            // of available cash, for fixed_fraction
  double order_quote_amount_;  // quote currency per entry, for fixed_notional
  double risk_fraction_;       // of equity lost at the stop, for risk_per_trade
  double stop_fraction_;       // below the close: the stop risk_per_trade assumes without one
  std::map<std::string, double, std::less<>> last_close_;  // quote per base; nodes never move
  const char* last_symbol_ = nullptr;
  double* last_close_slot_ = nullptr;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Spot)
