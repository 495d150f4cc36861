#!/usr/bin/env bash
# README command 2: set up, build with warnings as errors, run the whole suite; then build and run
# it again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# A browser test must run, never be skipped: setup installs Chromium.
export CEPHALO_REQUIRE_BROWSER=1

echo "== release build, warnings are errors =="
tools/setup.sh build -DCEPHALO_WERROR=ON
(cd build && ctest --output-on-failure -j "$jobs")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
tools/setup.sh build-asan -DCEPHALO_WERROR=ON -DCEPHALO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCEPHALO_BUILD_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")
