#!/usr/bin/env bash
# Promoting an A/B slot while trading live: `cephalo run` (mode: live, two dca slots) against
# `cephalo exchange-sim` (both real processes, a 5m candle per second). Slot A trades the real
# account and buys 0.01 BTC of ETH every candle; slot B shadows it on paper buying 0.03 BTC.
# `cephalo slots promote B` over the control socket stays pending while A holds ETH (dca never
# sells); `--now` sells A's position at market and the switch follows. Then the simulator's orders
# are A's (0.01 BTC buys and the exit) before the switch and B's (0.03 BTC buys) after it, none of
# A's; A continues on paper ("A/p1/..." orders); the real ETH at the end is what B bought (plus
# at most A's fee dust); the bot's books equal the simulator's.
# Usage: live_promote.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

SIM_SPEED=300 start_sim
write_config "backtest: {starting_cash: 1.0}" "pipeline: {}
slots:
  - name: A
    trading_mode:
      tentacle: dca
      params: {interval_bars: 1, quote_per_buy: 0.01, take_profit: 0, max_buys: 0}
    capital_share: 0.5
    live: true
  - name: B
    trading_mode:
      tentacle: dca
      params: {interval_bars: 1, quote_per_buy: 0.03, take_profit: 0, max_buys: 0}
    capital_share: 0.5" "order_type: market"
start_bot

slots() { "$cephalo" slots "$@" -c "$work/live.yaml"; }

# A trades for real: its buys fill, so it holds ETH.
wait_candles 2
wait_for "a first fill of slot A" log_has "live: fill ETHBTC"
slots list | grep -q '^  A  live$' || fail "slots list does not show A live: $(slots list)"

# Pending: A holds a real position and dca never sells it.
slots promote B >"$work/promote1.txt" || fail "promote B refused: $(cat "$work/promote1.txt")"
grep -q '^promotion of slot B pending: slot A stays live until the switch$' "$work/promote1.txt" ||
  fail "promote B did not answer pending: $(cat "$work/promote1.txt")"
slots list >"$work/list1.txt"
grep -q 'pending promotion to B: waiting for slot A to be flat on the real account: a position of' \
  "$work/list1.txt" || fail "slots list does not show the pending promotion: $(cat "$work/list1.txt")"
grep -q '^  B  paper  (pending promotion to live)$' "$work/list1.txt" || fail "B not marked pending"
# Refusals name their reason.
if slots promote C >"$work/refused.txt" 2>&1; then fail "promoting an unknown slot succeeded"; fi
grep -q "no slot named 'C' (slots: A, B)" "$work/refused.txt" || fail "$(cat "$work/refused.txt")"
wait_candles 3
slots list | grep -q '^  A  live$' || fail "A stopped being live while it held ETH"
log_has "slot B promoted to live" && fail "the switch happened while A held a position"

# --now: A's position is sold at market, then the account changes hands.
slots promote B --now >"$work/promote2.txt" || fail "promote B --now refused: $(cat "$work/promote2.txt")"
wait_for "the switch" log_has "slot B promoted to live"
slots list | grep -q '^  B  live$' || fail "B is not live after the switch: $(slots list)"
slots list | grep -q 'pending promotion' && fail "a promotion is still pending after the switch"
switch_candles=$(candles)
wait_candles 4
wait_for "a fill after the switch" log_count_above "live: fill ETHBTC" "$(grep -c 'live: fill ETHBTC' "$work/bot.log")"

kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly on SIGTERM"
bot_pid=
# The shadow slots' paper fills share the fills table ("B/sim-N", "A/p1/sim-N"); the real books are
# the rest, checked against the simulator on a copy without them.
cp "$work/live.sqlite" "$work/real.sqlite"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); n=c.execute("delete from fills where trade_id like ?", ("%/%",)).rowcount; c.commit(); assert n > 0, "no paper fills"' "$work/real.sqlite" ||
  fail "no paper fills of the shadow slots"
python3 "$here/live_check.py" "$work/real.sqlite" "$port" --no-open-orders || fail "the books differ"

# The simulator's orders against the bot's log: placed before the switch line are A's, after it
# B's; each sized as its slot's dca buys (quote 0.01 vs 0.03), the one sell is A's exit.
curl -sf "http://127.0.0.1:$port/sim/state" >"$work/state.json"
python3 - "$work/bot.log" "$work/state.json" "$work/live.sqlite" <<'PY' || fail "slot attribution"
import json, re, sqlite3, sys
log, state, db = open(sys.argv[1]).read().splitlines(), json.load(open(sys.argv[2])), sys.argv[3]
switch = next(i for i, l in enumerate(log) if "slot B promoted to live" in l)
placed = {}
for i, line in enumerate(log):
    m = re.search(r"live: order (cph-\S+) ETHBTC", line)
    if m: placed[m.group(1)] = i
orders = {o["clientOrderId"]: o for o in state["orders"]}
assert set(orders) == set(placed), ("orders on the venue vs the log", set(orders) ^ set(placed))
problems, before, after = [], [], []
for cid, o in orders.items():
    quote = float(o["cummulativeQuoteQty"])
    (before if placed[cid] < switch else after).append((cid, o["side"], o["status"], quote))
for cid, side, status, quote in before:
    if side == "BUY" and status == "FILLED" and not 0.008 < quote < 0.0101:
        problems.append("before the switch a buy not sized like A's: %s %s" % (cid, quote))
for cid, side, status, quote in after:
    if side != "BUY":
        problems.append("after the switch a %s order: %s" % (side, cid))
    elif status == "FILLED" and not 0.028 < quote < 0.0301:
        problems.append("after the switch a buy not sized like B's: %s %s" % (cid, quote))
sells = [b for b in before if b[1] == "SELL"]
if len(sells) != 1: problems.append("expected one sell (A's exit --now), found %s" % sells)
if not any(b[1] == "BUY" and b[2] == "FILLED" for b in before): problems.append("no A buy filled")
b_filled = [a for a in after if a[2] == "FILLED"]
if len(b_filled) < 2: problems.append("fewer than 2 of B's buys filled: %s" % after)
# The real ETH is B's buys (net of the commission taken in ETH) plus at most A's dust (< 1 step).
b_ids = {a[0] for a in after}
bought = sum(float(t["qty"]) - float(t["commission"]) for t in state["trades"]
             if t["clientOrderId"] in b_ids and t["isBuyer"])
eth = next(float(b["free"]) + float(b["locked"]) for b in state["balances"] if b["asset"] == "ETH")
if not 0 <= eth - bought < 0.001 + 1e-9:
    problems.append("real ETH %.8f is not B's %.8f plus dust" % (eth, bought))
# The journal: requested, requested --now, effective; A continues on paper after the switch.
c = sqlite3.connect(db)
rows = [(r[0], json.loads(r[1])) for r in c.execute(
    "select rowid, payload_json from events where type = 'slot_promoted' order by rowid")]
stages = [(p["slot"], p["stage"], p.get("detail", "")[:35]) for _, p in rows]
if stages != [("B", "requested", ""), ("C", "refused", ""), ("B", "requested", "now"),
              ("B", "effective", "paper sub-account of A funded with ")]:
    problems.append("slot_promoted rows: %s" % [p for _, p in rows])
# A promotion's row carries the sequence of the last event dispatched before it; intents (in
# their own table) with a higher sequence were dispatched after the switch.
effective = list(c.execute("select max(sequence) from events where type = 'slot_promoted'"))[0][0]
intents = list(c.execute("select sequence, slot from order_intents"))
a_after = sum(1 for sequence, slot in intents if slot == "A" and sequence > effective)
b_before = sum(1 for sequence, slot in intents if slot == "B" and sequence <= effective)
count = lambda like: list(c.execute("select count(*) from orders where client_order_id like ?", (like,)))[0][0]
if not a_after or count("A/p1/bt-%") != a_after:
    problems.append("A's %d intents after the switch vs %d paper orders A/p1/..." % (a_after, count("A/p1/bt-%")))
if count("B/bt-%") != b_before:
    problems.append("B's %d intents before the switch vs %d paper orders B/..." % (b_before, count("B/bt-%")))
print("before the switch: %d orders, after: %d (B filled %d), real ETH %.6f = B's %.6f + dust"
      % (len(before), len(after), len(b_filled), eth, bought))
if problems:
    print("\n".join("PROBLEM: " + p for p in problems))
    sys.exit(1)
PY
echo "live_promote: ok (switch after candle $switch_candles)"
