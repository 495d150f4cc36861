#!/usr/bin/env python3
"""An independent implementation of the reference SMA crossover backtest, written from the rules
in config/examples/sma_crossover_reference.yaml and nothing else (no Cephalo code), so the C++
pipeline can be checked against it. Usage: reference_sma_crossover.py DATA.csv > result.json"""
import csv
import json
import math
import sys

FAST, SLOW = 10, 50
CASH, FRACTION, FEE = 10000.0, 0.99, 0.001


def sma(closes, t, n):
    # math.fsum is exactly rounded: an independent way to get the average Cephalo must match.
    return math.fsum(closes[t - n + 1:t + 1]) / n if t >= n - 1 else None


def main(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    times = [int(row["timestamp"]) for row in rows]
    opens = [float(row["open"]) for row in rows]
    closes = [float(row["close"]) for row in rows]
    cash, quantity = CASH, 0.0
    entry = None  # (time, price, quantity, fee)
    pending = None  # ("buy"|"sell", quantity)
    last_nonzero = 0.0
    trades, rejected = [], []
    for t in range(len(rows)):
        if pending is not None:  # market orders fill at the open of the next row
            side, size = pending
            pending = None
            value = size * opens[t]
            fee = value * FEE
            if side == "buy":
                if value + fee > cash:
                    rejected.append({"time": times[t], "quantity": size, "price": opens[t]})
                else:
                    cash -= value + fee
                    quantity = size
                    entry = (times[t], opens[t], size, fee)
            else:
                cash += value - fee
                entry_time, entry_price, entry_quantity, entry_fee = entry
                trades.append({
                    "entry_time": entry_time, "entry_price": entry_price,
                    "exit_time": times[t], "exit_price": opens[t], "quantity": entry_quantity,
                    "fees": entry_fee + fee,
                    "pnl": value - entry_price * entry_quantity - entry_fee - fee,
                })
                quantity, entry = 0.0, None
        fast, slow = sma(closes, t, FAST), sma(closes, t, SLOW)
        if fast is None or slow is None:
            continue
        difference = fast - slow
        if t >= SLOW:  # the previous bar's averages exist too
            if difference > 0 and last_nonzero < 0 and quantity == 0:
                pending = ("buy", FRACTION * cash / closes[t])
            elif difference < 0 and last_nonzero > 0 and quantity > 0:
                pending = ("sell", quantity)
        if difference != 0:
            last_nonzero = difference
    open_positions = []
    if quantity > 0:
        open_positions.append({"entry_time": entry[0], "entry_price": entry[1],
                               "quantity": entry[2], "last_price": closes[-1]})
    json.dump({"starting_cash": CASH, "final_equity": cash + quantity * closes[-1],
               "bars": len(rows), "trades": trades, "rejected_orders": rejected,
               "open_positions": open_positions}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
