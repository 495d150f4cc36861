// One order on a real venue as the executor tracks it, and the rules that merge venue reports
// into it: fills de-duplicated by trade id, and no older snapshot undoing a newer one.
// Thread-safety: plain values and functions; LiveOrderBook is used by one thread (the executor's).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "exchange/venue_types.hpp"
#include "model/result.hpp"
#include "orders/order_state.hpp"
#include "storage/records.hpp"

namespace cephalo::orders {

struct LiveOrder {
  exchange::OrderRequest request;
  OrderState state = OrderState::kPendingNew;
  int64_t venue_order_id = 0;
  exchange::Decimal executed_qty, cumulative_quote;  // cumulative, from the venue
  exchange::Decimal filled_by_trades;                // sum of the fills seen (de-duplicated)
  int64_t venue_update_ms = 0;  // the venue's time of the newest snapshot applied
  int64_t created_ns = 0, updated_ns = 0;
  std::string reason;
};

LiveOrderRecord to_record(const LiveOrder& order);
Result<LiveOrder> from_record(const LiveOrderRecord& record);

// What applying a venue report did.
enum class ApplyOutcome { kApplied, kUnchanged, kStaleIgnored, kIllegalIgnored };
const char* apply_outcome_name(ApplyOutcome outcome);

// Merges a venue snapshot (REST answer or executionReport) into `order`. A snapshot older than
// what is applied (earlier venue time, or less cumulative quantity) is ignored, so a late REST
// answer never undoes a newer WebSocket update; an illegal transition (out of a final state) too.
ApplyOutcome apply_snapshot(LiveOrder& order, const exchange::VenueOrder& snapshot);

// The orders of one run, by client id, plus every trade id seen (per symbol).
class LiveOrderBook {
 public:
  // By the id the order was placed with, or an id the venue gave it later (an amend).
  LiveOrder* find(const std::string& client_order_id);
  void alias(const std::string& new_client_order_id, const std::string& client_order_id) {
    aliases_[new_client_order_id] = client_order_id;
  }
  LiveOrder* find_by_venue_id(const std::string& symbol, int64_t venue_order_id);
  LiveOrder& add(LiveOrder order);
  // False when this trade was seen before (from either the stream or REST).
  bool first_sighting(const std::string& symbol, int64_t trade_id);
  int64_t last_trade_id(const std::string& symbol) const;
  std::map<std::string, LiveOrder>& all() { return orders_; }
  const std::map<std::string, LiveOrder>& all() const { return orders_; }

 private:
  std::map<std::string, LiveOrder> orders_;
  std::map<std::string, std::string> aliases_;  // later client id -> the placed one
  std::map<std::string, std::set<int64_t>> trade_ids_;
};

}  // namespace cephalo::orders
