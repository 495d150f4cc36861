// The "dca" trading mode: dollar-cost averaging into a spot position, with a take-profit exit.
// Thread-safety: loop thread only, like every trading mode.
//
// The core's portfolio (ABI 1.1) is the truth for what is held and at what average price, so a
// rejected or partly filled order never leaves this mode believing something that is not so.
#include <cephalo/sdk.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

// The saved state is text: a header line, then one tab-separated line per symbol. Doubles use
// std::to_chars' shortest round-trip form.
constexpr std::string_view kStateMagic = "cephalo-dca-state";

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
bool parse_number(std::string_view text, Number& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

template <class Number>
void append_number(std::string& out, Number value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

class Dca final : public cephalo::TradingMode {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Dca(cephalo::Host host)
      : TradingMode(host),
        interval_bars_(host.integer("interval_bars")),
        quote_per_buy_(host.number("quote_per_buy")),
        take_profit_(host.number("take_profit")),
        max_buys_(host.integer("max_buys")) {
    if (interval_bars_ < 1) {
      throw std::invalid_argument("dca: interval_bars must be at least 1, got " +
                                  std::to_string(interval_bars_));
    }
    if (!(quote_per_buy_ > 0) || !std::isfinite(quote_per_buy_)) {
      throw std::invalid_argument("dca: quote_per_buy must be a positive number, got " +
                                  std::to_string(quote_per_buy_));
    }
    if (!(take_profit_ >= 0) || !std::isfinite(take_profit_)) {
      throw std::invalid_argument("dca: take_profit must be a fraction >= 0 (0 = never), got " +
                                  std::to_string(take_profit_));
    }
    if (max_buys_ < 0) {
      throw std::invalid_argument("dca: max_buys must be >= 0 (0 = unlimited), got " +
                                  std::to_string(max_buys_));
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close) ||
        candle.close <= 0) {
      return;
    }
    auto found = symbols_.find(std::string_view(candle.symbol));
    if (found == symbols_.end()) {
      SymbolState fresh;
      fresh.timeframe = candle.timeframe;
      found = symbols_.emplace(candle.symbol, std::move(fresh)).first;
    }
    SymbolState& state = found->second;
    // The interval counts candles of one timeframe (the first seen): 1m and 1h candles
    // interleaved would make "every 12 candles" mean nothing.
    if (state.timeframe != candle.timeframe) return;
    const int64_t bar = state.bars_seen++;
    state.last_close = candle.close;

    const cephalo::Host::Position held = host().position(candle.symbol);
    if (take_profit_ > 0 && held.quantity > 0 && held.average_price > 0 &&
        candle.close >= held.average_price * (1 + take_profit_)) {
      sell_all(candle.symbol, held.quantity, "take_profit", state);
      return;  // buying back on the bar that took the profit would undo it
    }
    if (bar % interval_bars_ == 0) buy(candle.symbol, state, "scheduled");
  }

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    if (signal.symbol == nullptr) return;
    // Spot cannot sell what it does not hold, so the short intents are not this mode's business.
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG) {
      const auto found = symbols_.find(std::string_view(signal.symbol));
      if (found == symbols_.end()) {
        host().warn(std::string("dca: ENTER_LONG for ") + signal.symbol +
                    " before any candle of it; no price to size the buy with, skipped");
        return;
      }
      buy(signal.symbol, found->second, "signal");
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG) {
      const double held = host().position(signal.symbol).quantity;
      if (held <= 0) return;
      auto found = symbols_.find(std::string_view(signal.symbol));
      if (found == symbols_.end()) found = symbols_.emplace(signal.symbol, SymbolState{}).first;
      sell_all(signal.symbol, held, "signal", found->second);
    }
  }

  std::string save_state() override {
    std::string out(kStateMagic);
    out += '\n';
    for (const auto& [symbol, state] : symbols_) {
      if (symbol.find_first_of("\t\n") != std::string::npos ||
          state.timeframe.find_first_of("\t\n") != std::string::npos) {
        throw std::invalid_argument("dca: cannot save a symbol or timeframe with a tab or newline");
      }
      out += symbol;
      out += '\t';
      out += state.timeframe;
      out += '\t';
      append_number(out, state.bars_seen);
      out += '\t';
      append_number(out, state.buys_in_position);
      out += '\t';
      append_number(out, state.last_close);
      out += '\n';
    }
    return out;
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    if (state_version != kStateVersion) {
      throw std::invalid_argument("dca: cannot read state version " +
                                  std::to_string(state_version) + ", expected " +
                                  std::to_string(kStateVersion));
    }
    if (bytes.empty()) return;
    std::vector<std::string_view> lines = split(bytes, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.at(0) != kStateMagic) {
      throw std::invalid_argument("dca: state does not start with " + std::string(kStateMagic));
    }
    std::map<std::string, SymbolState, std::less<>> restored;
    for (size_t i = 1; i < lines.size(); ++i) {
      const auto fields = split(lines[i], '\t');
      SymbolState state;
      const bool ok = fields.size() == 5 && parse_number(fields[2], state.bars_seen) &&
                      parse_number(fields[3], state.buys_in_position) &&
                      parse_number(fields[4], state.last_close);
      if (!ok) {
        throw std::invalid_argument("dca state line " + std::to_string(i + 1) + ": '" +
                                    std::string(lines[i]) + "'");
      }
      state.timeframe = std::string(fields[1]);
      restored.insert_or_assign(std::string(fields[0]), std::move(state));
    }
    // Only a fully parsed state replaces the current one.
    symbols_ = std::move(restored);
  }

 private:
  struct SymbolState {
    std::string timeframe;         // the one whose candles are counted
    int64_t bars_seen = 0;         // candles of that timeframe so far
    int64_t buys_in_position = 0;  // buys proposed since this mode's last exit
    double last_close = 0;         // quote per base; 0 before the first candle
  };

  void buy(const char* symbol, SymbolState& state, const char* why) {
    if (state.last_close <= 0) return;
    if (max_buys_ > 0 && state.buys_in_position >= max_buys_) {
      host().debug(std::string("dca: ") + why + " buy of " + symbol + " skipped: max_buys " +
                   std::to_string(max_buys_) + " reached");
      return;
    }
    const double cash = host().cash();
    if (cash < quote_per_buy_) {
      host().debug(std::string("dca: ") + why + " buy of " + symbol + " skipped: cash " +
                   std::to_string(cash) + " is below quote_per_buy " +
                   std::to_string(quote_per_buy_));
      return;
    }
    emit(symbol, CEPHALO_SIDE_BUY, quote_per_buy_ / state.last_close, "dca");
    ++state.buys_in_position;  // only once the host took the intent
  }

  // The tag becomes the exit reason of the trade the sell closes.
  void sell_all(const char* symbol, double quantity, const char* tag, SymbolState& state) {
    emit(symbol, CEPHALO_SIDE_SELL, quantity, tag);
    state.buys_in_position = 0;
  }

  void emit(const char* symbol, cephalo_side side, double quantity, const char* tag) const {
    cephalo_order_intent intent{};
    intent.side = side;
    intent.symbol = symbol;
    intent.type = CEPHALO_ORDER_MARKET;
    intent.time_in_force = CEPHALO_TIF_GTC;
    intent.quantity = quantity;
    intent.tag = tag;
    host().emit_order_intent(intent);
  }

  int64_t interval_bars_;
  double quote_per_buy_;  // quote currency per buy
  double take_profit_;    // fraction above the average entry; 0 = never
  int64_t max_buys_;      // per position; 0 = unlimited
  std::map<std::string, SymbolState, std::less<>> symbols_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Dca)
