#include "data/ohlcv_csv_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "model/system_text.hpp"

namespace cephalo {
namespace {

constexpr size_t kBufferBytes = 1 << 20;
// One line: a 20-digit time, five doubles of at most 24 characters, commas and newline.
constexpr size_t kMaxLineBytes = 160;
constexpr std::string_view kHeader = "timestamp,open,high,low,close,volume\n";

std::string io_error(const char* action, const std::filesystem::path& path) {
  return std::string("cannot ") + action + " " + path.string() + ": " + system_error_text(errno);
}

}  // namespace

Result<OhlcvCsvWriter> OhlcvCsvWriter::open(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{io_error("create", path)};
  OhlcvCsvWriter writer(path, std::move(temporary), fd);
  std::memcpy(writer.buffer_.data(), kHeader.data(), kHeader.size());
  writer.used_ = kHeader.size();
  return writer;
}

OhlcvCsvWriter::OhlcvCsvWriter(std::filesystem::path path, std::filesystem::path temporary, int fd)
    : path_(std::move(path)), temporary_(std::move(temporary)), fd_(fd), buffer_(kBufferBytes) {}

OhlcvCsvWriter::OhlcvCsvWriter(OhlcvCsvWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temporary_(std::move(other.temporary_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)),
      used_(std::exchange(other.used_, 0)),
      rows_(std::exchange(other.rows_, 0)) {}

OhlcvCsvWriter::~OhlcvCsvWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temporary_.c_str());
  }
}

Status OhlcvCsvWriter::add(const OhlcvBar& bar) {
  const double values[] = {bar.open, bar.high, bar.low, bar.close, bar.volume};
  for (const double value : values) {
    if (!std::isfinite(value)) {
      return Error{"bar " + std::to_string(rows_) + " at " + std::to_string(bar.open_time_ms) +
                   " has a non-finite value; candle files hold finite numbers only"};
    }
  }
  if (fd_ < 0) return Error{"writer for " + path_.string() + " is already finished"};
  if (buffer_.size() - used_ < kMaxLineBytes) {
    if (Status flushed = flush(); !flushed) return flushed;
  }
  char* out = buffer_.data() + used_;
  char* const end = buffer_.data() + buffer_.size();
  out = std::to_chars(out, end, bar.open_time_ms).ptr;
  for (const double value : values) {
    *out++ = ',';
    out = std::to_chars(out, end, value).ptr;  // shortest round-trip form
  }
  *out++ = '\n';
  used_ = static_cast<size_t>(out - buffer_.data());
  ++rows_;
  return Ok{};
}

Status OhlcvCsvWriter::flush() {
  const char* data = buffer_.data();
  size_t left = used_;
  while (left > 0) {
    const ssize_t wrote = ::write(fd_, data, left);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return Error{io_error("write", temporary_)};
    data += wrote;
    left -= static_cast<size_t>(wrote);
  }
  used_ = 0;
  return Ok{};
}

Status OhlcvCsvWriter::finish() {
  if (fd_ < 0) return Error{"writer for " + path_.string() + " is already finished"};
  if (Status flushed = flush(); !flushed) return flushed;
  if (::close(std::exchange(fd_, -1)) != 0) {
    const std::string error = io_error("write", temporary_);
    ::unlink(temporary_.c_str());
    return Error{error};
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const std::string error = io_error("rename into", path_);
    ::unlink(temporary_.c_str());
    return Error{error};
  }
  return Ok{};
}

Status write_ohlcv_csv(const std::filesystem::path& path, std::span<const OhlcvBar> bars) {
  Result<OhlcvCsvWriter> writer = OhlcvCsvWriter::open(path);
  if (!writer) return writer.status();
  for (const OhlcvBar& bar : bars) {
    if (Status added = writer->add(bar); !added) return added;
  }
  return writer->finish();
}

}  // namespace cephalo
