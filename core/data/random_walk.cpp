#include "data/random_walk.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "data/portable_math.hpp"

namespace cephalo {
namespace {

// Far inside double range even after the start price and the wicks: e^100 * 1e100 ~ 3e143.
constexpr double kLogPriceBound = 100.0;
constexpr double kBaseVolume = 1000.0;

}  // namespace

RandomWalk::RandomWalk(const RandomWalkSpec& spec)
    : spec_(spec), engine_(spec.seed), close_(spec.start_price) {}

double RandomWalk::uniform() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double RandomWalk::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  // Polar Box-Muller: no sin/cos, whose last bits differ between math libraries.
  double u = 0;
  double v = 0;
  double s = 0;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * portable_log(s) / s);  // sqrt is exact in IEEE-754
  spare_normal_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

OhlcvBar RandomWalk::next() {
  OhlcvBar bar;
  bar.open_time_ms = spec_.start_ms + index_++ * spec_.interval_ms;
  bar.open = close_;
  // |z| <= 12.1 from the polar method (s >= 2^-104), so one step never crosses twice the bound.
  log_price_ += spec_.volatility * normal();
  if (log_price_ > kLogPriceBound) log_price_ = 2.0 * kLogPriceBound - log_price_;
  if (log_price_ < -kLogPriceBound) log_price_ = -2.0 * kLogPriceBound - log_price_;
  bar.close = spec_.start_price * portable_exp(log_price_);
  // Factors >= 1 (and <= 1) keep high >= max(open, close) and low <= min after rounding too.
  bar.high =
      std::max(bar.open, bar.close) * portable_exp(0.5 * spec_.volatility * std::abs(normal()));
  bar.low =
      std::min(bar.open, bar.close) * portable_exp(-0.5 * spec_.volatility * std::abs(normal()));
  bar.volume = kBaseVolume * portable_exp(0.5 * normal());
  close_ = bar.close;
  return bar;
}

Status check_random_walk_spec(const RandomWalkSpec& spec) {
  if (spec.bars < 0) return Error{"bars must be 0 or more, got " + std::to_string(spec.bars)};
  if (spec.interval_ms <= 0) {
    return Error{"interval must be positive, got " + std::to_string(spec.interval_ms) + " ms"};
  }
  const int64_t span_limit =
      std::numeric_limits<int64_t>::max() - std::max<int64_t>(spec.start_ms, 0);
  if (spec.bars > 0 && spec.bars - 1 > span_limit / spec.interval_ms) {
    return Error{"bars x interval overflows the epoch-millisecond time range"};
  }
  if (!(spec.start_price >= 1e-100 && spec.start_price <= 1e100)) {
    return Error{"start price must be within [1e-100, 1e100], got " +
                 std::to_string(spec.start_price)};
  }
  if (!(spec.volatility >= 0.0 && spec.volatility <= 1.0)) {
    return Error{"volatility (per-bar log-return standard deviation) must be within [0, 1], got " +
                 std::to_string(spec.volatility)};
  }
  return Ok{};
}

Result<std::vector<OhlcvBar>> generate_random_walk(const RandomWalkSpec& spec) {
  if (Status valid = check_random_walk_spec(spec); !valid) return valid;
  std::vector<OhlcvBar> bars;
  bars.reserve(static_cast<size_t>(spec.bars));
  RandomWalk walk(spec);
  for (int64_t i = 0; i < spec.bars; ++i) bars.push_back(walk.next());
  return bars;
}

}  // namespace cephalo
