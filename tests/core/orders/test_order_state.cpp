// The order state machine (every pair of states) and client order ids.
#include <doctest/doctest.h>

#include <set>

#include "orders/client_order_id.hpp"
#include "orders/order_state.hpp"

using namespace cephalo::orders;

TEST_CASE("every legal and illegal transition of the live order state machine") {
  using S = OrderState;
  const std::set<std::pair<S, S>> legal = {
      {S::kPendingNew, S::kOpen},
      {S::kPendingNew, S::kPartiallyFilled},
      {S::kPendingNew, S::kFilled},
      {S::kPendingNew, S::kCancelled},
      {S::kPendingNew, S::kRejected},
      {S::kPendingNew, S::kExpired},
      {S::kPendingNew, S::kUnknown},
      {S::kUnknown, S::kOpen},
      {S::kUnknown, S::kPartiallyFilled},
      {S::kUnknown, S::kFilled},
      {S::kUnknown, S::kCancelled},
      {S::kUnknown, S::kRejected},
      {S::kUnknown, S::kExpired},
      {S::kOpen, S::kPartiallyFilled},
      {S::kOpen, S::kFilled},
      {S::kOpen, S::kCancelled},
      {S::kOpen, S::kExpired},
      {S::kPartiallyFilled, S::kPartiallyFilled},
      {S::kPartiallyFilled, S::kFilled},
      {S::kPartiallyFilled, S::kCancelled},
      {S::kPartiallyFilled, S::kExpired},
  };
  int checked = 0;
  for (S from : kAllOrderStates) {
    for (S to : kAllOrderStates) {
      INFO(order_state_name(from) << " -> " << order_state_name(to));
      CHECK(can_transition(from, to) == (legal.count({from, to}) == 1));
      ++checked;
    }
  }
  CHECK(checked == 64);
  for (S state : kAllOrderStates) {
    CHECK(order_state_from_name(order_state_name(state)) == state);
  }
  CHECK(!order_state_from_name("opened").has_value());
}

TEST_CASE("client order ids are unique, valid for Binance and at most 36 characters") {
  ClientOrderIds ids(make_run_tag(1'700'000'000'000, 0xffffffffu));
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = ids.next();
    CHECK(is_valid_client_order_id(id));
    CHECK(seen.insert(id).second);
  }
  ClientOrderIds long_tag(std::string(100, 'x') + "!@#");
  CHECK(long_tag.next().size() <= 36);
  CHECK(is_valid_client_order_id(long_tag.next()));
  CHECK(make_run_tag(1, 2) != make_run_tag(1, 3));
  CHECK(!is_valid_client_order_id(""));
  CHECK(!is_valid_client_order_id(std::string(37, 'a')));
  CHECK(!is_valid_client_order_id("a b"));
}
