// The REST side of the simulator: Binance's /api/v3 subset plus the /sim control endpoints.
// Thread-safety: not thread-safe; called on the simulator's I/O thread only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exchange_sim/sim_venue.hpp"

namespace cephalo::exchange_sim {

struct RestRequest {
  std::string method;                    // GET, POST, PUT, DELETE
  std::string path;                      // without the query
  std::string query;                     // after '?', still URL-encoded
  std::string body;                      // a form body (POST/PUT/DELETE may carry parameters there)
  const std::string* api_key = nullptr;  // X-MBX-APIKEY, when sent
};

struct RestReply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
};

// Every /api/ reply carries X-MBX-USED-WEIGHT-1M. Control endpoints (not Binance):
//   GET  /sim/state    {"server_time", "markets", "balances", "orders", "trades", "faults", ...}
//   POST /sim/faults   a faults document (sim_faults.hpp); answers the faults now on
//   POST /sim/advance  {"candles": N} or {"quarters": N}: plays the clock forward now
RestReply handle_rest(SimVenue& venue, const RestRequest& request);

}  // namespace cephalo::exchange_sim
