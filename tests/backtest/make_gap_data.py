#!/usr/bin/env python3
"""Writes a deterministic candle file whose first cycle opens 2% above the previous close, so the
reference strategy's first entries are rejected for lack of cash (cost + fee > cash at the fill)
and later ones fill. Usage: make_gap_data.py OUT.csv"""
import math
import sys

with open(sys.argv[1], "w") as out:
    out.write("timestamp,open,high,low,close,volume\n")
    close = 100.0
    for t in range(1200):
        previous = close
        close = 100.0 + 10.0 * math.sin(2 * math.pi * t / 120.0) + 0.01 * t
        opening = previous * (1.02 if t < 240 else 1.0)
        high = max(opening, close) * 1.001
        low = min(opening, close) * 0.999
        out.write(f"{1600000000000 + t * 300000},{opening!r},{high!r},{low!r},{close!r},{1000.0 + t}\n")
