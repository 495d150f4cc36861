/* Pins the layout of every struct in tentacle.h as a C11 compiler sees it (x86_64, LP64).
 * Thread-safety: pure functions. Also proves the header compiles as C11 on its own. */
#include <cephalo/tentacle.h>
#include <stddef.h>

#include "abi_layout.h"

#if defined(__x86_64__) && defined(__LP64__)
#define PIN(type, field, offset) \
  _Static_assert(offsetof(type, field) == (offset), #type "." #field " moved");
#define PIN_SIZE(type, size) _Static_assert(sizeof(type) == (size), #type " changed size");
#include "abi_layout.inc"
#undef PIN
#undef PIN_SIZE
#endif

/* The same table as values, so the C++ test can check both languages lay structs out alike. */
static const cephalo_abi_layout_entry kEntries[] = {
#define PIN(type, field, offset) {#type "." #field, offsetof(type, field)},
#define PIN_SIZE(type, size) {"sizeof " #type, sizeof(type)},
#include "abi_layout.inc"
#undef PIN
#undef PIN_SIZE
};

const cephalo_abi_layout_entry* cephalo_abi_layout_c(size_t* out_count) {
  *out_count = sizeof kEntries / sizeof kEntries[0];
  return kEntries;
}

/* cephalo_status_name as a C11 compiler builds it (a static inline function in the header). */
const char* cephalo_abi_status_name_c(cephalo_status status) {
  return cephalo_status_name(status);
}
