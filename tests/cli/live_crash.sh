#!/usr/bin/env bash
# Must-show 3: the live bot killed with SIGKILL (a) after an order is committed but before it is
# sent, (b) after it is sent but before the answer is applied, (c) after a fill but before it is
# stored, through the test-only crash points (CEPHALO_CRASH_AT, core/app/crash_point.hpp). After a
# restart against the same simulator and database: no duplicate order, no untracked order, and
# orders, fills and balances equal the simulator's.
# Usage: live_crash.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
work=$root

crash_case() {
  local point=$1
  work=$root/$point
  mkdir -p "$work"
  : >"$work/bot.log"
  start_sim
  write_config ""
  start_bot CEPHALO_CRASH_AT="$point"
  local pid=$bot_pid
  for _ in $(seq 12); do
    kill -0 "$pid" 2>/dev/null || break
    advance 1
    sleep 0.7
  done
  local status=0
  wait "$pid" || status=$?
  bot_pid=
  [[ $status -eq 137 ]] || fail "$point: the bot did not die by SIGKILL (exit status $status)"
  local first
  first=$(sql "select client_order_id from orders_live order by created_ns limit 1")
  [[ -n $first ]] || fail "$point: no order was committed before the crash"

  start_bot  # same database, no crash point
  local n
  n=$(candles)
  advance 2
  wait_for "two candles after the restart" candles_at_least $((n + 2))
  sleep 1
  kill -TERM "$bot_pid"
  wait "$bot_pid" || fail "$point: the restarted bot did not exit cleanly"
  bot_pid=

  local on_venue
  on_venue=$(sim_state | python3 -c "import json,sys; print(sum(o['clientOrderId']=='$first' for o in json.load(sys.stdin)['orders']))")
  case $point in
    after_commit)
      [[ $on_venue -eq 0 ]] || fail "after_commit: the unsent order $first reached the venue (re-sent?)"
      [[ $(sql "select state from orders_live where client_order_id='$first'") == rejected ]] ||
        fail "after_commit: the unsent order $first is not marked as never placed"
      ;;
    after_send)
      [[ $on_venue -eq 1 ]] || fail "after_send: order $first is on the venue $on_venue times"
      ;;
    before_fill_stored)
      log_has "fills recovered" || fail "before_fill_stored: no recovery logged"
      [[ $(sql "select count(*) from fills") -ge 1 ]] || fail "before_fill_stored: no fill stored"
      ;;
  esac
  python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders --no-candles ||
    fail "$point: the books differ after the restart"
  kill "$sim_pid"
  wait "$sim_pid" || true
  sim_pid=
  echo "live_crash $point: ok"
}

source "$here/live_common.sh"
work=$root
trap 'work=$root; cleanup' EXIT
for point in after_commit after_send before_fill_stored; do
  crash_case "$point"
done

# Reconciliation fails: an open order on the account that this bot's journal does not know. The
# bot refuses to trade, says why, and sends nothing.
work=$root/refusal
mkdir -p "$work"
start_sim
write_config ""
python3 - "$port" <<'PY'
import hashlib, hmac, sys, time, urllib.request
port = sys.argv[1]
query = ("symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.01"
         "&newClientOrderId=manual-1&recvWindow=5000&timestamp=%d" % int(time.time() * 1000))
signature = hmac.new(b"live-test-secret", query.encode(), hashlib.sha256).hexdigest()
request = urllib.request.Request("http://127.0.0.1:%s/api/v3/order?%s&signature=%s"
                                 % (port, query, signature), method="POST",
                                 headers={"X-MBX-APIKEY": "live-test-key"})
urllib.request.urlopen(request).read()
PY
status=0
"$cephalo" run -c "$work/live.yaml" >"$work/bot.out" 2>"$work/bot.err" || status=$?
[[ $status -ne 0 ]] || fail "the bot traded although reconciliation failed"
grep -q "reconciliation with the venue failed; not trading" "$work/bot.err" ||
  fail "no clear refusal: $(cat "$work/bot.err")"
grep -q "manual-1" "$work/bot.err" || fail "the refusal does not name the unknown order"
orders=$(sim_state | python3 -c "import json,sys; print(len(json.load(sys.stdin)['orders']))")
[[ $orders -eq 1 ]] || fail "the refusing bot sent orders ($orders on the venue)"
echo "live_crash refusal: ok"
echo "live_crash: ok"
