// Macd: MACD line, signal and histogram of the close.
// Thread-safety: see macd.hpp.
#include "indicators/macd.hpp"

#include <string>

#include "indicators/ta_conventions.hpp"

namespace cephalo {

namespace {

std::vector<std::string> macd_columns(int fast, int slow, int signal) {
  const std::string suffix =
      std::to_string(fast) + "_" + std::to_string(slow) + "_" + std::to_string(signal);
  return {"macd_" + suffix, "macd_signal_" + suffix, "macd_hist_" + suffix};
}

}  // namespace

Macd::Macd(int fast, int slow, int signal)
    : StreamingIndicator(static_cast<size_t>(slow - 1 + signal - 1),
                         macd_columns(fast, slow, signal)),
      fast_(static_cast<uint64_t>(fast)),
      slow_(static_cast<uint64_t>(slow)),
      signal_(static_cast<uint64_t>(signal)),
      fast_ema_(ema_factor(fast)),
      slow_ema_(ema_factor(slow)),
      signal_ema_(ema_factor(signal)) {}

void Macd::on_bar(const IndicatorBar& bar) {
  const uint64_t i = bar_index();
  const double x = bar.close;
  double line = 0;
  if (i + 1 < slow_) {
    slow_seed_sum_ += x;
    if (i + fast_ >= slow_) fast_seed_sum_ += x;
    return;
  }
  if (i + 1 == slow_) {
    slow_seed_sum_ += x;
    fast_seed_sum_ += x;
    slow_ema_.seed(slow_seed_sum_ / static_cast<double>(slow_));
    fast_ema_.seed(fast_seed_sum_ / static_cast<double>(fast_));
    line = fast_ema_.value() - slow_ema_.value();
  } else {
    line = fast_ema_.step(x) - slow_ema_.step(x);
  }

  const uint64_t first_output = slow_ - 1 + signal_ - 1;
  if (i < first_output) {
    signal_seed_sum_ += line;
    return;
  }
  if (i == first_output) {
    signal_seed_sum_ += line;
    signal_ema_.seed(signal_seed_sum_ / static_cast<double>(signal_));
  } else {
    signal_ema_.step(line);
  }
  set_value(0, line);
  set_value(1, signal_ema_.value());
  set_value(2, line - signal_ema_.value());
}

}  // namespace cephalo
