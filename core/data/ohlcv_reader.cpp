#include "data/ohlcv_reader.hpp"

#include <string>

#include "data/ohlcv_csv.hpp"
#include "data/ohlcv_json.hpp"
#include "data/ohlcv_validator.hpp"
#include "model/regular_file.hpp"

namespace cephalo {
namespace {

bool looks_like_json(const std::filesystem::path& path, std::string_view text) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = static_cast<char>(c | 0x20);
  if (extension == ".json") return true;
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '[';
}

}  // namespace

OhlcvLoadResult load_ohlcv(const std::filesystem::path& file, int64_t interval_ms,
                           BadRowPolicy policy) {
  // One read of the whole file: parsing from memory is several times faster than line-by-line
  // streams, and candle files are far smaller than RAM (10M bars of CSV is about 600 MB).
  auto contents = read_regular_file(file, FileRole{"file", "a candle file (.csv or .json)"});
  const bool read = contents.ok();
  const std::string text = read ? std::move(*contents) : std::string();
  const bool json = read && looks_like_json(file, text);
  OhlcvValidator validator(file.string(), json ? DataRowKind::kJsonIndex : DataRowKind::kCsvLine,
                           interval_ms, policy);
  if (!read) {
    validator.add_file_problem(contents.error());
  } else if (json) {
    parse_ohlcv_json(text, validator);
  } else {
    parse_ohlcv_csv(text, validator);
  }
  return std::move(validator).finish();
}

}  // namespace cephalo
