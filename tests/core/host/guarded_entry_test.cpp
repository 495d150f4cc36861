// The host services table never lets an exception out: GuardedEntry turns one into
// CEPHALO_ERROR (or 0, or nothing) and passes every normal answer through unchanged.
#include <doctest/doctest.h>

#include <new>
#include <stdexcept>

#include "host/guarded_entry.hpp"

using cephalo::GuardedEntry;

namespace {

cephalo_status answers(cephalo_host*, int code) {
  return code == 1 ? CEPHALO_OK : CEPHALO_NOT_FOUND;
}
cephalo_status throws_error(cephalo_host*, int) {
  throw std::runtime_error("boom");
}
int64_t throws_anything(cephalo_host*) {
  throw 42;
}
void throws_bad_alloc(cephalo_host*, const char*) {
  throw std::bad_alloc();
}

}  // namespace

TEST_CASE("a host entry point's exception becomes a status, never an unwind into the tentacle") {
  CHECK(GuardedEntry<&answers>::call(nullptr, 1) == CEPHALO_OK);
  CHECK(GuardedEntry<&answers>::call(nullptr, 2) == CEPHALO_NOT_FOUND);
  CHECK(GuardedEntry<&throws_error>::call(nullptr, 1) == CEPHALO_ERROR);
  CHECK(GuardedEntry<&throws_anything>::call(nullptr) == 0);
  GuardedEntry<&throws_bad_alloc>::call(nullptr, "x");  // returns: nothing escaped
  static_assert(noexcept(GuardedEntry<&throws_error>::call(nullptr, 1)));
}
