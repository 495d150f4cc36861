#!/usr/bin/env python3
"""Compares `cephalo backtest --json` output with reference_sma_crossover.py on the same data:
trade by trade (times exactly, prices, quantities, fees and PnL to 1e-9 relative), the rejected
entries, the open position and the final equity. Usage: compare_with_reference.py CEPHALO.json
REFERENCE.json; prints what differs and exits 1 on any difference."""
import json
import sys


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main(ours_path, reference_path):
    ours, reference = json.load(open(ours_path)), json.load(open(reference_path))
    problems = []
    for key in ("starting_cash", "final_equity"):
        if not close(ours[key], reference[key]):
            problems.append(f"{key}: cephalo {ours[key]!r}, reference {reference[key]!r}")
    if ours["bars"] != reference["bars"]:
        problems.append(f"bars: cephalo {ours['bars']}, reference {reference['bars']}")
    if len(ours["trades"]) != len(reference["trades"]):
        problems.append(f"trades: cephalo {len(ours['trades'])}, reference {len(reference['trades'])}")
    for i, (a, b) in enumerate(zip(ours["trades"], reference["trades"])):
        for key in ("entry_time", "exit_time"):
            if a[key] != b[key]:
                problems.append(f"trade {i} {key}: cephalo {a[key]}, reference {b[key]}")
        for key in ("entry_price", "exit_price", "quantity", "fees", "pnl"):
            if not close(a[key], b[key]):
                problems.append(f"trade {i} {key}: cephalo {a[key]!r}, reference {b[key]!r}")
    rejected = [r for r in ours["rejected_orders"]]
    if len(rejected) != len(reference["rejected_orders"]):
        problems.append(f"rejected orders: cephalo {len(rejected)}, reference "
                        f"{len(reference['rejected_orders'])}")
    for i, (a, b) in enumerate(zip(rejected, reference["rejected_orders"])):
        if a["time"] != b["time"] or not close(a["quantity"], b["quantity"]):
            problems.append(f"rejection {i}: cephalo {a}, reference {b}")
    if len(ours["open_positions"]) != len(reference["open_positions"]):
        problems.append(f"open positions: cephalo {ours['open_positions']}, reference "
                        f"{reference['open_positions']}")
    for a, b in zip(ours["open_positions"], reference["open_positions"]):
        if a["entry_time"] != b["entry_time"] or not close(a["quantity"], b["quantity"]):
            problems.append(f"open position: cephalo {a}, reference {b}")
    for problem in problems[:50]:
        print(problem)
    print(f"{len(reference['trades'])} trades, {len(reference['rejected_orders'])} rejections, "
          f"final equity {reference['final_equity']!r}: "
          f"{'identical' if not problems else str(len(problems)) + ' differences'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
