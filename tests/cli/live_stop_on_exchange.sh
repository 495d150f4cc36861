#!/usr/bin/env bash
# Issue 13, must-show 4: with exchange.stop_on_exchange the core's stop rests on the exchange as a
# STOP_LOSS_LIMIT once the entry fills. The bot is killed (SIGKILL); the market falls through the
# stop while it is down and the simulator fills it. After a restart the bot books that fill as the
# round trip's stop exit: the trades table holds it with exit_reason stop_loss, the entry price,
# the exit price and the quantity of the venue's own trades, and the books equal the venue's.
# Usage: live_stop_on_exchange.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

# No commission: what was bought is what the stop sells, so the round trip ends flat.
start_sim --commission 0
write_config "risk: {position: {stop_loss_fraction: 0.01}}" "pipeline:
  trading_mode:
    tentacle: dca
    params: {interval_bars: 1, quote_per_buy: 0.01, take_profit: 0, max_buys: 1}" \
  "stop_on_exchange: true"
start_bot
venue_orders() { sim_state | python3 -c 'import json,sys
for o in json.load(sys.stdin)["orders"]: print(o["clientOrderId"], o["type"], o["status"])'; }
resting_stop() { venue_orders | grep -q ' STOP_LOSS_LIMIT NEW$'; }
for _ in $(seq 40); do
  resting_stop && break
  advance 1
  sleep 0.5
done
resting_stop || fail "no stop came to rest on the exchange: $(venue_orders)"
log_has "live: resting stop_loss cph-" || fail "no 'resting stop_loss' line"
stop_id=$(venue_orders | awk '$2 == "STOP_LOSS_LIMIT" && $3 == "NEW" {print $1}')
[[ $stop_id == *.s ]] || fail "the stop's client id $stop_id does not carry its kind"

kill -9 "$bot_pid"
wait "$bot_pid" 2>/dev/null || true
bot_pid=
# The market moves while the bot is down until the venue fills the stop.
stop_status() { venue_orders | awk -v id="$stop_id" '$1 == id {print $3}'; }
for _ in $(seq 200); do
  [[ $(stop_status) == FILLED ]] && break
  advance 1
done
[[ $(stop_status) == FILLED ]] || fail "the stop never filled on the venue ($(stop_status))"

start_bot
wait_for "the stop exit booked" log_has "(stop_loss)"
python3 - "$work/live.sqlite" "$port" "$stop_id" <<'PY' || fail "the stop exit's figures"
import json, sqlite3, sys, urllib.request
db, port, stop_id = sys.argv[1:4]
state = json.load(urllib.request.urlopen("http://127.0.0.1:%s/sim/state" % port))
sells = [t for t in state["trades"] if t["clientOrderId"] == stop_id]
# The position the stop closed: the buys before it (a restarted dca may buy again after).
buys = [t for t in state["trades"] if t["isBuyer"] and sells and t["id"] < sells[0]["id"]]
assert buys and sells, (buys, sells)
qty = sum(float(t["qty"]) for t in sells)
exit_price = sum(float(t["qty"]) * float(t["price"]) for t in sells) / qty
entry = sum(float(t["qty"]) * float(t["price"]) for t in buys) / sum(float(t["qty"]) for t in buys)
rows = list(sqlite3.connect(db).execute(
    "select exit_reason, quantity, entry_price, exit_price, pnl from trades"))
assert len(rows) == 1, rows
reason, quantity, entry_price, exit_price_booked, pnl = rows[0]
assert reason == "stop_loss", reason
assert abs(quantity - qty) < 1e-9, (quantity, qty)
assert abs(entry_price - entry) < 1e-12, (entry_price, entry)
assert abs(exit_price_booked - exit_price) < 1e-12, (exit_price_booked, exit_price)
assert abs(pnl - (exit_price - entry) * qty) < 1e-12, (pnl, (exit_price - entry) * qty)
print("stop exit booked: %s ETH bought at %s, sold at %s by the resting stop, pnl %s BTC" %
      (quantity, entry_price, exit_price_booked, pnl))
PY
n=$(candles)
advance 1
wait_for "1 more candles" candles_at_least $((n + 1))
kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly"
bot_pid=
python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders || fail "the books differ"
echo "live_stop_on_exchange: ok"
