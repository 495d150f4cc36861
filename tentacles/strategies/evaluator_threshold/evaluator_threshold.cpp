// The "evaluator_threshold" strategy: long while the mean of the evaluators' latest values is high.
// Thread-safety: loop thread only, like every strategy.
#include <algorithm>
#include <cephalo/sdk.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace {

// The saved state is cephalo/state_text.hpp text: a header line, then per symbol one "S" line
// followed by one "E" line per evaluator.
constexpr std::string_view kStateMagic = "cephalo-evaluator-threshold-state";

class EvaluatorThreshold final : public cephalo::Strategy {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit EvaluatorThreshold(cephalo::Host host)
      : Strategy(host),
        enter_above_(host.number("enter_above")),
        exit_below_(host.number("exit_below")) {
    // Overlapping thresholds would let one average both enter and exit: signals would flap.
    if (!(exit_below_ < enter_above_)) {
      throw std::invalid_argument("evaluator_threshold: exit_below (" +
                                  std::to_string(exit_below_) + ") must be below enter_above (" +
                                  std::to_string(enter_above_) + ")");
    }
  }

  void on_evaluation(const cephalo_evaluation& evaluation, const cephalo_event&) override {
    if (evaluation.symbol == nullptr || evaluation.evaluator == nullptr ||
        !std::isfinite(evaluation.value) || !std::isfinite(evaluation.confidence)) {
      return;
    }
    auto found = symbols_.find(std::string_view(evaluation.symbol));
    if (found == symbols_.end()) found = symbols_.emplace(evaluation.symbol, SymbolState{}).first;
    SymbolState& state = found->second;
    // An evaluator that goes quiet keeps its last say: the strategy cannot tell "no opinion
    // change" from "stopped", and dropping it would move the average on silence alone.
    auto opinion = state.latest.find(std::string_view(evaluation.evaluator));
    if (opinion == state.latest.end()) {
      opinion = state.latest.emplace(evaluation.evaluator, Opinion{}).first;
    }
    opinion->second = Opinion{std::clamp(evaluation.value, -1.0, 1.0),
                              std::clamp(evaluation.confidence, 0.0, 1.0)};

    double value_sum = 0;
    double confidence_sum = 0;
    for (const auto& [name, latest] : state.latest) {
      value_sum += latest.value;
      confidence_sum += latest.confidence;
    }
    const auto count = static_cast<double>(state.latest.size());
    const double average = value_sum / count;
    const double confidence = confidence_sum / count;

    // An entry needs an average on the other side first: a strategy started (or an evaluator
    // warmed up) mid-trend waits for a fresh cross instead of chasing one it did not see. An exit
    // only needs the level: once in, the average was above enter_above, so falling below
    // exit_below is a cross, and after a state restore a late exit beats a missed one.
    const bool had_previous = state.has_previous;
    const double previous = state.previous_average;
    state.has_previous = true;
    state.previous_average = average;
    if (!state.in_position && had_previous && previous <= enter_above_ && average > enter_above_) {
      host().emit_signal(evaluation.symbol, CEPHALO_SIGNAL_ENTER_LONG, std::fabs(average),
                         confidence);
      state.in_position = true;  // only once the host took the signal
    } else if (state.in_position && average < exit_below_) {
      host().emit_signal(evaluation.symbol, CEPHALO_SIGNAL_EXIT_LONG, std::fabs(average),
                         confidence);
      state.in_position = false;  // only once the host took the signal
    }
  }

  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    for (const auto& [symbol, state] : symbols_) {
      out.line().text("S").text(symbol).boolean(state.in_position).boolean(state.has_previous);
      out.number(state.previous_average);
      for (const auto& [name, opinion] : state.latest) {
        out.line().text("E").text(name).number(opinion.value).number(opinion.confidence);
      }
    }
    return out.str();
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("evaluator_threshold", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "evaluator_threshold");
    in.header().expect_fields(1);
    std::map<std::string, SymbolState, std::less<>> restored;
    SymbolState* current = nullptr;
    for (const cephalo::StateTextLine& line : in) {
      if (line.raw(0) == "S" && line.size() == 5) {
        SymbolState state;
        state.in_position = line.boolean(2, "in_position");
        state.has_previous = line.boolean(3, "has_previous");
        state.previous_average = line.number(4, "previous_average");
        current =
            &restored.insert_or_assign(line.text(1, "symbol"), std::move(state)).first->second;
      } else if (line.raw(0) == "E" && line.size() == 4 && current != nullptr) {
        current->latest.insert_or_assign(
            line.text(1, "evaluator"),
            Opinion{line.number(2, "value"), line.number(3, "confidence")});
      } else {
        throw line.error("expected an S line (5 fields) or, after one, an E line (4 fields): '" +
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
    bool in_position = false;  // alternates ENTER/EXIT; what was proposed, not what filled
    bool has_previous = false;
    double previous_average = 0;
  };

  double enter_above_;
  double exit_below_;
  std::map<std::string, SymbolState, std::less<>> symbols_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(EvaluatorThreshold)
