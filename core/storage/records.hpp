// Plain rows that storage keeps, one struct per table; the engine converts its own types to these.
// Every row is stored with the id of the run that wrote it (stored_records.hpp describes the
// tables). Thread-safety: plain values; safe to copy and move between threads.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

// Units everywhere: times are ns since epoch UTC; prices are in quote currency, quantities in
// base currency. Prices and quantities are doubles because the engine computes in doubles: this is
// a journal of what it decided, not a ledger, and SQLite REAL is IEEE-754 binary64, so every value
// reads back bit for bit. A NaN is stored as NULL and reads back as NaN. Sequences are the event
// loop's sequence numbers; SQLite integers are signed 64-bit, hence int64_t.
namespace cephalo {

struct EventRecord {
  std::int64_t sequence = 0;
  std::string type;
  std::int64_t exchange_time_ns = 0;
  std::int64_t receive_time_ns = 0;
  std::string payload_json;
};

// One row per (run, symbol, timeframe, open_time_ns): the same candle twice in one run is refused
// and reported; another run storing the same candle keeps its own row.
struct CandleRecord {
  std::string symbol;
  std::string timeframe;  // as written in config, e.g. "1m", "1h"
  std::int64_t open_time_ns = 0;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;  // base currency
};

struct EvaluationRecord {
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;
  std::string symbol;
  std::string evaluator;
  double value = 0;  // in [-1, 1]
  double confidence = 0;
};

struct SignalRecord {
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;
  std::string symbol;
  std::string strategy;
  std::string intent;
  double strength = 0;
  double confidence = 0;
  std::optional<double> stop_price;  // absent when the strategy proposes none
  std::optional<double> target_price;
};

// An order a trading mode proposed, before risk judged it (its verdicts name its sequence).
struct OrderIntentRecord {
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;
  std::string symbol;
  std::string trading_mode;
  std::string slot;  // the A/B slot that proposed it ("main" without slots)
  std::string side;  // buy / sell
  std::string type;  // market, limit, stop, ...
  std::string time_in_force;
  double quantity = 0;          // base currency
  std::optional<double> price;  // absent for market orders
  std::optional<double> stop_price;
  std::string tag;
};

struct RiskVerdictRecord {
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;
  std::string tier;  // position, strategy or account
  std::string rule;
  std::int64_t intent_sequence = 0;  // the sequence of the OrderIntent judged
  bool allowed = false;
  std::string reason;  // a refusal's, saying what to change; empty for a pass of a rule
  // The figures the rule compared, in the rule's unit (a fraction, quote currency, a count); NaN
  // (stored as NULL) when the verdict compares none (an account action, a resume).
  double value = 0;
  double limit = 0;
  std::string slot;  // the A/B slot whose risk engine judged ("main" without slots)
};

// The value and limit of a risk verdict that compares no figure (an account action, a resume):
// stored as NULL.
constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();

// The latest known state of one order, keyed by (run, client_order_id): recording it again
// replaces the row; a state older than the stored one (updated_time_ns) is refused and reported.
struct OrderRecord {
  std::string client_order_id;
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;  // when the order was created
  std::string symbol;
  std::string side;
  std::string type;
  std::string time_in_force;
  double quantity = 0;
  std::optional<double> price;  // absent for market orders
  std::optional<double> stop_price;
  std::string status;
  std::string tag;
  std::string venue_order_id;  // empty until the venue acknowledges
  std::int64_t updated_time_ns = 0;
};

// One order sent (or about to be sent) to a real venue, keyed by its client order id across all
// runs (the venue sees it), with the run that placed it. Written
// synchronously before the request leaves, and again on every state change, so a restart finds
// every order that may exist on the venue. Prices and quantities are the exact decimal strings
// the venue sees (not doubles): reconciliation compares them with the venue's answers.
struct LiveOrderRecord {
  std::string client_order_id;
  std::string symbol;  // venue spelling, e.g. "ETHBTC"
  std::string side;    // BUY / SELL
  std::string type;    // LIMIT / MARKET
  std::string time_in_force;
  std::string quantity;             // base, decimal text
  std::string price;                // quote per base, decimal text; "0" for market orders
  std::string state;                // pending_new, open, partially_filled, filled, cancelled, ...
  std::int64_t venue_order_id = 0;  // 0 until the venue acknowledges
  std::string executed_quantity = "0";  // cumulative, base, decimal text
  std::string cumulative_quote = "0";   // cumulative, quote, decimal text
  std::int64_t venue_update_ms = 0;     // the venue's time of the state recorded (ms)
  std::int64_t created_ns = 0;
  std::int64_t updated_ns = 0;
  std::string reason;  // why rejected / unknown / cancelled, for the user
};

// Unique by (run, trade_id); a second write is refused and reported. Venues resend fills after
// reconnects: the live executor records each venue trade once (it reads the stored ones at start).
struct FillRecord {
  std::string trade_id;
  std::string client_order_id;
  std::int64_t time_ns = 0;
  std::string symbol;
  std::string side;
  double quantity = 0;
  double price = 0;
  double fee = 0;  // in fee_currency
  std::string fee_currency;
};

struct TradeRecord {
  std::string pair;
  std::int64_t entry_time_ns = 0;
  double entry_price = 0;
  std::int64_t exit_time_ns = 0;
  double exit_price = 0;
  double quantity = 0;
  double fees = 0;  // quote currency
  double pnl = 0;   // quote currency, after fees
  std::string exit_reason;
};

struct BalanceRecord {
  std::int64_t time_ns = 0;
  std::string asset;
  double free = 0;
  double locked = 0;
  std::string reason;  // what changed it: a fill, a deposit, a sync with the venue
};

struct TentacleLoadRecord {
  std::int64_t time_ns = 0;
  std::string name;
  std::string kind;
  std::string version;
  std::string file;
  std::string sha256;
  std::string status;   // loaded, refused, swapped, unloaded, ...
  std::string message;  // why, when refused
};

// One hot swap attempt of a running tentacle, kept whatever its outcome.
struct TentacleSwapRecord {
  std::int64_t time_ns = 0;  // wall clock, ns since epoch UTC
  std::string name;
  std::string kind;
  std::string from_version;
  std::string to_version;
  std::string trigger;        // file, command, config
  std::int64_t pause_ns = 0;  // how long the loop did not process events for the swap itself
  std::int64_t state_bytes = 0;
  std::string handoff;  // state (load_state took the old blob), warmup, none
  std::string outcome;  // swapped, rolled_back
  std::string unload;   // unloaded, pinned (still mapped), or empty when not swapped
  std::string message;  // why it rolled back, or what pinned the old library
};

// One run of the bot; id is assigned by storage when the run starts, and every row the run writes
// carries it.
struct RunRecord {
  std::int64_t id = 0;
  std::int64_t started_ns = 0;
  std::string mode;  // backtest, paper or live; "migrated" for rows older than run ids
  std::string config_json;
  std::optional<std::int64_t> finished_ns;  // absent while running, or after a crash
  // "" while running (or after a crash), "completed", "failed: <why>", or for a migrated run
  // what it holds.
  std::string outcome;
};

}  // namespace cephalo
