// Obv: on-balance volume.
// Thread-safety: see obv.hpp.
#include "indicators/obv.hpp"

namespace cephalo {

Obv::Obv() : StreamingIndicator(0, {"obv"}) {}

void Obv::on_bar(const IndicatorBar& bar) {
  if (bar_index() == 0) {
    total_ = bar.volume;
  } else if (bar.close > previous_close_) {
    total_ += bar.volume;
  } else if (bar.close < previous_close_) {
    total_ -= bar.volume;
  }
  previous_close_ = bar.close;
  set_value(0, total_);
}

}  // namespace cephalo
