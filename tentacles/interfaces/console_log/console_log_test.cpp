// Tests of the console_log interface: its thread logs events and stops when destroyed.
// Thread-safety: the test thread feeds the fake host's queue; the tentacle polls it.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>

#include "fake_host.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

size_t count_containing(const std::vector<std::string>& lines, const std::string& text) {
  return static_cast<size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find(text) != std::string::npos;
  }));
}

std::string candle_json(int i) {
  return R"({"exchange_time_ns": 0, "payload": {"symbol": "ETH/BTC", "close": )" +
         std::to_string(i) + R"(}, "sequence": )" + std::to_string(i) + R"(, "type": "candle"})";
}

}  // namespace

TEST_CASE("console_log: logs non-candle events compactly and summarises candles") {
  FakeHost host;
  host.parameters = {{"summary_every", int64_t{3}}};
  {
    LoadedTentacle console(host);
    REQUIRE(console.create_status == CEPHALO_OK);
    CHECK(console.descriptor->kind == CEPHALO_KIND_INTERFACE);
    for (int i = 0; i < 7; ++i) host.push_json(candle_json(i));
    // The payload's own "type" (the order type) comes first and must not be taken for the event's.
    host.push_json(
        R"({"payload": {"type": "market", "tag": "a b"}, "sequence": 8, "type": "order_intent"})");
    host.push_json(R"({"payload": {"message": "x"}, "type": "error"})");
    REQUIRE(host.wait_drained(5000));
    // The queue drains before the last event is handled; destroy joins, so read after it.
  }
  const auto logs = host.logs();
  CHECK(count_containing(logs, R"({"payload":{"type":"market","tag":"a b"},"sequence":8,)") == 1);
  CHECK(count_containing(logs, "candle=3") == 1);
  CHECK(count_containing(logs, "candle=6") == 1);
  CHECK(count_containing(logs, R"("type":"candle")") == 0);
  CHECK(count_containing(logs, "final events by type: candle=7 error=1 order_intent=1") == 1);
}

TEST_CASE("console_log: the polling thread ends when the host closes the subscription") {
  FakeHost host;
  host.parameters = {{"summary_every", int64_t{1000}}};
  LoadedTentacle console(host);
  REQUIRE(console.create_status == CEPHALO_OK);
  host.close();
  // Destroying after close must not hang; doctest's timeout is the backstop for that.
}
