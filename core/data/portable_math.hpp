// exp and log computed the same, to the last bit, on every IEEE-754 platform (internal).
// Thread-safety: pure functions; safe from any thread.
#pragma once

namespace cephalo {

// std::exp and std::log are only required to be close: glibc, musl, macOS and MSVC round some
// results differently, which would make a seeded random walk differ between machines. These use
// only +, -, *, /, floor, frexp and ldexp, which IEEE-754 defines exactly, evaluated in a fixed
// order; the file that defines them is built with -ffp-contract=off so no fused multiply-add
// changes a rounding. Accurate to a few ulp, which is plenty for synthetic prices.

// For |x| <= 700 (the caller bounds it); e^x.
double portable_exp(double x);
// For finite x > 0; the natural logarithm.
double portable_log(double x);

}  // namespace cephalo
