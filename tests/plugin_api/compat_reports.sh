#!/usr/bin/env bash
# Must-show 4 of issue 15: tentacles compiled against the ABI 1.0 and 1.4 headers (kept in
# old_headers/) load on the 1.5 host and trade exactly as the current build of the same sources:
# the same backtest on each build gives byte-identical JSON reports.
# Usage: compat_reports.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
source=$2
cephalo=$build/bin/cephalo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export CEPHALO_CACHE_DIR=$work/cache HOME=$work
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -15; fi
}

for abi in 1_0 1_4 1_5; do
  root=$build/compat-tentacles/abi_$abi
  check "the ABI ${abi/_/.} builds are listed as ok with their ABI" python3 - "$cephalo" "$root" "1.${abi#1_}" <<'PY'
import json, subprocess, sys
cephalo, root, abi = sys.argv[1:]
out = json.loads(subprocess.run([cephalo, "tentacles", "list", "--json", "--folder", root],
                                check=True, capture_output=True, text=True).stdout)
ours = {t["name"]: t for t in out["tentacles"] if t["name"] in ("compat_cross", "compat_trader")}
print(ours)
assert set(ours) == {"compat_cross", "compat_trader"}
assert all(t["status"] == "ok" and t["abi"] == abi for t in ours.values())
PY
  cat >"$work/compat.yaml" <<YAML
mode: backtest
tentacles: {folders: ['$root']}
market:
  feeds: [{symbol: ETH/BTC, timeframe: 5m, file: '$source/data/ETH_BTC-5m.csv'}]
pipeline:
  strategies: [{tentacle: compat_cross, params: {fast: 10, slow: 40}}]
  trading_mode: {tentacle: compat_trader, params: {quantity: 2}}
backtest: {starting_cash: 1}
storage: {path: '$work/compat.sqlite'}
logging: {level: warn, file: ''}
YAML
  rm -f "$work/compat.sqlite"*
  check "the backtest runs on the ABI ${abi/_/.} builds" \
    "$cephalo" backtest -c "$work/compat.yaml" --json "$work/report_$abi.json"
done

check "the current build trades (the comparison is not between empty reports)" python3 - \
  "$work/report_1_5.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print("trades", len(report["trades"]))
assert len(report["trades"]) >= 10
PY
check "the ABI 1.0 build's report is byte-identical to the current build's" \
  cmp "$work/report_1_0.json" "$work/report_1_5.json"
check "the ABI 1.4 build's report is byte-identical to the current build's" \
  cmp "$work/report_1_4.json" "$work/report_1_5.json"

echo "compat_reports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
