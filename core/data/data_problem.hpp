// DataProblem: one thing wrong with a candle file, located by file and row, printed compiler-style.
// Thread-safety: plain values; safe to share read-only between threads.
#pragma once

#include <cstdint>
#include <string>

namespace cephalo {

// CSV rows are located the way an editor shows them; a JSON file may be one long line, so its
// rows are located by their position in the top-level array instead.
enum class DataRowKind {
  kWholeFile,  // the problem is not about one row (missing file, bad header, no candles)
  kCsvLine,    // `row` is the 1-based line number in the file; the header is line 1
  kJsonIndex,  // `row` is the 0-based index in the top-level JSON array
};

struct DataProblem {
  std::string file;  // the path as the caller gave it
  DataRowKind row_kind = DataRowKind::kWholeFile;
  int64_t row = 0;
  std::string column;  // "timestamp", "open", ... ; empty when no single column is at fault
  std::string message;

  // "FILE:ROW: COLUMN: message". ROW is the line number for CSV and "[index]" for JSON; the
  // ROW and COLUMN parts are left out when they do not apply.
  std::string to_string() const;
};

// "line 12" or "index 11": for messages that point at a second row ("same time as line 12").
std::string describe_row(DataRowKind kind, int64_t row);

}  // namespace cephalo
