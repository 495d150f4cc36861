// TradingCalendar: when a market is open (weekly sessions in a fixed UTC offset, minus holidays).
// Crypto trades 24/7, which is the default; stock and futures markets need one.
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cephalo {

struct TradingSession {
  std::array<bool, 7> days{};  // Monday = 0 ... Sunday = 6, in the calendar's local time
  int open_minute = 0;         // minutes after local midnight, inclusive
  int close_minute = 0;        // exclusive; > open_minute (an overnight session is two sessions)
};

class TradingCalendar {
 public:
  TradingCalendar() = default;  // always open
  TradingCalendar(int utc_offset_minutes, std::vector<TradingSession> sessions,
                  std::set<int64_t> holiday_days);

  bool always_open() const { return sessions_.empty(); }
  // Whether `time_ns` (ns since epoch UTC) falls in a session on a day that is not a holiday.
  bool is_open(int64_t time_ns) const;

 private:
  int utc_offset_minutes_ = 0;
  std::vector<TradingSession> sessions_;
  std::set<int64_t> holiday_days_;  // local days since 1970-01-01
};

// Config text: "09:30" → 570; nullopt unless HH:MM with 00 <= HH <= 24 and MM < 60 (24:00 only).
std::optional<int> parse_time_of_day(std::string_view text);
// "mon" ... "sun" → 0 ... 6.
std::optional<int> parse_weekday(std::string_view text);
// "2026-12-25" → days since 1970-01-01; nullopt for anything else or an impossible date.
std::optional<int64_t> parse_calendar_date(std::string_view text);

}  // namespace cephalo
