// hash64: a fast 64-bit non-cryptographic hash for cache file names and cache integrity (internal).
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cephalo {

// Four independent lanes over 64-byte stripes, one 64x64->128-bit multiply folded to 64 bits per
// 16 bytes (the wyhash "mum"), so verifying a 500 MB bar cache runs near memory speed and costs a
// fraction of replaying it. It guards against corruption, not against attack:
// the cache lives in the user's own folder. Words are read in host byte order, which is fine
// because cache files record the host's byte order and are rebuilt on any other.
uint64_t hash64(const void* data, size_t size, uint64_t seed = 0);

inline uint64_t hash64(std::string_view text, uint64_t seed = 0) {
  return hash64(text.data(), text.size(), seed);
}

}  // namespace cephalo
