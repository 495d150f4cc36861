// LogRing: an spdlog sink that keeps the run's latest log lines for the `logs` query.
// Thread-safety: spdlog's mutex sink serialises writes; lines() locks the same mutex.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace cephalo {

struct LogLine {
  int64_t time_ns = 0;  // wall clock, ns since epoch UTC
  std::string level;    // trace, debug, info, warning, error, critical
  std::string text;     // the message as logged, without time or level
};

class LogRing final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit LogRing(size_t capacity) : capacity_(capacity) {}
  // The latest lines, oldest first: at most `limit`, at or above `min_level`
  // (spdlog::level::level_enum); `dropped` gets how many older lines the ring let go.
  std::vector<LogLine> lines(size_t limit, int min_level, uint64_t* dropped);

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  struct Entry {
    LogLine line;
    int level = 0;
  };
  size_t capacity_;
  std::deque<Entry> entries_;
  uint64_t dropped_ = 0;
};

}  // namespace cephalo
