// cat(): joins pieces of text into one message, in one allocation.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace cephalo {

// Used instead of a chain of std::string + "literal" + ...: that allocates a temporary per `+`
// (clang-tidy's performance-inefficient-string-concatenation), and on "literal" + std::string
// g++ 12 at -O2 reports a false -Wrestrict (GCC bug 105329), which -Werror makes fatal.
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string joined;
  joined.reserve((std::string_view(parts).size() + ...));
  (joined.append(std::string_view(parts)), ...);
  return joined;
}

}  // namespace cephalo
