#include "data/ohlcv_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

#include "data/ohlcv_csv.hpp"
#include "data/ohlcv_json.hpp"
#include "data/ohlcv_validator.hpp"

namespace cephalo {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// One read of the whole file: parsing from memory is several times faster than line-by-line
// streams, and candle files are far smaller than RAM (10M bars of CSV is about 600 MB).
bool read_whole_file(const std::filesystem::path& path, std::string& out, std::string& error) {
  std::error_code code;
  const auto status = std::filesystem::status(path, code);
  if (!std::filesystem::exists(status)) {
    error = "file not found; check the path (relative paths start at the working directory " +
            std::filesystem::current_path(code).string() + ")";
    return false;
  }
  if (std::filesystem::is_directory(status)) {
    error = "is a directory; expected a candle file (.csv or .json)";
    return false;
  }
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  // Read straight into the string when the size is known; keep reading in case the file grew
  // (or its size is not reported, as for a pipe).
  const auto size = std::filesystem::file_size(path, code);
  if (!code && size > 0) {
    out.resize(static_cast<size_t>(size));
    out.resize(std::fread(out.data(), 1, out.size(), file.get()));
  }
  char buffer[1 << 14];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) out.append(buffer, got);
  if (std::ferror(file.get())) {
    error = std::string("cannot read: ") + std::strerror(errno);
    return false;
  }
  return true;
}

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
  std::string text;
  std::string error;
  const bool read = read_whole_file(file, text, error);
  const bool json = read && looks_like_json(file, text);
  OhlcvValidator validator(file.string(), json ? DataRowKind::kJsonIndex : DataRowKind::kCsvLine,
                           interval_ms, policy);
  if (!read) {
    validator.add_file_problem(std::move(error));
  } else if (json) {
    parse_ohlcv_json(text, validator);
  } else {
    parse_ohlcv_csv(text, validator);
  }
  return std::move(validator).finish();
}

}  // namespace cephalo
