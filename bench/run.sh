#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: builds Release, then runs the backtest benchmark on
# 1M and 10M synthetic bars (seed 42) in separate processes so each reports its own peak RSS.
# Usage: bench/run.sh [WORK_DIR]   (needs ~1.5 GB of disk for the 10M-bar CSV)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/cephalo-bench}
tools/setup.sh build
# Best of 3 runs at 1M bars, of 2 at 10M (as in BENCHMARKS.md).
for run in 1000000:3 10000000:2; do
  echo "== ${run%%:*} bars =="
  build/bin/backtest_bench "${run%%:*}" "$work" "${run##*:}"
done
echo "== A/B slots: 1, 2, 4 slots of the same strategy, 1000000 bars =="
build/bin/slots_bench 1000000 "$work"
echo "== queries (1000/s, every query in turn) while the loop replays 1000000 bars at full speed =="
build/bin/query_bench 1000000 "$work" 1000
echo "== journal: rows per second through the SQLite writer, best of 3 =="
build/bin/journal_bench 1000000 "$work" 3
