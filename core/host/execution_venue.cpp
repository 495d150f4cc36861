// The defaults of ExecutionVenue's command/query hooks, from what every venue already answers.
// Thread-safety: loop thread only.
#include "host/execution_venue.hpp"

namespace cephalo {

void ExecutionVenue::describe(AccountSnapshot& out) const {
  const AccountView view = account_view();
  out.cash = cash();
  out.equity = view.equity;
  out.positions.clear();
  for (const AccountPosition& held : view.positions) {
    if (held.quantity == 0) continue;
    double quantity = 0, average = 0;
    position(held.symbol, quantity, average);
    PositionRow row;
    row.symbol = held.symbol;
    row.quantity = held.quantity;
    row.entry_price = average;
    row.last_price = held.price;
    row.unrealised_pnl = average > 0 ? (held.price - average) * held.quantity : 0;
    out.positions.push_back(std::move(row));
  }
  out.open_orders.clear();
  for (const AccountOrder& order : view.open_orders) {
    OrderRow row;
    row.symbol = order.symbol;
    row.side = order.side == CEPHALO_SIDE_BUY ? "buy" : "sell";
    row.status = "open";
    row.quantity = row.remaining = order.quantity;
    row.price = order.price;
    out.open_orders.push_back(std::move(row));
  }
}

Status ExecutionVenue::close_position(std::string_view symbol, int64_t, const std::string&,
                                      std::vector<EventPayload>&) {
  return Error{"this venue cannot close one position on its own (" + std::string(symbol) +
               "); force_exit without a symbol closes every position"};
}

Status ExecutionVenue::cancel_order(std::string_view client_order_id, int64_t,
                                    std::vector<EventPayload>&) {
  return Error{"this venue cannot cancel a single order (" + std::string(client_order_id) + ")"};
}

}  // namespace cephalo
