#!/usr/bin/env bash
# Must-show 2 of issue 4: stop loss, take profit and trailing stop exits of backtests on the bundled
# real data happen at exactly the prices the within-bar rules give, checked trade by trade by an
# independent recomputation from the candles (check_protective_exits.py), and each exit is stored
# with its reason.
# Usage: protective_exits.sh CEPHALO SOURCE_DIR
set -uo pipefail
cephalo=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export CEPHALO_CACHE_DIR=$work/cache
config=$source/config/examples/sma_crossover_reference.yaml
checker=$source/tests/backtest/check_protective_exits.py
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
    [ "$(wc -l <"$work/last.log")" -le 1 ] && sed "s/^/     /" "$work/last.log"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -15; fi
}

# run NAME DATA CHECKER-ARGS -- CEPHALO-SETS...
run() {
  local name=$1 data=$2; shift 2
  local args=()
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift
  local sets=()
  for s in "$@"; do sets+=(--set "$s"); done
  check "$name: backtest runs" "$cephalo" backtest -c "$config" --data "$data" \
    --set storage.path="$work/$name.sqlite" --json "$work/$name.json" "${sets[@]}"
  check "$name: every exit at the price the rules give" python3 "$checker" "$data" "$work/$name.json" "${args[@]}"
  check "$name: exits stored with their reason, counted in the risk section" python3 - "$work/$name.json" "$work/$name.sqlite" <<'PY'
import json, sqlite3, sys
d = json.load(open(sys.argv[1])); db = sqlite3.connect(sys.argv[2])
reasons = ("stop_loss", "take_profit", "trailing_stop")
for reason in reasons:
    trades = [t for t in d["trades"] if t["exit_reason"] == reason]
    stored = db.execute("select count(*) from trades where exit_reason = ?", (reason,)).fetchone()[0]
    assert stored == len(trades), (reason, stored, len(trades))
    # Each protective exit is an order tagged with its reason, filled by one fill at the trade's price.
    fills = db.execute("select f.price, f.time_ns from fills f join orders o using (client_order_id) "
                       "where o.tag = ? order by f.time_ns", (reason,)).fetchall()
    assert len(fills) == len(trades), (reason, len(fills), len(trades))
    for (price, time_ns), t in zip(fills, trades):
        assert price == t["exit_price"] and time_ns == t["exit_time"] * 1000000, (price, time_ns, t)
    assert d["risk"]["protective_exits"][reason] >= len(trades), d["risk"]
    # The journal keeps each exit order's final state, gap fills at the open included.
    unfinished = db.execute("select count(*) from orders where tag = ? and status != 'filled'",
                            (reason,)).fetchone()[0]
    assert unfinished == 0, (reason, unfinished)
# After a protective exit closed the position, the strategy's own resting sell of the pair is
# cancelled, not rejected later as an oversell.
sells = [r for r in d["rejected_orders"] if r["side"] == "sell"]
assert not sells, sells
PY
}

# Fixed stop, take profit and an activated trail; no slippage, one fee rate.
run eth5m "$source/data/ETH_BTC-5m.csv" stop=0.01 target=0.01 trail=0.006 activation=0.004 \
    maker_fee=0.001 taker_fee=0.001 --require-gap -- \
  risk.position.stop_loss_fraction=0.01 risk.position.take_profit_fraction=0.01 \
  risk.position.trailing_stop_fraction=0.006 risk.position.trailing_activation_fraction=0.004
# ATR stop (nearest of fixed and 2.5 x ATR(14)), slippage on market-like fills, cheaper maker fee.
run ltc5m "$source/data/LTC_BTC-5m.csv" stop=0.02 atr_multiple=2.5 atr_period=14 target=0.015 \
    trail=0.008 activation=0.005 maker_fee=0.0005 taker_fee=0.001 slippage_bps=3 -- \
  risk.position.stop_loss_fraction=0.02 risk.position.stop_loss_atr_multiple=2.5 \
  risk.position.take_profit_fraction=0.015 risk.position.trailing_stop_fraction=0.008 \
  risk.position.trailing_activation_fraction=0.005 backtest.slippage.model=fixed \
  backtest.slippage.bps=3 backtest.fees.maker=0.0005
# 1-minute data, ATR(20) stop only, a trail armed at the entry.
run eth1m "$source/data/ETH_BTC-1m.csv" atr_multiple=3 atr_period=20 target=0.012 trail=0.005 \
    maker_fee=0.001 taker_fee=0.001 -- \
  risk.position.stop_loss_atr_multiple=3 risk.position.atr_period=20 \
  risk.position.take_profit_fraction=0.012 risk.position.trailing_stop_fraction=0.005

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
