#include "data/ohlcv_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <string>

namespace cephalo {
namespace {

constexpr std::array<std::string_view, 6> kColumns{"timestamp", "open",  "high",
                                                   "low",       "close", "volume"};
constexpr std::string_view kHeader = "timestamp,open,high,low,close,volume";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Long garbage (a binary file, a whole JSON document on one line) must not flood the message.
std::string quoted(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  // Appended piece by piece: `"'" + std::string(...)` trips g++ 12's false -Wrestrict.
  std::string out(1, '\'');
  out.append(text.substr(0, kMaxShown));
  out.append(text.size() > kMaxShown ? "...'" : "'");
  return out;
}

// Splits on commas into `fields`; returns the real field count, which may exceed fields.size().
size_t split_fields(std::string_view line, std::array<std::string_view, 6>& fields) {
  size_t count = 0;
  while (true) {
    const size_t comma = line.find(',');
    if (count < fields.size()) fields[count] = trim(line.substr(0, comma));
    ++count;
    if (comma == std::string_view::npos) return count;
    line.remove_prefix(comma + 1);
  }
}

bool header_matches(std::string_view line) {
  std::array<std::string_view, 6> fields;
  if (split_fields(line, fields) != fields.size()) return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!std::equal(fields[i].begin(), fields[i].end(), kColumns[i].begin(), kColumns[i].end(),
                    [](char a, char b) { return (a | 0x20) == b; })) {
      return false;
    }
  }
  return true;
}

// from_chars: no locale, no allocation, exact round-trip of shortest-repr text ("5.012e-05").
template <class Number>
std::errc parse_number(std::string_view text, Number& out) {
  if (text.empty()) return std::errc::invalid_argument;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc{}) return error;
  return end == text.data() + text.size() ? std::errc{} : std::errc::invalid_argument;
}

std::string number_problem(std::errc error, std::string_view text, const char* expected) {
  if (text.empty()) return std::string("expected ") + expected + ", found an empty field";
  if (error == std::errc::result_out_of_range) {
    return "number " + quoted(text) + " is out of range for " + expected;
  }
  return std::string("expected ") + expected + ", found " + quoted(text);
}

void parse_row(std::string_view line, int64_t line_number, OhlcvValidator& validator) {
  std::array<std::string_view, 6> fields;
  const size_t count = split_fields(line, fields);
  if (count != fields.size()) {
    validator.add_malformed_row(
        line_number, "",
        "expected 6 fields (" + std::string(kHeader) + "), found " + std::to_string(count));
    return;
  }
  OhlcvBar bar;
  if (const std::errc error = parse_number(fields[0], bar.open_time_ms); error != std::errc{}) {
    validator.add_malformed_row(
        line_number, kColumns[0],
        number_problem(error, fields[0], "an integer time in epoch milliseconds"));
    return;
  }
  double* const values[] = {&bar.open, &bar.high, &bar.low, &bar.close, &bar.volume};
  for (size_t i = 0; i < 5; ++i) {
    if (const std::errc error = parse_number(fields[i + 1], *values[i]); error != std::errc{}) {
      validator.add_malformed_row(line_number, kColumns[i + 1],
                                  number_problem(error, fields[i + 1], "a number"));
      return;
    }
  }
  validator.add_row(bar, line_number);
}

}  // namespace

void parse_ohlcv_csv(std::string_view text, OhlcvValidator& validator) {
  // Spreadsheet exports often start with a UTF-8 byte order mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (trim(text).empty()) {
    validator.add_file_problem("file is empty; expected the header '" + std::string(kHeader) +
                               "' and one candle per line");
    return;
  }
  // One row per line, so counting newlines sizes the vector exactly and avoids regrowth.
  validator.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));

  int64_t line_number = 0;
  while (!text.empty()) {
    const char* newline = static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
    const size_t length = newline ? static_cast<size_t>(newline - text.data()) : text.size();
    const std::string_view line = text.substr(0, length);
    text.remove_prefix(newline ? length + 1 : length);
    ++line_number;
    if (line_number == 1) {
      if (!header_matches(line)) {
        validator.add_file_problem("expected the header '" + std::string(kHeader) +
                                   "' on line 1, found " + quoted(trim(line)));
        return;
      }
      continue;
    }
    if (trim(line).empty()) continue;  // a trailing blank line is not a candle
    parse_row(line, line_number, validator);
  }
}

}  // namespace cephalo
