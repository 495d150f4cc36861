// Times written in a config (risk.account.kill_at): epoch milliseconds or ISO-8601 UTC.
// Thread-safety: single-threaded tests.
#include <doctest/doctest.h>

#include "config/time_text.hpp"

using cephalo::parse_config_time_ns;

TEST_CASE("config times: epoch milliseconds and ISO-8601 UTC name the same instant") {
  CHECK(parse_config_time_ns("1516406400000") == 1'516'406'400'000'000'000);
  CHECK(parse_config_time_ns("2018-01-20T00:00:00Z") == 1'516'406'400'000'000'000);
  CHECK(parse_config_time_ns("2018-01-20T00:00Z") == 1'516'406'400'000'000'000);
  CHECK(parse_config_time_ns("2018-01-10T04:55:00Z") == 1'515'560'100'000'000'000);
  CHECK(parse_config_time_ns("2020-02-29T23:59:59Z") == 1'583'020'799'000'000'000);
}

TEST_CASE("config times: anything else is refused, not guessed") {
  for (const char* text : {"", "tomorrow", "2018-01-20", "2018-01-20T00:00:00", "2018-01-20 00:00Z",
                           "2019-02-29T00:00Z", "2018-13-01T00:00Z", "2018-01-20T24:00Z", "-5",
                           "99999999999999999999"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_config_time_ns(text).has_value());
  }
}
