#!/usr/bin/env bash
# The reference SMA crossover configuration, run by `cephalo backtest` on bundled real data and on a
# crafted gap-up file (which forces rejected entries), must equal the independent Python
# implementation; and two runs must give byte-identical JSON.
# Usage: reference_backtest.sh CEPHALO SOURCE_DIR
set -uo pipefail
cephalo=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 "$source/tests/backtest/make_gap_data.py" "$work/GAP_TEST-5m.csv"
config=$source/config/examples/sma_crossover_reference.yaml
passed=0 failed=0
for data in "$source"/data/ETH_BTC-5m.csv "$source"/data/LTC_BTC-5m.csv "$source"/data/ADA_BTC-5m.csv \
            "$source"/data/XRP_ETH-5m.csv "$source"/data/ETH_BTC-1m.csv "$work/GAP_TEST-5m.csv"; do
  name=$(basename "$data" .csv)
  if "$cephalo" backtest -c "$config" --data "$data" --json "$work/$name.json" >"$work/$name.log" 2>&1 &&
     python3 "$source/tests/backtest/reference_sma_crossover.py" "$data" >"$work/$name.ref.json" &&
     python3 "$source/tests/backtest/compare_with_reference.py" "$work/$name.json" "$work/$name.ref.json"; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; tail -20 "$work/$name.log"
  fi
done
# Each into a fresh database, so the report's run_id (1) is the same too.
"$cephalo" backtest -c "$config" --set storage.path="$work/again.sqlite" --json "$work/again.json" >/dev/null 2>&1
"$cephalo" backtest -c "$config" --set storage.path="$work/again2.sqlite" --json "$work/again2.json" >/dev/null 2>&1
if cmp -s "$work/again.json" "$work/again2.json" && [ -s "$work/again.json" ]; then
  passed=$((passed + 1)); echo "ok   two runs give byte-identical JSON"
else
  failed=$((failed + 1)); echo "FAIL two runs differ"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
