#include "report/progress_bar.hpp"

#include <algorithm>

#include "report/text_format.hpp"

namespace cephalo {

ProgressBar::ProgressBar(int64_t total, std::ostream& out, bool enabled, std::string label)
    : total_(std::max<int64_t>(total, 0)),
      out_(out),
      enabled_(enabled),
      label_(std::move(label)),
      step_(std::max<int64_t>(1, (total_ + kSteps - 1) / kSteps)),
      next_draw_(0) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(int64_t done) {
  if (!enabled_ || finished_) return;
  done = std::clamp<int64_t>(done, 0, total_);
  last_done_ = std::max(last_done_, done);
  const bool drawn = redraws_ > 0 && last_drawn_ == done;
  if (drawn || (done < next_draw_ && done != total_)) return;
  draw(done);
  next_draw_ = (done / step_ + 1) * step_;
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (redraws_ == 0 || last_drawn_ != last_done_) draw(last_done_);
  out_ << '\n';
  out_.flush();
}

void ProgressBar::draw(int64_t done) {
  const double fraction =
      total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::string line = "\r";
  if (!label_.empty()) line += label_ + " ";
  line += "[" + std::string(static_cast<size_t>(filled), '#') +
          std::string(static_cast<size_t>(kBarWidth - filled), '.') + "] ";
  const std::string percent = report_text::format_fixed(fraction * 100.0, 1);
  line += std::string(5 - std::min<size_t>(5, percent.size()), ' ') + percent + "% " +
          std::to_string(done) + "/" + std::to_string(total_);
  out_ << line;
  out_.flush();
  last_drawn_ = done;
  ++redraws_;
}

}  // namespace cephalo
