// EventSource: market events in time order, pulled by the loop (a replayed file, a merged set).
// Thread-safety: used by the loop thread only.
#pragma once

#include "events/event.hpp"

namespace cephalo {

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Fills payload and exchange_time_ns of the next event; false when the source is exhausted.
  virtual bool next(Event& out) = 0;
};

}  // namespace cephalo
