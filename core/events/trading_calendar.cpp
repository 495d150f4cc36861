// Weekly sessions checked in the calendar's local minutes; dates counted in plain Gregorian days.
// Thread-safety: see trading_calendar.hpp.
#include "events/trading_calendar.hpp"

#include <charconv>

namespace cephalo {

namespace {

constexpr int64_t kNanosPerMinute = 60'000'000'000;
constexpr int64_t kMinutesPerDay = 24 * 60;

bool is_leap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Leap years in [1, year]: the Gregorian rule counted in closed form.
int64_t leap_years_through(int64_t year) {
  return year / 4 - year / 100 + year / 400;
}

// Days from 1970-01-01 to year-month-day (years 1..9999, as the config accepts).
int64_t days_since_epoch(int64_t year, int month, int day) {
  static constexpr std::array<int, 12> kBeforeMonth = {0,   31,  59,  90,  120, 151,
                                                       181, 212, 243, 273, 304, 334};
  const int64_t days_before_year =
      (year - 1970) * 365 + (leap_years_through(year - 1) - leap_years_through(1969));
  const int64_t leap_day = month > 2 && is_leap(year) ? 1 : 0;
  return days_before_year + kBeforeMonth[static_cast<size_t>(month - 1)] + leap_day + day - 1;
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool parse_int(std::string_view text, int& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

TradingCalendar::TradingCalendar(int utc_offset_minutes, std::vector<TradingSession> sessions,
                                 std::set<int64_t> holiday_days)
    : utc_offset_minutes_(utc_offset_minutes),
      sessions_(std::move(sessions)),
      holiday_days_(std::move(holiday_days)) {}

bool TradingCalendar::is_open(int64_t time_ns) const {
  if (sessions_.empty()) return true;
  const int64_t local_minutes = floor_div(time_ns, kNanosPerMinute) + utc_offset_minutes_;
  const int64_t day = floor_div(local_minutes, kMinutesPerDay);
  if (holiday_days_.count(day) > 0) return false;
  const auto minute = static_cast<int>(local_minutes - day * kMinutesPerDay);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const auto weekday = static_cast<size_t>(((day % 7) + 7 + 3) % 7);
  for (const TradingSession& session : sessions_) {
    if (session.days[weekday] && minute >= session.open_minute && minute < session.close_minute) {
      return true;
    }
  }
  return false;
}

std::optional<int> parse_time_of_day(std::string_view text) {
  int hours = 0, minutes = 0;
  if (text.size() != 5 || text[2] != ':' || !parse_int(text.substr(0, 2), hours) ||
      !parse_int(text.substr(3, 2), minutes)) {
    return std::nullopt;
  }
  if (hours < 0 || minutes < 0 || minutes >= 60 || hours > 24 || (hours == 24 && minutes != 0)) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

std::optional<int> parse_weekday(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kNames = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (text == kNames[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int64_t> parse_calendar_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !parse_int(text.substr(0, 4), year) || !parse_int(text.substr(5, 2), month) ||
      !parse_int(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || day > kDays[static_cast<size_t>(month - 1)] ||
      (month == 2 && day == 29 && !is_leap(year))) {
    return std::nullopt;
  }
  return days_since_epoch(year, month, day);
}

}  // namespace cephalo
