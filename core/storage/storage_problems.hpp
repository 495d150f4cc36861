// What storage could not write during a run, as plain data for the run's summary and exit status.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cephalo {

struct StorageProblems {
  // Records the database refused, each on its own: a key already stored in this run, an order
  // state older than the stored one, a value SQLite cannot hold. The rest of the run is written.
  std::int64_t refused = 0;
  // The failure that stopped the writer (disk full, I/O error, the file locked by another
  // program); empty while it writes. Once set, nothing more is written.
  std::string failure;
  // Records lost with that failure: queued or in the rolled-back transaction, never committed.
  std::int64_t lost = 0;
  // The first kMaxMessages refusals, each naming the table and the row's key, then the failure.
  std::vector<std::string> messages;
  static constexpr std::size_t kMaxMessages = 20;

  bool any() const { return refused > 0 || !failure.empty(); }
  // One paragraph for a log line or an error: counts, then the messages.
  std::string describe() const;
};

}  // namespace cephalo
