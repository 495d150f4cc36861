# Shared by the live trading shell tests: start `cephalo exchange-sim` and `cephalo run` (mode:
# live) as real processes on 127.0.0.1, talk to the simulator's control endpoints, read the bot's
# SQLite database. Sourced, not run. Needs: cephalo=..., data=..., work=... set by the caller.

sim_pid=
bot_pid=
cleanup() {
  if [[ -n $bot_pid ]]; then kill -9 "$bot_pid" 2>/dev/null || true; fi
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  if [[ -n ${KEEP_WORK:-} ]]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- bot log (last 40 lines) ---" >&2
  tail -n 40 "$work/bot.log" >&2 2>/dev/null || true
  tail -n 20 "$work/bot.err" >&2 2>/dev/null || true
  exit 1
}

export LIVE_TEST_KEY=live-test-key
export LIVE_TEST_SECRET=live-test-secret

# start_sim EXTRA_ARGS...: the simulator on a free port, 30 closed candles, market time moving
# at SIM_SPEED x real time (default 0: only on /sim/advance).
start_sim() {
  "$cephalo" exchange-sim --data "$data/ETH_BTC-5m.csv" --symbol ETHBTC --interval 5m --port 0 \
    --speed "${SIM_SPEED:-0}" --history 30 --api-key "$LIVE_TEST_KEY" --api-secret-env LIVE_TEST_SECRET \
    --balances "${SIM_BALANCES:-BTC=1,ETH=0}" "$@" >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on 127.0.0.1:' "$work/sim.out" && break
    kill -0 "$sim_pid" 2>/dev/null || fail "exchange-sim exited: $(cat "$work/sim.err")"
    sleep 0.1
  done
  port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/sim.out")
  [[ -n $port ]] || fail "no 'listening on' line from exchange-sim"
}

# write_config EXTRA_YAML [PIPELINE_YAML [EXCHANGE_LINE]]: a live config against the simulator;
# by default dca buys 0.01 BTC every candle. EXCHANGE_LINE is one more key of `exchange:`.
write_config() {
  local default_pipeline="pipeline:
  trading_mode:
    tentacle: dca
    params: {interval_bars: 1, quote_per_buy: 0.01, take_profit: 0, max_buys: 0}"
  cat >"$work/live.yaml" <<YAML
mode: live
market:
  feeds:
    - {symbol: ETH/BTC, timeframe: 5m}
${2:-$default_pipeline}
exchange:
  base_url: http://127.0.0.1:$port
  ws_url: ws://127.0.0.1:$port
  api_key_env: LIVE_TEST_KEY
  api_secret_env: LIVE_TEST_SECRET
  ${3:-order_type: limit}
  staleness_ms: 1500
  poll_interval_ms: 200
  order_check_ms: 200
  unknown_grace_ms: 4000
  resync_interval_ms: 3000
  order_timeout_ms: 600000
storage: {path: $work/live.sqlite, flush_interval_ms: 50}
control: {watch_tentacles: false, watch_config: false}
logging: {level: info, console: false, file: $work/bot.log}
$1
YAML
}

# How many runs in this log got as far as streaming (0 before the log exists).
streaming_lines() {
  local n
  n=$(grep -c 'live: streaming' "$work/bot.log" 2>/dev/null) || true
  echo "${n:-0}"
}

# start_bot [ENV=VALUE...]: `cephalo run` in the background; waits until it streams.
start_bot() {
  # A restart appends to the same log: wait for this run's own 'live: streaming' line.
  local before
  before=$(streaming_lines)
  env "$@" "$cephalo" run -c "$work/live.yaml" >>"$work/bot.out" 2>>"$work/bot.err" &
  bot_pid=$!
  for _ in $(seq 300); do
    (($(streaming_lines) > before)) && return 0
    kill -0 "$bot_pid" 2>/dev/null || fail "the bot exited before streaming: $(cat "$work/bot.err")"
    sleep 0.1
  done
  fail "the bot did not start streaming"
}

# The simulator's control endpoints.
sim_post() { curl -sf -X POST "http://127.0.0.1:$port$1" -d "$2" >/dev/null || fail "POST $1 $2"; }
sim_state() { curl -sf "http://127.0.0.1:$port/sim/state"; }
advance() { sim_post /sim/advance "{\"candles\":$1}"; }

sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(*r, sep="|") for r in c.execute(sys.argv[2])]' "$work/live.sqlite" "$1"; }
candles() { sql "select count(*) from candles" 2>/dev/null || echo 0; }

# wait_for DESCRIPTION COMMAND...: polls COMMAND (true/false) for up to 20 s.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 600); do  # 60 s: generous, a loaded CI machine is slow
    if "$@"; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for: $what"
}
candles_at_least() { (($(candles) >= $1)); }
# wait_candles K: K more candles stored than now.
wait_candles() {
  local target=$(($(candles) + $1))
  wait_for "$1 more candles (to $target)" candles_at_least $target
}
log_count() { grep -c -- "$1" "$work/bot.log" || true; }
# log_count_above PATTERN N: more than N log lines match (a command for wait_for).
log_count_above() { (($(log_count "$1") > $2)); }
log_has() { grep -q -- "$1" "$work/bot.log"; }
