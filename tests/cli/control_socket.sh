#!/usr/bin/env bash
# Issue 20 finding 2 (regression): one idle client blocked the control socket (kill went through
# after 37 s, SIGTERM took 43 s). Now clients are served at once, each with its own deadline and
# size limit: with silent clients connected, `cephalo kill` and `resume` answer promptly, a graceful
# stop (SIGTERM) is prompt, many clients are served together, and finding 11's "read_until:
# Element not found" for a request over 64 KB is a clear error.
# Usage: control_socket.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
source=$2
cephalo=$build/bin/cephalo
work=$(mktemp -d)
bot_pid=
cleanup() {
  [ -n "$bot_pid" ] && kill -9 "$bot_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export CEPHALO_CACHE_DIR=$work/cache HOME=$work
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$work/last.log" | tail -15; fi
}

sed -e 's/^mode: backtest/mode: paper/' -e "s#file: ../../data#file: $source/data#" \
  -e "s#path: backtest.sqlite#path: $work/bot.sqlite#" \
  "$source/config/examples/sma_crossover_reference.yaml" >"$work/bot.yaml"
printf 'control: {watch_tentacles: false, watch_config: false}\nrun: {at_end_of_data: wait}\n' \
  >>"$work/bot.yaml"
"$cephalo" run -c "$work/bot.yaml" >"$work/bot.out" 2>&1 &
bot_pid=$!
socket=$work/bot.sqlite.sock
for _ in $(seq 1 200); do [ -S "$socket" ] && break; sleep 0.1; done
check "the paper bot opens its control socket" test -S "$socket"

# Two clients that never finish a request stay connected while the others are served.
python3 - "$socket" "$work/silent.pid" <<'PY' &
import os, socket, sys, time
silent = socket.socket(socket.AF_UNIX); silent.connect(sys.argv[1])
partial = socket.socket(socket.AF_UNIX); partial.connect(sys.argv[1])
partial.sendall(b'{"command": "kill"')  # no end, no newline
open(sys.argv[2], "w").write(str(os.getpid()))
time.sleep(60)
PY
silent_pid=$!
for _ in $(seq 1 50); do [ -s "$work/silent.pid" ] && break; sleep 0.1; done

timed() {  # timed SECONDS command...: runs it, fails if it fails or takes longer
  local limit=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" || return 1
  end=$(date +%s.%N)
  python3 -c "import sys; t = $end - $start; print('took %.2f s' % t); sys.exit(0 if t < $limit else 1)"
}
check "with silent clients connected, cephalo kill answers within 2 s" \
  timed 2 sh -c "'$cephalo' kill --socket '$socket' --reason 'silent clients' | grep -q 'kill switch thrown'"
check "... and cephalo resume too" \
  timed 2 sh -c "'$cephalo' resume --socket '$socket' | grep -q 'trading resumed'"

check "twenty clients at once are all answered" python3 - "$socket" <<'PY'
import json, socket, sys, threading
answers = []
def ask():
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
    s.sendall(b'{"query":"status"}\n')
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    answers.append(json.loads(data))
threads = [threading.Thread(target=ask) for _ in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print(len(answers), all(a["ok"] for a in answers))
sys.exit(0 if len(answers) == 20 and all(a["ok"] for a in answers) else 1)
PY

check "a request over 64 KiB gets a clear error, not 'read_until: Element not found'" \
  python3 - "$socket" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
try:
    s.sendall(b'{"query":"status","pad":"' + b"x" * 70000)
except OSError:
    pass  # the server may close before it read everything; the answer is still there
data = b""
while not data.endswith(b"\n"):
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
answer = json.loads(data)
print(answer)
assert answer["ok"] is False
assert "larger than 65536 bytes" in answer["error"] and "Element not found" not in answer["error"]
PY

check "a client that sends nothing is told so after the read deadline" python3 - "$socket" <<'PY'
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.settimeout(15); s.connect(sys.argv[1])
start = time.time()
data = s.recv(65536)
answer = json.loads(data)
print(answer, "after %.1f s" % (time.time() - start))
assert answer["ok"] is False and "no complete request line within 5000 ms" in answer["error"]
PY

# A graceful stop with silent clients connected (they were 43 s in the way before).
check "the bot still runs, its socket open" test -S "$socket"
python3 - "$socket" "$work/holder.ready" <<'PY' &
import socket, sys, time
held = []
for _ in range(3):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)
open(sys.argv[2], "w").write("connected")
time.sleep(30)
PY
holder_pid=$!
for _ in $(seq 1 100); do [ -s "$work/holder.ready" ] && break; sleep 0.1; done
check "three silent clients are connected" test -s "$work/holder.ready"
start=$(date +%s.%N)
kill -TERM "$bot_pid"
for _ in $(seq 1 100); do kill -0 "$bot_pid" 2>/dev/null || break; sleep 0.05; done
end=$(date +%s.%N)
check "SIGTERM with silent clients connected stops the bot within 3 s" \
  python3 -c "import sys; t = $end - $start; print('took %.2f s' % t); sys.exit(0 if t < 3 else 1)"
wait "$bot_pid"
status=$?
bot_pid=
check "... cleanly (exit 0)" test "$status" -eq 0
check "... and the socket file is removed" test ! -e "$socket"
kill "$silent_pid" "$holder_pid" 2>/dev/null

echo "control_socket: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
