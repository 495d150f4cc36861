// Names of the ABI's enum values, as they appear in storage, JSON and logs.
// Thread-safety: pure functions.
#include "model/market.hpp"

namespace cephalo {

const char* signal_intent_name(cephalo_signal_intent intent) {
  switch (intent) {
    case CEPHALO_SIGNAL_ENTER_LONG: return "enter_long";
    case CEPHALO_SIGNAL_EXIT_LONG: return "exit_long";
    case CEPHALO_SIGNAL_ENTER_SHORT: return "enter_short";
    case CEPHALO_SIGNAL_EXIT_SHORT: return "exit_short";
    default: return "unknown";
  }
}

const char* side_name(cephalo_side side) {
  switch (side) {
    case CEPHALO_SIDE_BUY: return "buy";
    case CEPHALO_SIDE_SELL: return "sell";
    default: return "unknown";
  }
}

const char* order_type_name(cephalo_order_type type) {
  switch (type) {
    case CEPHALO_ORDER_MARKET: return "market";
    case CEPHALO_ORDER_LIMIT: return "limit";
    case CEPHALO_ORDER_STOP: return "stop";
    case CEPHALO_ORDER_STOP_LIMIT: return "stop_limit";
    default: return "unknown";
  }
}

const char* time_in_force_name(cephalo_time_in_force tif) {
  switch (tif) {
    case CEPHALO_TIF_GTC: return "gtc";
    case CEPHALO_TIF_IOC: return "ioc";
    case CEPHALO_TIF_FOK: return "fok";
    default: return "unknown";
  }
}

const char* kind_to_string(cephalo_kind kind) {
  switch (kind) {
    case CEPHALO_KIND_EVALUATOR: return "evaluator";
    case CEPHALO_KIND_STRATEGY: return "strategy";
    case CEPHALO_KIND_TRADING_MODE: return "trading_mode";
    case CEPHALO_KIND_INTERFACE: return "interface";
    default: return "unknown";
  }
}

}  // namespace cephalo
