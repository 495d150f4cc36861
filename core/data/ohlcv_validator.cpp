#include "data/ohlcv_validator.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "data/utc_time.hpp"

namespace cephalo {
namespace {

// Shortest text that reads back as the same double: a message quotes the value the file holds.
std::string number_text(double value) {
  char text[32];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return error == std::errc{} ? std::string(text, end) : std::string("?");
}

std::string time_text(int64_t epoch_ms) {
  return std::to_string(epoch_ms) + " (" + format_utc_ms(epoch_ms) + ")";
}

}  // namespace

OhlcvValidator::OhlcvValidator(std::string file, DataRowKind row_kind, int64_t interval_ms,
                               BadRowPolicy policy)
    : file_(std::move(file)), row_kind_(row_kind), interval_ms_(interval_ms), policy_(policy) {}

void OhlcvValidator::add_problem(DataRowKind kind, int64_t row, std::string_view column,
                                 std::string message) {
  if (result_.problems.size() >= kMaxListedDataProblems) {
    ++unlisted_problems_;
    return;
  }
  result_.problems.push_back(
      DataProblem{file_, kind, row, std::string(column), std::move(message)});
}

void OhlcvValidator::reject_row(int64_t row, std::string_view column, std::string message) {
  ++result_.dropped_rows;
  if (policy_ == BadRowPolicy::kSkip) message += "; row skipped";
  add_problem(row_kind_, row, column, std::move(message));
}

void OhlcvValidator::add_malformed_row(int64_t row, std::string_view column, std::string message) {
  reject_row(row, column, std::move(message));
}

void OhlcvValidator::add_file_problem(std::string message) {
  file_failed_ = true;
  // Never dropped by the cap: it is the one problem that explains why nothing loaded.
  result_.problems.push_back(
      DataProblem{file_, DataRowKind::kWholeFile, 0, std::string(), std::move(message)});
}

void OhlcvValidator::add_row(const OhlcvBar& bar, int64_t row) {
  if (!check_values(bar, row) || !check_order(bar, row)) return;
  result_.bars.push_back(bar);
  last_row_ = row;
}

bool OhlcvValidator::check_values(const OhlcvBar& bar, int64_t row) {
  // Times become int64 nanoseconds, which hold 1970 to 2262-04-11 only: a time outside would
  // wrap silently (9300000000000000 ms showed as year -31005). The close must fit too.
  const int64_t latest = kMaxCandleTimeMs - std::max<int64_t>(interval_ms_, 0);
  if (bar.open_time_ms < 0 || bar.open_time_ms > latest) {
    reject_row(row, "timestamp",
               "timestamp " + std::to_string(bar.open_time_ms) +
                   " ms is outside the years 1970 to 2262 (0 to " + std::to_string(latest) +
                   " ms since 1970, the range nanosecond times can hold); the column must be "
                   "epoch milliseconds (a time in microseconds or nanoseconds is 1000x larger)");
    return false;
  }
  const std::pair<const char*, double> fields[] = {{"open", bar.open},
                                                   {"high", bar.high},
                                                   {"low", bar.low},
                                                   {"close", bar.close},
                                                   {"volume", bar.volume}};
  for (const auto& [column, value] : fields) {
    if (!std::isfinite(value)) {
      reject_row(row, column, "expected a finite number, found " + number_text(value));
      return false;
    }
  }
  for (const auto& [column, value] : fields) {
    if (std::string_view(column) != "volume" && value <= 0) {
      reject_row(row, column, "expected a price above 0, found " + number_text(value));
      return false;
    }
  }
  if (bar.high < std::max(bar.open, bar.close)) {
    reject_row(row, "high",
               "high " + number_text(bar.high) +
                   " is below max(open, close) = " + number_text(std::max(bar.open, bar.close)));
    return false;
  }
  if (bar.low > std::min(bar.open, bar.close)) {
    reject_row(row, "low",
               "low " + number_text(bar.low) +
                   " is above min(open, close) = " + number_text(std::min(bar.open, bar.close)));
    return false;
  }
  if (bar.volume < 0) {
    reject_row(row, "volume", "expected a volume of 0 or more, found " + number_text(bar.volume));
    return false;
  }
  return true;
}

bool OhlcvValidator::check_order(const OhlcvBar& bar, int64_t row) {
  if (result_.bars.empty()) return true;
  const int64_t previous = result_.bars.back().open_time_ms;
  if (bar.open_time_ms == previous) {
    reject_row(row, "timestamp",
               "duplicate timestamp " + time_text(bar.open_time_ms) + ", same as " +
                   describe_row(row_kind_, last_row_) + "; each candle must appear once");
    return false;
  }
  if (bar.open_time_ms < previous) {
    reject_row(row, "timestamp",
               "timestamp " + time_text(bar.open_time_ms) + " is earlier than " +
                   time_text(previous) + " at " + describe_row(row_kind_, last_row_) +
                   "; candles must be sorted by time, oldest first");
    return false;
  }
  if (interval_ms_ <= 0) return true;
  // Unsigned: two extreme times from a corrupt file must not overflow the subtraction.
  const uint64_t step = static_cast<uint64_t>(bar.open_time_ms) - static_cast<uint64_t>(previous);
  const auto interval = static_cast<uint64_t>(interval_ms_);
  if (step % interval != 0) {
    // Off the grid means the file is not the timeframe the caller expects (or is corrupt);
    // counting "missing" candles across such a step would be meaningless.
    reject_row(row, "timestamp",
               "timestamp " + time_text(bar.open_time_ms) + " is " + std::to_string(step) +
                   " ms after " + describe_row(row_kind_, last_row_) +
                   ", not a multiple of the expected " + std::to_string(interval_ms_) +
                   " ms interval; check the timeframe");
    return false;
  }
  if (step > interval) {
    result_.gaps.push_back(
        GapInfo{previous, previous + interval_ms_, static_cast<int64_t>(step / interval - 1)});
  }
  return true;
}

OhlcvLoadResult OhlcvValidator::finish() && {
  if (unlisted_problems_ > 0) {
    result_.problems.push_back(
        DataProblem{file_, DataRowKind::kWholeFile, 0, std::string(),
                    std::to_string(unlisted_problems_) + " more problems not listed"});
  }
  // Under kReject a file whose every row is bad already says why in its row problems.
  const bool rows_explain = policy_ == BadRowPolicy::kReject && result_.dropped_rows > 0;
  if (!file_failed_ && result_.bars.empty() && !rows_explain) {
    add_file_problem(result_.dropped_rows == 0
                         ? "contains no candles"
                         : "no valid candles: all " + std::to_string(result_.dropped_rows) +
                               " rows have problems");
  }
  result_.ok = !file_failed_ && (policy_ == BadRowPolicy::kSkip || result_.dropped_rows == 0);
  if (!result_.ok) {
    // A failed load must not be half-used by mistake.
    result_.bars.clear();
    result_.bars.shrink_to_fit();
  }
  return std::move(result_);
}

}  // namespace cephalo
