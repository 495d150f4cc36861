// Synthetic candles from a seeded geometric random walk, identical for one seed on every machine.
// Thread-safety: RandomWalk is one generator per thread; generate_random_walk is reentrant.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "model/result.hpp"

namespace cephalo {

struct RandomWalkSpec {
  int64_t bars = 0;
  uint64_t seed = 0;
  int64_t start_ms = 1'577'836'800'000;  // first candle open, epoch ms UTC (2020-01-01T00:00Z)
  int64_t interval_ms = 60'000;
  double start_price = 100.0;  // quote currency; within [1e-100, 1e100]
  double volatility = 0.001;   // standard deviation of each bar's log return; within [0, 1]
};

// Each bar: open = the previous close; close = open * e^(volatility * z); high and low extend
// max/min(open, close) by e^(volatility * |z| / 2); volume = 1000 * e^(z / 2); z standard
// normal. The log price reflects at +-100 around the start, so no seed or volatility can reach
// 0 or infinity. Every bar passes load_ohlcv's checks.
// Reproducibility: mt19937_64 (its output sequence is fixed by the C++ standard), doubles from
// its top 53 bits, normals by the polar form of Box-Muller with portable_log, prices with
// portable_exp: no std:: distribution or libm result whose bits vary between libraries.
class RandomWalk {
 public:
  // Precondition: spec passes check_random_walk_spec().
  explicit RandomWalk(const RandomWalkSpec& spec);

  OhlcvBar next();

 private:
  double uniform();  // [0, 1)
  double normal();

  RandomWalkSpec spec_;
  std::mt19937_64 engine_;
  int64_t index_ = 0;
  double log_price_ = 0;  // ln(price / start_price)
  double close_;
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

// Errors name the field and the allowed range.
Status check_random_walk_spec(const RandomWalkSpec& spec);

// All bars at once; for tens of millions, stream RandomWalk::next() into an OhlcvCsvWriter.
Result<std::vector<OhlcvBar>> generate_random_walk(const RandomWalkSpec& spec);

}  // namespace cephalo
