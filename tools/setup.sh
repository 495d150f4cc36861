#!/usr/bin/env bash
# Installs Cephalo's build dependencies from Debian 12 packages (quiet when all are there) and
# builds the tree. Usage: tools/setup.sh [BUILD_DIR [extra cmake args...]]
# CEPHALO_BUILD_TARGETS="a b" builds only those targets (and what they need); CC/CXX pick the
# compiler of a new build folder.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config binutils python3
  libboost-dev libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libsqlite3-dev
  doctest-dev libcli11-dev libssl-dev
  openssl curl  # the live tests drive the exchange simulator and make throwaway TLS certificates
  chromium  # the HTML report is tested in a real headless browser
  # clang 14 with its runtimes: libFuzzer and the sanitizers for tools/fuzz.sh and the TSan
  # stage of tools/test.sh; clang-tidy for tools/tidy.sh
  clang libclang-rt-14-dev clang-tidy
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# The TA-Lib comparison test builds the npm package `talib` (TA-Lib's own C sources) with
# node-gyp; a machine that already has Node keeps its own.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm libnode-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

build_dir=${1:-build}
shift || true
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$build_dir"
log="$build_dir/setup.log"
echo "setup: building into $build_dir (log: $log)"
if ! { cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" &&
       cmake --build "$build_dir" -j "$jobs" ${CEPHALO_BUILD_TARGETS:+--target $CEPHALO_BUILD_TARGETS}
     } >"$log" 2>&1; then
  grep -E 'error|Error|warning' "$log" | head -60 >&2 || tail -60 "$log" >&2
  echo "setup: build failed; the full log is $log" >&2
  exit 1
fi
