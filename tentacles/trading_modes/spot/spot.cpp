// The "spot" trading mode: a market BUY of a fixed quote amount on ENTER_LONG, SELL it on
// EXIT_LONG. Thread-safety: loop thread only, like every trading mode.
#include <cephalo/sdk.hpp>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

// The saved state is text: a header line, then "symbol<TAB>last_close<TAB>held_quantity" lines.
// Doubles use std::to_chars' shortest round-trip form.
constexpr std::string_view kStateMagic = "cephalo-spot-state";
constexpr const char* kTag = "spot";

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
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() ||
      !std::isfinite(value) || value < 0) {
    throw std::invalid_argument("spot state: bad number '" + std::string(text) + "'");
  }
  return value;
}

class Spot final : public cephalo::TradingMode {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Spot(cephalo::Host host)
      : TradingMode(host), order_quote_amount_(host.number("order_quote_amount")) {
    if (!(order_quote_amount_ > 0) || !std::isfinite(order_quote_amount_)) {
      throw std::invalid_argument("spot: order_quote_amount must be a positive number, got " +
                                  std::to_string(order_quote_amount_));
    }
  }

  // The core routes candles to trading modes too: the last close is the price an entry is sized at.
  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || !std::isfinite(candle.close) || candle.close <= 0) return;
    position(candle.symbol).last_close = candle.close;
  }

  void on_signal(const cephalo_signal& signal, const cephalo_event&) override {
    if (signal.symbol == nullptr) return;
    Position& held = position(signal.symbol);
    // Spot cannot sell what it does not hold, so the short intents are not this mode's business.
    if (signal.intent == CEPHALO_SIGNAL_ENTER_LONG) {
      if (held.quantity > 0) return;  // no pyramiding: one entry per position
      if (held.last_close <= 0) {
        host().warn(std::string("spot: ENTER_LONG for ") + signal.symbol +
                    " before any candle of it; no price to size the order with, skipped");
        return;
      }
      const double quantity = order_quote_amount_ / held.last_close;
      emit(signal.symbol, CEPHALO_SIDE_BUY, quantity);
      held.quantity = quantity;
    } else if (signal.intent == CEPHALO_SIGNAL_EXIT_LONG) {
      if (held.quantity <= 0) return;
      emit(signal.symbol, CEPHALO_SIDE_SELL, held.quantity);
      held.quantity = 0;
    }
  }

  std::string save_state() override {
    std::string out(kStateMagic);
    out += '\n';
    for (const auto& [symbol, held] : positions_) {
      if (symbol.find_first_of("\t\n") != std::string::npos) {
        throw std::invalid_argument("spot: cannot save symbol '" + symbol + "'");
      }
      out += symbol;
      out += '\t';
      append_number(out, held.last_close);
      out += '\t';
      append_number(out, held.quantity);
      out += '\n';
    }
    return out;
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    if (state_version != kStateVersion) {
      throw std::invalid_argument("spot: cannot read state version " +
                                  std::to_string(state_version) + ", expected " +
                                  std::to_string(kStateVersion));
    }
    if (bytes.empty()) return;
    std::vector<std::string_view> lines = split(bytes, '\n');
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.at(0) != kStateMagic) {
      throw std::invalid_argument("spot: state does not start with " + std::string(kStateMagic));
    }
    std::map<std::string, Position, std::less<>> restored;
    for (size_t i = 1; i < lines.size(); ++i) {
      const auto fields = split(lines[i], '\t');
      if (fields.size() != 3) {
        throw std::invalid_argument("spot state line " + std::to_string(i + 1) +
                                    ": expected 3 fields, found " + std::to_string(fields.size()));
      }
      restored.insert_or_assign(std::string(fields[0]),
                                Position{parse_double(fields[1]), parse_double(fields[2])});
    }
    // Only a fully parsed state replaces the current one.
    positions_ = std::move(restored);
  }

 private:
  struct Position {
    double last_close = 0;  // quote per base; 0 until the first candle
    // Base units this mode believes it holds. Fills are not routed here yet, so the proposed
    // quantity stands in for the filled one: an intent that risk rejects or that fills partly
    // leaves this wrong until on_fill tracks real executions.
    double quantity = 0;
  };

  Position& position(const char* symbol) {
    auto found = positions_.find(std::string_view(symbol));
    if (found == positions_.end()) found = positions_.emplace(symbol, Position{}).first;
    return found->second;
  }

  void emit(const char* symbol, cephalo_side side, double quantity) const {
    cephalo_order_intent intent{};
    intent.side = side;
    intent.symbol = symbol;
    intent.type = CEPHALO_ORDER_MARKET;
    intent.time_in_force = CEPHALO_TIF_GTC;
    intent.quantity = quantity;
    intent.tag = kTag;
    host().emit_order_intent(intent);
  }

  double order_quote_amount_;  // quote currency per entry
  std::map<std::string, Position, std::less<>> positions_;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Spot)
