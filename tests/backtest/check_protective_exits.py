#!/usr/bin/env python3
"""Checks a backtest's trades, one by one, against the protective-exit rules recomputed from the
candles alone (no code shared with the core).

Usage: check_protective_exits.py CANDLES.csv REPORT.json key=value...
  keys: stop (fraction), target (fraction), trail (fraction), activation (fraction),
        atr_multiple, atr_period, slippage_bps, maker_fee, taker_fee (fractions of value)

The rules (long positions; the spot trading mode only goes long):
  - An entry is a market order filled at the open of the bar after its signal, slipped up by
    slippage_bps; its levels: stop = entry * (1 - stop), ATR stop = entry - atr_multiple * ATR
    (Wilder's ATR of the bars up to the one before the fill bar), the higher of the two is the stop;
    target = entry * (1 + target).
  - The trail starts at the entry price; it arms once the highest price seen reaches
    entry * (1 + activation) and then sits at highest * (1 - trail), never lower.
  - Levels are tested from the bar after the fill bar, each bar against the levels left by earlier
    bars; only then does the bar's high move the trail (a bar cannot both raise the trail and hit
    it). The effective stop is the higher of the stop and the trail ("trailing_stop" only when the
    trail is strictly higher).
  - In a bar: open <= stop -> exit at the open (gap); open >= target -> take profit at the open;
    low <= stop -> exit at the stop; high >= target -> take profit at the target. Stop before target.
  - Stop and trailing exits are market-like: slipped down by slippage_bps, taker fee. Take profits
    are limit-like: no slippage, maker fee.
  - A trade closed for another reason must not have touched any level before its exit.
"""
import csv
import json
import sys

def close(a, b):
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)


def wilder_atr(rows, period):
    """ATR after each bar (None before it is ready), TA-Lib's seeding."""
    out = [None] * len(rows)
    total = 0.0
    average = 0.0
    for i, row in enumerate(rows):
        if i == 0:
            continue
        prev_close = rows[i - 1]["close"]
        tr = max(row["high"] - row["low"], abs(row["high"] - prev_close), abs(row["low"] - prev_close))
        if i < period:
            total += tr
            continue
        if i == period:
            average = (total + tr) / period
        else:
            average *= period - 1
            average += tr
            average /= period
        out[i] = average
    return out


def main():
    candles, report = sys.argv[1], sys.argv[2]
    p = {"stop": 0, "target": 0, "trail": 0, "activation": 0, "atr_multiple": 0, "atr_period": 14,
         "slippage_bps": 0, "maker_fee": 0, "taker_fee": 0}
    flags = [a for a in sys.argv[3:] if a.startswith("--")]
    for arg in (a for a in sys.argv[3:] if not a.startswith("--")):
        key, value = arg.split("=")
        assert key in p, key
        p[key] = float(value)
    rows = []
    with open(candles) as f:
        for r in csv.DictReader(f):
            rows.append({"t": int(r["timestamp"]), "open": float(r["open"]), "high": float(r["high"]),
                         "low": float(r["low"]), "close": float(r["close"])})
    interval = rows[1]["t"] - rows[0]["t"]
    index = {r["t"]: i for i, r in enumerate(rows)}
    atr = wilder_atr(rows, int(p["atr_period"])) if p["atr_multiple"] > 0 else None
    slip = p["slippage_bps"] / 10000.0
    trades = json.load(open(report))["trades"]
    counts = {"stop_loss": 0, "take_profit": 0, "trailing_stop": 0, "gapped": 0, "other": 0}
    problems = []
    for n, trade in enumerate(trades):
        where = f"trade {n} (entry {trade['entry_time']}, exit {trade['exit_time']} {trade['exit_reason']})"
        fill_bar = index[trade["entry_time"]]  # entries fill at a bar's open
        entry = rows[fill_bar]["open"] * (1 + slip) if slip else rows[fill_bar]["open"]
        if not close(entry, trade["entry_price"]):
            problems.append(f"{where}: entry price {trade['entry_price']} != {entry}")
            continue
        stop = 0.0
        if p["stop"] > 0:
            stop = entry * (1 - p["stop"])
        if p["atr_multiple"] > 0 and atr[fill_bar - 1] is not None:
            candidate = entry - p["atr_multiple"] * atr[fill_bar - 1]
            if 0 < candidate < entry:
                stop = max(stop, candidate)
        target = entry * (1 + p["target"]) if p["target"] > 0 else 0.0
        extreme, armed, trail = entry, False, 0.0
        if p["trail"] > 0:
            armed = extreme >= entry * (1 + p["activation"])
            if armed:
                trail = extreme * (1 - p["trail"])
        expected = None  # (reason, price before slippage, time, gapped)
        # The exit is at the open (time = bar open) or inside (time = bar open + interval).
        for i in range(fill_bar + 1, len(rows)):
            bar = rows[i]
            level, reason = stop, "stop_loss"
            if trail > 0 and (stop <= 0 or trail > stop):
                level, reason = trail, "trailing_stop"
            if level > 0 and bar["open"] <= level:
                expected = (reason, bar["open"], bar["t"], True)
            elif target > 0 and bar["open"] >= target:
                expected = ("take_profit", bar["open"], bar["t"], True)
            elif level > 0 and bar["low"] <= level:
                expected = (reason, level, bar["t"] + interval, False)
            elif target > 0 and bar["high"] >= target:
                expected = ("take_profit", target, bar["t"] + interval, False)
            # The exit's own bar is tested too: a signal's market exit fills at that bar's open,
            # after the core worked the bar's protective exit.
            if expected or bar["t"] + interval > trade["exit_time"]:
                break
            if p["trail"] > 0:
                extreme = max(extreme, bar["high"])
                if extreme >= entry * (1 + p["activation"]):
                    armed = True
                if armed:
                    trail = max(trail, extreme * (1 - p["trail"]))
        reason = trade["exit_reason"]
        if reason in ("stop_loss", "take_profit", "trailing_stop"):
            counts[reason] += 1
            if expected is None:
                problems.append(f"{where}: no level was touched before the exit")
                continue
            want_reason, level_price, want_time, gapped = expected
            counts["gapped"] += gapped
            price = level_price if want_reason == "take_profit" else level_price * (1 - slip)
            fee_rate = p["maker_fee"] if want_reason == "take_profit" else p["taker_fee"]
            fees = trade["quantity"] * entry * p["taker_fee"] + trade["quantity"] * price * fee_rate
            if want_reason != reason or want_time != trade["exit_time"]:
                problems.append(f"{where}: expected {want_reason} at {want_time}")
            elif not close(price, trade["exit_price"]):
                problems.append(f"{where}: exit price {trade['exit_price']} != {price}")
            elif not close(fees, trade["fees"]):
                problems.append(f"{where}: fees {trade['fees']} != {fees}")
        else:
            counts["other"] += 1
            if expected is not None:
                problems.append(f"{where}: {expected[0]} at {expected[1]} ({expected[2]}) was missed")
    print(json.dumps(counts))
    for problem in problems:
        print("MISMATCH", problem)
    # A run that exercised nothing proves nothing.
    missing = [k for k in ("stop_loss", "take_profit", "trailing_stop") if counts[k] == 0]
    if "--require-gap" in flags and counts["gapped"] == 0:
        missing.append("gapped")
    if missing:
        print("NO EXIT OF KIND", ", ".join(missing))
    return 1 if problems or missing else 0


if __name__ == "__main__":
    sys.exit(main())
