// hash64: a fast 64-bit non-cryptographic hash for cache file names and cache integrity (internal).
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cephalo {

// Four independent lanes over 32-byte stripes (the xxHash64 round), so verifying a 500 MB bar
// cache costs a fraction of parsing its CSV. It guards against corruption, not against attack:
// the cache lives in the user's own folder. Words are read in host byte order, which is fine
// because cache files record the host's byte order and are rebuilt on any other.
uint64_t hash64(const void* data, size_t size, uint64_t seed = 0);

inline uint64_t hash64(std::string_view text, uint64_t seed = 0) {
  return hash64(text.data(), text.size(), seed);
}

}  // namespace cephalo
