#!/usr/bin/env bash
# Must-show 4 for the faults live_trading.sh does not cover: 429, a 418 ban and -2010, switched on
# with POST /sim/faults while the real bot trades against the real simulator (300x: a 5m candle
# per second). Proof comes from the simulator's own counters in GET /sim/state (requests that
# arrived before a 429's Retry-After passed or during a ban; real -2010s for a re-used client id),
# the bot's log and its database. At the end the bot's orders, fills, balances and candles equal
# the simulator's.
# Usage: live_faults.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

# state KEY.KEY...: one value from GET /sim/state.
state() { sim_state | python3 -c "
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split('.'): value = value[key]
print(value)" "$1"; }
accepted() { log_count "live: order cph-.*: open"; }
accepted_above() { (($(accepted) > $1)); }
requests_above() { (($(state rate_limit.requests) > $1)); }

SIM_SPEED=300 start_sim --ban-seconds 3
write_config ""
start_bot
wait_candles 3
wait_for "a first order" log_has "live: order cph-"
wait_for "a first fill" log_has "live: fill ETHBTC"
[[ $(state rate_limit.requests_during_backoff) -eq 0 && $(state rate_limit.requests_during_ban) -eq 0 ]] ||
  fail "requests counted as early before any fault"

# 1. 429 with Retry-After: 3 s. The bot holds every request back until it passes (a request that
# reached the simulator before then would be counted, and banned), then trades again.
sim_post /sim/faults '{"http_429":1,"http_429_retry_after_s":3}'
wait_for "the 429" log_has ": HTTP 429"
wait_for "a request held back by the bot" log_has "not sent: the venue asked to back off (HTTP 429)"
until_ms=$(state rate_limit.retry_after_until_ms)
((until_ms > 0)) || fail "the simulator recorded no Retry-After window"
before=$(accepted)
wait_for "an order accepted after the back-off" accepted_above "$before"
[[ $(state rate_limit.requests_during_backoff) -eq 0 ]] ||
  fail "$(state rate_limit.requests_during_backoff) request(s) reached the simulator before Retry-After passed"
[[ $(state rate_limit.requests_during_ban) -eq 0 ]] || fail "the bot earned a 418 ban"
[[ $(log_count ": HTTP 429") -eq 1 ]] || fail "expected one 429 answer, found $(log_count ': HTTP 429')"
[[ $(log_count ": HTTP 418") -eq 0 ]] || fail "a 418 after the 429: the bot did not back off"
echo "live_faults 429: ok (held back $(log_count 'not sent: the venue asked to back off') request(s))"

# 2. A 418 ban of 3 s: no request at all until it ends, then requests and orders resume.
sim_post /sim/faults '{"http_418":1}'
wait_for "the 418" log_has ": HTTP 418"
wait_for "a request held back during the ban" log_has "not sent: the venue banned this IP"
banned_until=$(state rate_limit.banned_until_ms)
((banned_until > 0)) || fail "the simulator recorded no ban"
while (($(date +%s%3N) < banned_until + 200)); do sleep 0.2; done
requests=$(state rate_limit.requests)
wait_for "requests after the ban" requests_above $((requests + 1))
before=$(accepted)
wait_for "an order accepted after the ban" accepted_above "$before"
[[ $(state rate_limit.requests_during_ban) -eq 0 ]] ||
  fail "$(state rate_limit.requests_during_ban) request(s) reached the simulator during the ban"
[[ $(log_count ": HTTP 418") -eq 1 ]] || fail "expected one 418 answer, found $(log_count ': HTTP 418')"
echo "live_faults 418: ok (held back $(log_count 'not sent: the venue banned this IP') request(s))"

# 3. -2010 "Duplicate order sent." for an order the venue accepted: unknown, resolved by a query,
# never sent again (a re-send would earn a real -2010, which the simulator counts).
sim_post /sim/faults '{"duplicate_order":1}'
wait_for "an order answered -2010" log_has ": unknown - .*code -2010"
id=$(grep -o 'live: order cph-[^ ]* [^"]*: unknown - [^"]*code -2010' "$work/bot.log" | head -1 | awk '{print $3}')
[[ -n $id ]] || fail "no client id in the -2010 line"
resolved() { st=$(sql "select state from orders_live where client_order_id='$id'"); [[ $st != unknown && $st != pending_new ]]; }
wait_for "order $id resolved by query" resolved
wait_candles 3
on_venue=$(sim_state | python3 -c "import json,sys; print(sum(o['clientOrderId']=='$id' for o in json.load(sys.stdin)['orders']))")
[[ $on_venue -eq 1 ]] || fail "order $id is on the venue $on_venue times"
[[ $(state duplicate_orders_refused) -eq 0 ]] || fail "the bot re-sent an order id: $(state duplicate_orders_refused) real -2010(s)"
echo "live_faults -2010: ok ($id is $(sql "select state from orders_live where client_order_id='$id'"))"

# Graceful stop, then nothing lost: the books equal the simulator's, no early request at all.
kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly on SIGTERM"
bot_pid=
[[ $(state rate_limit.requests_during_backoff) -eq 0 && $(state rate_limit.requests_during_ban) -eq 0 ]] ||
  fail "early requests counted by the end"
python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders || fail "the books differ"
echo "live_faults: ok"
