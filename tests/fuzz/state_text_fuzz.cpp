// Fuzz target: the hot-swap state text reader (plugin_api/include/cephalo/state_text.hpp), as a
// tentacle's load_state uses it on a blob another build wrote: every field read as each type.
// A bad blob may only throw std::invalid_argument (the SDK turns that into a refused load), and
// what reads back must write back to the same text.
// Thread-safety: libFuzzer calls it from one thread.
#include <cephalo/state_text.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

constexpr std::string_view kMagic = "cephalo-fuzz-state";

void read_fields(const cephalo::StateTextLine& line) {
  for (size_t i = 0; i < line.size(); ++i) {
    const std::string_view raw = line.raw(i);
    try {
      const std::string text = line.text(i, "text");
      cephalo::StateTextWriter out("");
      out.text(text);
      FUZZ_CHECK(out.str() == std::string(raw) + "\n");  // unescape then escape is the identity
    } catch (const std::invalid_argument&) {
    }
    try {
      const double value = line.number(i, "number");
      cephalo::StateTextWriter out("m");
      out.number(value);
      const std::string written = out.str();
      const cephalo::StateTextReader again(written, "m", "fuzz");
      const double back = again.header().number(1, "number");
      FUZZ_CHECK(std::memcmp(&back, &value, sizeof value) == 0 || std::isnan(value));
    } catch (const std::invalid_argument&) {
    }
    try {
      (void)line.integer(i, "integer");
    } catch (const std::invalid_argument&) {
    }
    try {
      (void)line.boolean(i, "flag");
    } catch (const std::invalid_argument&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const cephalo::StateTextReader reader(bytes, kMagic, "fuzz");
    read_fields(reader.header());
    for (const cephalo::StateTextLine& line : reader) {
      read_fields(line);
      try {
        line.expect_fields(2);
      } catch (const std::invalid_argument&) {
      }
    }
  } catch (const std::invalid_argument&) {
    // The refusal a tentacle's load_state reports: the old instance keeps running.
  }
  return 0;
}
