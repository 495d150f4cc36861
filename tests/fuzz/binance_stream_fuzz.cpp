// Fuzz target: the Binance WebSocket message parsers (core/exchange): parse_stream_message (the
// DOM parser the market-data and user-data streams use, user_data_stream.cpp included) and
// parse_kline_event (the in-place scanner of the kline hot path), which must agree: a kline the
// scanner accepts is the one the DOM parser reads. And the WebSocket API's response frames
// (parse_ws_api_response), which share the user data connection.
// Thread-safety: libFuzzer calls it from one thread.
#include <cstdint>
#include <string_view>
#include <variant>

#include "exchange/binance/binance_json.hpp"
#include "fuzz_check.hpp"

namespace ex = cephalo::exchange;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const auto response = ex::parse_ws_api_response(message);
  if (!response.ok()) FUZZ_CHECK(!response.error().empty());
  const auto event = ex::parse_stream_message(message);
  if (!event.ok()) FUZZ_CHECK(!event.error().empty());
  ex::KlineBar scanned;
  const auto kline = ex::parse_kline_event(message, scanned);
  if (!kline.ok()) return 0;
  FUZZ_CHECK(event.ok());
  const auto* read = std::get_if<ex::KlineBar>(&event.value());
  FUZZ_CHECK(read != nullptr);
  FUZZ_CHECK(read->symbol == scanned.symbol && read->interval == scanned.interval);
  FUZZ_CHECK(read->open_time_ms == scanned.open_time_ms);
  FUZZ_CHECK(read->close_time_ms == scanned.close_time_ms);
  FUZZ_CHECK(read->open == scanned.open && read->high == scanned.high);
  FUZZ_CHECK(read->low == scanned.low && read->close == scanned.close);
  FUZZ_CHECK(read->volume == scanned.volume && read->closed == scanned.closed);
  FUZZ_CHECK(read->trade_count == scanned.trade_count);
  return 0;
}
