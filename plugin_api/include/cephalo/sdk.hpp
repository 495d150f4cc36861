// Header-only C++ SDK over cephalo/tentacle.h: write one class and one export macro.
// Thread-safety: a Tentacle is called on the loop thread only; Host's log/set_error and the
// interface calls (poll_event_json, send_command_json, query_json) may be used from any thread.
//
// This header is compiled into each tentacle and may change freely; only tentacle.h is the ABI.
// Every callback the core makes goes through detail::Adapter, which catches every exception and
// turns it into a status plus set_error, so no exception ever crosses the boundary.
//
//   class MyRsi : public cephalo::Evaluator {
//    public:
//     explicit MyRsi(cephalo::Host host) : Evaluator(host), period_(host.integer("period")) {}
//     void on_candle(const cephalo_candle& candle, const cephalo_event&) override { ... }
//   };
//   CEPHALO_EXPORT_TENTACLE(MyRsi)
//
// Name, version and kind come from the tentacle's manifest (tentacle.yaml) through the compile
// definitions that cephalo_add_tentacle() sets, so they are written in exactly one place.
#pragma once

#include <cephalo/tentacle.h>

#include <array>
#include <cephalo/state_text.hpp>  // text blobs for save_state/load_state
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cephalo {

// Thrown by Host helpers when the core refuses a request; the Adapter reports it via set_error.
class SdkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The core's services for one tentacle instance. Cheap to copy (two pointers).
class Host {
 public:
  Host(const cephalo_host_api* api, cephalo_host* host) : api_(api), host_(host) {}

  void log(cephalo_log_level level, const std::string& message) const {
    api_->log(host_, level, message.c_str());
  }
  void debug(const std::string& message) const { log(CEPHALO_LOG_DEBUG, message); }
  void info(const std::string& message) const { log(CEPHALO_LOG_INFO, message); }
  void warn(const std::string& message) const { log(CEPHALO_LOG_WARN, message); }
  void error(const std::string& message) const { log(CEPHALO_LOG_ERROR, message); }
  void set_error(const char* message) const { api_->set_error(host_, message); }

  // Time in ns since the epoch, from the core's clock (simulated in backtests).
  int64_t now_ns() const { return api_->now_ns(host_); }

  double number(const char* name) const {
    double value = 0;
    check(api_->param_number(host_, name, &value), "number parameter", name);
    return value;
  }
  int64_t integer(const char* name) const {
    int64_t value = 0;
    check(api_->param_integer(host_, name, &value), "integer parameter", name);
    return value;
  }
  bool boolean(const char* name) const {
    int32_t value = 0;
    check(api_->param_bool(host_, name, &value), "bool parameter", name);
    return value != 0;
  }
  std::string string(const char* name) const {
    uint64_t length = 0;
    std::string value(64, '\0');
    cephalo_status status = api_->param_string(host_, name, value.data(), value.size(), &length);
    if (status == CEPHALO_BUFFER_TOO_SMALL) {
      value.assign(length + 1, '\0');
      status = api_->param_string(host_, name, value.data(), value.size(), &length);
    }
    check(status, "string parameter", name);
    value.resize(length);
    return value;
  }

  void emit_evaluation(const char* symbol, double value, double confidence) const {
    cephalo_evaluation evaluation{};
    evaluation.struct_size = sizeof evaluation;
    evaluation.symbol = symbol;
    evaluation.value = value;
    evaluation.confidence = confidence;
    check(api_->emit_evaluation(host_, &evaluation), "emit_evaluation", symbol);
  }
  void emit_signal(const char* symbol, cephalo_signal_intent intent, double strength,
                   double confidence, double stop_price = 0, double target_price = 0) const {
    cephalo_signal signal{};
    signal.struct_size = sizeof signal;
    signal.intent = intent;
    signal.symbol = symbol;
    signal.strength = strength;
    signal.confidence = confidence;
    signal.stop_price = stop_price;
    signal.target_price = target_price;
    check(api_->emit_signal(host_, &signal), "emit_signal", symbol);
  }
  // The two orders trading modes send most: good-till-cancelled market and limit orders. `tag`
  // stays with the order and becomes the exit reason of a trade it closes.
  void emit_market_order(const char* symbol, cephalo_side side, double quantity,
                         const char* tag) const {
    emit_order_intent(order(symbol, side, CEPHALO_ORDER_MARKET, quantity, 0, tag));
  }
  void emit_limit_order(const char* symbol, cephalo_side side, double quantity, double price,
                        const char* tag) const {
    emit_order_intent(order(symbol, side, CEPHALO_ORDER_LIMIT, quantity, price, tag));
  }
  void emit_order_intent(cephalo_order_intent intent) const {
    intent.struct_size = sizeof intent;
    check(api_->emit_order_intent(host_, &intent), "emit_order_intent", intent.symbol);
  }

  // The most recent closed candles, oldest first; never anything after the current event.
  std::vector<cephalo_candle> history(const char* symbol, const char* timeframe,
                                      uint32_t max_count) const {
    std::vector<cephalo_candle> candles(max_count);
    uint32_t count = 0;
    check(api_->candle_history(host_, symbol, timeframe, max_count, candles.data(), &count),
          "candle_history", symbol);
    candles.resize(count);
    return candles;
  }

  // Interface tentacles: the next event as JSON, std::nullopt on timeout. Sets *closed when the
  // host is shutting this instance down and the polling thread should end.
  std::optional<std::string> poll_event_json(int32_t timeout_ms, bool* closed) const {
    std::string buffer(4096, '\0');
    uint64_t length = 0;
    cephalo_status status =
        api_->poll_event_json(host_, timeout_ms, buffer.data(), buffer.size(), &length);
    if (status == CEPHALO_BUFFER_TOO_SMALL) {
      buffer.assign(length + 1, '\0');
      status = api_->poll_event_json(host_, 0, buffer.data(), buffer.size(), &length);
    }
    *closed = status == CEPHALO_CLOSED;
    if (status != CEPHALO_OK) return std::nullopt;
    buffer.resize(length);
    return buffer;
  }
  // Interface tentacles: queues a command of the command set (cephalo/control_api.md). With an
  // "id" in it (ABI 1.5) its answer comes back through poll_event_json as an event of type
  // "command_result" carrying that id. False when the host refused to queue it.
  bool send_command_json(const std::string& command_json) const {
    return api_->send_command_json(host_, command_json.c_str()) == CEPHALO_OK;
  }
  // Since ABI 1.5, interface tentacles, any thread: one query of the query set answered at once
  // from the core's latest snapshot; the answer object as JSON text ("ok" false and "error" when
  // the query was refused).
  std::string query_json(const std::string& request_json) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, query_json), "query_json", "1.5");
    std::string buffer(16384, '\0');
    uint64_t length = 0;
    cephalo_status status =
        api_->query_json(host_, request_json.c_str(), buffer.data(), buffer.size(), &length);
    // The host keeps an answer that did not fit: the retry gets the same one.
    while (status == CEPHALO_BUFFER_TOO_SMALL) {
      buffer.assign(length + 1, '\0');
      status = api_->query_json(host_, request_json.c_str(), buffer.data(), buffer.size(), &length);
    }
    check(status, "query_json", request_json.c_str());
    buffer.resize(length);
    return buffer;
  }

  // Since ABI 1.1. Cash available to this tentacle's account, in the quote currency.
  double cash() const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, portfolio_cash), "portfolio_cash");
    double value = 0;
    check(api_->portfolio_cash(host_, &value), "portfolio_cash", "");
    return value;
  }
  struct Position {
    double quantity = 0;       // base units, 0 when flat
    double average_price = 0;  // quote per base, 0 when flat
  };
  // Since ABI 1.1.
  Position position(const char* symbol) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, portfolio_position), "portfolio_position");
    Position position;
    check(api_->portfolio_position(host_, symbol, &position.quantity, &position.average_price),
          "portfolio_position", symbol);
    return position;
  }
  // Since ABI 1.1. Output `output` of a core streaming indicator ("sma:10", "macd:12:26:9", ...)
  // up to the current event; std::nullopt while it warms up. No allocation: safe per bar.
  std::optional<double> indicator(const char* symbol, const char* timeframe, const char* spec,
                                  uint32_t output = 0) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, indicator), "indicator");
    double values[8];
    uint32_t count = 0;
    const cephalo_status status =
        api_->indicator(host_, symbol, timeframe, spec, values, 8, &count);
    if (status == CEPHALO_NOT_FOUND) return std::nullopt;
    check(status, "indicator", spec);
    if (output >= count)
      throw SdkError(std::string("indicator '") + spec + "' has no output " +
                     std::to_string(output));
    return values[output];
  }

  // An indicator resolved once (indicator_ref) and read on every candle (indicator(ref)) without
  // the core comparing names: for strategies that query indicators per bar. On a core older
  // than ABI 1.4 it falls back to indicator() by name, so a tentacle using it still runs there.
  class IndicatorRef {
   public:
    IndicatorRef() = default;

   private:
    friend class Host;
    uint64_t handle_ = 0;  // 0: read by name
    std::string symbol_, timeframe_, spec_;
  };
  IndicatorRef indicator_ref(const char* symbol, const char* timeframe, const char* spec) const {
    IndicatorRef ref;
    ref.symbol_ = symbol;
    ref.timeframe_ = timeframe;
    ref.spec_ = spec;
    if (CEPHALO_HAS_FIELD(api_, cephalo_host_api, indicator_values)) {
      check(api_->indicator_handle(host_, symbol, timeframe, spec, &ref.handle_),
            "indicator_handle", spec);
    }
    return ref;
  }
  std::optional<double> indicator(const IndicatorRef& ref, uint32_t output = 0) const {
    if (ref.handle_ == 0) {
      return indicator(ref.symbol_.c_str(), ref.timeframe_.c_str(), ref.spec_.c_str(), output);
    }
    double values[8];
    uint32_t count = 0;
    const cephalo_status status = api_->indicator_values(host_, &ref.handle_, 1, values, 8, &count);
    if (status == CEPHALO_NOT_FOUND) return std::nullopt;
    check(status, "indicator", ref.spec_.c_str());
    if (output >= count)
      throw SdkError("indicator '" + ref.spec_ + "' has no output " + std::to_string(output));
    return values[output];
  }
  // The first output of each ref, all read in one call to the core (ABI 1.4; by name, one by
  // one, on an older core). False while any of them is still warming up.
  template <size_t N>
  bool indicators(const std::array<const IndicatorRef*, N>& refs,
                  std::array<double, N>& out) const {
    bool by_handle = true;
    for (const IndicatorRef* ref : refs) by_handle = by_handle && ref->handle_ != 0;
    if (!by_handle) return indicators_by_name(refs, out);
    uint64_t handles[N];
    for (size_t i = 0; i < N; ++i) handles[i] = refs[i]->handle_;
    double values[8 * N];
    uint32_t counts[N] = {};
    const cephalo_status status =
        api_->indicator_values(host_, handles, static_cast<uint32_t>(N), values, 8 * N, counts);
    if (status == CEPHALO_NOT_FOUND) return false;
    check(status, "indicators", refs[0]->spec_.c_str());
    size_t first = 0;
    for (size_t i = 0; i < N; ++i) {
      out[i] = values[first];
      first += counts[i];
    }
    return true;
  }

  // indicators() on a core older than ABI 1.4. Out of line: its buffers and calls would otherwise
  // weigh on the per-candle read by handle.
  template <size_t N>
  [[gnu::noinline]] bool indicators_by_name(const std::array<const IndicatorRef*, N>& refs,
                                            std::array<double, N>& out) const {
    // Every one is read, ready or not: a first read by name is what creates an indicator.
    bool ready = true;
    for (size_t i = 0; i < N; ++i) {
      const std::optional<double> value = indicator(*refs[i]);
      ready = ready && value.has_value();
      if (value) out[i] = *value;
    }
    return ready;
  }

  // Since ABI 1.2: entry sizes from the core's helpers, clamped to the risk limits of this
  // tentacle's account (max position, leverage, exposure; resting orders counted as filled).
  // `price` is the entry estimate in quote per base; 0 = the symbol's last close.
  struct Sizing {
    double quantity = 0;            // base units to order; 0 when nothing fits
    double unclamped_quantity = 0;  // what the method alone gave
    double limit_quantity = 0;      // the most the risk limits allow
    bool clamped = false;           // the limits cut the quantity
  };
  // Notional = fraction x equity.
  Sizing size_fixed_fraction(const char* symbol, cephalo_side side, double fraction,
                             double price = 0) const {
    return position_size(symbol, side, CEPHALO_SIZING_FIXED_FRACTION, fraction, price, 0, 0);
  }
  // Loses risk_fraction x equity if stop_price is hit (more on a gap through the stop).
  Sizing size_risk_per_trade(const char* symbol, cephalo_side side, double risk_fraction,
                             double stop_price, double price = 0) const {
    return position_size(symbol, side, CEPHALO_SIZING_RISK_PER_TRADE, risk_fraction, price,
                         stop_price, 0);
  }
  // Notional = equity x target_volatility / volatility (both fractions of price, same period).
  Sizing size_volatility_target(const char* symbol, cephalo_side side, double target_volatility,
                                double volatility, double price = 0) const {
    return position_size(symbol, side, CEPHALO_SIZING_VOLATILITY_TARGET, target_volatility, price,
                         0, volatility);
  }

  // Timers (ABI 1.3) on the core's clock (the data's time in replays): on_timer is called at
  // first_due_ns, then every period_ns when it is not 0. Returns the id for cancel_timer.
  uint64_t set_timer(int64_t first_due_ns, int64_t period_ns = 0) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, set_timer), "set_timer", "1.3");
    uint64_t id = 0;
    check(api_->set_timer(host_, first_due_ns, period_ns, &id), "timer", "set_timer");
    return id;
  }
  // False when the timer is not this tentacle's or already over.
  bool cancel_timer(uint64_t timer_id) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, cancel_timer), "cancel_timer", "1.3");
    return api_->cancel_timer(host_, timer_id) == CEPHALO_OK;
  }

  const cephalo_host_api* api() const { return api_; }
  cephalo_host* raw() const { return host_; }

 private:
  static cephalo_order_intent order(const char* symbol, cephalo_side side, cephalo_order_type type,
                                    double quantity, double price, const char* tag) {
    cephalo_order_intent intent{};
    intent.side = side;
    intent.symbol = symbol;
    intent.type = type;
    intent.time_in_force = CEPHALO_TIF_GTC;
    intent.quantity = quantity;
    intent.price = price;
    intent.tag = tag;
    return intent;
  }
  // A slot added after 1.0 is called only when the host has it; otherwise the tentacle's
  // manifest claimed too old an ABI minor.
  static void require(bool available, const char* slot, const char* since = "1.1") {
    if (!available) {
      throw SdkError(std::string("the host lacks '") + slot + "' (ABI " + since +
                     "): raise abi_minor in tentacle.yaml so old hosts refuse it");
    }
  }
  Sizing position_size(const char* symbol, cephalo_side side, cephalo_sizing_method method,
                       double value, double price, double stop_price, double volatility) const {
    require(CEPHALO_HAS_FIELD(api_, cephalo_host_api, position_size), "position_size", "1.2");
    cephalo_sizing_request request{sizeof request, method, symbol,     side,      0,
                                   price,          value,  stop_price, volatility};
    cephalo_sizing_result result{};
    result.struct_size = sizeof result;
    check(api_->position_size(host_, &request, &result), "position_size", symbol);
    return Sizing{result.quantity, result.unclamped_quantity, result.limit_quantity,
                  result.clamped != 0};
  }
  // A refused call becomes an SdkError carrying the host's own reason (ABI 1.5 refusal_reason):
  // the author reads why, not only a status. Inline, and only a test: a strategy's per-candle
  // reads pass here; the refusal is built out of line.
  void check(cephalo_status status, const char* what, const char* name) const {
    if (status != CEPHALO_OK) refused(status, what, name);
  }
  [[noreturn, gnu::noinline, gnu::cold]] void refused(cephalo_status status, const char* what,
                                                       const char* name) const {
    std::string message = std::string(what) + " '" + (name ? name : "") + "' refused by the host (" +
                          cephalo_status_name(status) + ")";
    const std::string reason = refusal_reason();
    if (!reason.empty()) message += ": " + reason;
    throw SdkError(message);
  }
  // The host's reason for its last refusal; empty on a host before 1.5 or when there is none.
  std::string refusal_reason() const {
    if (!CEPHALO_HAS_FIELD(api_, cephalo_host_api, refusal_reason)) return {};
    std::string text(256, '\0');
    uint64_t length = 0;
    cephalo_status status = api_->refusal_reason(host_, text.data(), text.size(), &length);
    if (status == CEPHALO_BUFFER_TOO_SMALL) {
      text.assign(length + 1, '\0');
      status = api_->refusal_reason(host_, text.data(), text.size(), &length);
    }
    if (status != CEPHALO_OK) return {};
    text.resize(length);
    return text;
  }

  const cephalo_host_api* api_;
  cephalo_host* host_;
};

// Base of every tentacle class. Override the hooks you need; the defaults ignore the event.
// Exceptions thrown from any hook are caught by the SDK and quarantine the instance.
class Tentacle {
 public:
  explicit Tentacle(Host host) : host_(host) {}
  virtual ~Tentacle() = default;
  Tentacle(const Tentacle&) = delete;
  Tentacle& operator=(const Tentacle&) = delete;

  virtual void on_candle(const cephalo_candle&, const cephalo_event&) {}
  virtual void on_evaluation(const cephalo_evaluation&, const cephalo_event&) {}
  virtual void on_signal(const cephalo_signal&, const cephalo_event&) {}
  virtual void on_order_intent(const cephalo_order_intent&, const cephalo_event&) {}
  virtual void on_fill(const cephalo_fill&, const cephalo_event&) {}
  virtual void on_error(const cephalo_error_event&, const cephalo_event&) {}
  virtual void on_timer(const cephalo_timer&, const cephalo_event&) {}  // ABI 1.3

  // State for hot swap. Bump kStateVersion in the derived class when the format changes.
  virtual std::string save_state() { return {}; }
  virtual void load_state(uint32_t /*state_version*/, std::string_view /*bytes*/) {}

  static constexpr uint32_t kStateVersion = 1;

 protected:
  const Host& host() const { return host_; }

 private:
  Host host_;
};

class Evaluator : public Tentacle {
 public:
  using Tentacle::Tentacle;
  static constexpr cephalo_kind kKind = CEPHALO_KIND_EVALUATOR;
};
class Strategy : public Tentacle {
 public:
  using Tentacle::Tentacle;
  static constexpr cephalo_kind kKind = CEPHALO_KIND_STRATEGY;
};
class TradingMode : public Tentacle {
 public:
  using Tentacle::Tentacle;
  static constexpr cephalo_kind kKind = CEPHALO_KIND_TRADING_MODE;
};
// Interfaces run their own threads (started in the constructor, joined in the destructor) and
// talk to the core only through Host::poll_event_json and Host::send_command_json.
class Interface : public Tentacle {
 public:
  using Tentacle::Tentacle;
  static constexpr cephalo_kind kKind = CEPHALO_KIND_INTERFACE;
};

namespace detail {

inline void report(const cephalo_host_api* api, cephalo_host* host, const char* where,
                   const char* what) noexcept {
  try {
    api->set_error(host, (std::string("uncaught exception in ") + where + ": " + what).c_str());
  } catch (...) {
    api->set_error(host, "uncaught exception (and no memory to describe it)");
  }
}

// Runs one hook of the author's code: no exception crosses the ABI; one becomes CEPHALO_ERROR
// with its text given to the core as the instance's error. `body` returns the hook's status.
template <class Body>
cephalo_status guarded(const cephalo_host_api* api, cephalo_host* host, const char* hook,
                       Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    report(api, host, hook, e.what());
  } catch (...) {
    report(api, host, hook, "unknown exception type");
  }
  return CEPHALO_ERROR;
}

// One instance as the core sees it: the author's object plus what the adapter needs to report.
template <class T>
struct Instance {
  const cephalo_host_api* api;
  cephalo_host* host;
  T* object;
};

template <class T>
struct Adapter {
  static cephalo_status create(const cephalo_host_api* api, cephalo_host* host,
                               void** out_instance) noexcept {
    if (api == nullptr || host == nullptr || out_instance == nullptr) {
      return CEPHALO_INVALID_ARGUMENT;
    }
    return guarded(api, host, "create", [&]() -> cephalo_status {
      auto instance = std::make_unique<Instance<T>>(Instance<T>{api, host, nullptr});
      instance->object = new T(Host(api, host));
      *out_instance = instance.release();
      return CEPHALO_OK;
    });
  }

  static void destroy(void* opaque) noexcept {
    auto* instance = static_cast<Instance<T>*>(opaque);
    if (instance == nullptr) return;
    // Destructors are noexcept: one that throws terminates the process, which no wrapper here
    // could prevent, so destroy does not pretend to catch.
    delete instance->object;
    delete instance;
  }

  static cephalo_status on_event(void* opaque, const cephalo_event* event) noexcept {
    auto* instance = static_cast<Instance<T>*>(opaque);
    if (instance == nullptr || event == nullptr) return CEPHALO_INVALID_ARGUMENT;
    // A type newer than this SDK is ignored (the compatible choice) before its payload is read.
    const bool known = event->type >= CEPHALO_EVENT_CANDLE && event->type <= CEPHALO_EVENT_TIMER;
    if (!known) return CEPHALO_OK;
    if (event->payload.any == nullptr) return CEPHALO_INVALID_ARGUMENT;
    // Candles, the bulk of the events, take a path of their own; the other hooks are reached out
    // of line so that their inlined bodies do not make every candle pay for their registers.
    if (event->type != CEPHALO_EVENT_CANDLE) return on_other_event(instance, event);
    return guarded(instance->api, instance->host, "on_event", [&]() -> cephalo_status {
      instance->object->on_candle(*event->payload.candle, *event);
      return CEPHALO_OK;
    });
  }

  // on_event for every known type but candles; the checks are done.
  [[gnu::noinline]] static cephalo_status on_other_event(Instance<T>* instance,
                                                         const cephalo_event* event) noexcept {
    return guarded(instance->api, instance->host, "on_event", [&]() -> cephalo_status {
      T& object = *instance->object;
      switch (event->type) {
        case CEPHALO_EVENT_EVALUATION:
          object.on_evaluation(*event->payload.evaluation, *event);
          break;
        case CEPHALO_EVENT_SIGNAL:
          object.on_signal(*event->payload.signal, *event);
          break;
        case CEPHALO_EVENT_ORDER_INTENT:
          object.on_order_intent(*event->payload.order_intent, *event);
          break;
        case CEPHALO_EVENT_FILL:
          object.on_fill(*event->payload.fill, *event);
          break;
        case CEPHALO_EVENT_ERROR:
          object.on_error(*event->payload.error, *event);
          break;
        case CEPHALO_EVENT_TIMER:
          object.on_timer(*event->payload.timer, *event);
          break;
        default:
          break;
      }
      return CEPHALO_OK;
    });
  }

  static cephalo_status save_state(void* opaque, const cephalo_state_writer* writer) noexcept {
    auto* instance = static_cast<Instance<T>*>(opaque);
    if (instance == nullptr || writer == nullptr || writer->write == nullptr) {
      return CEPHALO_INVALID_ARGUMENT;
    }
    return guarded(instance->api, instance->host, "save_state", [&]() -> cephalo_status {
      const std::string bytes = instance->object->save_state();
      if (bytes.empty()) return CEPHALO_OK;
      return writer->write(writer->context, bytes.data(), bytes.size());
    });
  }

  static cephalo_status load_state(void* opaque, uint32_t state_version, const void* bytes,
                                   uint64_t size) noexcept {
    auto* instance = static_cast<Instance<T>*>(opaque);
    if (instance == nullptr || (bytes == nullptr && size != 0)) return CEPHALO_INVALID_ARGUMENT;
    return guarded(instance->api, instance->host, "load_state", [&]() -> cephalo_status {
      instance->object->load_state(state_version,
                                   std::string_view(static_cast<const char*>(bytes), size));
      return CEPHALO_OK;
    });
  }

  static constexpr cephalo_tentacle_functions kFunctions{sizeof(cephalo_tentacle_functions),
                                                         0,
                                                         &create,
                                                         &destroy,
                                                         &on_event,
                                                         &save_state,
                                                         &load_state};
};

// The handshake every SDK tentacle performs: report what it needs, accept only a host that has it.
inline cephalo_status negotiate(cephalo_negotiation* negotiation, uint16_t needed_major,
                                uint16_t needed_minor) noexcept {
  if (negotiation == nullptr || negotiation->struct_size < sizeof(cephalo_negotiation)) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  negotiation->tentacle_abi_major = needed_major;
  negotiation->tentacle_abi_minor = needed_minor;
  if (negotiation->host_abi_major != needed_major || negotiation->host_abi_minor < needed_minor) {
    return CEPHALO_INCOMPATIBLE;
  }
  return CEPHALO_OK;
}

}  // namespace detail
}  // namespace cephalo

// The ABI this tentacle needs. Without a manifest it defaults to the headers it is compiled with.
// cephalo_add_tentacle() passes the manifest's abi_major/abi_minor, so tentacle.yaml is the one
// place that says which host a tentacle needs.
#ifndef CEPHALO_TENTACLE_ABI_MAJOR
#ifdef CEPHALO_MANIFEST_ABI_MAJOR
#define CEPHALO_TENTACLE_ABI_MAJOR CEPHALO_MANIFEST_ABI_MAJOR
#else
#define CEPHALO_TENTACLE_ABI_MAJOR CEPHALO_ABI_MAJOR
#endif
#endif
#ifndef CEPHALO_TENTACLE_ABI_MINOR
#ifdef CEPHALO_MANIFEST_ABI_MINOR
#define CEPHALO_TENTACLE_ABI_MINOR CEPHALO_MANIFEST_ABI_MINOR
#else
#define CEPHALO_TENTACLE_ABI_MINOR CEPHALO_ABI_MINOR
#endif
#endif
#ifndef CEPHALO_TENTACLE_DESCRIPTION
#define CEPHALO_TENTACLE_DESCRIPTION ""
#endif

// The manifest's kind (defined by cephalo_add_tentacle) must be the class's kind: caught at
// compile time rather than as a refusal at load time.
#ifdef CEPHALO_TENTACLE_KIND
#define CEPHALO_SDK_CHECK_KIND(T)                  \
  static_assert(T::kKind == CEPHALO_TENTACLE_KIND, \
                "the class's kind differs from the 'kind:' in tentacle.yaml");
#else
#define CEPHALO_SDK_CHECK_KIND(T)
#endif

// Exports the tentacle class T (derived from Evaluator, Strategy, TradingMode or Interface).
// CEPHALO_TENTACLE_NAME / _VERSION come from the manifest via cephalo_add_tentacle().
#define CEPHALO_EXPORT_TENTACLE(T)                                                         \
  extern "C" CEPHALO_EXPORT cephalo_status cephalo_tentacle_entry(                         \
      cephalo_negotiation* inout_negotiation, const cephalo_host_api* host_api,            \
      const cephalo_tentacle_descriptor** out_descriptor) {                                \
    CEPHALO_SDK_CHECK_KIND(T)                                                              \
    static constexpr cephalo_tentacle_descriptor kDescriptor{                              \
        sizeof(cephalo_tentacle_descriptor),                                               \
        T::kKind,                                                                          \
        CEPHALO_TENTACLE_ABI_MAJOR,                                                        \
        CEPHALO_TENTACLE_ABI_MINOR,                                                        \
        T::kStateVersion,                                                                  \
        CEPHALO_TENTACLE_NAME,                                                             \
        CEPHALO_TENTACLE_VERSION,                                                          \
        CEPHALO_TENTACLE_DESCRIPTION,                                                      \
        &::cephalo::detail::Adapter<T>::kFunctions};                                       \
    if (out_descriptor == nullptr || host_api == nullptr) return CEPHALO_INVALID_ARGUMENT; \
    const cephalo_status status = ::cephalo::detail::negotiate(                            \
        inout_negotiation, CEPHALO_TENTACLE_ABI_MAJOR, CEPHALO_TENTACLE_ABI_MINOR);        \
    if (status != CEPHALO_OK) return status;                                               \
    *out_descriptor = &kDescriptor;                                                        \
    return CEPHALO_OK;                                                                     \
  }
