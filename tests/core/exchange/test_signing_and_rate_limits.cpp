// Request signing (Binance's documented example), query encoding, server time, rate limits.
#include <doctest/doctest.h>

#include "crypto/hmac_sha256.hpp"
#include "exchange/net/rate_limiter.hpp"
#include "exchange/server_clock.hpp"
#include "exchange/binance/signing.hpp"
#include "exchange/venue_error.hpp"

using namespace cephalo::exchange;

TEST_CASE("signing reproduces the example in Binance's SIGNED endpoint documentation") {
  // From "SIGNED (TRADE, USER_DATA, AND MARGIN) Endpoint security", HMAC example.
  const std::string secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  RequestSigner signer(secret);
  QueryString query;
  query.add("symbol", "LTCBTC")
      .add("side", "BUY")
      .add("type", "LIMIT")
      .add("timeInForce", "GTC")
      .add("quantity", parse_decimal("1", "q").value())
      .add("price", parse_decimal("0.1", "p").value());
  signer.sign(query, 1499827319559, 5000);
  CHECK(query.text() ==
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
        "timestamp=1499827319559&signature="
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST_CASE("the pre-keyed signer agrees with the one-shot HMAC, including keys over 64 bytes") {
  for (const std::string& secret :
       {std::string("k"), std::string(64, 'a'), std::string(200, 'z')}) {
    RequestSigner signer(secret);
    for (const std::string& message :
         {std::string(), std::string("symbol=ETHBTC"), std::string(1000, 'm')}) {
      CHECK(signer.signature(message) == cephalo::hmac_sha256_hex(secret, message));
    }
  }
}

TEST_CASE("query values are percent-encoded outside the unreserved set") {
  QueryString query;
  query.add("newClientOrderId", "cph:run/1 x").add("n", int64_t{-42});
  CHECK(query.text() == "newClientOrderId=cph%3Arun%2F1%20x&n=-42");
}

TEST_CASE("the server clock uses the round-trip midpoint and can be invalidated after -1021") {
  int64_t local = 1'000'000;
  ServerClock clock([&] { return local; });
  CHECK(!clock.synced());
  clock.observe_server_time(1'000'600, 1'000'000, 1'000'200);  // server is 500 ms ahead
  CHECK(clock.offset_ms() == 500);
  local = 2'000'000;
  CHECK(clock.now_ms() == 2'000'500);
  clock.invalidate();
  CHECK(!clock.synced());
}

TEST_CASE("the rate limiter never exceeds the budget, honours 429 and stops everything on 418") {
  int64_t now = 60'000 * 100;  // the start of a minute window
  RateLimiter limiter({/*weight_budget_per_minute=*/10}, [&] { return now; });
  CHECK(limiter.admit(4).allowed);
  CHECK(limiter.admit(4).allowed);
  RateDecision over = limiter.admit(4);
  CHECK(!over.allowed);
  CHECK(over.retry_at_ms == 60'000 * 101);
  CHECK(over.reason.find("budget of 10") != std::string::npos);
  CHECK(limiter.admit(2).allowed);  // exactly the budget is fine

  // The IP's count (other clients on this IP) is held against the venue's limit, not against
  // this bot's own budget: another program on the IP does not lock the bot out.
  now = 60'000 * 101;
  limiter.observe_used_weight(5990);
  CHECK(limiter.admit(10).allowed);  // 6000 of 6000
  RateDecision spent = limiter.admit(1);
  CHECK(!spent.allowed);
  CHECK(spent.reason.find("IP's request weight") != std::string::npos);
  CHECK(spent.retry_at_ms == 60'000 * 102);

  now = 60'000 * 102;
  limiter.observe_too_many_requests(7);
  RateDecision backed_off = limiter.admit(1);
  CHECK(!backed_off.allowed);
  CHECK(backed_off.retry_at_ms == 60'000 * 102 + 7000);
  now += 7000;
  CHECK(limiter.admit(1).allowed);

  now = 60'000 * 103 - 7000;  // a fresh window for the rest
  CHECK(limiter.admit(1).allowed);
  limiter.observe_ban(120);
  CHECK(limiter.banned());
  now += 119'000;
  RateDecision banned = limiter.admit(1);
  CHECK(!banned.allowed);
  CHECK(banned.reason.find("418") != std::string::npos);
  now += 1000;
  CHECK(!limiter.banned());
  CHECK(limiter.admit(1).allowed);
}

TEST_CASE("Binance error codes map to what the caller must do") {
  CHECK(classify_venue_error(400, -1021, "Timestamp for this request is outside of the recvWindow.",
                             true) == VenueErrorKind::kTimestamp);
  CHECK(classify_venue_error(400, -1022, "Signature for this request is not valid.", false) ==
        VenueErrorKind::kSignature);
  CHECK(classify_venue_error(400, -2010, "Duplicate order sent.", true) ==
        VenueErrorKind::kDuplicateOrder);
  CHECK(classify_venue_error(400, -2010, "Account has insufficient balance for requested action.",
                             true) == VenueErrorKind::kRejected);
  CHECK(classify_venue_error(400, -2013, "Order does not exist.", false) ==
        VenueErrorKind::kOrderNotFound);
  CHECK(classify_venue_error(400, -2011, "Unknown order sent.", false) ==
        VenueErrorKind::kOrderNotFound);
  CHECK(classify_venue_error(503, 0, "", true) == VenueErrorKind::kUnknownOutcome);
  CHECK(classify_venue_error(500, 0, "", false) == VenueErrorKind::kTransport);
  CHECK(classify_venue_error(408, -1007, "Timeout waiting for response", true) ==
        VenueErrorKind::kUnknownOutcome);
  CHECK(classify_venue_error(429, -1003, "", true) == VenueErrorKind::kRateLimited);
  CHECK(classify_venue_error(418, -1003, "", true) == VenueErrorKind::kBanned);
  CHECK(classify_venue_error(401, -2015, "Invalid API-key", false) ==
        VenueErrorKind::kUnauthorized);
}
