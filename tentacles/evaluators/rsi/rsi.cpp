// The "rsi" evaluator: a streaming Wilder RSI of the close per symbol, as an evaluation in [-1, 1].
// Thread-safety: loop thread only, like every evaluator.
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "wilder_rsi.hpp"

namespace {

using cephalo::tentacles::WilderRsi;

// The saved state is cephalo/state_text.hpp text: a header line with the period, then one line
// per symbol. Its shortest round-trip doubles let a hot swap resume bit for bit.
constexpr std::string_view kStateMagic = "cephalo-rsi-state";

class Rsi final : public cephalo::Evaluator {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Rsi(cephalo::Host host)
      : Evaluator(host),
        period_(host.integer("period")),
        oversold_(host.number("oversold")),
        overbought_(host.number("overbought")) {
    // The manifest's ranges already keep these apart; the check guards the division in
    // rsi_opinion against a host or manifest that lets a bad value through.
    if (period_ < 2) throw std::invalid_argument("rsi: period must be at least 2");
    if (!(oversold_ > 0 && oversold_ < 50 && overbought_ > 50 && overbought_ < 100)) {
      throw std::invalid_argument("rsi: need 0 < oversold < 50 < overbought < 100, got oversold " +
                                  std::to_string(oversold_) + ", overbought " +
                                  std::to_string(overbought_));
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    // A NaN close would poison the smoothed averages for good; skipping one bar only delays.
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close)) {
      return;
    }
    auto found = series_.find(std::string_view(candle.symbol));
    if (found == series_.end()) {
      found =
          series_.emplace(candle.symbol, Series{candle.timeframe, INT64_MIN, WilderRsi(period_)})
              .first;
    }
    Series& series = found->second;
    // One RSI per symbol follows the first timeframe seen: interleaving 1m and 5m closes would
    // make a series that means nothing. A repeated or older candle would count a change twice.
    if (series.timeframe != candle.timeframe || candle.open_time_ns <= series.last_open_time_ns) {
      return;
    }
    series.last_open_time_ns = candle.open_time_ns;
    const auto rsi = series.rsi.update(candle.close);
    if (!rsi) return;
    const auto opinion = cephalo::tentacles::rsi_opinion(*rsi, oversold_, overbought_);
    host().emit_evaluation(candle.symbol, opinion.value, opinion.confidence);
  }

  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    out.integer(period_);
    for (const auto& [symbol, series] : series_) {
      const WilderRsi::State& state = series.rsi.state();
      out.line().text(symbol).text(series.timeframe);
      out.integer(series.last_open_time_ns).integer(state.closes_seen);
      out.number(state.previous_close).number(state.average_gain).number(state.average_loss);
    }
    return out.str();
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("rsi", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "rsi");
    in.header().expect_fields(2);
    if (in.header().integer(1, "period") != period_) {
      // Averages smoothed over another period are not this RSI; a cold start is honest.
      host().warn("rsi: saved state used period " + std::string(in.header().raw(1)) + ", now " +
                  std::to_string(period_) + "; starting cold");
      return;
    }
    std::map<std::string, Series, std::less<>> restored;
    for (const cephalo::StateTextLine& line : in) {
      line.expect_fields(7);
      WilderRsi::State state;
      state.closes_seen = line.integer(3, "closes_seen");
      state.previous_close = line.number(4, "previous_close");
      state.average_gain = line.number(5, "average_gain");
      state.average_loss = line.number(6, "average_loss");
      restored.emplace(line.text(0, "symbol"),
                       Series{line.text(1, "timeframe"), line.integer(2, "open_time"),
                              WilderRsi(period_, state)});
    }
    // Only a fully parsed state replaces the current one.
    series_ = std::move(restored);
  }

 private:
  struct Series {
    std::string timeframe;
    int64_t last_open_time_ns;
    WilderRsi rsi;
  };

  int64_t period_;
  double oversold_;
  double overbought_;
  // std::less<> finds a symbol by string_view, so the hot path allocates only for a new symbol.
  std::map<std::string, Series, std::less<>> series_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Rsi)
