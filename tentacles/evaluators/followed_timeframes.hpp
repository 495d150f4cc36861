// Which timeframe speaks for each symbol in the macd, bollinger and ma_cross evaluators, and its
// hand-over across a hot swap. Thread-safety: loop thread only, like the evaluators holding it.
//
// A strategy keys opinions by symbol alone, so one timeframe per symbol speaks: the first one seen.
// Mixing 1m and 1h opinions under one name would make the latest one a coin toss. A swapped-in
// instance that forgot the choice would follow whichever timeframe's candle came first after the
// swap, so the choice is the evaluator's state (the indicators themselves live in the core).
#pragma once

#include <cephalo/sdk.hpp>
#include <cephalo/state_text.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace cephalo::tentacles {

class FollowedTimeframes {
 public:
  // The format of save()'s blob; the evaluators declare it as their kStateVersion.
  static constexpr uint32_t kStateVersion = 1;

  // True when this candle's timeframe is the one followed for its symbol (its first one seen).
  bool follows(const cephalo_candle& candle) {
    auto followed = timeframe_.find(std::string_view(candle.symbol));
    if (followed == timeframe_.end()) {
      followed = timeframe_.emplace(candle.symbol, candle.timeframe).first;
    }
    return followed->second == candle.timeframe;
  }

  // Header: the magic; then one "symbol <tab> timeframe" line per symbol.
  std::string save(std::string_view magic) const {
    StateTextWriter out(magic);
    for (const auto& [symbol, timeframe] : timeframe_) out.line().text(symbol).text(timeframe);
    return out.str();
  }

  // Throws std::invalid_argument naming `owner`, the line and the field on a damaged blob; the
  // current choice is replaced only by a fully parsed one.
  void load(uint32_t state_version, std::string_view bytes, std::string_view magic,
            std::string_view owner) {
    require_state_version(owner, state_version, kStateVersion);
    if (bytes.empty()) return;
    const StateTextReader in(bytes, magic, owner);
    std::map<std::string, std::string, std::less<>> restored;
    for (const StateTextLine& line : in) {
      line.expect_fields(2);
      restored.emplace(line.text(0, "symbol"), line.text(1, "timeframe"));
    }
    timeframe_ = std::move(restored);
  }

 private:
  std::map<std::string, std::string, std::less<>> timeframe_;  // followed timeframe by symbol
};

}  // namespace cephalo::tentacles
