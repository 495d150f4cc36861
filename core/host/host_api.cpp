// The host services table: C entry points that check their arguments and forward to HostContext.
// Thread-safety: as documented per slot in tentacle.h.
#include <cmath>
#include <cstring>

#include "host/guarded_entry.hpp"
#include "host/host_context.hpp"
#include "host/inbound_record.hpp"
#include "host/indicator_service.hpp"
#include "host/tentacle_instance.hpp"

namespace cephalo {

namespace {

TentacleInstance* instance_of(cephalo_host* host) {
  return host != nullptr ? host->instance : nullptr;
}

void host_log(cephalo_host* host, cephalo_log_level level, const char* message) {
  if (auto* instance = instance_of(host); instance != nullptr && message != nullptr) {
    instance->context().log(*instance, level, message);
  }
}

void host_set_error(cephalo_host* host, const char* message) {
  if (auto* instance = instance_of(host); instance != nullptr) {
    instance->set_error(message != nullptr ? message : "");
  }
}

int64_t host_now_ns(cephalo_host* host) {
  auto* instance = instance_of(host);
  return instance != nullptr ? instance->context().now_ns() : 0;
}

// Refuses a record with a reason the tentacle's author can act on.
cephalo_status refuse(TentacleInstance& instance, cephalo_status status, std::string why) {
  instance.refuse(std::move(why));
  return status;
}

bool unit_range(double value, double low) {
  return std::isfinite(value) && value >= low && value <= 1.0;
}

cephalo_status host_emit_evaluation(cephalo_host* host, const cephalo_evaluation* received) {
  auto* instance = instance_of(host);
  if (instance == nullptr || received == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (instance->kind() != CEPHALO_KIND_EVALUATOR) {
    return refuse(*instance, CEPHALO_UNSUPPORTED, "only evaluators emit evaluations");
  }
  cephalo_evaluation copy;
  if (Status read = read_inbound(received, copy); !read.ok()) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "emit_evaluation: " + read.error());
  }
  const cephalo_evaluation* evaluation = &copy;
  if (evaluation->symbol == nullptr || *evaluation->symbol == '\0') {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "evaluation without a symbol");
  }
  if (!unit_range(evaluation->value, -1.0) || !unit_range(evaluation->confidence, 0.0)) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "evaluation value must be in [-1, 1] and confidence in [0, 1], found " +
                      std::to_string(evaluation->value) + " and " +
                      std::to_string(evaluation->confidence));
  }
  Evaluation record;
  record.symbol = instance->context().names().intern(evaluation->symbol);
  record.evaluator = instance->name();
  record.value = evaluation->value;
  record.confidence = evaluation->confidence;
  return instance->context().emit(*instance, record);
}

cephalo_status host_emit_signal(cephalo_host* host, const cephalo_signal* received) {
  auto* instance = instance_of(host);
  if (instance == nullptr || received == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (instance->kind() != CEPHALO_KIND_STRATEGY) {
    return refuse(*instance, CEPHALO_UNSUPPORTED, "only strategies emit signals");
  }
  cephalo_signal copy;
  if (Status read = read_inbound(received, copy); !read.ok()) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "emit_signal: " + read.error());
  }
  const cephalo_signal* signal = &copy;
  if (signal->symbol == nullptr || *signal->symbol == '\0') {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "signal without a symbol");
  }
  if (signal->intent < CEPHALO_SIGNAL_ENTER_LONG || signal->intent > CEPHALO_SIGNAL_EXIT_SHORT) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "unknown signal intent " + std::to_string(signal->intent));
  }
  if (!unit_range(signal->strength, 0.0) || !unit_range(signal->confidence, 0.0) ||
      !std::isfinite(signal->stop_price) || !std::isfinite(signal->target_price) ||
      signal->stop_price < 0 || signal->target_price < 0) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "signal strength and confidence must be in [0, 1], stop and target finite and "
                  ">= 0");
  }
  Signal record;
  record.symbol = instance->context().names().intern(signal->symbol);
  record.strategy = instance->name();
  record.intent = signal->intent;
  record.strength = signal->strength;
  record.confidence = signal->confidence;
  record.stop_price = signal->stop_price;
  record.target_price = signal->target_price;
  return instance->context().emit(*instance, record);
}

cephalo_status host_emit_order_intent(cephalo_host* host, const cephalo_order_intent* received) {
  auto* instance = instance_of(host);
  if (instance == nullptr || received == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (instance->kind() != CEPHALO_KIND_TRADING_MODE) {
    return refuse(*instance, CEPHALO_UNSUPPORTED, "only trading modes emit order intents");
  }
  cephalo_order_intent copy;
  if (Status read = read_inbound(received, copy); !read.ok()) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "emit_order_intent: " + read.error());
  }
  const cephalo_order_intent* intent = &copy;
  if (intent->symbol == nullptr || *intent->symbol == '\0') {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "order intent without a symbol");
  }
  const bool known_side = intent->side == CEPHALO_SIDE_BUY || intent->side == CEPHALO_SIDE_SELL;
  const bool known_type =
      intent->type >= CEPHALO_ORDER_MARKET && intent->type <= CEPHALO_ORDER_STOP_LIMIT;
  const bool known_tif =
      intent->time_in_force >= CEPHALO_TIF_GTC && intent->time_in_force <= CEPHALO_TIF_FOK;
  if (!known_side || !known_type || !known_tif) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "order intent with unknown side, type or "
                  "time in force");
  }
  const bool needs_price =
      intent->type == CEPHALO_ORDER_LIMIT || intent->type == CEPHALO_ORDER_STOP_LIMIT;
  const bool needs_stop =
      intent->type == CEPHALO_ORDER_STOP || intent->type == CEPHALO_ORDER_STOP_LIMIT;
  if (!std::isfinite(intent->quantity) || intent->quantity <= 0 || !std::isfinite(intent->price) ||
      intent->price < 0 || (needs_price && intent->price <= 0) ||
      !std::isfinite(intent->stop_price) || intent->stop_price < 0 ||
      (needs_stop && intent->stop_price <= 0)) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "order intent quantity must be > 0 and prices finite (limit price for limit "
                  "orders, stop price for stop orders)");
  }
  OrderIntent record;
  record.symbol = instance->context().names().intern(intent->symbol);
  record.source = instance->name();
  record.side = intent->side;
  record.type = intent->type;
  record.time_in_force = intent->time_in_force;
  record.quantity = intent->quantity;
  record.price = intent->price;
  record.stop_price = intent->stop_price;
  if (intent->tag != nullptr) record.tag = intent->tag;
  return instance->context().emit(*instance, std::move(record));
}

cephalo_status host_candle_history(cephalo_host* host, const char* symbol, const char* timeframe,
                                   uint32_t max_count, cephalo_candle* out_candles,
                                   uint32_t* out_count) {
  auto* instance = instance_of(host);
  if (instance == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (symbol == nullptr || timeframe == nullptr || out_count == nullptr ||
      (out_candles == nullptr && max_count > 0)) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "candle_history: symbol, timeframe, out_count and (with max_count > 0) "
                  "out_candles must not be null");
  }
  const cephalo_status status =
      instance->context().candle_history(symbol, timeframe, max_count, out_candles, out_count);
  if (status == CEPHALO_NOT_FOUND) {
    return refuse(*instance, status,
                  std::string("candle_history: no candles of ") + symbol + " " + timeframe +
                      " yet (not a feed of this run, or none closed so far)");
  }
  return status;
}

// The parameter `name` of the calling instance, or nullptr after refusing the call with a reason.
const ParameterValue* find_parameter(cephalo_host* host, const char* name, const void* out,
                                     const char* slot, cephalo_status* status) {
  auto* instance = instance_of(host);
  *status = CEPHALO_INVALID_ARGUMENT;
  if (instance == nullptr) return nullptr;
  if (name == nullptr || out == nullptr) {
    refuse(*instance, *status, std::string(slot) + ": name and the out pointer must not be null");
    return nullptr;
  }
  const auto found = instance->parameters().find(name);
  if (found == instance->parameters().end()) {
    *status = CEPHALO_NOT_FOUND;
    refuse(*instance, *status,
           std::string(slot) + ": no parameter '" + name + "' (its manifest does not declare it)");
    return nullptr;
  }
  return &found->second;
}

cephalo_status wrong_type(cephalo_host* host, const char* slot, const char* name,
                          const char* wanted) {
  return refuse(*instance_of(host), CEPHALO_INVALID_ARGUMENT,
                std::string(slot) + ": parameter '" + name + "' is not " + wanted +
                    " (see its type in the manifest)");
}

cephalo_status host_param_number(cephalo_host* host, const char* name, double* out_value) {
  cephalo_status status = CEPHALO_OK;
  const ParameterValue* value = find_parameter(host, name, out_value, "param_number", &status);
  if (value == nullptr) return status;
  if (std::holds_alternative<std::string>(*value) || std::holds_alternative<bool>(*value)) {
    return wrong_type(host, "param_number", name, "a number");
  }
  *out_value = as_double(*value);
  return CEPHALO_OK;
}

cephalo_status host_param_integer(cephalo_host* host, const char* name, int64_t* out_value) {
  cephalo_status status = CEPHALO_OK;
  const ParameterValue* value = find_parameter(host, name, out_value, "param_integer", &status);
  if (value == nullptr) return status;
  const auto* integer = std::get_if<int64_t>(value);
  if (integer == nullptr) return wrong_type(host, "param_integer", name, "an integer");
  *out_value = *integer;
  return CEPHALO_OK;
}

cephalo_status host_param_bool(cephalo_host* host, const char* name, int32_t* out_value) {
  cephalo_status status = CEPHALO_OK;
  const ParameterValue* value = find_parameter(host, name, out_value, "param_bool", &status);
  if (value == nullptr) return status;
  const auto* flag = std::get_if<bool>(value);
  if (flag == nullptr) return wrong_type(host, "param_bool", name, "a bool");
  *out_value = *flag ? 1 : 0;
  return CEPHALO_OK;
}

// Copies text into a caller's buffer with the ABI's truncation contract.
cephalo_status copy_out(const std::string& text, char* out_buffer, uint64_t capacity,
                        uint64_t* out_length) {
  if (out_length != nullptr) *out_length = text.size();
  if (out_buffer == nullptr || capacity < text.size() + 1) return CEPHALO_BUFFER_TOO_SMALL;
  std::memcpy(out_buffer, text.c_str(), text.size() + 1);
  return CEPHALO_OK;
}

cephalo_status host_param_string(cephalo_host* host, const char* name, char* out_buffer,
                                 uint64_t capacity, uint64_t* out_length) {
  // out_buffer may be null: a call with capacity 0 asks for the length.
  cephalo_status status = CEPHALO_OK;
  const ParameterValue* value = find_parameter(host, name, &status, "param_string", &status);
  if (value == nullptr) return status;
  const auto* text = std::get_if<std::string>(value);
  if (text == nullptr) return wrong_type(host, "param_string", name, "a string");
  return copy_out(*text, out_buffer, capacity, out_length);
}

cephalo_status host_poll_event_json(cephalo_host* host, int32_t timeout_ms, char* out_buffer,
                                    uint64_t capacity, uint64_t* out_length) {
  auto* instance = instance_of(host);
  if (instance == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (instance->kind() != CEPHALO_KIND_INTERFACE) return CEPHALO_UNSUPPORTED;
  // The event stays queued until it was copied, so a retry with a bigger buffer gets it.
  std::string next;
  const cephalo_status status = instance->subscription().peek(timeout_ms, next);
  if (status != CEPHALO_OK) return status;
  const cephalo_status copied = copy_out(next, out_buffer, capacity, out_length);
  if (copied == CEPHALO_OK) instance->subscription().pop_front();
  return copied;
}

cephalo_status host_send_command_json(cephalo_host* host, const char* command_json) {
  auto* instance = instance_of(host);
  if (instance == nullptr || command_json == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (instance->kind() != CEPHALO_KIND_INTERFACE) return CEPHALO_UNSUPPORTED;
  return instance->context().command(*instance, command_json);
}

cephalo_status host_portfolio_cash(cephalo_host* host, double* out_cash) {
  auto* instance = instance_of(host);
  if (instance == nullptr || out_cash == nullptr) return CEPHALO_INVALID_ARGUMENT;
  return instance->context().portfolio_cash(*instance, out_cash);
}

cephalo_status host_portfolio_position(cephalo_host* host, const char* symbol, double* out_quantity,
                                       double* out_average_price) {
  auto* instance = instance_of(host);
  if (instance == nullptr || symbol == nullptr || out_quantity == nullptr ||
      out_average_price == nullptr) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  return instance->context().portfolio_position(*instance, symbol, out_quantity, out_average_price);
}

cephalo_status host_indicator(cephalo_host* host, const char* symbol, const char* timeframe,
                              const char* spec, double* out_values, uint32_t capacity,
                              uint32_t* out_count) {
  auto* instance = instance_of(host);
  if (instance == nullptr || symbol == nullptr || timeframe == nullptr || spec == nullptr ||
      out_count == nullptr || (out_values == nullptr && capacity > 0)) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  return instance->context().indicator(*instance, symbol, timeframe, spec, out_values, capacity,
                                       out_count);
}

cephalo_status host_position_size(cephalo_host* host, const cephalo_sizing_request* received,
                                  cephalo_sizing_result* out_result) {
  auto* instance = instance_of(host);
  if (instance == nullptr || received == nullptr || out_result == nullptr) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  if (instance->kind() != CEPHALO_KIND_TRADING_MODE) {
    return refuse(*instance, CEPHALO_UNSUPPORTED, "only trading modes size entries");
  }
  cephalo_sizing_request copy;
  if (Status read = read_inbound(received, copy); !read.ok()) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "position_size: " + read.error());
  }
  const cephalo_sizing_request* request = &copy;
  // The result is written by the host, at most the caller's struct_size bytes: anything shorter
  // than the 1.2 original was not built from a header.
  if (out_result->struct_size < sizeof(cephalo_sizing_result)) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "position_size: cephalo_sizing_result: struct_size is " +
                      std::to_string(out_result->struct_size) +
                      " bytes, smaller than its first released size of " +
                      std::to_string(sizeof(cephalo_sizing_result)) + " bytes");
  }
  if (request->symbol == nullptr || *request->symbol == '\0') {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT, "position_size: no symbol");
  }
  const uint32_t result_size = out_result->struct_size;
  cephalo_sizing_result result{};
  const cephalo_status status = instance->context().position_size(*instance, *request, result);
  // Only the fields this header knows are written; the caller's struct_size stays.
  result.struct_size = result_size;
  *out_result = result;
  return status;
}

cephalo_status host_set_timer(cephalo_host* host, int64_t first_due_ns, int64_t period_ns,
                              uint64_t* out_timer_id) {
  auto* instance = instance_of(host);
  if (instance == nullptr || out_timer_id == nullptr) return CEPHALO_INVALID_ARGUMENT;
  if (period_ns < 0) {
    return refuse(*instance, CEPHALO_INVALID_ARGUMENT,
                  "set_timer: period_ns is " + std::to_string(period_ns) + ", must be >= 0");
  }
  return instance->context().set_timer(*instance, first_due_ns, period_ns, out_timer_id);
}

cephalo_status host_cancel_timer(cephalo_host* host, uint64_t timer_id) {
  auto* instance = instance_of(host);
  if (instance == nullptr) return CEPHALO_INVALID_ARGUMENT;
  return instance->context().cancel_timer(*instance, timer_id);
}

cephalo_status host_indicator_handle(cephalo_host* host, const char* symbol, const char* timeframe,
                                     const char* spec, uint64_t* out_handle) {
  auto* instance = instance_of(host);
  if (instance == nullptr || symbol == nullptr || timeframe == nullptr || spec == nullptr ||
      out_handle == nullptr) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  return instance->context().indicator_handle(*instance, symbol, timeframe, spec, out_handle);
}

cephalo_status host_indicator_values(cephalo_host* host, const uint64_t* handles, uint32_t count,
                                     double* out_values, uint32_t capacity, uint32_t* out_counts) {
  auto* instance = instance_of(host);
  if (instance == nullptr || (handles == nullptr && count > 0) ||
      (out_counts == nullptr && count > 0) || (out_values == nullptr && capacity > 0)) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  if (const IndicatorService* service = instance->indicator_service()) {
    return service->values(handles, count, out_values, capacity, out_counts);
  }
  return instance->context().indicator_values(handles, count, out_values, capacity, out_counts);
}

cephalo_status host_query_json(cephalo_host* host, const char* request_json, char* out_buffer,
                               uint64_t capacity, uint64_t* out_length) {
  auto* instance = instance_of(host);
  if (instance == nullptr || request_json == nullptr || out_length == nullptr) {
    return CEPHALO_INVALID_ARGUMENT;
  }
  if (instance->kind() != CEPHALO_KIND_INTERFACE) {
    return refuse(*instance, CEPHALO_UNSUPPORTED, "query_json: only interface tentacles query");
  }
  // A retry after CEPHALO_BUFFER_TOO_SMALL gets the answer that did not fit, not a newer one.
  std::string answer;
  if (!instance->take_oversized_answer(request_json, answer)) {
    answer = instance->context().query(*instance, request_json);
  }
  const cephalo_status copied = copy_out(answer, out_buffer, capacity, out_length);
  if (copied == CEPHALO_BUFFER_TOO_SMALL) {
    instance->keep_oversized_answer(request_json, std::move(answer));
  }
  return copied;
}

cephalo_status host_refusal_reason(cephalo_host* host, char* out_buffer, uint64_t capacity,
                                   uint64_t* out_length) {
  auto* instance = instance_of(host);
  if (instance == nullptr) return CEPHALO_INVALID_ARGUMENT;
  const std::string reason = instance->refusal();
  if (reason.empty()) {
    if (out_length != nullptr) *out_length = 0;
    return CEPHALO_NOT_FOUND;
  }
  return copy_out(reason, out_buffer, capacity, out_length);
}

// Each entry point through GuardedEntry: the table's functions never throw.
template <auto Entry>
constexpr auto guarded = &GuardedEntry<Entry>::call;

constexpr cephalo_host_api kHostApi{sizeof(cephalo_host_api),
                                    CEPHALO_ABI_MAJOR,
                                    CEPHALO_ABI_MINOR,
                                    guarded<&host_log>,
                                    guarded<&host_set_error>,
                                    guarded<&host_now_ns>,
                                    guarded<&host_emit_evaluation>,
                                    guarded<&host_emit_signal>,
                                    guarded<&host_emit_order_intent>,
                                    guarded<&host_candle_history>,
                                    guarded<&host_param_number>,
                                    guarded<&host_param_integer>,
                                    guarded<&host_param_bool>,
                                    guarded<&host_param_string>,
                                    guarded<&host_poll_event_json>,
                                    guarded<&host_send_command_json>,
                                    guarded<&host_portfolio_cash>,
                                    guarded<&host_portfolio_position>,
                                    guarded<&host_indicator>,
                                    guarded<&host_position_size>,
                                    guarded<&host_set_timer>,
                                    guarded<&host_cancel_timer>,
                                    guarded<&host_indicator_handle>,
                                    guarded<&host_indicator_values>,
                                    guarded<&host_query_json>,
                                    guarded<&host_refusal_reason>};

}  // namespace

void report_host_exception(cephalo_host* host, const char* what) noexcept {
  try {
    if (auto* instance = instance_of(host); instance != nullptr) {
      instance->refuse(std::string("the host failed while serving this call: ") + what);
    }
  } catch (...) {
    // Out of memory while keeping the reason: the status alone reaches the tentacle.
  }
}

const cephalo_host_api* core_host_api() {
  return &kHostApi;
}

}  // namespace cephalo
