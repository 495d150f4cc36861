#include "data/data_problem.hpp"

namespace cephalo {

std::string DataProblem::to_string() const {
  std::string text = file;
  switch (row_kind) {
    case DataRowKind::kWholeFile:
      break;
    case DataRowKind::kCsvLine:
      // Appended piece by piece: `"x" + std::to_string()` trips g++ 12's false -Wrestrict.
      text += ':';
      text += std::to_string(row);
      break;
    case DataRowKind::kJsonIndex:
      text += ":[";
      text += std::to_string(row);
      text += ']';
      break;
  }
  text += ": ";
  if (!column.empty()) text += column + ": ";
  text += message;
  return text;
}

std::string describe_row(DataRowKind kind, int64_t row) {
  switch (kind) {
    case DataRowKind::kCsvLine:
      return std::string("line ").append(std::to_string(row));
    case DataRowKind::kJsonIndex:
      return std::string("index ").append(std::to_string(row));
    case DataRowKind::kWholeFile:
      break;
  }
  return "the file";
}

}  // namespace cephalo
