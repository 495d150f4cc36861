// The "ma_cross" evaluator: the gap between a fast and a slow moving average, as an evaluation.
// Thread-safety: loop thread only, like every evaluator.
#include <algorithm>
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../followed_timeframes.hpp"

namespace {

constexpr std::string_view kStateMagic = "cephalo-ma_cross-state";

std::string average_type(const std::string& text) {
  if (text == "sma" || text == "ema") return text;
  throw std::invalid_argument("ma_cross: type must be sma or ema, got '" + text + "'");
}

class MaCross final : public cephalo::Evaluator {
 public:
  explicit MaCross(cephalo::Host host)
      : Evaluator(host),
        fast_(host.integer("fast")),
        slow_(host.integer("slow")),
        sensitivity_(host.number("sensitivity")) {
    const std::string type = average_type(host.string("type"));
    if (fast_ < 1 || fast_ >= slow_) {
      throw std::invalid_argument("ma_cross: need 1 <= fast < slow, got fast " +
                                  std::to_string(fast_) + ", slow " + std::to_string(slow_));
    }
    if (!(sensitivity_ > 0) || !std::isfinite(sensitivity_)) {
      throw std::invalid_argument("ma_cross: sensitivity must be a positive number, got " +
                                  std::to_string(sensitivity_));
    }
    fast_spec_ = type + ":" + std::to_string(fast_);
    slow_spec_ = type + ":" + std::to_string(slow_);
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr) return;
    // One timeframe per symbol speaks (the first seen): strategies key opinions by symbol only.
    if (!timeframes_.follows(candle)) return;

    const auto fast = host().indicator(candle.symbol, candle.timeframe, fast_spec_.c_str());
    const auto slow = host().indicator(candle.symbol, candle.timeframe, slow_spec_.c_str());
    if (!fast || !slow || !std::isfinite(*fast) || !(*slow > 0) || !std::isfinite(*slow)) return;
    // Relative to the slow average, so one sensitivity fits any price level.
    const double value = std::clamp((*fast - *slow) / *slow * sensitivity_, -1.0, 1.0);
    host().emit_evaluation(candle.symbol, value, std::fabs(value));
  }

  // The followed timeframes are the state; the indicators stay in the core across a swap.
  static constexpr uint32_t kStateVersion = cephalo::tentacles::FollowedTimeframes::kStateVersion;
  std::string save_state() override { return timeframes_.save(kStateMagic); }
  void load_state(uint32_t state_version, std::string_view bytes) override {
    timeframes_.load(state_version, bytes, kStateMagic, "ma_cross");
  }

 private:
  int64_t fast_;
  int64_t slow_;
  double sensitivity_;
  std::string fast_spec_;
  std::string slow_spec_;
  cephalo::tentacles::FollowedTimeframes timeframes_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(MaCross)
