#!/usr/bin/env bash
# Footprint of `cephalo run` in paper mode with 5 pairs (must-show 5): peak RSS (VmHWM from
# /proc/PID/status, sampled until the replay is over) and the time from process start to the first
# processed event (the loop's first task, logged just before the first candle is dispatched, in the
# JSON log; its timestamp minus the launch time). Prints one line per run and the median.
# Usage: bench/footprint.sh [BUILD_DIR] [RUNS]   (default build, 5)
set -euo pipefail
build=${1:-build}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cephalo=$(cd "$build" && pwd)/bin/cephalo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Five BTC-quoted pairs; the bundled data has three, so two replay ETH/BTC's candles under other
# names (the footprint does not depend on the prices).
cat >"$work/paper.yaml" <<YAML
mode: paper
market:
  replay_speed: 30000
  feeds:
    - {symbol: ETH/BTC, timeframe: 5m, file: $root/data/ETH_BTC-5m.csv}
    - {symbol: LTC/BTC, timeframe: 5m, file: $root/data/LTC_BTC-5m.csv}
    - {symbol: ADA/BTC, timeframe: 5m, file: $root/data/ADA_BTC-5m.csv}
    - {symbol: SOL/BTC, timeframe: 5m, file: $root/data/ETH_BTC-5m.csv}
    - {symbol: DOT/BTC, timeframe: 5m, file: $root/data/ETH_BTC-5m.csv}
pipeline:
  evaluators: [{tentacle: rsi, params: {period: 14}}]
  strategies: [{tentacle: evaluator_threshold, params: {enter_above: 0.3, exit_below: -0.3}}]
  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.15}}
backtest: {starting_cash: 1.0}
storage: {path: $work/paper.sqlite}
control: {watch_tentacles: false, watch_config: false}
run: {at_end_of_data: wait}
logging: {level: info, console: false, file: $work/paper.jsonl}
YAML

results=()
for run in $(seq "$runs"); do
  rm -f "$work/paper.sqlite"* "$work/paper.jsonl"
  start_ns=$(date +%s%N)
  "$cephalo" run -c "$work/paper.yaml" >/dev/null 2>&1 &
  pid=$!
  hwm=0
  # Sample for 3 s (the paced replay keeps the bot busy), then stop it.
  for _ in $(seq 30); do
    now=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    ((now > hwm)) && hwm=$now
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" || true
  first=$(python3 - "$work/paper.jsonl" <<'PY'
import json, sys, datetime
for line in open(sys.argv[1]):
    if "as a live market" in line:
        entry = json.loads(line)
        stamp = entry.get("time") or entry.get("timestamp") or entry.get("ts")
        t = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        print(int(t.timestamp() * 1e9))
        break
PY
)
  ms=$(( (first - start_ns) / 1000000 ))
  echo "run $run: peak RSS $((hwm / 1024)) MB ($hwm kB), start to first event $ms ms"
  results+=("$hwm $ms")
done
printf '%s\n' "${results[@]}" | sort -n -k1 | awk '{a[NR]=$1} END {print "median peak RSS: " int(a[int((NR+1)/2)]/1024) " MB (" a[int((NR+1)/2)] " kB)"}'
printf '%s\n' "${results[@]}" | sort -n -k2 | awk '{a[NR]=$2} END {print "median start to first event: " a[int((NR+1)/2)] " ms"}'
