#!/usr/bin/env bash
# The bars-cache fuzz seeds are what the current cache format writes: regenerates them into a
# scratch folder and compares byte for byte. Usage: check_bars_cache_seeds.sh SEED_TOOL REPO
set -euo pipefail
tool=$1 repo=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$tool" "$scratch" "$repo"/tests/fuzz/seeds/candles_csv/*.csv >/dev/null
if ! diff -r "$scratch" "$repo/tests/fuzz/seeds/bars_cache"; then
  echo "the cache format changed: regenerate the seeds with" >&2
  echo "  $tool $repo/tests/fuzz/seeds/bars_cache $repo/tests/fuzz/seeds/candles_csv/*.csv" >&2
  exit 1
fi
echo "bars_cache seeds are current"
