// StreamingIndicator: the common face of every indicator.
// Thread-safety: see streaming_indicator.hpp.
#include "indicators/streaming_indicator.hpp"

#include <limits>
#include <utility>

namespace cephalo {

StreamingIndicator::StreamingIndicator(size_t lookback, std::vector<std::string> column_names)
    : lookback_(lookback),
      column_names_(std::move(column_names)),
      output_count_(column_names_.size()) {
  values_.fill(std::numeric_limits<double>::quiet_NaN());
}

}  // namespace cephalo
