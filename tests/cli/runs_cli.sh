#!/usr/bin/env bash
# Issue 14 end to end, with the real binary and real SQLite files: two backtests into one database
# each keep all their orders, fills and trades under their own run id, equal to their JSON reports
# (must-show 1); `cephalo runs list|show|diff|export|delete`; a forced conflict fails the run with
# table and key (must-show 2); an older database is migrated and a newer one refused (must-show 4);
# and storage under faults (issue 20, finding 10): a damaged file is refused untouched, a full
# disk stops a paper run at once with the reason and keeps what was written, and `--json` to a
# full disk says why and leaves no temporary file. A full disk is real here: a file-size limit
# (ulimit -f, SIGXFSZ ignored) makes the kernel refuse the writes, as ENOSPC would.
# Usage: runs_cli.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
c=$build/bin/cephalo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CEPHALO_CACHE_DIR=$work/cache
cd "$work" || exit 1
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20; fi
}
reference=$source/config/examples/sma_crossover_reference.yaml

# --- Must-show 1: the reference config on ETH/BTC, then on LTC/BTC, into the same database.
"$c" backtest -c "$reference" --set storage.path=two.sqlite --json eth.json >eth.out 2>&1
check "run 1 (ETH/BTC) succeeds" test $? -eq 0
"$c" backtest -c "$reference" --set storage.path=two.sqlite --data "$source/data/LTC_BTC-5m.csv" \
  --json ltc.json >ltc.out 2>&1
check "run 2 (LTC/BTC) succeeds in the same database" test $? -eq 0
check "each JSON report carries its run id" python3 -c "
import json
assert json.load(open('eth.json'))['run_id'] == 1
assert json.load(open('ltc.json'))['run_id'] == 2"
check "each run's orders, fills and trades are all stored under its id, equal to its report" \
  python3 - two.sqlite eth.json ltc.json <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for path in sys.argv[2:]:
    report = json.load(open(path))
    run = report["run_id"]
    q = lambda sql: db.execute(sql, (run,)).fetchall()
    trades = q("select pair, entry_time_ns, entry_price, exit_time_ns, exit_price, quantity, fees,"
               " pnl, exit_reason from trades where run_id = ? order by rowid")
    listed = [(t["pair"], t["entry_time"], t["entry_price"], t["exit_time"], t["exit_price"],
               t["quantity"], t["fees"], t["pnl"], t["exit_reason"]) for t in report["trades"]]
    stored = [(p, e // 10**6, ep, x // 10**6, xp, qty, f, pnl, r) for p, e, ep, x, xp, qty, f, pnl, r in trades]
    assert stored == listed, (path, len(stored), len(listed))
    assert len(listed) > 40, (path, len(listed))
    # Every fill is a trade's entry or exit, or an open position's entry: side, time, price, quantity.
    fills = sorted((s, t // 10**6, p, qty) for s, t, p, qty in q(
        "select side, time_ns, price, quantity from fills where run_id = ?"))
    expected = sorted([("buy", t["entry_time"], t["entry_price"], t["quantity"]) for t in report["trades"]]
                      + [("sell", t["exit_time"], t["exit_price"], t["quantity"]) for t in report["trades"]]
                      + [("buy", p["entry_time"], p["entry_price"], p["quantity"]) for p in report["open_positions"]])
    assert fills == expected, (path, len(fills), len(expected))
    # Every order: filled once (its fill stored under the same run), or rejected as the report lists.
    orders = dict(q("select client_order_id, status from orders where run_id = ?"))
    filled = [o for o, s in orders.items() if s == "filled"]
    by_order = dict(q("select client_order_id, count(*) from fills where run_id = ? group by client_order_id"))
    assert sorted(filled) == sorted(by_order), path
    assert all(n == 1 for n in by_order.values()), path
    rejected = [o for o, s in orders.items() if s in ("rejected", "refused_by_risk")]
    assert len(rejected) == len(report["rejected_orders"]), (path, len(rejected))
    assert len(orders) == len(filled) + len(rejected), (path, orders)
    print(f"run {run}: {len(listed)} trades, {len(fills)} fills, {len(orders)} orders, all stored")
PY
check "the second run's 108 trades are there in full (216 orders, 216 fills)" python3 -c "
import sqlite3; db = sqlite3.connect('two.sqlite')
n = lambda t: db.execute(f'select count(*) from {t} where run_id = 2').fetchone()[0]
assert (n('trades'), n('orders'), n('fills')) == (108, 216, 216), (n('trades'), n('orders'), n('fills'))"
check "a backtest stores no candles by default (journal_market_data: auto)" python3 -c "
import sqlite3; assert sqlite3.connect('two.sqlite').execute('select count(*) from candles').fetchone()[0] == 0"

# Reruns give byte-identical reports, run_id included: each into a fresh database.
"$c" backtest -c "$reference" --set storage.path=again1.sqlite --json again1.json >/dev/null 2>&1
"$c" backtest -c "$reference" --set storage.path=again2.sqlite --json again2.json >/dev/null 2>&1
check "two runs into fresh databases give byte-identical JSON (run_id 1 both)" cmp again1.json again2.json

# --- cephalo runs
check "runs list --help prints its usage line" sh -c "'$c' runs list --help | grep -Eq '^Usage: .*cephalo runs list'"
"$c" runs list --db two.sqlite >list.out 2>&1
check "runs list shows both runs with their orders, fills and trades" python3 - list.out <<'PY'
import re, sys
rows = [l.split() for l in open(sys.argv[1]) if re.match(r"^\d+ ", l)]
assert [(r[0], r[1]) for r in rows] == [("1", "backtest"), ("2", "backtest")], rows
assert rows[1][-4:-1] == ["216", "216", "108"], rows[1]
assert all(r[-1] == "completed" for r in rows), rows
PY
check "runs list --json counts every table per run" python3 -c "
import json, subprocess
d = json.loads(subprocess.check_output(['$c', 'runs', 'list', '--db', 'two.sqlite', '--json']))
assert [r['id'] for r in d['runs']] == [1, 2]
assert d['runs'][1]['rows']['trades'] == 108 and d['runs'][1]['rows']['order_intents'] > 0"
check "runs show names the run, its outcome and trades" sh -c "'$c' runs show 2 --db two.sqlite >show.out &&
  grep -q '^run 2 (backtest)' show.out && grep -q '^outcome:  completed' show.out && grep -q '^trades:   108 ' show.out"
check "runs show of a missing run lists the ones there are" sh -c "! '$c' runs show 9 --db two.sqlite 2>missing.err &&
  grep -q 'has no run 9; its runs are: 1, 2' missing.err"
check "runs diff 1 2: trades and fills only in each, the data file's line in the config" sh -c "
  '$c' runs diff 1 2 --db two.sqlite >diff.out && grep -Eq '^trades +[0-9]+ +108 ' diff.out &&
  grep -q 'only in 1: ETH/BTC' diff.out && grep -q 'only in 2: LTC/BTC' diff.out"
check "runs diff of a run with itself: the same rows" sh -c "'$c' runs diff 2 2 --db two.sqlite | grep -q 'the two runs stored the same rows'"
check "runs export writes one CSV per table, header plus rows" sh -c "
  '$c' runs export 2 --format csv --db two.sqlite --out exported >export.out &&
  test \$(wc -l <exported/trades.csv) -eq 109 && test \$(wc -l <exported/orders.csv) -eq 217 &&
  test \$(wc -l <exported/fills.csv) -eq 217 && head -1 exported/trades.csv | grep -q '^pair,entry_time_ns,' &&
  grep -q '^2,' exported/run.csv && grep -q 'exported/trades.csv: 108 rows' export.out"
check "the exported trades equal the stored ones, value for value" python3 - <<'PY'
import csv, sqlite3
db = sqlite3.connect("two.sqlite")
stored = db.execute("select pair, entry_time_ns, entry_price, exit_time_ns, exit_price, quantity, "
                    "fees, pnl, exit_reason from trades where run_id = 2 order by rowid").fetchall()
rows = list(csv.DictReader(open("exported/trades.csv")))
read = [(r["pair"], int(r["entry_time_ns"]), float(r["entry_price"]), int(r["exit_time_ns"]),
         float(r["exit_price"]), float(r["quantity"]), float(r["fees"]), float(r["pnl"]),
         r["exit_reason"]) for r in rows]
assert read == stored
PY
check "runs export refuses another format (CSV only)" sh -c "! '$c' runs export 2 --format parquet --db two.sqlite"
check "runs delete 1 removes run 1 and its rows, and keeps run 2's" sh -c "
  '$c' runs delete 1 --db two.sqlite | grep -q '^deleted run 1 and its' &&
  python3 -c \"
import sqlite3; db = sqlite3.connect('two.sqlite')
tables = [r[0] for r in db.execute(\\\"select name from sqlite_master where type = 'table' and sql like '%run_id%'\\\")]
assert len(tables) >= 13, tables
assert all(db.execute(f'select count(*) from {t} where run_id = 1').fetchone()[0] == 0 for t in tables)
assert db.execute('select count(*) from trades where run_id = 2').fetchone()[0] == 108
assert [r[0] for r in db.execute('select id from runs')] == [2]\""

# --- Must-show 2: a forced conflict is reported with table and key and fails the run.
CEPHALO_TEST_STORAGE_CONFLICT=fills:3 "$c" backtest -c "$reference" --set storage.path=conflict.sqlite \
  --json conflict.json >conflict.out 2>&1
status=$?
check "a forced conflict fails the run" test "$status" -ne 0
check "it names the table and the key" grep -Eq "table fills, key \(run 1, trade_id '[^']+'\): not written \(sqlite: UNIQUE constraint failed" conflict.out
check "and counts what was refused" grep -q "1 record(s) refused by the database and not written" conflict.out
check "the run is stored as failed, with the reason" sh -c "'$c' runs list --db conflict.sqlite | grep -q 'failed: 1 record(s) refused'"
check "no report is written for a failed run" test ! -e conflict.json

# --- Must-show 4: a database written by cephalo at schema 4 is migrated; a newer one is refused.
cp "$source/tests/core/storage/fixtures/schema4.sqlite" old.sqlite
"$c" runs list --db old.sqlite >old.out 2>old.err
check "an older database is migrated, and the note says where its rows went" sh -c "
  grep -q 'upgraded from schema version 4 to 5' old.err && grep -q 'under run 4 (mode .migrated.)' old.err &&
  grep -Eq '^4 +migrated ' old.out"
cp old.sqlite future.sqlite
python3 -c "import sqlite3; c = sqlite3.connect('future.sqlite'); c.execute('pragma user_version = 99'); c.commit()"
check "a newer database is refused, naming both versions" sh -c "
  ! '$c' runs list --db future.sqlite 2>future.err && grep -q 'schema version 99, which is newer than this cephalo supports (5)' future.err"

# --- Issue 20 finding 10: a database with damaged pages is refused, and left as it was.
cp again1.sqlite damaged.sqlite
python3 - damaged.sqlite <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
assert len(data) >= 8 * 4096, len(data)
data[3 * 4096:4 * 4096] = bytes((i * 37 + 11) % 251 for i in range(4096))  # page 4: garbage
open(path, "wb").write(bytes(data))
PY
before=$(sha256sum damaged.sqlite)
"$c" backtest -c "$reference" --set storage.path=damaged.sqlite >damaged.out 2>&1
status=$?
check "a damaged database is refused before the run" test "$status" -ne 0
check "the refusal names the file and says it is damaged" grep -q "damaged.sqlite' is damaged: SQLite's quick_check found" damaged.out
check "the damaged file is left byte for byte" sh -c "test -s damaged.sqlite && test \"\$(sha256sum damaged.sqlite)\" = \"$before\""

# --- Disk full during a paper run: it stops at once with the reason and keeps what was written.
# The limit applies to every file the process writes, the private copies of the tentacle
# libraries included: it must exceed the largest of them (~90 kB in a release build, ~1.7 MB with
# AddressSanitizer), and the files the run writes must outgrow it by far. Hence generated data,
# two pairs of 35,000 one-minute candles (a database of ~7 MB at the end), and a limit of
# 512 kB or the largest library plus 64 kB.
largest_library_kb=$(find "$build/lib/cephalo/tentacles" -name '*.so' -printf '%s\n' | sort -n | tail -1)
largest_library_kb=$(( ${largest_library_kb:-0} / 1024 + 64 ))
size_limit_kb=$(( largest_library_kb > 512 ? largest_library_kb : 512 ))
mkdir -p walk
"$c" data generate --bars 35000 --seed 11 --out walk/ETH_BTC-1m.csv >/dev/null
"$c" data generate --bars 35000 --seed 12 --out walk/LTC_BTC-1m.csv >/dev/null
cat >paper.yaml <<YAML
mode: paper
market:
  feeds:
    - {symbol: ETH/BTC, timeframe: 1m, file: $work/walk/ETH_BTC-1m.csv}
    - {symbol: LTC/BTC, timeframe: 1m, file: $work/walk/LTC_BTC-1m.csv}
  replay_speed: 1000000   # about 2.4 s for the whole data: a stop at once shows
pipeline:
  evaluators: [{tentacle: rsi}]
  strategies: [{tentacle: evaluator_threshold}]
  trading_mode: {tentacle: spot}
run: {at_end_of_data: stop}
storage: {path: $work/full/paper.sqlite, batch_size: 200, flush_interval_ms: 20}
logging: {level: info, console: true, file: ''}
YAML
mkdir -p full
"$c" run -c paper.yaml >paper_ok.out 2>&1
check "the paper run passes without a limit" test $? -eq 0
all_events=$(sed -n 's/.*replay finished: \([0-9]*\) events.*/\1/p' paper_ok.out | tail -1)
rm -rf full && mkdir full
(trap '' XFSZ; ulimit -f "$size_limit_kb"; exec "$c" run -c paper.yaml) >paper_full.out 2>&1
status=$?
check "disk full: the paper run fails" test "$status" -ne 0
check "disk full: the reason is given (what the system refused, not only SQLite's words)" \
  grep -q "the file size limit of this process (ulimit -f) of $(( size_limit_kb * 1024 )) bytes is reached" paper_full.out
check "disk full: the run stops at once, not at the end of the data" python3 - paper_full.out "$all_events" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
assert "stopping the run" in text, "no stop"
done = [int(n) for n in re.findall(r"replay finished: (\d+) events", text)]
assert done and done[-1] < int(sys.argv[2]) // 2, (done, sys.argv[2])
PY
check "disk full: what was committed is kept, and the file opens" sh -c "
  '$c' runs list --db full/paper.sqlite >full_list.out && grep -Eq '^1 +paper ' full_list.out &&
  python3 -c \"import sqlite3; db = sqlite3.connect('full/paper.sqlite')
assert db.execute('pragma quick_check').fetchone()[0] == 'ok'
assert db.execute('select count(*) from candles').fetchone()[0] > 0\""

# --- --json to a full disk: the reason, and no temporary file left.
# ulimit -f caps each file the process writes. The cap is 60% of the report, and it must stay
# above every other file the run writes: its database (under 100 kB without the journal) and the
# private copies of the tentacle libraries the reference config uses (sma_crossover and spot),
# which are several MB in a sanitizer build. The report grows with the candles (by its trades),
# so the candles double until 60% of the report clears the largest library. The first run of each
# size writes the candle cache, so the limited one writes only its database, the copies and the
# report.
used_library_kb=$(find "$build/lib/cephalo/tentacles" \( -path '*/sma_crossover/*.so' -o \
  -path '*/spot/*.so' \) -printf '%s\n' | sort -n | tail -1)
used_library_kb=$(( ${used_library_kb:-0} / 1024 ))
mkdir -p report_data report
one_minute=(--data report_data/ETH_BTC-1m.csv --set storage.journal_decisions=false)
report_bars=150000
for _ in 1 2 3 4 5 6; do
  "$c" data generate --bars "$report_bars" --seed 13 --out report_data/ETH_BTC-1m.csv >/dev/null
  rm -f json_ok.sqlite
  "$c" backtest -c "$reference" "${one_minute[@]}" --set storage.path=json_ok.sqlite \
    --json json_ok.json >/dev/null 2>&1
  size=$(stat -c %s json_ok.json)
  limit=$(( size * 3 / 5 / 1024 ))  # in kB: 60% of the report
  [ "$limit" -gt $(( used_library_kb + 64 )) ] && break
  report_bars=$(( report_bars * 2 ))
done
check "--json: the limit is above the run's tentacle libraries, so the report meets it" \
  test "$limit" -gt $(( used_library_kb + 64 ))
(trap '' XFSZ; ulimit -f "$limit"; exec "$c" backtest -c "$reference" "${one_minute[@]}" \
  --set storage.path=json_full.sqlite --json report/out.json) >json_full.out 2>&1
status=$?
check "--json to a full disk fails the command" test "$status" -ne 0
check "--json to a full disk gives the system's reason" grep -q "cannot write the report report/out.json: File too large" json_full.out
check "--json to a full disk leaves no file behind" test -z "$(ls -A report)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
