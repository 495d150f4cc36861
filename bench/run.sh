#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: builds Release, then runs the backtest benchmark on
# 1M and 10M synthetic bars (seed 42) in separate processes so each reports its own peak RSS.
# Usage: bench/run.sh [WORK_DIR]   (needs ~1.5 GB of disk for the 10M-bar CSV)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/cephalo-bench}
# A build without tests, with link-time optimisation (CEPHALO_LTO=OFF bench/run.sh reproduces the
# default build's figures; both are in BENCHMARKS.md).
lto=${CEPHALO_LTO:-ON}
build=build-bench-lto-$lto
tools/setup.sh "$build" -DCEPHALO_LTO="$lto" -DCEPHALO_BUILD_TESTS=OFF
for bars in 1000000 10000000; do
  echo "== $bars bars =="
  "$build"/bin/backtest_bench "$bars" "$work"
done
echo "== A/B slots: 1, 2, 4 slots of the same strategy, 1000000 bars =="
"$build"/bin/slots_bench 1000000 "$work"
