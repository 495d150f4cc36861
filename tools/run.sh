#!/usr/bin/env bash
# README command 1: set up, build, and run the bot with the default config on the bundled data.
# The database and logs go to out/. Extra arguments go to `cephalo run` (e.g. --set mode=paper).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
mkdir -p out
cd out
../build/bin/cephalo tentacles list
exec ../build/bin/cephalo run "$@"
