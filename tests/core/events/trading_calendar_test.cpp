// Trading calendar: sessions, weekends, holidays, the UTC offset, and the config text parsers.
#include "events/trading_calendar.hpp"

#include <doctest/doctest.h>

using namespace cephalo;

namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

// ns since epoch for a UTC date and time, through the parser under test's sibling (dates) and
// plain arithmetic (times).
int64_t utc(const char* date, int hour, int minute) {
  const auto day = parse_calendar_date(date);
  REQUIRE(day.has_value());
  return ((*day * 24 + hour) * 60 + minute) * kMinuteNs;
}

TradingCalendar new_york() {
  TradingSession weekdays;
  for (int day = 0; day < 5; ++day) weekdays.days[static_cast<size_t>(day)] = true;
  weekdays.open_minute = 9 * 60 + 30;
  weekdays.close_minute = 16 * 60;
  return TradingCalendar(-5 * 60, {weekdays}, {*parse_calendar_date("2026-12-25")});
}

}  // namespace

TEST_CASE("dates count days since 1970-01-01 like the epoch does") {
  CHECK(parse_calendar_date("1970-01-01") == 0);
  CHECK(parse_calendar_date("2000-03-01") == 11017);  // after a leap day of a /400 year
  CHECK(parse_calendar_date("2026-11-26") == 20783);  // `date -d 2026-11-26 +%s` / 86400
  CHECK(parse_calendar_date("1969-12-31") == -1);
  CHECK_FALSE(parse_calendar_date("2026-02-29").has_value());
  CHECK(parse_calendar_date("2024-02-29").has_value());
  CHECK_FALSE(parse_calendar_date("2026-13-01").has_value());
  CHECK_FALSE(parse_calendar_date("26-12-25").has_value());
}

TEST_CASE("times of day and weekdays parse only their exact forms") {
  CHECK(parse_time_of_day("09:30") == 570);
  CHECK(parse_time_of_day("24:00") == 1440);
  CHECK_FALSE(parse_time_of_day("9:30").has_value());
  CHECK_FALSE(parse_time_of_day("24:01").has_value());
  CHECK_FALSE(parse_time_of_day("12:60").has_value());
  CHECK(parse_weekday("mon") == 0);
  CHECK(parse_weekday("sun") == 6);
  CHECK_FALSE(parse_weekday("Monday").has_value());
}

TEST_CASE("a 24/7 calendar is always open") {
  TradingCalendar always;
  CHECK(always.always_open());
  CHECK(always.is_open(utc("2026-12-25", 3, 0)));
}

TEST_CASE("weekday sessions in the exchange's time zone, closed on weekends and holidays") {
  const TradingCalendar nyse = new_york();
  // Thursday 2026-11-26, 09:30 in New York (UTC-5) is 14:30 UTC.
  CHECK_FALSE(nyse.is_open(utc("2026-11-26", 14, 29)));
  CHECK(nyse.is_open(utc("2026-11-26", 14, 30)));
  CHECK(nyse.is_open(utc("2026-11-26", 20, 59)));
  CHECK_FALSE(nyse.is_open(utc("2026-11-26", 21, 0)));  // 16:00 local: closed (exclusive)
  // Saturday and Sunday.
  CHECK_FALSE(nyse.is_open(utc("2026-11-28", 15, 0)));
  CHECK_FALSE(nyse.is_open(utc("2026-11-29", 15, 0)));
  // Friday 2026-12-25 is a holiday; Thursday before it is not.
  CHECK_FALSE(nyse.is_open(utc("2026-12-25", 15, 0)));
  CHECK(nyse.is_open(utc("2026-12-24", 15, 0)));
  // A UTC time on the next UTC day that is still Friday evening locally is judged locally.
  CHECK_FALSE(nyse.is_open(utc("2026-11-28", 1, 0)));  // Friday 20:00 local: after the close
}
