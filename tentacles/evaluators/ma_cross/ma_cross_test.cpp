// Tests of the ma_cross evaluator, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"
#include "followed_timeframes_check.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

void defaults(FakeHost& host, const char* type) {
  host.parameters = {{"fast", int64_t{10}},
                     {"slow", int64_t{50}},
                     {"type", std::string(type)},
                     {"sensitivity", 100.0}};
}

}  // namespace

TEST_CASE("ma_cross: (fast - slow) / slow x sensitivity, clamped, once both averages exist") {
  FakeHost host;
  defaults(host, "sma");
  LoadedTentacle cross(host);
  REQUIRE(cross.create_status == CEPHALO_OK);
  CHECK(cross.descriptor->kind == CEPHALO_KIND_EVALUATOR);

  host.indicators["ETH/BTC|5m|sma:10"] = {0.1005};
  cross.candle("ETH/BTC", 0, 0.1);  // the slow average is still warming up
  CHECK(host.evaluations.empty());

  host.indicators["ETH/BTC|5m|sma:50"] = {0.1};
  cross.candle("ETH/BTC", 1, 0.1);  // 0.5% above: 0.005 x 100 = 0.5
  host.indicators["ETH/BTC|5m|sma:10"] = {0.0998};
  cross.candle("ETH/BTC", 2, 0.1);  // -0.2% → -0.2
  host.indicators["ETH/BTC|5m|sma:10"] = {0.12};
  cross.candle("ETH/BTC", 3, 0.1);  // +20% → saturates at +1
  REQUIRE(host.evaluations.size() == 3);
  CHECK(host.evaluations[0].value == doctest::Approx(0.5));
  CHECK(host.evaluations[0].confidence == doctest::Approx(0.5));
  CHECK(host.evaluations[1].value == doctest::Approx(-0.2));
  CHECK(host.evaluations[1].confidence == doctest::Approx(0.2));
  CHECK(host.evaluations[2].value == 1.0);
}

TEST_CASE("ma_cross: type ema asks the core for exponential averages") {
  FakeHost host;
  defaults(host, "ema");
  LoadedTentacle cross(host);
  REQUIRE(cross.create_status == CEPHALO_OK);
  host.indicators["ETH/BTC|5m|sma:10"] = {1.0};  // SMAs must not be what it reads
  host.indicators["ETH/BTC|5m|sma:50"] = {2.0};
  cross.candle("ETH/BTC", 0, 1.0);
  CHECK(host.evaluations.empty());
  host.indicators["ETH/BTC|5m|ema:10"] = {1.99};
  host.indicators["ETH/BTC|5m|ema:50"] = {2.0};
  cross.candle("ETH/BTC", 1, 1.0);
  REQUIRE(host.evaluations.size() == 1);
  CHECK(host.evaluations[0].value == doctest::Approx(-0.5));
}

TEST_CASE("ma_cross: bad parameters are refused at create with the reason") {
  FakeHost host;
  defaults(host, "wma");
  LoadedTentacle wma(host);
  CHECK(wma.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("'wma'") != std::string::npos);
  FakeHost other;
  defaults(other, "sma");
  other.parameters["fast"] = int64_t{50};
  LoadedTentacle equal(other);
  CHECK(equal.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("fast < slow") != std::string::npos);
}

TEST_CASE("ma_cross: a hot swap keeps following the timeframe the old instance chose") {
  cephalo::test::check_followed_timeframe_survives_a_swap([](FakeHost& host) {
    defaults(host, "sma");
    host.indicators["ETH/BTC|5m|sma:10"] = {0.1005};
    host.indicators["ETH/BTC|5m|sma:50"] = {0.1};
    host.indicators["ETH/BTC|1h|sma:10"] = {0.0995};
    host.indicators["ETH/BTC|1h|sma:50"] = {0.1};
  });
}
