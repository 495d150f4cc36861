// compat_cross: an SMA crossover strategy written against the ABI 1.0 SDK only (candle history,
// integer parameters, signals), so the same source compiles against the 1.0, 1.4 and current
// headers; the builds must trade identically on the current host.
// Thread-safety: loop thread only.
#include <cephalo/sdk.hpp>
#include <cstdint>
#include <string>

namespace {

class CompatCross final : public cephalo::Strategy {
 public:
  explicit CompatCross(cephalo::Host host)
      : Strategy(host),
        fast_(static_cast<uint32_t>(host.integer("fast"))),
        slow_(static_cast<uint32_t>(host.integer("slow"))) {}

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    const auto candles = host().history(candle.symbol, candle.timeframe, slow_ + 1);
    if (candles.size() < slow_ + 1) return;
    // The averages now and one candle ago, summed oldest first so every build adds alike.
    const double fast_now = mean(candles, candles.size() - fast_, fast_);
    const double slow_now = mean(candles, candles.size() - slow_, slow_);
    const double fast_before = mean(candles, candles.size() - 1 - fast_, fast_);
    const double slow_before = mean(candles, candles.size() - 1 - slow_, slow_);
    if (fast_before <= slow_before && fast_now > slow_now) {
      host().emit_signal(candle.symbol, CEPHALO_SIGNAL_ENTER_LONG, 1.0, 1.0);
    } else if (fast_before >= slow_before && fast_now < slow_now) {
      host().emit_signal(candle.symbol, CEPHALO_SIGNAL_EXIT_LONG, 1.0, 1.0);
    }
  }

 private:
  static double mean(const std::vector<cephalo_candle>& candles, size_t first, size_t count) {
    double sum = 0;
    for (size_t i = first; i < first + count; ++i) sum += candles[i].close;
    return sum / static_cast<double>(count);
  }

  uint32_t fast_, slow_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(CompatCross)
