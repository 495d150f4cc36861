#!/usr/bin/env bash
# Issue 6, the TLS path end to end: `cephalo exchange-sim --tls-cert --tls-key` serves HTTPS and
# WSS with a certificate from a throwaway CA made here (make_test_certs.sh); `cephalo run` in mode
# live with https:// and wss:// URLs and exchange.ca_file trades against it (orders and fills over
# REST, klines and the user data stream over wss, no REST polling fallback), and its books equal
# the simulator's. Without exchange.ca_file (the system store) the bot refuses to start and says
# which certificate problem it found. Both programs are real processes on 127.0.0.1.
# Usage: live_tls.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

certs=$work/certs
bash "$here/make_test_certs.sh" "$certs" || fail "could not make the test certificates (openssl CLI)"

# The simulator's control endpoints over https, trusting only the test CA.
sim_post() {
  curl -sf --cacert "$certs/ca.pem" -X POST "https://127.0.0.1:$port$1" -d "$2" >/dev/null ||
    fail "POST $1 $2"
}
sim_state() { curl -sf --cacert "$certs/ca.pem" "https://127.0.0.1:$port/sim/state"; }

SIM_SPEED=300 start_sim --tls-cert "$certs/server.pem" --tls-key "$certs/server.key"
grep -q "TLS on" "$work/sim.err" || fail "the simulator did not say it serves TLS"
# It speaks TLS only: https answers, plain http on the same port does not.
[[ $(curl -sf --cacert "$certs/ca.pem" "https://127.0.0.1:$port/api/v3/ping") == "{}" ]] ||
  fail "no answer to https ping"
if curl -sf --max-time 5 "http://127.0.0.1:$port/api/v3/ping" >/dev/null 2>&1; then
  fail "the TLS simulator answered plain http"
fi

# write_config with the simulator's URLs turned into https:// and wss://; $1: the ca_file line.
write_tls_config() {
  write_config ""
  sed -i -e "s#base_url: http://#base_url: https://#" -e "s#ws_url: ws://#ws_url: wss://#" \
    "$work/live.yaml"
  if [[ -n $1 ]]; then sed -i "/^  ws_url: /a\\  ca_file: $1" "$work/live.yaml"; fi
  grep -q "base_url: https://127.0.0.1:$port" "$work/live.yaml" || fail "config not rewritten"
  grep -q "ws_url: wss://127.0.0.1:$port" "$work/live.yaml" || fail "config not rewritten"
}

# 1. No CA configured: the system store does not know the test CA, so the bot must refuse.
write_tls_config ""
set +e
timeout 60 "$cephalo" run -c "$work/live.yaml" >"$work/refused.out" 2>"$work/refused.err"
status=$?
set -e
[[ $status -ne 0 && $status -ne 124 ]] || fail "the bot did not refuse an unverifiable certificate (exit $status)"
cat "$work/refused.err" "$work/bot.log" >"$work/refused.all" 2>/dev/null || true
grep -q "certificate verify failed" "$work/refused.all" ||
  fail "the refusal does not say the certificate failed: $(cat "$work/refused.err")"
grep -q "unable to get local issuer certificate" "$work/refused.all" ||
  fail "the refusal does not name the certificate problem: $(cat "$work/refused.err")"
grep -q "exchange.ca_file" "$work/refused.all" || fail "the refusal does not say what to do"
[[ $(sim_state | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["orders"]))') == 0 ]] ||
  fail "an order reached the venue over an unverified connection"
rm -f "$work/live.sqlite" "$work/live.sqlite-wal" "$work/live.sqlite-shm" "$work/bot.log"

# 2. With the test CA: trades over https and wss.
write_tls_config "ca.pem"  # relative: resolved against the config file's directory
cp "$certs/ca.pem" "$work/ca.pem"
start_bot
wait_candles 3
wait_for "a first order" log_has "live: order cph-"
wait_for "a first fill" log_has "live: fill ETHBTC"
wait_candles 2
log_has "user data stream connected" || fail "the user data stream (wss) did not connect"
log_has "market data connected: wss://127.0.0.1:$port/" || fail "the kline stream is not on wss"
log_has "market data fallback" && fail "REST polling used: the wss kline stream did not work"
log_has "TLS handshake" && fail "a TLS handshake failed during the run"

kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly on SIGTERM"
bot_pid=
log_has "open orders cancelled" || fail "no shutdown line"
fills=$(sql "select count(*) from fills")
((fills >= 1)) || fail "no fill stored"
SSL_CERT_FILE="$certs/ca.pem" python3 "$here/live_check.py" "$work/live.sqlite" \
  "https://127.0.0.1:$port" --no-open-orders || fail "the books differ"
echo "live_tls: $fills fills over https/wss; books equal the simulator's"
