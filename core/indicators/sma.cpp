// Sma: simple moving average of the close.
// Thread-safety: see sma.hpp.
#include "indicators/sma.hpp"

#include <string>

namespace cephalo {

Sma::Sma(int period)
    : StreamingIndicator(static_cast<size_t>(period - 1), {"sma_" + std::to_string(period)}),
      window_(static_cast<size_t>(period)) {}

}  // namespace cephalo
