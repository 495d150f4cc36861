// HMAC-SHA256 as exchanges use it to sign requests (Binance: hex of HMAC(secret, query string)).
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cephalo {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
// Lower-case hex, the form Binance expects in its `signature` parameter.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string to_hex(const uint8_t* bytes, size_t size);

}  // namespace cephalo
