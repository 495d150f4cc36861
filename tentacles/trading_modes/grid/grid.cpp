// The "grid" trading mode: a long-only spot grid of resting limit orders that runs on its own.
// Thread-safety: loop thread only, like every trading mode.
//
// Cycle per level i (prices evenly spaced from lower to upper): a BUY limit at level i; its fill
// places a SELL limit of the filled quantity at level i+1; once that sold, the BUY at level i is
// placed again. Signals are ignored: the grid's levels, not a strategy, decide when it trades.
//
// The ABI hands a trading mode fills but not the order id its intent got, so a fill is matched to
// a level by side, price and quantity: a BUY limit at p fills at p or lower (lower when the bar
// opens below it), a SELL at p or higher, and every level's order has its own quantity.
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

// A venue rounds a quantity down to its lot step, so an order can end a little short of what was
// asked. A remainder below this share of the order is that rounding, not a fill still to come.
constexpr double kRoundingShare = 0.01;
// Prices compare with a relative tolerance: a level price and the venue's echo of it may differ
// in the last bits after tick rounding.
constexpr double kPriceTolerance = 1e-9;

// The saved state is cephalo/state_text.hpp text: a header line with the grid's geometry, then
// per symbol one "S" line followed by one "L" line per level that has anything going on.
constexpr std::string_view kStateMagic = "cephalo-grid-state";

class Grid final : public cephalo::TradingMode {
 public:
  static constexpr uint32_t kStateVersion = 1;

  explicit Grid(cephalo::Host host)
      : TradingMode(host),
        lower_(host.number("lower")),
        upper_(host.number("upper")),
        levels_(host.integer("levels")),
        quote_per_level_(host.number("quote_per_level")) {
    std::string problems;
    const auto problem = [&](const std::string& message) {
      problems += (problems.empty() ? "" : "; ") + message;
    };
    if (!(lower_ > 0) || !std::isfinite(lower_)) {
      problem("lower must be a positive price, got " + std::to_string(lower_));
    }
    if (!(upper_ > lower_) || !std::isfinite(upper_)) {
      problem("upper must be above lower, got lower " + std::to_string(lower_) + ", upper " +
              std::to_string(upper_));
    }
    if (levels_ < 2) problem("levels must be at least 2, got " + std::to_string(levels_));
    if (!(quote_per_level_ > 0) || !std::isfinite(quote_per_level_)) {
      problem("quote_per_level must be a positive number, got " + std::to_string(quote_per_level_));
    }
    if (!problems.empty()) throw std::invalid_argument("grid: " + problems);
    const double step = (upper_ - lower_) / static_cast<double>(levels_ - 1);
    for (int64_t i = 0; i < levels_; ++i) {
      // The top level is computed as upper itself, not lower + n*step, so it is exactly as set.
      prices_.push_back(i == levels_ - 1 ? upper_ : lower_ + step * static_cast<double>(i));
    }
  }

  void on_candle(const cephalo_candle& candle, const cephalo_event&) override {
    if (candle.symbol == nullptr || candle.timeframe == nullptr || !std::isfinite(candle.close) ||
        candle.close <= 0) {
      return;
    }
    auto found = symbols_.find(std::string_view(candle.symbol));
    if (found == symbols_.end()) {
      SymbolGrid fresh;
      fresh.timeframe = candle.timeframe;
      fresh.levels.resize(prices_.size());
      // The top level only ever sells: a buy there would have no level above to sell at.
      for (size_t i = 0; i + 1 < prices_.size(); ++i) {
        fresh.levels[i].wants_buy = prices_[i] < candle.close;
      }
      found = symbols_.emplace(candle.symbol, std::move(fresh)).first;
    }
    if (found->second.timeframe != candle.timeframe) return;
    // Placed here, not only at the start: a buy that waited for cash goes out once there is some.
    place_buys(candle.symbol, found->second);
  }

  void on_signal(const cephalo_signal&, const cephalo_event&) override {
    if (told_signals_ignored_) return;
    told_signals_ignored_ = true;
    host().debug("grid: signals are ignored; the grid trades its levels on its own");
  }

  void on_fill(const cephalo_fill& fill, const cephalo_event&) override {
    if (fill.symbol == nullptr || !(fill.quantity > 0) || !std::isfinite(fill.price)) return;
    const auto found = symbols_.find(std::string_view(fill.symbol));
    if (found == symbols_.end()) return;
    SymbolGrid& grid = found->second;
    const bool buy = fill.side == CEPHALO_SIDE_BUY;
    const size_t level = match(grid, buy, fill.quantity, fill.price);
    const bool has_neighbour = buy ? level + 1 < grid.levels.size() : level >= 1;
    if (level == kNoLevel || !has_neighbour) {
      host().warn(std::string("grid: a ") + (buy ? "buy" : "sell") + " fill of " + fill.symbol +
                  " (" + std::to_string(fill.quantity) + " at " + std::to_string(fill.price) +
                  ") matches no working grid order; ignored");
      return;
    }
    Level& at = grid.levels[level];
    // Buys live below the top level and sells above the bottom one, so both neighbours exist.
    if (buy) {
      at.buy_open = remaining(at.buy_open, fill.quantity, at.buy_quantity);
      // Each piece bought goes up for sale at once: a partly filled buy may never complete, and
      // what it did buy should not wait for it.
      Level& above = grid.levels[level + 1];
      emit(fill.symbol, CEPHALO_SIDE_SELL, fill.quantity, prices_[level + 1]);
      above.sell_open += fill.quantity;
      above.sell_quantity += fill.quantity;
    } else {
      at.sell_open = remaining(at.sell_open, fill.quantity, at.sell_quantity);
      // The level below is bought again once all it bought has sold; while a partly filled buy
      // there is still working, its own last piece sold will re-arm it.
      Level& below = grid.levels[level - 1];
      if (at.sell_open == 0) {
        at.sell_quantity = 0;
        if (below.buy_open == 0) {
          below.wants_buy = true;
          place_buys(fill.symbol, grid);
        }
      }
    }
  }

  std::string save_state() override {
    cephalo::StateTextWriter out(kStateMagic);
    out.number(lower_).number(upper_).integer(levels_);
    for (const auto& [symbol, grid] : symbols_) {
      out.line().text("S").text(symbol).text(grid.timeframe);
      for (size_t i = 0; i < grid.levels.size(); ++i) {
        const Level& level = grid.levels[i];
        if (!level.wants_buy && level.buy_open == 0 && level.sell_open == 0) continue;
        out.line().text("L").integer(static_cast<int64_t>(i)).boolean(level.wants_buy);
        out.number(level.buy_open).number(level.buy_quantity);
        out.number(level.sell_open).number(level.sell_quantity);
      }
    }
    return out.str();
  }

  void load_state(uint32_t state_version, std::string_view bytes) override {
    cephalo::require_state_version("grid", state_version, kStateVersion);
    if (bytes.empty()) return;
    const cephalo::StateTextReader in(bytes, kStateMagic, "grid");
    const cephalo::StateTextLine& header = in.header();
    header.expect_fields(4);
    const double lower = header.number(1, "lower");
    const double upper = header.number(2, "upper");
    const int64_t levels = header.integer(3, "levels");
    // The orders resting at the venue sit at the old levels; a new geometry could not follow
    // them, so refusing keeps the old instance (and its bookkeeping) running.
    if (lower != lower_ || upper != upper_ || levels != levels_) {
      throw std::invalid_argument(
          "grid: the saved grid has other levels (lower " + std::string(header.raw(1)) +
          ", upper " + std::string(header.raw(2)) + ", levels " + std::string(header.raw(3)) +
          "); its working orders cannot be taken over: stop the bot to change the grid");
    }
    std::map<std::string, SymbolGrid, std::less<>> restored;
    SymbolGrid* current = nullptr;
    for (const cephalo::StateTextLine& line : in) {
      if (line.raw(0) == "S" && line.size() == 3) {
        SymbolGrid grid;
        grid.timeframe = line.text(2, "timeframe");
        grid.levels.resize(prices_.size());
        current = &restored.insert_or_assign(line.text(1, "symbol"), std::move(grid)).first->second;
      } else if (line.raw(0) == "L" && line.size() == 7 && current != nullptr) {
        const int64_t index = line.integer(1, "level");
        if (index < 0 || index >= levels_) {
          throw line.error("field 2 (level): expected 0 to " + std::to_string(levels_ - 1) +
                           ", found " + std::to_string(index));
        }
        Level level;
        level.wants_buy = line.boolean(2, "wants_buy");
        level.buy_open = line.number(3, "buy_open");
        level.buy_quantity = line.number(4, "buy_quantity");
        level.sell_open = line.number(5, "sell_open");
        level.sell_quantity = line.number(6, "sell_quantity");
        current->levels[static_cast<size_t>(index)] = level;
      } else {
        throw line.error("expected an S line (3 fields) or, after one, an L line (7 fields): '" +
                         std::string(line.text()) + "'");
      }
    }
    // Only a fully parsed state replaces the current one.
    symbols_ = std::move(restored);
  }

 private:
  // One grid level's orders. Quantities in base units; 0 = no working order.
  struct Level {
    bool wants_buy = false;    // a buy belongs here and is not working yet (e.g. cash was short)
    double buy_open = 0;       // still to fill on the working buy
    double buy_quantity = 0;   // the working buy's size, the yardstick for lot rounding
    double sell_open = 0;      // still to fill on the working sells (one per buy fill)
    double sell_quantity = 0;  // those sells' total size
  };
  struct SymbolGrid {
    std::string timeframe;  // the first seen; the grid follows one series per symbol
    std::vector<Level> levels;
  };

  static constexpr size_t kNoLevel = static_cast<size_t>(-1);

  static double remaining(double open, double filled, double size) {
    const double left = open - filled;
    return left <= size * kRoundingShare ? 0 : left;
  }

  // The working order a fill belongs to: a level whose price the fill price is consistent with,
  // preferring the one whose open quantity the fill matches best, then the level nearest the
  // fill price (where a touch fills).
  size_t match(const SymbolGrid& grid, bool buy, double quantity, double price) const {
    size_t best = kNoLevel;
    double best_gap = 0;
    double best_distance = 0;
    for (size_t i = 0; i < grid.levels.size(); ++i) {
      const double open = buy ? grid.levels[i].buy_open : grid.levels[i].sell_open;
      if (open <= 0) continue;
      const bool consistent = buy ? price <= prices_[i] * (1 + kPriceTolerance)
                                  : price >= prices_[i] * (1 - kPriceTolerance);
      if (!consistent) continue;
      const double gap = std::fabs(open - quantity) / open;
      const double distance = std::fabs(prices_[i] - price);
      const bool better = best == kNoLevel || gap < best_gap - kPriceTolerance ||
                          (gap <= best_gap + kPriceTolerance && distance < best_distance);
      if (better) {
        best = i;
        best_gap = gap;
        best_distance = distance;
      }
    }
    return best;
  }

  // Quote this grid has promised to its working buys, across symbols. A backtest's cash does not
  // set it aside, and a buy that finds no cash when it fills is rejected without this mode ever
  // hearing of it, so the level would believe its buy is working forever.
  double committed_quote() const {
    double committed = 0;
    for (const auto& [symbol, grid] : symbols_) {
      for (size_t i = 0; i < grid.levels.size(); ++i)
        committed += grid.levels[i].buy_open * prices_[i];
    }
    return committed;
  }

  void place_buys(const char* symbol, SymbolGrid& grid) {
    bool any = false;
    for (const Level& level : grid.levels) any = any || (level.wants_buy && level.buy_open == 0);
    if (!any) return;
    double available = host().cash() - committed_quote();
    // From the top down: when cash runs short, the levels nearest the price, which fill first,
    // get it.
    for (size_t i = grid.levels.size(); i-- > 0;) {
      Level& level = grid.levels[i];
      if (!level.wants_buy || level.buy_open > 0) continue;
      if (available < quote_per_level_) {
        host().debug(std::string("grid: buy of ") + symbol + " at " + std::to_string(prices_[i]) +
                     " waits: " + std::to_string(available) +
                     " uncommitted cash is below quote_per_level");
        continue;
      }
      const double quantity = quote_per_level_ / prices_[i];
      emit(symbol, CEPHALO_SIDE_BUY, quantity, prices_[i]);
      level.wants_buy = false;  // only once the host took the intent
      level.buy_open = quantity;
      level.buy_quantity = quantity;
      available -= quote_per_level_;
    }
  }

  void emit(const char* symbol, cephalo_side side, double quantity, double price) const {
    host().emit_limit_order(symbol, side, quantity, price, "grid");
  }

  double lower_;  // quote per base
  double upper_;  // quote per base
  int64_t levels_;
  double quote_per_level_;      // quote currency per buy
  std::vector<double> prices_;  // level prices, ascending
  std::map<std::string, SymbolGrid, std::less<>> symbols_;
  bool told_signals_ignored_ = false;
};

}  // namespace

CEPHALO_EXPORT_TENTACLE(Grid)
