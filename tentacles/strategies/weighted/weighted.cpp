// The "weighted" strategy: a weighted vote of the evaluators' latest opinions per symbol.
// Thread-safety: loop thread only, like every strategy.
//
// The portfolio (ABI 1.1) says whether the bot holds a symbol, so a rejected entry or an exit
// made by hand never leaves this strategy believing the opposite of what is true.
#include <algorithm>
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

// The saved state is cephalo/state_text.hpp text: a header line, then per symbol one "S" line
// followed by one "E" line per evaluator.
constexpr std::string_view kStateMagic = "cephalo-weighted-state";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// "rsi:1, macd:2" → {rsi: 1, macd: 2}. Every problem in the list is reported at once.
std::map<std::string, double, std::less<>> parse_weights(std::string_view text) {
  std::map<std::string, double, std::less<>> weights;
  std::string problems;
  const auto problem = [&](const std::string& message) {
    problems += (problems.empty() ? "" : "; ") + message;
  };
  if (trim(text).empty()) return weights;
  for (const std::string_view raw : cephalo::state_text::split(text, ',')) {
    const std::string_view item = trim(raw);
    const auto colon = item.rfind(':');
    if (colon == std::string_view::npos) {
      problem("'" + std::string(item) + "' is not name:weight");
      continue;
    }
    const std::string_view name = trim(item.substr(0, colon));
    const std::string_view weight_text = trim(item.substr(colon + 1));
    double weight = 0;
    if (name.empty()) {
      problem("'" + std::string(item) + "' has no evaluator name");
    } else if (!cephalo::state_text::parse_number(weight_text, weight) || !std::isfinite(weight) ||
               weight < 0) {
      problem("the weight of '" + std::string(name) + "' must be a number >= 0, got '" +
              std::string(weight_text) + "'");
    } else if (!weights.emplace(std::string(name), weight).second) {
      problem("'" + std::string(name) + "' is listed twice");
    }
  }
  if (!problems.empty()) {
    throw std::invalid_argument("weighted: bad weights \"" + std::string(text) + "\": " + problems +
                                " (expected e.g. \"rsi:1,macd:2,bollinger:1\")");
  }
  return weights;
}

class Weighted final : public cephalo::Strategy {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Weighted(cephalo::Host host)
      : Strategy(host),
        weights_(parse_weights(host.string("weights"))),
        default_weight_(host.number("default_weight")),
        enter_above_(host.number("enter_above")),
        exit_below_(host.number("exit_below")) {
    if (!(default_weight_ >= 0) || !std::isfinite(default_weight_)) {
      throw std::invalid_argument("weighted: default_weight must be a number >= 0, got " +
                                  std::to_string(default_weight_));
    }
    // Overlapping thresholds would let one mean both enter and exit: signals would flap.
    if (!(exit_below_ < enter_above_)) {
      throw std::invalid_argument("weighted: exit_below (" + std::to_string(exit_below_) +
                                  ") must be below enter_above (" + std::to_string(enter_above_) +
                                  ")");
    }
  }

  void on_evaluation(const cephalo_evaluation& evaluation, const cephalo_event& event) override {
    if (evaluation.symbol == nullptr || evaluation.evaluator == nullptr ||
        !std::isfinite(evaluation.value) || !std::isfinite(evaluation.confidence)) {
      return;
    }
    auto found = symbols_.find(std::string_view(evaluation.symbol));
    if (found == symbols_.end()) found = symbols_.emplace(evaluation.symbol, SymbolState{}).first;
    SymbolState& state = found->second;
    // An evaluator that goes quiet keeps its last say: silence is not an opinion change.
    auto opinion = state.latest.find(std::string_view(evaluation.evaluator));
    if (opinion == state.latest.end()) {
      opinion = state.latest.emplace(evaluation.evaluator, Opinion{}).first;
    }
    opinion->second = Opinion{std::clamp(evaluation.value, -1.0, 1.0),
                              std::clamp(evaluation.confidence, 0.0, 1.0)};

    double weight_sum = 0;
    double value_sum = 0;
    double confidence_sum = 0;
    for (const auto& [name, latest] : state.latest) {
      const double weight = weight_of(name);
      weight_sum += weight;
      value_sum += weight * latest.value;
      confidence_sum += weight * latest.confidence;
    }
    if (weight_sum <= 0) return;  // only zero-weight evaluators so far: no vote yet
    const double mean = value_sum / weight_sum;
    const double confidence = confidence_sum / weight_sum;

    // An entry needs a cross: a strategy started (or an evaluator warmed up) mid-trend waits for
    // a fresh one instead of chasing one it did not see. An exit needs only the level.
    const bool had_previous = state.has_previous;
    const double previous = state.previous_mean;
    state.has_previous = true;
    state.previous_mean = mean;

    // Each evaluator speaks once per candle, so the mean moves several times at one candle time,
    // while an order the first signal caused fills no earlier than the next candle. One signal
    // per symbol and candle time keeps the later votes from repeating it.
    if (state.signalled && state.last_signal_time_ns == event.exchange_time_ns) return;
    const bool in_position = host().position(evaluation.symbol).quantity > 0;
    cephalo_signal_intent intent = 0;
    if (!in_position && had_previous && previous <= enter_above_ && mean > enter_above_) {
      intent = CEPHALO_SIGNAL_ENTER_LONG;
    } else if (in_position && mean < exit_below_) {
      intent = CEPHALO_SIGNAL_EXIT_LONG;
    } else {
      return;
    }
    host().emit_signal(evaluation.symbol, intent, std::fabs(mean), confidence);
    state.signalled = true;  // only once the host took the signal
    state.last_signal_time_ns = event.exchange_time_ns;
  }

  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    for (const auto& [symbol, state] : symbols_) {
      out.line().text("S").text(symbol).boolean(state.has_previous).number(state.previous_mean);
      out.boolean(state.signalled).integer(state.last_signal_time_ns);
      for (const auto& [name, opinion] : state.latest) {
        out.line().text("E").text(name).number(opinion.value).number(opinion.confidence);
      }
    }
    return out.str();
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("weighted", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "weighted");
    in.header().expect_fields(1);
    std::map<std::string, SymbolState, std::less<>> restored;
    SymbolState* current = nullptr;
    for (const cephalo::StateTextLine& line : in) {
      if (line.raw(0) == "S" && line.size() == 6) {
        SymbolState state;
        state.has_previous = line.boolean(2, "has_previous");
        state.previous_mean = line.number(3, "previous_mean");
        state.signalled = line.boolean(4, "signalled");
        state.last_signal_time_ns = line.integer(5, "last_signal_time_ns");
        current =
            &restored.insert_or_assign(line.text(1, "symbol"), std::move(state)).first->second;
      } else if (line.raw(0) == "E" && line.size() == 4 && current != nullptr) {
        current->latest.insert_or_assign(
            line.text(1, "evaluator"),
            Opinion{line.number(2, "value"), line.number(3, "confidence")});
      } else {
        throw line.error("expected an S line (6 fields) or, after one, an E line (4 fields): '" +
                         std::string(line.text()) + "'");
      }
    }
    // Only a fully parsed state replaces the current one.
    symbols_ = std::move(restored);
  }

 private:
  struct Opinion {
    double value = 0;
    double confidence = 0;
  };
  struct SymbolState {
    std::map<std::string, Opinion, std::less<>> latest;  // by evaluator name
    bool has_previous = false;
    double previous_mean = 0;
    bool signalled = false;  // whether last_signal_time_ns holds anything yet
    int64_t last_signal_time_ns = 0;
  };

  double weight_of(std::string_view evaluator) const {
    const auto found = weights_.find(evaluator);
    return found == weights_.end() ? default_weight_ : found->second;
  }

  std::map<std::string, double, std::less<>> weights_;  // by evaluator name
  double default_weight_;
  double enter_above_;
  double exit_below_;
  std::map<std::string, SymbolState, std::less<>> symbols_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Weighted)
