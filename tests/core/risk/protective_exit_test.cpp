// The within-bar rules: stop, take profit and trail at exact prices, gaps, and stop-first.
#include "risk/protective_exit.hpp"

#include <doctest/doctest.h>

namespace {

using namespace cephalo;

BarPrices bar(double open, double high, double low, double close) {
  return BarPrices{open, high, low, close};
}

TEST_CASE("long stop: hit inside the bar fills at the stop, gapped through fills at the open") {
  const ProtectiveLevels levels{95, 0, 0};
  CHECK_FALSE(protective_exit_in_bar(true, levels, bar(100, 101, 95.01, 96)));
  auto hit = protective_exit_in_bar(true, levels, bar(100, 101, 95, 96));
  REQUIRE(hit);
  CHECK(hit->reason == ProtectiveExitReason::kStopLoss);
  CHECK(hit->price == 95);
  CHECK(hit->level == 95);
  CHECK_FALSE(hit->gapped);
  auto gap = protective_exit_in_bar(true, levels, bar(93, 94, 92, 93.5));
  REQUIRE(gap);
  CHECK(gap->price == 93);
  CHECK(gap->gapped);
}

TEST_CASE("long take profit: at the target, or at the open when it gapped above it") {
  const ProtectiveLevels levels{0, 110, 0};
  CHECK_FALSE(protective_exit_in_bar(true, levels, bar(100, 109.99, 99, 105)));
  auto hit = protective_exit_in_bar(true, levels, bar(100, 110, 99, 105));
  REQUIRE(hit);
  CHECK(hit->reason == ProtectiveExitReason::kTakeProfit);
  CHECK(hit->price == 110);
  auto gap = protective_exit_in_bar(true, levels, bar(112, 115, 111, 113));
  REQUIRE(gap);
  CHECK(gap->price == 112);
  CHECK(gap->gapped);
}

TEST_CASE("both touched in one bar: the stop is assumed first") {
  const ProtectiveLevels levels{95, 110, 0};
  auto both = protective_exit_in_bar(true, levels, bar(100, 111, 94, 105));
  REQUIRE(both);
  CHECK(both->reason == ProtectiveExitReason::kStopLoss);
  CHECK(both->price == 95);
  // A gap above the target is the bar's first trade: the stop cannot have come first there.
  auto gap_up = protective_exit_in_bar(true, levels, bar(111, 112, 94, 100));
  REQUIRE(gap_up);
  CHECK(gap_up->reason == ProtectiveExitReason::kTakeProfit);
  CHECK(gap_up->price == 111);
}

TEST_CASE("short mirrors the long rules") {
  const ProtectiveLevels levels{105, 90, 0};
  auto stop = protective_exit_in_bar(false, levels, bar(100, 105, 99, 101));
  REQUIRE(stop);
  CHECK(stop->reason == ProtectiveExitReason::kStopLoss);
  CHECK(stop->price == 105);
  auto gap = protective_exit_in_bar(false, levels, bar(107, 108, 106, 107));
  REQUIRE(gap);
  CHECK(gap->price == 107);
  CHECK(gap->gapped);
  auto target = protective_exit_in_bar(false, levels, bar(100, 104, 90, 95));
  REQUIRE(target);
  CHECK(target->reason == ProtectiveExitReason::kTakeProfit);
  CHECK(target->price == 90);
  auto both = protective_exit_in_bar(false, levels, bar(100, 106, 89, 95));
  REQUIRE(both);
  CHECK(both->reason == ProtectiveExitReason::kStopLoss);
  CHECK(both->price == 105);
  CHECK_FALSE(protective_exit_in_bar(false, levels, bar(100, 104.9, 90.1, 100)));
}

TEST_CASE("the tighter of fixed stop and trail fires, named after the one that was tighter") {
  auto trail = protective_exit_in_bar(true, ProtectiveLevels{95, 0, 98}, bar(100, 101, 97, 99));
  REQUIRE(trail);
  CHECK(trail->reason == ProtectiveExitReason::kTrailingStop);
  CHECK(trail->price == 98);
  auto fixed = protective_exit_in_bar(true, ProtectiveLevels{95, 0, 94}, bar(100, 101, 94, 99));
  REQUIRE(fixed);
  CHECK(fixed->reason == ProtectiveExitReason::kStopLoss);
  CHECK(fixed->price == 95);
}

TEST_CASE("entry levels: fraction, ATR and signal stops; the nearest one wins") {
  PositionRiskConfig config;
  config.stop_loss_fraction = 0.05;
  config.take_profit_fraction = 0.1;
  ProtectiveLevels levels = entry_levels(config, true, 100, 0, 0, 0);
  CHECK(levels.stop == doctest::Approx(95).epsilon(1e-12));
  CHECK(levels.target == doctest::Approx(110).epsilon(1e-12));
  config.stop_loss_atr_multiple = 2;
  CHECK(entry_levels(config, true, 100, 0, 0, 1.5).stop == 97);  // 100 − 2 × 1.5
  CHECK(entry_levels(config, true, 100, 98, 104, 1.5).stop == 98);
  CHECK(entry_levels(config, true, 100, 98, 104, 1.5).target == 104);
  // A signal stop farther than the engine's does not loosen it; one on the wrong side is ignored.
  CHECK(entry_levels(config, true, 100, 90, 0, 0).stop == doctest::Approx(95));
  CHECK(entry_levels(config, true, 100, 101, 0, 0).stop == doctest::Approx(95));
  const ProtectiveLevels short_levels = entry_levels(config, false, 100, 0, 0, 1);
  CHECK(short_levels.stop == 102);
  CHECK(short_levels.target == doctest::Approx(90));
  CHECK(entry_levels(PositionRiskConfig{}, true, 100, 0, 0, 3).stop == 0);
}

TEST_CASE("the trail arms after the activation offset and ratchets from earlier bars only") {
  PositionRiskConfig config;
  config.trailing_stop_fraction = 0.1;
  config.trailing_activation_fraction = 0.05;
  TrailState trail{100, false};
  ProtectiveLevels levels;
  advance_trail(config, true, 100, bar(100, 104, 99, 103), trail, levels);
  CHECK_FALSE(trail.armed);
  CHECK(levels.trailing_stop == 0);
  advance_trail(config, true, 100, bar(103, 110, 102, 108), trail, levels);
  CHECK(trail.armed);
  CHECK(levels.trailing_stop == doctest::Approx(99));
  // The next bar is judged on 99, even though its own high of 120 would trail at 108.
  auto hit = protective_exit_in_bar(true, levels, bar(108, 120, 100, 118));
  CHECK_FALSE(hit);
  advance_trail(config, true, 100, bar(108, 120, 100, 118), trail, levels);
  CHECK(levels.trailing_stop == doctest::Approx(108));
  // Lower highs never loosen it.
  advance_trail(config, true, 100, bar(115, 116, 109, 110), trail, levels);
  CHECK(levels.trailing_stop == doctest::Approx(108));
}

}  // namespace
