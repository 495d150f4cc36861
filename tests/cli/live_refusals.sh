#!/usr/bin/env bash
# Issue 13: the start-up checks refuse what cannot trade, before any order, with the reason: a
# read-only API key (POST /api/v3/order/test answers -2015), a symbol whose status is not
# TRADING; and what must not stop a start does not: an open STOP_LOSS_LIMIT placed by hand on
# the traded symbol is tracked, reported and left alone (exchange.foreign_orders: ignore), then
# cancelled at the next start with foreign_orders: cancel.
# Usage: live_refusals.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
work=$root
source "$here/live_common.sh"

# run_refused CASE PATTERN SIM_ARGS...: the bot exits non-zero, saying PATTERN, sending no order.
run_refused() {
  local name=$1 pattern=$2
  shift 2
  work=$root/$name
  mkdir -p "$work"
  start_sim "$@"
  write_config ""
  local status=0
  "$cephalo" run -c "$work/live.yaml" >"$work/bot.out" 2>"$work/bot.err" || status=$?
  [[ $status -ne 0 ]] || fail "$name: the bot started"
  grep -q -- "$pattern" "$work/bot.err" || fail "$name: no '$pattern' in: $(cat "$work/bot.err")"
  local orders
  orders=$(sim_state | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["orders"]))')
  [[ $orders -eq 0 ]] || fail "$name: $orders orders reached the venue"
  kill "$sim_pid"
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=
}

run_refused read_only "the API key may not trade" --read-only-key
run_refused halted "exchangeInfo status is BREAK, not TRADING" --symbol-status BREAK

# An exchange.name the registry does not know: refused by `config validate` and by `run`, at the
# key's file:line, with the names it knows (issue 15, must-show 6).
work=$root/unknown_exchange
mkdir -p "$work"
port=1
write_config ""
sed -i 's/^exchange:$/exchange:\n  name: kraken/' "$work/live.yaml"
line=$(grep -n '^  name: kraken$' "$work/live.yaml" | cut -d: -f1)
for command in "config validate" "run -c"; do
  status=0
  # shellcheck disable=SC2086
  "$cephalo" $command "$work/live.yaml" >"$work/out.txt" 2>&1 || status=$?
  [[ $status -ne 0 ]] || fail "$command accepted exchange.name: kraken"
  grep -q "live.yaml:$line:[0-9]*: exchange.name: expected one of binance; found 'kraken'" \
    "$work/out.txt" || fail "$command: no file:line refusal naming the known exchanges: $(cat "$work/out.txt")"
done

# A foreign STOP_LOSS_LIMIT (placed by hand with the same key) is on the account at start; its
# price is inside PERCENT_PRICE_BY_SIDE's band (0.2 to 5 times the average price of about 0.094).
work=$root/foreign
mkdir -p "$work"
SIM_BALANCES=BTC=1,ETH=2 start_sim
python3 - "$port" <<'PY' || fail "placing the foreign order"
import hashlib, hmac, json, sys, time, urllib.request
port = sys.argv[1]
query = ("symbol=ETHBTC&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=1&price=0.02"
         "&stopPrice=0.021&newClientOrderId=by-hand-1&recvWindow=5000&timestamp=%d" % (time.time() * 1000))
sig = hmac.new(b"live-test-secret", query.encode(), hashlib.sha256).hexdigest()
request = urllib.request.Request("http://127.0.0.1:%s/api/v3/order?%s&signature=%s" % (port, query, sig),
                                 method="POST", headers={"X-MBX-APIKEY": "live-test-key"})
print(json.load(urllib.request.urlopen(request))["status"])
PY
write_config ""
start_bot
log_has "foreign order ETHBTC SELL STOP_LOSS_LIMIT 1 @ 0.02 stop 0.021, client id by-hand-1" ||
  fail "the foreign order was not reported"
log_has "ignored (exchange.foreign_orders: ignore)" || fail "the foreign order was not ignored"
n=$(candles)
advance 2
wait_for "2 more candles" candles_at_least $((n + 2))
kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly"
bot_pid=
status=$(sim_state | python3 -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin)["orders"] if o["clientOrderId"]=="by-hand-1"][0])')
[[ $status == NEW ]] || fail "the ignored foreign order was touched: $status"
# The next start cancels it, as configured.
write_config "" "" "foreign_orders: cancel"
start_bot
log_has "client id by-hand-1, venue id 1: cancelled (exchange.foreign_orders: cancel)" ||
  fail "the foreign order was not cancelled"
kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly"
bot_pid=
status=$(sim_state | python3 -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin)["orders"] if o["clientOrderId"]=="by-hand-1"][0])')
[[ $status == CANCELED ]] || fail "the foreign order is $status, not CANCELED"
echo "live_refusals: ok"
