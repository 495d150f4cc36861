// Helpers for the indicator tests: bundled candle files as bars, and streaming runs as columns.
// Thread-safety: test code; single-threaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indicators/indicator_bar.hpp"
#include "indicators/streaming_indicator.hpp"
#include "talib_reference.hpp"

namespace cephalo::indicator_test {

// The bundled data files every indicator is checked on.
const std::vector<std::string>& bundled_files();

// The file (a name in data/) loaded with BadRowPolicy::kReject; fails the test if it cannot load.
std::vector<IndicatorBar> load_bars(const std::string& file_name);

talib_reference::Bars as_arrays(const std::vector<IndicatorBar>& bars);

// Builds one indicator from a spec item; fails the test on a parse error.
std::unique_ptr<StreamingIndicator> make(std::string_view item);

// Streams `bars` through `indicator`: one column per output, NaN where !ready().
std::vector<std::vector<double>> stream(StreamingIndicator& indicator,
                                        const std::vector<IndicatorBar>& bars);

// Index of the first non-NaN value, or the column size when there is none.
size_t first_value_index(const std::vector<double>& column);

}  // namespace cephalo::indicator_test
