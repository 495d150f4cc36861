#!/usr/bin/env bash
# README command 2: set up, build with warnings as errors, run the whole suite; then build and run
# it again under AddressSanitizer + UndefinedBehaviorSanitizer, with clang-tidy on core/ beside
# both; then fuzz every parser for a fixed time and run the multi-threaded tests under
# ThreadSanitizer. Each stage prints what it cost.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc 2>/dev/null || echo 2)
# A browser test must run, never be skipped: setup installs Chromium.
export CEPHALO_REQUIRE_BROWSER=1
stage_start=$SECONDS
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
# clang-tidy over core/ (tools/tidy.sh: .clang-tidy's checks, any finding fails) runs beside the
# two suites at the lowest priority: their end-to-end tests mostly wait on sockets and timers, and
# the CPU they leave idle does the analysis (~10 CPU-minutes). Its result is read after ASan.
mkdir -p build-tidy
nice -n 19 tools/tidy.sh build-tidy >build-tidy/stage.log 2>&1 &
tidy_pid=$!
(cd build && ctest --output-on-failure -j "$jobs")
stage_done "release build + suite"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
tools/setup.sh build-asan -DCEPHALO_WERROR=ON -DCEPHALO_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCEPHALO_BUILD_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")
stage_done "ASan + UBSan build + suite"

echo "== clang-tidy on core/ (started with the release suite) =="
if ! wait "$tidy_pid"; then
  cat build-tidy/stage.log >&2
  exit 1
fi
cat build-tidy/stage.log
stage_done "clang-tidy (what was left after the suites)"

echo "== fuzzing: every parser, 30 s each, two at a time =="
tools/fuzz.sh --seconds 30 --jobs "$jobs"
stage_done "fuzz build + runs"

echo "== ThreadSanitizer: the multi-threaded tests =="
# The SQLite writer thread, the cache writer and verifier threads, the event loop's posting
# threads, hot swap under load and the package watcher, interface tentacle threads, the exchange
# clients' I/O threads and the simulator, the control socket server, and queries answered on
# their own threads from the snapshots the loop publishes.
tsan_tests=(test_events test_storage test_data test_host test_bot test_exchange test_exchange_sim
            test_tentacle_console_log test_engine_commands fuzz_control_request)
# test_host and test_bot load the fixture and built-in tentacles, which only `all` builds (their
# add_dependencies list is empty where tests/core/host is configured): name them.
builtin_tentacles=$(sed -n 's/^cephalo_add_tentacle(\([a-z_]*\).*/\1/p' tentacles/*/*/CMakeLists.txt)
CC=clang CXX=clang++ \
  CEPHALO_BUILD_TARGETS="${tsan_tests[*]} cephalo_test_tentacles cephalo_swap_probes $(echo $builtin_tentacles)" \
  tools/setup.sh build-tsan \
  -DCEPHALO_TSAN=ON -DCEPHALO_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCEPHALO_BUILD_BENCH=OFF
pattern=$(printf '%s|' "${tsan_tests[@]}" | sed 's/fuzz_control_request/fuzz_replay_control_request/; s/|$//')
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tools/tsan.supp" \
  ctest --output-on-failure -j "$jobs" -R "^($pattern)\$")
stage_done "TSan build + threaded tests"
