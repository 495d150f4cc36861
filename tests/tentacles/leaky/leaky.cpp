// A deliberately leaky library for the exports checker's self-test: it must be rejected.
// Thread-safety: nothing here is called.

// Default visibility and a non-entry name: the checker must list it as exported.
extern "C" __attribute__((visibility("default"))) int cephalo_leaky_export() {
  return 1;
}

// A static local of an inline function, built without -fno-gnu-unique: g++ marks it
// STB_GNU_UNIQUE, which the checker must flag.
inline int& cephalo_leaky_counter() {
  static int counter = 0;
  return counter;
}
extern "C" __attribute__((visibility("default"))) int cephalo_tentacle_entry() {
  return ++cephalo_leaky_counter();
}
