// API key, HMAC signature and recvWindow checks.
#include "exchange_sim/request_auth.hpp"

#include <algorithm>
#include <charconv>

namespace cephalo::exchange_sim {

namespace {

std::optional<int64_t> parse_int(const std::string& text) {
  int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

ApiError mandatory(const std::string& name) {
  return ApiError{400, -1102,
                  "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed."};
}

}  // namespace

std::optional<ApiError> check_api_key(const std::string* header, const std::string& expected) {
  if (header == nullptr || header->empty()) return ApiError{401, -2014, "API-key format invalid."};
  if (*header != expected) {
    return ApiError{401, -2015, "Invalid API-key, IP, or permissions for action."};
  }
  return std::nullopt;
}

std::optional<ApiError> check_signed(const QueryParams& params, const SignatureCheck& valid,
                                     int64_t server_time_ms) {
  const std::string* signature = params.find("signature");
  if (signature == nullptr || signature->empty()) return mandatory("signature");
  if (!valid(signed_text(params.total), *signature)) {
    return ApiError{400, -1022, "Signature for this request is not valid."};
  }
  const auto timestamp = parse_int(params.get("timestamp"));
  if (!timestamp) return mandatory("timestamp");
  int64_t recv_window = 5000;
  if (const std::string* text = params.find("recvWindow")) {
    const auto parsed = parse_int(*text);
    if (!parsed) return ApiError{400, -1131, "recvWindow must be less than 60000"};
    recv_window = *parsed;
  }
  return check_timing(*timestamp, recv_window, server_time_ms);
}

std::string websocket_payload(std::vector<std::pair<std::string, std::string>> params) {
  std::erase_if(params, [](const auto& param) { return param.first == "signature"; });
  std::sort(params.begin(), params.end());
  std::string payload;
  for (const auto& [name, value] : params) {
    if (!payload.empty()) payload += '&';
    payload.append(name).append(1, '=').append(value);
  }
  return payload;
}

std::optional<ApiError> check_timing(int64_t timestamp_ms, int64_t recv_window,
                                     int64_t server_time_ms) {
  if (recv_window <= 0 || recv_window > 60'000) {
    return ApiError{400, -1131, "recvWindow must be less than 60000"};
  }
  if (timestamp_ms >= server_time_ms + 1000) {
    return ApiError{400, -1021,
                    "Timestamp for this request was 1000ms ahead of the server's time."};
  }
  if (server_time_ms - timestamp_ms > recv_window) {
    return ApiError{400, -1021, "Timestamp for this request is outside of the recvWindow."};
  }
  return std::nullopt;
}

}  // namespace cephalo::exchange_sim
