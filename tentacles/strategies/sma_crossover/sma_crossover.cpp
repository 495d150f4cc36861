// The "sma_crossover" strategy: the classic moving-average cross on the core's streaming SMAs.
// Thread-safety: loop thread only, like every strategy.
//
// Rules (those of the textbook backtest in config/examples/sma_crossover_reference.yaml): act on a
// bar only when both averages exist on it and on the previous bar; enter when fast > slow and the
// last non-zero (fast - slow) before this bar was negative; exit when fast < slow and it was
// positive. A bar with fast == slow never signals and does not reset the memory of the last sign.
#include <array>
#include <cephalo/sdk.hpp>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr std::string_view kStateMagic = "cephalo-sma_crossover-state";

class SmaCrossover final : public cephalo::Strategy {
 public:
  explicit SmaCrossover(cephalo::Host host)
      : Strategy(host),
        fast_spec_("sma:" + std::to_string(host.integer("fast"))),
        slow_spec_("sma:" + std::to_string(host.integer("slow"))) {
    if (host.integer("fast") >= host.integer("slow")) {
      throw std::invalid_argument("sma_crossover: fast (" + std::to_string(host.integer("fast")) +
                                  ") must be shorter than slow (" +
                                  std::to_string(host.integer("slow")) + ")");
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    Series& series = series_for(candle);
    std::array<double, 2> averages{};  // fast, slow: both read in one call to the core
    if (!host().indicators<2>({&series.fast, &series.slow}, averages)) {
      series.previous_bar_ready = false;
      return;
    }
    const double difference = averages[0] - averages[1];
    if (series.previous_bar_ready) {
      if (difference > 0 && series.last_nonzero_difference < 0) {
        host().emit_signal(candle.symbol, CEPHALO_SIGNAL_ENTER_LONG, 1.0, 1.0);
      } else if (difference < 0 && series.last_nonzero_difference > 0) {
        host().emit_signal(candle.symbol, CEPHALO_SIGNAL_EXIT_LONG, 1.0, 1.0);
      }
    }
    if (difference != 0) series.last_nonzero_difference = difference;
    series.previous_bar_ready = true;
  }

  // The memory of each series (was the last bar ready, the sign of the last non-zero gap) is the
  // state: forgotten, the first cross after a swap would be missed. The averages stay in the core.
  // Header: the magic; then "symbol <tab> timeframe <tab> previous_bar_ready <tab> last gap".
  static constexpr uint32_t kStateVersion = 1;
  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    for (const auto& [key, series] : series_) {
      out.line().text(series.symbol).text(series.timeframe);
      out.boolean(series.previous_bar_ready).number(series.last_nonzero_difference);
    }
    return out.str();
  }
  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("sma_crossover", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "sma_crossover");
    std::map<std::string, Series> restored;
    for (const cephalo::StateTextLine& line : in) {
      line.expect_fields(4);
      Series series;
      series.symbol = line.text(0, "symbol");
      series.timeframe = line.text(1, "timeframe");
      series.previous_bar_ready = line.boolean(2, "previous_bar_ready");
      series.last_nonzero_difference = line.number(3, "last_nonzero_difference");
      const std::string key = series.symbol + '|' + series.timeframe;
      restored.emplace(key, std::move(series));
    }
    // Only a fully parsed state replaces the current one; the averages are resolved again on
    // each series' next candle.
    series_ = std::move(restored);
    last_symbol_ = last_timeframe_ = nullptr;
    last_series_ = nullptr;
  }

 private:
  struct Series {
    std::string symbol, timeframe;
    cephalo::Host::IndicatorRef fast, slow;  // resolved on the series' first candle
    bool resolved = false;                   // fast and slow hold this instance's handles
    bool previous_bar_ready = false;
    double last_nonzero_difference = 0;  // 0 until the averages first differ
  };

  // The core passes the same interned symbol and timeframe pointers for a series on every
  // candle, so the last series found answers most lookups without building a key. The lookup
  // itself stays out of line: inlined, its map and string work would make every candle pay for
  // the registers it needs.
  Series& series_for(const cephalo_candle& candle) {
    if (candle.symbol == last_symbol_ && candle.timeframe == last_timeframe_) return *last_series_;
    return find_series(candle);
  }
  [[gnu::noinline]] Series& find_series(const cephalo_candle& candle) {
    last_symbol_ = candle.symbol;
    last_timeframe_ = candle.timeframe;
    const auto found =
        series_.try_emplace(std::string(candle.symbol) + '|' + candle.timeframe).first;
    last_series_ = &found->second;
    if (!last_series_->resolved) {
      last_series_->symbol = candle.symbol;
      last_series_->timeframe = candle.timeframe;
      last_series_->resolved = true;
      last_series_->fast =
          host().indicator_ref(candle.symbol, candle.timeframe, fast_spec_.c_str());
      last_series_->slow =
          host().indicator_ref(candle.symbol, candle.timeframe, slow_spec_.c_str());
    }
    return *last_series_;
  }

  std::string fast_spec_;
  std::string slow_spec_;
  std::map<std::string, Series> series_;  // by "symbol|timeframe"; nodes never move
  const char* last_symbol_ = nullptr;
  const char* last_timeframe_ = nullptr;
  Series* last_series_ = nullptr;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(SmaCrossover)
