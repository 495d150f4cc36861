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
#define CEPHALO_ABI_MINOR 0

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

/* ---- Tentacle kinds ---------------------------------------------------------------------------- */
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

/* ---- Event payloads (all borrowed for the duration of the call that hands them over) ---------- */

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

/* An evaluator's opinion on a symbol: value in [-1, 1] (-1 strongly bearish), confidence in [0, 1]. */
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

typedef int32_t cephalo_event_type;
enum {
  CEPHALO_EVENT_CANDLE = 1,
  CEPHALO_EVENT_EVALUATION = 2,
  CEPHALO_EVENT_SIGNAL = 3,
  CEPHALO_EVENT_ORDER_INTENT = 4,
  CEPHALO_EVENT_FILL = 5,
  CEPHALO_EVENT_ERROR = 6
};

/* One event record. `sequence` is unique and increasing within a run; exchange_time_ns is when
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
  } payload;
} cephalo_event;

/* ---- Host services ---------------------------------------------------------------------------- */

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
} cephalo_host_api;

/* ---- The tentacle's side ---------------------------------------------------------------------- */

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
  /* Handle one event. Must not block or start threads. A failure status quarantines the instance. */
  cephalo_status (*on_event)(void* instance, const cephalo_event* event);
  /* Write the instance's state through writer (may write nothing). Used for hot swap. */
  cephalo_status (*save_state)(void* instance, const cephalo_state_writer* writer);
  /* Restore state saved by an instance with the given state_version; the bytes are borrowed. */
  cephalo_status (*load_state)(void* instance, uint32_t state_version, const void* bytes,
                               uint64_t size);
} cephalo_tentacle_functions;

/* Static data describing the library. Must stay valid until the library is unloaded. The
 * parameter schema lives in the manifest (tentacle.yaml), which the host checks before it loads
 * any code; name, kind and version here must equal the manifest's. */
typedef struct cephalo_tentacle_descriptor {
  uint32_t struct_size;
  cephalo_kind kind;
  uint16_t abi_major; /* the ABI this tentacle needs: major must equal the host's, */
  uint16_t abi_minor; /* minor must not exceed the host's */
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

CEPHALO_EXPORT cephalo_status cephalo_tentacle_entry(
    cephalo_negotiation* inout_negotiation, const cephalo_host_api* host_api,
    const cephalo_tentacle_descriptor** out_descriptor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CEPHALO_TENTACLE_H */
