// Whether a file is still mapped into this process: proof that a library really left after a swap.
// Thread-safety: pure function over /proc/self/maps.
#pragma once

#include <filesystem>

namespace cephalo {

// True while any mapping of this process names `image` (a deleted file shows as
// "<path> (deleted)", which counts too).
bool image_is_mapped(const std::filesystem::path& image);

}  // namespace cephalo
