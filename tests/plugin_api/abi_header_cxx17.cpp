// Compiles tentacle.h as strict C++17 (the oldest C++ the ABI promises) with every warning on.
// Thread-safety: n/a; nothing here runs except a layout function the test may call.
#include <cephalo/tentacle.h>

#include <cstddef>

static_assert(__cplusplus == 201703L, "this translation unit must be built as C++17");

// Something to link, so the target is not empty; also uses the header's macros from C++.
extern "C" size_t cephalo_abi_cxx17_host_api_size() {
  cephalo_host_api api{};
  api.struct_size = sizeof api;
  return CEPHALO_HAS_FIELD(&api, cephalo_host_api, indicator) ? sizeof api : 0;
}
