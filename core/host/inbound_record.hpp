// Reading a record a tentacle passed in: the one place the struct_size prefix rule of tentacle.h
// is kept, for every inbound struct (descriptor, function table, evaluation, signal, order
// intent, sizing request).
// Thread-safety: pure functions.
#pragma once

#include <cephalo/tentacle.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

#include "model/result.hpp"

namespace cephalo {

// The size each inbound struct had when it was first released: a smaller struct_size cannot
// come from any 1.x header. Listed here once; a struct that grows keeps its first size.
template <class T>
struct FirstReleasedSize;
#define CEPHALO_FIRST_RELEASED_SIZE(type, last_field)                                   \
  template <>                                                                           \
  struct FirstReleasedSize<type> {                                                      \
    static constexpr size_t value = offsetof(type, last_field) + sizeof(type::last_field); \
    static constexpr const char* name = #type;                                          \
  };
// NOLINTNEXTLINE(bugprone-sizeof-expression): `functions` is a pointer; its size ends the prefix
CEPHALO_FIRST_RELEASED_SIZE(cephalo_tentacle_descriptor, functions)  // 1.0
CEPHALO_FIRST_RELEASED_SIZE(cephalo_tentacle_functions, load_state)  // 1.0
CEPHALO_FIRST_RELEASED_SIZE(cephalo_evaluation, confidence)          // 1.0
CEPHALO_FIRST_RELEASED_SIZE(cephalo_signal, target_price)            // 1.0
CEPHALO_FIRST_RELEASED_SIZE(cephalo_order_intent, tag)               // 1.0
CEPHALO_FIRST_RELEASED_SIZE(cephalo_sizing_request, volatility)      // 1.2
#undef CEPHALO_FIRST_RELEASED_SIZE

// Refusals name the struct, both sizes and the first offending byte, so the author knows which
// record and which header mismatch it is.
Error inbound_too_small(const char* struct_name, size_t size, size_t minimum);
Error inbound_unknown_tail(const char* struct_name, size_t size, size_t known, size_t byte);

// Copies `source`'s known prefix into `out` (zeroed first; struct_size set to what this host
// knows). Refuses a null record, one smaller than its first released size, and one larger than
// this host's struct whose unknown tail is not all zero. Inline: every emitted evaluation,
// signal and intent passes here, and nearly always with struct_size == sizeof(T).
template <class T>
Status read_inbound(const T* source, T& out) {
  using Sizes = FirstReleasedSize<T>;
  if (source == nullptr) return Error{std::string(Sizes::name) + " is missing (null pointer)"};
  const uint32_t size = source->struct_size;
  if (size == sizeof(T)) {
    out = *source;
    return Ok{};
  }
  if (size < Sizes::value) return inbound_too_small(Sizes::name, size, Sizes::value);
  if (size > sizeof(T)) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(source);
    for (size_t i = sizeof(T); i < size; ++i) {
      if (bytes[i] != 0) return inbound_unknown_tail(Sizes::name, size, sizeof(T), i);
    }
  }
  std::memset(static_cast<void*>(&out), 0, sizeof(T));
  std::memcpy(static_cast<void*>(&out), source, std::min<size_t>(size, sizeof(T)));
  out.struct_size = static_cast<uint32_t>(sizeof(T));
  return Ok{};
}

}  // namespace cephalo
