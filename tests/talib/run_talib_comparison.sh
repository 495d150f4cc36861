#!/usr/bin/env bash
# `cephalo indicators` on every bundled data file, compared cell by cell with the real TA-Lib C
# library (compare_with_talib.js). TA-Lib comes from the npm package `talib`, a Node binding that
# bundles TA-Lib's C sources; it is installed once into CACHE_DIR (default: a talib_node folder
# beside the binary's bin/ folder, i.e. in the build tree) and reused.
#
# Usage: run_talib_comparison.sh CEPHALO SOURCE_DIR [CACHE_DIR]
# Env:   TALIB_ALLOW=cause,...  passed to compare_with_talib.js --allow (default: none, so every
#                               difference fails; see that script for the causes)
#
# Needs node, npm, make, g++, python3 (for node-gyp) and Node's C++ headers on the machine. The
# build must not download anything but npm packages, so node-gyp is pointed at the local headers
# (--nodedir) instead of fetching them from nodejs.org.
set -uo pipefail
cephalo=$1
source=$2
cache=${3:-$(cd "$(dirname "$cephalo")/.." && pwd)/talib_node}
mkdir -p "$(dirname "$cache")" && cache=$(cd "$(dirname "$cache")" && pwd)/$(basename "$cache")
talib_version=2.0.5
spec='sma:10,sma:50,ema:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stoch:14:3:3,wma:20,adx:14,cci:20,obv,mfi:14,willr:14,roc:10'
module=$cache/node_modules/talib

tmp=
die() {
  echo "run_talib_comparison: $*" >&2
  [ -n "$tmp" ] && rm -rf "$tmp"
  echo "0 passed, 1 failed"
  exit 1
}

for tool in node npm make g++ python3; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed"
done

# The prefix whose include/node/node.h matches the running node (nodesource's nodejs package and
# Debian's libnode-dev both put them under /usr/include/node).
node_prefix() {
  local exe prefix
  exe=$(readlink -f "$(command -v node)")
  prefix=$(dirname "$(dirname "$exe")")
  if [ -f "$prefix/include/node/node.h" ] && [ -f "$prefix/include/node/common.gypi" ]; then
    echo "$prefix"
  elif [ -f /usr/include/node/node.h ] && [ -f /usr/include/node/common.gypi ]; then
    echo /usr
  fi
}

talib_works() {
  [ -f "$1/.cephalo-talib-ok" ] && node -e "
    const t = require('$1/node_modules/talib');
    const r = t.execute({ name: 'SMA', startIdx: 0, endIdx: 3, inReal: [1, 2, 3, 4], optInTimePeriod: 2 });
    if (r.begIndex !== 1 || r.result.outReal.join() !== '1.5,2.5,3.5') process.exit(1);
  " 2>/dev/null
}

install_talib() {
  local nodedir
  nodedir=$(node_prefix)
  [ -n "$nodedir" ] || die "Node's C++ headers (include/node/node.h, common.gypi) are missing:" \
    "install Debian's libnode-dev (or a nodejs package that ships them); node-gyp would" \
    "otherwise download them from nodejs.org, which is not reachable"
  tmp=$cache.tmp.$$
  rm -rf "$tmp" && mkdir -p "$tmp" || die "cannot create $tmp"
  echo '{ "name": "cephalo-talib-cache", "private": true }' >"$tmp/package.json"
  echo "installing talib@$talib_version into $cache (node headers from $nodedir/include/node)"
  # 1. Fetch without running the install script: the tarball ships prebuilt macOS arm64 object
  #    files (src/lib/temp/csr/*.o) with the same timestamp as the sources, so its own `make`
  #    would only archive those and the link fails ("archive has no index").
  npm install --prefix "$tmp" --ignore-scripts --no-audit --no-fund --loglevel=error \
    "talib@$talib_version" >"$tmp/npm-install.log" 2>&1 ||
    { cat "$tmp/npm-install.log"; die "npm install talib@$talib_version failed"; }
  # 2. Compile TA-Lib's C sources for this machine. One library folder at a time: ta_func's and
  #    ta_libc's makefiles compile the same objects into the same temp/ folder, so building them
  #    in parallel races (a half-written .o archived, then "file format not recognized" at link).
  #    Within one folder the objects are distinct, so -j2 there is safe.
  (cd "$tmp/node_modules/talib/src/lib/make/csr/linux/g++" && make clean &&
    for part in ta_common ta_func ta_abstract ta_libc; do make -C "$part" -j2 || exit 1; done) \
    >"$tmp/talib-make.log" 2>&1 || { tail -40 "$tmp/talib-make.log"; die "building TA-Lib failed"; }
  # 3. The package's install script (its make is now a no-op, then node-gyp) against local headers.
  npm rebuild talib --prefix "$tmp" --nodedir="$nodedir" --foreground-scripts \
    >"$tmp/npm-rebuild.log" 2>&1 || { tail -40 "$tmp/npm-rebuild.log"; die "node-gyp build failed"; }
  touch "$tmp/.cephalo-talib-ok"
  talib_works "$tmp" || die "the freshly built talib module does not work"
  rm -rf "$cache" && mv "$tmp" "$cache" || die "cannot move $tmp to $cache"
  tmp=
}

talib_works "$cache" || install_talib
c_version=$(sed -n 's/^#define \(MAJOR\|MINOR\|BUILD\|EXTRA\) "\(.*\)"/\2/p' \
  "$module/src/lib/src/ta_common/ta_version.c" | paste -sd' ' | awk '{print $1"."$2"."$3"-"$4}')
echo "TA-Lib C sources $c_version, from npm talib@$talib_version ($module)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
allow=()
[ -n "${TALIB_ALLOW:-}" ] && allow=(--allow "$TALIB_ALLOW")
passed=0 failed=0
for data in "$source"/data/ETH_BTC-5m.csv "$source"/data/LTC_BTC-5m.csv \
            "$source"/data/ADA_BTC-5m.csv "$source"/data/XRP_ETH-5m.csv \
            "$source"/data/ETH_BTC-1m.csv "$source"/data/XRP_USDT_USDT-1h-futures.csv; do
  name=$(basename "$data" .csv)
  if ! "$cephalo" indicators --data "$data" --out "$work/$name.csv" --indicators "$spec" \
       >"$work/$name.log" 2>&1; then
    failed=$((failed + 1)); echo "FAIL $name: cephalo indicators failed"; cat "$work/$name.log"
    continue
  fi
  if node "$source/tests/talib/compare_with_talib.js" --data "$data" --cephalo "$work/$name.csv" \
       --talib "$module" "${allow[@]}"; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
