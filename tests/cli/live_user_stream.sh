#!/usr/bin/env bash
# Issue 13, must-show 1: the live bot gets its order updates over the WebSocket API user data
# stream (userDataStream.subscribe.signature), trades, and survives the venue ending the
# subscription (eventStreamTerminated), a dropped connection and a serverShutdown: each time it
# subscribes again and re-reads orders, fills and balances over REST, so nothing is lost. The
# retired listenKey endpoints are never called: the simulator counts such calls and must show
# none. The books equal the simulator's at the end.
# Usage: live_user_stream.sh CEPHALO_BINARY DATA_DIR
set -euo pipefail
cephalo=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/live_common.sh"

SIM_SPEED=300 start_sim
write_config ""
start_bot
log_has "user data stream subscribed over the WebSocket API (ws://127.0.0.1:$port/ws-api/v3)" ||
  fail "the user data stream did not subscribe over the WebSocket API"
fills() { sql "select count(*) from fills"; }
fills_above() { (($(fills) > $1)); }
wait_for "a first fill" fills_above 0

# 1. The venue ends the subscription: subscribed again on the same connection, then a resync.
sim_post /sim/faults '{"terminate_user_streams":true}'
wait_for "the re-subscription" log_has "subscribed again after a gap (the venue ended the subscription (eventStreamTerminated))"
n=$(fills)
wait_for "fills after the termination" fills_above "$n"

# 2. The connection drops: reconnected, subscribed again.
sim_post /sim/faults '{"drop_websockets":true}'
wait_for "the re-subscription after the drop" log_has "subscribed again after a gap (the WebSocket API connection was re-established)"
n=$(fills)
wait_for "fills after the drop" fills_above "$n"

# 3. serverShutdown: a new connection before the venue closes the old one.
sim_post /sim/faults '{"server_shutdown":true}'
wait_for "the reconnect after serverShutdown" log_has "serverShutdown; reconnecting"
wait_for "a third re-subscription" log_count_above "subscribed again after a gap" 2
wait_candles 2

kill -TERM "$bot_pid"
wait "$bot_pid" || fail "the bot did not exit cleanly on SIGTERM"
bot_pid=
state=$(sim_state)
python3 - "$state" <<'PY' || fail "the simulator's counts"
import json, sys
state = json.loads(sys.argv[1])
assert state["retired_endpoint_calls"] == {}, "retired endpoints called: %s" % state["retired_endpoint_calls"]
assert state["user_data_subscriptions"] >= 4, "subscriptions: %s" % state["user_data_subscriptions"]
print("user data subscriptions: %d, retired endpoint calls: none" % state["user_data_subscriptions"])
PY
python3 "$here/live_check.py" "$work/live.sqlite" "$port" --no-open-orders || fail "the books differ"
echo "live_user_stream: ok"
