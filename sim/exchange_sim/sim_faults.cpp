// Fault switches: parsing the control document and reporting what is on.
#include "exchange_sim/sim_faults.hpp"

#include <algorithm>
#include <set>

namespace cephalo::exchange_sim {

Result<FaultActions> apply_faults(FaultState& faults, const nlohmann::json& document,
                                  int64_t now_ms) {
  static const std::set<std::string> kIntegerKeys = {
      "silence_ms",     "order_5xx",     "order_5xx_status",      "http_429",
      "http_418",       "clock_skew_ms", "order_query_hidden_ms", "http_429_retry_after_s",
      "duplicate_order"};
  static const std::set<std::string> kBoolKeys = {
      "drop_websockets", "reject_websockets",      "reset_rate_limit",
      "clear",           "terminate_user_streams", "server_shutdown"};
  if (!document.is_object()) return Error{"faults: expected a JSON object"};
  for (const auto& [key, value] : document.items()) {
    if (kIntegerKeys.count(key) != 0) {
      if (!value.is_number_integer()) return Error{"faults: '" + key + "' must be an integer"};
    } else if (kBoolKeys.count(key) != 0) {
      if (!value.is_boolean()) return Error{"faults: '" + key + "' must be true or false"};
    } else {
      return Error{"faults: unknown key '" + key + "'"};
    }
  }
  FaultActions actions;
  if (document.value("clear", false)) faults = FaultState{};
  const auto integer = [&](const char* key, int64_t fallback) {
    return document.contains(key) ? document[key].get<int64_t>() : fallback;
  };
  if (document.contains("silence_ms")) {
    faults.silent_until_ms = now_ms + std::max<int64_t>(0, document["silence_ms"].get<int64_t>());
  }
  faults.order_5xx_left = integer("order_5xx", faults.order_5xx_left);
  faults.order_5xx_status = static_cast<int>(integer("order_5xx_status", faults.order_5xx_status));
  faults.http_429_left = integer("http_429", faults.http_429_left);
  faults.http_418_left = integer("http_418", faults.http_418_left);
  faults.http_429_retry_after_s = integer("http_429_retry_after_s", faults.http_429_retry_after_s);
  faults.duplicate_order_left = integer("duplicate_order", faults.duplicate_order_left);
  faults.clock_skew_ms = integer("clock_skew_ms", faults.clock_skew_ms);
  faults.order_query_hidden_ms = integer("order_query_hidden_ms", faults.order_query_hidden_ms);
  faults.reject_websockets = document.value("reject_websockets", faults.reject_websockets);
  actions.drop_websockets = document.value("drop_websockets", false);
  actions.reset_rate_limit = document.value("reset_rate_limit", false);
  actions.terminate_user_streams = document.value("terminate_user_streams", false);
  actions.server_shutdown = document.value("server_shutdown", false);
  if (faults.order_5xx_status < 500 || faults.order_5xx_status > 599) {
    return Error{"faults: 'order_5xx_status' must be a 5xx status"};
  }
  return actions;
}

nlohmann::json faults_json(const FaultState& faults, int64_t now_ms) {
  return {{"silence_ms_left", std::max<int64_t>(0, faults.silent_until_ms - now_ms)},
          {"order_5xx", faults.order_5xx_left},
          {"order_5xx_status", faults.order_5xx_status},
          {"http_429", faults.http_429_left},
          {"http_418", faults.http_418_left},
          {"http_429_retry_after_s", faults.http_429_retry_after_s},
          {"duplicate_order", faults.duplicate_order_left},
          {"clock_skew_ms", faults.clock_skew_ms},
          {"order_query_hidden_ms", faults.order_query_hidden_ms},
          {"reject_websockets", faults.reject_websockets}};
}

}  // namespace cephalo::exchange_sim
