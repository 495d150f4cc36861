// Problems of a run that did not stop it: a quarantined tentacle, a rolled-back swap, dropped
// events, ... Any part of the core adds them; the reports and the exit status read them.
// Thread-safety: Problem is a plain value; ProblemList locks, so any thread may add.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace cephalo {

// One kind of thing that went wrong at one place, and how often.
struct Problem {
  std::string kind;     // snake_case, e.g. "tentacle_quarantined", "swap_rolled_back"
  std::string where;    // what it happened to: "strategy sma_crossover 1.0.0", "interface web"
  std::string message;  // what happened and what to do, as logged
  uint64_t count = 1;   // occurrences of exactly this kind, place and message

  bool operator==(const Problem&) const = default;
};

// The problems of one run, in the order they first happened. The same kind, place and message
// again adds to the count rather than a row, so a problem that repeats for every event stays one
// line in a report.
class ProblemList {
 public:
  void add(std::string kind, std::string where, std::string message, uint64_t count = 1) {
    if (count == 0) return;
    std::lock_guard lock(mutex_);
    for (Problem& problem : problems_) {
      if (problem.kind == kind && problem.where == where && problem.message == message) {
        problem.count += count;
        return;
      }
    }
    problems_.push_back(Problem{std::move(kind), std::move(where), std::move(message), count});
  }
  std::vector<Problem> snapshot() const {
    std::lock_guard lock(mutex_);
    return problems_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Problem> problems_;
};

}  // namespace cephalo
