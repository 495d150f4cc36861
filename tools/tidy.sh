#!/usr/bin/env bash
# clang-tidy over core/ with .clang-tidy's checks; exits non-zero on any finding. Uses the
# compile database of a clang build folder, configured here (not built: core/ needs no generated
# headers). Usage: tools/tidy.sh [BUILD_DIR] [FILE_REGEX]   (default: build-tidy, every .cpp under
# core/; cli/ and sim/ (clean when they moved out of core/) with a regex, e.g. '/(cli|sim)/.*')
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-tidy}
files=${2:-^$PWD/core/.*\.cpp$}
jobs=$(nproc 2>/dev/null || echo 2)
start=$SECONDS
mkdir -p "$build_dir"
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCEPHALO_BUILD_BENCH=OFF \
  >"$build_dir/configure.log" 2>&1 || { tail -30 "$build_dir/configure.log" >&2; exit 1; }
log=$build_dir/tidy.log
status=0
run-clang-tidy -p "$build_dir" -j "$jobs" -quiet "$files" >"$log" 2>&1 || status=$?
# clang-tidy colours its findings even into a file: strip the escapes before counting.
sed -i 's/\x1b\[[0-9;]*m//g' "$log"
findings=$(grep -cE '(warning|error): .*\[[a-z-]+[a-z.-]*(,-warnings-as-errors)?\]$' "$log" || true)
if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  grep -E -A3 '(warning|error): ' "$log" | head -200 >&2
  echo "tidy: $findings findings (full log: $log)" >&2
  exit 1
fi
echo "tidy: core/ clean ($(grep -c '"file"' "$build_dir/compile_commands.json") files in the database, $((SECONDS - start)) s)"
