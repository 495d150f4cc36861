#!/usr/bin/env bash
# `cephalo backtest` as a user meets it: bad data under both policies, several pairs and
# timeframes in one run, the HTML report, and everything the run decided kept in SQLite.
# Usage: backtest_cli.sh CEPHALO SOURCE_DIR
set -uo pipefail
cephalo=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export CEPHALO_CACHE_DIR=$work/cache
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -15; fi
}
reference=$source/config/examples/sma_crossover_reference.yaml

# Bad rows: line 101 has high below low, line 201 a price that is not a number.
python3 - "$source/data/ETH_BTC-5m.csv" "$work/BAD_ROWS-5m.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
t, o, h, l, c, v = lines[100].split(",")
lines[100] = ",".join([t, o, str(float(l) / 2), l, c, v])
t, o, h, l, c, v = lines[200].split(",")
lines[200] = ",".join([t, "abc", h, l, c, v])
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
"$cephalo" backtest -c "$reference" --data "$work/BAD_ROWS-5m.csv" --json reject.json >reject.log 2>&1
rc=$?
check "reject policy: the backtest refuses the file" test "$rc" -ne 0
check "reject policy: no report written" test ! -e reject.json
check "the refusal names file and line 101" grep -q "BAD_ROWS-5m.csv:101" reject.log
check "the refusal names file and line 201" grep -q "BAD_ROWS-5m.csv:201" reject.log
"$cephalo" backtest -c "$reference" --data "$work/BAD_ROWS-5m.csv" --set market.bad_rows=skip \
  --json skip.json >skip.log 2>&1
rc=$?
check "skip policy: the backtest runs" test "$rc" -eq 0
check "skip policy: both bad rows left out" python3 -c "import json; assert json.load(open('skip.json'))['bars'] == 5758"
check "skip policy: a warning names each row" sh -c "grep -q 'BAD_ROWS-5m.csv:101' skip.log && grep -q 'BAD_ROWS-5m.csv:201' skip.log"

# Several pairs and timeframes: ETH/BTC 1h resampled from 5m (481 hourly buckets) + LTC/BTC 5m.
check "multi-timeframe run" "$cephalo" backtest -c "$source/config/examples/multi_timeframe.yaml" --json mt.json
check "it replayed 5760 + 481 candles with trades on both pairs" python3 -c "
import json; d = json.load(open('mt.json'))
assert d['bars'] == 6241, d['bars']
assert {p['pair'] for p in d['per_pair'] if p['trades'] > 0} == {'ETH/BTC', 'LTC/BTC'}"

# HTML report and storage.
check "backtest with --html" "$cephalo" backtest -c "$reference" --json ref.json --html ref.html --set storage.path=ref.sqlite
check "the HTML report has its charts and tables" sh -c "grep -q 'id=\"equity-chart\"' ref.html && grep -q 'id=\"drawdown-chart\"' ref.html && grep -q 'id=\"trades-table\"' ref.html"
check "the HTML report loads nothing from outside" sh -c "test -s ref.html && ! grep -Eq '(src|href)=\"(https?:)?//' ref.html"
check "orders, fills, signals and trades are in SQLite" python3 -c "
import json, sqlite3
d = json.load(open('ref.json')); db = sqlite3.connect('ref.sqlite')
count = lambda t: db.execute(f'select count(*) from {t}').fetchone()[0]
trades = len(d['trades'])
assert count('trades') == trades, (count('trades'), trades)
assert count('fills') == 2 * trades + len(d['open_positions']), count('fills')
assert count('orders') >= count('fills'), count('orders')
assert count('signals') >= count('orders'), count('signals')"
check "without the decision journal: the same report" sh -c "'$cephalo' backtest -c '$reference' --json nojournal.json --set storage.path=nojournal.sqlite --set storage.journal_decisions=false >/dev/null && cmp ref.json nojournal.json"
check "without the decision journal: the run is stored, no signal, order, fill or trade" python3 -c "
import sqlite3
db = sqlite3.connect('nojournal.sqlite')
count = lambda t: db.execute(f'select count(*) from {t}').fetchone()[0]
assert count('runs') == 1 and count('tentacle_loads') > 0, (count('runs'), count('tentacle_loads'))
for table in ('signals', 'orders', 'fills', 'trades', 'risk_verdicts', 'balances', 'events'):
    assert count(table) == 0, (table, count(table))"
check "live trading refuses to run without the decision journal" sh -c "! '$cephalo' config validate '$reference' --set mode=live --set storage.journal_decisions=false >jl.out 2>&1 && grep -q 'storage.journal_decisions' jl.out && grep -q 'live trading always journals' jl.out"

# Risk: every intent passes the three tiers; the report counts verdicts by tier and rule.
check "risk-guarded backtest" sh -c "'$cephalo' backtest -c '$source/config/examples/risk_guarded.yaml' --json risk.json --set storage.path=risk.sqlite >risk.out"
check "the console summary shows the risk checks by tier and rule" sh -c "grep -q '^Risk checks: [0-9]* intents' risk.out && grep -Eq '^ strategy +loss_streak_pause' risk.out"
check "the risk section counts verdicts by tier, with refusals and halts" python3 -c "
import json; d = json.load(open('risk.json')); r = d['risk']
assert set(r['by_tier']) == {'position', 'strategy', 'account'}, r['by_tier']
assert r['intents'] == r['allowed'] + r['refused'] and r['refused'] > 0, r
assert r['by_tier']['strategy']['refused'] > 0 and r['by_tier']['account']['refused'] > 0, r
assert r['loss_pauses'] > 0 and r['daily_loss_halts'] > 0, r
assert r['by_rule']['reduces_risk']['refused'] == 0  # exits are never blocked
refused = [o for o in d['rejected_orders'] if o['reason'].startswith('risk: ')]
assert len(refused) == r['refused'], (len(refused), r['refused'])"
check "the example's protective exits are counted by reason and tagged in the trades" python3 -c "
import json; d = json.load(open('risk.json')); exits = d['risk']['protective_exits']
for reason in ('stop_loss', 'take_profit', 'trailing_stop'):
    trades = sum(1 for t in d['trades'] if t['exit_reason'] == reason)
    assert trades > 0 and exits[reason] == trades, (reason, trades, exits)"
check "the console summary shows the protective exits" grep -Eq '^Protective exits: [1-9][0-9]* stop loss, [1-9][0-9]* take profit, [1-9][0-9]* trailing stop$' risk.out
check "every verdict is stored" python3 -c "
import json, sqlite3; r = json.load(open('risk.json'))['risk']
db = sqlite3.connect('risk.sqlite')
refused = db.execute('select count(distinct intent_sequence) from risk_verdicts where allowed = 0 and rule != \'halt\'').fetchone()[0]
assert refused == r['refused'], (refused, r['refused'])"
# Drawdown halt: once equity is 5 % below its peak no entry passes; exits still do. Without
# flatten the open position is left to the strategy's exit; with flatten the core sells it.
for flatten in false true; do
  check "drawdown halt (flatten=$flatten) backtest" sh -c "'$cephalo' backtest -c '$reference' --set risk.account.max_drawdown_fraction=0.05 --set risk.account.flatten_on_drawdown=$flatten --set storage.path=dd$flatten.sqlite --json dd$flatten.json --html dd$flatten.html >dd$flatten.out"
  check "drawdown halt (flatten=$flatten): no entry after it, shown in console, JSON and HTML" python3 - "$flatten" <<'PY'
import json, re, sqlite3, sys
flatten = sys.argv[1] == "true"
d = json.load(open(f"dd{sys.argv[1]}.json")); r = d["risk"]
db = sqlite3.connect(f"dd{sys.argv[1]}.sqlite")
halts = db.execute("select time_ns, reason from risk_verdicts where rule = 'halt'").fetchall()
assert len(halts) == 1 and "drawdown" in halts[0][1], halts
halt_ms = halts[0][0] // 1000000
assert r["drawdown_halts"] == 1 and r["by_rule"]["drawdown_halt"]["refused"] > 0, r
assert all(t["entry_time"] <= halt_ms for t in d["trades"] + d["open_positions"]), "entry after the halt"
assert r["by_rule"]["reduces_risk"]["refused"] == 0, r  # exits never blocked
flattened = [t for t in d["trades"] if t["exit_reason"] == "risk_flatten"]
if flatten:
    assert len(flattened) == 1 and flattened[0]["exit_time"] >= halt_ms, flattened
else:
    assert not flattened and any(t["exit_time"] > halt_ms for t in d["trades"]), "no exit after the halt"
out = open(f"dd{sys.argv[1]}.out").read()
assert re.search(r"^Risk checks: .* 1 drawdown halts, 0 kills$", out, re.M), out
assert re.search(r"^ account +drawdown_halt +\d+ +[1-9]\d*$", out, re.M)
html = open(f"dd{sys.argv[1]}.html").read()
assert re.search(r'<tr><td>drawdown halts</td><td class="num">1</td></tr>', html), "risk summary"
assert re.search(r'<tr><td>account</td><td>drawdown_halt</td><td class="num">\d+</td><td class="num neg">[1-9]\d*</td></tr>', html), "risk table"
PY
done

# Kill switch from the config (the same Pipeline::kill_switch a tentacle's {"command":"kill"} and
# the control channel reach): at 2018-01-20T00:00Z every order is cancelled and no entry passes.
check "kill switch backtest" sh -c "'$cephalo' backtest -c '$reference' --set risk.account.kill_at=2018-01-20T00:00:00Z --set storage.path=kill.sqlite --json kill.json --html kill.html >kill.out"
check "kill switch: no entry after it, shown in console, JSON and HTML" python3 - <<'PY'
import json, re, sqlite3
kill_ms = 1516406400000
d = json.load(open("kill.json")); r = d["risk"]
assert r["kills"] == 1 and r["by_rule"]["kill_switch"]["refused"] > 0, r
refused = [o for o in d["rejected_orders"] if "kill switch is on" in o["reason"]]
assert refused and all(o["time"] >= kill_ms for o in refused), refused[:2]
assert all(t["entry_time"] < kill_ms for t in d["trades"] + d["open_positions"]), "entry after the kill"
db = sqlite3.connect("kill.sqlite")
kills = db.execute("select time_ns from risk_verdicts where rule = 'kill_switch' and intent_sequence = 0").fetchall()
assert kills == [(kill_ms * 1000000,)], kills
out = open("kill.out").read()
assert re.search(r"^Risk checks: .* 1 kills$", out, re.M), out
assert re.search(r"^ account +kill_switch +\d+ +[1-9]\d*$", out, re.M)
html = open("kill.html").read()
assert re.search(r'<tr><td>kill switch</td><td class="num">1</td></tr>', html), "risk summary"
assert re.search(r'<tr><td>account</td><td>kill_switch</td><td class="num">\d+</td><td class="num neg">[1-9]\d*</td></tr>', html), "risk table"
assert 'id="extra-sections"' not in html or '&quot;kills&quot;' not in html, "risk drawn as tables, not dumped"
PY
check "kill_at in epoch milliseconds is the same time" sh -c "'$cephalo' backtest -c '$reference' --set risk.account.kill_at=1516406400000 --set storage.path=kill2.sqlite --json kill2.json >/dev/null && cmp -s kill.json kill2.json"
printf 'risk:\n  account:\n    kill_at: tomorrow\n' >badkill.yaml
"$cephalo" config validate badkill.yaml >badkill.log 2>&1
rc=$?
check "a kill_at that is not a time is a config error at its line" sh -c "test $rc -eq 2 && grep -q 'badkill.yaml:3:[0-9]*: risk.account.kill_at' badkill.log"

printf 'risk:\n  position:\n    max_position_fraction: 3\n  account:\n    max_daily_loss_fraction: 1.5\n' >nonsense.yaml
"$cephalo" config validate nonsense.yaml >nonsense.log 2>&1
rc=$?
check "nonsense risk limits are config errors" test "$rc" -eq 2
check "each names its file, line and key" sh -c "grep -q 'nonsense.yaml:3:[0-9]*: risk.position.max_position_fraction' nonsense.log && grep -q 'nonsense.yaml:5:[0-9]*: risk.account.max_daily_loss_fraction' nonsense.log"

# The binary cache: a first run replays the parsed bars while the cache is written beside it,
# the second maps it; an unusable cache folder is a warning, never a failed run. Reports compared
# byte for byte come from runs into fresh databases, so their run_id (1) matches too.
logged="--set logging.level=info --set logging.console=true"
CEPHALO_CACHE_DIR=$work/cache2 "$cephalo" backtest -c "$reference" $logged --set storage.path=cache1.sqlite --json cache1.json >cache1.log 2>&1
check "first run from CSV: the cache is written during the run" sh -c "grep -q 'writing the cache meanwhile: no cache file yet' cache1.log && grep -q 'cache written: $work/cache2/ETH_BTC-5m-' cache1.log"
CEPHALO_CACHE_DIR=$work/cache2 "$cephalo" backtest -c "$reference" $logged --set storage.path=cache2.sqlite --json cache2.json >cache2.log 2>&1
check "second run: from the binary cache, the same report" sh -c "grep -q '(binary cache)' cache2.log && ! grep -q 'cache written' cache2.log && cmp -s cache1.json cache2.json"
check "one cache file and no temporary file left" sh -c "test \$(ls -A '$work/cache2' | wc -l) -eq 1"
echo x >not_a_folder
CEPHALO_CACHE_DIR=$work/not_a_folder/cache "$cephalo" backtest -c "$reference" $logged --set storage.path=cache3.sqlite --json cache3.json >cache3.log 2>&1
rc=$?
check "an unusable cache folder: the run succeeds with the same report" sh -c "test $rc -eq 0 && cmp -s cache1.json cache3.json"
check "and warns that the cache was not written, naming the folder" grep -q "cache not written: cannot create the cache folder $work/not_a_folder/cache" cache3.log

# A hit's bars are checked block by block while the replay reads them. A corrupt block in the
# middle is found before the replay reaches it: the file is parsed again, the run goes on from the
# parsed bars with the same result, and the cache file is rebuilt.
"$cephalo" data generate --bars 40000 --seed 7 --interval 5m --out GEN_BTC-5m.csv >/dev/null
gen="--data GEN_BTC-5m.csv $logged"
CEPHALO_CACHE_DIR=$work/cache4 "$cephalo" backtest -c "$reference" $gen --set storage.path=gen1.sqlite --json gen1.json >gen1.log 2>&1
CEPHALO_CACHE_DIR=$work/cache4 "$cephalo" backtest -c "$reference" $gen --set storage.path=gen2.sqlite --json gen2.json >gen2.log 2>&1
check "a 40k-bar file: second run from the cache, same report" sh -c "grep -q '(binary cache)' gen2.log && cmp -s gen1.json gen2.json"
gen_cache=$(ls "$work"/cache4/GEN_BTC-5m-*.bars)
cp "$gen_cache" gen_cache.good
# A byte of bar 20000 (header 136 bytes, 48 bytes a bar): the second block of 16384 bars.
printf '\x5a' | dd of="$gen_cache" bs=1 seek=$((136 + 48 * 20000 + 9)) conv=notrunc 2>/dev/null
check "the damage really changed the cache file" sh -c "! cmp -s '$gen_cache' gen_cache.good"
CEPHALO_CACHE_DIR=$work/cache4 "$cephalo" backtest -c "$reference" $gen --set storage.path=gen3.sqlite --json gen3.json >gen3.log 2>&1
rc=$?
check "a corrupt block found during the replay: the run succeeds with the same report" sh -c "test $rc -eq 0 && cmp -s gen1.json gen3.json"
check "and says where the cached candles went bad" grep -q "GEN_BTC-5m.csv: the cached candles are corrupt from bar 16384; parsing the file again" gen3.log
check "the cache file is rebuilt as it was" cmp -s "$gen_cache" gen_cache.good

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
