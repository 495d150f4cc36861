// The "evaluator_threshold" strategy: long while the mean of the evaluators' latest values is high.
// Thread-safety: loop thread only, like every strategy.
#include <algorithm>
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

namespace {

// The saved state is text: a header line, then per symbol one "S" line followed by one "E" line
// per evaluator, tab-separated. Doubles use std::to_chars' shortest round-trip form.
constexpr std::string_view kStateMagic = "cephalo-evaluator-threshold-state";

void append_number(std::string& out, double value) {
  char buffer[32];
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

double parse_double(std::string_view text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    throw std::invalid_argument("evaluator_threshold state: bad number '" + std::string(text) +
                                "'");
  }
  return value;
}

// Names and symbols become tab-separated fields; the state must not be able to split them.
void append_field(std::string& out, std::string_view field) {
  if (field.find_first_of("\t\n") != std::string_view::npos) {
    throw std::invalid_argument(
        "evaluator_threshold: cannot save a name containing a tab or "
        "newline: '" +
        std::string(field) + "'");
  }
  out += field;
}

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
    std::string out(kStateMagic);
    out += '\n';
    for (const auto& [symbol, state] : symbols_) {
      out += "S\t";
      append_field(out, symbol);
      out += state.in_position ? "\t1\t" : "\t0\t";
      out += state.has_previous ? "1\t" : "0\t";
      append_number(out, state.previous_average);
      out += '\n';
      for (const auto& [name, opinion] : state.latest) {
        out += "E\t";
        append_field(out, name);
        out += '\t';
        append_number(out, opinion.value);
        out += '\t';
        append_number(out, opinion.confidence);
        out += '\n';
      }
    }
    return out;
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    if (state_version != kStateVersion) {
      throw std::invalid_argument("evaluator_threshold: cannot read state version " +
                                  std::to_string(state_version) + ", expected " +
                                  std::to_string(kStateVersion));
    }
    if (bytes.empty()) return;
    std::vector<std::string_view> lines = split(bytes, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.at(0) != kStateMagic) {
      throw std::invalid_argument("evaluator_threshold: state does not start with " +
                                  std::string(kStateMagic));
    }
    std::map<std::string, SymbolState, std::less<>> restored;
    SymbolState* current = nullptr;
    for (size_t i = 1; i < lines.size(); ++i) {
      const auto fields = split(lines[i], '\t');
      const auto bad_line = [&] {
        return std::invalid_argument("evaluator_threshold state line " + std::to_string(i + 1) +
                                     ": '" + std::string(lines[i]) + "'");
      };
      if (fields[0] == "S" && fields.size() == 5) {
        SymbolState state;
        state.in_position = fields[2] == "1";
        state.has_previous = fields[3] == "1";
        state.previous_average = parse_double(fields[4]);
        current =
            &restored.insert_or_assign(std::string(fields[1]), std::move(state)).first->second;
      } else if (fields[0] == "E" && fields.size() == 4 && current != nullptr) {
        current->latest.insert_or_assign(std::string(fields[1]),
                                         Opinion{parse_double(fields[2]), parse_double(fields[3])});
      } else {
        throw bad_line();
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
