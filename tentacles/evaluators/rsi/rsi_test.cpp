// Tests of the rsi evaluator: the streaming Wilder math against references, and the tentacle
// itself. Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fake_host.hpp"
#include "wilder_rsi.hpp"

using cephalo::tentacles::rsi_opinion;
using cephalo::tentacles::WilderRsi;

namespace {

std::vector<double> closes_from_csv(const std::string& path, size_t max_rows) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in, "cannot open " << path);
  std::string line;
  std::getline(in, line);  // header: timestamp,open,high,low,close,volume
  std::vector<double> closes;
  while (closes.size() < max_rows && std::getline(in, line)) {
    std::stringstream row(line);
    std::string field;
    for (int column = 0; column <= 4; ++column) std::getline(row, field, ',');
    closes.push_back(std::stod(field));
  }
  return closes;
}

// The textbook definition, recomputed from the whole prefix for every bar: slow, obviously right.
double reference_rsi(const std::vector<double>& closes, size_t last, size_t period) {
  double gain = 0;
  double loss = 0;
  for (size_t i = 1; i <= period; ++i) {
    const double change = closes[i] - closes[i - 1];
    (change > 0 ? gain : loss) += std::fabs(change);
  }
  gain /= static_cast<double>(period);
  loss /= static_cast<double>(period);
  for (size_t i = period + 1; i <= last; ++i) {
    const double change = closes[i] - closes[i - 1];
    gain = (gain * static_cast<double>(period - 1) + (change > 0 ? change : 0)) /
           static_cast<double>(period);
    loss = (loss * static_cast<double>(period - 1) + (change < 0 ? -change : 0)) /
           static_cast<double>(period);
  }
  return gain + loss == 0 ? 50 : 100 * gain / (gain + loss);
}

}  // namespace

TEST_CASE("Wilder RSI on a hand-computed period-2 series") {
  WilderRsi rsi(2);
  CHECK_FALSE(rsi.update(1.0));
  CHECK_FALSE(rsi.update(2.0));
  // Seed: gains {1, 1} -> 1, losses {0, 0} -> 0.
  CHECK(*rsi.update(3.0) == doctest::Approx(100.0));
  // Wilder: gain (1*1 + 0)/2 = 0.5, loss (0*1 + 1)/2 = 0.5.
  CHECK(*rsi.update(2.0) == doctest::Approx(50.0));
  // gain (0.5 + 0)/2 = 0.25, loss (0.5 + 2)/2 = 1.25 -> 100 * 0.25 / 1.5.
  CHECK(*rsi.update(0.0) == doctest::Approx(100.0 * 0.25 / 1.5));
}

TEST_CASE("Wilder RSI matches Wilder's published 14-period worked example") {
  // The classic example (StockCharts' RSI tutorial), published rounded to two decimals.
  const std::vector<double> closes = {44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955,
                                      45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.6140, 46.2820,
                                      46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439};
  const std::vector<double> expected = {70.53, 66.32, 66.55, 69.41, 66.36, 57.97};
  WilderRsi rsi(14);
  std::vector<double> got;
  for (const double close : closes) {
    if (const auto value = rsi.update(close)) got.push_back(*value);
  }
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(std::fabs(got[i] - expected[i]) < 0.005);
  }
}

TEST_CASE("Wilder RSI streams the same values as the reference on ETH/BTC 5m") {
  const auto closes = closes_from_csv(CEPHALO_TEST_DATA_DIR "/ETH_BTC-5m.csv", 300);
  REQUIRE(closes.size() == 300);
  for (const int64_t period : {2, 14, 50}) {
    CAPTURE(period);
    WilderRsi rsi(period);
    for (size_t i = 0; i < closes.size(); ++i) {
      const auto value = rsi.update(closes[i]);
      REQUIRE(value.has_value() == (i >= static_cast<size_t>(period)));
      if (value) {
        CHECK(*value == doctest::Approx(reference_rsi(closes, i, period)).epsilon(1e-9));
        CHECK(*value >= 0.0);
        CHECK(*value <= 100.0);
      }
    }
  }
}

TEST_CASE("Wilder RSI resumes bit for bit from a saved state") {
  const auto closes = closes_from_csv(CEPHALO_TEST_DATA_DIR "/ETH_BTC-5m.csv", 200);
  for (const size_t cut : {size_t{5}, size_t{100}}) {  // while warming up, and once warm
    WilderRsi original(14);
    for (size_t i = 0; i < cut; ++i) original.update(closes[i]);
    WilderRsi resumed(14, original.state());
    for (size_t i = cut; i < closes.size(); ++i) {
      CHECK(original.update(closes[i]) == resumed.update(closes[i]));
    }
  }
}

TEST_CASE("a flat market is neutral, not maximally bearish") {
  WilderRsi rsi(3);
  std::optional<double> value;
  for (int i = 0; i < 10; ++i) value = rsi.update(1.0);
  CHECK(*value == 50.0);
}

TEST_CASE("RSI opinion: oversold is bullish, overbought bearish, confidence grows from 50") {
  CHECK(rsi_opinion(50, 30, 70).value == 0.0);
  CHECK(rsi_opinion(50, 30, 70).confidence == 0.0);
  CHECK(rsi_opinion(40, 30, 70).value == doctest::Approx(0.5));
  CHECK(rsi_opinion(30, 30, 70).value == doctest::Approx(1.0));
  CHECK(rsi_opinion(10, 30, 70).value == doctest::Approx(1.0));
  CHECK(rsi_opinion(10, 30, 70).confidence == doctest::Approx(0.8));
  CHECK(rsi_opinion(80, 30, 70).value == doctest::Approx(-1.0));
  CHECK(rsi_opinion(60, 20, 90).value == doctest::Approx(-0.25));
  CHECK(rsi_opinion(100, 30, 70).confidence == doctest::Approx(1.0));
  CHECK(rsi_opinion(0, 30, 70).confidence == doctest::Approx(1.0));
}

TEST_CASE("rsi tentacle: warms up per symbol, emits, and hands its state over exactly") {
  cephalo::test::FakeHost host;
  host.parameters = {{"period", int64_t{14}}, {"oversold", 30.0}, {"overbought", 70.0}};
  cephalo::test::LoadedTentacle rsi(host);
  REQUIRE(rsi.entry_status == CEPHALO_OK);
  REQUIRE(rsi.create_status == CEPHALO_OK);
  CHECK(rsi.descriptor->kind == CEPHALO_KIND_EVALUATOR);
  CHECK(std::string(rsi.descriptor->name) == "rsi");

  const auto closes = closes_from_csv(CEPHALO_TEST_DATA_DIR "/ETH_BTC-5m.csv", 60);
  for (size_t i = 0; i < 14; ++i) {
    REQUIRE(rsi.candle("ETH/BTC", static_cast<int64_t>(i), closes[i]) == CEPHALO_OK);
  }
  CHECK(host.evaluations.empty());
  REQUIRE(rsi.candle("ETH/BTC", 14, closes[14]) == CEPHALO_OK);
  REQUIRE(host.evaluations.size() == 1);
  const double first = reference_rsi(closes, 14, 14);
  CHECK(host.evaluations[0].value == doctest::Approx(rsi_opinion(first, 30, 70).value));
  // A repeated candle, another timeframe and another symbol leave the ETH/BTC series alone.
  CHECK(rsi.candle("ETH/BTC", 14, closes[14]) == CEPHALO_OK);
  CHECK(rsi.candle("ETH/BTC", 15, 1.0, "1h") == CEPHALO_OK);
  CHECK(rsi.candle("LTC/BTC", 0, 0.01) == CEPHALO_OK);
  CHECK(host.evaluations.size() == 1);

  const std::string blob = rsi.save();
  REQUIRE(rsi.last_status == CEPHALO_OK);
  cephalo::test::FakeHost other_host;
  other_host.parameters = host.parameters;
  cephalo::test::LoadedTentacle swapped(other_host);
  REQUIRE(swapped.load(blob, rsi.descriptor->state_version) == CEPHALO_OK);
  for (size_t i = 15; i < closes.size(); ++i) {
    rsi.candle("ETH/BTC", static_cast<int64_t>(i), closes[i]);
    swapped.candle("ETH/BTC", static_cast<int64_t>(i), closes[i]);
  }
  REQUIRE(other_host.evaluations.size() == closes.size() - 15);
  for (size_t i = 0; i < other_host.evaluations.size(); ++i) {
    CHECK(other_host.evaluations[i].value == host.evaluations[i + 1].value);
    CHECK(other_host.evaluations[i].confidence == host.evaluations[i + 1].confidence);
  }
  CHECK(swapped.load(blob, rsi.descriptor->state_version + 1) == CEPHALO_ERROR);
  CHECK(swapped.load("garbage", rsi.descriptor->state_version) == CEPHALO_ERROR);
  CHECK(other_host.last_error.find("rsi") != std::string::npos);
}

TEST_CASE("rsi tentacle: create refuses thresholds on the wrong side of 50") {
  cephalo::test::FakeHost host;
  host.parameters = {{"period", int64_t{14}}, {"oversold", 60.0}, {"overbought", 70.0}};
  cephalo::test::LoadedTentacle rsi(host);
  CHECK(rsi.create_status == CEPHALO_ERROR);
  CHECK(host.last_error.find("oversold") != std::string::npos);
}
