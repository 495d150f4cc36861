#!/usr/bin/env bash
# Issue 20 (fail loudly, contain a crashing tentacle) as a user meets it, with real processes and
# real shared libraries (the crash_probe fixture builds):
#   1. bad parameters refuse `backtest` and `run` with exit 2 and the lines `config validate` prints;
#   2. a quarantine is a problem: exit 3, listed in the console and the JSON report (exit 0 with
#      run.on_tentacle_failure: quarantine, still listed); a clean report has no problems key;
#   3. `tentacles install` refuses builds that segfault, abort or hang (in create, load_state, the
#      first on_event, or a static constructor) and leaves the installed version in place;
#      `tentacles verify --smoke` names the stage; nothing of theirs runs in the CLI's process;
#   4. a running paper bot refuses each such build at a hot swap (smoke test in a child process)
#      and keeps trading; a refused build is tried once, whether the watcher or a command asks;
#   5. a bot killed by a build that crashes later (it passed the smoke test) restarts on the last
#      good build and says so; `tentacles list` shows the build as crashed; `tentacles rollback`.
# Usage: crash_containment.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
source=$2
c=$build/bin/cephalo
probes=$build/crash-tentacles
fixtures=$build/test-tentacles
work=$(mktemp -d)
bot_pid=
cleanup() {
  [ -n "$bot_pid" ] && kill -9 "$bot_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -c 0  # the crashes below are on purpose: no core files
export HOME=$work/home CEPHALO_HOME= CEPHALO_CACHE_DIR=$work/cache
mkdir -p "$HOME"
user=$HOME/.cephalo/tentacles
passed=0 failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20
       [ -f "$work/bot.out" ] && { echo "     --- bot log:"; tail -15 "$work/bot.out" | sed 's/^/     /'; }; fi
}
wait_for() {  # wait_for SECONDS COMMAND...
  local limit=$1; shift
  for _ in $(seq $((limit * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  "$@"
}
json_has() {  # json_has FILE PYTHON-EXPRESSION-ON-d
  python3 -c "import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}
cd "$work"

# ---- 1. bad parameters: refused before anything runs, exit 2, the validator's own lines -------
ref=$source/config/examples/sma_crossover_reference.yaml
bad=(--set pipeline.strategies.0.tentacle=evaluator_threshold)
"$c" config validate "$ref" "${bad[@]}" >validate.out 2>&1; validate_rc=$?
"$c" backtest -c "$ref" "${bad[@]}" >backtest_bad.out 2>&1; backtest_rc=$?
"$c" run -c "$ref" "${bad[@]}" --set mode=paper >run_bad.out 2>&1; run_rc=$?
check "config validate finds the parameters evaluator_threshold does not declare (exit 2)" \
  sh -c "test $validate_rc -eq 2 && grep -q \"params.fast: tentacle 'evaluator_threshold' has no such parameter\" validate.out"
check "backtest refuses to start with exit 2" test "$backtest_rc" -eq 2
check "run refuses to start with exit 2" test "$run_rc" -eq 2
check "backtest prints every line config validate prints" \
  sh -c "grep -v '^cephalo' backtest_bad.out | diff - validate.out"
check "run prints every line config validate prints" \
  sh -c "grep -v '^cephalo' run_bad.out | diff - validate.out"
check "nothing ran: no database was written" test ! -e "$work/cephalo-backtest.sqlite"

# ---- 2. a quarantine is a problem of the run -----------------------------------------------------
mkdir -p extra/evaluators && cp -r "$fixtures/evaluators/fixture_throws" extra/evaluators/
cat >quarantine.yaml <<YAML
mode: backtest
tentacles: {folders: [$work/extra]}
market:
  feeds: [{symbol: ETH/BTC, timeframe: 5m, file: $source/data/ETH_BTC-5m.csv}]
pipeline:
  evaluators: [{tentacle: rsi}, {tentacle: fixture_throws}]
  strategies: [{tentacle: evaluator_threshold}]
  trading_mode: {tentacle: spot}
storage: {path: $work/quarantine.sqlite}
logging: {console: false, file: ''}
backtest: {starting_cash: 1}
YAML
"$c" backtest -c quarantine.yaml --json q.json --html q.html >q.out 2>&1; rc=$?
check "a quarantine stops the backtest with exit 3 (run.on_tentacle_failure: stop)" test "$rc" -eq 3
check "the console lists it under Problems" \
  grep -q "tentacle_quarantined evaluator fixture_throws 1.0.0: tentacle 'fixture_throws'.*quarantined after on_event failed.*boom" q.out
check "the JSON report has it in problems" json_has q.json \
  "[p['kind'] for p in d['problems']] == ['tentacle_quarantined'] and d['problems'][0]['count'] == 1"
check "the HTML report shows it" grep -q 'id="problems-table"' q.html
"$c" backtest -c quarantine.yaml --set run.on_tentacle_failure=quarantine --json q2.json >q2.out 2>&1
rc=$?
check "with run.on_tentacle_failure: quarantine the run goes on and exits 0" test "$rc" -eq 0
check "...and still lists the quarantine" json_has q2.json \
  "d['problems'][0]['kind'] == 'tentacle_quarantined' and 'went on without it' in d['problems'][0]['message'] and d['bars'] == 5760"
"$c" backtest -c "$ref" --set storage.path="$work/clean.sqlite" --json clean.json >clean.out 2>&1
rc=$?
check "a clean backtest exits 0 and its report has no problems key" \
  sh -c "test $rc -eq 0 && ! grep -q '\"problems\"' clean.json && ! grep -q '^Problems' clean.out"

# ---- 3. install and verify: crashing builds refused, the good one stays ------------------------
check "tentacles install installs the good build" "$c" tentacles install "$probes/good/strategies/crash_probe"
before=$(cd "$HOME" && find . -type f -exec md5sum {} + | sort)
for build in segv_create abort_create loop_create segv_load_state abort_load_state \
             loop_load_state segv_on_event abort_on_event loop_on_event segv_load; do
  "$c" tentacles install --timeout-ms 2000 "$probes/$build/strategies/crash_probe" >"install_$build.out" 2>&1
  rc=$?
  check "install refuses $build (exit 1, the stage named)" sh -c \
    "test $rc -eq 1 && grep -Eq 'crashed with SIG(SEGV|ABRT) in|did not finish within 2000 ms in' install_$build.out"
done
after=$(cd "$HOME" && find . -type f -exec md5sum {} + | sort)
check "the refused installs left the user folder exactly as it was" test "$before" = "$after"
check "tentacles list still shows the good build, ok" sh -c \
  "'$c' tentacles list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if any(t[\"name\"]==\"crash_probe\" and t[\"version\"]==\"1.0.0\" and t[\"status\"]==\"ok\" for t in d[\"tentacles\"]) else 1)'"
"$c" tentacles verify "$probes/segv_load/strategies/crash_probe" >verify_load.out 2>&1; rc=$?
check "verify: a static constructor that segfaults is reported, the CLI survives" sh -c \
  "test $rc -eq 1 && grep -q 'failed the load check (run in a child process): crashed with SIGSEGV in load' verify_load.out"
"$c" tentacles verify "$probes/abort_load_state/strategies/crash_probe" >verify_plain.out 2>&1; rc=$?
check "verify without --smoke runs no create or load_state" test "$rc" -eq 0
"$c" tentacles verify --smoke "$probes/abort_load_state/strategies/crash_probe" >verify_smoke.out 2>&1
rc=$?
check "verify --smoke names the stage" sh -c \
  "test $rc -eq 1 && grep -q 'failed the smoke test (run in a child process): crashed with SIGABRT in load_state' verify_smoke.out"

# ---- 4. a running paper bot: smoke-tested swaps ---------------------------------------------------
package=$user/strategies/crash_probe
cat >bot.yaml <<YAML
mode: paper
market:
  feeds: [{symbol: ETH/BTC, timeframe: 5m, file: $source/data/ETH_BTC-5m.csv}]
  replay_speed: 3000
pipeline:
  strategies: [{tentacle: crash_probe}]
  trading_mode: {tentacle: spot, params: {sizing: fixed_fraction, fraction: 0.5}}
run: {at_end_of_data: wait}
storage: {path: $work/bot.sqlite}
logging: {file: $work/bot.jsonl}
control: {debounce_ms: 1000, smoke_timeout_ms: 3000}
backtest: {starting_cash: 10}
YAML
history_count() {  # history_count KEY=VALUE...: how many swap records have these fields
  "$c" tentacles history -c bot.yaml --json | python3 -c "
import json, sys
rows = json.load(sys.stdin)
want = dict(a.split('=', 1) for a in sys.argv[1:])
print(sum(1 for r in rows if all(str(r.get(k)) == v for k, v in want.items())))" "$@"
}
orders() { python3 -c "import sqlite3; print(sqlite3.connect('$work/bot.sqlite').execute('select count(*) from orders').fetchone()[0])"; }
export -f history_count orders json_has
export c work
"$c" run -c bot.yaml >bot.out 2>&1 &
bot_pid=$!
check "the paper bot opens its control socket" wait_for 30 test -S bot.sqlite.sock
check "the bot trades (orders in its database)" wait_for 30 bash -c "test \$(orders 2>/dev/null || echo 0) -gt 0"
for build in segv_create abort_create loop_create segv_load_state abort_load_state \
             loop_load_state segv_on_event abort_on_event loop_on_event; do
  version=$(sed -n 's/^version: //p' "$probes/$build/strategies/crash_probe/tentacle.yaml")
  orders_before=$(orders)
  cp "$probes/$build/strategies/crash_probe/"* "$package/"
  check "a swap to $build ($version) is refused by the smoke test" wait_for 30 bash -c \
    "test \$(history_count to_version=$version outcome=rolled_back) -eq 1"
  check "...the reason names the child process and the stage" bash -c \
    "'$c' tentacles history -c bot.yaml --json | python3 -c 'import json,sys; sys.exit(0 if any(r[\"to_version\"]==\"$version\" and \"refused by the smoke test (run in a child process, stage\" in r[\"message\"] for r in json.load(sys.stdin)) else 1)'"
  check "...and the bot keeps trading on 1.0.0" wait_for 30 bash -c "test \$(orders) -gt $orders_before"
done
check "the bot is still running 1.0.0" sh -c \
  "'$c' tentacles history -c bot.yaml --json | python3 -c 'import json,sys; sys.exit(0 if all(r[\"outcome\"]==\"rolled_back\" and r[\"from_version\"]==\"1.0.0\" for r in json.load(sys.stdin)) else 1)'"
# The same refused build again, by command: answered from the first attempt, not tried again.
"$c" tentacles reload crash_probe -c bot.yaml --json >reload.json 2>&1; rc=$?
check "a reload of the refused build is refused (exit 1) with the first attempt's answer" bash -c \
  "test $rc -eq 1 && json_has reload.json \"d['repeated'] and d['outcome'] == 'rolled_back'\""
check "...and adds no history row (one per build)" bash -c "test \$(history_count to_version=2.2.3) -eq 1"
# A new build asked for by command right after the copy, and by the watcher once the folder is
# quiet (1 s): one attempt, one row, whichever comes first.
cp "$probes/segv_load/strategies/crash_probe/"* "$package/"
"$c" tentacles reload crash_probe -c bot.yaml --json >reload2.json 2>&1
sleep 3
check "a build refused on command is not tried again by the watcher (one row)" bash -c \
  "test \$(history_count to_version=2.3.1) -eq 1"
# A good build installed into the watched folder: swapped in, and install's hidden staging and
# kept-version folders neither trigger anything nor make the watcher warn.
check "tentacles install puts a good build into the running bot's folder" \
  "$c" tentacles install "$probes/good2/strategies/crash_probe"
check "...which is swapped in (1.0.0 -> 1.0.1, state handed over)" wait_for 30 bash -c \
  "test \$(history_count to_version=1.0.1 outcome=swapped handoff=state) -eq 1"
check "the watcher logged no warning about install's hidden folders" sh -c "! grep -q 'cannot watch' bot.out"
kill -INT "$bot_pid"
wait "$bot_pid"
rc=$?
bot_pid=
check "SIGINT stops the bot; its exit status is 3: rolled-back swaps are problems" test "$rc" -eq 3
check "its summary lists them" grep -q "swap_rolled_back strategy crash_probe 2.0.1" bot.out

# ---- 5. a bot killed by a build that crashes later ------------------------------------------------
rm -rf "$user" && mkdir -p "$user"
check "install good, then late_segv (it passes the smoke test)" sh -c \
  "'$c' tentacles install '$probes/good/strategies/crash_probe' && '$c' tentacles install '$probes/late_segv/strategies/crash_probe' | grep -q 'kept the version it replaced, 1.0.0'"
sed -i 's/replay_speed: 3000/replay_speed: 0/; s/at_end_of_data: wait/at_end_of_data: stop/' bot.yaml
sed -i "s|path: $work/bot.sqlite|path: $work/crash.sqlite|" bot.yaml
"$c" run -c bot.yaml >crash.out 2>&1; rc=$?
check "the bot dies of the tentacle's segfault (exit 139)" test "$rc" -eq 139
check "its last words name the tentacle and the callback" grep -q \
  "cephalo: fatal signal 11 inside tentacle code (on_event; sha256, name, version: [0-9a-f]*.crash_probe.2.4.1); the next start refuses this build" crash.out
check "the crash log has the build's line" grep -Eq \
  "^[0-9]+	11	[0-9a-f]{64}	crash_probe	2.4.1	on_event$" "$user/.crashed-builds"
check "tentacles list shows the build as crashed" sh -c \
  "'$c' tentacles list | grep -E '^crash_probe +strategy +2.4.1 +1.1 +crashed' && '$c' tentacles list | grep -q 'with SIGSEGV in on_event'"
sed -i "s|path: $work/crash.sqlite|path: $work/restart.sqlite|" bot.yaml
"$c" run -c bot.yaml >restart.out 2>&1; rc=$?
check "the restarted bot runs to the end of the data on the last good build" sh -c \
  "grep -q 'tentacle strategy crash_probe 1.0.0 loaded' $work/bot.jsonl && grep -q 'replay finished: no more market data' restart.out"
check "...says so" grep -q \
  "warn.*tentacle 'crash_probe' 2.4.1 (.*) crashed a bot on .* UTC with SIGSEGV in on_event; starting its previous build 1.0.0 (kept by install) instead" restart.out
check "...and exits 3 with the crash as a problem (run.on_tentacle_failure: stop)" sh -c \
  "test $rc -eq 3 && grep -q 'tentacle_crashed strategy crash_probe 2.4.1' restart.out"
check "tentacles rollback makes 1.0.0 the installed build again" sh -c \
  "'$c' tentacles rollback crash_probe | grep -q 'rolled back crash_probe to 1.0.0' && '$c' tentacles list | grep -E '^crash_probe +strategy +1.0.0 +1.1 +ok'"

echo "crash_containment: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
