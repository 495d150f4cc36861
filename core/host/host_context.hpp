// HostContext: what the host services table needs from the running core (implemented by Pipeline).
// Thread-safety: log and command from any thread; the rest on the loop thread only.
#pragma once

#include <cephalo/tentacle.h>

#include <string>
#include <string_view>

#include "events/event.hpp"

namespace cephalo {

class IndicatorService;
class TentacleInstance;

class HostContext {
 public:
  virtual ~HostContext() = default;
  virtual void log(const TentacleInstance& from, cephalo_log_level level,
                   std::string_view message) = 0;
  virtual int64_t now_ns() const = 0;
  // Validates and routes an emitted record; the status says why a refusal happened.
  virtual cephalo_status emit(TentacleInstance& from, EventPayload payload) = 0;
  virtual cephalo_status candle_history(const char* symbol, const char* timeframe,
                                        uint32_t max_count, cephalo_candle* out_candles,
                                        uint32_t* out_count) = 0;
  // The command/query set (interfaces; ABI 1.5 answers queries and correlated commands). Any
  // thread. A command's answer reaches `from` as a command_result event when it has an "id".
  virtual cephalo_status command(TentacleInstance& from, std::string command_json) = 0;
  virtual std::string query(TentacleInstance& from, std::string_view request_json) = 0;
  // ABI 1.1: the portfolio view and streaming indicators.
  // `from` picks the account: an A/B slot's tentacles see their own sub-account.
  virtual cephalo_status portfolio_cash(TentacleInstance& from, double* out_cash) = 0;
  virtual cephalo_status portfolio_position(TentacleInstance& from, const char* symbol,
                                            double* out_quantity, double* out_average_price) = 0;
  virtual cephalo_status indicator(TentacleInstance& from, const char* symbol,
                                   const char* timeframe, const char* spec, double* out_values,
                                   uint32_t capacity, uint32_t* out_count) = 0;
  // ABI 1.2: an entry sized by the core's helpers and clamped to the risk limits. The request's
  // struct size is checked by the caller; errors are explained through from.set_error.
  virtual cephalo_status position_size(TentacleInstance& from,
                                       const cephalo_sizing_request& request,
                                       cephalo_sizing_result& out_result) = 0;
  // ABI 1.3: timers on the core's clock, delivered to `from` only.
  virtual cephalo_status set_timer(TentacleInstance& from, int64_t first_due_ns, int64_t period_ns,
                                   uint64_t* out_timer_id) = 0;
  virtual cephalo_status cancel_timer(TentacleInstance& from, uint64_t timer_id) = 0;
  // ABI 1.4: an indicator resolved once, then read by handle without a lookup by name.
  virtual cephalo_status indicator_handle(TentacleInstance& from, const char* symbol,
                                          const char* timeframe, const char* spec,
                                          uint64_t* out_handle) = 0;
  virtual cephalo_status indicator_values(const uint64_t* handles, uint32_t count,
                                          double* out_values, uint32_t capacity,
                                          uint32_t* out_counts) = 0;
  // The service indicator_values reads, when it is one the instance may keep a pointer to for
  // its life: the host API then answers a strategy's per-candle read without a virtual call.
  // nullptr (the default) routes every read through indicator_values.
  virtual const IndicatorService* indicator_service() const { return nullptr; }
  virtual NameTable& names() = 0;
};

// The host services table every tentacle receives; static and immutable.
const cephalo_host_api* core_host_api();

}  // namespace cephalo
