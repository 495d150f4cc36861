#!/usr/bin/env bash
# `cephalo exchange-sim` as a process: it prints its port, answers a signed order signed by an
# independent client (Python's hmac), refuses a bad signature, and stops on SIGTERM.
# Usage: exchange_sim_cli.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
work=$(mktemp -d)
sim_pid=
cleanup() {
  if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export SIM_TEST_SECRET=cli-secret
"$cephalo" exchange-sim --data "$data/ETH_BTC-5m.csv" --symbol ETHBTC --interval 5m --port 0 \
  --speed 0 --history 5 --api-key cli-key --api-secret-env SIM_TEST_SECRET \
  --balances BTC=1,ETH=0 --faults '{"http_429":0}' >"$work/out" 2>"$work/err" &
sim_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on 127.0.0.1:' "$work/out" && break
  kill -0 "$sim_pid" 2>/dev/null || fail "exchange-sim exited: $(cat "$work/err")"
  sleep 0.1
done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/out")
[[ -n $port ]] || fail "no 'listening on' line: $(cat "$work/out")"

python3 - "$port" <<'PY'
import hashlib, hmac, json, sys, time, urllib.error, urllib.request
port = sys.argv[1]

def call(method, path, query, secret=b"cli-secret"):
    query += "&recvWindow=5000&timestamp=%d" % int(time.time() * 1000)
    signature = hmac.new(secret, query.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request("http://127.0.0.1:%s%s?%s&signature=%s"
                                     % (port, path, query, signature),
                                     method=method, headers={"X-MBX-APIKEY": "cli-key"})
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())

status, body = call("POST", "/api/v3/order", "symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC"
                    "&quantity=2&price=0.02&newClientOrderId=cli-1")
assert status == 200 and body["status"] == "NEW" and body["origQty"] == "2.00000000", body
status, body = call("GET", "/api/v3/account", "omitZeroBalances=false", secret=b"not-the-secret")
assert status == 400 and body["code"] == -1022, body
with urllib.request.urlopen("http://127.0.0.1:%s/sim/state" % port) as reply:
    state = json.loads(reply.read())
btc = [b for b in state["balances"] if b["asset"] == "BTC"][0]
assert btc == {"asset": "BTC", "free": "0.96000000", "locked": "0.04000000"}, btc
PY

kill -TERM "$sim_pid"
wait "$sim_pid" || fail "exchange-sim did not exit cleanly on SIGTERM"
sim_pid=
echo "exchange_sim_cli: ok"
