// An in-memory cephalo_host_api for driving one tentacle, compiled into a test, without the core.
// Thread-safety: the JSON event queue is thread-safe (for interface threads); the rest is not.
#pragma once

#include <cephalo/tentacle.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

// Each test links exactly one tentacle's source, so there is exactly one entry point to call.
namespace cephalo::test {

struct EmittedEvaluation {
  std::string symbol;
  double value;
  double confidence;
};
struct EmittedSignal {
  std::string symbol;
  cephalo_signal_intent intent;
  double strength;
  double confidence;
};
struct EmittedIntent {
  std::string symbol;
  cephalo_side side;
  cephalo_order_type type;
  double quantity;
  std::string tag;
  // Appended so aggregate initialisations that stop at `tag` keep compiling.
  double price = 0;
  double stop_price = 0;
  cephalo_time_in_force time_in_force = 0;
};

class FakeHost {
 public:
  using Parameter = std::variant<int64_t, double, bool, std::string>;

  std::map<std::string, Parameter> parameters;
  std::vector<EmittedEvaluation> evaluations;
  std::vector<EmittedSignal> signals;
  std::vector<EmittedIntent> intents;
  std::string last_error;
  // The portfolio view (ABI 1.1): cash in quote, positions as {quantity, average price}.
  double cash = 0;
  std::map<std::string, std::pair<double, double>> positions;
  // Streaming indicators (ABI 1.1) by "symbol|timeframe|spec"; absent = warming up.
  std::map<std::string, std::vector<double>> indicators;
  // Position sizing (ABI 1.2): the account's equity (quote) and the most the risk limits allow
  // (base); requests are kept so tests can see what the tentacle asked.
  double equity = 0;
  double limit_quantity = 1e300;
  std::vector<cephalo_sizing_request> sizing_requests;
  // Serve the 1.1 table (no position_size) and negotiate as a 1.1 host.
  bool abi_1_1 = false;
  // Serve the 1.4 table (indicator handles); the default is a 1.2 host.
  bool abi_1_4 = false;
  // What the tentacle asked: indicator reads by name, handles resolved, reads by handle.
  int indicator_reads_by_name = 0;
  std::vector<std::string> resolved_handles;  // "symbol|timeframe|spec", handle = index + 1
  int indicator_reads_by_handle = 0;          // handles read
  int indicator_value_calls = 0;              // calls to indicator_values

  cephalo_host* handle() { return reinterpret_cast<cephalo_host*>(this); }
  static const cephalo_host_api* api() { return api_of(2); }
  const cephalo_host_api* host_api() const { return api_of(abi_1_1 ? 1 : abi_1_4 ? 4 : 2); }

  void push_json(std::string json) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(json));
    changed_.notify_all();
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  // Waits until the interface thread has taken every queued event (or the timeout passes).
  bool wait_drained(int timeout_ms) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                             [&] { return queue_.empty(); });
  }
  std::vector<std::string> logs() {
    std::lock_guard lock(mutex_);
    return logs_;
  }

 private:
  static FakeHost& self(cephalo_host* host) { return *reinterpret_cast<FakeHost*>(host); }

  template <class T>
  static cephalo_status get(cephalo_host* host, const char* name, T* out) {
    const auto found = self(host).parameters.find(name);
    if (found == self(host).parameters.end()) return CEPHALO_NOT_FOUND;
    const T* value = std::get_if<T>(&found->second);
    if (value == nullptr) return CEPHALO_INVALID_ARGUMENT;
    *out = *value;
    return CEPHALO_OK;
  }

  static void log(cephalo_host* host, cephalo_log_level, const char* message) {
    std::lock_guard lock(self(host).mutex_);
    self(host).logs_.emplace_back(message);
  }
  static void set_error(cephalo_host* host, const char* message) {
    std::lock_guard lock(self(host).mutex_);
    self(host).last_error = message;
  }
  static int64_t now_ns(cephalo_host*) { return 0; }
  static cephalo_status emit_evaluation(cephalo_host* host, const cephalo_evaluation* e) {
    self(host).evaluations.push_back({e->symbol, e->value, e->confidence});
    return CEPHALO_OK;
  }
  static cephalo_status emit_signal(cephalo_host* host, const cephalo_signal* s) {
    self(host).signals.push_back({s->symbol, s->intent, s->strength, s->confidence});
    return CEPHALO_OK;
  }
  static cephalo_status emit_order_intent(cephalo_host* host, const cephalo_order_intent* o) {
    self(host).intents.push_back({o->symbol, o->side, o->type, o->quantity, o->tag ? o->tag : "",
                                  o->price, o->stop_price, o->time_in_force});
    return CEPHALO_OK;
  }
  static cephalo_status candle_history(cephalo_host*, const char*, const char*, uint32_t,
                                       cephalo_candle*, uint32_t* out_count) {
    *out_count = 0;
    return CEPHALO_OK;
  }
  static cephalo_status param_number(cephalo_host* host, const char* name, double* out) {
    return get(host, name, out);
  }
  static cephalo_status param_integer(cephalo_host* host, const char* name, int64_t* out) {
    return get(host, name, out);
  }
  static cephalo_status param_bool(cephalo_host* host, const char* name, int32_t* out) {
    bool value = false;
    const cephalo_status status = get(host, name, &value);
    *out = value ? 1 : 0;
    return status;
  }
  static cephalo_status copy_out(const std::string& text, char* buffer, uint64_t capacity,
                                 uint64_t* out_length) {
    *out_length = text.size();
    if (text.size() + 1 > capacity) return CEPHALO_BUFFER_TOO_SMALL;
    std::memcpy(buffer, text.c_str(), text.size() + 1);
    return CEPHALO_OK;
  }
  static cephalo_status param_string(cephalo_host* host, const char* name, char* buffer,
                                     uint64_t capacity, uint64_t* out_length) {
    std::string value;
    const cephalo_status status = get(host, name, &value);
    if (status != CEPHALO_OK) return status;
    return copy_out(value, buffer, capacity, out_length);
  }
  // Like the core: the event stays queued until a buffer big enough took it.
  static cephalo_status poll_event_json(cephalo_host* host, int32_t timeout_ms, char* buffer,
                                        uint64_t capacity, uint64_t* out_length) {
    FakeHost& fake = self(host);
    std::unique_lock lock(fake.mutex_);
    fake.changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return fake.closed_ || !fake.queue_.empty(); });
    if (fake.closed_) return CEPHALO_CLOSED;
    if (fake.queue_.empty()) return CEPHALO_NOT_FOUND;
    const cephalo_status status = copy_out(fake.queue_.front(), buffer, capacity, out_length);
    if (status == CEPHALO_OK) {
      fake.queue_.pop_front();
      fake.changed_.notify_all();
    }
    return status;
  }
  static cephalo_status send_command_json(cephalo_host*, const char*) { return CEPHALO_OK; }
  static cephalo_status portfolio_cash(cephalo_host* host, double* out_cash) {
    *out_cash = self(host).cash;
    return CEPHALO_OK;
  }
  static cephalo_status portfolio_position(cephalo_host* host, const char* symbol,
                                           double* out_quantity, double* out_average_price) {
    const auto found = self(host).positions.find(symbol);
    *out_quantity = found == self(host).positions.end() ? 0 : found->second.first;
    *out_average_price = found == self(host).positions.end() ? 0 : found->second.second;
    return CEPHALO_OK;
  }
  static cephalo_status indicator(cephalo_host* host, const char* symbol, const char* timeframe,
                                  const char* spec, double* out_values, uint32_t capacity,
                                  uint32_t* out_count) {
    ++self(host).indicator_reads_by_name;
    return read_indicator(self(host), std::string(symbol) + "|" + timeframe + "|" + spec,
                          out_values, capacity, out_count);
  }
  static cephalo_status read_indicator(FakeHost& fake, const std::string& key, double* out_values,
                                       uint32_t capacity, uint32_t* out_count) {
    const auto found = fake.indicators.find(key);
    if (found == fake.indicators.end()) return CEPHALO_NOT_FOUND;
    *out_count = static_cast<uint32_t>(found->second.size());
    if (capacity < found->second.size()) return CEPHALO_BUFFER_TOO_SMALL;
    std::copy(found->second.begin(), found->second.end(), out_values);
    return CEPHALO_OK;
  }
  static cephalo_status indicator_handle(cephalo_host* host, const char* symbol,
                                         const char* timeframe, const char* spec,
                                         uint64_t* out_handle) {
    auto& handles = self(host).resolved_handles;
    handles.push_back(std::string(symbol) + "|" + timeframe + "|" + spec);
    *out_handle = handles.size();
    return CEPHALO_OK;
  }
  static cephalo_status indicator_values(cephalo_host* host, const uint64_t* handles,
                                         uint32_t count, double* out_values, uint32_t capacity,
                                         uint32_t* out_counts) {
    FakeHost& fake = self(host);
    ++fake.indicator_value_calls;
    cephalo_status result = CEPHALO_OK;
    uint32_t used = 0;
    for (uint32_t i = 0; i < count; ++i) {
      if (handles[i] == 0 || handles[i] > fake.resolved_handles.size()) {
        return CEPHALO_INVALID_ARGUMENT;
      }
      ++fake.indicator_reads_by_handle;
      const cephalo_status status =
          read_indicator(fake, fake.resolved_handles[handles[i] - 1], out_values + used,
                         capacity - used, &out_counts[i]);
      if (status == CEPHALO_OK) used += out_counts[i];
      if (result == CEPHALO_OK) result = status;
    }
    return result;
  }

  // The core's formulas (core/risk/position_sizing.cpp), then the clamp.
  static cephalo_status position_size(cephalo_host* host, const cephalo_sizing_request* request,
                                      cephalo_sizing_result* out) {
    FakeHost& fake = self(host);
    fake.sizing_requests.push_back(*request);
    double wanted = 0;
    switch (request->method) {
      case CEPHALO_SIZING_FIXED_FRACTION:
        wanted = request->value * fake.equity / request->price;
        break;
      case CEPHALO_SIZING_RISK_PER_TRADE:
        wanted = request->value * fake.equity / std::abs(request->price - request->stop_price);
        break;
      case CEPHALO_SIZING_VOLATILITY_TARGET:
        wanted = fake.equity * request->value / request->volatility / request->price;
        break;
      default:
        return CEPHALO_INVALID_ARGUMENT;
    }
    out->unclamped_quantity = wanted;
    out->limit_quantity = fake.limit_quantity;
    out->quantity = std::min(wanted, fake.limit_quantity);
    out->clamped = wanted > fake.limit_quantity ? 1 : 0;
    return CEPHALO_OK;
  }

  // The table of a host of ABI 1.`minor` (1, 2 or 4): the slots that minor has, nothing after.
  // No timers at any minor: the unit tests drive none (the host tests do, through the pipeline).
  static constexpr cephalo_host_api table(uint16_t minor) {
    cephalo_host_api api{sizeof(cephalo_host_api),
                         CEPHALO_ABI_MAJOR,
                         minor,
                         &log,
                         &set_error,
                         &now_ns,
                         &emit_evaluation,
                         &emit_signal,
                         &emit_order_intent,
                         &candle_history,
                         &param_number,
                         &param_integer,
                         &param_bool,
                         &param_string,
                         &poll_event_json,
                         &send_command_json,
                         &portfolio_cash,
                         &portfolio_position,
                         &indicator,
                         &position_size,
                         nullptr,
                         nullptr,
                         &indicator_handle,
                         &indicator_values,
                         nullptr,
                         nullptr};
    // No 1.5 slots (query_json, refusal_reason): the tentacles under test use neither.
    api.struct_size = offsetof(cephalo_host_api, query_json);
    if (minor < 4) {
      api.struct_size = offsetof(cephalo_host_api, set_timer);
      api.indicator_handle = nullptr;
      api.indicator_values = nullptr;
    }
    if (minor < 2) {
      api.struct_size = offsetof(cephalo_host_api, position_size);
      api.position_size = nullptr;
    }
    return api;
  }
  static const cephalo_host_api* api_of(uint16_t minor) {
    static constexpr cephalo_host_api kApi11 = table(1);
    static constexpr cephalo_host_api kApi12 = table(2);
    static constexpr cephalo_host_api kApi14 = table(4);
    return minor == 1 ? &kApi11 : minor == 4 ? &kApi14 : &kApi12;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  std::vector<std::string> logs_;
};

// The tentacle compiled into this test, loaded the way the host would: handshake, then create.
class LoadedTentacle {
 public:
  explicit LoadedTentacle(FakeHost& host) {
    cephalo_negotiation negotiation{};
    negotiation.struct_size = sizeof negotiation;
    negotiation.host_abi_major = CEPHALO_ABI_MAJOR;
    negotiation.host_abi_minor = host.host_api()->abi_minor;
    entry_status = cephalo_tentacle_entry(&negotiation, host.host_api(), &descriptor);
    if (entry_status == CEPHALO_OK) {
      create_status = descriptor->functions->create(host.host_api(), host.handle(), &instance);
    }
  }
  ~LoadedTentacle() {
    if (instance != nullptr) descriptor->functions->destroy(instance);
  }
  LoadedTentacle(const LoadedTentacle&) = delete;
  LoadedTentacle& operator=(const LoadedTentacle&) = delete;

  cephalo_status candle(const char* symbol, int64_t open_time_ns, double close,
                        const char* timeframe = "5m") {
    cephalo_candle candle{};
    candle.struct_size = sizeof candle;
    candle.symbol = symbol;
    candle.timeframe = timeframe;
    candle.open_time_ns = open_time_ns;
    candle.open = candle.high = candle.low = candle.close = close;
    return deliver(CEPHALO_EVENT_CANDLE, &candle);
  }
  cephalo_status evaluation(const char* symbol, const char* evaluator, double value,
                            double confidence = 1.0) {
    cephalo_evaluation evaluation{};
    evaluation.struct_size = sizeof evaluation;
    evaluation.symbol = symbol;
    evaluation.evaluator = evaluator;
    evaluation.value = value;
    evaluation.confidence = confidence;
    return deliver(CEPHALO_EVENT_EVALUATION, &evaluation);
  }
  cephalo_status signal(const char* symbol, cephalo_signal_intent intent, double stop_price = 0) {
    cephalo_signal signal{};
    signal.struct_size = sizeof signal;
    signal.intent = intent;
    signal.symbol = symbol;
    signal.strategy = "test";
    signal.strength = 1;
    signal.confidence = 1;
    signal.stop_price = stop_price;
    return deliver(CEPHALO_EVENT_SIGNAL, &signal);
  }

  // A fill of one of the core's orders, as the core routes it to strategies and trading modes.
  cephalo_status fill(const char* symbol, cephalo_side side, double quantity, double price,
                      const char* client_order_id = "test-order", double fee = 0) {
    cephalo_fill fill{};
    fill.struct_size = sizeof fill;
    fill.side = side;
    fill.symbol = symbol;
    fill.client_order_id = client_order_id;
    fill.quantity = quantity;
    fill.price = price;
    fill.fee = fee;
    fill.fee_currency = "BTC";
    return deliver(CEPHALO_EVENT_FILL, &fill);
  }

  std::string save() {
    std::string blob;
    cephalo_state_writer writer{};
    writer.struct_size = sizeof writer;
    writer.context = &blob;
    writer.write = [](void* context, const void* bytes, uint64_t size) -> cephalo_status {
      static_cast<std::string*>(context)->append(static_cast<const char*>(bytes), size);
      return CEPHALO_OK;
    };
    last_status = descriptor->functions->save_state(instance, &writer);
    return blob;
  }
  cephalo_status load(const std::string& blob, uint32_t version) {
    return descriptor->functions->load_state(instance, version, blob.data(), blob.size());
  }

  const cephalo_tentacle_descriptor* descriptor = nullptr;
  void* instance = nullptr;
  cephalo_status entry_status = CEPHALO_ERROR;
  cephalo_status create_status = CEPHALO_ERROR;
  cephalo_status last_status = CEPHALO_OK;
  // Stamped on every event delivered from now on as both exchange and receive time.
  int64_t event_time_ns = 0;

 private:
  cephalo_status deliver(cephalo_event_type type, const void* payload) {
    cephalo_event event{};
    event.struct_size = sizeof event;
    event.type = type;
    event.sequence = ++sequence_;
    event.exchange_time_ns = event_time_ns;
    event.receive_time_ns = event_time_ns;
    event.payload.any = payload;
    return descriptor->functions->on_event(instance, &event);
  }

  uint64_t sequence_ = 0;
};

}  // namespace cephalo::test
