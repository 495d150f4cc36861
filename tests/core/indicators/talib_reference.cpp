// A batch reference for every indicator, from TA-Lib's published algorithms.
// Thread-safety: see talib_reference.hpp.
#include "talib_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cephalo::talib_reference {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEpsilon = 1e-14;  // upstream TA-Lib's TA_EPSILON
bool is_zero(double v) {
  return -kEpsilon < v && v < kEpsilon;
}

Column empty_like(size_t n) {
  return Column(n, kNaN);
}

double window_mean(const std::vector<double>& in, size_t last, int period) {
  double sum = 0;
  for (size_t j = last + 1 - static_cast<size_t>(period); j <= last; ++j) sum += in[j];
  return sum / period;
}

double true_range(const Bars& b, size_t i) {
  const double a = b.high[i] - b.low[i];
  const double c = std::fabs(b.high[i] - b.close[i - 1]);
  const double d = std::fabs(b.low[i] - b.close[i - 1]);
  return std::max({a, c, d});
}

double typical(const Bars& b, size_t i) {
  return (b.high[i] + b.low[i] + b.close[i]) / 3.0;
}

// EMA of in[] whose seed is the mean of in[seed_end-period+1 .. seed_end], output from seed_end.
Column ema_from(const std::vector<double>& in, int period, size_t seed_end) {
  Column out = empty_like(in.size());
  if (seed_end >= in.size()) return out;
  const double k = 2.0 / (period + 1);
  double value = window_mean(in, seed_end, period);
  out[seed_end] = value;
  for (size_t i = seed_end + 1; i < in.size(); ++i) {
    value = ((in[i] - value) * k) + value;
    out[i] = value;
  }
  return out;
}

}  // namespace

Column sma(const std::vector<double>& in, int period) {
  Column out = empty_like(in.size());
  for (size_t i = static_cast<size_t>(period) - 1; i < in.size(); ++i) {
    out[i] = window_mean(in, i, period);
  }
  return out;
}

Column ema(const std::vector<double>& in, int period) {
  return ema_from(in, period, static_cast<size_t>(period) - 1);
}

Column wma(const std::vector<double>& in, int period) {
  Column out = empty_like(in.size());
  const double divider = period * (period + 1) / 2.0;
  for (size_t i = static_cast<size_t>(period) - 1; i < in.size(); ++i) {
    double sum = 0;
    for (int w = 1; w <= period; ++w) sum += w * in[i + 1 - static_cast<size_t>(period - w + 1)];
    out[i] = sum / divider;
  }
  return out;
}

Column rsi(const std::vector<double>& in, int period) {
  Column out = empty_like(in.size());
  const auto n = static_cast<size_t>(period);
  if (in.size() <= n) return out;
  double gain = 0, loss = 0;
  for (size_t i = 1; i <= n; ++i) {
    const double d = in[i] - in[i - 1];
    if (d < 0)
      loss -= d;
    else
      gain += d;
  }
  loss /= period;
  gain /= period;
  const auto value = [&] { return is_zero(gain + loss) ? 0.0 : 100.0 * (gain / (gain + loss)); };
  out[n] = value();
  for (size_t i = n + 1; i < in.size(); ++i) {
    const double d = in[i] - in[i - 1];
    loss *= period - 1;
    gain *= period - 1;
    if (d < 0)
      loss -= d;
    else
      gain += d;
    loss /= period;
    gain /= period;
    out[i] = value();
  }
  return out;
}

std::vector<Column> macd(const std::vector<double>& in, int fast, int slow, int signal) {
  // Both EMAs start at bar slow-1: the fast seed is the mean of the last `fast` of the slow seed.
  const auto start = static_cast<size_t>(slow) - 1;
  const Column fast_ema = ema_from(in, fast, start);
  const Column slow_ema = ema_from(in, slow, start);
  Column line = empty_like(in.size());
  for (size_t i = start; i < in.size(); ++i) line[i] = fast_ema[i] - slow_ema[i];
  // The signal line: an EMA of the MACD line seeded with its first `signal` values.
  Column signal_line = empty_like(in.size());
  const size_t first = start + static_cast<size_t>(signal) - 1;
  if (first < in.size()) {
    const double k = 2.0 / (signal + 1);
    double value = window_mean(line, first, signal);
    signal_line[first] = value;
    for (size_t i = first + 1; i < in.size(); ++i) {
      value = ((line[i] - value) * k) + value;
      signal_line[i] = value;
    }
  }
  std::vector<Column> out(3, empty_like(in.size()));
  for (size_t i = first; i < in.size(); ++i) {
    out[0][i] = line[i];
    out[1][i] = signal_line[i];
    out[2][i] = line[i] - signal_line[i];
  }
  return out;
}

std::vector<Column> bbands(const std::vector<double>& in, int period, double k) {
  std::vector<Column> out(3, empty_like(in.size()));
  const auto n = static_cast<size_t>(period);
  for (size_t i = n - 1; i < in.size(); ++i) {
    const double mean = window_mean(in, i, period);
    // Population variance, two-pass, so a flat window is exactly 0.
    double squares = 0;
    for (size_t j = i + 1 - n; j <= i; ++j) squares += (in[j] - mean) * (in[j] - mean);
    const double variance = squares / period;
    const double deviation = variance > 0 ? std::sqrt(variance) : 0.0;
    out[0][i] = mean + deviation * k;
    out[1][i] = mean;
    out[2][i] = mean - deviation * k;
  }
  return out;
}

Column atr(const Bars& b, int period) {
  const size_t size = b.close.size();
  Column out = empty_like(size);
  const auto n = static_cast<size_t>(period);
  if (size <= n) return out;
  // The first bar has no previous close: its true range is never used.
  double sum = 0;
  for (size_t i = 1; i <= n; ++i) sum += true_range(b, i);
  double value = sum / period;
  out[n] = value;
  for (size_t i = n + 1; i < size; ++i) {
    value = (value * (period - 1) + true_range(b, i)) / period;
    out[i] = value;
  }
  return out;
}

std::vector<Column> stoch(const Bars& b, int fastk, int slowk, int slowd) {
  const size_t size = b.close.size();
  Column fast = empty_like(size);
  for (size_t i = static_cast<size_t>(fastk) - 1; i < size; ++i) {
    const size_t from = i + 1 - static_cast<size_t>(fastk);
    const double hh = *std::max_element(b.high.begin() + from, b.high.begin() + i + 1);
    const double ll = *std::min_element(b.low.begin() + from, b.low.begin() + i + 1);
    const double diff = (hh - ll) / 100.0;
    fast[i] = diff != 0.0 ? (b.close[i] - ll) / diff : 0.0;
  }
  // Smoothing: SMA of the fast %K, then SMA of that; NaNs before each start stay NaN.
  const auto smooth = [size](const Column& in, int period, size_t first_valid) {
    Column out = empty_like(size);
    for (size_t i = first_valid + static_cast<size_t>(period) - 1; i < size; ++i) {
      out[i] = window_mean(in, i, period);
    }
    return out;
  };
  const size_t k_first = static_cast<size_t>(fastk) - 1;
  Column slow_k = smooth(fast, slowk, k_first);
  Column slow_d = smooth(slow_k, slowd, k_first + static_cast<size_t>(slowk) - 1);
  const size_t first = k_first + static_cast<size_t>(slowk - 1 + slowd - 1);
  for (size_t i = 0; i < std::min(first, size); ++i) slow_k[i] = kNaN;
  return {slow_k, slow_d};
}

Column adx(const Bars& b, int period) {
  const size_t size = b.close.size();
  Column out = empty_like(size);
  const auto n = static_cast<size_t>(period);
  // Directional movements and true ranges of bars 1..size-1.
  std::vector<double> plus(size, 0.0), minus(size, 0.0), range(size, 0.0);
  for (size_t i = 1; i < size; ++i) {
    const double up = b.high[i] - b.high[i - 1];
    const double down = b.low[i - 1] - b.low[i];
    if (down > 0 && up < down)
      minus[i] = down;
    else if (up > 0 && up > down)
      plus[i] = up;
    range[i] = true_range(b, i);
  }
  if (size < 2 * n) return out;
  // Wilder sums: the first n-1 movements added, then sum - sum/n + today.
  double sp = 0, sm = 0, st = 0;
  for (size_t i = 1; i < n; ++i) {
    sp += plus[i];
    sm += minus[i];
    st += range[i];
  }
  std::vector<double> dx(size, kNaN);  // NaN where TA-Lib skips the bar (zero range)
  for (size_t i = n; i < size; ++i) {
    sm -= sm / period;
    sp -= sp / period;
    sm += minus[i];
    sp += plus[i];
    st = st - st / period + range[i];
    if (!is_zero(st)) {
      const double mdi = 100.0 * (sm / st), pdi = 100.0 * (sp / st);
      if (!is_zero(mdi + pdi)) dx[i] = 100.0 * (std::fabs(mdi - pdi) / (mdi + pdi));
    }
  }
  double sum = 0;
  for (size_t i = n; i < 2 * n; ++i)
    if (!std::isnan(dx[i])) sum += dx[i];
  double value = sum / period;
  out[2 * n - 1] = value;
  for (size_t i = 2 * n; i < size; ++i) {
    if (!std::isnan(dx[i])) value = (value * (period - 1) + dx[i]) / period;
    out[i] = value;
  }
  return out;
}

Column cci(const Bars& b, int period) {
  const size_t size = b.close.size();
  Column out = empty_like(size);
  std::vector<double> tp(size);
  for (size_t i = 0; i < size; ++i) tp[i] = typical(b, i);
  for (size_t i = static_cast<size_t>(period) - 1; i < size; ++i) {
    const double mean = window_mean(tp, i, period);
    double deviation = 0;
    for (size_t j = i + 1 - static_cast<size_t>(period); j <= i; ++j) {
      deviation += std::fabs(tp[j] - mean);
    }
    const double distance = tp[i] - mean;
    out[i] = (!is_zero(distance) && !is_zero(deviation)) ? distance / (0.015 * (deviation / period))
                                                         : 0.0;
  }
  return out;
}

Column obv(const Bars& b) {
  Column out = empty_like(b.close.size());
  double value = b.volume.empty() ? 0.0 : b.volume[0];
  for (size_t i = 0; i < b.close.size(); ++i) {
    if (i > 0 && b.close[i] > b.close[i - 1]) value += b.volume[i];
    if (i > 0 && b.close[i] < b.close[i - 1]) value -= b.volume[i];
    out[i] = value;
  }
  return out;
}

Column mfi(const Bars& b, int period) {
  const size_t size = b.close.size();
  Column out = empty_like(size);
  std::vector<double> positive(size, 0.0), negative(size, 0.0);
  for (size_t i = 1; i < size; ++i) {
    const double tp = typical(b, i), previous = typical(b, i - 1);
    const double change = tp - previous;
    // Upstream TA-Lib: no flow when the typical price did not move (scaled dead-zone).
    if (std::fabs(change) <= kEpsilon * (std::fabs(tp) + std::fabs(previous))) continue;
    (change < 0 ? negative : positive)[i] = tp * b.volume[i];
  }
  for (size_t i = static_cast<size_t>(period); i < size; ++i) {
    double pos = 0, neg = 0;
    for (size_t j = i + 1 - static_cast<size_t>(period); j <= i; ++j) {
      pos += positive[j];
      neg += negative[j];
    }
    out[i] = pos + neg <= 0 ? 0.0 : 100.0 * (pos / (pos + neg));
  }
  return out;
}

Column willr(const Bars& b, int period) {
  const size_t size = b.close.size();
  Column out = empty_like(size);
  for (size_t i = static_cast<size_t>(period) - 1; i < size; ++i) {
    const size_t from = i + 1 - static_cast<size_t>(period);
    const double hh = *std::max_element(b.high.begin() + from, b.high.begin() + i + 1);
    const double ll = *std::min_element(b.low.begin() + from, b.low.begin() + i + 1);
    out[i] = hh != ll ? -100.0 * (hh - b.close[i]) / (hh - ll) : 0.0;
  }
  return out;
}

Column roc(const std::vector<double>& in, int period) {
  Column out = empty_like(in.size());
  for (size_t i = static_cast<size_t>(period); i < in.size(); ++i) {
    const double old = in[i - static_cast<size_t>(period)];
    out[i] = old != 0.0 ? (in[i] / old - 1.0) * 100.0 : 0.0;
  }
  return out;
}

}  // namespace cephalo::talib_reference
