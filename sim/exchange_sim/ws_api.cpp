// WebSocket API requests: session authentication and user data subscriptions.
#include "exchange_sim/ws_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "exchange_sim/request_auth.hpp"

namespace cephalo::exchange_sim {

namespace {

using nlohmann::json;

// Every method the simulator serves weighs 2 (web-socket-api.md: session.*, userDataStream.*).
constexpr int64_t kMethodWeight = 2;

json rate_limits(SimVenue& venue) {
  return json::array({{{"rateLimitType", "REQUEST_WEIGHT"},
                       {"interval", "MINUTE"},
                       {"intervalNum", 1},
                       {"limit", venue.config().weight_limit_per_minute},
                       {"count", venue.limiter().used_weight(SimVenue::wall_ms())}}});
}

std::string success(SimVenue& venue, const json& id, json result) {
  return json{{"id", id}, {"status", 200}, {"result", std::move(result)},
              {"rateLimits", rate_limits(venue)}}
      .dump();
}

std::string failure(SimVenue& venue, const json& id, const ApiError& error) {
  return json{{"id", id},
              {"status", error.http_status},
              {"error", {{"code", error.code}, {"msg", error.msg}}},
              {"rateLimits", rate_limits(venue)}}
      .dump();
}

json session_result(SimVenue& venue, const WsApiSession& session) {
  const bool logged_on = !session.logged_on_key.empty();
  return {{"apiKey", logged_on ? json(session.logged_on_key) : json(nullptr)},
          {"authorizedSince", logged_on ? json(session.authorized_since_ms) : json(nullptr)},
          {"connectedSince", session.connected_since_ms},
          {"returnRateLimits", true},
          {"serverTime", venue.now_ms()},
          {"userDataStream", !session.subscriptions.empty()}};
}

// params as name -> text, for the signature payload; numbers are written as JSON prints them.
std::vector<std::pair<std::string, std::string>> flat_params(const json& params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : params.items()) {
    out.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

// apiKey, timestamp, recvWindow and signature of a SIGNED request; nullopt when they pass.
std::optional<ApiError> check_signed_params(SimVenue& venue, const json& params) {
  if (!params.is_object()) return ApiError{400, -1102, "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed."};
  for (const char* name : {"apiKey", "timestamp", "signature"}) {
    if (!params.contains(name)) {
      return ApiError{400, -1102, std::string("Mandatory parameter '") + name +
                                      "' was not sent, was empty/null, or malformed."};
    }
  }
  const std::string key = params["apiKey"].is_string() ? params["apiKey"].get<std::string>() : "";
  if (key != venue.config().api_key) {
    return ApiError{401, -2015, "Invalid API-key, IP, or permissions for action."};
  }
  const std::string signature =
      params["signature"].is_string() ? params["signature"].get<std::string>() : "";
  if (!venue.signature_valid(websocket_payload(flat_params(params)), signature)) {
    return ApiError{400, -1022, "Signature for this request is not valid."};
  }
  if (!params["timestamp"].is_number_integer()) {
    return ApiError{400, -1102,
                    "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."};
  }
  const int64_t recv_window =
      params.contains("recvWindow") && params["recvWindow"].is_number_integer()
          ? params["recvWindow"].get<int64_t>()
          : 5000;
  return check_timing(params["timestamp"].get<int64_t>(), recv_window, venue.now_ms());
}

}  // namespace

std::vector<std::string> handle_ws_api(SimVenue& venue, WsApiSession& session,
                                       std::string_view request) {
  const json frame = json::parse(request, nullptr, false);
  if (!frame.is_object() || !frame.contains("method") || !frame["method"].is_string()) {
    return {json{{"id", nullptr},
                 {"status", 400},
                 {"error", {{"code", -1102}, {"msg", "Mandatory parameter 'method' was not sent, was empty/null, or malformed."}}}}
                .dump()};
  }
  const json id = frame.value("id", json(nullptr));
  std::string method = frame["method"].get<std::string>();
  if (method.starts_with("v3/")) method = method.substr(3);
  const json params = frame.value("params", json::object());
  venue.limiter().count_request(SimVenue::wall_ms());
  const RateDecision decision = venue.limiter().admit(kMethodWeight, SimVenue::wall_ms());
  if (decision.status != 200) {
    return {failure(venue, id,
                    ApiError{decision.status, -1003,
                             "Too much request weight used; current limit is " +
                                 std::to_string(venue.config().weight_limit_per_minute) +
                                 " request weight per 1 MINUTE. Please use WebSocket Streams for "
                                 "live updates to avoid polling the API."})};
  }

  if (method == "ping") return {success(venue, id, json::object())};
  if (method == "time") return {success(venue, id, {{"serverTime", venue.now_ms()}})};
  if (method == "session.status") return {success(venue, id, session_result(venue, session))};
  if (method == "session.logon") {
    if (!venue.asymmetric_key()) {
      // web-socket-api.md "Session Authentication": only Ed25519 keys are supported
      // (errors.md -1020 UNSUPPORTED_OPERATION).
      return {failure(venue, id, ApiError{400, -1020, "This operation is not supported."})};
    }
    if (auto error = check_signed_params(venue, params)) return {failure(venue, id, *error)};
    session.logged_on_key = venue.config().api_key;
    session.authorized_since_ms = venue.now_ms();
    return {success(venue, id, session_result(venue, session))};
  }
  if (method == "session.logout") {
    std::vector<std::string> out;
    if (session.logon_subscription >= 0) {
      const int64_t ended = session.logon_subscription;
      std::erase(session.subscriptions, ended);
      session.logon_subscription = -1;
      out.push_back(json{{"subscriptionId", ended},
                         {"event", {{"e", "eventStreamTerminated"}, {"E", venue.now_ms()}}}}
                        .dump());
    }
    session.logged_on_key.clear();
    session.authorized_since_ms = 0;
    out.push_back(success(venue, id, session_result(venue, session)));
    return out;
  }
  if (method == "userDataStream.subscribe") {
    if (session.logged_on_key.empty()) {
      return {failure(venue, id,
                      ApiError{401, -2015, "Invalid API-key, IP, or permissions for action."})};
    }
    if (session.logon_subscription >= 0) {
      return {failure(venue, id, ApiError{400, -2035, "User Data Stream subscription already active."})};
    }
    session.logon_subscription = session.next_subscription_id++;
    session.subscriptions.push_back(session.logon_subscription);
    venue.count_user_subscription();
    return {success(venue, id, {{"subscriptionId", session.logon_subscription}})};
  }
  if (method == "userDataStream.subscribe.signature") {
    if (auto error = check_signed_params(venue, params)) return {failure(venue, id, *error)};
    // One subscription per account per connection (web-socket-api.md "General information").
    if (!session.subscriptions.empty()) {
      return {failure(venue, id, ApiError{400, -2035, "User Data Stream subscription already active."})};
    }
    const int64_t subscription = session.next_subscription_id++;
    session.subscriptions.push_back(subscription);
    venue.count_user_subscription();
    return {success(venue, id, {{"subscriptionId", subscription}})};
  }
  if (method == "userDataStream.unsubscribe") {
    std::vector<int64_t> ending = session.subscriptions;
    if (params.contains("subscriptionId") && params["subscriptionId"].is_number_integer()) {
      const int64_t wanted = params["subscriptionId"].get<int64_t>();
      ending.clear();
      if (std::find(session.subscriptions.begin(), session.subscriptions.end(), wanted) !=
          session.subscriptions.end()) {
        ending.push_back(wanted);
      }
    }
    std::vector<std::string> out;
    for (const int64_t ended : ending) {
      std::erase(session.subscriptions, ended);
      if (ended == session.logon_subscription) session.logon_subscription = -1;
      out.push_back(json{{"subscriptionId", ended},
                         {"event", {{"e", "eventStreamTerminated"}, {"E", venue.now_ms()}}}}
                        .dump());
    }
    out.push_back(success(venue, id, json::object()));
    return out;
  }
  if (method == "userDataStream.start" || method == "userDataStream.ping" ||
      method == "userDataStream.stop") {
    // Retired on 2026-02-20 (CHANGELOG 2026-01-21), like the REST listenKey endpoints
    // (errors.md -1016 SERVICE_SHUTTING_DOWN: "This service is no longer available.").
    venue.count_retired_call(method);
    return {failure(venue, id, ApiError{400, -1016, "This service is no longer available."})};
  }
  return {failure(venue, id, ApiError{400, -1000, "Unknown method: " + method + "."})};
}

}  // namespace cephalo::exchange_sim
