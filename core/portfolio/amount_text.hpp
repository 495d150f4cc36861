// Numbers as users read them in rejection and error messages.
// Thread-safety: pure function; safe from any thread.
#pragma once

#include <string>

namespace cephalo {

// Up to 10 significant digits without an exponent for everyday magnitudes, trailing zeros
// dropped: "10015.005", "0.00001234", "42". Messages need readable values, not round trips, and
// the arithmetic noise of doubles (10015.005000000001) would only confuse the reader.
std::string amount_text(double value);

}  // namespace cephalo
