#!/usr/bin/env bash
# Issue 13 leftover: a stop resting on the exchange is kept in step when the core moves a trailing
# stop. The bot buys once with exchange.stop_on_exchange and a 4 % trail; as the replayed market
# makes new highs the core raises its trail, and each raise cancels the resting STOP_LOSS_LIMIT
# and places one at the new level. Checked on the simulator's own order book: the stop prices
# placed rise, every replaced stop is CANCELED (none left open, none filled), exactly one stop
# rests at the end, at the core's trail (the highest high since the entry x 0.96, to a tick), for
# the whole position; the journal and the books equal the venue's.
# Usage: live_trailing_stop.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

# No commission: what was bought is what the stop protects. The stop loss (5 %) sits below the
# trail (4 % under the high), so the trail is the level that rests on the exchange.
start_sim --commission 0
write_config "risk: {position: {stop_loss_fraction: 0.05, trailing_stop_fraction: 0.04}}" "pipeline:
  trading_mode:
    tentacle: dca
    params: {interval_bars: 1, quote_per_buy: 0.01, take_profit: 0, max_buys: 1}" \
  "stop_on_exchange: true"
start_bot

# stop_orders: the venue's STOP_LOSS_LIMIT orders, oldest first: id status stopPrice origQty.
stop_orders() { sim_state | python3 -c 'import json,sys
for o in sorted(json.load(sys.stdin)["orders"], key=lambda o: o["orderId"]):
    if o["type"] == "STOP_LOSS_LIMIT": print(o["clientOrderId"], o["status"], o["stopPrice"], o["origQty"])'; }
stops_placed() { stop_orders | wc -l; }
trail_lines() { log_count "live: resting trailing_stop cph-"; }

# The replayed data (ETH_BTC-5m after the 30 history candles) rises from about 0.0942 to 0.0976
# over the next 20 candles without a low 4 % under its running high: the trail moves up several
# times and never fills. Advance one candle at a time and let the bot act on each.
for _ in $(seq 20); do
  n=$(candles)
  advance 1
  wait_for "the next candle" candles_at_least $((n + 1))
  sleep 0.3
done
wait_for "the last replacement reaches the venue" \
  eval '(( $(stops_placed) == $(trail_lines) + $(log_count "live: resting stop_loss cph-") ))'
stop_orders >"$work/stops.txt"
cat "$work/stops.txt"
(($(trail_lines) >= 3)) || fail "the core moved its trail fewer than 3 times: $(cat "$work/stops.txt")"

python3 - "$port" "$work/stops.txt" "$work/bot.log" <<'PY' || fail "the resting stop is not in step"
import json, re, sys, urllib.request
port, stops_file, log_file = sys.argv[1:4]
state = json.load(urllib.request.urlopen("http://127.0.0.1:%s/sim/state" % port))
stops = [line.split() for line in open(stops_file)]
# The venue's book: one stop resting, every earlier one cancelled (replaced), none filled.
open_stops = [s for s in stops if s[1] == "NEW"]
assert len(open_stops) == 1, "open stops on the venue: %s" % open_stops
assert stops[-1][1] == "NEW", "the newest stop is not the open one: %s" % stops
for cid, status, _, _ in stops[:-1]:
    assert status == "CANCELED", "stop %s was not replaced but is %s" % (cid, status)
# Each replacement went up: a trail only rises.
trail_prices = [float(s[2]) for s in stops if s[0].endswith(".t")]
assert len(trail_prices) >= 3, stops
assert all(b > a for a, b in zip(trail_prices, trail_prices[1:])), trail_prices
# The bot placed exactly these, and the open one at the level it logged last.
logged = re.findall(r"live: resting (?:trailing_stop|stop_loss) (cph-\S+) ETHBTC (\S+) stop (\S+)",
                    open(log_file).read())
assert [l[0] for l in logged] == [s[0] for s in stops], (logged, stops)
assert float(logged[-1][2]) == float(open_stops[0][2]), (logged[-1], open_stops)
# For the whole position: the ETH the venue holds.
eth = [b for b in state["balances"] if b["asset"] == "ETH"][0]
held = float(eth["free"]) + float(eth["locked"])
assert abs(float(open_stops[0][3]) - held) < 1e-12, (open_stops, held)
# At the core's trail: the highest high since the entry x (1 - 0.04), to a tick (the simulator's
# tick is 0.000001). The bot bought on the first candles after the 30 history candles, whose highs
# are below the later ones, so the highest high of every candle since then is the trail's.
buy = [t for t in state["trades"] if t["isBuyer"]]
assert len(buy) == 1, buy
klines = json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/api/v3/klines?symbol=ETHBTC&interval=5m&limit=1000" % port))
since_entry = [float(k[2]) for k in klines[30:]]
expected = max(since_entry) * 0.96
stop_price = float(open_stops[0][2])
assert abs(stop_price - expected) <= 1e-6 + 1e-12, (stop_price, expected)
print("trailing stop kept in step: %d stops placed, the last at %s for %s ETH (trail %.8f)" %
      (len(stops), open_stops[0][2], open_stops[0][3], expected))
PY

kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly"
bot_pid=
python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders || fail "the books differ"
echo "live_trailing_stop: ok"
