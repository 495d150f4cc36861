// compat_trader: a trading mode written against the ABI 1.0 SDK only: a market buy of a fixed
// quantity on ENTER_LONG when flat, a market sell of what its fills bought on EXIT_LONG. The same
// source compiles against the 1.0, 1.4 and current headers (see compat_cross.cpp).
// Thread-safety: loop thread only.
#include <cephalo/sdk.hpp>
#include <map>
#include <string>

namespace {

class CompatTrader final : public cephalo::TradingMode {
 public:
  explicit CompatTrader(cephalo::Host host)
      : TradingMode(host), quantity_(host.number("quantity")) {}

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    double& held = held_[signal.symbol];
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG && held <= 0) {
      host().emit_order_intent(market(signal.symbol, CEPHALO_SIDE_BUY, quantity_));
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG && held > 0) {
      host().emit_order_intent(market(signal.symbol, CEPHALO_SIDE_SELL, held));
    }
  }

  void on_fill(const cephalo_fill& fill, const cephalo_event&) override {
    held_[fill.symbol] += fill.side == CEPHALO_SIDE_BUY ? fill.quantity : -fill.quantity;
  }

 private:
  // Filled field by field: the 1.0 SDK has no order helpers.
  static cephalo_order_intent market(const char* symbol, cephalo_side side, double quantity) {
    cephalo_order_intent intent{};
    intent.side = side;
    intent.symbol = symbol;
    intent.type = CEPHALO_ORDER_MARKET;
    intent.time_in_force = CEPHALO_TIF_GTC;
    intent.quantity = quantity;
    intent.tag = "signal";
    return intent;
  }

  double quantity_;
  std::map<std::string, double> held_;  // by symbol, base units bought minus sold
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(CompatTrader)
