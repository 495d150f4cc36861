#!/usr/bin/env bash
# Must-show 5 of issue 5 and the slots' isolation, end to end with the real binary and data:
# config/examples/ab_test.yaml reports both slots and the significance figures in the console,
# JSON and HTML; each slot's sub-account trades exactly as the same strategy alone would on its
# share of the cash (so nothing of one slot reaches another); the shares add up; slot config
# mistakes are reported with file:line; a running paper bot's live slot is promoted by
# `cephalo slots promote`, logged and stored.
# Usage: ab_test_cli.sh CEPHALO_BINARY SOURCE_DIR
set -uo pipefail
c=$1
source=$2
work=$(mktemp -d)
bot_pid=
cleanup() {
  [ -n "$bot_pid" ] && kill -9 "$bot_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home CEPHALO_HOME= CEPHALO_CACHE_DIR=$work/cache
mkdir -p "$HOME"
cd "$work" || exit 1
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20; fi
}
wait_for() {
  local limit=$1; shift
  for _ in $(seq $((limit * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  "$@"
}
example=$source/config/examples/ab_test.yaml

"$c" backtest -c "$example" --json ab.json --html ab.html --set storage.path=$work/ab.sqlite \
  >console.txt 2>&1
check "the A/B example runs" test -s ab.json
check "console: both slots side by side" \
  grep -Eq '^ fast +live +50% +sma_crossover / spot' console.txt
check "console: slow is a paper slot" grep -Eq '^ slow +paper +50% +sma_crossover / spot' console.txt
check "console: the comparison with its significance figures and the seed" sh -c "
  grep -Eq '^ slow vs fast +[-+][0-9.]+% \[[-+][0-9.]+%, [-+][0-9.]+%\] +(yes|no) +[-+][0-9.]+ \[[-+][0-9.]+, [-+][0-9.]+\] +(yes|no)$' console.txt &&
  grep -q 'seed 20240501' console.txt"
check "HTML: the slots table and the comparison table, one row per slot / comparison" python3 -c "
import re, sys
html = open('ab.html').read()
for table, rows in (('slots-table', 2), ('slot-comparison-table', 1)):
    m = re.search(r'<table id=\"%s\">.*?<tbody>(.*?)</tbody>' % table, html, re.S)
    assert m, table + ' missing'
    assert m.group(1).count('<tr>') == rows, (table, m.group(1))
assert 'slow vs fast' in html and 'seed 20240501' in html
assert 'Significant' in html
"
check "JSON: slots with metrics, live flag, shares and the bootstrap comparison" python3 -c "
import json
r = json.load(open('ab.json'))
s = r['slots']
assert [x['name'] for x in s] == ['fast', 'slow'], s
assert [x['live'] for x in s] == [True, False]
assert [x['capital_share'] for x in s] == [0.5, 0.5]
assert s[0]['strategies'] == ['sma_crossover'] and s[0]['trading_mode'] == 'spot'
assert set(s[0]['metrics']) == set(r['metrics']), 'a slot has the report metrics'
assert s[0]['comparison'] is None
c = s[1]['comparison']
assert c['baseline'] == 'fast'
for key in ('mean_trade_return', 'sharpe'):
    e = c[key]
    assert e['ci_low'] <= e['difference'] <= e['ci_high'], e
    assert e['significant'] == (e['ci_low'] > 0 or e['ci_high'] < 0)
m = r['slot_comparison']
assert m['seed'] == 20240501 and m['resamples'] == 2000 and m['confidence'] == 0.95
"
check "the sub-accounts' starting cash adds up to starting_cash x the shares" python3 -c "
import json
r = json.load(open('ab.json'))
s = r['slots']
assert [x['starting_cash'] for x in s] == [0.5, 0.5]
assert r['starting_cash'] == sum(x['starting_cash'] for x in s) == 1.0 * (0.5 + 0.5)
assert abs(r['final_equity'] - sum(x['final_equity'] for x in s)) < 1e-12
assert r['metrics']['trade_count'] == sum(x['metrics']['trade_count'] for x in s)
"
"$c" backtest -c "$example" --json ab2.json --set storage.path=$work/ab2.sqlite >/dev/null 2>&1
check "the comparison is deterministic (same seed, same figures)" python3 -c "
import json
a, b = json.load(open('ab.json')), json.load(open('ab2.json'))
assert a['slots'] == b['slots'] and a['slot_comparison'] == b['slot_comparison']
"

# Isolation: each slot alone, on its share of the cash, must give exactly its slot's results.
cat >solo.yaml <<YAML
mode: backtest
market:
  feeds: [{symbol: ETH/BTC, timeframe: 5m, file: $source/data/ETH_BTC-5m.csv}]
  bad_rows: reject
pipeline:
  strategies: [{tentacle: sma_crossover, params: {fast: 10, slow: 50}}]
  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.99}}
backtest: {starting_cash: 0.5, fees: {maker: 0.001, taker: 0.001}}
storage: {path: $work/solo.sqlite}
logging: {level: warn, file: ''}
YAML
"$c" backtest -c solo.yaml --json fast.json >/dev/null 2>&1
"$c" backtest -c solo.yaml --json slow.json --set storage.path=$work/solo2.sqlite \
  --set pipeline.strategies.0.params.fast=30 --set pipeline.strategies.0.params.slow=120 \
  --set risk.strategy.max_trades_per_day=20 >/dev/null 2>&1
check "each slot trades exactly as its strategy alone on its share (no fill or order crosses)" \
  python3 -c "
import json
r = json.load(open('ab.json'))
for slot, solo_file in zip(r['slots'], ('fast.json', 'slow.json')):
    solo = json.load(open(solo_file))
    assert slot['final_equity'] == solo['final_equity'], (slot['name'], slot['final_equity'], solo['final_equity'])
    assert slot['metrics'] == solo['metrics'], slot['name']
assert r['slots'][0]['metrics']['trade_count'] != r['slots'][1]['metrics']['trade_count']
"
check "storage keeps each slot's orders and fills under its own ids" python3 -c "
import sqlite3
db = sqlite3.connect('$work/ab.sqlite')
orders = [r[0] for r in db.execute('select client_order_id from orders')]
fills = [r[0] for r in db.execute('select trade_id from fills')]
for slot in ('fast/', 'slow/'):
    assert any(o.startswith(slot) for o in orders), slot
    assert any(f.startswith(slot) for f in fills), slot
assert all(o.startswith(('fast/', 'slow/')) for o in orders)
assert len(fills) == len(set(fills))
"
check "each slot's risk verdicts are stored under its name" python3 -c "
import sqlite3
db = sqlite3.connect('$work/ab.sqlite')
by_slot = dict(db.execute('select slot, count(*) from risk_verdicts group by slot').fetchall())
assert set(by_slot) == {'fast', 'slow'}, by_slot
"

# Config mistakes, each with file:line, all at once.
cat >bad.yaml <<YAML
mode: backtest
market:
  feeds: [{symbol: ETH/BTC, timeframe: 5m, file: $source/data/ETH_BTC-5m.csv}]
pipeline:
  strategies: [{tentacle: sma_crossover}]
slots:
  - name: a
    strategies: [{tentacle: sma_crossover}]
    capital_share: 0.7
    live: true
  - name: a
    strategies: [{tentacle: sma_crossover}]
    capital_share: 0.6
    live: true
YAML
"$c" backtest -c bad.yaml >bad.txt 2>&1
check "bad slots exit 2" test $? -eq 2
check "shares above 1 are an error at the share's line" grep -q 'bad.yaml:13:20: slots.1.capital_share: the capital shares' bad.txt
check "a second live slot is an error at its line" grep -q "bad.yaml:14:11: slots.1.live: slot 'a' is already the live one" bad.txt
check "a repeated slot name is an error at its line" grep -q "bad.yaml:11:11: slots.1.name: slot name 'a' is already used" bad.txt
check "pipeline.strategies next to slots is an error" grep -q 'bad.yaml:5:15: pipeline.strategies: with `slots:`' bad.txt
sed 's/    live: true/    risk: {position: {max_position_fractoin: 2}}/' bad.yaml >typo.yaml
"$c" backtest -c typo.yaml >typo.txt 2>&1
check "a misspelt risk override is an error with a suggestion" grep -q "slots.1.risk.position.max_position_fractoin: unknown key 'max_position_fractoin'; did you mean 'max_position_fraction'" typo.txt

# Paper mode: the live role moves with `cephalo slots promote`, on the loop, logged and stored.
sed -e 's/^mode: backtest/mode: paper/' -e "s#file: ../../data#file: $source/data#" \
  -e "s#path: backtest.sqlite#path: $work/paper.sqlite#" "$example" >paper.yaml
printf 'control: {watch_tentacles: false, watch_config: false}\nrun: {at_end_of_data: wait}\n' >>paper.yaml
sed -i 's/  bad_rows: reject/  bad_rows: reject\n  replay_speed: 3000/' paper.yaml
"$c" run -c paper.yaml >bot.out 2>&1 &
bot_pid=$!
check "the paper bot opens its control socket" wait_for 20 test -S "$work/paper.sqlite.sock"
check "slots list shows fast live" sh -c "'$c' slots list -c paper.yaml | grep -q 'fast  live'"
check "promote switches the live slot" sh -c \
  "'$c' slots promote slow -c paper.yaml | grep -q '^slot slow is live (was fast)$'"
check "slots list shows slow live" sh -c "'$c' slots list -c paper.yaml | grep -q 'slow  live'"
"$c" slots promote nope -c paper.yaml >nope.txt 2>&1
check "promoting an unknown slot fails" test $? -eq 1
check "... naming the slots there are" grep -q "no slot named 'nope' (slots: fast, slow)" nope.txt
kill -INT "$bot_pid"
wait "$bot_pid"
bot_pid=
check "the run's summary names the live slot" grep -q '^live slot: *slow$' bot.out
check "the promotion is stored in the journal" python3 -c "
import json, sqlite3
db = sqlite3.connect('$work/paper.sqlite')
rows = [json.loads(r[0]) for r in db.execute(\"select payload_json from events where type = 'slot_promoted'\")]
promoted = {'slot': 'slow', 'from': 'fast', 'by': 'control socket'}
assert rows == [dict(promoted, stage='requested'), dict(promoted, stage='effective'),
                {'slot': 'nope', 'from': 'slow', 'by': 'control socket', 'stage': 'refused',
                 'reason': \"no slot named 'nope' (slots: fast, slow)\"}], rows
"
check "the paper report marks slow live" grep -Eq '^ slow +live' bot.out

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
