#!/usr/bin/env bash
# README command 1: set up, build, and paper-trade the bundled data with the default config; the
# replay ends with the data and prints the summary. The database and logs go to out/. Extra
# arguments go to `cephalo run` (e.g. --set market.replay_speed=3000 to watch it at a pace).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
mkdir -p out
cd out
../build/bin/cephalo tentacles list
exec ../build/bin/cephalo run "$@"
