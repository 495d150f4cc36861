#include "data/utc_time.hpp"

#include <chrono>
#include <cstdio>

namespace cephalo {

std::string format_utc_ms(int64_t epoch_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds{epoch_ms}};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[48];
  const int year = static_cast<int>(date.year());
  const unsigned month = static_cast<unsigned>(date.month());
  const unsigned mday = static_cast<unsigned>(date.day());
  const auto hour = static_cast<long long>(clock.hours().count());
  const auto minute = static_cast<long long>(clock.minutes().count());
  const auto second = static_cast<long long>(clock.seconds().count());
  const auto milli = static_cast<long long>(clock.subseconds().count());
  if (milli != 0) {
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", year, month,
                  mday, hour, minute, second, milli);
  } else {
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", year, month, mday,
                  hour, minute, second);
  }
  return text;
}

}  // namespace cephalo
