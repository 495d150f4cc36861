#!/usr/bin/env bash
# Must-show 2 and 4: `cephalo run` in mode live trades against `cephalo exchange-sim` through
# WebSocket and REST (both real processes; the simulator's market runs at 300x, a 5m candle per
# second). Faults are switched on one after another: dropped and refused sockets (REST polling
# takes over and hands back, gaps backfilled), a silent stream, 5xx after an order was accepted
# (unknown, resolved by query, not re-sent), orders a query does not find for a while (grace, not
# re-sent), clock skew (-1021, resync), a 418 ban (no request until it ends). At the end the
# bot's orders, fills, balances and candles equal the simulator's.
# Usage: live_trading.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

SIM_SPEED=300 start_sim --ban-seconds 2
write_config ""
start_bot

# Plain trading over the stream: each candle closes, dca places a limit buy, later candles fill.
wait_candles 3
wait_for "a first order" log_has "live: order cph-"
wait_for "a first fill" log_has "live: fill ETHBTC"
log_has "market data fallback" && fail "REST polling used while the stream was up"

# 1. Sockets dropped and refused: the feed falls back to REST polling, candles keep coming.
sim_post /sim/faults '{"drop_websockets":true,"reject_websockets":true}'
wait_for "fallback to REST polling" log_has "market data fallback"
wait_candles 3
sim_post /sim/faults '{"reject_websockets":false}'
wait_for "the stream back" log_has "market data recovered"
wait_for "the user data stream back" log_count_above 'user data stream connected' 1
wait_candles 2

# 2. A silent stream (sockets open, no data): stale, REST polling, candles not missed.
stale=$(log_count "market data stale")
sim_post /sim/faults '{"silence_ms":4000}'
wait_for "the silence noticed" log_count_above 'market data stale' "$stale"
wait_candles 2
sleep 3
wait_candles 2

# 3. 5xx after the venue accepted the order: unknown, then found by query, never sent again.
sim_post /sim/faults '{"order_5xx":1}'
wait_for "an order answered 503" log_has ": unknown - "
# 4. Same, and the venue's query path does not show it for 2 s (within the 4 s grace).
sim_post /sim/faults '{"order_5xx":1,"order_query_hidden_ms":2000}'
wait_for "a second order answered 503" log_count_above ': unknown - ' 1
sleep 3
sim_post /sim/faults '{"order_query_hidden_ms":0}'
wait_candles 2

# 5. Clock skew: the venue's clock jumps 10 s ahead; -1021, then the offset is measured again.
sim_post /sim/faults '{"clock_skew_ms":10000}'
wait_for "a -1021 answer" log_has "code -1021"
wait_candles 3
orders_before=$(log_count "live: order cph-.*: open")
wait_candles 2
(($(log_count "live: order cph-.*: open") > orders_before)) || fail "no order accepted after the resync"

# 6. A 418 ban of 2 s: requests stop until it ends (refused locally, never sent), then resume.
sim_post /sim/faults '{"http_418":1}'
wait_for "the 418" log_has ": HTTP 418"
sleep 2.5
wait_candles 3
sleep 1

# Graceful stop: open orders cancelled (run.on_shutdown: cancel), balances stored.
kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly on SIGTERM"
bot_pid=
log_has "open orders cancelled" || fail "no shutdown line"

# The venue answered 418 once (the injected one); during the ban requests were held back here
# ("not sent: the venue banned this IP"), so no second 418 was earned.
n418=$(log_count ": HTTP 418")
[[ $n418 -eq 1 ]] || fail "expected exactly one 418 answer (the injected one), found $n418: a request was sent during the ban"
log_has "not sent: the venue banned this IP" || fail "no request was held back during the ban"
python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders || fail "the books differ"
# The orders the 503s hit: each is on the venue exactly once and resolved in the journal.
ids=$(grep -o 'live: order cph-[^ ]* [^"]*: unknown - ' "$work/bot.log" | awk '{print $3}')
[[ $(echo "$ids" | wc -w) -eq 2 ]] || fail "expected two orders answered 503, found: $ids"
for id in $ids; do
  count=$(sim_state | python3 -c "import json,sys; print(sum(o['clientOrderId']=='$id' for o in json.load(sys.stdin)['orders']))")
  [[ $count -eq 1 ]] || fail "order $id answered 503 is on the venue $count times"
  st=$(sql "select state from orders_live where client_order_id='$id'")
  [[ $st != unknown && $st != rejected ]] || fail "order $id left $st"
done
echo "live_trading: ok"
