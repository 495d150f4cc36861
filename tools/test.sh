#!/usr/bin/env bash
# README command 2: set up, build with warnings as errors, run the whole suite; then build and run
# it again under AddressSanitizer + UndefinedBehaviorSanitizer; then fuzz every parser for a fixed
# time and run the multi-threaded tests under ThreadSanitizer; clang-tidy on core/ throughout.
# Each stage prints what it cost.
#
# Two cores, four builds, within CI's 90 minutes: the suites' end-to-end tests mostly wait on
# sockets and timers, so the CPU they leave idle does the other work at the lowest priority.
# The run is CPU-bound: what the background jobs cannot finish beside the suites is waited for at
# the end, so every cut is in compile or analysis work (see each stage). A fresh clone of 5203e76
# measured: release build 1024 s, release suite 508 s, ASan build 1345 s, ASan suite 877 s, then
# clang-tidy (3443 s at nice 19 since the release build) and the fuzz and TSan builds.
# Beside the release suite: clang-tidy, then the fuzz build; beside the ASan suite: the TSan
# build. Each background job's result is read before its stage runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc 2>/dev/null || echo 2)
# A browser test must run, never be skipped: setup installs Chromium.
export CEPHALO_REQUIRE_BROWSER=1
stage_start=$SECONDS
# A failed stage ends the run: the background builds end with it.
trap 'jobs -p | xargs -r kill 2>/dev/null || true' EXIT
stage_done() { echo "-- $1: $((SECONDS - stage_start)) s"; stage_start=$SECONDS; }

# tools/test.sh --quick: your own loop. Builds the release tree (incrementally) and runs the tests
# labelled `unit` (ctest -L unit: in-process, seconds each; tests/CMakeLists.txt says what each
# label means). The whole suite below is what CI runs.
if [ "${1:-}" = "--quick" ]; then
  tools/setup.sh build -DCEPHALO_WERROR=ON
  (cd build && ctest --output-on-failure -j "$jobs" -L unit)
  stage_done "quick: release build + unit tests"
  exit 0
fi

echo "== release build, warnings are errors =="
tools/setup.sh build -DCEPHALO_WERROR=ON
stage_done "release build"

# Background chain 1: clang-tidy over core/ (tools/tidy.sh: .clang-tidy's checks, any finding
# fails; ~10 CPU-minutes), then the fuzz targets' build.
mkdir -p build-tidy build-fuzz
(
  nice -n 19 tools/tidy.sh build-tidy >build-tidy/stage.log 2>&1 || exit 1
  nice -n 19 tools/fuzz.sh --build-only >build-fuzz/stage.log 2>&1 || exit 2
) &
tidy_and_fuzz_build=$!
(cd build && ctest --output-on-failure -j "$jobs")
stage_done "release suite"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
# GCC: clang 14's UBSan flags Boost.Asio's own handler allocation (signal_set_service.hpp,
# "constructor call on null pointer") and cannot instrument coroutines.
# -g1: line tables for the sanitizers' stack traces, without the full debug info that made this
# tree's compile and link a fifth slower.
tools/setup.sh build-asan -DCEPHALO_WERROR=ON -DCEPHALO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCEPHALO_BUILD_BENCH=OFF -DCEPHALO_FUZZ_REPLAYS=OFF -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
  -DCMAKE_C_FLAGS_DEBUG=-g1
# The TA-Lib comparison's Node module does not depend on this tree's flags: the one the release
# suite built is reused rather than compiled again.
if [ -d build/talib_node ] && [ ! -e build-asan/talib_node ]; then cp -a build/talib_node build-asan/; fi
stage_done "ASan + UBSan build"

# Background job 2: the ThreadSanitizer build of the multi-threaded tests: the SQLite writer
# thread, the cache writer and verifier threads, the event loop's posting threads, hot swap under
# load and the package watcher, interface tentacle threads, the exchange clients' I/O threads and
# the simulator, the control socket server, and queries answered on their own threads from the
# snapshots the loop publishes.
tsan_tests=(test_events test_storage test_data test_host test_bot test_exchange test_exchange_sim
            test_tentacle_console_log test_engine_commands fuzz_control_request)
# test_host and test_bot load the fixture and built-in tentacles, which only `all` builds (their
# add_dependencies list is empty where tests/core/host is configured): name them.
builtin_tentacles=$(sed -n 's/^cephalo_add_tentacle(\([a-z_]*\).*/\1/p' tentacles/*/*/CMakeLists.txt)
mkdir -p build-tsan
CC=clang CXX=clang++ \
  CEPHALO_BUILD_TARGETS="${tsan_tests[*]} cephalo_test_tentacles cephalo_swap_probes $(echo $builtin_tentacles)" \
  nice -n 19 tools/setup.sh build-tsan \
  -DCEPHALO_TSAN=ON -DCEPHALO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCEPHALO_BUILD_BENCH=OFF \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  >build-tsan/stage.log 2>&1 &
tsan_build=$!
# Every test but live_restart_storm, which spends most of its 2.5 minutes waiting for the venue's
# weight window to roll over; the release suite runs it, and its code (the rate limiter's waits)
# runs under ASan in test_exchange.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j "$jobs" -E '^live_restart_storm$')
stage_done "ASan + UBSan suite"

echo "== clang-tidy and the fuzz build (started after the release build) =="
chain_status=0
wait "$tidy_and_fuzz_build" || chain_status=$?
cat build-tidy/stage.log
if [ "$chain_status" -ne 0 ]; then
  [ "$chain_status" -eq 2 ] && cat build-fuzz/stage.log >&2
  exit 1
fi
cat build-fuzz/stage.log
stage_done "clang-tidy and fuzz build (what was left after the suites)"

echo "== fuzzing: every parser, 30 s each, two at a time =="
tools/fuzz.sh --no-build --seconds 30 --jobs "$jobs"
stage_done "fuzz runs"

echo "== ThreadSanitizer: the multi-threaded tests =="
if ! wait "$tsan_build"; then
  cat build-tsan/stage.log >&2
  exit 1
fi
stage_done "TSan build (what was left after the ASan suite)"
pattern=$(printf '%s|' "${tsan_tests[@]}" | sed 's/fuzz_control_request/fuzz_replay_control_request/; s/|$//')
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tools/tsan.supp" \
  ctest --output-on-failure -j "$jobs" -R "^($pattern)\$")
stage_done "TSan tests"
