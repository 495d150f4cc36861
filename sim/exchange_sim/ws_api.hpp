// The simulator's WebSocket API (/ws-api/v3): the requests a connector needs for the user data
// stream, answered as web-socket-api.md documents them: session.logon / status / logout (Ed25519
// keys only), userDataStream.subscribe (a logged-on session), userDataStream.subscribe.signature
// (any key type), userDataStream.unsubscribe, ping and time. The retired listenKey methods
// (userDataStream.start / ping / stop, gone since 2026-02-20) are refused and counted.
// Thread-safety: not thread-safe; the simulator's single I/O thread calls it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exchange_sim/sim_venue.hpp"
#include "exchange_sim/stream_hub.hpp"

namespace cephalo::exchange_sim {

// One request frame in; the frames to send back (the response, preceded by an
// eventStreamTerminated when an unsubscribe or logout ends a subscription).
std::vector<std::string> handle_ws_api(SimVenue& venue, WsApiSession& session,
                                       std::string_view request);

}  // namespace cephalo::exchange_sim
