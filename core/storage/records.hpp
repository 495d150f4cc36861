// Plain rows that storage keeps, one struct per table; the engine converts its own types to these.
// Thread-safety: plain values; safe to copy and move between threads.
#pragma once

#include <cstdint>
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

// One row per (symbol, timeframe, open_time_ns): a second insert of the same candle is ignored,
// so replaying a data file into an existing database is harmless.
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

struct RiskVerdictRecord {
  std::int64_t sequence = 0;
  std::int64_t time_ns = 0;
  std::string tier;  // position, strategy or account
  std::string rule;
  std::int64_t intent_sequence = 0;  // the sequence of the OrderIntent judged
  bool allowed = false;
  std::string reason;
  std::string values_json;  // the figures the rule compared, for audits
  std::string slot;         // the A/B slot whose risk engine judged ("main" without slots)
};

// The latest known state of one order, keyed by client_order_id: recording it again replaces the
// row, unless the stored row has a later updated_time_ns (a late, stale update never wins).
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

// One order sent (or about to be sent) to a real venue, keyed by its client order id. Written
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

// Unique by trade_id: venues resend fills after reconnects, and a duplicate is ignored.
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

// One run of the bot; id is assigned by storage when the run starts.
struct RunRecord {
  std::int64_t id = 0;
  std::int64_t started_ns = 0;
  std::string mode;  // backtest, paper or live
  std::string config_json;
  std::optional<std::int64_t> finished_ns;  // absent while running, or after a crash
};

}  // namespace cephalo
