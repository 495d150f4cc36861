// The journal's direct payload text equals the dumped JSON document byte for byte, for every
// payload kind and for numbers and strings that need care (exponents, escapes, UTF-8, NaN), with
// and without an A/B slot.
#include "events/event_json.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace cephalo::test {
namespace {

TEST_CASE("payload text equals the dumped document for order intents and fills") {
  NameTable names;
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-30, 30);
  const std::vector<double> special = {0.0,
                                       -0.0,
                                       1.0,
                                       1e15,
                                       1e16,
                                       1e-5,
                                       123456789.125,
                                       0.1 + 0.2,
                                       std::numeric_limits<double>::quiet_NaN(),
                                       std::numeric_limits<double>::infinity(),
                                       std::numeric_limits<double>::denorm_min(),
                                       std::numeric_limits<double>::max()};
  const std::vector<std::string> texts = {"",
                                          "signal",
                                          "stop_loss",
                                          "with \"quotes\" and \\",
                                          "tab\tnew\nline",
                                          "caf\xc3\xa9 \xe2\x82\xac",
                                          "\x01\x1f\x7f"};
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    auto number = [&](int k) {
      if (k % 3 == 0) return special[static_cast<size_t>(k) % special.size()];
      return mantissa(random) * std::pow(10.0, exponent(random));
    };
    const std::string& text = texts[static_cast<size_t>(i) % texts.size()];
    OrderIntent intent;
    intent.symbol = names.intern(i % 2 ? "BTC/USDT" : "ETH/B\"TC");
    intent.source = names.intern("spot");
    intent.side = i % 2 ? CEPHALO_SIDE_BUY : CEPHALO_SIDE_SELL;
    intent.type = static_cast<cephalo_order_type>(CEPHALO_ORDER_MARKET + i % 4);
    intent.time_in_force = static_cast<cephalo_time_in_force>(CEPHALO_TIF_GTC + i % 3);
    intent.quantity = number(i);
    intent.price = number(i + 1);
    intent.stop_price = number(i + 2);
    intent.tag = text;
    intent.slot = static_cast<SlotIndex>(i % 3);  // 0 prints no slot key
    const EventPayload intent_payload = intent;
    CHECK(payload_json_text(intent_payload) == payload_to_json(intent_payload).dump());

    Fill fill;
    fill.symbol = intent.symbol;
    fill.side = intent.side;
    fill.client_order_id = "bt-" + std::to_string(i) + text;
    fill.quantity = number(i + 3);
    fill.price = number(i + 4);
    fill.fee = number(i + 5);
    fill.fee_currency = i % 5 ? "USDT" : text;
    fill.slot = static_cast<SlotIndex>(i % 4 == 1 ? 4000000000u : 0u);
    const EventPayload fill_payload = fill;
    CHECK(payload_json_text(fill_payload) == payload_to_json(fill_payload).dump());
    checked += 2;
  }
  CHECK(checked == 800);
}

TEST_CASE("other payloads fall back to the document, and invalid UTF-8 is refused alike") {
  const EventPayload error = ErrorInfo{"spot", "no \"price\" known"};
  CHECK(payload_json_text(error) == payload_to_json(error).dump());
  Fill bad;
  bad.client_order_id = "bt-\xff";
  CHECK_THROWS(payload_to_json(EventPayload(bad)).dump());
  CHECK_THROWS(payload_json_text(EventPayload(bad)));
}

}  // namespace
}  // namespace cephalo::test
