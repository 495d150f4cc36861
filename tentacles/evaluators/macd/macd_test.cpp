// Tests of the macd evaluator, driven through its entry point with a fake host.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "fake_host.hpp"
#include "followed_timeframes_check.hpp"

using cephalo::test::FakeHost;
using cephalo::test::LoadedTentacle;

namespace {

void defaults(FakeHost& host) {
  host.parameters = {
      {"fast", int64_t{12}}, {"slow", int64_t{26}}, {"signal", int64_t{9}}, {"sensitivity", 500.0}};
}

}  // namespace

TEST_CASE("macd: histogram / close x sensitivity, clamped; silent while warming up") {
  FakeHost host;
  defaults(host);
  LoadedTentacle macd(host);
  REQUIRE(macd.create_status == CEPHALO_OK);
  CHECK(macd.descriptor->kind == CEPHALO_KIND_EVALUATOR);
  CHECK(macd.descriptor->abi_minor == 1);

  macd.candle("ETH/BTC", 0, 0.1);  // the core's MACD is not warm yet
  CHECK(host.evaluations.empty());

  // macd, signal, hist: 0.0001 / 0.1 x 500 = +0.5, bullish because the histogram is positive.
  host.indicators["ETH/BTC|5m|macd:12:26:9"] = {0.0003, 0.0002, 0.0001};
  macd.candle("ETH/BTC", 1, 0.1);
  REQUIRE(host.evaluations.size() == 1);
  CHECK(host.evaluations[0].symbol == "ETH/BTC");
  CHECK(host.evaluations[0].value == doctest::Approx(0.5));
  CHECK(host.evaluations[0].confidence == doctest::Approx(0.5));

  host.indicators["ETH/BTC|5m|macd:12:26:9"] = {-0.0001, 0.00003, -0.00013};
  macd.candle("ETH/BTC", 2, 0.2);  // -0.00013 / 0.2 x 500 = -0.325
  REQUIRE(host.evaluations.size() == 2);
  CHECK(host.evaluations[1].value == doctest::Approx(-0.325));
  CHECK(host.evaluations[1].confidence == doctest::Approx(0.325));

  host.indicators["ETH/BTC|5m|macd:12:26:9"] = {-0.01, 0.0, -0.01};
  macd.candle("ETH/BTC", 3, 0.1);  // -50: saturates
  REQUIRE(host.evaluations.size() == 3);
  CHECK(host.evaluations[2].value == -1.0);
  CHECK(host.evaluations[2].confidence == 1.0);
}

TEST_CASE("macd: one evaluation per candle of the first timeframe seen for a symbol") {
  FakeHost host;
  defaults(host);
  LoadedTentacle macd(host);
  REQUIRE(macd.create_status == CEPHALO_OK);
  host.indicators["ETH/BTC|5m|macd:12:26:9"] = {0, 0, 0.0002};
  host.indicators["ETH/BTC|1h|macd:12:26:9"] = {0, 0, -0.0002};
  macd.candle("ETH/BTC", 0, 0.1, "5m");
  macd.candle("ETH/BTC", 0, 0.1, "1h");  // another series of the same symbol: not this one's say
  REQUIRE(host.evaluations.size() == 1);
  CHECK(host.evaluations[0].value == doctest::Approx(1.0));
}

TEST_CASE("macd: bad parameters are refused at create with the reason") {
  FakeHost host;
  defaults(host);
  host.parameters["fast"] = int64_t{26};
  LoadedTentacle swapped(host);
  CHECK(swapped.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("fast < slow") != std::string::npos);

  FakeHost other;
  defaults(other);
  other.parameters["sensitivity"] = 0.0;
  LoadedTentacle flat(other);
  CHECK(flat.create_status == CEPHALO_ERROR);
  CHECK(other.last_error.find("sensitivity") != std::string::npos);
}

TEST_CASE("macd: a hot swap keeps following the timeframe the old instance chose") {
  cephalo::test::check_followed_timeframe_survives_a_swap([](FakeHost& host) {
    defaults(host);
    host.indicators["ETH/BTC|5m|macd:12:26:9"] = {0, 0, 0.0002};
    host.indicators["ETH/BTC|1h|macd:12:26:9"] = {0, 0, -0.0002};
  });
}
