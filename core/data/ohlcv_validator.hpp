// OhlcvValidator: checks parsed candle rows one by one and builds the load result (internal).
// Thread-safety: one instance per load, used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/data_problem.hpp"
#include "data/ohlcv_load_result.hpp"

namespace cephalo {

// The format parsers (CSV, JSON) stream rows into this, so checks, ordering and gap detection are
// written once and run in the same pass as parsing, without a second copy of a large file.
class OhlcvValidator {
 public:
  // interval_ms: the expected spacing of candles; 0 skips the gap and grid checks.
  OhlcvValidator(std::string file, DataRowKind row_kind, int64_t interval_ms, BadRowPolicy policy);

  void reserve(size_t rows) { result_.bars.reserve(rows); }

  // A row that parsed: checks its values, its order against the last kept bar, and the time grid.
  void add_row(const OhlcvBar& bar, int64_t row);
  // A row that could not be parsed (wrong field count, text that is not a number).
  void add_malformed_row(int64_t row, std::string_view column, std::string message);
  // A problem with the file as a whole; the load fails whatever the policy.
  void add_file_problem(std::string message);

  bool has_file_problem() const { return file_failed_; }

  OhlcvLoadResult finish() &&;

 private:
  void add_problem(DataRowKind kind, int64_t row, std::string_view column, std::string message);
  void reject_row(int64_t row, std::string_view column, std::string message);
  bool check_values(const OhlcvBar& bar, int64_t row);
  bool check_order(const OhlcvBar& bar, int64_t row);

  std::string file_;
  DataRowKind row_kind_;
  int64_t interval_ms_;
  BadRowPolicy policy_;
  OhlcvLoadResult result_;
  int64_t last_row_ = 0;  // where the last kept bar came from, for messages that point back at it
  size_t unlisted_problems_ = 0;
  bool file_failed_ = false;
};

}  // namespace cephalo
