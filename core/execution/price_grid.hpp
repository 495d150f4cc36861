// Snapping prices to a pair's tick and quantities to its lot step.
// Thread-safety: pure functions; safe from any thread.
#pragma once

namespace cephalo {

enum class Rounding { kDown, kUp };

// The multiple of `step` next to `value` in `direction`; `value` itself when step is 0. A value
// within 1e-9 steps of a multiple counts as on it, so 0.3 / 0.1 = 2.9999999999999996 stays 0.3
// instead of falling to 0.2. Decimal steps (0.01, 0.001) give the double nearest the decimal
// multiple (123.45, not 123.45000000000002), so snapped prices compare equal to literals.
double snap_to_step(double value, double step, Rounding direction);

}  // namespace cephalo
