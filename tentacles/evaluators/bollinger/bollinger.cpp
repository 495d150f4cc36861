// The "bollinger" evaluator: where the close sits in the core's Bollinger Bands, as mean reversion.
// Thread-safety: loop thread only, like every evaluator.
#include <algorithm>
#include <cephalo/sdk.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../followed_timeframes.hpp"

namespace {

constexpr std::string_view kStateMagic = "cephalo-bollinger-state";

constexpr uint32_t kUpperOutput = 0;  // bbands outputs: upper, middle, lower
constexpr uint32_t kMiddleOutput = 1;
constexpr uint32_t kLowerOutput = 2;

// The core reads k in fixed notation; the shortest fixed form keeps "2" as "2" and 2.5 as "2.5".
std::string fixed_text(double value) {
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

class Bollinger final : public cephalo::Evaluator {
 public:
  explicit Bollinger(cephalo::Host host)
      : Evaluator(host), period_(host.integer("period")), k_(host.number("k")) {
    if (period_ < 2) {
      throw std::invalid_argument("bollinger: period must be at least 2, got " +
                                  std::to_string(period_));
    }
    if (!(k_ > 0) || !std::isfinite(k_)) {
      throw std::invalid_argument("bollinger: k must be a positive number, got " +
                                  std::to_string(k_));
    }
    spec_ = "bbands:" + std::to_string(period_) + ":" + fixed_text(k_);
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close)) {
      return;
    }
    // One timeframe per symbol speaks (the first seen): strategies key opinions by symbol only.
    if (!timeframes_.follows(candle)) return;

    const auto upper =
        host().indicator(candle.symbol, candle.timeframe, spec_.c_str(), kUpperOutput);
    if (!upper) return;  // warming up: all three outputs appear together
    const auto middle =
        host().indicator(candle.symbol, candle.timeframe, spec_.c_str(), kMiddleOutput);
    const auto lower =
        host().indicator(candle.symbol, candle.timeframe, spec_.c_str(), kLowerOutput);
    if (!middle || !lower) return;
    const double half_width = (*upper - *lower) / 2;
    double value = 0;
    // A flat market has zero-width bands: every close is "outside" them, which says nothing.
    if (half_width > 0 && std::isfinite(half_width) && std::isfinite(*middle)) {
      value = std::clamp((*middle - candle.close) / half_width, -1.0, 1.0);
    }
    host().emit_evaluation(candle.symbol, value, std::fabs(value));
  }

  // The followed timeframes are the state; the indicators stay in the core across a swap.
  static constexpr uint32_t kStateVersion = cephalo::tentacles::FollowedTimeframes::kStateVersion;
  std::string save_state() override { return timeframes_.save(kStateMagic); }
  void load_state(uint32_t state_version, std::string_view bytes) override {
    timeframes_.load(state_version, bytes, kStateMagic, "bollinger");
  }

 private:
  int64_t period_;
  double k_;
  std::string spec_;
  cephalo::tentacles::FollowedTimeframes timeframes_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Bollinger)
