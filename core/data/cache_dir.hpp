// Where derived data (binary candle caches) is kept: a per-user folder, never next to the data.
// Thread-safety: pure functions; default_cache_dir() reads the environment (no setenv meanwhile).
#pragma once

#include <filesystem>

#include "model/result.hpp"

namespace cephalo {

// $CEPHALO_CACHE_DIR, else $XDG_CACHE_HOME/cephalo, else $HOME/.cache/cephalo. Data folders are
// often read-only (installed sample data, shared mounts), so the cache never goes beside them.
// Empty variables count as unset, and a relative XDG_CACHE_HOME is ignored as the XDG spec says.
// Arguments are the variables' values (nullptr when unset), so the rule is testable without
// touching the process environment.
Result<std::filesystem::path> resolve_cache_dir(const char* cephalo_cache_dir,
                                                const char* xdg_cache_home, const char* home);

// resolve_cache_dir() over the real environment. Does not create the folder.
Result<std::filesystem::path> default_cache_dir();

}  // namespace cephalo
