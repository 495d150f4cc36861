#!/usr/bin/env bash
# Issue 20's bad-input audit through the real `cephalo` binary: each input that aborted, hung or
# leaked a secret before is refused at once with a message that names it, and the other commands
# go on working. Every command runs under `timeout`, so a hang fails the check instead of CI.
# Usage: input_limits.sh CEPHALO_BINARY SOURCE_DIR
set -uo pipefail
c=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home CEPHALO_HOME=$work/cephalo-home CEPHALO_CACHE_DIR=$work/cache
mkdir -p "$HOME" "$CEPHALO_HOME"
passed=0 failed=0
check() {  # check NAME COMMAND...: runs the command, records and prints the outcome
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -20; fi
}
# refused NAME EXPECTED_TEXT COMMAND...: exits non-zero within 20 s, says EXPECTED_TEXT.
refused() {
  local name=$1 expected=$2; shift 2
  local rc=0
  timeout 20 "$@" >"$work/out.log" 2>&1 || rc=$?
  check "$name" sh -c "test $rc -ne 0 -a $rc -ne 124 && grep -qF -- '$expected' '$work/out.log' || { echo 'exit $rc'; cat '$work/out.log'; exit 1; }"
}
reference=$source/config/examples/sma_crossover_reference.yaml
cd "$work"

# Finding 6: special files as data or config, directly, via --data, a feed's file, a symlink.
refused "--data /dev/zero is refused at once (by its name)" "--data /dev/zero: cannot tell the pair" \
  "$c" backtest -c "$reference" --data /dev/zero
mkfifo "$work/LTC_BTC-5m.csv"
refused "--data naming a FIFO is refused" "LTC_BTC-5m.csv: is a FIFO (named pipe), expected a candle file" \
  "$c" backtest -c "$reference" --data "$work/LTC_BTC-5m.csv"
ln -s /dev/urandom "$work/ETH_BTC-5m.csv"
refused "--data through a symlink to /dev/urandom is refused" \
  "is a symlink to /dev/urandom, a character device" "$c" backtest -c "$reference" --data "$work/ETH_BTC-5m.csv"
mkfifo "$work/feed.csv"
refused "a FIFO as market.feeds[].file is refused" "feed.csv: is a FIFO (named pipe)" \
  "$c" backtest -c "$reference" --set "market.feeds.0.file=$work/feed.csv"
mkfifo "$work/config.yaml"
refused "a FIFO as the config file is refused" "config.yaml: is a FIFO (named pipe), expected a YAML config file" \
  "$c" config validate "$work/config.yaml"
refused "/dev/zero as the config file is refused" "is a character device, expected a YAML config file" \
  "$c" backtest -c /dev/zero

# Finding 8: a time past 2262 names the file and line.
{ echo "timestamp,open,high,low,close,volume"; echo "1515560100000,1,2,0.5,1.5,3"
  echo "9300000000000000,1,2,0.5,1.5,3"; } >"$work/FAR_BTC-5m.csv"
refused "a time past 2262 is refused with its row" \
  "FAR_BTC-5m.csv:3: timestamp: timestamp 9300000000000000 ms is outside the years 1970 to 2262" \
  "$c" backtest -c "$reference" --data "$work/FAR_BTC-5m.csv"

# Finding 4 and 11: a billion-laughs config and a 10k-deep one.
{ echo "a0: &a0 [l, l, l, l, l, l, l, l, l, l]"
  for i in 1 2 3 4 5 6 7 8 9; do
    p="*a$((i - 1))"; echo "a$i: &a$i [$p, $p, $p, $p, $p, $p, $p, $p, $p, $p]"
  done; } >"$work/laughs.yaml"
refused "a billion-laughs config is refused" "aliases expand to more than 100000 values" \
  "$c" config validate "$work/laughs.yaml"
python3 -c "print('a: ' + '[' * 10000 + ']' * 10000)" >"$work/deep.yaml"
refused "a 10k-deep config says how deep and where" "nested more than 64 levels deep (at line 1)" \
  "$c" config validate "$work/deep.yaml"

# Finding 1: a manifest with a map where text belongs refuses that package only.
broken=$CEPHALO_HOME/tentacles/evaluators/broken
mkdir -p "$broken"
cat >"$broken/tentacle.yaml" <<EOF
name: broken
kind: evaluator
version: 1.0.0
abi_major: 1
abi_minor: 0
library: libcephalo_broken.so
sha256: $(printf '%064d' 0)
description: {a: 1}
EOF
check "tentacles list survives it and names the problem" sh -c \
  "timeout 20 '$c' tentacles list >'$work/list.log' 2>&1 && grep -q 'description: expected text, found a map' '$work/list.log' && grep -q 'rsi' '$work/list.log'"
check "config validate still works" timeout 20 "$c" config validate "$source/config/default.yaml"
check "a backtest still runs" timeout 60 "$c" backtest -c "$reference" --set storage.path="$work/bt.sqlite"

# Finding 7: an exchange key pasted into *_env is refused and never shown or stored.
key=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A
timeout 20 "$c" config show "$source/config/default.yaml" --set exchange.api_key_env=$key >"$work/show.log" 2>&1
check "config show hides it" sh -c "! grep -q '$key' '$work/show.log' && grep -q 'api_key_env: \"\*\*\*redacted\*\*\*\"' '$work/show.log'"
refused "config validate refuses it" "expected the name of an environment variable (upper-case" \
  "$c" config validate "$source/config/default.yaml" --set mode=live --set exchange.api_key_env=$key
check "... without showing it" sh -c "! grep -q '$key' '$work/out.log'"
refused "run refuses it" "expected the name of an environment variable" \
  "$c" run -c "$source/config/default.yaml" --set exchange.api_key_env=$key --set storage.path="$work/run.sqlite"
check "... without showing or storing it anywhere" sh -c "! grep -q '$key' '$work/out.log' && ! grep -rqa '$key' '$work' --exclude=out.log --exclude=last.log"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
