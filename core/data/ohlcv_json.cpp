#include "data/ohlcv_json.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cephalo {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 6> kColumns{"timestamp", "open",  "high",
                                                   "low",       "close", "volume"};
constexpr std::string_view kExpectedRow = "[timestamp, open, high, low, close, volume]";

// SAX instead of a DOM: a DOM of 10M candles costs gigabytes, while this keeps one row of state
// and hands each row to the validator as soon as its closing bracket is read.
class CandleArrayHandler final : public nlohmann::json_sax<Json> {
 public:
  explicit CandleArrayHandler(OhlcvValidator& validator) : validator_(validator) {}

  bool null() override { return scalar("null"); }
  bool boolean(bool value) override { return scalar(value ? "true" : "false"); }
  bool string(string_t& value) override {
    return scalar("the string \"" + value.substr(0, 40) + (value.size() > 40 ? "...\"" : "\""));
  }
  bool binary(binary_t&) override { return scalar("binary data"); }
  bool key(string_t&) override { return true; }

  bool number_integer(number_integer_t value) override {
    if (!in_row_field()) return scalar(std::to_string(value));
    return field(value, static_cast<double>(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    if (!in_row_field()) return scalar(std::to_string(value));
    const bool fits = value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    return field(fits ? std::optional<int64_t>(static_cast<int64_t>(value)) : std::nullopt,
                 static_cast<double>(value));
  }
  bool number_float(number_float_t value, const string_t& text) override {
    if (!in_row_field()) return scalar(text);
    // Some writers emit times as 1515560100000.0; accept them when they are whole milliseconds.
    const bool whole = std::isfinite(value) && value == std::floor(value) &&
                       std::abs(value) < 9.0e15;  // below 2^53, so the integer is exact
    return field(whole ? std::optional<int64_t>(static_cast<int64_t>(value)) : std::nullopt, value,
                 text);
  }

  bool start_array(std::size_t) override { return open("an array", true); }
  bool start_object(std::size_t) override { return open("an object", false); }
  bool end_array() override { return close(); }
  bool end_object() override { return close(); }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    std::string what = error.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " tag; the rest names line and column.
    if (const size_t tag_end = what.find("] "); what.starts_with("[json") && tag_end != what.npos) {
      what.erase(0, tag_end + 2);
    }
    validator_.add_file_problem("invalid JSON: " + what);
    return false;
  }

 private:
  bool in_row_field() const { return depth_ == 2 && row_is_array_; }

  // A value that is not a number where a number belongs, or not an array where a row belongs.
  bool scalar(const std::string& found) {
    if (depth_ == 0) return not_an_array(found);
    if (depth_ == 1) {
      validator_.add_malformed_row(
          index_++, "", "expected a candle " + std::string(kExpectedRow) + ", found " + found);
      return true;
    }
    if (depth_ == 2 && row_is_array_) note_field_problem("expected a number, found " + found);
    if (depth_ == 2) ++fields_;
    return true;
  }

  bool field(std::optional<int64_t> as_time, double as_price, const std::string& text = {}) {
    if (fields_ == 0) {
      if (as_time) {
        bar_.open_time_ms = *as_time;
      } else {
        note_field_problem("expected an integer time in epoch milliseconds, found " +
                           (text.empty() ? std::to_string(as_price) : text));
      }
    } else if (fields_ < kColumns.size()) {
      double* const values[] = {&bar_.open, &bar_.high, &bar_.low, &bar_.close, &bar_.volume};
      *values[fields_ - 1] = as_price;
    }
    ++fields_;
    return true;
  }

  bool open(const char* kind, bool is_array) {
    if (depth_ == 0) {
      if (!is_array) return not_an_array(kind);
    } else if (depth_ == 1) {
      row_is_array_ = is_array;
      fields_ = 0;
      bar_ = OhlcvBar{};
      row_problem_.reset();
      if (!is_array) {
        row_problem_ = {"", "expected a candle " + std::string(kExpectedRow) + ", found " + kind};
      }
    } else if (depth_ == 2) {
      if (row_is_array_) note_field_problem(std::string("expected a number, found ") + kind);
      ++fields_;
    }
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) finish_row();
    return true;
  }

  void finish_row() {
    const int64_t index = index_++;
    if (row_problem_) {
      validator_.add_malformed_row(index, row_problem_->column, std::move(row_problem_->message));
    } else if (fields_ != kColumns.size()) {
      validator_.add_malformed_row(
          index, "",
          "expected 6 values " + std::string(kExpectedRow) + ", found " + std::to_string(fields_));
    } else {
      validator_.add_row(bar_, index);
    }
  }

  void note_field_problem(std::string message) {
    if (row_problem_) return;  // one problem per row: the first says where to look
    const std::string_view column = fields_ < kColumns.size() ? kColumns[fields_] : "";
    row_problem_ = {std::string(column), std::move(message)};
  }

  bool not_an_array(const std::string& found) {
    validator_.add_file_problem("expected a JSON array of candles [" + std::string(kExpectedRow) +
                                ", ...], found " + found);
    return false;
  }

  struct RowProblem {
    std::string column;
    std::string message;
  };

  OhlcvValidator& validator_;
  int depth_ = 0;  // 1 = inside the top-level array, 2 = inside one row
  int64_t index_ = 0;
  bool row_is_array_ = false;
  size_t fields_ = 0;
  OhlcvBar bar_;
  std::optional<RowProblem> row_problem_;
};

}  // namespace

void parse_ohlcv_json(std::string_view text, OhlcvValidator& validator) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    validator.add_file_problem("file is empty; expected a JSON array of candles [" +
                               std::string(kExpectedRow) + ", ...]");
    return;
  }
  // Every row opens one bracket, so this sizes the vector closely (one more for the outer array).
  validator.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '[')));
  CandleArrayHandler handler(validator);
  Json::sax_parse(text.data(), text.data() + text.size(), &handler);
}

}  // namespace cephalo
