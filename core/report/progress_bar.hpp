// A one-line progress bar for interactive terminals, redrawn in place with '\r'.
// Thread-safety: not thread-safe; call from the one thread that drives the work.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace cephalo {

// Redraws are counted, not timed: a redraw happens each time `done` crosses another 1/200 of
// `total` (and at the end), so output is a function of the calls alone and tests need no clock.
// The caller decides `enabled` (e.g. from isatty); a disabled bar writes nothing at all.
class ProgressBar {
 public:
  static constexpr int64_t kSteps = 200;
  static constexpr int kBarWidth = 30;  // characters between the brackets

  ProgressBar(int64_t total, std::ostream& out, bool enabled, std::string label = "");
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();  // calls finish()

  // `done` units of `total` are finished; values past total count as total.
  void update(int64_t done);
  // Draws the last state if it is not on screen yet and ends the line; later calls do nothing.
  void finish();

  int64_t redraws() const { return redraws_; }

 private:
  void draw(int64_t done);

  int64_t total_;
  std::ostream& out_;
  bool enabled_;
  std::string label_;
  int64_t step_;            // units between redraws
  int64_t next_draw_;       // the next `done` that redraws
  int64_t last_done_ = 0;   // the highest `done` seen
  int64_t last_drawn_ = 0;  // the `done` on screen
  int64_t redraws_ = 0;
  bool finished_ = false;
};

}  // namespace cephalo
