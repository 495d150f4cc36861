// Tests of the bollinger evaluator, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <cmath>

#include "fake_host.hpp"
#include "followed_timeframes_check.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

TEST_CASE("bollinger: +1 at the lower band, -1 at the upper, linear through 0 at the middle") {
  FakeHost host;
  host.parameters = {{"period", int64_t{20}}, {"k", 2.0}};
  LoadedTentacle bollinger(host);
  REQUIRE(bollinger.create_status == CEPHALO_OK);
  CHECK(bollinger.descriptor->kind == CEPHALO_KIND_EVALUATOR);

  bollinger.candle("ETH/BTC", 0, 1.0);  // warming up
  CHECK(host.evaluations.empty());

  host.indicators["ETH/BTC|5m|bbands:20:2"] = {1.1, 1.0, 0.9};  // upper, middle, lower
  const double closes[] = {0.9, 0.8, 0.95, 1.0, 1.05, 1.1, 1.3};
  const double expected[] = {1.0, 1.0, 0.5, 0.0, -0.5, -1.0, -1.0};
  for (int i = 0; i < 7; ++i) bollinger.candle("ETH/BTC", i + 1, closes[i]);
  REQUIRE(host.evaluations.size() == 7);
  for (int i = 0; i < 7; ++i) {
    CAPTURE(closes[i]);
    CHECK(host.evaluations[i].value == doctest::Approx(expected[i]));
    CHECK(host.evaluations[i].confidence == doctest::Approx(std::fabs(expected[i])));
  }
}

TEST_CASE("bollinger: zero-width bands say nothing; a fractional k reaches the core as written") {
  FakeHost host;
  host.parameters = {{"period", int64_t{10}}, {"k", 2.5}};
  LoadedTentacle bollinger(host);
  REQUIRE(bollinger.create_status == CEPHALO_OK);
  host.indicators["LTC/BTC|5m|bbands:10:2.5"] = {0.5, 0.5, 0.5};  // a flat market
  bollinger.candle("LTC/BTC", 0, 0.4);
  REQUIRE(host.evaluations.size() == 1);
  CHECK(host.evaluations[0].value == 0.0);
  CHECK(host.evaluations[0].confidence == 0.0);
}

TEST_CASE("bollinger: bad parameters are refused at create with the reason") {
  FakeHost host;
  host.parameters = {{"period", int64_t{20}}, {"k", -1.0}};
  LoadedTentacle bollinger(host);
  CHECK(bollinger.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("k must be a positive number") != std::string::npos);
  FakeHost other;
  other.parameters = {{"period", int64_t{1}}, {"k", 2.0}};
  LoadedTentacle short_period(other);
  CHECK(short_period.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("period") != std::string::npos);
}

TEST_CASE("bollinger: a hot swap keeps following the timeframe the old instance chose") {
  cephalo::test::check_followed_timeframe_survives_a_swap([](FakeHost& host) {
    host.parameters = {{"period", int64_t{20}}, {"k", 2.0}};
    host.indicators["ETH/BTC|5m|bbands:20:2"] = {0.11, 0.1, 0.09};
    host.indicators["ETH/BTC|1h|bbands:20:2"] = {0.12, 0.1, 0.08};
  });
}
