// cat(): joins pieces of text into one message or SQL string.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace cephalo::storage_text {

// Used instead of "literal" + std::string: on that, g++ 12 at -O2 reports a false -Wrestrict
// (GCC bug 105329), which -Werror makes fatal. One allocation, too.
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string joined;
  joined.reserve((std::string_view(parts).size() + ...));
  (joined.append(std::string_view(parts)), ...);
  return joined;
}

}  // namespace cephalo::storage_text
