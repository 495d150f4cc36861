/* The Cephalo tentacle ABI: the one boundary between the core and a plugin library.
 * Thread-safety: every call runs on the core's loop thread unless its comment says otherwise.
 *
 * Rules that hold for everything below:
 *  - Pure C (C11 / C++17): fixed-width integers, doubles, UTF-8 `const char*`, plain structs.
 *  - No exception crosses this boundary: functions return a cephalo_status and may explain a
 *    failure with cephalo_host_api.set_error before returning.
 *  - Whoever allocates frees. Pointer arguments are borrowed for the duration of the call only;
 *    anything that must outlive a call is copied by the receiver.
 *  - Every growable struct starts with `struct_size` (its sizeof as the sender compiled it).
 *    Tables grow append-only within a major version; a changed signature gets a new name.
 *    A receiver reads only the prefix it knows and checks a later slot with CEPHALO_HAS_FIELD.
 *  - Times are nanoseconds since the Unix epoch, UTC. Prices are in quote currency per unit of
 *    base, quantities in base units. They are doubles: exchanges publish decimal strings with at
 *    most 17 significant digits, which a double carries for signal arithmetic; the core rounds to
 *    the venue's tick and lot steps before anything reaches an exchange.
 */
#ifndef CEPHALO_TENTACLE_H
#define CEPHALO_TENTACLE_H

#include <stddef.h>
#include <stdint.h>

#define CEPHALO_ABI_MAJOR 1
#define CEPHALO_ABI_MINOR 4

/* The single symbol a tentacle library exports (see cephalo_tentacle_entry below). */
#define CEPHALO_ENTRY_SYMBOL "cephalo_tentacle_entry"

#if defined(_WIN32)
#define CEPHALO_EXPORT __declspec(dllexport)
#else
#define CEPHALO_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct received with `struct_size` is large enough to hold `field`. */
#define CEPHALO_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ---------------------------------------------------------------------------- */
typedef int32_t cephalo_status;
enum {
  CEPHALO_OK = 0,
  CEPHALO_ERROR = 1,            /* generic failure; details went through set_error */
  CEPHALO_INVALID_ARGUMENT = 2, /* a null pointer, a bad enum value, a NaN where a number belongs */
  CEPHALO_NOT_FOUND = 3,        /* no such parameter / symbol / event yet */
  CEPHALO_BUFFER_TOO_SMALL = 4, /* the out_length argument tells the size needed */
  CEPHALO_INCOMPATIBLE = 5,     /* ABI negotiation failed */
  CEPHALO_UNSUPPORTED = 6,      /* the call is not available for this kind or in this mode */
  CEPHALO_CLOSED = 7            /* the subscription ended: the host is destroying this instance */
};

/* ---- Tentacle kinds ----------------------------------------------------------------------------
 */
typedef int32_t cephalo_kind;
enum {
  CEPHALO_KIND_EVALUATOR = 1,    /* candles in, evaluations out */
  CEPHALO_KIND_STRATEGY = 2,     /* evaluations in, signals out */
  CEPHALO_KIND_TRADING_MODE = 3, /* signals in, order intents out */
  CEPHALO_KIND_INTERFACE = 4     /* observes all events from its own threads, sends commands */
};

typedef int32_t cephalo_log_level;
enum {
  CEPHALO_LOG_TRACE = 0,
  CEPHALO_LOG_DEBUG = 1,
  CEPHALO_LOG_INFO = 2,
  CEPHALO_LOG_WARN = 3,
  CEPHALO_LOG_ERROR = 4
};

/* ---- Event payloads (all borrowed for the duration of the call that hands them over) ----------
 */
/* One exception to "borrowed": the symbol, timeframe and name strings the host passes in events
 * are interned. They stay valid until the tentacle is destroyed, and the same text always comes
 * as the same pointer, so a tentacle may key per-symbol state by pointer. */

/* One OHLCV candle; open_time_ns is the candle's open. */
typedef struct cephalo_candle {
  uint32_t struct_size;
  uint32_t reserved0;    /* zero */
  const char* symbol;    /* e.g. "ETH/BTC" */
  const char* timeframe; /* e.g. "5m" */
  int64_t open_time_ns;
  double open;
  double high;
  double low;
  double close;
  double volume; /* in base units */
} cephalo_candle;

/* An evaluator's opinion on a symbol: value in [-1, 1] (-1 strongly bearish), confidence in [0, 1].
 */
typedef struct cephalo_evaluation {
  uint32_t struct_size;
  uint32_t reserved0;
  const char* symbol;
  const char* evaluator; /* filled in by the host with the emitting tentacle's name */
  double value;
  double confidence;
} cephalo_evaluation;

typedef int32_t cephalo_signal_intent;
enum {
  CEPHALO_SIGNAL_ENTER_LONG = 1,
  CEPHALO_SIGNAL_EXIT_LONG = 2,
  CEPHALO_SIGNAL_ENTER_SHORT = 3,
  CEPHALO_SIGNAL_EXIT_SHORT = 4
};

/* A strategy's decision. stop_price / target_price are 0 when the strategy sets none. */
typedef struct cephalo_signal {
  uint32_t struct_size;
  cephalo_signal_intent intent;
  const char* symbol;
  const char* strategy; /* filled in by the host with the emitting tentacle's name */
  double strength;      /* [0, 1] */
  double confidence;    /* [0, 1] */
  double stop_price;
  double target_price;
} cephalo_signal;

typedef int32_t cephalo_side;
enum { CEPHALO_SIDE_BUY = 1, CEPHALO_SIDE_SELL = 2 };

typedef int32_t cephalo_order_type;
enum {
  CEPHALO_ORDER_MARKET = 1,
  CEPHALO_ORDER_LIMIT = 2,
  CEPHALO_ORDER_STOP = 3,
  CEPHALO_ORDER_STOP_LIMIT = 4
};

typedef int32_t cephalo_time_in_force;
enum { CEPHALO_TIF_GTC = 1, CEPHALO_TIF_IOC = 2, CEPHALO_TIF_FOK = 3 };

/* A trading mode's proposal. The core's risk and execution decide whether it reaches a venue.
 * price is the limit price (0 for market), stop_price the trigger (0 unless a stop type). */
typedef struct cephalo_order_intent {
  uint32_t struct_size;
  cephalo_side side;
  const char* symbol;
  cephalo_order_type type;
  cephalo_time_in_force time_in_force;
  double quantity;
  double price;
  double stop_price;
  const char* tag; /* free text kept with the order, may be NULL */
} cephalo_order_intent;

/* An execution against one of the core's orders. fee is in fee_currency. */
typedef struct cephalo_fill {
  uint32_t struct_size;
  cephalo_side side;
  const char* symbol;
  const char* client_order_id;
  double quantity;
  double price;
  double fee;
  const char* fee_currency;
} cephalo_fill;

/* Something went wrong in the core or a tentacle; source names who. */
typedef struct cephalo_error_event {
  uint32_t struct_size;
  uint32_t reserved0;
  const char* source;
  const char* message;
} cephalo_error_event;

/* A timer this tentacle set with set_timer came due (since 1.3). */
typedef struct cephalo_timer {
  uint32_t struct_size;
  uint32_t reserved0;
  uint64_t timer_id; /* what set_timer returned */
  int64_t due_ns;    /* when it was due, on the core's clock (equals the event's time) */
  int64_t period_ns; /* 0 for a one-shot timer */
} cephalo_timer;

typedef int32_t cephalo_event_type;
enum {
  CEPHALO_EVENT_CANDLE = 1,
  CEPHALO_EVENT_EVALUATION = 2,
  CEPHALO_EVENT_SIGNAL = 3,
  CEPHALO_EVENT_ORDER_INTENT = 4,
  CEPHALO_EVENT_FILL = 5,
  CEPHALO_EVENT_ERROR = 6,
  /* since 1.3; delivered only to the tentacle that set the timer, so older tentacles never see
   * it */
  CEPHALO_EVENT_TIMER = 7
};

/* One event record. `sequence` is unique and increasing within a run (one exception: after a hot
 * swap whose state could not be handed over, the new instance is first shown the candle history
 * with sequence 0, and what it emits then is dropped; see load_state); exchange_time_ns is when
 * the venue says it happened, receive_time_ns when the core saw it (equal in backtests).
 * Read the payload member that `type` names; the others are unspecified. */
typedef struct cephalo_event {
  uint32_t struct_size;
  cephalo_event_type type;
  uint64_t sequence;
  int64_t exchange_time_ns;
  int64_t receive_time_ns;
  union {
    const void* any;
    const cephalo_candle* candle;
    const cephalo_evaluation* evaluation;
    const cephalo_signal* signal;
    const cephalo_order_intent* order_intent;
    const cephalo_fill* fill;
    const cephalo_error_event* error;
    const cephalo_timer* timer; /* since 1.3 */
  } payload;
} cephalo_event;

/* ---- Position sizing (since 1.2) ------------------------------------------------------------ */
/* How a trading mode asks the core how much to enter. The core's helpers size the entry and then
 * clamp it to the risk limits (max position as a fraction of equity and absolute, leverage and
 * total exposure, resting orders counted as filled), reporting whether the limits cut it. */
typedef int32_t cephalo_sizing_method;
enum {
  /* notional = value x equity ("10 % of the account per trade"); value in (0, 1] on spot */
  CEPHALO_SIZING_FIXED_FRACTION = 1,
  /* loses value x equity if the stop is hit: quantity = value x equity / |price - stop_price| */
  CEPHALO_SIZING_RISK_PER_TRADE = 2,
  /* notional = equity x value / volatility, both fractions of price over the same period */
  CEPHALO_SIZING_VOLATILITY_TARGET = 3
};

/* Borrowed for the call. */
typedef struct cephalo_sizing_request {
  uint32_t struct_size;
  cephalo_sizing_method method;
  const char* symbol;
  cephalo_side side;  /* of the entry */
  uint32_t reserved0; /* 0 */
  double price;       /* entry estimate, quote per base; 0 = the symbol's last close */
  double value;       /* the method's fraction (see cephalo_sizing_method) */
  double stop_price;  /* RISK_PER_TRADE: the protective stop, quote per base */
  double volatility;  /* VOLATILITY_TARGET: the asset's volatility as a fraction of price */
} cephalo_sizing_request;

/* Written by the host (at most the caller's struct_size bytes, which the caller sets). */
typedef struct cephalo_sizing_result {
  uint32_t struct_size;
  uint32_t clamped;          /* 1 when the risk limits cut the quantity, else 0 */
  double quantity;           /* base units to order; 0 when nothing fits */
  double unclamped_quantity; /* what the method alone gave, base units */
  double limit_quantity;     /* the most the risk limits allow this entry, base units */
} cephalo_sizing_result;

/* ---- Host services ----------------------------------------------------------------------------
 */

/* Opaque: one per tentacle instance, owned by the host, valid from create until destroy returns. */
typedef struct cephalo_host cephalo_host;

/* Where save_state writes its blob. The host owns the bytes; write may be called several times and
 * appends. */
typedef struct cephalo_state_writer {
  uint32_t struct_size;
  uint32_t reserved0;
  void* context;
  cephalo_status (*write)(void* context, const void* bytes, uint64_t size);
} cephalo_state_writer;

/* The services the core offers. Static for the life of the process; check slots added after 1.0
 * with CEPHALO_HAS_FIELD(api, cephalo_host_api, slot) before calling them. */
typedef struct cephalo_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* Any thread. The message is copied. */
  void (*log)(cephalo_host* host, cephalo_log_level level, const char* message);
  /* Any thread. Explains the failure status the tentacle is about to return; the last one wins. */
  void (*set_error)(cephalo_host* host, const char* message);
  /* Loop thread. The core's clock: simulated in backtests, the wall clock in paper/live. */
  int64_t (*now_ns)(cephalo_host* host);

  /* Loop thread, from on_event only. The host copies the record, stamps the emitting tentacle's
   * name and routes it as a new event after the current one. Evaluators may emit evaluations,
   * strategies signals, trading modes order intents; anything else is CEPHALO_UNSUPPORTED. */
  cephalo_status (*emit_evaluation)(cephalo_host* host, const cephalo_evaluation* evaluation);
  cephalo_status (*emit_signal)(cephalo_host* host, const cephalo_signal* signal);
  cephalo_status (*emit_order_intent)(cephalo_host* host, const cephalo_order_intent* intent);

  /* Loop thread. Copies up to max_count of the most recent closed candles, oldest first, into
   * out_candles (caller-allocated). Only candles up to the current event exist: no lookahead.
   * The symbol/timeframe pointers inside are valid until the current callback returns. */
  cephalo_status (*candle_history)(cephalo_host* host, const char* symbol, const char* timeframe,
                                   uint32_t max_count, cephalo_candle* out_candles,
                                   uint32_t* out_count);

  /* Loop thread or create. Parameters come from the config, checked against the manifest's
   * types and ranges, with the manifest's defaults. CEPHALO_NOT_FOUND for an unknown name. */
  cephalo_status (*param_number)(cephalo_host* host, const char* name, double* out_value);
  cephalo_status (*param_integer)(cephalo_host* host, const char* name, int64_t* out_value);
  cephalo_status (*param_bool)(cephalo_host* host, const char* name, int32_t* out_value);
  /* Writes at most capacity bytes including the terminating NUL; out_length gets the length
   * without it. CEPHALO_BUFFER_TOO_SMALL when it did not fit. */
  cephalo_status (*param_string)(cephalo_host* host, const char* name, char* out_buffer,
                                 uint64_t capacity, uint64_t* out_length);

  /* Interface tentacles only; thread-safe, for the tentacle's own threads. Waits up to timeout_ms
   * for the next event and writes it as one JSON object (NUL-terminated). CEPHALO_NOT_FOUND on
   * timeout. On CEPHALO_BUFFER_TOO_SMALL the event stays queued and out_length gives its length
   * without the NUL. Once the host begins shutting the instance down it stops queueing; the
   * events already queued are still returned, then CEPHALO_CLOSED. */
  cephalo_status (*poll_event_json)(cephalo_host* host, int32_t timeout_ms, char* out_buffer,
                                    uint64_t capacity, uint64_t* out_length);
  /* Interface tentacles only; thread-safe. Queues a command (a JSON object with a "command" key)
   * for the loop thread; the result arrives later as an event. */
  cephalo_status (*send_command_json)(cephalo_host* host, const char* command_json);

  /* since 1.1 ------------------------------------------------------------------------------- */

  /* Loop thread. Cash available to this tentacle's account (its slot's sub-account in an A/B
   * run), in the quote currency, after what open orders have reserved. */
  cephalo_status (*portfolio_cash)(cephalo_host* host, double* out_cash);
  /* Loop thread. The position held in `symbol`: quantity in base (0 when flat) and the
   * quantity-weighted average entry price in quote (0 when flat). */
  cephalo_status (*portfolio_position)(cephalo_host* host, const char* symbol, double* out_quantity,
                                       double* out_average_price);
  /* Loop thread. The latest values of a streaming indicator on symbol/timeframe, computed by the
   * core up to the current event only. `spec` is e.g. "sma:10", "macd:12:26:9", "bbands:20:2";
   * the values come in the order of its outputs (macd: macd, signal, hist; bbands: upper, middle,
   * lower). The first call for a spec warms it up from the candle history. CEPHALO_NOT_FOUND
   * while it is warming up (or the series is unknown), CEPHALO_INVALID_ARGUMENT for a bad spec
   * (set_error says why), CEPHALO_BUFFER_TOO_SMALL when capacity < out_count. */
  cephalo_status (*indicator)(cephalo_host* host, const char* symbol, const char* timeframe,
                              const char* spec, double* out_values, uint32_t capacity,
                              uint32_t* out_count);

  /* since 1.2 ------------------------------------------------------------------------------- */

  /* Loop thread, trading modes only (CEPHALO_UNSUPPORTED otherwise). Sizes an entry with the
   * core's helper for request->method and clamps it to the risk limits of this tentacle's
   * account. CEPHALO_INVALID_ARGUMENT for an unknown method, a missing stop or volatility, or
   * struct sizes too small (set_error says which); CEPHALO_NOT_FOUND when no price is known for
   * the symbol; CEPHALO_UNSUPPORTED when the run has no account (no venue). */
  cephalo_status (*position_size)(cephalo_host* host, const cephalo_sizing_request* request,
                                  cephalo_sizing_result* out_result);

  /* since 1.3 ------------------------------------------------------------------------------- */

  /* Loop thread. Calls this tentacle back with a CEPHALO_EVENT_TIMER event at first_due_ns and,
   * when period_ns > 0, every period_ns after it. Times are on the core's clock (now_ns): the
   * data's time in backtests and replays, so timers are deterministic there, and the wall clock
   * live. A timer due at or before a market event's time is delivered before that event; a due
   * time in the past fires at once. *out_timer_id identifies it for cancel_timer.
   * CEPHALO_INVALID_ARGUMENT for a negative period. */
  cephalo_status (*set_timer)(cephalo_host* host, int64_t first_due_ns, int64_t period_ns,
                              uint64_t* out_timer_id);
  /* Loop thread. No more events from this timer; CEPHALO_NOT_FOUND when it is not this
   * tentacle's, or already over. Destroying the instance cancels its timers. */
  cephalo_status (*cancel_timer)(cephalo_host* host, uint64_t timer_id);

  /* since 1.4 ------------------------------------------------------------------------------- */

  /* Loop thread. Resolves symbol/timeframe/spec once, for a strategy that reads the indicator on
   * every candle: indicator_values then answers without comparing any name or spec text. Creates
   * the indicator (warmed up from the candle history) if it does not exist yet, like the first
   * `indicator` call for it. *out_handle is never 0 and stays valid for the run; a hot-swapped
   * successor may resolve its own or reuse a saved one. CEPHALO_INVALID_ARGUMENT for a bad spec
   * (set_error says why). */
  cephalo_status (*indicator_handle)(cephalo_host* host, const char* symbol, const char* timeframe,
                                     const char* spec, uint64_t* out_handle);
  /* Loop thread. The latest values behind `count` handles in one call: what `indicator` gives
   * for each handle's symbol/timeframe/spec, one handle's outputs after the other, and
   * out_counts[i] = how many outputs handle i has (always set). CEPHALO_NOT_FOUND while any of
   * them is warming up (out_values is then unspecified), CEPHALO_BUFFER_TOO_SMALL when capacity
   * is less than the total, CEPHALO_INVALID_ARGUMENT for a handle this core did not give out. */
  cephalo_status (*indicator_values)(cephalo_host* host, const uint64_t* handles, uint32_t count,
                                     double* out_values, uint32_t capacity, uint32_t* out_counts);
} cephalo_host_api;

/* ---- The tentacle's side ----------------------------------------------------------------------
 */

/* The tentacle's functions. All run on the loop thread except where noted. */
typedef struct cephalo_tentacle_functions {
  uint32_t struct_size;
  uint32_t reserved0;
  /* Build an instance. `host_api` and `host` stay valid until destroy returns. On failure call
   * host_api->set_error and return an error status; *out_instance is then ignored. */
  cephalo_status (*create)(const cephalo_host_api* host_api, cephalo_host* host,
                           void** out_instance);
  /* Free the instance. Interface tentacles stop and join every thread they started first. */
  void (*destroy)(void* instance);
  /* Handle one event. Must not block or start threads. A failure status quarantines the instance.
   */
  cephalo_status (*on_event)(void* instance, const cephalo_event* event);
  /* Write the instance's state through writer (may write nothing). Used for hot swap. */
  cephalo_status (*save_state)(void* instance, const cephalo_state_writer* writer);
  /* Restore state saved by an instance with the given state_version; the bytes are borrowed.
   * Hot swap calls it on a freshly created instance, on the loop thread, only when the old and new
   * descriptors declare the same state_version; otherwise the new instance warms up on the candle
   * history instead. A failure status rolls the swap back: the old instance keeps running. */
  cephalo_status (*load_state)(void* instance, uint32_t state_version, const void* bytes,
                               uint64_t size);
} cephalo_tentacle_functions;

/* Static data describing the library. Must stay valid until the library is unloaded. The
 * parameter schema lives in the manifest (tentacle.yaml), which the host checks before it loads
 * any code; name, kind and version here must equal the manifest's. */
typedef struct cephalo_tentacle_descriptor {
  uint32_t struct_size;
  cephalo_kind kind;
  uint16_t abi_major;     /* the ABI this tentacle needs: major must equal the host's, */
  uint16_t abi_minor;     /* minor must not exceed the host's */
  uint32_t state_version; /* format of save_state's blob; a mismatch means warm up instead */
  const char* name;
  const char* version; /* semantic version, "MAJOR.MINOR.PATCH" */
  const char* description;
  const cephalo_tentacle_functions* functions;
} cephalo_tentacle_descriptor;

/* The handshake. The host fills struct_size and host_abi_*; the tentacle writes the ABI it needs
 * into tentacle_abi_* whatever the outcome, so a refusal can name both versions. */
typedef struct cephalo_negotiation {
  uint32_t struct_size;
  uint16_t host_abi_major;
  uint16_t host_abi_minor;
  uint16_t tentacle_abi_major;
  uint16_t tentacle_abi_minor;
  uint32_t reserved0;
} cephalo_negotiation;

/* The one exported entry point. Called once per load, on the loop thread, before any create.
 * Returns CEPHALO_INCOMPATIBLE (and no descriptor) when the versions cannot work together.
 * host_api is static: the tentacle may keep the pointer. */
typedef cephalo_status (*cephalo_entry_fn)(cephalo_negotiation* inout_negotiation,
                                           const cephalo_host_api* host_api,
                                           const cephalo_tentacle_descriptor** out_descriptor);

CEPHALO_EXPORT cephalo_status
cephalo_tentacle_entry(cephalo_negotiation* inout_negotiation, const cephalo_host_api* host_api,
                       const cephalo_tentacle_descriptor** out_descriptor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CEPHALO_TENTACLE_H */
