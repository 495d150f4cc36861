#!/usr/bin/env bash
# Reports stay byte-identical unless an issue changes them (issue 15 must-show 1): every backtest
# in config/examples/ and the default paper run (`cephalo run --json`) against the JSON reports in
# tests/backtest/golden/, committed from the build before the engine-seams work (storage's run_id
# included). Configs are named relative to the source root, so the reports' config_file does not
# depend on where the tree is checked out.
# Usage: golden_reports.sh CEPHALO_BINARY SOURCE_DIR [--update]
#   --update rewrites the goldens from this build: only in a commit that says which issue changes
#   the reports and how.
set -uo pipefail
c=$1
source=$(cd "$2" && pwd)
update=${3:-}
golden=$source/tests/backtest/golden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home CEPHALO_HOME= CEPHALO_CACHE_DIR=$work/cache
mkdir -p "$HOME"
passed=0 failed=0

compare() {  # compare NAME REPORT
  local name=$1 report=$2
  if [ "$update" = --update ]; then cp "$report" "$golden/$name.json"; echo "updated $name"; return; fi
  if cmp -s "$report" "$golden/$name.json"; then
    passed=$((passed + 1)); echo "ok   $name: identical ($(wc -c <"$report") bytes)"
  else
    failed=$((failed + 1)); echo "FAIL $name differs from tests/backtest/golden/$name.json:"
    diff <(python3 -m json.tool "$golden/$name.json") <(python3 -m json.tool "$report") | head -20
  fi
}

cd "$source" || exit 1
for config in config/examples/*.yaml; do
  name=$(basename "$config" .yaml)
  grep -q '^mode: live' "$config" && continue  # a live config has no backtest
  rm -f "$work"/*.sqlite*
  if ! "$c" backtest -c "$config" --json "$work/$name.json" --set storage.path="$work/bt.sqlite" \
      >"$work/$name.log" 2>&1; then
    failed=$((failed + 1)); echo "FAIL $name: the backtest failed"; tail -5 "$work/$name.log"; continue
  fi
  compare "$name" "$work/$name.json"
done

# The default paper run, as tools/run.sh starts it (the shipped file; the database into $work).
rm -f "$work"/*.sqlite*
if "$c" run -c config/default.yaml --json "$work/paper_default.json" \
    --set storage.path="$work/paper.sqlite" --set logging.file="$work/paper.jsonl" \
    >"$work/paper.log" 2>&1 </dev/null; then
  compare paper_default "$work/paper_default.json"
else
  failed=$((failed + 1)); echo "FAIL paper_default: the run failed"; tail -5 "$work/paper.log"
fi

echo "golden_reports: $passed passed, $failed failed"
exit $((failed > 0))
