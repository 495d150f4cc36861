/* The C translation unit's view of the ABI layout, exported for the C++ test to compare with.
 * Thread-safety: the table is immutable. */
#ifndef CEPHALO_TESTS_ABI_LAYOUT_H
#define CEPHALO_TESTS_ABI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cephalo_abi_layout_entry {
  const char* what; /* "cephalo_candle.close" or "sizeof cephalo_candle" */
  size_t value;     /* offset or size in bytes */
} cephalo_abi_layout_entry;

const cephalo_abi_layout_entry* cephalo_abi_layout_c(size_t* out_count);
/* cephalo_status_name compiled as C11. */
const char* cephalo_abi_status_name_c(int32_t status);

#ifdef __cplusplus
}
#endif

#endif /* CEPHALO_TESTS_ABI_LAYOUT_H */
