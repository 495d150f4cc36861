// Snapping prices to a pair's tick and quantities to its lot step.
// Thread-safety: pure functions; safe from any thread.
#include "execution/price_grid.hpp"

#include <cmath>

namespace cephalo {

double snap_to_step(double value, double step, Rounding direction) {
  if (step <= 0) return value;
  const double steps = value / step;
  double whole = std::round(steps);
  if (std::fabs(steps - whole) > 1e-9 * std::fmax(1.0, std::fabs(steps))) {
    whole = direction == Rounding::kDown ? std::floor(steps) : std::ceil(steps);
  }
  // Dividing by an exact integer rounds once; multiplying by an inexact step rounds twice.
  const double per_unit = 1.0 / step;
  const double per_unit_whole = std::round(per_unit);
  if (per_unit_whole >= 1 && std::fabs(per_unit - per_unit_whole) <= 1e-9 * per_unit_whole) {
    return whole / per_unit_whole;
  }
  return whole * step;
}

}  // namespace cephalo
