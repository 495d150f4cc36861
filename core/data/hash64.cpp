#include "data/hash64.hpp"

#include <cstring>

namespace cephalo {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

constexpr uint64_t rotl(uint64_t value, int bits) {
  return (value << bits) | (value >> (64 - bits));
}

// memcpy: the input has no alignment guarantee, and this compiles to one load.
uint64_t load64(const unsigned char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

// The full 128-bit product folded onto itself: every input bit reaches most output bits.
uint64_t mum(uint64_t a, uint64_t b) {
  __extension__ using Wide = unsigned __int128;
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

uint64_t hash64(const void* data, size_t size, uint64_t seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const unsigned char* const end = bytes + size;
  uint64_t acc = seed ^ kPrime5;
  if (size >= 64) {
    uint64_t lanes[4] = {seed + kPrime1, seed + kPrime2, seed + kPrime3, seed + kPrime4};
    for (; end - bytes >= 64; bytes += 64) {
      for (int i = 0; i < 4; ++i) {
        lanes[i] = mum(load64(bytes + 16 * i) ^ lanes[i], load64(bytes + 16 * i + 8) ^ kPrime1);
      }
    }
    for (const uint64_t lane : lanes) acc = mum(acc ^ lane, kPrime2);
  }
  acc += static_cast<uint64_t>(size);
  for (; end - bytes >= 8; bytes += 8) acc = mum(acc ^ load64(bytes), kPrime3);
  for (; bytes < end; ++bytes) acc = rotl(acc ^ (*bytes * kPrime5), 11) * kPrime1;
  // Final avalanche: every input bit affects every output bit.
  acc ^= acc >> 33;
  acc *= kPrime2;
  acc ^= acc >> 29;
  acc *= kPrime3;
  acc ^= acc >> 32;
  return acc;
}

}  // namespace cephalo
