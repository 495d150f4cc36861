// HMAC-SHA256 against published vectors: Binance's signing example and RFC 4231.
#include "crypto/hmac_sha256.hpp"

#include <doctest/doctest.h>

using cephalo::hmac_sha256_hex;

TEST_CASE("Binance's documented signing example gives its documented signature") {
  // From Binance spot API docs, "SIGNED Endpoint Examples for POST /api/v3/order" (HMAC key).
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  const std::string query =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
      "timestamp=1499827319559";
  CHECK(hmac_sha256_hex(secret, query) ==
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST_CASE("RFC 4231 test case 2 (a key shorter than the block)") {
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("a changed message changes the signature") {
  CHECK(hmac_sha256_hex("k", "symbol=LTCBTC") != hmac_sha256_hex("k", "symbol=LTCBTD"));
}
