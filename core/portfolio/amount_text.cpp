// Numbers as users read them in rejection and error messages.
// Thread-safety: pure function; safe from any thread.
#include "portfolio/amount_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cephalo {

std::string amount_text(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  if (value == 0) return "0";
  const double magnitude = std::fabs(value);
  char text[64];
  if (magnitude < 1e-9 || magnitude >= 1e15) {
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
  }
  // Decimals so that about 10 significant digits show whatever the magnitude.
  const int integer_digits = static_cast<int>(std::floor(std::log10(magnitude))) + 1;
  const int decimals = std::clamp(10 - integer_digits, 0, 18);
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace cephalo
