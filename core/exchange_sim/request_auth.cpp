// API key, HMAC signature and recvWindow checks.
#include "exchange_sim/request_auth.hpp"

#include <charconv>

#include "crypto/hmac_sha256.hpp"

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

std::optional<ApiError> check_signed(const QueryParams& params, const std::string& secret,
                                     int64_t server_time_ms) {
  const std::string* signature = params.find("signature");
  if (signature == nullptr || signature->empty()) return mandatory("signature");
  if (hmac_sha256_hex(secret, signed_text(params.total)) != *signature) {
    return ApiError{400, -1022, "Signature for this request is not valid."};
  }
  const auto timestamp = parse_int(params.get("timestamp"));
  if (!timestamp) return mandatory("timestamp");
  int64_t recv_window = 5000;
  if (const std::string* text = params.find("recvWindow")) {
    const auto parsed = parse_int(*text);
    if (!parsed || *parsed <= 0 || *parsed > 60'000) {
      return ApiError{400, -1131, "recvWindow must be less than 60000"};
    }
    recv_window = *parsed;
  }
  if (*timestamp >= server_time_ms + 1000) {
    return ApiError{400, -1021,
                    "Timestamp for this request was 1000ms ahead of the server's time."};
  }
  if (server_time_ms - *timestamp > recv_window) {
    return ApiError{400, -1021, "Timestamp for this request is outside of the recvWindow."};
  }
  return std::nullopt;
}

}  // namespace cephalo::exchange_sim
