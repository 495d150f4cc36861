// The "macd" evaluator: the core's streaming MACD histogram per symbol, as an evaluation in [-1,
// 1]. Thread-safety: loop thread only, like every evaluator.
#include <algorithm>
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../followed_timeframes.hpp"

namespace {

constexpr std::string_view kStateMagic = "cephalo-macd-state";

constexpr uint32_t kHistogramOutput = 2;  // macd outputs: macd, signal, hist

class Macd final : public cephalo::Evaluator {
 public:
  explicit Macd(cephalo::Host host)
      : Evaluator(host),
        fast_(host.integer("fast")),
        slow_(host.integer("slow")),
        signal_(host.integer("signal")),
        sensitivity_(host.number("sensitivity")),
        spec_("macd:" + std::to_string(fast_) + ":" + std::to_string(slow_) + ":" +
              std::to_string(signal_)) {
    // The core would refuse the spec too, but only on the first candle; a config error belongs
    // at create, where it names the parameters.
    if (fast_ < 2 || fast_ >= slow_) {
      throw std::invalid_argument("macd: need 2 <= fast < slow, got fast " + std::to_string(fast_) +
                                  ", slow " + std::to_string(slow_));
    }
    if (signal_ < 1) {
      throw std::invalid_argument("macd: signal must be at least 1, got " +
                                  std::to_string(signal_));
    }
    if (!(sensitivity_ > 0) || !std::isfinite(sensitivity_)) {
      throw std::invalid_argument("macd: sensitivity must be a positive number, got " +
                                  std::to_string(sensitivity_));
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close) ||
        candle.close <= 0) {
      return;
    }
    if (!timeframes_.follows(candle)) return;  // one timeframe speaks per symbol

    const auto histogram =
        host().indicator(candle.symbol, candle.timeframe, spec_.c_str(), kHistogramOutput);
    if (!histogram || !std::isfinite(*histogram)) return;
    // Dividing by the close makes the reading scale-free: the same sensitivity serves BTC/USDT
    // and ETH/BTC, whose histograms differ by six orders of magnitude.
    const double value = std::clamp(*histogram / candle.close * sensitivity_, -1.0, 1.0);
    host().emit_evaluation(candle.symbol, value, std::fabs(value));
  }

  // The followed timeframes are the state; the indicators stay in the core across a swap.
  static constexpr uint32_t kStateVersion = cephalo::tentacles::FollowedTimeframes::kStateVersion;
  std::string save_state() override { return timeframes_.save(kStateMagic); }
  void load_state(uint32_t state_version, std::string_view bytes) override {
    timeframes_.load(state_version, bytes, kStateMagic, "macd");
  }

 private:
  int64_t fast_;
  int64_t slow_;
  int64_t signal_;
  double sensitivity_;
  std::string spec_;
  cephalo::tentacles::FollowedTimeframes timeframes_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Macd)
