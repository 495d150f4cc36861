// Worst-case quantities and notionals of an AccountView, counting resting orders as filled.
// Thread-safety: pure functions.
#include "risk/account_view.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace cephalo {
namespace {

std::set<std::string_view> symbols_of(const AccountView& account) {
  std::set<std::string_view> symbols;
  for (const AccountPosition& position : account.positions) symbols.insert(position.symbol);
  for (const AccountOrder& order : account.open_orders) symbols.insert(order.symbol);
  return symbols;
}

}  // namespace

double position_quantity(const AccountView& account, std::string_view symbol) {
  double quantity = 0;
  for (const AccountPosition& position : account.positions) {
    if (position.symbol == symbol) quantity += position.quantity;
  }
  return quantity;
}

double reference_price(const AccountView& account, std::string_view symbol) {
  for (const AccountPosition& position : account.positions) {
    if (position.symbol == symbol && position.price > 0) return position.price;
  }
  for (const AccountOrder& order : account.open_orders) {
    if (order.symbol == symbol && order.price > 0) return order.price;
  }
  return 0;
}

double worst_case_quantity(const AccountView& account, std::string_view symbol, double extra_buy,
                           double extra_sell) {
  double buys = extra_buy, sells = extra_sell;
  for (const AccountOrder& order : account.open_orders) {
    if (order.symbol != symbol) continue;
    (order.side == CEPHALO_SIDE_BUY ? buys : sells) += order.quantity;
  }
  const double position = position_quantity(account, symbol);
  return std::max(std::fabs(position + buys), std::fabs(position - sells));
}

double gross_notional_except(const AccountView& account, std::string_view skip) {
  double gross = 0;
  for (std::string_view symbol : symbols_of(account)) {
    if (symbol == skip) continue;
    gross += worst_case_quantity(account, symbol, 0, 0) * reference_price(account, symbol);
  }
  return gross;
}

int open_position_count_except(const AccountView& account, std::string_view skip) {
  int count = 0;
  for (std::string_view symbol : symbols_of(account)) {
    if (symbol != skip && worst_case_quantity(account, symbol, 0, 0) > 0) ++count;
  }
  return count;
}

}  // namespace cephalo
