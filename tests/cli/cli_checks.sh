#!/usr/bin/env bash
# End-to-end checks of the installed `cephalo` CLI: install layout, --version, tentacle listing,
# an out-of-tree tentacle scaffolded, built against the install prefix, installed, listed and run,
# refused installs that change nothing, and config validation that lists every mistake.
# Usage: cli_checks.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home CEPHALO_HOME=
mkdir -p "$HOME"
passed=0 failed=0
check() {  # check NAME COMMAND...: runs the command, records and prints the outcome
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20; fi
}

prefix=$work/prefix
check "cmake --install gives a prefix" cmake --install "$build" --prefix "$prefix"
c=$prefix/bin/cephalo
check "bin/cephalo is executable" test -x "$c"
check "--version names version and ABI" sh -c "'$c' --version | grep -Eq '^cephalo [0-9]+\.[0-9]+\.[0-9]+ \(tentacle ABI 1\.[0-9]+\)$'"
check "SDK headers installed" test -f "$prefix/include/cephalo/tentacle.h" -a -f "$prefix/include/cephalo/sdk.hpp"
check "CMake package installed" test -f "$prefix/lib/cmake/Cephalo/CephaloConfig.cmake"
for t in evaluators/rsi strategies/evaluator_threshold trading_modes/spot interfaces/console_log; do
  check "built-in $t installed with its manifest" sh -c "test -f '$prefix/lib/cephalo/tentacles/$t/tentacle.yaml' && ls '$prefix/lib/cephalo/tentacles/$t/'lib*.so"
done
check "default config and data under share/cephalo" test -f "$prefix/share/cephalo/config/default.yaml" -a -f "$prefix/share/cephalo/data/ETH_BTC-5m.csv"

"$c" tentacles list --json >"$work/list.json" 2>"$work/list.err"
check "tentacles list --json: one ok tentacle of each kind" python3 - "$work/list.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = {t['kind'] for t in d['tentacles'] if t['status'] == 'ok' and t['origin'] == 'builtin'}
sys.exit(0 if ok == {'evaluator', 'strategy', 'trading_mode', 'interface'} else 1)
PY

# Out of tree: scaffold, build against the installed prefix only, install, list, run.
check "tentacles new scaffolds a project" "$c" tentacles new --kind strategy --name my_cross --dir "$work/my_cross"
check "the project builds against the installed prefix" sh -c "cmake -S '$work/my_cross' -B '$work/my_cross/build' -DCMAKE_PREFIX_PATH='$prefix' -DCMAKE_BUILD_TYPE=Release && cmake --build '$work/my_cross/build'"
check "tentacles verify accepts the build" "$c" tentacles verify "$work/my_cross/build"
check "tentacles install installs it" "$c" tentacles install "$work/my_cross/build"
check "it is listed as a user tentacle with status ok" sh -c "'$c' tentacles list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if any(t[\"name\"]==\"my_cross\" and t[\"status\"]==\"ok\" and t[\"origin\"]==\"user\" for t in d[\"tentacles\"]) else 1)'"
mkdir -p "$work/run"
check "cephalo run loads it into the pipeline" sh -c "cd '$work/run' && '$c' run --set 'pipeline.strategies.0={tentacle: my_cross}' --set logging.console=false | grep -q 'strategy/my_cross'"
check "the run (default config: paper) stored candles and signals" sh -c "cd '$work/run' && test \$(python3 -c 'import sqlite3; c=sqlite3.connect(\"cephalo-paper.sqlite\"); print(c.execute(\"select count(*) from candles\").fetchone()[0] > 0 and c.execute(\"select count(*) from signals\").fetchone()[0] > 0)') = True"

# Refused installs exit non-zero and change nothing.
before=$(cd "$HOME" && find . -type f -exec md5sum {} + | sort)
head -c 4096 /dev/urandom >"$work/libgarbage.so"
check "garbage .so refused, non-zero exit" sh -c "! '$c' tentacles install '$work/libgarbage.so'"
mkdir -p "$work/tampered" && cp "$work/my_cross/build/tentacle.yaml" "$work/my_cross/build/"*.so "$work/tampered/"
printf 'x' >>"$work/tampered/"libcephalo_my_cross.so
"$c" tentacles install "$work/tampered" >"$work/tampered.log" 2>&1
rc=$?
check "tampered library refused, non-zero exit" test "$rc" -ne 0
check "the refusal names the checksum mismatch" grep -q "checksum mismatch" "$work/tampered.log"
after=$(cd "$HOME" && find . -type f -exec md5sum {} + | sort)
check "refused installs changed nothing" test "$before" = "$after"
check "tentacles remove removes it" "$c" tentacles remove my_cross
check "removing a built-in is refused" sh -c "! '$c' tentacles remove rsi"

# Config validation lists every mistake with file:line:column and key.
cat >"$work/bad.yaml" <<'YAML'
mode: backtset
not_a_real_key: 1
storage:
  batch_size: lots
market:
  feeds:
    - symbol: ETH/BTC
      timeframe: 7m
YAML
"$c" config validate "$work/bad.yaml" >"$work/validate.log" 2>&1
rc=$?
check "config validate exits 2 on a bad config" test "$rc" -eq 2
for expected in "bad.yaml:1:7: mode:" "bad.yaml:2:1: not_a_real_key:" "bad.yaml:4:15: storage.batch_size:" \
                "bad.yaml:8:18: market.feeds.0.timeframe:" "bad.yaml:7:7: market.feeds.0.file: required" "5 problems"; do
  check "validate reports '$expected'" grep -qF "$expected" "$work/validate.log"
done
check "default config validates" "$c" config validate "$prefix/share/cephalo/config/default.yaml"
"$c" config validate "$prefix/share/cephalo/config/default.yaml" --set pipeline.evaluators.0.params.period=1 \
  --set pipeline.evaluators.0.params.perod=3 --set pipeline.strategies.0.tentacle=no_such_strategy >"$work/params.log" 2>&1
rc=$?
check "config validate checks tentacle parameters against their manifests (exit 2)" test "$rc" -eq 2
check "an out-of-range parameter is named with its --set" grep -q -- "--set:1:.*params.period (integer parameter of tentacle 'rsi'): expected a value in \[2, 500\], found 1" "$work/params.log"
check "an unknown parameter is named" grep -q "params.perod: tentacle 'rsi' has no such parameter" "$work/params.log"
check "a missing tentacle is named" grep -q "tentacle 'no_such_strategy' is not installed" "$work/params.log"
check "config show redacts secrets" sh -c "MY_KEY=hunter2-secret '$c' config show '$prefix/share/cephalo/config/default.yaml' --set exchange.api_key_env=MY_KEY --set mode=live | grep -v hunter2-secret >/dev/null && ! MY_KEY=hunter2-secret '$c' config show '$prefix/share/cephalo/config/default.yaml' --set exchange.api_key_env=MY_KEY | grep -q hunter2-secret"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
