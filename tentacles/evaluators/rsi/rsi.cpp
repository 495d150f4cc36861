// The "rsi" evaluator: a streaming Wilder RSI of the close per symbol, as an evaluation in [-1, 1].
// Thread-safety: loop thread only, like every evaluator.
#include <cephalo/sdk.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "wilder_rsi.hpp"

namespace {

using cephalo::tentacles::WilderRsi;

// The saved state is text: one header line, then one tab-separated line per symbol. Doubles are
// written with std::to_chars' shortest round-trip form, so a hot swap resumes bit for bit.
constexpr std::string_view kStateMagic = "cephalo-rsi-state";

void append_number(std::string& out, double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}
void append_number(std::string& out, int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

template <class Number>
Number parse_number(std::string_view text, const char* what) {
  Number value{};
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw std::invalid_argument(std::string("rsi state: bad ") + what + " '" + std::string(text) +
                                "'");
  }
  return value;
}

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
    std::string out(kStateMagic);
    out += '\t';
    append_number(out, period_);
    out += '\n';
    for (const auto& [symbol, series] : series_) {
      const WilderRsi::State& state = series.rsi.state();
      out += symbol;
      out += '\t';
      out += series.timeframe;
      for (const int64_t value : {series.last_open_time_ns, state.closes_seen}) {
        out += '\t';
        append_number(out, value);
      }
      for (const double value : {state.previous_close, state.average_gain, state.average_loss}) {
        out += '\t';
        append_number(out, value);
      }
      out += '\n';
    }
    return out;
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    if (state_version != kStateVersion) {
      throw std::invalid_argument("rsi: cannot read state version " +
                                  std::to_string(state_version) + ", expected " +
                                  std::to_string(kStateVersion));
    }
    if (bytes.empty()) return;
    std::vector<std::string_view> lines = split(bytes, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    const auto header = split(lines.at(0), '\t');
    if (header.size() != 2 || header[0] != kStateMagic) {
      throw std::invalid_argument("rsi: state does not start with a cephalo-rsi-state header");
    }
    if (parse_number<int64_t>(header[1], "period") != period_) {
      // Averages smoothed over another period are not this RSI; a cold start is honest.
      host().warn("rsi: saved state used period " + std::string(header[1]) + ", now " +
                  std::to_string(period_) + "; starting cold");
      return;
    }
    std::map<std::string, Series, std::less<>> restored;
    for (size_t i = 1; i < lines.size(); ++i) {
      const auto fields = split(lines[i], '\t');
      if (fields.size() != 7) {
        throw std::invalid_argument("rsi state line " + std::to_string(i + 1) +
                                    ": expected 7 fields, found " + std::to_string(fields.size()));
      }
      WilderRsi::State state;
      state.closes_seen = parse_number<int64_t>(fields[3], "closes_seen");
      state.previous_close = parse_number<double>(fields[4], "previous_close");
      state.average_gain = parse_number<double>(fields[5], "average_gain");
      state.average_loss = parse_number<double>(fields[6], "average_loss");
      restored.emplace(std::string(fields[0]),
                       Series{std::string(fields[1]), parse_number<int64_t>(fields[2], "open_time"),
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
