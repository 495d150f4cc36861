#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and runs each for a fixed
# time, two at a time. CI runs `tools/fuzz.sh --seconds 40`; nightly, e.g. `--seconds 1800`.
#   tools/fuzz.sh [--seconds N] [--jobs N] [--build-dir DIR] [--build-only | --no-build] [TARGET...]
# (default: every target; --build-only builds and stops, --no-build runs what an earlier
# --build-only built: tools/test.sh builds while other stages wait on sockets.)
# Each target's working corpus is BUILD_DIR/corpus/TARGET, seeded from tests/fuzz/seeds.txt (the
# repository's real files) and tests/fuzz/regressions/TARGET, and kept between runs. A crash,
# timeout, leak or out-of-memory input is copied to tests/fuzz/regressions/TARGET/ (commit it: ctest
# replays it in every build from then on) and the run fails. The table at the end gives each
# target's executions.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=40
jobs=2
build_dir=build-fuzz
targets=()
build=1
run=1
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --build-only) run=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(awk '/^[a-z]/ {print $1}' tests/fuzz/seeds.txt | sort -u)
fi

if [ "$build" -eq 1 ]; then
  echo "== fuzz build (clang, libFuzzer + ASan + UBSan) into $build_dir =="
  start=$SECONDS
  # Only the fuzz targets and what they link are built; the rest of the tree is only configured.
  # -O0: CI builds four trees on two cores, and this one compiles in well under half the time it
  # takes at -O1; the inputs run slower (fewer executions in a fixed time), never differently.
  CC=clang CXX=clang++ CEPHALO_BUILD_TARGETS=fuzz_targets \
    tools/setup.sh "$build_dir" -DCEPHALO_FUZZ=ON -DCEPHALO_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCEPHALO_BUILD_BENCH=OFF \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -g1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -g1 -DNDEBUG"
  echo "fuzz build: $((SECONDS - start)) s"
fi
[ "$run" -eq 1 ] || exit 0

# libFuzzer cuts every input to this; the seeds above it (whole candle files) are cut too.
max_len=16384
summary="$build_dir/fuzz-summary.txt"
: >"$summary"

seed_corpus() {
  local target=$1 corpus=$build_dir/corpus/$1
  mkdir -p "$corpus"
  local folder pattern
  while read -r name folder pattern; do
    [ "$name" = "$target" ] || continue
    while IFS= read -r -d '' file; do
      # Named by content, so reseeding never duplicates an input.
      cp "$file" "$corpus/seed-$(sha1sum <"$file" | cut -c1-16)"
    done < <(find "$folder" -type f -name "$pattern" ! -name README.md -print0)
  done < <(grep -E '^[a-z]' tests/fuzz/seeds.txt)
  if [ -d "tests/fuzz/regressions/$target" ]; then
    find "tests/fuzz/regressions/$target" -type f ! -name README.md -exec cp {} "$corpus/" \;
  fi
}

run_target() {
  local target=$1
  local binary=$build_dir/bin/fuzz_$target artifacts=$build_dir/artifacts/$target
  local log=$build_dir/fuzz-$target.log
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  seed_corpus "$target"
  local status=0
  # -timeout: one input may take 10 s at most (a hang is a finding); -rss_limit_mb: so is 2 GB.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$binary" "$build_dir/corpus/$target" -max_total_time="$seconds" -max_len=$max_len \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 || status=$?
  local execs rate found=ok
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$status" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
    found=FAILED
    mkdir -p "tests/fuzz/regressions/$target"
    for artifact in "$artifacts"/*; do
      [ -e "$artifact" ] || continue
      cp "$artifact" "tests/fuzz/regressions/$target/"
      echo "fuzz: $target: saved $(basename "$artifact") to tests/fuzz/regressions/$target/" >&2
    done
    grep -E -m 20 'ERROR|SUMMARY|invariant broken|==[0-9]+==' "$log" >&2 || tail -30 "$log" >&2
  fi
  printf '%-16s %12s execs %8s/s  corpus %5s  %s\n' "$target" "${execs:-?}" "${rate:-?}" \
    "$(find "$build_dir/corpus/$target" -type f | wc -l)" "$found" >>"$summary"
  [ "$found" = ok ]
}

echo "== fuzzing ${#targets[@]} targets for $seconds s each, $jobs at a time =="
start=$SECONDS
failed=0
running=0
for target in "${targets[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
sort "$summary"
echo "fuzz runs: $((SECONDS - start)) s"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed; its input is in tests/fuzz/regressions/ (replay: ctest -R fuzz_replay)" >&2
  exit 1
fi
