// Writing candles as the standard CSV (the format load_ohlcv reads), fast enough for 10M bars.
// Thread-safety: an OhlcvCsvWriter is used by one thread; write_ohlcv_csv is reentrant.
#pragma once

#include <filesystem>
#include <span>
#include <vector>

#include "data/ohlcv_bar.hpp"
#include "model/result.hpp"

namespace cephalo {

// Header "timestamp,open,high,low,close,volume", then one line per bar: the integer time and the
// shortest text that reads back as the same double (std::to_chars), so load_ohlcv gives back
// every bit. Lines are built in a 1 MiB buffer and written in blocks: no stream per value.
// The file appears only when finish() succeeds (written beside it, then renamed), so a reader
// never sees half a file and a failed write leaves no partial file behind.
class OhlcvCsvWriter {
 public:
  static Result<OhlcvCsvWriter> open(const std::filesystem::path& path);
  ~OhlcvCsvWriter();  // removes the unfinished temporary file
  OhlcvCsvWriter(OhlcvCsvWriter&& other) noexcept;
  OhlcvCsvWriter& operator=(OhlcvCsvWriter&&) = delete;
  OhlcvCsvWriter(const OhlcvCsvWriter&) = delete;
  OhlcvCsvWriter& operator=(const OhlcvCsvWriter&) = delete;

  // Refuses non-finite values: the reader would reject that row.
  Status add(const OhlcvBar& bar);
  Status finish();
  int64_t rows() const { return rows_; }

 private:
  OhlcvCsvWriter(std::filesystem::path path, std::filesystem::path temporary, int fd);
  Status flush();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t used_ = 0;
  int64_t rows_ = 0;
};

Status write_ohlcv_csv(const std::filesystem::path& path, std::span<const OhlcvBar> bars);

}  // namespace cephalo
