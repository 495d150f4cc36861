# The bot's books against the simulator's, after a live run: used by the live shell tests.
# Usage: live_check.py DATABASE PORT [--no-open-orders]
# Checks: every order on the venue has a unique client id and is in the bot's journal (no
# untracked order), every journaled order the venue knows appears there once (no duplicate),
# every venue trade is a stored fill once and every stored fill a venue trade, the bot's last
# balances equal the venue's, and the candles table equals the venue's klines over its range.
import json, sqlite3, sys, urllib.request

db, port = sys.argv[1], sys.argv[2]
no_open = "--no-open-orders" in sys.argv
# --no-candles: check the books only. (A restart catches up from the last stored candle, so
# crash tests check the candles too.)
check_candles = "--no-candles" not in sys.argv
base = "http://127.0.0.1:%s" % port
state = json.load(urllib.request.urlopen(base + "/sim/state"))
c = sqlite3.connect(db)
problems = []

venue_orders = state["orders"]
ids = [o["clientOrderId"] for o in venue_orders]
if len(ids) != len(set(ids)):
    problems.append("duplicate client ids on the venue: %s" % sorted(ids))
journal = {r[0]: r[1] for r in c.execute("select client_order_id, state from orders_live")}
for o in venue_orders:
    if o["clientOrderId"] not in journal:
        problems.append("untracked order on the venue: %s" % o["clientOrderId"])
venue_status = {"NEW": "open", "PARTIALLY_FILLED": "partially_filled", "FILLED": "filled",
                "CANCELED": "cancelled", "REJECTED": "rejected", "EXPIRED": "expired"}
for o in venue_orders:
    mine = journal.get(o["clientOrderId"])
    if mine is not None and mine != venue_status[o["status"]]:
        problems.append("order %s: journal says %s, venue %s" % (o["clientOrderId"], mine, o["status"]))
    if no_open and o["status"] in ("NEW", "PARTIALLY_FILLED"):
        problems.append("order %s still open after a cancelling shutdown" % o["clientOrderId"])
for cid, st in journal.items():
    if st in ("pending_new", "unknown"):
        problems.append("order %s left %s in the journal" % (cid, st))

fills = {r[0]: r for r in c.execute("select trade_id, client_order_id, quantity, price from fills")}
venue_trades = {"%s:%d" % (t["symbol"], t["id"]): t for t in state["trades"]}
for key, t in venue_trades.items():
    f = fills.get(key)
    if f is None:
        problems.append("venue trade %s (%s) is not a stored fill" % (key, t["clientOrderId"]))
    elif f[1] != t["clientOrderId"] or abs(f[2] - float(t["qty"])) > 1e-9:
        problems.append("fill %s differs: %s vs %s" % (key, f, t))
for key in fills:
    if key not in venue_trades:
        problems.append("stored fill %s is not a venue trade" % key)

last = {}
for asset, free, locked in c.execute(
        "select asset, free, locked from balances order by rowid"):
    last[asset] = (free, locked)
for b in state["balances"]:
    mine = last.get(b["asset"])
    if mine is None or abs(mine[0] - float(b["free"])) > 1e-9 or abs(mine[1] - float(b["locked"])) > 1e-9:
        problems.append("balance %s: bot %s, venue %s/%s" % (b["asset"], mine, b["free"], b["locked"]))

rows = [] if not check_candles else list(c.execute("select open_time_ns, open, high, low, close, volume from candles "
                      "where symbol='ETH/BTC' order by open_time_ns"))
if rows:
    times = [r[0] // 1000000 for r in rows]
    if len(times) != len(set(times)):
        problems.append("a candle was stored twice")
    first, lastt = times[0], times[-1]
    klines = json.load(urllib.request.urlopen(
        base + "/api/v3/klines?symbol=ETHBTC&interval=5m&startTime=%d&endTime=%d&limit=1000"
        % (first, lastt)))
    venue_times = [k[0] for k in klines]
    missing = sorted(set(venue_times) - set(times))
    if missing:
        problems.append("%d candles missed, e.g. %s" % (len(missing), missing[:5]))
    by_time = {r[0] // 1000000: r for r in rows}
    for k in klines:
        r = by_time.get(k[0])
        if r and abs(r[4] - float(k[4])) > 1e-12:
            problems.append("candle %d close %s vs venue %s" % (k[0], r[4], k[4]))
    print("candles: %d stored, %d on the venue in that range" % (len(times), len(venue_times)))
elif check_candles:
    problems.append("no candle stored")

print("orders on the venue: %d, journal rows: %d, trades: %d, fills: %d"
      % (len(venue_orders), len(journal), len(venue_trades), len(fills)))
if problems:
    print("\n".join("PROBLEM: " + p for p in problems))
    sys.exit(1)
print("books agree")
