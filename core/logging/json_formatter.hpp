// JsonLineFormatter: one JSON object per log record, so log files can be queried with jq.
// Thread-safety: spdlog clones one per sink; an instance is used by one sink under its lock.
#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace cephalo {

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace cephalo
