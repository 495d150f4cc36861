#!/usr/bin/env bash
# Must-show 1 of issue 6, literally: `cephalo run -c` on a copy of config/default.yaml (no --set)
# paper-trades the bundled data, stops by itself once the replay is exhausted (exit 0, summary
# printed), and the paper database (storage.path cephalo-{mode}.sqlite -> cephalo-paper.sqlite)
# holds the orders and fills.
# Usage: paper_default.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
c=$build/bin/cephalo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home CEPHALO_HOME= CEPHALO_CACHE_DIR=$work/cache
mkdir -p "$HOME"
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20
       echo "     --- bot output:"; tail -15 "$work/run.out" | sed 's/^/     /'; fi
}
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$work/cephalo-paper.sqlite" "$1"; }

# The shipped file, unchanged except that its data paths (relative to the file) point at the tree.
sed "s#file: \.\./data/#file: $source/data/#" "$source/config/default.yaml" >"$work/default.yaml"
check "the copy differs from the shipped file only in its data paths" sh -c \
  "diff '$source/config/default.yaml' '$work/default.yaml' | grep '^[<>]' | grep -v 'file: ' | wc -l | grep -qx 0"
check "the default config says mode: paper" grep -q '^mode: paper' "$work/default.yaml"

cd "$work" || exit 1
"$c" run -c "$work/default.yaml" >"$work/run.out" 2>&1 </dev/null
status=$?
check "cephalo run -c default.yaml exits 0 by itself at the end of the data" test "$status" -eq 0
check "it logs that the replay ran out of data" grep -q 'replay finished: no more market data' logs/cephalo.jsonl
check "it prints the run summary" grep -q '== Cephalo run summary ==' run.out
check "storage.path resolves to cephalo-paper.sqlite" grep -Eq '^database: +cephalo-paper.sqlite$' run.out
check "the paper database exists" test -f cephalo-paper.sqlite
check "no backtest database was written" test ! -e cephalo-backtest.sqlite
check "the run is recorded as a paper run" test "$(count "select count(*) from runs where mode = 'paper' and finished_ns is not null")" -eq 1
check "the paper database holds orders" test "$(count 'select count(*) from orders')" -gt 0
check "the paper database holds fills" test "$(count 'select count(*) from fills')" -gt 0
check "every candle of both files was replayed" test "$(count 'select count(*) from candles')" -eq \
  "$(($(grep -c . "$source/data/ETH_BTC-5m.csv") + $(grep -c . "$source/data/LTC_BTC-5m.csv") - 2))"

# A feed whose file is missing: the paper run refuses to start (it traded the other feed, or
# nothing, and exited 0 before), naming the config line and the file.
mkdir -p "$work/missing" && cd "$work/missing" || exit 1
sed "s#file: \.\./data/ETH_BTC-5m.csv#file: $work/no-such-file.csv#" "$source/config/default.yaml" |
  sed "s#file: \.\./data/#file: $source/data/#" >"$work/missing/default.yaml"
"$c" run -c "$work/missing/default.yaml" >"$work/run.out" 2>&1 </dev/null
status=$?
check "a paper run with a missing data file refuses to start" test "$status" -ne 0
check "... naming the config line and the file" grep -Eq \
  "default.yaml:[0-9]+:[0-9]+: feed ETH/BTC 5m not loaded from $work/no-such-file.csv" "$work/run.out"
check "... before the run starts" sh -c "! grep -q 'run [0-9]* started' '$work/run.out'"

echo "paper_default: $passed passed, $failed failed"
exit $((failed > 0))
