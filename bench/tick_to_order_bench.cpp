// Internal tick-to-order latency: one kline WebSocket message parsed → a limit order shaped to
// the symbol's filters, given a client order id, and its query signed, ready to send. One core,
// a sustained feed of distinct messages; prints p50/p99/p99.9/max.
// Thread-safety: single-threaded program. Usage: tick_to_order_bench [MESSAGES] [dom]
// With `dom`, messages go through the general DOM parser (nlohmann) instead of the kline scanner.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "exchange/binance/binance_json.hpp"
#include "exchange/binance/binance_connector.hpp"
#include "orders/client_order_id.hpp"

using namespace cephalo;
using namespace cephalo::exchange;
using Clock = std::chrono::steady_clock;

namespace {

// The bench never sends: the transport only has to exist.
class NoTransport final : public HttpTransport {
 public:
  HttpOutcome send(const HttpRequest&) override { return {std::nullopt, "bench", false}; }
};

std::string kline_message(int64_t i) {
  const int64_t open = 1'700'000'000'000 + i * 60'000;
  // Prices wander so every message parses to different decimals.
  const std::string price = "0.05" + std::to_string(100 + (i * 7919) % 900);
  return R"({"stream":"ethbtc@kline_1m","data":{"e":"kline","E":)" + std::to_string(open + 60'000) +
         R"(,"s":"ETHBTC","k":{"t":)" + std::to_string(open) + R"(,"T":)" +
         std::to_string(open + 59'999) + R"(,"s":"ETHBTC","i":"1m","f":100,"L":200,"o":")" + price +
         R"(","c":")" + price + R"(","h":")" + price + R"(","l":")" + price +
         R"(","v":"1000.12300000","n":100,"x":true,"q":"50.10000000","V":"500","Q":"0.500",)"
         R"("B":"0"}}})";
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t messages = argc > 1 ? std::atoll(argv[1]) : 200'000;
  const bool dom = argc > 2 && std::string(argv[2]) == "dom";
  std::vector<std::string> feed;
  feed.reserve(static_cast<size_t>(messages));
  for (int64_t i = 0; i < messages; ++i) feed.push_back(kline_message(i));

  BinanceConfig config;
  config.api_key = "bench-key";
  config.api_secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  BinanceConnector connector(config, std::make_shared<NoTransport>());
  SymbolFilters filters;
  filters.symbol = "ETHBTC";
  filters.tick_size = parse_decimal("0.000001", "tick").value();
  filters.step_size = parse_decimal("0.0001", "step").value();
  filters.min_qty = parse_decimal("0.0001", "minQty").value();
  filters.min_notional = parse_decimal("0.0001", "minNotional").value();
  orders::ClientOrderIds ids(orders::make_run_tag(1'700'000'000'000, 12345));
  const Decimal quantity = parse_decimal("0.25", "qty").value();

  KlineBar bar;
  OrderRequest request;
  request.symbol = "ETHBTC";
  std::vector<int64_t> latencies_ns;
  latencies_ns.reserve(static_cast<size_t>(messages));
  size_t total_bytes = 0;
  int64_t errors = 0;
  for (int64_t i = 0; i < messages; ++i) {
    const std::string& message = feed[static_cast<size_t>(i)];
    const auto start = Clock::now();
    if (dom) {
      auto event = parse_stream_message(message);
      if (!event.ok() || !std::holds_alternative<KlineBar>(*event)) {
        ++errors;
        continue;
      }
      bar = std::get<KlineBar>(std::move(*event));
    } else if (!parse_kline_event(message, bar).ok()) {
      ++errors;
      continue;
    }
    // A stand-in decision: buy at the close, 0.1% below (the executor's limit offset).
    const Decimal price{bar.close.units - bar.close.units / 1000};
    OrderContext context;
    context.average_price = bar.close;
    auto shaped = shape_order(filters, OrderSide::kBuy, false, price, quantity, {}, context);
    if (!shaped.ok()) {
      ++errors;
      continue;
    }
    request.price = shaped->price;
    request.quantity = shaped->quantity;
    request.client_order_id = ids.next();
    const std::string query = connector.signed_order_query(request, bar.close_time_ms + 1);
    const auto end = Clock::now();
    total_bytes += query.size();
    latencies_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
  }
  std::sort(latencies_ns.begin(), latencies_ns.end());
  auto pct = [&](double p) {
    const size_t index = std::min(
        latencies_ns.size() - 1, static_cast<size_t>(p * static_cast<double>(latencies_ns.size())));
    return static_cast<double>(latencies_ns[index]) / 1000.0;
  };
  std::printf(
      "tick-to-order (%s parser): %lld kline messages -> signed LIMIT order queries (%zu bytes "
      "avg), "
      "%lld errors\n",
      dom ? "DOM" : "kline scanner", static_cast<long long>(messages),
      total_bytes / std::max<size_t>(1, latencies_ns.size()), static_cast<long long>(errors));
  std::printf("  p50 %.2f us   p99 %.2f us   p99.9 %.2f us   max %.2f us\n", pct(0.50), pct(0.99),
              pct(0.999), static_cast<double>(latencies_ns.back()) / 1000.0);
  return errors == 0 ? 0 : 1;
}
